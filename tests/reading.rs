//! The reader as students use it, in a real browser: printing (counted in
//! a PDF with pdftotext), copying a passage, card headings for other forms,
//! "cite this paragraph", what "Skip to content" highlights, external links,
//! the credits and rights on the reader and About pages, reading settings
//! and notes in the margin.

// Shared with browser.rs, which uses all of it.
#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use harness::{Browser, Setup, site, start, start_phone};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const READER: &str = "yao-2019/index.html";

/// pdfinfo and pdftotext (poppler-utils), or none after saying loudly that
/// the test skips (a failure with CI=true).
fn poppler() -> bool {
    let present = ["pdfinfo", "pdftotext"]
        .iter()
        .all(|tool| Command::new(tool).arg("-v").output().is_ok());
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but pdfinfo/pdftotext are missing: apt-get install poppler-utils"
        );
        harness::say_skipped("pdfinfo/pdftotext not found; apt-get install poppler-utils");
    }
    present
}

/// The page printed to an A4 PDF by Chromium; the text of each page.
async fn print_pages(b: &Browser, dir: &Path, name: &str) -> Vec<String> {
    let printed = b
        .cdp(
            "Page.printToPDF",
            json!({ "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": false }),
        )
        .await;
    let data = printed["data"].as_str().expect("a PDF");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
    let pdf = dir.join(name);
    std::fs::write(&pdf, bytes).unwrap();
    if let Ok(keep) = std::env::var("DUBEN_KEEP_PDF") {
        std::fs::copy(&pdf, Path::new(&keep).join(name)).unwrap();
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    (1..=pages)
        .map(|page| {
            let n = page.to_string();
            let out = Command::new("pdftotext")
                .args(["-f", &n, "-l", &n, "-enc", "UTF-8"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// No page is blank or mostly blank: each but the last carries at least
/// half as much text as the median page, and the last has more than a
/// stray line.
fn assert_no_blank_pages(pages: &[String], what: &str) {
    let mut sizes: Vec<usize> = pages.iter().map(|p| squeeze(p).chars().count()).collect();
    let counted = sizes.clone();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    for (i, size) in counted.iter().enumerate() {
        let last = i + 1 == counted.len();
        let least = if last { 20 } else { median / 2 };
        assert!(
            *size >= least,
            "{what}: page {} of {} carries {size} characters (median {median}): {counted:?}",
            i + 1,
            counted.len()
        );
    }
}

async fn paragraph_start(b: &Browser, number: u32) -> String {
    b.js(
        "const p = document.getElementById('p' + arguments[0]).cloneNode(true);
         p.querySelectorAll('.pnum, sup').forEach(e => e.remove());
         return p.textContent.replace(/\\s+/g, '').slice(0, 8);",
        vec![json!(number)],
    )
    .await
    .as_str()
    .unwrap()
    .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_printed_reading_has_citation_abstract_numbers_and_terms_and_no_blank_pages() {
    if !poppler() {
        return;
    }
    // A phone-width window folds the sidebar: printing must unfold it.
    let Some(b) = start(Setup {
        width: 700,
        height: 900,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    b.open(READER).await;
    let dir = tempfile::tempdir().unwrap();
    let p12 = paragraph_start(&b, 12).await;
    b.media("print", "light").await;
    let underline = b
        .js(
            "return getComputedStyle(document.querySelector('main a.term')).textDecorationLine",
            vec![],
        )
        .await;
    assert_eq!(underline, json!("none"), "term underlines do not print");
    // No media override: printing uses print media.
    b.media("", "light").await;

    let pages = print_pages(&b, dir.path(), "plain.pdf").await;
    assert_no_blank_pages(&pages, "without translations");
    let all = squeeze(&pages.concat());
    let first = squeeze(&pages[0]);
    assert!(first.contains("Citeas"), "the first page carries the citation: {first}");
    assert!(
        first.contains("姚云竹.中美军事关系"),
        "the citation names author and title: {first}"
    );
    assert!(
        first.contains("/yao-2019/index.html"),
        "and the reading's address: {first}"
    );
    assert!(
        all.contains("Fortyyearsago,basedprimarily"),
        "the English abstract prints, not just its heading"
    );
    assert!(all.contains("40年前，地缘战略考虑"), "the Chinese abstract prints");
    assert!(all.contains(&format!("12{p12}")), "¶12 prints with its number: {p12}");
    assert!(all.contains("Termsinthisreading"), "a term list ends the reading");
    assert!(all.contains("Strategicbomber"), "with the terms' English");
    assert!(!all.contains("English translation"), "no buttons print");

    b.driver
        .find(By::Css("button[data-toggle=translations]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let translated = print_pages(&b, dir.path(), "translated.pdf").await;
    assert_no_blank_pages(&translated, "with translations");
    assert!(translated.len() > pages.len(), "translations add pages");
    assert!(
        squeeze(&translated.concat()).contains("On16December1978"),
        "translations print when switched on"
    );
    // Leave the remembered choice as it was for other tests' profiles.
    b.js("localStorage.clear()", vec![]).await;
}

/// Selects from the middle of ¶`from` to the middle of ¶`to`, presses
/// Ctrl+C and returns what the copy event put on the clipboard.
async fn copy_across(b: &Browser, from: u32, to: u32) -> String {
    b.js(
        "const text = p => [...p.childNodes].filter(n => n.nodeType === 3 && n.data.trim().length > 4);
         const a = text(document.getElementById('p' + arguments[0]))[0];
         const z = text(document.getElementById('p' + arguments[1]))[0];
         const r = document.createRange();
         r.setStart(a, Math.floor(a.data.length / 2));
         r.setEnd(z, Math.floor(z.data.length / 2));
         const s = getSelection(); s.removeAllRanges(); s.addRange(r);",
        vec![json!(from), json!(to)],
    )
    .await;
    b.copy_selection().await
}

#[tokio::test(flavor = "multi_thread")]
async fn copying_a_passage_gives_the_authors_text_in_paragraphs() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    // With translations shown, a selection across paragraphs crosses
    // numbers, notes, translations and event markers.
    b.driver
        .find(By::Css("button[data-toggle=translations]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let copied = copy_across(&b, 11, 13).await;
    let expected = b
        .js(
            "const clean = id => { const p = document.getElementById(id).cloneNode(true);
               p.querySelectorAll('.pnum, sup').forEach(e => e.remove()); return p.textContent.trim(); };
             const t11 = clean('p11'), t12 = clean('p12'), t13 = clean('p13');
             return [t11, t12, t13];",
            vec![],
        )
        .await;
    let parts: Vec<&str> = copied.split("\n\n").collect();
    assert_eq!(parts.len(), 3, "three paragraphs, separated by blank lines: {copied:?}");
    assert_eq!(parts[1], expected[1].as_str().unwrap(), "¶12 whole, as written");
    assert!(
        parts[0].len() > 10 && expected[0].as_str().unwrap().ends_with(parts[0]),
        "the end of ¶11: {copied:?}"
    );
    assert!(
        !parts[2].is_empty() && expected[2].as_str().unwrap().starts_with(parts[2]),
        "the start of ¶13: {copied:?}"
    );
    assert!(!copied.contains("\n\n12"), "no paragraph number fused with the text");
    assert!(
        !copied.chars().any(|c| c.is_ascii_lowercase()),
        "no English from notes or translations: {copied:?}"
    );
    b.js("localStorage.clear()", vec![]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_term_written_as_another_form_heads_its_card_with_that_form() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    // The card files load once the page is painted; from then on focusing
    // a term shows its card at once.
    let every_card_shows = "for (const t of document.querySelectorAll('main a.term[data-term]')) {
           t.focus();
           const c = document.querySelector('[role=tooltip]');
           if (!c || c.hidden) return false;
         }
         return true;";
    assert!(
        b.wait_until(every_card_shows, Duration::from_secs(10)).await.is_some(),
        "every term of the page gets its card"
    );
    let heads = b
        .js(
            "const out = [];
             for (const t of document.querySelectorAll('main a.term[data-term]')) {
               t.focus();
               const h = document.querySelector('[role=tooltip] .card-head');
               const form = h.querySelector('.card-form');
               const headword = h.querySelector('.card-headword') || h.querySelector('b');
               out.push({ text: t.textContent, form: form && form.textContent,
                          headword: headword.textContent, head: h.textContent,
                          bold: h.querySelectorAll('b').length });
             }
             return out;",
            vec![],
        )
        .await;
    let heads = heads.as_array().unwrap();
    let (other, plain): (Vec<&Value>, Vec<&Value>) = heads.iter().partition(|h| !h["form"].is_null());
    assert!(other.len() >= 5, "the text writes some terms in other forms: {other:?}");
    for head in other {
        let (text, form, headword) = (
            head["text"].as_str().unwrap(),
            head["form"].as_str().unwrap(),
            head["headword"].as_str().unwrap(),
        );
        assert_eq!(form, text, "the card is headed by the form in the text");
        assert_ne!(form, headword);
        let whole = head["head"].as_str().unwrap();
        let after = whole
            .strip_prefix(form)
            .unwrap_or_else(|| panic!("the form comes first: {whole}"));
        assert!(after.contains(headword), "the headword follows the form: {whole}");
    }
    assert!(!plain.is_empty());
    for head in plain {
        assert_eq!(
            head["headword"], head["text"],
            "a term written as its headword keeps it"
        );
        assert_eq!(head["bold"], json!(1), "and a plain heading");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paragraph_number_offers_its_citation_in_three_styles() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    b.cdp(
        "Browser.grantPermissions",
        json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": site().base }),
    )
    .await;
    let number = b.driver.find(By::Css("#p12 > a.pnum")).await.unwrap();
    number.scroll_into_view().await.unwrap();
    number.click().await.unwrap();
    let panel = b
        .wait_until(
            "const p = document.querySelector('[data-cite]'); return !!p && p.getClientRects().length > 0",
            Duration::from_secs(1),
        )
        .await;
    assert!(panel.is_some(), "clicking ¶12 opens the citation panel");
    assert!(
        b.driver.current_url().await.unwrap().fragment().is_none(),
        "and stays where the reader is"
    );
    let text = b
        .js("return document.querySelector('[data-cite]').textContent", vec![])
        .await;
    let text = text.as_str().unwrap();
    for part in [
        "GB/T 7714-2015",
        "APA 7",
        "Chicago",
        "姚云竹. 中美军事关系：从准同盟到竞争对手？[J]",
        "第12段",
        "(Yao, 2019, para. 12)",
        "para. 12,",
        "/yao-2019/index.html#p12",
    ] {
        assert!(text.contains(part), "the panel has {part:?}: {text}");
    }
    let focused = b
        .js("return document.activeElement.matches('[data-cite]')", vec![])
        .await;
    assert_eq!(focused, json!(true), "focus moves into the panel");
    b.js(
        "document.querySelector('[data-cite] button[aria-label=\"Copy APA 7\"]').click()",
        vec![],
    )
    .await;
    assert!(
        b.wait_until(
            "return /Copied|copy by hand/.test(document.querySelector('[data-cite] [role=status]').textContent)",
            Duration::from_secs(2)
        )
        .await
        .is_some(),
        "the copy button reports what it did"
    );
    let clipboard = b
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('failed: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    let clipboard = clipboard.json().as_str().unwrap_or("").to_owned();
    assert!(
        clipboard.starts_with("(Yao, 2019, para. 12)\nYao, Y. (2019)."),
        "the APA citation is on the clipboard: {clipboard:?}"
    );
    b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
    let closed = b
        .js(
            "return !document.querySelector('[data-cite]') && document.activeElement === document.querySelector('#p12 > a.pnum')",
            vec![],
        )
        .await;
    assert_eq!(closed, json!(true), "Escape closes it and returns to the number");
    // From the keyboard: Enter on a focused number opens it too.
    b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
    assert!(
        b.wait_until("return !!document.querySelector('[data-cite]')", Duration::from_secs(1))
            .await
            .is_some(),
        "Enter on the number opens the panel"
    );
}

async fn background(b: &Browser, selector: &str) -> Value {
    b.js(
        "return getComputedStyle(document.querySelector(arguments[0])).backgroundColor",
        vec![json!(selector)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn skip_to_content_highlights_nothing_but_a_linked_paragraph_is_highlighted() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    b.driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
    let skip = b.js("return document.activeElement.getAttribute('href')", vec![]).await;
    assert_eq!(skip, json!("#main"), "the first Tab reaches the skip link");
    b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
    assert!(b.driver.current_url().await.unwrap().as_str().ends_with("#main"));
    let transparent = json!("rgba(0, 0, 0, 0)");
    assert_eq!(background(&b, "main").await, transparent, "main is not highlighted");
    b.driver.refresh().await.unwrap();
    assert_eq!(background(&b, "main").await, transparent, "nor after a reload");
    b.open(&format!("{READER}#p3")).await;
    assert_ne!(background(&b, "#p3").await, transparent, "a linked paragraph is");
}

/// Issue 13, no regression of the reader's Lighthouse score: nothing the
/// scripts add moves the text once it is shown (cumulative layout shift,
/// which Lighthouse counts, was 0.075 on a phone when the pinyin and
/// settings controls appeared after load). On a phone, on a laptop, and
/// on a screen wide enough for margin notes (84 em), where placing the
/// notes beside the text once moved it by 0.33.
#[tokio::test(flavor = "multi_thread")]
async fn the_text_does_not_move_once_shown() {
    for (width, height) in [(412, 823), (1280, 800), (1440, 900)] {
        let Some(b) = start(Setup::sized(width, height)).await else {
            return;
        };
        b.open(READER).await;
        let ready = b
            .wait_until(
                "return document.readyState === 'complete' && !!document.querySelector('[data-setting=pinyin]') && getComputedStyle(document.querySelector('[data-settings]')).display !== 'none' && (innerWidth < 1344 || document.documentElement.classList.contains('sidenotes'))",
                Duration::from_secs(10),
            )
            .await;
        assert!(ready.is_some(), "{width} px: the page and its controls are ready");
        let shift = b
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 let total = 0;
                 new PerformanceObserver(list => {
                   for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
                 }).observe({ type: 'layout-shift', buffered: true });
                 requestAnimationFrame(() => requestAnimationFrame(() => done(total)));",
                vec![],
            )
            .await
            .unwrap()
            .json()
            .as_f64()
            .unwrap();
        assert!(
            // 0 on a quiet machine; one CI run under load measured 0.028 at
            // 412 px (its source not yet found); the controls appearing after
            // load had moved it by 0.075.
            shift < 0.05,
            "{width} px: the layout shifted by {shift} after the first paint"
        );
    }
}

/// Issue 18, keyboard: a second skip link leads to the contents, and
/// through them to any section, on a laptop (where the contents stand in
/// the sidebar) and on a phone (where they are folded).
#[tokio::test(flavor = "multi_thread")]
async fn a_skip_link_leads_to_the_contents_and_through_them_to_any_section() {
    for (width, height) in [(1280, 800), (390, 844)] {
        let Some(b) = start(Setup::sized(width, height)).await else {
            return;
        };
        b.open(READER).await;
        let tab = || async { b.driver.action_chain().send_keys(Key::Tab).perform().await.unwrap() };
        let active = || async { b.js("return document.activeElement.getAttribute('href')", vec![]).await };
        tab().await;
        assert_eq!(
            active().await,
            json!("#main"),
            "{width} px: the first Tab reaches the skip link to the text"
        );
        tab().await;
        assert_eq!(
            active().await,
            json!("#toc"),
            "{width} px: the second, the skip link to the contents"
        );
        let shown = b
            .js(
                "const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.width > 0",
                vec![],
            )
            .await;
        assert_eq!(shown, json!(true), "{width} px: the focused skip link is on screen");
        b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
        // From the contents' start, the Tabs to the third section's link.
        let target = b
            .js(
                "return document.querySelectorAll('#toc li a')[2].getAttribute('href')",
                vec![],
            )
            .await;
        let mut reached = false;
        for _ in 0..6 {
            tab().await;
            let inside = b.js("return !!document.activeElement.closest('#toc')", vec![]).await;
            assert_eq!(inside, json!(true), "{width} px: Tab goes on inside the contents");
            if b.js("return document.activeElement.tagName", vec![]).await == json!("SUMMARY")
                && b.js("return document.activeElement.parentElement.open", vec![]).await == json!(false)
            {
                // Folded on a phone: Enter opens them.
                b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
            }
            if active().await == target {
                reached = true;
                break;
            }
        }
        assert!(reached, "{width} px: the third section is a few Tabs into the contents");
        b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
        let hash = b.js("return decodeURIComponent(location.hash)", vec![]).await;
        assert_eq!(hash, target, "{width} px: Enter goes to the section");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn links_to_other_sites_are_marked_for_eyes_and_screen_readers() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    for page in ["glossary/index.html", "about/index.html", READER, "timeline/index.html"] {
        b.open(page).await;
        let unmarked = b
            .js(
                "return [...document.querySelectorAll('a[href]')].filter(a => a.host && a.host !== location.host)
                   .filter(a => !(a.querySelector('.ext') && getComputedStyle(a.querySelector('.ext')).display !== 'none'
                                  && /external site/.test(a.textContent)))
                   .map(a => a.href);",
                vec![],
            )
            .await;
        assert_eq!(unmarked, json!([]), "{page}: unmarked links to other sites");
        let footer = b
            .js("return document.querySelector('footer').textContent", vec![])
            .await;
        assert!(
            !footer.as_str().unwrap().contains("every link stays"),
            "the footer claims no more than is true"
        );
    }
    b.open("glossary/index.html").await;
    let external = b
        .js(
            "return [...document.querySelectorAll('a[href^=http]')].filter(a => a.host !== location.host).length",
            vec![],
        )
        .await;
    assert!(external.as_u64().unwrap() > 10, "the glossary links out: {external}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reader_and_about_pages_name_editors_translators_and_rights() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml")).unwrap())
            .unwrap();
    let editor = config["editors"][0].as_str().unwrap().to_owned();
    let translator = config["translators"][0].as_str().unwrap().to_owned();
    for page in [READER, "about/index.html"] {
        b.open(page).await;
        let text = b.js("return document.querySelector('main').innerText", vec![]).await;
        let text = text.as_str().unwrap();
        for part in [
            editor.as_str(),
            translator.as_str(),
            "for teaching and study",
            "copyright remains with the author, Yao Yunzhu",
        ] {
            assert!(text.contains(part), "{page} shows {part:?}");
        }
    }
}

async fn shown(b: &Browser, selector: &str) -> bool {
    b.js(
        "return [...document.querySelectorAll(arguments[0])].some(e => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none');",
        vec![json!(selector)],
    )
    .await
        == json!(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn each_paragraph_has_its_own_translation_switch_and_the_global_one_stays_in_reach() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let own = b.driver.find(By::Css("#p5")).await.unwrap();
    own.scroll_into_view().await.unwrap();
    b.js(
        "document.getElementById('p5').parentNode.querySelector('.tr-toggle').click()",
        vec![],
    )
    .await;
    assert!(shown(&b, "#p5 ~ .translation").await, "¶5's switch shows ¶5's English");
    assert!(!shown(&b, "#p6 ~ .translation").await, "and only ¶5's");
    let pressed = b
        .js(
            "return document.getElementById('p5').parentNode.querySelector('.tr-toggle').getAttribute('aria-pressed')",
            vec![],
        )
        .await;
    assert_eq!(pressed, json!("true"));
    // Far down the page the global toggle is still on screen.
    b.js("document.getElementById('p40').scrollIntoView()", vec![]).await;
    let toggle = b
        .js(
            "const r = document.querySelector('button[data-toggle=translations]').getBoundingClientRect();
             return r.top >= 0 && r.bottom <= innerHeight && r.width > 0;",
            vec![],
        )
        .await;
    assert_eq!(toggle, json!(true), "the global toggle is sticky");
    b.driver
        .find(By::Css("button[data-toggle=translations]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        shown(&b, "#p40 ~ .translation").await,
        "the global toggle shows them all"
    );
    b.js(
        "document.getElementById('p40').parentNode.querySelector('.tr-toggle').click()",
        vec![],
    )
    .await;
    assert!(!shown(&b, "#p40 ~ .translation").await, "a paragraph can hide its own");
    assert!(shown(&b, "#p41 ~ .translation").await, "the others stay");
    b.js("localStorage.clear()", vec![]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_contents_are_in_view_mark_the_section_and_the_place_is_offered_on_return() {
    let Some(b) = start(Setup {
        width: 1280,
        height: 736,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    b.viewport(1280, 736, false).await;
    b.open(READER).await;
    b.js("document.getElementById('p20').scrollIntoView()", vec![]).await;
    let toc = b
        .js(
            "const side = document.querySelector('.side'), last = document.querySelector('#toc li:last-child');
             const r = last.getBoundingClientRect(), s = side.getBoundingClientRect();
             return [side.scrollTop, r.bottom <= Math.min(s.bottom, innerHeight) + 1, r.top];",
            vec![],
        )
        .await;
    assert_eq!(toc[0], json!(0), "the sidebar is not scrolled");
    assert_eq!(toc[1], json!(true), "the whole contents are in view: {toc}");
    let marked = b
        .wait_until(
            "const a = document.querySelector('#toc a[aria-current]'); if (!a) return false;
             const h = document.getElementById(a.getAttribute('href').slice(1));
             return h.getBoundingClientRect().top <= document.getElementById('p20').getBoundingClientRect().top;",
            Duration::from_secs(2),
        )
        .await;
    assert!(marked.is_some(), "the section being read is marked in the contents");
    tokio::time::sleep(Duration::from_millis(900)).await;
    let place = b
        .js(
            "return [...document.querySelectorAll('.text .unit > [id^=p]')].filter(p => p.getBoundingClientRect().top <= 80).pop().id",
            vec![],
        )
        .await;
    b.open(READER).await;
    let offer = b
        .wait_until(
            "const a = document.querySelector('[data-continue] a'); return !!a && a.getClientRects().length > 0",
            Duration::from_secs(2),
        )
        .await;
    assert!(offer.is_some(), "returning offers the place left");
    let link = b
        .js(
            "const a = document.querySelector('[data-continue] a'); return [a.getAttribute('href'), a.textContent]",
            vec![],
        )
        .await;
    let id = place.as_str().unwrap();
    assert_eq!(link[0], json!(format!("#{id}")));
    assert!(
        link[1]
            .as_str()
            .unwrap()
            .contains(&format!("Continue at ¶{}", &id[1..])),
        "{link}"
    );
    b.js("localStorage.clear()", vec![]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_text_starts_on_the_first_screen_and_the_contents_are_one_tap_away() {
    let Some(b) = start_phone(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let first = b
        .js(
            "return document.getElementById('p1').getBoundingClientRect().top < innerHeight",
            vec![],
        )
        .await;
    assert_eq!(first, json!(true), "¶1 starts on the first screen");
    b.js("document.getElementById('p30').scrollIntoView()", vec![]).await;
    let jump = b
        .js(
            "const a = document.querySelector('.to-toc'), t = document.querySelector('.to-top');
             const r = a.getBoundingClientRect(), q = t.getBoundingClientRect();
             return r.top >= 0 && r.bottom <= innerHeight && r.height >= 24 && q.top >= 0 && q.bottom <= innerHeight;",
            vec![],
        )
        .await;
    assert_eq!(jump, json!(true), "Contents and Top are on screen far down the text");
    b.js("document.querySelector('.to-toc').click()", vec![]).await;
    let open = b
        .wait_until(
            "const d = document.querySelector('#toc details'); const r = document.querySelector('#toc li a').getBoundingClientRect();
             return d.open && r.top >= 0 && r.top < innerHeight;",
            Duration::from_secs(2),
        )
        .await;
    assert!(open.is_some(), "one tap opens the contents in view");
}

#[tokio::test(flavor = "multi_thread")]
async fn neighbouring_terms_are_apart_and_glossary_places_are_big_enough_to_tap() {
    let Some(b) = start(Setup {
        width: 320,
        height: 640,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    b.viewport(320, 640, true).await;
    b.open(READER).await;
    let gaps = b
        .js(
            "return [...document.querySelectorAll('a.term.adj')].map(t => {
               const prev = t.previousElementSibling, a = prev.getClientRects(), z = t.getClientRects();
               const l = a[a.length - 1], f = z[0];
               return Math.abs(l.top - f.top) > 2 ? 99 : f.left - l.right; });",
            vec![],
        )
        .await;
    let gaps = gaps.as_array().unwrap();
    assert!(
        !gaps.is_empty(),
        "the text has terms side by side (国家安全顾问兹比格涅夫·布热津斯基)"
    );
    for gap in gaps {
        assert!(gap.as_f64().unwrap() >= 3.0, "neighbouring terms are apart: {gaps:?}");
    }
    b.open("glossary/index.html").await;
    let small = b
        .js(
            "return [...document.querySelectorAll('a.place')].map(a => a.getBoundingClientRect())
               .filter(r => r.width < 24 || r.height < 24).length",
            vec![],
        )
        .await;
    assert_eq!(small, json!(0), "every ¶ link is at least 24×24");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_has_one_stop_per_paragraph_for_its_terms_and_reaches_the_card_link() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let stops = b
        .js(
            "const blocks = [...document.querySelectorAll('.text .unit > [id^=p]')];
             return blocks.map(p => [...p.querySelectorAll('a.term')].filter(a => a.tabIndex >= 0).length);",
            vec![],
        )
        .await;
    assert!(
        stops.as_array().unwrap().iter().all(|n| n.as_u64().unwrap() <= 1),
        "at most one Tab stop per paragraph for its terms"
    );
    let id = b
        .js(
            "const p = [...document.querySelectorAll('.text .unit > [id^=p]')].find(p => p.querySelectorAll('a.term').length >= 2);
             p.querySelector('a.term').focus(); return p.id;",
            vec![],
        )
        .await;
    b.driver.action_chain().send_keys(Key::Right).perform().await.unwrap();
    let second = b
        .js(
            "const terms = document.getElementById(arguments[0]).querySelectorAll('a.term');
             return document.activeElement === terms[1] && terms[1].tabIndex === 0 && terms[0].tabIndex === -1;",
            vec![id],
        )
        .await;
    assert_eq!(second, json!(true), "→ moves to the next term and takes the Tab stop");
    assert!(
        b.wait_until(
            "const c = document.querySelector('[role=tooltip]'); return !!c && !c.hidden",
            Duration::from_millis(500)
        )
        .await
        .is_some()
    );
    b.driver.action_chain().send_keys(Key::Down).perform().await.unwrap();
    let in_card = b
        .js(
            "return document.activeElement.matches('[role=tooltip] a') && /glossary/.test(document.activeElement.href)",
            vec![],
        )
        .await;
    assert_eq!(in_card, json!(true), "↓ reaches the card's full-entry link");
    b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
    let back = b.js("return document.activeElement.matches('a.term')", vec![]).await;
    assert_eq!(back, json!(true), "Escape returns to the term");
}

#[tokio::test(flavor = "multi_thread")]
async fn reading_settings_are_remembered_and_applied_before_the_first_paint() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.media("screen", "light").await;
    b.open(READER).await;
    let before = b
        .js(
            "const p = getComputedStyle(document.getElementById('p1'));
             return [parseFloat(p.fontSize), parseFloat(p.lineHeight) / parseFloat(p.fontSize)];",
            vec![],
        )
        .await;
    b.js("document.querySelector('[data-settings] summary').click()", vec![])
        .await;
    for (setting, value) in [
        ("font-size", "large"),
        ("line-height", "loose"),
        ("theme", "dark"),
        ("font", "sans"),
    ] {
        b.driver
            .find(By::Css(format!("input[data-setting={setting}][value={value}]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "requestAnimationFrame(() => { const d = document.documentElement; window.__firstFrame = ['font-size', 'line-height', 'theme', 'font'].map(k => d.getAttribute('data-' + k)); });" }),
    )
    .await;
    b.driver.refresh().await.unwrap();
    assert!(
        b.wait_until("return Array.isArray(window.__firstFrame)", Duration::from_secs(2))
            .await
            .is_some()
    );
    let first = b.js("return window.__firstFrame", vec![]).await;
    assert_eq!(
        first,
        json!(["large", "loose", "dark", "sans"]),
        "applied before the first frame"
    );
    let after = b
        .js(
            "const t = getComputedStyle(document.querySelector('.text')), p = getComputedStyle(document.getElementById('p1'));
             return [parseFloat(p.fontSize), getComputedStyle(document.documentElement).backgroundColor, t.fontFamily,
                     parseFloat(p.lineHeight) / parseFloat(p.fontSize)];",
            vec![],
        )
        .await;
    assert!(
        after[0].as_f64().unwrap() > before[0].as_f64().unwrap(),
        "larger text: {after}"
    );
    assert!(
        after[3].as_f64().unwrap() > before[1].as_f64().unwrap() + 0.2,
        "looser lines: {after}, were {before}"
    );
    assert_eq!(after[1], json!("rgb(23, 24, 27)"), "dark although the system is light");
    assert!(after[2].as_str().unwrap().starts_with("system-ui"), "sans: {after}");
    let checked = b
        .js(
            "return ['theme][value=dark', 'line-height][value=loose'].map(s => document.querySelector('input[data-setting=' + s + ']').checked)",
            vec![],
        )
        .await;
    assert_eq!(checked, json!([true, true]), "the controls show the remembered choice");
    b.js("localStorage.clear()", vec![]).await;
}

/// Every margin note with its box, its paragraph's and the text column's,
/// and the phrase marked for it in the text (the marks are in the order of
/// the notes that have a quote): its text and where it starts.
const NOTES: &str = r#"
    const box = e => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
    const text = document.querySelector('.text');
    const marks = [...((window.CSS && CSS.highlights && CSS.highlights.get('noted')) || [])];
    return [...text.querySelectorAll('[data-note]')].map(note => {
        const paragraph = note.parentNode.querySelector(':scope > [id]');
        const mark = note.dataset.quote && marks.shift();
        return { note: box(note), paragraph: box(paragraph), text: box(text), kind: note.dataset.note, class: note.className,
                 quote: note.dataset.quote, marked: mark ? mark.toString().replace(/\s+/g, '') : null,
                 at: mark ? mark.getBoundingClientRect().top : null };
    });
"#;

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Every note is under its own paragraph, in the text column.
fn assert_under_paragraphs(notes: &[Value], when: &str) {
    for n in notes {
        let (note, paragraph, text) = (&n["note"], &n["paragraph"], &n["text"]);
        assert!(
            f(note, "top") >= f(paragraph, "bottom") - 0.5,
            "{when}: a note is under its paragraph: {n}"
        );
        assert!(
            f(note, "left") >= f(text, "left") && f(note, "right") <= f(text, "right") + 0.5,
            "{when}: a note is in the text column: {n}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_stand_in_the_margin_beside_their_phrase_where_there_is_room() {
    let Some(b) = start(Setup {
        width: 1600,
        height: 1000,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    b.open(READER).await;
    assert!(
        b.wait_until(
            "return document.documentElement.classList.contains('notes-placed')",
            Duration::from_secs(2)
        )
        .await
        .is_some(),
        "a 1600 px screen has room for margin notes"
    );
    let notes: Vec<Value> = b.js(NOTES, vec![]).await.as_array().unwrap().clone();
    assert!(notes.len() > 20, "the reading has its notes: {}", notes.len());
    let side = b
        .js(
            "return document.querySelector('.side').getBoundingClientRect().left",
            vec![],
        )
        .await;
    let mut at_quote = 0;
    let mut beside = 0;
    let mut previous_bottom = f64::NEG_INFINITY;
    for n in &notes {
        let (note, paragraph) = (&n["note"], &n["paragraph"]);
        assert_eq!(
            n["class"].as_str().unwrap().replace(" under", ""),
            format!("note note-{}", n["kind"].as_str().unwrap()),
            "data-note carries the note's kind"
        );
        let quote: String = n["quote"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(n["marked"], json!(quote), "the note's phrase is marked in the text");
        if n["class"].as_str().unwrap().ends_with(" under") {
            // No room beside its paragraph (the notes before fill it).
            assert_under_paragraphs(std::slice::from_ref(n), "a note with no room beside its paragraph");
            assert!(f(paragraph, "bottom") <= previous_bottom + 13.0, "{n}");
            continue;
        }
        beside += 1;
        assert!(
            f(note, "left") >= f(&n["text"], "right") && f(note, "right") <= side.as_f64().unwrap(),
            "a margin note stands between the text and the sidebar: {n}"
        );
        // A screen this wide (100em) gives the column 20rem, not 15.
        let width = f(note, "right") - f(note, "left");
        assert!((width - 320.0).abs() < 1.0, "a note is 20rem wide at 1600 px: {width}");
        assert!(
            f(note, "top") >= previous_bottom,
            "margin notes do not overlap: {n} starts above {previous_bottom}"
        );
        // At its phrase's line, or just below the note before it, and
        // beside its paragraph.
        let (top, anchor) = (f(note, "top"), f(n, "at"));
        assert!(top >= anchor - 1.0, "a note does not rise above its phrase: {n}");
        assert!(top < f(paragraph, "bottom"), "a note starts beside its paragraph: {n}");
        if (top - anchor).abs() <= 1.0 {
            at_quote += 1;
        } else {
            assert!(
                top - previous_bottom <= 13.0,
                "a note is at its phrase unless the note before pushes it down: {n}"
            );
        }
        previous_bottom = f(note, "bottom");
    }
    eprintln!(
        "margin notes: {beside} of {} beside their paragraph, {at_quote} level with their phrase",
        notes.len()
    );
    assert!(
        beside * 3 > notes.len() * 2 && at_quote * 2 > beside,
        "most notes stand in the margin, most of them level with their phrase: {beside} of {} beside, {at_quote} level",
        notes.len()
    );
    let state = b
        .js(
            "const last = [...document.querySelectorAll('[data-note]')].pop().getBoundingClientRect();
             return { marked: CSS.highlights.get('noted').size, quoted: document.querySelectorAll('[data-note][data-quote]').length,
                      sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                      contained: last.bottom <= document.querySelector('.text').getBoundingClientRect().bottom + 0.5 };",
            vec![],
        )
        .await;
    assert!(state["quoted"].as_u64().unwrap() > 20, "{state}");
    assert_eq!(
        state["marked"], state["quoted"],
        "every note's phrase is marked in the text"
    );
    assert_eq!(state["sideways"], json!(0), "nothing scrolls sideways");
    assert_eq!(state["contained"], json!(true), "the text is as tall as its notes");

    // Print puts every note back under its paragraph.
    b.media("print", "light").await;
    assert_under_paragraphs(b.js(NOTES, vec![]).await.as_array().unwrap(), "print");
    b.media("screen", "light").await;

    // Where there is no room, notes fold under their paragraph as before.
    b.viewport(1100, 900, false).await;
    assert!(
        b.wait_until(
            "return !document.documentElement.classList.contains('sidenotes')",
            Duration::from_secs(2)
        )
        .await
        .is_some()
    );
    assert_under_paragraphs(b.js(NOTES, vec![]).await.as_array().unwrap(), "1100 px");
    assert!(b.severe_console_messages().await.is_empty());
    drop(b);

    // Without JavaScript too.
    let Some(plain) = start(Setup {
        javascript: false,
        width: 1600,
        height: 1000,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    plain.open(READER).await;
    assert_under_paragraphs(plain.js(NOTES, vec![]).await.as_array().unwrap(), "no JavaScript");
    drop(plain);

    // The page is laid out for margin notes before its first paint, the
    // notes hidden until placed; should the reader's script not come, they
    // are shown under their paragraphs once the page has loaded.
    let Some(failed) = start(Setup::sized(1600, 1000)).await else {
        return;
    };
    failed.cdp("Network.enable", json!({})).await;
    failed
        .cdp("Network.setBlockedURLs", json!({ "urls": ["*duben-reader.js*"] }))
        .await;
    failed.open(READER).await;
    let shown = failed
        .wait_until(
            "return document.readyState === 'complete' && !document.documentElement.classList.contains('sidenotes')
               && [...document.querySelectorAll('[data-note]')].every(n => getComputedStyle(n).visibility === 'visible')",
            Duration::from_secs(5),
        )
        .await;
    assert!(shown.is_some(), "without the reader's script, the notes are shown");
    assert_under_paragraphs(failed.js(NOTES, vec![]).await.as_array().unwrap(), "no reader script");
}
