//! What every browser test needs: the repository's own site built once and
//! served on 127.0.0.1, and a fresh headless Chromium per test, driven
//! through Debian's chromedriver. A missing Chromium fails them; they skip,
//! and say so loudly, only when DUBEN_SKIP_BROWSER_TESTS=1 asks for it
//! (never with CI=true).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The built site and where it is served.
pub struct Site {
    pub dir: PathBuf,
    pub base: String,
}

/// Builds the repository's site once per test process and serves it.
pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| build_and_serve(Path::new(env!("CARGO_MANIFEST_DIR"))))
}

/// Builds the site at `root` into a temporary folder and serves it.
pub fn build_and_serve(root: &Path) -> Site {
    let out = tempfile::tempdir().unwrap().keep().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_duben"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "{} must build", root.display());
    let address = serve(out.clone());
    Site {
        dir: out,
        base: format!("http://{address}"),
    }
}

/// A static server for `dir` on a free loopback port, in its own thread, for
/// the life of the test process.
fn serve(dir: PathBuf) -> SocketAddr {
    serve_app(axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dir)))
}

/// Serves `app` on a free loopback port, in its own thread, for the life of
/// the test process.
fn serve_app(app: axum::Router) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    address
}

/// One file of the built site that comes in two parts: its first bytes at
/// once, the rest only when the test releases it. Until then a page shows
/// what it has and its deferred scripts wait, and a script loaded later
/// has not come, as on a slow connection, for as long as the test needs
/// (and not a moment longer).
#[allow(dead_code, reason = "only browser.rs holds a page back")]
pub struct HeldPage {
    pub url: String,
    rest: Arc<tokio::sync::Notify>,
}

#[allow(dead_code, reason = "only browser.rs holds a page back")]
impl HeldPage {
    /// Sends the rest of the page to the request waiting for it, or else
    /// to the next one.
    pub fn release(&self) {
        self.rest.notify_one();
    }
}

/// Serves the built site again, on a port of its own, with `page` (an
/// HTML page or a script) held back after its first `split` bytes on
/// every request.
#[allow(dead_code, reason = "only browser.rs holds a page back")]
pub fn hold_back(page: &str, split: usize) -> HeldPage {
    use axum::body::{Body, Bytes};
    use axum::http::header;
    use futures_util::{StreamExt, stream};

    let dir = site().dir.clone();
    let html = Bytes::from(std::fs::read(dir.join(page)).unwrap());
    let content_type = match page.ends_with(".js") {
        true => "text/javascript; charset=utf-8",
        false => "text/html; charset=utf-8",
    };
    let rest = Arc::new(tokio::sync::Notify::new());
    let waiting = rest.clone();
    let respond = move || {
        let (first, second) = (html.slice(..split), html.slice(split..));
        let waiting = waiting.clone();
        let parts =
            stream::once(async move { Ok::<_, std::convert::Infallible>(first) }).chain(stream::once(async move {
                waiting.notified().await;
                Ok(second)
            }));
        async move {
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                Body::from_stream(parts),
            )
        }
    };
    let app = axum::Router::new()
        .route(&format!("/{page}"), axum::routing::get(respond))
        .fallback_service(tower_http::services::ServeDir::new(dir));
    HeldPage {
        url: format!("http://{}/{page}", serve_app(app)),
        rest,
    }
}

/// Whether a browser can run here; `false` means the caller returns early,
/// which `skip_or_fail` allows only when asked to.
pub fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        skip_or_fail(&format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing: install them with `apt-get install chromium chromium-driver` (see README)"
        ));
    }
    present
}

/// Something a browser test needs is missing. That fails the test, so a run
/// without a browser never counts as passed, unless the person running the
/// tests set DUBEN_SKIP_BROWSER_TESTS=1 (never honoured with CI=true): then
/// the test says loudly that it skips.
pub fn skip_or_fail(missing: &str) {
    let asked_to_skip = std::env::var("DUBEN_SKIP_BROWSER_TESTS").is_ok_and(|v| v == "1");
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        asked_to_skip && !in_ci,
        "{missing}; or set DUBEN_SKIP_BROWSER_TESTS=1 to skip the browser tests"
    );
    say_skipped(missing);
}

/// Tells the person running the tests that one was skipped, on the
/// terminal itself: libtest captures `eprintln!` of passing tests, but not
/// writes to the stderr handle.
pub fn say_skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n*** BROWSER TEST SKIPPED: {why} ***\n");
}

/// How a test's browser is set up.
#[derive(Clone, Copy)]
pub struct Setup {
    pub javascript: bool,
    pub width: u32,
    pub height: u32,
    /// Whether going to a page waits until it has loaded; without, a test
    /// acts on a page still coming in.
    pub wait_for_load: bool,
}

impl Setup {
    /// The default setup in a window of this size.
    #[allow(dead_code)] // Not every test binary that shares the harness sizes its window.
    pub fn sized(width: u32, height: u32) -> Setup {
        Setup {
            width,
            height,
            ..Setup::default()
        }
    }
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            javascript: true,
            width: 1280,
            height: 900,
            wait_for_load: true,
        }
    }
}

