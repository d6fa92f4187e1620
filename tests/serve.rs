//! `duben serve` over a copy of a fixture site: pages come with the reload
//! script and the right content types, nothing outside the output is served,
//! a save rebuilds and reloads, and a broken file shows its errors in the
//! page until it is fixed. Only 127.0.0.1; every wait has a deadline.

mod common;
// Only its Chromium session is used here, not the repository site it builds.
#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{scratch_copy, select, text_of};

/// How long any one step may take before the test gives up.
const DEADLINE: Duration = Duration::from_secs(20);

/// A running `duben serve`; killed when dropped, whatever the test did.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// `duben serve` on `root` with more command-line arguments.
    fn start_with(root: &Path, more: &[&std::ffi::OsStr]) -> Server {
        let binary = assert_cmd::cargo::cargo_bin("duben");
        let mut child = std::process::Command::new(binary)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(more)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("duben serve starts");
        let mut stderr = child.stderr.take().unwrap();
        // Kept for the failure message; read all along so the pipe never fills.
        let (log_sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            let _ = log_sender.send(text);
        });
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
        };
        let Ok(line) = received.recv_timeout(DEADLINE) else {
            let _ = server.child.kill();
            let log = log.recv_timeout(DEADLINE).unwrap_or_default();
            panic!("serve printed no address; it said:\n{log}");
        };
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        assert!(url.starts_with("http://127.0.0.1:"), "serves on 127.0.0.1 only: {url}");
        server.url = url.to_owned();
        server
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        client()
            .get(format!("{}{}", self.url, path.trim_start_matches('/')))
            .send()
            .unwrap()
    }

    fn page(&self, path: &str) -> scraper::Html {
        let response = self.get(path);
        assert_eq!(response.status(), 200, "{path}");
        scraper::Html::parse_document(&response.text().unwrap())
    }

    /// Sends the path exactly as written: an HTTP client library would
    /// normalise `..` and `%2e%2e` away before they reach the server.
    fn raw_status(&self, path: &str) -> (u16, String) {
        self.raw_status_for(path, self.address())
    }

    fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    /// As `raw_status`, with the `Host` header given.
    fn raw_status_for(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.address()).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .parse()
            .unwrap_or(0);
        (status, response)
    }

    fn events(&self) -> Events {
        let response = client().get(format!("{}__duben/events", self.url)).send().unwrap();
        assert_eq!(response.status(), 200);
        let (events, received) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_owned();
                } else if let Some(data) = line.strip_prefix("data:") {
                    let data: serde_json::Value = serde_json::from_str(data.trim()).unwrap();
                    if events.send((std::mem::take(&mut name), data, Instant::now())).is_err() {
                        break;
                    }
                }
            }
        });
        Events(received)
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(DEADLINE).build().unwrap()
}

/// The server's events, in order: (name, JSON data, when it arrived).
struct Events(mpsc::Receiver<(String, serde_json::Value, Instant)>);

impl Events {
    fn next(&self) -> (String, serde_json::Value, Instant) {
        self.0.recv_timeout(DEADLINE).expect("an event arrives")
    }

    /// The next event that is not a preview of saved articles: the outcome
    /// of a whole rebuild.
    fn next_rebuild(&self) -> (String, serde_json::Value, Instant) {
        loop {
            let event = self.next();
            if event.0 != "reload" || event.1.get("only").is_none() {
                return event;
            }
        }
    }
}

fn has_reload_script(page: &scraper::Html) -> bool {
    select(page, "script")
        .iter()
        .any(|s| text_of(s).contains("/__duben/events"))
}

#[test]
fn pages_come_with_the_reload_script_and_a_charset() {
    let site = scratch_copy("basic");
    let server = Server::start(site.path());

    let home = server.page("/");
    assert!(has_reload_script(&home), "the served page listens for rebuilds");
    let built = common::html(&site.path().join("public/index.html"));
    assert!(
        !has_reload_script(&built),
        "the built file on disk has no reload script"
    );

    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/first/", "text/html; charset=utf-8"),
        ("/static/duben.css", "text/css; charset=utf-8"),
        ("/static/duben.js", "text/javascript; charset=utf-8"),
        ("/static/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], expected, "{path}");
    }
}

