//! The course in a real browser (tests/fixtures/course, built and served
//! once): progress kept and cleared, search from disk and over HTTP, by
//! keyboard alone, the vocabulary handout printed, axe and html-validate on
//! every page the course adds. See browser/harness.rs for a missing Chromium.

#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use harness::{Browser, Setup, Site, build_and_serve, start};
use serde_json::{Value, json};

fn course() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| build_and_serve(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course")))
}

async fn open(b: &Browser, page: &str) {
    b.driver.goto(format!("{}/{page}", course().base)).await.unwrap();
}

/// The same page opened from disk.
#[allow(dead_code)]
async fn open_file(b: &Browser, page: &str) {
    b.driver
        .goto(format!("file://{}/{page}", course().dir.display()))
        .await
        .unwrap();
}

async fn progress_of(b: &Browser, slug: &str) -> String {
    let value = b
        .js(
            "const line = document.querySelector('[data-reading=\"' + arguments[0] + '\"] [data-progress]'); return line ? line.textContent : null;",
            vec![json!(slug)],
        )
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

async fn wait_for(b: &Browser, script: &str) -> bool {
    b.wait_until(script, Duration::from_secs(5)).await.is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_is_kept_across_visits_and_can_be_cleared() {
    let Some(b) = start(Setup {
        height: 150,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    open(&b, "index.html").await;
    assert_eq!(progress_of(&b, "tea").await, "未开始 · not started");

    // Part of a reading: only the first paragraphs come into view.
    open(&b, "city-parks/index.html").await;
    b.js(
        "document.getElementById('p1').scrollIntoView({ block: 'start' });",
        vec![],
    )
    .await;
    assert!(
        wait_for(
            &b,
            "return (JSON.parse(localStorage.getItem('duben.progress') || '{}')['city-parks'] || {}).read >= 1"
        )
        .await,
        "reading ¶1 is remembered"
    );
    // The whole of another: its last paragraph reached.
    open(&b, "tea/index.html").await;
    b.js(
        "document.getElementById('p4').scrollIntoView({ block: 'center' });",
        vec![],
    )
    .await;
    assert!(
        wait_for(
            &b,
            "return (JSON.parse(localStorage.getItem('duben.progress') || '{}').tea || {}).read === 4"
        )
        .await,
        "reaching the last paragraph is remembered"
    );

    open(&b, "index.html").await;
    assert_eq!(progress_of(&b, "tea").await, "已读完 · finished");
    let parks = progress_of(&b, "city-parks").await;
    assert!(
        parks.ends_with("of 3") && parks.contains("read to ¶") && !parks.contains("¶3"),
        "partly read: {parks:?}"
    );
    assert_eq!(progress_of(&b, "spring-festival").await, "未开始 · not started");

    // A new visit (reload) still shows it.
    b.driver.refresh().await.unwrap();
    assert_eq!(progress_of(&b, "tea").await, "已读完 · finished");

    // Clearing it, by keyboard.
    let button = b
        .driver
        .find(thirtyfour::By::Css("[data-progress-clear]"))
        .await
        .unwrap();
    button.focus().await.unwrap();
    b.driver
        .action_chain()
        .send_keys(thirtyfour::Key::Enter)
        .perform()
        .await
        .unwrap();
    assert_eq!(progress_of(&b, "tea").await, "未开始 · not started");
    assert_eq!(progress_of(&b, "city-parks").await, "未开始 · not started");
    let status = b
        .js(
            "return document.querySelector('[data-progress-tools] [role=status]').textContent",
            vec![],
        )
        .await;
    assert_eq!(status, Value::from("进度已清除 · Progress cleared"));
    b.driver.refresh().await.unwrap();
    assert_eq!(progress_of(&b, "tea").await, "未开始 · not started");
}

/// The pinned tool at `relative` under tests/browser-tools/node_modules, or
/// none after saying loudly that the test skips (a failure with CI=true).
fn browser_tool(relative: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser-tools/node_modules")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing: run `npm ci --prefix tests/browser-tools`",
        path.display()
    );
    harness::say_skipped(&format!(
        "{} is missing; run `npm ci --prefix tests/browser-tools`",
        path.display()
    ));
    None
}

/// Every page kind the course adds, and the pages it changes.
const COURSE_PAGES: &[&str] = &["index.html", "tea/index.html", "glossary/index.html"];

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_violations_on_the_course_pages() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let Some(axe) = browser_tool("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut report = Vec::new();
    for scheme in ["light", "dark"] {
        b.media("screen", scheme).await;
        for page in COURSE_PAGES {
            open(&b, page).await;
            b.js(&axe, vec![]).await;
            let result = b
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
            let violations: Vec<String> = result.convert().unwrap();
            report.extend(violations.into_iter().map(|v| format!("{scheme} {page}: {v}")));
        }
    }
    assert!(report.is_empty(), "axe violations:\n{}", report.join("\n"));
}

#[test]
fn every_course_page_passes_html_validate() {
    let Some(cli) = browser_tool(".bin/html-validate") else {
        return;
    };
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser-tools");
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&course().dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(files.len() >= 9, "{files:?}");
    let output = std::process::Command::new(&cli)
        .arg("--config")
        .arg(tools.join(".htmlvalidate.json"))
        .args(&files)
        .output()
        .expect("html-validate runs");
    assert!(
        output.status.success(),
        "html-validate found errors:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
