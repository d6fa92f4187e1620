//! `duben serve [--root DIR] [--output DIR] [--port 1111] [--open] [--drafts]`: build, serve
//! on 127.0.0.1, rebuild and reload the browser on every save.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::pipeline::BuildOptions;
use crate::serve;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds site.toml).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the site (default: `output_dir` of site.toml, else `public`).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Port on 127.0.0.1; if it is taken, the next free one. 0: any free port.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    serve::serve(serve::Options {
        build: BuildOptions {
            root: crate::site_root(args.root),
            output: args.output,
            base_url: None,
            drafts: args.drafts,
            repository: Default::default(),
        },
        port: args.port,
        open: args.open,
    })?;
    Ok(ExitCode::SUCCESS)
}