#[test]
fn output_chooses_where_the_served_site_is_written() {
    let site = scratch_copy("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let output = elsewhere.path().join("site");
    let server = Server::start_with(site.path(), &["--output".as_ref(), output.as_os_str()]);

    let home = server.page("/");
    assert!(has_reload_script(&home), "the page is served");
    assert!(output.join("index.html").is_file(), "built into --output");
    assert!(!site.path().join("public").exists(), "not into the default folder");
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = scratch_copy("basic");
    let server = Server::start(site.path());
    for probe in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/site.toml",
        "/..%2fsite.toml",
        "/..%5csite.toml",
        "//etc/passwd",
        "/static/../../site.toml",
        "/site.toml",
    ] {
        let (status, response) = server.raw_status(probe);
        assert_eq!(status, 404, "{probe} is refused");
        assert!(!response.contains("[glossary]"), "{probe} leaked site.toml");
    }
}

#[test]
fn only_requests_for_this_computer_are_answered() {
    let site = scratch_copy("basic");
    let server = Server::start(site.path());
    let port = server.address().rsplit_once(':').unwrap().1.to_owned();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
    ] {
        assert_eq!(server.raw_status_for("/", &host).0, 200, "{host} is this computer");
    }
    // A page elsewhere whose domain was pointed at 127.0.0.1 (DNS rebinding).
    for host in [format!("evil.example:{port}"), format!("127.0.0.1.evil.example:{port}")] {
        for path in ["/", "/__duben/events"] {
            let (status, response) = server.raw_status_for(path, &host);
            assert_eq!(status, 403, "{host}{path} is refused");
            assert!(response.contains("127.0.0.1, localhost or [::1] only"), "{response}");
            assert!(!response.contains("<html"), "no page of the site: {response}");
        }
    }
}

#[test]
fn a_save_reloads_and_a_broken_file_shows_its_errors_until_fixed() {
    let site = scratch_copy("basic");
    let server = Server::start(site.path());
    let events = server.events();
    assert_eq!(events.next().0, "hello", "a good site says hello on connecting");

    let text = site.path().join("content/second/text.md");
    let saved = Instant::now();
    fs::write(&text, "第二篇也提到联合公报。\n\n新加的一段。\n").unwrap();
    let (name, data, arrived) = events.next();
    assert_eq!(name, "reload");
    assert_eq!(
        data["only"],
        serde_json::json!(["second"]),
        "the saved article is shown first: {data}"
    );
    eprintln!("save to reload event: {} ms", arrived.duration_since(saved).as_millis());
    let reader = server.page("/second/");
    let paragraphs: Vec<String> = select(&reader, "#p2").iter().map(text_of).collect();
    assert!(paragraphs.iter().any(|p| p.contains("新加的一段")), "{paragraphs:?}");
    let (name, data, _) = events.next();
    assert_eq!(name, "reload");
    assert_eq!(
        data["except"],
        serde_json::json!(["second"]),
        "then the rest of the site, which reloads every page but the article's: {data}"
    );
    assert_eq!(
        server.page("/second/").html(),
        reader.html(),
        "the preview was the page itself"
    );

    let glossary = site.path().join("content/glossary.toml");
    let good = fs::read_to_string(&glossary).unwrap();
    let broken_line = good.lines().count() + 2;
    fs::write(&glossary, format!("{good}\n[[term]\n")).unwrap();
    let (name, data, _) = events.next();
    assert_eq!(name, "build-error");
    let report = data["report"].as_str().unwrap();
    assert!(
        report.contains(&format!("content/glossary.toml:{broken_line}:")),
        "the report names the file and line:\n{report}"
    );
    let still = server.page("/second/");
    assert!(has_reload_script(&still), "the last good page is still served");
    assert!(text_of(&select(&still, "#p2")[0]).contains("新加的一段"));
    let late = server.events();
    assert_eq!(
        late.next().0,
        "build-error",
        "a page opened now sees the errors at once"
    );

    fs::write(&glossary, good).unwrap();
    assert_eq!(events.next().0, "reload", "the next good save recovers");
    assert_eq!(late.next().0, "reload");
}