/// A browser session; chromedriver is stopped when it is dropped.
pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Stops chromedriver and every Chromium process it started: they share
    /// a process group of their own, and Chromium would otherwise outlive
    /// the test (holding memory and file-watch handles).
    fn drop(&mut self) {
        let group = format!("-{}", self.chromedriver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// A browser for one test, or none (said loudly) where Chromium is missing.
pub async fn start(setup: Setup) -> Option<Browser> {
    if !browser_available() {
        return None;
    }
    Some(browser(setup).await)
}

/// A browser for one test on a touch phone with a 390×844 screen, or none
/// (said loudly) where Chromium is missing.
#[allow(dead_code, reason = "only browser.rs and reading.rs emulate a phone")]
pub async fn start_phone(setup: Setup) -> Option<Browser> {
    let (width, height) = (390, 844);
    let b = start(Setup { width, height, ..setup }).await?;
    b.viewport(width, height, true).await;
    Some(b)
}

pub async fn browser(setup: Setup) -> Browser {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let chromedriver = Command::new(CHROMEDRIVER)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    wait_for_port(port);
    let profile = tempfile::tempdir().unwrap();
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--hide-scrollbars",
        &format!("--window-size={},{}", setup.width, setup.height),
        &format!("--user-data-dir={}", profile.path().display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    if !setup.javascript {
        caps.add_experimental_option(
            "prefs",
            json!({ "profile.managed_default_content_settings.javascript": 2 }),
        )
        .unwrap();
    }
    if !setup.wait_for_load {
        caps.set_page_load_strategy(thirtyfour::PageLoadStrategy::None).unwrap();
    }
    caps.set("goog:loggingPrefs", json!({ "browser": "ALL" })).unwrap();
    // Chromium can miss chromedriver's start-up deadline on a busy machine;
    // a session that fails to start is tried again before the test fails.
    let url = format!("http://127.0.0.1:{port}");
    let mut attempts = 0;
    let driver = loop {
        attempts += 1;
        match WebDriver::new(&url, caps.clone()).await {
            Ok(driver) => break driver,
            Err(error) if attempts < 3 => {
                eprintln!("browser harness: Chromium session did not start ({error}); trying again");
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Err(error) => panic!("a Chromium session starts: {error}"),
        }
    };
    let browser = Browser {
        driver,
        chromedriver,
        _profile: profile,
    };
    browser.viewport(setup.width, setup.height, false).await;
    browser
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Browser {
    pub async fn open(&self, page: &str) {
        self.driver.goto(format!("{}/{page}", site().base)).await.unwrap();
    }

    pub async fn cdp(&self, method: &str, params: Value) -> Value {
        self.driver
            .cdp()
            .send_raw(method, params)
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Sets the layout viewport exactly (Chromium's window has a minimum
    /// width; the emulated viewport does not), optionally as a touch phone.
    pub async fn viewport(&self, width: u32, height: u32, touch: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": touch }),
        )
        .await;
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": touch, "maxTouchPoints": if touch { 5 } else { 1 } }),
        )
        .await;
    }

    pub async fn media(&self, media: &str, color_scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": media, "features": [{ "name": "prefers-color-scheme", "value": color_scheme }] }),
        )
        .await;
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.driver
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
            .json()
            .clone()
    }

    /// Polls `script` (returning a boolean) until true or `limit` passes;
    /// returns how long it took.
    pub async fn wait_until(&self, script: &str, limit: Duration) -> Option<Duration> {
        let start = Instant::now();
        loop {
            if self.js(script, vec![]).await == Value::Bool(true) {
                return Some(start.elapsed());
            }
            if start.elapsed() > limit {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Presses Ctrl+C on the page's selection and returns the plain text
    /// the copy event put on the clipboard.
    #[allow(dead_code, reason = "browser.rs copies nothing; reading.rs and propose.rs do")]
    pub async fn copy_selection(&self) -> String {
        self.js(
            "window.__copied = null;
             window.addEventListener('copy', e => { window.__copied = e.clipboardData.getData('text/plain'); }, { once: true });",
            vec![],
        )
        .await;
        self.driver
            .action_chain()
            .key_down(Key::Control)
            .send_keys("c")
            .key_up(Key::Control)
            .perform()
            .await
            .unwrap();
        let copied = self
            .wait_until("return typeof window.__copied === 'string'", Duration::from_secs(2))
            .await;
        assert!(copied.is_some(), "Ctrl+C copies");
        self.js("return window.__copied", vec![])
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// What axe finds on the page as it is now (`axe` is the text of
    /// axe.min.js), at WCAG 2.1 A and AA and axe's best practices.
    pub async fn axe_violations(&self, axe: &str) -> Vec<String> {
        self.js(axe, vec![]).await;
        let result = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
                    .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.length + ' × ' + v.help)))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        result.convert().unwrap()
    }

    pub async fn severe_console_messages(&self) -> Vec<String> {
        self.driver
            .get_log("browser")
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|entry| entry.level == "SEVERE")
            .map(|entry| entry.message)
            .collect()
    }
}
