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
const COURSE_PAGES: &[&str] = &[
    "index.html",
    "tea/index.html",
    "glossary/index.html",
    "search/index.html?q=%E8%8C%B6",
    "tea/vocabulary/index.html",
    "tea/timeline/index.html",
];

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
            let violations = b.axe_violations(&axe).await;
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

/// Waits for the search page to show its results and returns them as
/// `[kind, link text, href, highlighted text]`.
async fn results(b: &Browser) -> Vec<Value> {
    assert!(
        wait_for(
            b,
            "return /result|No results|英文词/.test(document.querySelector('[data-search-status]').textContent)"
        )
        .await,
        "the search page says what it found"
    );
    let found = b
        .js(
            "return [...document.querySelectorAll('[data-result-kind]')].map(r => [r.dataset.resultKind, r.querySelector('a').textContent, r.querySelector('a').getAttribute('href'), [...r.querySelectorAll('mark')].map(m => m.textContent).join('|')]);",
            vec![],
        )
        .await;
    found.as_array().unwrap().clone()
}

async fn search(b: &Browser, from_disk: bool, query: &str) -> Vec<Value> {
    let page = format!("search/index.html?q={}", urlencode(query));
    if from_disk {
        open_file(b, &page).await;
    } else {
        open(b, &page).await;
    }
    results(b).await
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn has(found: &[Value], kind: &str, href: &str, marked: &str) -> bool {
    found
        .iter()
        .any(|r| r[0] == kind && r[2].as_str().unwrap().ends_with(href) && r[3].as_str().unwrap().contains(marked))
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_paragraphs_notes_terms_and_events_from_disk_and_served() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    for from_disk in [true, false] {
        let found = search(&b, from_disk, "茶馆").await;
        let at = if from_disk { "file://" } else { "http" };
        assert!(
            has(&found, "paragraph", "../tea/index.html#p2", "茶馆"),
            "{at}: {found:?}"
        );
        assert!(
            has(&found, "paragraph", "../tea/index.html#p3", "茶馆"),
            "{at}: {found:?}"
        );
        assert!(
            has(&found, "term", "../glossary/index.html#term-teahouse", "茶馆"),
            "{at}: {found:?}"
        );
        assert!(
            has(&found, "event", "../timeline/index.html#event-2024-teahouse", "茶馆"),
            "{at}: {found:?}"
        );
        // Groups come in a fixed order, each under its heading.
        let kinds: Vec<&str> = found.iter().map(|r| r[0].as_str().unwrap()).collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| ["paragraph", "note", "term", "event"].iter().position(|x| x == k));
        assert_eq!(kinds, sorted, "{at}: grouped by kind");

        let found = search(&b, from_disk, "kettle").await;
        assert!(has(&found, "note", "../tea/index.html#p3", "kettle"), "{at}: {found:?}");
        let found = search(&b, from_disk, "new year's EVE").await;
        assert!(has(&found, "event", "#event-2023-eve", "Eve"), "{at}: {found:?}");
        let errors = b.severe_console_messages().await;
        assert!(errors.is_empty(), "{at}: {errors:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn chinese_matches_across_white_space_and_full_or_half_width() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    // The text has "适合在 工作 之前喝" and "在2019年扩建".
    let found = search(&b, false, "在工作之前").await;
    assert!(
        has(&found, "paragraph", "tea/index.html#p1", "在 工作 之前"),
        "{found:?}"
    );
    let found = search(&b, false, "绿 茶").await;
    assert!(has(&found, "paragraph", "tea/index.html#p1", "绿茶"), "{found:?}");
    let found = search(&b, false, "２０１９ 年扩建").await;
    assert!(
        has(&found, "paragraph", "libraries/index.html#p2", "2019年扩建"),
        "{found:?}"
    );
    let found = search(&b, false, "ＧＲＥＥＮ Ｔｅａ").await;
    assert!(has(&found, "term", "#term-green-tea", "green"), "{found:?}");
    let found = search(&b, false, "茶叶店").await;
    assert!(found.is_empty(), "no false matches: {found:?}");
    let status = b
        .js(
            "return document.querySelector('[data-search-status]').textContent",
            vec![],
        )
        .await;
    assert_eq!(status, Value::from("没有找到结果 · No results"));
}

#[tokio::test(flavor = "multi_thread")]
async fn pinyin_matches_without_tones_or_spaces() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    for query in ["lucha", "lǜchá", "lu cha"] {
        let found = search(&b, true, query).await;
        assert!(has(&found, "term", "#term-green-tea", ""), "{query}: {found:?}");
    }
    for query in ["cha guan", "chaguan", "CHÁGUǍN"] {
        let found = search(&b, true, query).await;
        assert!(has(&found, "term", "#term-teahouse", ""), "{query}: {found:?}");
    }
    let found = search(&b, true, "tai ji quan").await;
    assert!(has(&found, "term", "#term-tai-chi", ""), "{found:?}");
}

/// The page folds a query as the build folded the text it indexed
/// (`normalize::fold_char`): a character folded differently is a key the
/// index does not have, and a query for it finds nothing.
#[tokio::test(flavor = "multi_thread")]
async fn the_search_page_folds_a_query_as_the_index_was_folded() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    open(&b, "search/index.html").await;
    let ranges = [0x80..0x3100u32, 0xff00..0xfff0];
    let chars: Vec<char> = ranges.into_iter().flatten().filter_map(char::from_u32).collect();
    let codes: Vec<u32> = chars.iter().map(|&c| c as u32).collect();
    let folded = b
        .js(
            "return arguments[0].map(c => window.dubenSearch.fold(String.fromCodePoint(c)));",
            vec![json!(codes)],
        )
        .await;
    let differ: Vec<String> = chars
        .iter()
        .zip(folded.as_array().unwrap())
        .filter(|(c, js)| js.as_str() != Some(duben::normalize::fold_char(**c).to_string().as_str()))
        .map(|(c, js)| {
            format!(
                "U+{:04X} {c}: build {:?}, page {js}",
                *c as u32,
                duben::normalize::fold_char(*c)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "{} differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
}

/// One Chinese character has no character pair to look up. On the included
/// site, whose index is too large to load whole for a query, the character
/// is a key of its own: the query finds it and loads only the chunks that
/// hold it.
#[tokio::test(flavor = "multi_thread")]
async fn one_chinese_character_is_found_on_a_site_too_large_to_load_whole() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let site = harness::site();
    for base in [site.base.clone(), format!("file://{}", site.dir.display())] {
        b.driver
            .goto(format!("{base}/search/index.html?q={}", urlencode("歼")))
            .await
            .unwrap();
        let found = results(&b).await;
        let paragraphs: Vec<&Value> = found.iter().filter(|r| r[0] == "paragraph").collect();
        assert!(!paragraphs.is_empty(), "{base}: {found:?}");
        assert!(
            found.iter().all(|r| r[3] == "歼"),
            "{base}: only 歼 is marked: {found:?}"
        );
        let loaded = b
            .js(
                "return window.dubenSearch.last.files.filter(f => f.startsWith('c/')).length;",
                vec![],
            )
            .await;
        let chunks = std::fs::read_dir(site.dir.join("search/c")).unwrap().count();
        let chunks_loaded = loaded.as_u64().unwrap() as usize;
        assert!(
            chunks_loaded >= 1 && chunks_loaded < chunks,
            "{base}: {chunks_loaded} of {chunks} chunks loaded"
        );
        let status = b
            .js(
                "return document.querySelector('[data-search-status]').textContent;",
                vec![],
            )
            .await;
        assert!(!status.as_str().unwrap().contains("英文词"), "{base}: {status}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn search_works_by_keyboard_alone_and_is_announced() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    open(&b, "tea/index.html").await;
    let keys = |k: &str| {
        let k = k.to_owned();
        let b = &b;
        async move { b.driver.action_chain().send_keys(k).perform().await.unwrap() }
    };
    keys("/").await;
    let focused = b
        .js(
            "return document.activeElement.matches('header input[type=search]')",
            vec![],
        )
        .await;
    assert_eq!(focused, json!(true), "/ focuses the header's search box");
    keys("茶馆").await;
    keys("\u{E007}").await;
    let found = results(&b).await;
    assert!(!found.is_empty());
    let url = b.driver.current_url().await.unwrap().to_string();
    assert!(url.contains("search/index.html?q=%E8%8C%B6%E9%A6%86"), "{url}");
    let status = b
        .js(
            "return document.querySelector('[role=status][data-search-status]').textContent",
            vec![],
        )
        .await;
    assert!(status.as_str().unwrap().contains("results: "), "{status}");
    // ↓ from the field to the first result, ↓ to the next, ↑ back, Enter follows.
    let field = b.driver.find(thirtyfour::By::Css("input[type=search]")).await.unwrap();
    field.focus().await.unwrap();
    keys("\u{E015}").await;
    let first = b.js("return document.activeElement.getAttribute('href')", vec![]).await;
    assert_eq!(first, Value::from(found[0][2].as_str().unwrap()));
    keys("\u{E015}").await;
    let second = b.js("return document.activeElement.getAttribute('href')", vec![]).await;
    assert_eq!(second, Value::from(found[1][2].as_str().unwrap()));
    keys("\u{E013}").await;
    keys("\u{E013}").await;
    let back = b.js("return document.activeElement.id", vec![]).await;
    assert_eq!(
        back,
        Value::from("search-query"),
        "↑ from the first result returns to the field"
    );
    keys("\u{E015}").await;
    keys("\u{E007}").await;
    assert!(
        wait_for(
            &b,
            "return location.pathname.endsWith('/tea/index.html') && location.hash === '#p2'"
        )
        .await,
        "Enter opens the paragraph"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_glossary_filter_says_when_nothing_matches_without_moving_the_page() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    open(&b, "glossary/index.html").await;
    let top = "return document.querySelector('.category').getBoundingClientRect().top";
    let before = b.js(top, vec![]).await;
    let field = b.driver.find(thirtyfour::By::Css("[data-filter] input")).await.unwrap();
    field.send_keys("zzzz").await.unwrap();
    assert!(
        wait_for(
            &b,
            "return document.querySelector('[data-filter] [role=status]').textContent.includes('No terms match')"
        )
        .await
    );
    let status = b
        .js(
            "return document.querySelector('[data-filter] [role=status]').textContent",
            vec![],
        )
        .await;
    assert_eq!(status, Value::from("没有匹配的术语 · No terms match “zzzz”"));
    // Every category is hidden now; the filter itself has not moved.
    let filter_top = "return document.querySelector('[data-filter]').getBoundingClientRect().bottom";
    let after = b.js(filter_top, vec![]).await.as_f64().unwrap();
    assert!(
        after <= before.as_f64().unwrap() + 0.5,
        "the filter grew: {after} > {before}"
    );
    field.clear().await.unwrap();
    field.send_keys(" ").await.unwrap();
    assert!(
        wait_for(
            &b,
            &format!(
                "return Math.abs(({}) - {}) < 0.5",
                top.trim_start_matches("return "),
                before
            )
        )
        .await,
        "the page comes back where it was"
    );
}

/// Standard base64, as Chromium returns a PDF.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// Page count of a PDF, from its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vocabulary_prints_as_a_short_handout_with_nothing_cut() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    // The included site's reading: the real handout.
    b.open("yao-2019/vocabulary/index.html").await;
    let terms = b
        .js(
            "return [...document.querySelectorAll('tbody .headword')].map(e => e.textContent)",
            vec![],
        )
        .await;
    let terms: Vec<String> = serde_json::from_value(terms).unwrap();
    assert!(terms.len() > 100, "{} terms", terms.len());
    b.media("print", "light").await;
    let hidden = b
        .js("return ['header.site-header', '.vocabulary-tools'].every(s => { const e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; })", vec![])
        .await;
    assert_eq!(hidden, json!(true), "navigation and downloads are not printed");
    let pdf = b
        .cdp(
            "Page.printToPDF",
            json!({ "preferCSSPageSize": true, "printBackground": false }),
        )
        .await;
    let bytes = base64_decode(pdf["data"].as_str().unwrap());
    let pages = pdf_pages(&bytes);
    eprintln!("vocabulary handout: {} terms on {pages} pages", terms.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vocabulary.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    let missing: Vec<&String> = terms.iter().filter(|t| !text.contains(t.as_str())).collect();
    assert!(missing.is_empty(), "cut from the printout: {missing:?}");
    // 174 terms, one line each: three A4 pages, two sheets printed on
    // both sides (five pages before terms were one line each).
    assert!(pages <= 3, "{pages} pages");
}