#[test]
fn pages_requested_during_rebuilds_are_always_whole() {
    let site = scratch_copy("basic");
    let server = Server::start(site.path());
    let events = server.events();
    assert_eq!(events.next().0, "hello");
    // Two readers ask for pages as fast as they can while ten saves
    // rebuild the site under them: every answer is a whole page (the new
    // one or the old), never a missing file or a cut one.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = ["/second/", "/glossary/"]
        .into_iter()
        .map(|path| {
            let url = format!("{}{}", server.url, path.trim_start_matches('/'));
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                let client = client();
                let mut answers = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && answers < 5_000 {
                    let response = client.get(&url).send().unwrap();
                    let status = response.status();
                    let body = response.text().unwrap();
                    assert_eq!(status, 200, "{url} during a rebuild:\n{body}");
                    assert!(
                        body.trim_end().ends_with("</html>"),
                        "{url} whole: …{}",
                        &body[body.len().saturating_sub(200)..]
                    );
                    answers += 1;
                }
                answers
            })
        })
        .collect();
    let text = site.path().join("content/second/text.md");
    for n in 0..10 {
        fs::write(&text, format!("第二篇也提到联合公报。\n\n第{n}次保存。\n")).unwrap();
        assert_eq!(events.next_rebuild().0, "reload", "save {n}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for reader in readers {
        let answers = reader.join().expect("every answer was whole");
        assert!(answers > 10, "{answers} requests answered during the rebuilds");
    }
    assert!(text_of(&select(&server.page("/second/"), "#p2")[0]).contains("第9次保存"));
}

#[test]
fn a_site_broken_from_the_start_still_shows_its_errors() {
    let site = scratch_copy("basic");
    fs::write(site.path().join("site.toml"), "title = \"测试\"\ntitel_en = \"typo\"\n").unwrap();
    let server = Server::start(site.path());

    let response = server.get("/");
    assert_eq!(response.status(), 404);
    let page = scraper::Html::parse_document(&response.text().unwrap());
    assert!(has_reload_script(&page), "the stand-in page can show the errors");
    let (name, data, _) = server.events().next();
    assert_eq!(name, "build-error");
    assert!(data["report"].as_str().unwrap().contains("site.toml:2:"), "{data}");
}

/// The same story in Chromium: the page reloads itself after a save, shows
/// the errors over the last good page after a broken one, and recovers.
#[tokio::test(flavor = "multi_thread")]
async fn the_browser_reloads_and_shows_errors_in_an_overlay() {
    if !harness::browser_available() {
        return;
    }
    let site = scratch_copy("basic");
    let server = Server::start(site.path());
    let browser = harness::browser(harness::Setup::default()).await;
    browser.driver.goto(format!("{}second/", server.url)).await.unwrap();
    let wait = |script: &'static str| browser.wait_until(script, DEADLINE);
    // Wait for the event stream, so the save below is not missed.
    let listening = wait("return document.documentElement.hasAttribute('data-duben-live')").await;
    assert!(listening.is_some(), "the page connects to the event stream");

    let saved = Instant::now();
    let saved_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0;
    fs::write(
        site.path().join("content/second/text.md"),
        "第二篇也提到联合公报。\n\n浏览器里的新段落。\n",
    )
    .unwrap();
    let reloaded = wait("return document.body.textContent.includes('浏览器里的新段落')").await;
    assert!(reloaded.is_some(), "the page reloads itself after a save");
    let started_at = browser.js("return performance.timeOrigin", vec![]).await;
    let loaded_at = browser
        .js("return performance.timing.domContentLoadedEventEnd", vec![])
        .await;
    eprintln!(
        "Chromium: save to reload start {:.0} ms, to new page's DOMContentLoaded {:.0} ms (seen by polling after {} ms)",
        started_at.as_f64().unwrap_or_default() - saved_at,
        loaded_at.as_f64().unwrap_or_default() - saved_at,
        saved.elapsed().as_millis()
    );

    let glossary = site.path().join("content/glossary.toml");
    let good = fs::read_to_string(&glossary).unwrap();
    fs::write(&glossary, format!("{good}\n[[term]\n")).unwrap();
    let shown = wait(
        "const o = document.getElementById('duben-build-errors'); \
         return !!o && !o.hidden && o.textContent.includes('content/glossary.toml:')",
    )
    .await;
    assert!(shown.is_some(), "the errors show over the page, with file and line");
    assert!(
        browser
            .js("return document.body.textContent.includes('浏览器里的新段落')", vec![])
            .await
            == true,
        "the last good page stays behind the overlay"
    );

    fs::write(&glossary, good).unwrap();
    let recovered = wait("return !document.getElementById('duben-build-errors')").await;
    assert!(
        recovered.is_some(),
        "the next good save reloads the page without the overlay"
    );
}
