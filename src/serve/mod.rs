//! `duben serve`: builds the site, serves its output on 127.0.0.1, rebuilds on
//! every save and reloads the open pages. `live` holds the last build's
//! outcome, `watch` turns file events into rebuilds, `http` answers requests;
//! the build itself is `pipeline::build`, unchanged.

mod http;
mod live;
mod watch;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

use anyhow::Context;

use crate::pipeline::BuildOptions;
use live::Live;

/// How many ports after the asked-for one to try when it is taken.
const PORTS_TO_TRY: u16 = 20;

pub struct Options {
    pub build: BuildOptions,
    /// 0 means any free port.
    pub port: u16,
    pub open: bool,
}

/// Runs until interrupted (Ctrl-C). Content errors never stop it: they are
/// shown in the pages until the next good save.
pub fn serve(options: Options) -> anyhow::Result<()> {
    let live = Arc::new(Live::new(options.build));
    live.rebuild();
    watch::start(Arc::clone(&live)).context("cannot watch the site's files for changes")?;

    let listener = bind(options.port)?;
    let url = format!("http://{}/", listener.local_addr()?);
    println!("serving {url}");
    eprintln!("watching site.toml, content/, templates/ and static/; press Ctrl-C to stop");
    if options.open {
        open_browser(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = http::router(live);
        // No graceful shutdown: open event streams would hold it up forever.
        tokio::select! {
            served = axum::serve(listener, app) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    Ok(())
}

/// Binds 127.0.0.1 only: the preview is for this computer, not the network.
fn bind(port: u16) -> anyhow::Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORTS_TO_TRY)
    };
    let mut refused = None;
    for candidate in port..=last {
        match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, candidate))) {
            Ok(listener) => {
                listener.set_nonblocking(true)?;
                return Ok(listener);
            }
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => refused = Some(error),
            Err(error) => return Err(error).with_context(|| format!("cannot listen on 127.0.0.1:{candidate}")),
        }
    }
    Err(refused.unwrap_or_else(|| io::Error::other("no port to try")))
        .with_context(|| format!("ports {port} to {last} on 127.0.0.1 are all taken; pass --port with a free one"))
}

/// Best effort: a machine without a browser still serves.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut start = std::process::Command::new("cmd");
        start.args(["/C", "start", ""]);
        start
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
