//! Proposing changes from the reader page, in a real browser (Chromium
//! through chromedriver, the page opened from disk): a selection becomes a
//! GitHub new-file URL whose file, written into a copy of the site, passes
//! `duben check` and shows up in the next build attached at the selected
//! quote. Also: the TOML writer against the toml crate, refused selections,
//! the other actions' URLs, the URL-length fallback, and axe on the page
//! and the dialog.

mod common;
#[path = "browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{duben, html, scratch_copy, select, text_of};
use harness::{Browser, Setup, start};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const REPOSITORY: &str = "https://github.com/example/reader";

/// A copy of the basic fixture and its build with a repository.
struct Site {
    source: tempfile::TempDir,
    out: tempfile::TempDir,
}

fn build(root: &Path, out: &Path) {
    let output = duben()
        .args(["build", "--repository", "example/reader", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn built_site() -> Site {
    let source = scratch_copy("basic");
    let out = tempfile::tempdir().unwrap();
    build(source.path(), out.path());
    Site { source, out }
}

fn page_url(dir: &Path, page: &str) -> String {
    format!("file://{}/{page}", dir.display())
}

/// Selects `[start, end)` of the `index`-th text node of ¶`paragraph`
/// (`end` may be "the end of the paragraph" with `None`), as a reader's
/// drag would, and waits for the toolbar.
async fn select_text(b: &Browser, paragraph: u32, start: (usize, usize), end: Option<(usize, usize)>) {
    b.js(
        "const p = document.getElementById('p' + arguments[0]);
         const texts = []; const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
         for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n);
         const r = document.createRange();
         r.setStart(texts[arguments[1]], arguments[2]);
         if (arguments[3] === null) r.setEnd(p, p.childNodes.length); else r.setEnd(texts[arguments[3]], arguments[4]);
         const s = getSelection(); s.removeAllRanges(); s.addRange(r);",
        vec![
            json!(paragraph),
            json!(start.0),
            json!(start.1),
            end.map_or(Value::Null, |e| json!(e.0)),
            json!(end.map_or(0, |e| e.1)),
        ],
    )
    .await;
    let shown = b
        .wait_until(
            "const bar = document.querySelector('.propose-bar'); return !!bar && !bar.hidden && bar.getClientRects().length > 0;",
            Duration::from_secs(3),
        )
        .await;
    assert!(shown.is_some(), "the toolbar appears next to the selection");
}

async fn click_action(b: &Browser, action: &str) {
    b.driver
        .find(By::Css(format!(".propose-bar [data-action={action}]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_dialog(b).await;
}

async fn wait_for_dialog(b: &Browser) {
    let open = b
        .wait_until(
            "return document.querySelector('.propose-dialog').open",
            Duration::from_secs(2),
        )
        .await;
    assert!(open.is_some(), "the dialog opens");
}

/// Fills the dialog's fields (by name), submits it and returns the URL the
/// page opened.
async fn submit(b: &Browser, fields: Value) -> String {
    b.js(
        "window.open = function (url) { window.__opened = url; return null; };
         const form = document.querySelector('[data-propose-form]');
         for (const [name, value] of Object.entries(arguments[0])) {
           const field = form.elements.namedItem(name);
           field.value = value;
           field.dispatchEvent(new Event('input', { bubbles: true }));
         }",
        vec![fields],
    )
    .await;
    b.driver
        .find(By::Css("[data-propose-submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let opened = b
        .wait_until("return typeof window.__opened === 'string'", Duration::from_secs(2))
        .await;
    assert!(opened.is_some(), "submitting opens a URL");
    b.js("return window.__opened", vec![])
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

/// The query parameters of `url`, percent-decoded (RFC 3986; the page
/// encodes with encodeURIComponent, so `+` is never a space).
fn query(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').expect("the URL has a query");
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("a percent escape"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    };
    let pairs = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    (base.to_owned(), pairs)
}

fn param<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no `{key}` parameter"))
}

/// Writes the proposed file into the site copy; `duben check` must pass.
fn accept(site: &Site, url: &str) -> (PathBuf, String) {
    let (base, pairs) = query(url);
    assert_eq!(base, format!("{REPOSITORY}/new/main"), "GitHub's new-file page");
    let filename = param(&pairs, "filename").to_owned();
    let value = param(&pairs, "value").to_owned();
    assert!(!filename.contains(".."), "{filename}");
    let path = site.source.path().join(&filename);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &value).unwrap();
    let check = duben()
        .args(["check", "--root"])
        .arg(site.source.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "duben check fails on the proposed {filename}:\n{value}\n{}",
        String::from_utf8_lossy(&check.stdout)
    );
    (PathBuf::from(filename), value)
}

/// Builds the site copy again and returns the notes shown under ¶`paragraph`
/// of the first article: (quote, text).
fn notes_after_rebuild(site: &Site, paragraph: u32) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    build(site.source.path(), out.path());
    let doc = html(&out.path().join("first/index.html"));
    let unit = select(&doc, ".unit")
        .into_iter()
        .find(|u| select_in(u, &format!("#p{paragraph}")))
        .expect("the paragraph's unit");
    let notes = scraper::Selector::parse("aside.note").unwrap();
    let quote = scraper::Selector::parse(".note-quote q").unwrap();
    unit.select(&notes)
        .map(|n| {
            (
                n.select(&quote).next().map(|q| text_of(&q)).unwrap_or_default(),
                text_of(&n),
            )
        })
        .collect()
}

fn select_in(element: &scraper::ElementRef, selector: &str) -> bool {
    element
        .select(&scraper::Selector::parse(selector).unwrap())
        .next()
        .is_some()
}

/// One round trip: select, fill, capture, write, check, build, find.
async fn round_trip(
    paragraph: u32,
    start: (usize, usize),
    end: Option<(usize, usize)>,
    fields: Value,
    expected_quote: &str,
) -> (String, toml::Table) {
    let Some((site, b)) = open_reader().await else {
        return (String::new(), toml::Table::new());
    };
    select_text(&b, paragraph, start, end).await;
    click_action(&b, "propose-note").await;
    let url = submit(&b, fields.clone()).await;
    let (file, value) = accept(&site, &url);
    assert!(
        file.starts_with("content/first/notes") && file.extension().is_some_and(|x| x == "toml"),
        "{}",
        file.display()
    );
    let table: toml::Table = toml::from_str(&value).unwrap();
    let note = &table["note"].as_array().unwrap()[0];
    assert_eq!(note["anchor"]["paragraph"].as_integer(), Some(i64::from(paragraph)));
    assert_eq!(note["anchor"]["quote"].as_str(), Some(expected_quote), "{value}");
    // A textarea holds line breaks as \n whatever was typed or pasted.
    let typed = fields["body"]
        .as_str()
        .unwrap()
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    assert_eq!(
        note["body"].as_str(),
        Some(typed.as_str()),
        "the body is exactly what was typed"
    );
    let notes = notes_after_rebuild(&site, paragraph);
    let body_start: String = fields["body"].as_str().unwrap().chars().take(6).collect();
    assert!(
        notes.iter().any(|(quote, _)| quote == expected_quote),
        "a note at the quote {expected_quote:?} under ¶{paragraph}: {notes:?} ({body_start})"
    );
    (value, table)
}

/// A fresh build of the basic fixture, its first article open in a
/// browser; none where the browser tests skip.
async fn open_reader() -> Option<(Site, Browser)> {
    let site = built_site();
    let b = start(Setup::default()).await?;
    b.driver
        .goto(page_url(site.out.path(), "first/index.html"))
        .await
        .unwrap();
    Some((site, b))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_selection_becomes_a_note_at_its_quote() {
    // ¶2 begins "美国通过了台湾关系法": its second text node is "美国通过了".
    round_trip(
        2,
        (1, 0),
        Some((1, 4)),
        json!({ "kind": "commentary", "body": "The US Congress passed it in 1979.", "by": "A reader" }),
        "美国通过",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proposed_question_joins_the_sections_discussion_questions() {
    let Some((site, b)) = open_reader().await else {
        return;
    };
    select_text(&b, 2, (1, 0), Some((1, 4))).await;
    click_action(&b, "propose-note").await;
    let url = submit(
        &b,
        json!({ "kind": "question", "body": "Why did Congress act?", "by": "" }),
    )
    .await;
    accept(&site, &url);
    let out = tempfile::tempdir().unwrap();
    build(site.source.path(), out.path());
    let doc = html(&out.path().join("first/index.html"));
    let questions: Vec<String> = select(&doc, ".questions li").iter().map(text_of).collect();
    assert!(
        questions.iter().any(|q| q.contains("Why did Congress act?")),
        "in the list of ¶2's section: {questions:?}"
    );
    let notes: Vec<String> = select(&doc, "aside.note").iter().map(text_of).collect();
    assert!(
        !notes.iter().any(|n| n.contains("Why did Congress act?")),
        "not beside the quote: {notes:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_that_occurs_twice_is_extended_until_it_is_unique() {
    // ¶1 names 台湾关系法 twice; the second one is selected.
    let (value, _) = round_trip(
        1,
        (5, 5),
        Some((5, 10)),
        json!({ "kind": "commentary", "body": "Why is it named twice?", "by": "" }),
        "台湾关系法再",
    )
    .await;
    assert!(!value.contains("by ="), "an empty credit is left out:\n{value}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_inside_a_term_across_a_footnote_yields_plain_text() {
    // From inside the marked term 联合公报 to the paragraph's end, past its
    // footnote number: neither the number ¶1 nor the footnote's 1 is text.
    round_trip(
        1,
        (2, 2),
        None,
        json!({ "kind": "source", "body": "See the communiqué's text.", "by": "" }),
        "公报，台湾关系法随后通过，台湾关系法再次出现。",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_across_an_external_link_leaves_its_mark_out() {
    // ¶4's link 台湾关系法 ends with "↗" and a hidden " (external site)"
    // (its text nodes 5 and 6): from the link's 关 to 里的术语 after it.
    let (from, to) = ((4, 2), (7, 4));
    round_trip(
        4,
        from,
        Some(to),
        json!({ "kind": "commentary", "body": "The link is to the act's text.", "by": "" }),
        "关系法里的术语",
    )
    .await;
    // Copying the same selection gives the author's text alone too.
    let Some((_site, b)) = open_reader().await else {
        return;
    };
    select_text(&b, 4, from, Some(to)).await;
    let copied = b.copy_selection().await;
    assert_eq!(copied, "关系法里的术语", "no ↗ nor \"(external site)\"");
}

const METACHARACTERS: &str = "[[note]]\nkind = \"translation\"\nHe said \"hi\" \\ and \"\"\" and ''' \\\"\"\"\nTabs\there, \\n is not a newline, \\u0041 is not A.\n😀 emoji 中文 \u{0} \u{7f} \r\nends with a quote\"";

#[tokio::test(flavor = "multi_thread")]
async fn a_body_full_of_toml_metacharacters_is_kept_exactly() {
    let by = "Name \"quoted\" \\ back\\slash [[term]] = 1 # 😀";
    // ¶4 ends "…里的术语不标注。1999 年发生了事件。"; its last text node
    // (after the external link's ↗ and "(external site)").
    let (value, table) = round_trip(
        4,
        (7, 0),
        Some((7, 7)),
        json!({ "kind": "commentary", "body": METACHARACTERS, "by": by }),
        "里的术语不标注",
    )
    .await;
    if value.is_empty() {
        return;
    }
    assert_eq!(table.len(), 1, "only `note`: {value}");
    let notes = table["note"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "one note, none injected: {value}");
    let note = notes[0].as_table().unwrap();
    let keys: Vec<&str> = note.keys().map(String::as_str).collect();
    assert_eq!(keys, ["anchor", "body", "by", "kind"], "no key injected: {value}");
    assert_eq!(note["kind"].as_str(), Some("commentary"));
    assert_eq!(note["by"].as_str(), Some(by));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_toml_writer_round_trips_every_hard_string_through_the_toml_crate() {
    let Some((_site, b)) = open_reader().await else {
        return;
    };
    let mut hard: Vec<String> = (0u32..0x20)
        .chain([0x7f, 0x85, 0x2028])
        .map(|c| char::from_u32(c).unwrap().to_string())
        .collect();
    hard.extend(
        [
            "",
            "\"",
            "\\",
            "\"\"\"",
            "''' \"\"\"\" \"\"\"\"\"",
            "\\\"",
            "ends with \\",
            "ends with \"",
            "\n[[note]]\nkind = \"x\"",
            "[[term]]",
            "a = 1\nb = 2",
            "😀👩‍👩‍👧 中文 ü",
            "\\u0041 \\x41 \\U0001F600",
            "\r\n\r",
            METACHARACTERS,
        ]
        .map(str::to_owned),
    );
    let written = b
        .js(
            "return arguments[0].map(s => [window.dubenPropose.tomlString(s), window.dubenPropose.tomlText(s)]);",
            vec![json!(hard)],
        )
        .await;
    for (input, pair) in hard.iter().zip(written.as_array().unwrap()) {
        for form in pair.as_array().unwrap() {
            let text = format!("v = {}\n", form.as_str().unwrap());
            let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
            assert_eq!(table.len(), 1, "{text:?}");
            assert_eq!(table["v"].as_str(), Some(input.as_str()), "{text:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_across_two_paragraphs_is_refused_with_a_message() {
    let Some((_site, b)) = open_reader().await else {
        return;
    };
    b.js(
        "const r = document.createRange();
         r.setStart(document.getElementById('p1').lastChild.previousSibling, 2);
         r.setEnd(document.getElementById('p2').lastChild, 1);
         const s = getSelection(); s.removeAllRanges(); s.addRange(r);",
        vec![],
    )
    .await;
    let shown = b
        .wait_until(
            "const bar = document.querySelector('.propose-bar'); return !bar.hidden;",
            Duration::from_secs(3),
        )
        .await;
    assert!(shown.is_some(), "the toolbar says why it offers nothing");
    let state = b
        .js(
            "const bar = document.querySelector('.propose-bar');
             return { buttons: [...bar.querySelectorAll('[data-action]')].filter(b => b.getClientRects().length > 0).length,
                      message: bar.querySelector('[data-propose-message]').textContent };",
            vec![],
        )
        .await;
    assert_eq!(state["buttons"], json!(0), "{state}");
    assert!(
        state["message"].as_str().unwrap().contains("within one paragraph"),
        "{state}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_reaches_the_toolbar_and_a_translation_is_proposed_where_none_exists() {
    let Some((site, b)) = open_reader().await else {
        return;
    };
    // ¶1 has a translation: no offer to translate it.
    select_text(&b, 1, (1, 0), Some((1, 4))).await;
    let offered = b
        .js(
            "return !document.querySelector('[data-action=propose-translation]').hidden",
            vec![],
        )
        .await;
    assert_eq!(offered, json!(false), "¶1 is translated already");
    b.js("getSelection().removeAllRanges()", vec![]).await;
    let gone = b
        .wait_until(
            "return document.querySelector('.propose-bar').hidden",
            Duration::from_secs(2),
        )
        .await;
    assert!(gone.is_some(), "the toolbar goes with the selection");
    // ¶2 has none; E moves to the toolbar, Tab and Enter choose.
    select_text(&b, 2, (1, 0), Some((1, 2))).await;
    b.driver.action_chain().send_keys("e").perform().await.unwrap();
    let focused = b
        .js("return document.activeElement.getAttribute('data-action')", vec![])
        .await;
    assert_eq!(focused, json!("propose-note"), "E focuses the toolbar's first action");
    b.driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
    b.driver.action_chain().send_keys(Key::Enter).perform().await.unwrap();
    wait_for_dialog(&b).await;
    let url = submit(
        &b,
        json!({ "body": "The United States passed the Taiwan Relations Act.", "by": "" }),
    )
    .await;
    let (_, value) = accept(&site, &url);
    let table: toml::Table = toml::from_str(&value).unwrap();
    let note = &table
        .get("note")
        .unwrap_or_else(|| panic!("a note: {value}"))
        .as_array()
        .unwrap()[0];
    assert_eq!(note["kind"].as_str(), Some("translation"));
    assert_eq!(
        note["anchor"].as_table().unwrap().len(),
        1,
        "the paragraph anchor alone: {value}"
    );
    let out = tempfile::tempdir().unwrap();
    build(site.source.path(), out.path());
    let doc = html(&out.path().join("first/index.html"));
    let translations: Vec<String> = select(&doc, ".unit .translation").iter().map(text_of).collect();
    assert!(
        translations.iter().any(|t| t.contains("Taiwan Relations Act")),
        "{translations:?}"
    );
}

/// Selects `[start, end)` of ¶4's text nodes, opens "Propose a term" and
/// returns its prefilled [zh, pinyin, id] once the pinyin has come (the
/// article's words.js loads on first use).
async fn propose_term(b: &Browser, start: (usize, usize), end: (usize, usize)) -> Value {
    select_text(b, 4, start, Some(end)).await;
    click_action(b, "propose-term").await;
    let filled = b
        .wait_until(
            "return document.querySelector('[data-propose-form]').elements.pinyin.value !== ''",
            Duration::from_secs(3),
        )
        .await;
    assert!(filled.is_some(), "the pinyin is filled in");
    b.js(
        "const f = document.querySelector('[data-propose-form]').elements; return [f.zh.value, f.pinyin.value, f.id.value];",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proposed_term_and_a_reported_problem_open_the_right_pages() {
    let Some((site, b)) = open_reader().await else {
        return;
    };
    // "事件" in ¶4's last text node "里的术语不标注。1999 年发生了事件。".
    let prefilled = propose_term(&b, (7, 17), (7, 19)).await;
    assert_eq!(
        prefilled,
        json!(["事件", "shìjiàn", "shijian"]),
        "zh is the selection, its pinyin the dictionary's (words.js), the id made from it"
    );
    let url = submit(&b, json!({ "id": "incident" })).await;
    let (file, value) = accept(&site, &url);
    assert_eq!(file, Path::new("content/glossary/incident.toml"));
    let table: toml::Table = toml::from_str(&value).unwrap();
    let term = &table["term"].as_array().unwrap()[0];
    assert_eq!(term["zh"].as_str(), Some("事件"));
    assert_eq!(term["pinyin"].as_str(), Some("shìjiàn"));
    assert_eq!(term["en"].as_str(), Some(""), "en is left for the editor");
    let strict = duben()
        .args(["check", "--strict", "--root"])
        .arg(site.source.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&strict.stdout);
    assert!(
        report.contains("content/glossary/incident.toml")
            && report.contains("no definition")
            && report.contains("no English"),
        "check flags the empty fields until they are filled:\n{report}"
    );

    // More than one word: each word's reading, numbers as written.
    b.driver
        .goto(page_url(site.out.path(), "first/index.html"))
        .await
        .unwrap();
    let prefilled = propose_term(&b, (7, 8), (7, 19)).await;
    assert_eq!(
        prefilled,
        json!([
            "1999 年发生了事件",
            "1999 nián fāshēng le shìjiàn",
            "1999-nian-fasheng-le-shijian"
        ])
    );

    b.driver
        .goto(page_url(site.out.path(), "first/index.html"))
        .await
        .unwrap();
    select_text(&b, 2, (1, 0), Some((1, 4))).await;
    click_action(&b, "report-problem").await;
    let url = submit(&b, json!({ "body": "通过 should be 签署?" })).await;
    let (base, pairs) = query(&url);
    assert_eq!(base, format!("{REPOSITORY}/issues/new"));
    let body = param(&pairs, "body");
    assert!(
        body.contains("https://example.org/reader/first/#p2"),
        "the permalink: {body}"
    );
    assert!(body.contains("> 美国通过"), "the quote: {body}");
    assert!(
        body.contains("What is wrong here") && body.contains("通过 should be 签署?"),
        "{body}"
    );
    assert!(param(&pairs, "title").contains("¶2"));
    assert_eq!(param(&pairs, "labels"), "content");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proposal_too_long_for_a_url_is_offered_for_copying_instead() {
    let Some((_site, b)) = open_reader().await else {
        return;
    };
    select_text(&b, 2, (1, 0), Some((1, 4))).await;
    click_action(&b, "propose-note").await;
    let long = "长".repeat(3000);
    b.js(
        "window.open = function (url) { window.__opened = url; return null; };
         const f = document.querySelector('[data-propose-form]').elements; f.body.value = arguments[0];",
        vec![json!(long)],
    )
    .await;
    b.driver
        .find(By::Css("[data-propose-submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let state = b
        .js(
            "const box = document.querySelector('[data-propose-long]');
             return { shown: !box.hidden, opened: typeof window.__opened, open: document.querySelector('.propose-dialog').open,
                      message: box.textContent, toml: document.querySelector('[data-propose-toml]').value,
                      fallback: document.querySelector('[data-propose-fallback]').href };",
            vec![],
        )
        .await;
    assert_eq!(state["shown"], json!(true), "{state}");
    assert_eq!(
        state["opened"],
        json!("undefined"),
        "no URL GitHub would refuse is opened"
    );
    assert_eq!(state["open"], json!(true));
    assert!(state["message"].as_str().unwrap().contains("too long"), "{state}");
    let toml_text = state["toml"].as_str().unwrap();
    let table: toml::Table = toml::from_str(toml_text).unwrap();
    assert_eq!(
        table["note"].as_array().unwrap()[0]["body"].as_str(),
        Some(long.as_str())
    );
    let (base, pairs) = query(state["fallback"].as_str().unwrap());
    assert_eq!(base, format!("{REPOSITORY}/new/main"));
    assert!(param(&pairs, "filename").starts_with("content/first/notes/"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_with_its_source_links_the_toolbar_and_the_open_dialog_pass_axe() {
    let Some((_site, b)) = open_reader().await else {
        return;
    };
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser-tools/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe) else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing: run `npm ci --prefix tests/browser-tools`",
            axe.display()
        );
        harness::say_skipped("axe-core is missing; run `npm ci --prefix tests/browser-tools`");
        return;
    };
    // Translations shown, with their source links.
    b.driver
        .find(By::Css("button[data-toggle=translations]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = b
        .js(
            "return document.querySelector('.translation .source-link').getClientRects().length > 0",
            vec![],
        )
        .await;
    assert_eq!(shown, json!(true), "the translation's source link is on screen");
    select_text(&b, 2, (1, 0), Some((1, 4))).await;
    let mut report = Vec::new();
    for stage in ["toolbar", "dialog"] {
        if stage == "dialog" {
            click_action(&b, "propose-note").await;
        }
        let violations = b.axe_violations(&axe).await;
        report.extend(violations.into_iter().map(|v| format!("{stage}: {v}")));
    }
    assert!(report.is_empty(), "axe violations:\n{}", report.join("\n"));
}

#[test]
fn without_a_repository_nothing_links_into_one() {
    let site = scratch_copy("basic");
    let out = tempfile::tempdir().unwrap();
    let status = duben()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(!out.path().join("static/propose.js").exists());
    assert!(!out.path().join("static/propose.css").exists());
    for page in ["first/index.html", "glossary/index.html", "timeline/index.html"] {
        let text = std::fs::read_to_string(out.path().join(page)).unwrap();
        for absent in [
            "data-propose",
            "data-action",
            "source-link",
            "edit-text",
            "propose.",
            "github.com",
        ] {
            assert!(!text.contains(absent), "{page} holds {absent:?} without a repository");
        }
    }
}

#[test]
fn with_a_repository_every_entry_links_to_its_file_and_line() {
    let site = built_site();
    // A heading's translation, in a notes file of its own.
    let heading_notes = site.source.path().join("content/first/notes/heading.toml");
    std::fs::create_dir_all(heading_notes.parent().unwrap()).unwrap();
    std::fs::write(
        &heading_notes,
        "# The first section's heading.\n[[note]]\nanchor = { heading = \"历史\" }\nkind = \"translation\"\nbody = \"I. History\"\n",
    )
    .unwrap();
    build(site.source.path(), site.out.path());
    let link = |page: &str, selector: &str| -> Vec<String> {
        let doc = html(&site.out.path().join(page));
        select(&doc, selector)
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect()
    };
    let blob = format!("{REPOSITORY}/blob/main/");
    let line_of = |file: &str, needle: &str| {
        let text = std::fs::read_to_string(site.source.path().join(file)).unwrap();
        let at = text.find(needle).unwrap_or_else(|| panic!("{needle} in {file}"));
        text[..at].matches('\n').count() + 1
    };
    // The entry's line is the line of its [[term]] / [[event]] / [[note]].
    let terms = link("glossary/index.html", "#term-communique .source-link a");
    let term_line = line_of("content/glossary.toml", "id = \"communique\"") - 1;
    assert_eq!(terms, [format!("{blob}content/glossary.toml#L{term_line}")]);
    let events = link("timeline/index.html", ".event-entry .source-link a");
    assert!(!events.is_empty());
    assert!(
        events
            .iter()
            .all(|e| e.starts_with(&format!("{blob}content/timeline.toml#L"))),
        "{events:?}"
    );
    // Every kind of note on the reader page: where, its file and line, which.
    for (selector, at, which) in [
        ("aside.note .source-link a", "notes.toml#L6", "the ¶2 commentary"),
        (
            ".unit .translation .source-link a",
            "notes.toml#L1",
            "the ¶1 translation",
        ),
        (
            ".questions li .source-link a",
            "notes.toml#L11",
            "the discussion question",
        ),
        (
            ".heading-translation .source-link a",
            "notes/heading.toml#L2",
            "the heading's translation",
        ),
    ] {
        let links = link("first/index.html", selector);
        assert_eq!(links, [format!("{blob}content/first/{at}")], "{which}");
    }
    let edit = link("first/index.html", ".edit-text a");
    assert_eq!(edit, [format!("{REPOSITORY}/edit/main/content/first/text.md")]);
}

#[test]
fn notes_load_from_every_notes_file_and_problems_name_their_file() {
    let site = scratch_copy("basic");
    let notes = site.path().join("content/first/notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("a.toml"),
        "[[note]]\nanchor = { paragraph = 2, quote = \"美国通过\" }\nkind = \"commentary\"\nbody = \"From a.\"\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("b.toml"),
        "[[note]]\nanchor = { quote = \"不在文中\" }\nkind = \"commentary\"\nbody = \"From b.\"\n",
    )
    .unwrap();
    let check = duben().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success());
    assert!(
        report.contains("content/first/notes/b.toml:2:") && report.contains("quote-not-found"),
        "{report}"
    );
    assert!(!report.contains("notes/a.toml"), "{report}");
    std::fs::remove_file(notes.join("b.toml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let doc = html(&out.path().join("first/index.html"));
    let texts: Vec<String> = select(&doc, "aside.note").iter().map(text_of).collect();
    assert!(texts.iter().any(|t| t.contains("From a.")), "{texts:?}");
}

#[test]
fn a_repository_in_site_toml_wins_and_a_bad_one_is_reported_at_its_line() {
    let site = scratch_copy("basic");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{text}\n[repository]\nurl = \"https://github.com/me/mine\"\nbranch = \"trunk\"\ncontent_path = \"site\"\n"
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let page = std::fs::read_to_string(out.path().join("first/index.html")).unwrap();
    assert!(page.contains("https://github.com/me/mine/edit/trunk/site/content/first/text.md"));
    assert!(page.contains("data-notes-dir=\"site/content/first/notes/\""));
    assert!(page.contains("data-new-file=\"https://github.com/me/mine/new/trunk\""));

    std::fs::write(&config, format!("{text}\n[repository]\nurl = \"github.com/me\"\n")).unwrap();
    let check = duben().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success());
    assert!(
        report.contains("bad-repository-url") && report.contains("site.toml:"),
        "{report}"
    );

    let flag = duben()
        .args(["build", "--repository", "not a repository", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(flag.status.code(), Some(2), "a bad flag is a usage error");
}
