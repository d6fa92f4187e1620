//! The reader in a real browser (Debian's Chromium through chromedriver):
//! hover, keyboard and touch cards, no-JS fallbacks, the translation toggle,
//! taps before the scripts have run (on a page whose HTML is held back),
//! timeline links, console and network hygiene, axe-core, html-validate,
//! narrow screens, zoom and print. Run by `cargo test`; see harness.rs for
//! how a missing Chromium is handled.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;
use std::time::Duration;

use harness::{Browser, HeldPage, Setup, site, start, start_phone};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const READER: &str = "yao-2019/index.html";
const PAGES: &[&str] = &[
    "index.html",
    READER,
    "glossary/index.html",
    "timeline/index.html",
    "how-to-read/index.html",
    "404.html",
];
/// The theme's visible card and translation toggle.
const CARD: &str = "[role=tooltip]";
/// The dictionary's lookup card.
const LOOKUP: &str = "[role=tooltip][data-lookup]";
const TOGGLE: &str = "button[data-toggle=translations]";

/// `{ visible, rect }` of the first element matching a selector.
const VISIBLE: &str = r#"
    const el = document.querySelector(arguments[0]);
    if (!el) return false;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0;
"#;

fn hidden(selector: &str) -> String {
    format!(
        "return !(function(){{ {} }}).apply(null, [{}]);",
        VISIBLE,
        serde_json::to_string(selector).unwrap()
    )
}

fn visible(selector: &str) -> String {
    format!(
        "return (function(){{ {} }}).apply(null, [{}]);",
        VISIBLE,
        serde_json::to_string(selector).unwrap()
    )
}

async fn first_term(b: &Browser) -> WebElement {
    let term = b
        .driver
        // In the text: on a phone the abstract above it is folded.
        .find(By::Css("main .unit a.term[data-term]"))
        .await
        .expect("the reader marks at least one term");
    term.scroll_into_view().await.unwrap();
    term
}

/// Opens the reader and moves the pointer over its text, which loads the
/// article's words; returns once they are wrapped.
async fn open_with_words(b: &Browser) {
    b.open(READER).await;
    let first = b.driver.find(By::Css(".text p[id]")).await.unwrap();
    move_pointer_to(b, &first).await;
    assert!(
        b.wait_until(
            "return document.querySelectorAll('span.w').length > 100",
            Duration::from_secs(5)
        )
        .await
        .is_some(),
        "the words are wrapped"
    );
}

/// Moves the pointer onto the first `word` of the text that is not part of a
/// term (with or without its ruby); the word gets the id `probe`.
async fn point_at_word(b: &Browser, word: &str) -> WebElement {
    let find = r#"for (const s of document.querySelectorAll('span.w')) {
            const ruby = s.querySelector('ruby');
            const text = ruby ? ruby.firstChild.data : s.textContent;
            if (text === arguments[0] && !s.closest('a.term')) { s.id = 'probe'; return true; }
        }
        return false;"#;
    assert_eq!(b.js(find, vec![json!(word)]).await, json!(true), "{word} in the text");
    let element = b.driver.find(By::Id("probe")).await.unwrap();
    element.scroll_into_view().await.unwrap();
    move_pointer_to(b, &element).await;
    element
}

/// Moves the pointer onto the middle of `element`.
async fn move_pointer_to(b: &Browser, element: &WebElement) {
    b.driver
        .action_chain()
        .move_to_element_center(element)
        .perform()
        .await
        .unwrap();
}

async fn rect(b: &Browser, element: &WebElement) -> Value {
    b.js(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
        vec![element.to_json().unwrap()],
    )
    .await
}

fn overlaps(a: &Value, b: &Value) -> bool {
    let f = |v: &Value, i: usize| v[i].as_f64().unwrap();
    f(a, 0) < f(b, 2) && f(b, 0) < f(a, 2) && f(a, 1) < f(b, 3) && f(b, 1) < f(a, 3)
}

/// The terms of the included site's glossary, as written in glossary.toml.
fn glossary_terms() -> Vec<toml::Value> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/glossary.toml")).unwrap();
    let mut table: toml::Table = toml::from_str(&text).unwrap();
    match table.remove("term") {
        Some(toml::Value::Array(terms)) => terms,
        _ => panic!("glossary.toml has terms"),
    }
}

fn glossary_entry(id: &str) -> (String, String, String) {
    let terms = glossary_terms();
    let term = terms
        .iter()
        .find(|t| t["id"].as_str() == Some(id))
        .expect("term in glossary");
    let field = |k: &str| term.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    (field("zh"), field("pinyin"), field("en"))
}

#[tokio::test(flavor = "multi_thread")]
async fn pointing_at_a_term_shows_its_card_without_covering_it() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let term = first_term(&b).await;
    let id = term.attr("data-term").await.unwrap().unwrap();
    move_pointer_to(&b, &term).await;
    let shown = b.wait_until(&visible(CARD), Duration::from_millis(300)).await;
    assert!(shown.is_some(), "the card appears within 300 ms");
    let card = b.driver.find(By::Css(CARD)).await.unwrap();
    let text = card.text().await.unwrap();
    let (zh, pinyin, en) = glossary_entry(&id);
    for part in [&zh, &pinyin, &en] {
        assert!(text.contains(part.as_str()), "card shows {part:?}: {text}");
    }
    assert!(
        !overlaps(&rect(&b, &term).await, &rect(&b, &card).await),
        "the card never covers its term"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_card_stays_while_the_pointer_moves_onto_it() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let term = first_term(&b).await;
    move_pointer_to(&b, &term).await;
    assert!(b.wait_until(&visible(CARD), Duration::from_millis(300)).await.is_some());
    let card = b.driver.find(By::Css(CARD)).await.unwrap();
    move_pointer_to(&b, &card).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        b.js(&visible(CARD), vec![]).await,
        json!(true),
        "hoverable: the card stays under the pointer"
    );
    b.driver.action_chain().move_to(2, 2).perform().await.unwrap();
    let hidden = b.wait_until(&hidden(CARD), Duration::from_secs(2)).await;
    assert!(hidden.is_some(), "leaving both closes the card");
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_closes_the_card_and_keeps_focus() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let term = first_term(&b).await;
    term.focus().await.unwrap();
    assert!(
        b.wait_until(&visible(CARD), Duration::from_millis(300)).await.is_some(),
        "focus shows the card"
    );
    b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
    let hidden = b.wait_until(&hidden(CARD), Duration::from_secs(1)).await;
    assert!(hidden.is_some(), "Escape closes the card");
    let still_focused = b
        .js(
            "return document.activeElement === arguments[0];",
            vec![term.to_json().unwrap()],
        )
        .await;
    assert_eq!(still_focused, json!(true), "focus stays on the term");
}

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_focus_shows_an_announced_card_and_moving_on_hides_it() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let mut reached = false;
    for _ in 0..200 {
        b.driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
        if b.js("return document.activeElement.matches('a.term')", vec![]).await == json!(true) {
            reached = true;
            break;
        }
    }
    assert!(reached, "a term can be reached with Tab");
    assert!(b.wait_until(&visible(CARD), Duration::from_millis(300)).await.is_some());
    let wired = b
        .js(
            "const t = document.activeElement; const ids = (t.getAttribute('aria-describedby') || '').split(' ');
             const card = document.querySelector('[role=tooltip]');
             return !!card && ids.includes(card.id) && card.textContent.trim().length > 0;",
            vec![],
        )
        .await;
    assert_eq!(wired, json!(true), "the term is described by its visible card");
    let previous = b.js("return document.activeElement", vec![]).await;
    b.driver.action_chain().send_keys(Key::Tab).perform().await.unwrap();
    let state = b
        .js(
            "const a = document.activeElement, card = document.querySelector('[role=tooltip]');
             const describes = t => !!card && (t.getAttribute('aria-describedby') || '').split(' ').includes(card.id);
             return { in_card: !!a.closest('[role=tooltip]'), on_term: a.matches('a.term'),
                      previous_described: describes(arguments[0]), current_described: describes(a) };",
            vec![previous],
        )
        .await;
    if state["on_term"] == json!(true) {
        // Focus moved straight onto the next term: its card replaces the last one.
        assert_eq!(
            state["previous_described"],
            json!(false),
            "the previous term's card is gone"
        );
        assert_eq!(state["current_described"], json!(true), "the next term has its card");
    } else if state["in_card"] == json!(false) {
        let hidden = b.wait_until(&hidden(CARD), Duration::from_secs(1)).await;
        assert!(hidden.is_some(), "moving focus on hides the card");
    }
    // And focus moving to something that is not a term always hides it.
    b.js("document.querySelector('main a.term').focus()", vec![]).await;
    assert!(b.wait_until(&visible(CARD), Duration::from_millis(300)).await.is_some());
    b.js(
        "document.querySelector('main a:not(.term):not([role=tooltip] a)').focus()",
        vec![],
    )
    .await;
    let hidden = b.wait_until(&hidden(CARD), Duration::from_secs(1)).await;
    assert!(hidden.is_some(), "focus leaving the term hides the card");
}

async fn tap(b: &Browser, x: f64, y: f64) {
    for kind in ["touchStart", "touchEnd"] {
        let points = if kind == "touchStart" {
            json!([{ "x": x, "y": y }])
        } else {
            json!([])
        };
        b.cdp(
            "Input.dispatchTouchEvent",
            json!({ "type": kind, "touchPoints": points }),
        )
        .await;
    }
}

/// Taps the middle of `element`'s first line box (a term may wrap onto two
/// lines), after checking that nothing covers it there.
async fn tap_on(b: &Browser, element: &WebElement) {
    let middle = b
        .js(
            "const r = arguments[0].getClientRects()[0];
             const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
             return arguments[0].contains(document.elementFromPoint(x, y)) ? [x, y] : null;",
            vec![element.to_json().unwrap()],
        )
        .await;
    let middle = middle.as_array().expect("nothing covers what is tapped");
    tap(b, middle[0].as_f64().unwrap(), middle[1].as_f64().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_a_tap_shows_the_card_and_a_tap_elsewhere_closes_it() {
    let Some(b) = start_phone(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let term = first_term(&b).await;
    let before = b.driver.current_url().await.unwrap();
    tap_on(&b, &term).await;
    assert!(
        b.wait_until(&visible(CARD), Duration::from_millis(500)).await.is_some(),
        "a tap shows the card"
    );
    assert_eq!(
        b.driver.current_url().await.unwrap(),
        before,
        "the first tap does not leave the page"
    );
    let full_entry = b
        .js(
            "return !!document.querySelector('[role=tooltip] a[href*=\"glossary/index.html#\"]')",
            vec![],
        )
        .await;
    assert_eq!(full_entry, json!(true), "the full entry is one more tap away");
    tap(&b, 5.0, 420.0).await;
    let hidden = b.wait_until(&hidden(CARD), Duration::from_secs(1)).await;
    assert!(hidden.is_some(), "a tap elsewhere closes the card");
}

/// Scrolls to the first place in the text where `context` is written, outside
/// any term, and returns the middle of its first `word` (the characters
/// `context` starts with) as the reader sees it, whether or not the words of
/// the article have been loaded and cut yet.
async fn where_written(b: &Browser, context: &str, word: &str) -> (f64, f64) {
    let find = r#"const [context, word] = arguments;
        for (const p of document.querySelectorAll('.text p[id]')) {
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, at = node.data.indexOf(context);
                if (at < 0 || node.parentNode.closest('a.term, rt, .pnum')) continue;
                node.parentNode.scrollIntoView({ block: 'center' });
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const r = range.getClientRects()[0];
                return [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
            }
        }
        return null;"#;
    let at = b.js(find, vec![json!(context), json!(word)]).await;
    let at = at
        .as_array()
        .unwrap_or_else(|| panic!("{context} in the text, outside a term"));
    (at[0].as_f64().unwrap(), at[1].as_f64().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_a_tap_on_any_word_looks_it_up_and_a_tap_on_a_term_still_shows_its_card() {
    let Some(b) = start_phone(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let lookup = LOOKUP;
    let term_card = "[role=tooltip]:not([data-lookup])";
    let before = b.driver.current_url().await.unwrap();

    // The reader's first tap on a word of the text opens its card, though
    // nothing has loaded the article's words before it and, on a slow
    // connection (Lighthouse's mobile throttling), they come long after
    // the finger has lifted.
    let (x, y) = where_written(&b, "重要作用", "重要").await;
    b.cdp("Network.enable", json!({})).await;
    let throttle = |on: bool| {
        json!({ "offline": false, "latency": if on { 150 } else { 0 },
                "downloadThroughput": if on { 200_000 } else { -1 }, "uploadThroughput": if on { 93_750 } else { -1 } })
    };
    b.cdp("Network.emulateNetworkConditions", throttle(true)).await;
    tap(&b, x, y).await;
    // Until they come, the card at the tap says it waits (aria-busy).
    let looked_up = "[role=tooltip][data-lookup]:not([aria-busy])";
    assert!(
        b.wait_until(&visible(looked_up), Duration::from_secs(20))
            .await
            .is_some(),
        "a tap on 重要 opens the lookup card once the words have come"
    );
    b.cdp("Network.emulateNetworkConditions", throttle(false)).await;
    let card = b
        .js(
            "const c = document.querySelector(arguments[0]);
             return [c.querySelector('.lookup-word').firstChild.data, c.querySelector('.lookup-pinyin').textContent.trim(), c.textContent];",
            vec![json!(lookup)],
        )
        .await;
    assert_eq!((&card[0], &card[1]), (&json!("重要"), &json!("zhòngyào")), "{card}");
    assert!(card[2].as_str().unwrap().contains("important"), "{card}");
    let word = b
        .js(
            "const s = document.elementFromPoint(arguments[0], arguments[1]).closest('span.w');
             if (s) s.id = 'probe';
             return !!s && s.textContent === '重要';",
            vec![json!(x), json!(y)],
        )
        .await;
    assert_eq!(word, json!(true), "the tapped word is the one looked up");
    let word = b.driver.find(By::Id("probe")).await.unwrap();
    assert!(
        !overlaps(
            &rect(&b, &word).await,
            &rect(&b, &b.driver.find(By::Css(lookup)).await.unwrap()).await
        ),
        "the card does not cover the word"
    );
    assert_eq!(
        b.driver.current_url().await.unwrap(),
        before,
        "the tap stays on the page"
    );

    // A tap on the margin, where there is no word, closes it.
    let (x, y) = (5.0, 420.0);
    let empty = b
        .js(
            "const e = document.elementFromPoint(arguments[0], arguments[1]);
             return !!e && !e.closest('span.w, a, button, [role=tooltip]');",
            vec![json!(x), json!(y)],
        )
        .await;
    assert_eq!(empty, json!(true), "nothing to tap at ({x}, {y})");
    tap(&b, x, y).await;
    assert!(
        b.wait_until(&hidden(lookup), Duration::from_secs(1)).await.is_some(),
        "a tap elsewhere closes the lookup card"
    );

    // A glossary term tapped still opens its own card, not the lookup card.
    let term = first_term(&b).await;
    let id = term.attr("data-term").await.unwrap().unwrap();
    tap_on(&b, &term).await;
    assert!(
        b.wait_until(&visible(term_card), Duration::from_secs(2))
            .await
            .is_some(),
        "a tap on a term opens its card"
    );
    let (zh, _, _) = glossary_entry(&id);
    let text = b.driver.find(By::Css(term_card)).await.unwrap().text().await.unwrap();
    assert!(text.contains(&zh), "the card of {id}: {text}");
    assert_eq!(b.js(&hidden(lookup), vec![]).await, json!(true), "and no lookup card");
    assert_eq!(
        b.driver.current_url().await.unwrap(),
        before,
        "the tap stays on the page"
    );

    // And a word tapped while the term's card is open replaces it.
    let word = b.driver.find(By::Id("probe")).await.unwrap();
    word.scroll_into_view().await.unwrap();
    tap_on(&b, &word).await;
    assert!(
        b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
        "a tap on a word opens the lookup card"
    );
    assert!(
        b.wait_until(&hidden(term_card), Duration::from_secs(1)).await.is_some(),
        "and closes the term's card"
    );
    assert!(b.severe_console_messages().await.is_empty());
}

/// Where the reader's HTML is cut to stand for a slow connection: after the
/// first paragraph of the text with a term (the tools bar, with the
/// translation toggle, comes before it).
fn after_the_first_term(html: &str) -> usize {
    let text = html.find("<div class=\"unit\">").expect("a paragraph");
    let term = text + html[text..].find("<a class=\"term").expect("a term in the text");
    term + html[term..].find("</p>").unwrap() + "</p>".len()
}

/// Goes to the held page and waits until its text has painted while the
/// rest of it, and so its deferred scripts, are still to come.
async fn open_held(b: &Browser, held: &HeldPage) {
    b.driver.goto(&held.url).await.unwrap();
    let painted = "return document.readyState === 'loading'
        && !!document.querySelector('main .unit a.term[data-term]')
        && performance.getEntriesByType('paint').some(p => p.name === 'first-contentful-paint')";
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    // Until the new page commits, a script may find no page to run in.
    while !b
        .driver
        .execute(painted, vec![])
        .await
        .is_ok_and(|r| r.json() == &json!(true))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the text paints before the rest of the page comes"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let waiting = b.js("return [typeof window.dubenCards, location.href]", vec![]).await;
    assert_eq!(waiting, json!(["undefined", held.url]), "duben.js has not run yet");
}

/// The card file `duben.js` asks for the first term of the text: FNV-1a
/// of its id, modulo the page's number of card files.
fn card_file_of_first_term(html: &str) -> (String, String) {
    let attribute = |from: &str, name: &str| -> String {
        let at = from.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        from[at..at + from[at..].find('"').unwrap()].to_string()
    };
    let files: u32 = attribute(html, "data-card-files").parse().unwrap();
    let text = &html[html.find("<div class=\"unit\">").unwrap()..];
    let id = attribute(&text[text.find("<a class=\"term\"").unwrap()..], "data-term");
    let hash = id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    (id, format!("static/cards/{}.js", hash % files))
}

/// Issues 14 and 18: what a reader asks for before its data has come says
/// that it is coming. A term tapped before its card file has come is
/// marked as waiting, then opens its card; a word tapped before the
/// article's words have come gets a card at the tap that says so, then
/// the word's lookup.
#[tokio::test(flavor = "multi_thread")]
async fn a_term_or_word_tapped_before_its_data_has_come_shows_that_it_waits() {
    let Some(b) = start_phone(Setup::default()).await else {
        return;
    };
    let html = std::fs::read_to_string(site().dir.join(READER)).unwrap();
    let (id, file) = card_file_of_first_term(&html);
    let held = harness::hold_back(&file, 0);
    let page = held.url.replace(&file, READER);
    b.driver.goto(&page).await.unwrap();
    let term = format!("main .unit a.term[data-term=\"{id}\"]");
    tap_on(&b, &b.driver.find(By::Css(&term)).await.unwrap()).await;
    let state = waiting_state(&b, &term).await;
    assert_eq!(state["busy"], json!("true"), "the term waits visibly: {state}");
    assert_eq!(b.js(&visible(CARD), vec![]).await, json!(false), "no card yet");
    assert!(
        b.driver.current_url().await.unwrap().as_str().ends_with(READER),
        "the tap stays on the page"
    );
    held.release();
    assert!(
        b.wait_until(&visible(CARD), Duration::from_secs(5)).await.is_some(),
        "the card opens once its file has come"
    );
    assert_eq!(
        waiting_state(&b, &term).await["busy"],
        json!(null),
        "and the term waits no more"
    );

    let words = READER.replace("index.html", "words.js");
    let held = harness::hold_back(&words, 0);
    b.driver.goto(&held.url.replace(&words, READER)).await.unwrap();
    let lookup = LOOKUP;
    let (x, y) = where_written(&b, "重要作用", "重要").await;
    tap(&b, x, y).await;
    assert!(
        b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
        "a card at the tap says that the lookup is coming"
    );
    let state = waiting_state(&b, lookup).await;
    assert_eq!(state["busy"], json!("true"), "{state}");
    held.release();
    let found = b
        .wait_until(
            &format!("{} && document.querySelector('{lookup} .lookup-word')?.textContent.startsWith('重要') && !document.querySelector('{lookup}').hasAttribute('aria-busy')", visible(lookup).trim_end_matches(';')),
            Duration::from_secs(5),
        )
        .await;
    assert!(found.is_some(), "then the tapped word is looked up");
}

/// `aria-busy` of the element matching the selector, and how it looks.
async fn waiting_state(b: &Browser, selector: &str) -> Value {
    b.js(
        "const e = document.querySelector(arguments[0]), s = getComputedStyle(e);
         return { busy: e.getAttribute('aria-busy'), cursor: s.cursor, pulse: s.animationName, opacity: s.opacity };",
        vec![json!(selector)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_slow_connection_a_tap_before_the_scripts_waits_visibly_and_then_works() {
    let Some(b) = start_phone(Setup {
        wait_for_load: false,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    let html = std::fs::read_to_string(site().dir.join(READER)).unwrap();
    let held = harness::hold_back(READER, after_the_first_term(&html));
    let term = "main .unit a.term[data-term]";

    // A term tapped before the scripts have run shows that it waits, does
    // not leave the page, and opens its card once they have.
    open_held(&b, &held).await;
    let modified = b
        .js(
            "const e = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
             document.querySelector(arguments[0]).dispatchEvent(e);
             return [e.defaultPrevented, document.querySelectorAll('[aria-busy]').length];",
            vec![json!(TOGGLE)],
        )
        .await;
    assert_eq!(
        modified,
        json!([false, 0]),
        "a ctrl-click (a new tab) is the browser's own"
    );
    let element = first_term(&b).await;
    let id = element.attr("data-term").await.unwrap().unwrap();
    tap_on(&b, &element).await;
    let marked = format!("return document.querySelector({term:?}).getAttribute('aria-busy') === 'true'");
    assert!(
        b.wait_until(&marked, Duration::from_secs(5)).await.is_some(),
        "the tapped term is marked as waiting"
    );
    let state = waiting_state(&b, term).await;
    assert_eq!(
        (&state["cursor"], &state["pulse"]),
        (&json!("progress"), &json!("busy")),
        "and looks it: {state}"
    );
    held.release();
    assert!(
        b.wait_until(&visible("#term-card"), Duration::from_secs(20))
            .await
            .is_some(),
        "once the scripts have run, the tap opens the card"
    );
    let card = b
        .js(
            "return [document.getElementById('term-card').textContent, location.href, document.querySelectorAll('[aria-busy]').length]",
            vec![],
        )
        .await;
    let (zh, _, _) = glossary_entry(&id);
    assert!(card[0].as_str().unwrap().contains(&zh), "the card of {id}: {card}");
    assert_eq!(
        (&card[1], &card[2]),
        (&json!(held.url), &json!(0)),
        "on the same page, done waiting"
    );

    // Tapped again elsewhere, the mark moves: the last tap is the one kept
    // (a reader taps again because nothing happened). With reduced motion
    // the waiting toggle is dimmed, not pulsing.
    b.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
    )
    .await;
    open_held(&b, &held).await;
    tap_on(&b, &first_term(&b).await).await;
    assert!(b.wait_until(&marked, Duration::from_secs(5)).await.is_some());
    tap_on(&b, &b.driver.find(By::Css(TOGGLE)).await.unwrap()).await;
    let moved = format!(
        "return document.querySelector({TOGGLE:?}).getAttribute('aria-busy') === 'true' && !document.querySelector({term:?}).hasAttribute('aria-busy')"
    );
    assert!(
        b.wait_until(&moved, Duration::from_secs(5)).await.is_some(),
        "the toggle waits now, the term no longer"
    );
    let state = waiting_state(&b, TOGGLE).await;
    assert_eq!(
        (&state["pulse"], &state["opacity"]),
        (&json!("none"), &json!("0.6")),
        "{state}"
    );
    held.release();
    let pressed = format!("return document.querySelector({TOGGLE:?}).getAttribute('aria-pressed') === 'true'");
    assert!(
        b.wait_until(&pressed, Duration::from_secs(20)).await.is_some(),
        "once the scripts have run, the tap on the toggle turns the translations on"
    );
    assert_eq!(translations_shown(&b).await, json!(true));
    let after = b
        .js(
            "const c = document.getElementById('term-card');
             return [!c || c.hidden, location.href, document.querySelectorAll('[aria-busy]').length]",
            vec![],
        )
        .await;
    assert_eq!(
        after,
        json!([true, held.url, 0]),
        "the term's earlier tap is not replayed"
    );

    // A paragraph number tapped before offers its citation after, rather
    // than being a plain permalink.
    open_held(&b, &held).await;
    let number = "main .unit a.pnum";
    let element = b.driver.find(By::Css(number)).await.unwrap();
    element.scroll_into_view().await.unwrap();
    tap_on(&b, &element).await;
    let marked = format!("return document.querySelector({number:?}).getAttribute('aria-busy') === 'true'");
    assert!(b.wait_until(&marked, Duration::from_secs(5)).await.is_some());
    held.release();
    let cited = format!(
        "return !!document.querySelector('[data-cite]') && location.href === {:?}",
        held.url
    );
    assert!(
        b.wait_until(&cited, Duration::from_secs(20)).await.is_some(),
        "once the scripts have run, the tap opens the citation panel"
    );
}

async fn term_link_lands_on_its_entry(b: &Browser) {
    let term = first_term(b).await;
    let id = term.attr("data-term").await.unwrap().unwrap();
    term.click().await.unwrap();
    let url = b.driver.current_url().await.unwrap();
    assert!(
        url.as_str().ends_with(&format!("glossary/index.html#term-{id}")),
        "landed on {url}"
    );
    let entry = b
        .js("return !!document.getElementById(location.hash.slice(1))", vec![])
        .await;
    assert_eq!(entry, json!(true));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_a_term_is_a_plain_link_to_its_entry() {
    let Some(b) = start(Setup {
        javascript: false,
        ..Setup::default()
    })
    .await
    else {
        return;
    };
    b.open(READER).await;
    term_link_lands_on_its_entry(&b).await;
    b.driver
        .goto(format!("file://{}", site().dir.join(READER).display()))
        .await
        .unwrap();
    term_link_lands_on_its_entry(&b).await;
}

async fn translations_shown(b: &Browser) -> Value {
    b.js(
        "const all = [...document.querySelectorAll('.translation')];
         return all.length > 0 && all.every(t => t.getClientRects().length > 0 && getComputedStyle(t).visibility !== 'hidden');",
        vec![],
    )
    .await
}

async fn toggle_survives_reload(b: &Browser) {
    let paragraphs = b
        .js("return document.querySelectorAll('main p[id^=p]').length", vec![])
        .await;
    let translated = b
        .js(
            "return document.querySelectorAll('.translation:not(.heading-translation)').length",
            vec![],
        )
        .await;
    assert_eq!(paragraphs, translated, "every paragraph has its English");
    let headings_translated = b
        .js(
            "const hs = [...document.querySelectorAll('.text h2[id], .text h3[id]')];
             return hs.length > 0 && hs.every(h => h.nextElementSibling && h.nextElementSibling.matches('.heading-translation[lang=en]'))
                 && document.querySelectorAll('.toc li').length === document.querySelectorAll('.toc li .toc-en').length;",
            vec![],
        )
        .await;
    assert_eq!(
        headings_translated,
        json!(true),
        "every heading has its English under it and in the contents"
    );
    b.driver
        .find(By::Css(TOGGLE))
        .await
        .expect("a translation toggle")
        .click()
        .await
        .unwrap();
    assert_eq!(
        translations_shown(b).await,
        json!(true),
        "the toggle shows every translation"
    );
    b.driver.refresh().await.unwrap();
    assert_eq!(translations_shown(b).await, json!(true), "the choice survives a reload");
    b.driver.find(By::Css(TOGGLE)).await.unwrap().click().await.unwrap();
    assert_eq!(translations_shown(b).await, json!(false), "and toggles back");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_translation_toggle_is_remembered() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    toggle_survives_reload(&b).await;
    b.driver
        .goto(format!("file://{}", site().dir.join(READER).display()))
        .await
        .unwrap();
    toggle_survives_reload(&b).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn timeline_markers_and_links_back_land_on_the_exact_paragraph() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let marker = b
        .driver
        .find(By::Css("main a[href*='timeline/index.html#']"))
        .await
        .expect("an event marker");
    let href = marker.attr("href").await.unwrap().unwrap();
    let event_id = href.split('#').nth(1).unwrap().to_owned();
    b.driver.goto(format!("{}/yao-2019/{href}", site().base)).await.unwrap();
    let back = b
        .js(
            "const e = document.getElementById(arguments[0]); const a = e && e.querySelector('a[href*=\"yao-2019/index.html#p\"]'); return a ? a.getAttribute('href') : null;",
            vec![json!(event_id)],
        )
        .await;
    let back = back.as_str().expect("the event links back into the text").to_owned();
    b.driver.goto(format!("{}/timeline/{back}", site().base)).await.unwrap();
    let landed = b
        .js(
            "const t = document.getElementById(location.hash.slice(1)); return t && t.tagName === 'P';",
            vec![],
        )
        .await;
    assert_eq!(landed, json!(true), "{back} lands on a paragraph");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_console_errors_failed_or_foreign_requests_on_any_page() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    for page in PAGES {
        b.open(page).await;
        let foreign = b
            .js(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin));",
                vec![],
            )
            .await;
        assert_eq!(foreign, json!([]), "{page} requests another host");
        let failed = b
            .js("return performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400).map(e => e.name);", vec![])
            .await;
        assert_eq!(failed, json!([]), "{page} has failed requests");
        let errors = b.severe_console_messages().await;
        assert!(errors.is_empty(), "{page} logs errors: {errors:?}");
    }
}

/// The pinned tool at `relative` under tests/browser-tools/node_modules, or
/// none when `skip_or_fail` lets the test skip.
fn browser_tool(relative: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser-tools/node_modules")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    harness::skip_or_fail(&format!(
        "{} is missing: run `npm ci --prefix tests/browser-tools` (see README)",
        path.display()
    ));
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_violations_with_pinyin_on_every_word_and_a_card_open() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let Some(axe) = browser_tool("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(axe).unwrap();
    let lookup = LOOKUP;
    let mut report = Vec::new();
    for scheme in ["light", "dark"] {
        b.media("screen", scheme).await;
        b.open(READER).await;
        let control = b.driver.find(By::Css("[data-setting=pinyin]")).await.unwrap();
        let mode = "return document.documentElement.dataset.pinyin || ''";
        for _ in 0..3 {
            if b.js(mode, vec![]).await == json!("all") {
                break;
            }
            control.click().await.unwrap();
        }
        assert_eq!(b.js(mode, vec![]).await, json!("all"), "{scheme}: pinyin on every word");
        assert!(
            b.wait_until(
                "return document.querySelectorAll('.text ruby rt').length > 100",
                Duration::from_secs(5)
            )
            .await
            .is_some(),
            "{scheme}: ruby on every word"
        );
        point_at_word(&b, "重要").await;
        assert!(
            b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
            "{scheme}: the lookup card is open"
        );
        let violations = b.axe_violations(&axe).await;
        eprintln!(
            "axe {scheme}, ruby on and a lookup card open: {} violations",
            violations.len()
        );
        report.extend(violations.into_iter().map(|v| format!("{scheme}, lookup card: {v}")));
        // And a glossary term's card.
        b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
        let term = first_term(&b).await;
        move_pointer_to(&b, &term).await;
        assert!(
            b.wait_until(&visible("[role=tooltip]:not([data-lookup])"), Duration::from_secs(2))
                .await
                .is_some(),
            "{scheme}: the term card is open"
        );
        let violations = b.axe_violations(&axe).await;
        eprintln!(
            "axe {scheme}, ruby on and a term card open: {} violations",
            violations.len()
        );
        report.extend(violations.into_iter().map(|v| format!("{scheme}, term card: {v}")));
    }
    assert!(report.is_empty(), "axe violations:\n{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_violations_in_light_or_dark() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let Some(axe) = browser_tool("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut report = Vec::new();
    // Every page, then the reader again on a screen wide enough for its
    // notes to stand in the margin.
    let runs: Vec<(u32, &str)> = PAGES.iter().map(|p| (1280, *p)).chain([(1600, READER)]).collect();
    for scheme in ["light", "dark"] {
        b.media("screen", scheme).await;
        for &(width, page) in &runs {
            b.viewport(width, 900, false).await;
            b.open(page).await;
            let violations = b.axe_violations(&axe).await;
            eprintln!("axe {scheme} {page} at {width} px: {} violations", violations.len());
            report.extend(
                violations
                    .into_iter()
                    .map(|v| format!("{scheme} {page} at {width} px: {v}")),
            );
        }
    }
    assert!(report.is_empty(), "axe violations:\n{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_scrolls_sideways_at_320px_and_the_sidebar_folds_at_200_percent_zoom() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    for page in PAGES {
        b.viewport(320, 640, false).await;
        b.open(page).await;
        let overflow = b
            .js(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await;
        assert_eq!(overflow, json!(0), "{page} scrolls sideways at 320 px");
    }
    // 200% zoom of a 1280 px window lays out like a 640 px viewport.
    b.viewport(640, 450, false).await;
    b.open(READER).await;
    let folded = b
        .js(
            "const aside = document.querySelector('aside[lang=en]'); const p = document.getElementById('p1');
             const a = aside.getBoundingClientRect(), t = p.getBoundingClientRect();
             return a.bottom <= t.top + 1 && document.documentElement.scrollWidth <= document.documentElement.clientWidth;",
            vec![],
        )
        .await;
    assert_eq!(
        folded,
        json!(true),
        "at 200% zoom the English sidebar folds above the text"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn print_keeps_the_text_and_hides_the_controls() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let term = first_term(&b).await;
    term.focus().await.unwrap();
    b.media("print", "light").await;
    let state = b
        .js(
            "const shown = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
             return { text: shown('main p[id^=p]'), numbers: shown('main a[href^=\"#p\"]'), headings: shown('main h2'),
                      cards: shown('[role=tooltip]'), toggles: shown('main button'), nav: shown('nav') };",
            vec![],
        )
        .await;
    assert_eq!(
        state,
        json!({ "text": true, "numbers": true, "headings": true, "cards": false, "toggles": false, "nav": false })
    );
}

#[test]
fn every_html_file_passes_html_validate() {
    let Some(cli) = browser_tool(".bin/html-validate") else {
        return;
    };
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser-tools");
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&site().dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(files.len() >= 5);
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

/// The `<rt>` text of the first word span holding `word` (after ruby).
const RUBY_OF: &str = r#"
    for (const s of document.querySelectorAll('span.w')) {
        const rb = s.querySelector('ruby');
        if (rb && rb.firstChild.data === arguments[0]) return rb.querySelector('rt').textContent;
    }
    return null;
"#;

#[tokio::test(flavor = "multi_thread")]
async fn pinyin_ruby_reads_heteronyms_per_word_and_survives_a_reload() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let control = b.driver.find(By::Css("[data-setting=pinyin]")).await.unwrap();
    control.click().await.unwrap();
    control.click().await.unwrap();
    assert_eq!(
        b.js("return document.documentElement.dataset.pinyin", vec![]).await,
        json!("all")
    );
    assert!(
        b.wait_until(
            "return document.querySelectorAll('.text ruby rt').length > 100",
            Duration::from_secs(5)
        )
        .await
        .is_some(),
        "ruby on every word"
    );
    for (word, reading) in [
        ("重要", "zhòngyào"),
        ("重新", "chóngxīn"),
        ("进行", "jìnxíng"),
        ("行动", "xíngdòng"),
        ("作为", "zuòwéi"),
        ("为了", "wèile"),
        ("国防部长", "guófáng bùzhǎng"),
    ] {
        assert_eq!(b.js(RUBY_OF, vec![json!(word)]).await, json!(reading), "{word}");
    }
    b.driver.refresh().await.unwrap();
    assert!(
        b.wait_until("return document.documentElement.dataset.pinyin === 'all' && document.querySelectorAll('.text ruby rt').length > 100", Duration::from_secs(5))
            .await
            .is_some(),
        "the mode survives a reload"
    );
    assert!(b.severe_console_messages().await.is_empty());
}

/// The reader's pinyin as a page shows it: the mode, the control's label and
/// state, what is remembered, and the words with ruby (each `[word, rt,
/// inside a marked term]`).
const PINYIN_STATE: &str = r#"
    const control = document.querySelector('[data-setting=pinyin]');
    return {
        mode: document.documentElement.dataset.pinyin,
        label: control.querySelector('[data-pinyin-label]').textContent,
        pressed: control.getAttribute('aria-pressed'),
        remembered: localStorage.getItem('duben.pinyin'),
        ruby: [...document.querySelectorAll('.text ruby, .abstract-zh ruby')].map(r =>
            [r.firstChild.data, r.querySelector('rt').textContent, !!r.closest('a.term')]),
    };
"#;

/// Clicks the pinyin control until the mode is `mode`.
async fn choose_pinyin(b: &Browser, mode: &str) {
    let control = b.driver.find(By::Css("[data-setting=pinyin]")).await.unwrap();
    control.scroll_into_view().await.unwrap();
    for _ in 0..3 {
        if b.js("return document.documentElement.dataset.pinyin", vec![]).await == json!(mode) {
            return;
        }
        control.click().await.unwrap();
    }
    panic!("the pinyin control never reaches {mode}");
}

/// A script that is true once the page is in pinyin `mode` and has ruby
/// exactly when the mode is not off.
fn pinyin_ready(mode: &str) -> String {
    format!(
        "return document.documentElement.dataset.pinyin === {mode:?}
             && (document.querySelectorAll('.text ruby').length > 0) === ({mode:?} !== 'off')"
    )
}

/// Waits until the page shows pinyin `mode` with its ruby, and checks that
/// the ruby is where the mode puts it: none when off, only on glossary
/// forms (and inside marked terms) for `terms`, on ordinary words too for
/// `all`, with each heteronym read as its word has it.
async fn shows_pinyin(b: &Browser, mode: &str, forms: &std::collections::BTreeSet<String>, when: &str) {
    assert!(
        b.wait_until(&pinyin_ready(mode), Duration::from_secs(10))
            .await
            .is_some(),
        "{when}: pinyin {mode} with its ruby: {}",
        b.js(PINYIN_STATE, vec![]).await
    );
    let state = b.js(PINYIN_STATE, vec![]).await;
    let label = match mode {
        "all" => "all words",
        other => other,
    };
    assert_eq!(
        (&state["mode"], &state["label"], &state["pressed"]),
        (&json!(mode), &json!(label), &json!((mode != "off").to_string())),
        "{when}: the control says so"
    );
    let ruby = state["ruby"].as_array().unwrap();
    let outside_terms: Vec<&str> = ruby
        .iter()
        .filter(|r| r[2] == json!(false))
        .map(|r| r[0].as_str().unwrap())
        .collect();
    match mode {
        "off" => assert!(ruby.is_empty(), "{when}: no ruby with pinyin off: {ruby:?}"),
        "terms" => {
            assert!(
                ruby.iter().any(|r| r[2] == json!(true)),
                "{when}: marked terms have ruby"
            );
            let ordinary: Vec<&&str> = outside_terms.iter().filter(|w| !forms.contains(**w)).collect();
            assert!(
                ordinary.is_empty(),
                "{when}: ruby on words that are no term: {ordinary:?}"
            );
        }
        _ => {
            let ordinary = outside_terms.iter().filter(|w| !forms.contains(**w)).count();
            assert!(ordinary > 100, "{when}: ruby on ordinary words too ({ordinary})");
            for (word, reading) in [
                ("重新", "chóngxīn"),
                ("重要", "zhòngyào"),
                ("进行", "jìnxíng"),
                ("行动", "xíngdòng"),
            ] {
                assert_eq!(b.js(RUBY_OF, vec![json!(word)]).await, json!(reading), "{when}: {word}");
            }
        }
    }
    if mode == "terms" {
        for word in ["重新", "重要", "进行", "行动"] {
            assert_eq!(b.js(RUBY_OF, vec![json!(word)]).await, json!(null), "{when}: {word}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pinyin_mode_survives_a_reload_also_from_disk() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let forms: std::collections::BTreeSet<String> = glossary_terms()
        .iter()
        .flat_map(|t| {
            let aliases = t.get("aliases").and_then(|a| a.as_array()).cloned().unwrap_or_default();
            std::iter::once(t["zh"].clone()).chain(aliases)
        })
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    b.driver
        .goto(format!("file://{}", site().dir.join(READER).display()))
        .await
        .unwrap();
    shows_pinyin(&b, "off", &forms, "from disk, at first").await;
    for mode in ["terms", "all", "off"] {
        choose_pinyin(&b, mode).await;
        shows_pinyin(&b, mode, &forms, "chosen").await;
        b.driver.refresh().await.unwrap();
        shows_pinyin(&b, mode, &forms, "after a reload").await;
        assert_eq!(
            b.js(PINYIN_STATE, vec![]).await["remembered"],
            json!(mode),
            "remembered from disk"
        );
    }
    assert!(b.severe_console_messages().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn any_word_can_be_looked_up_by_pointer_and_by_keyboard() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    open_with_words(&b).await;
    let lookup = LOOKUP;
    let word = point_at_word(&b, "重要").await;
    assert!(
        b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
        "the card appears on hover"
    );
    let text = b.driver.find(By::Css(lookup)).await.unwrap().text().await.unwrap();
    assert!(text.contains("zhòngyào") && text.contains("important"), "{text}");
    assert!(!overlaps(
        &rect(&b, &word).await,
        &rect(&b, &b.driver.find(By::Css(lookup)).await.unwrap()).await
    ));
    b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
    assert!(
        b.wait_until(&hidden(lookup), Duration::from_secs(1)).await.is_some(),
        "Escape closes it"
    );
    // Keyboard: select the word and press "l".
    b.js(
        "const r = document.createRange(); r.selectNodeContents(document.getElementById('probe')); const s = getSelection(); s.removeAllRanges(); s.addRange(r);",
        vec![],
    )
    .await;
    b.driver.action_chain().send_keys("l").perform().await.unwrap();
    assert!(
        b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
        "the card appears by keyboard"
    );
    let live = b
        .js("return document.querySelector('[aria-live]').textContent", vec![])
        .await;
    assert!(live.as_str().unwrap_or("").contains("zhòngyào"), "{live}");
    assert!(b.severe_console_messages().await.is_empty());
}

/// Focuses the page's last term as soon as the page has loaded (its card
/// file is then the last one the page preloads) and returns how long the
/// page took to show its card, in ms, measured in the page.
async fn first_card_after_load(b: &Browser) -> f64 {
    b.js(
        "window.shownAfter = null;
         const t = [...document.querySelectorAll('main a.term[data-term]')].pop();
         const start = performance.now();
         new MutationObserver(() => {
           const c = document.getElementById('term-card');
           if (c && !c.hidden && window.shownAfter === null && c.textContent.includes(t.textContent))
             window.shownAfter = performance.now() - start;
         }).observe(document.body, { subtree: true, childList: true, attributes: true });
         t.focus();",
        vec![],
    )
    .await;
    assert!(
        b.wait_until("return window.shownAfter !== null", Duration::from_secs(10))
            .await
            .is_some(),
        "the card of a term focused at once after load comes when its file does"
    );
    b.js("return window.shownAfter", vec![]).await.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_card_asked_for_at_once_after_load_comes_from_disk_and_on_a_slow_connection() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.driver
        .goto(format!("file://{}", site().dir.join(READER).display()))
        .await
        .unwrap();
    let from_disk = first_card_after_load(&b).await;
    // Lighthouse's mobile throttling: 1.6 Mbps down, 150 ms round trips,
    // a CPU four times slower. Figures are printed, not asserted.
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750 }),
    )
    .await;
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    b.open(READER).await;
    let throttled = first_card_after_load(&b).await;
    eprintln!("first card after load: {from_disk:.0} ms from disk, {throttled:.0} ms throttled");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_glossary_filter_takes_pinyin_without_tones_or_spaces() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open("glossary/index.html").await;
    let field = b.driver.find(By::Css("[data-filter] input")).await.unwrap();
    for query in [
        "dìyuán",
        "di yuan",
        "diyuan",
        "DiYuan Zhanlue",
        "diyuanzhanlve",
        "Geostrategy",
    ] {
        field.clear().await.unwrap();
        field.send_keys(query).await.unwrap();
        let shown = b
            .wait_until(
                "const e = document.getElementById('term-geostrategy');
                 return !e.hidden && document.querySelectorAll('.entry:not([hidden])').length < 20;",
                Duration::from_secs(2),
            )
            .await;
        assert!(shown.is_some(), "{query:?} finds 地缘战略 dìyuán zhànlüè");
    }
    field.clear().await.unwrap();
    field.send_keys("diyuanq").await.unwrap();
    assert!(
        b.wait_until(
            "return document.getElementById('term-geostrategy').hidden",
            Duration::from_secs(2)
        )
        .await
        .is_some(),
        "and not what it does not match"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn at_200_percent_zoom_a_card_fits_the_screen_and_scrolls_inside_itself() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    // 200% zoom of a 1280×720 window lays out like a 640×360 viewport.
    b.viewport(640, 360, false).await;
    b.open(READER).await;
    // Every term in the text, each focused at the bottom of the screen
    // and then at its top: its card is on screen, beside the term, whole
    // or scrolling inside itself.
    let count = b
        .js(
            "return Math.min(40, document.querySelectorAll('.unit > [id^=p] a.term[data-term]').length);",
            vec![],
        )
        .await
        .as_u64()
        .unwrap();
    assert!(count > 10);
    for at in ["end", "start"] {
        for i in 0..count {
            b.js(
                "const t = [...document.querySelectorAll('.unit > [id^=p] a.term[data-term]')][arguments[0]];
                 t.scrollIntoView({ block: arguments[1] });
                 t.focus({ preventScroll: true });",
                vec![json!(i), json!(at)],
            )
            .await;
            let shown = b
                .wait_until(
                    "const c = document.getElementById('term-card'); return !!c && !c.hidden;",
                    Duration::from_secs(2),
                )
                .await;
            let state = b
                .js(
                    "const c = document.getElementById('term-card'); return [document.activeElement.outerHTML.slice(0, 120), !!c, c && c.hidden];",
                    vec![],
                )
                .await;
            assert!(shown.is_some(), "term {i} ({at}) shows its card: {state}");
            let fit = b
                .js(
                    "const t = document.activeElement, c = document.getElementById('term-card');
                     const r = c.getBoundingClientRect(), tr = t.getBoundingClientRect();
                     const covers = r.left < tr.right && tr.left < r.right && r.top < tr.bottom && tr.top < r.bottom;
                     const scrolls = c.scrollHeight > c.clientHeight + 1;
                     return { on_screen: r.top >= 0 && r.bottom <= innerHeight + 0.5 && r.left >= 0 && r.right <= innerWidth,
                              covers, scrolls, can_scroll: getComputedStyle(c).overflowY === 'auto', r: [r.top, r.bottom, r.left, r.right], t: [tr.top, tr.bottom, tr.left, tr.right], h: innerHeight, max: c.style.maxHeight };",
                    vec![],
                )
                .await;
            assert_eq!(fit["on_screen"], json!(true), "term {i} ({at}): {fit}");
            assert_eq!(fit["covers"], json!(false), "term {i} ({at}): {fit}");
            if fit["scrolls"] == json!(true) {
                assert_eq!(fit["can_scroll"], json!(true), "term {i} ({at}): {fit}");
            }
        }
    }
}

/// The basic fixture with a paragraph whose words markup cuts: 国防部长
/// half in bold, 重要 half in emphasis; and one where two such words meet.
fn site_with_cut_words() -> harness::Site {
    let root = common::scratch_copy("basic");
    let text = root.path().join("content/second/text.md");
    let mut body = std::fs::read_to_string(&text).unwrap();
    body.push_str("\n美国**国防**部长表示这很重*要*。\n\n**国防**部长**重**要。\n");
    std::fs::write(&text, body).unwrap();
    // Built into a folder of its own: the copy may go once it is built.
    harness::build_and_serve(root.path())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_word_that_markup_cuts_in_two_is_looked_up_whole_from_either_half() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    let cut = site_with_cut_words();
    b.driver.goto(format!("{}/second/index.html", cut.base)).await.unwrap();
    let lookup = LOOKUP;
    let paragraph = b.driver.find(By::Css(".text p[id=p2]")).await.unwrap();
    let before = paragraph.text().await.unwrap();
    move_pointer_to(&b, &paragraph).await;
    assert!(
        b.wait_until(
            "return document.querySelectorAll('#p2 span.w').length > 3",
            Duration::from_secs(5)
        )
        .await
        .is_some(),
        "the words are marked"
    );
    let parts = b
        .js(
            "return [...document.querySelectorAll('#p2 span.w[data-word]')].map(s => [s.textContent, s.dataset.word, s.hasAttribute('data-rest'), !!s.closest('strong, em')]);",
            vec![],
        )
        .await;
    assert_eq!(
        parts,
        json!([
            ["国防", "国防部长", false, true],
            ["部长", "国防部长", true, false],
            ["重", "重要", false, false],
            ["要", "重要", true, true]
        ])
    );
    // Each half of each cut word, and in p3 the halves where two cut
    // words meet: the shading stops at the word's edge.
    let halves = [
        ("p2", "国防", "国防部长", "guófáng", ["国防", "部长"]),
        ("p2", "部长", "国防部长", "guófáng", ["国防", "部长"]),
        ("p2", "重", "重要", "zhòngyào", ["重", "要"]),
        ("p2", "要", "重要", "zhòngyào", ["重", "要"]),
        ("p3", "部长", "国防部长", "guófáng", ["国防", "部长"]),
        ("p3", "重", "重要", "zhòngyào", ["重", "要"]),
    ];
    for (block, half, word, reading, parts) in halves {
        b.js(
            "for (const s of document.querySelectorAll('#' + arguments[0] + ' span.w')) if (s.textContent === arguments[1]) { s.id = 'half'; return; }",
            vec![json!(block), json!(half)],
        )
        .await;
        let element = b.driver.find(By::Id("half")).await.unwrap();
        move_pointer_to(&b, &element).await;
        assert!(
            b.wait_until(&visible(lookup), Duration::from_secs(2)).await.is_some(),
            "{block} {half}: the card appears"
        );
        let card = b.driver.find(By::Css(lookup)).await.unwrap().text().await.unwrap();
        assert!(card.contains(word) && card.contains(reading), "{block} {half}: {card}");
        // Both parts are shaded, not only the one under the pointer, and
        // nothing else in the article.
        let shaded = b
            .js(
                "return [...document.querySelectorAll('.article span.w')].filter(s => getComputedStyle(s).backgroundColor !== 'rgba(0, 0, 0, 0)').map(s => (s.parentElement.closest('[id]') || {}).id + ' ' + s.textContent);",
                vec![],
            )
            .await;
        let expected: Vec<String> = parts.iter().map(|p| format!("{block} {p}")).collect();
        assert_eq!(shaded, json!(expected), "{block} {half}: the whole word is shaded");
        b.js("document.getElementById('half').removeAttribute('id')", vec![])
            .await;
        b.driver.action_chain().send_keys(Key::Escape).perform().await.unwrap();
        assert!(b.wait_until(&hidden(lookup), Duration::from_secs(1)).await.is_some());
    }
    // Ruby on every word reads the whole word over its first part, and
    // taking it off again leaves the text as it was.
    choose_pinyin(&b, "all").await;
    assert!(
        b.wait_until(
            "return document.querySelectorAll('#p2 ruby').length > 3",
            Duration::from_secs(5)
        )
        .await
        .is_some()
    );
    let ruby = b
        .js(
            "return [...document.querySelectorAll('#p2 span.w[data-word]')].map(s => s.querySelector('rt') ? s.querySelector('rt').textContent : null);",
            vec![],
        )
        .await;
    assert_eq!(ruby, json!(["guófángbùzhǎng", null, "zhòngyào", null]));
    choose_pinyin(&b, "off").await;
    assert!(
        b.wait_until(
            "return document.querySelectorAll('#p2 ruby').length === 0",
            Duration::from_secs(5)
        )
        .await
        .is_some()
    );
    assert_eq!(paragraph.text().await.unwrap(), before, "the text is as it was");
    assert!(b.severe_console_messages().await.is_empty());
}

/// A browser on a touch phone or, if not `phone`, on a desktop screen.
async fn start_as(phone: bool) -> Option<Browser> {
    match phone {
        true => start_phone(Setup::default()).await,
        false => start(Setup::default()).await,
    }
}

/// The screen position of character `count` of block `id` (ruby readings
/// not counted), relative to the bottom of the tools bar, or, with no
/// count, the count of the character just below the bar in the middle of
/// its line (a line's characters may wrap to others when ruby widens the
/// words: the reader's eyes are on one place).
const CHARACTER_BELOW_BAR: &str = r#"
    const [id, count] = arguments;
    const block = document.getElementById(id);
    const bar = document.querySelector('[data-tools]').getBoundingClientRect().bottom;
    const walker = () => document.createTreeWalker(block, NodeFilter.SHOW_TEXT,
        { acceptNode: n => n.parentNode.closest('rt') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    if (count === null) {
        const r = block.getBoundingClientRect();
        const at = document.caretPositionFromPoint(r.left + r.width / 2, bar + 4);
        let seen = 0;
        for (const w = walker(); w.nextNode();) {
            if (w.currentNode === at.offsetNode) return seen + at.offset;
            seen += w.currentNode.data.length;
        }
        return -1;
    }
    let left = count;
    for (const w = walker(); w.nextNode();) {
        const node = w.currentNode;
        if (left < node.data.length) {
            const range = document.createRange();
            range.setStart(node, left);
            range.setEnd(node, left + 1);
            return range.getClientRects()[0].top - bar;
        }
        left -= node.data.length;
    }
    return null;
"#;

#[tokio::test(flavor = "multi_thread")]
async fn switching_pinyin_leaves_the_text_under_the_readers_eyes_where_it_was() {
    for phone in [false, true] {
        let Some(b) = start_as(phone).await else {
            return;
        };
        b.open(READER).await;
        // Half of ¶12 above the bar, the rest below it.
        b.js(
            "const p = document.getElementById('p12'), bar = document.querySelector('[data-tools]');
             window.scrollBy(0, p.getBoundingClientRect().top + p.offsetHeight / 2);
             window.scrollBy(0, p.getBoundingClientRect().top + p.offsetHeight / 2 - bar.getBoundingClientRect().bottom);",
            vec![],
        )
        .await;
        for mode in ["terms", "all", "off"] {
            // The character the reader's eyes are on, in the mode left.
            let count = b.js(CHARACTER_BELOW_BAR, vec![json!("p12"), Value::Null]).await;
            assert!(
                count.as_i64().unwrap() > 0,
                "a character of ¶12 just below the bar: {count}"
            );
            let before = b.js(CHARACTER_BELOW_BAR, vec![json!("p12"), count.clone()]).await;
            b.js("document.querySelector('[data-setting=pinyin]').click()", vec![])
                .await;
            assert!(
                b.wait_until(&pinyin_ready(mode), Duration::from_secs(5))
                    .await
                    .is_some(),
                "{mode}"
            );
            let now = b.js(CHARACTER_BELOW_BAR, vec![json!("p12"), count.clone()]).await;
            let moved = now.as_f64().unwrap() - before.as_f64().unwrap();
            assert!(
                moved.abs() <= 3.0,
                "phone {phone}, pinyin {mode}: the character moved {moved}px"
            );
        }
        assert!(b.severe_console_messages().await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_drag_from_a_looked_up_word_selects_only_the_text_it_passes_over() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    open_with_words(&b).await;
    let lookup = LOOKUP;
    let word = point_at_word(&b, "反映").await;
    assert!(b.wait_until(&visible(lookup), Duration::from_secs(5)).await.is_some());
    // Pressed on the word and dragged down over the card below it, as a
    // reader selecting two lines does.
    b.driver
        .action_chain()
        .click_and_hold_element(&word)
        .move_by_offset(40, 20)
        .move_by_offset(40, 20)
        .move_by_offset(40, 10)
        .perform()
        .await
        .unwrap();
    let during = b.js(&hidden(lookup), vec![]).await;
    b.driver.action_chain().release().perform().await.unwrap();
    let selected = b.js("return window.getSelection().toString()", vec![]).await;
    let selected = selected.as_str().unwrap();
    assert_eq!(during, json!(true), "no card while the button is down");
    assert!(
        !selected.is_empty() && selected.chars().count() < 200,
        "only what the drag passed over is selected: {} characters",
        selected.chars().count()
    );
    assert!(b.severe_console_messages().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_looked_up_before_the_words_have_come_is_kept() {
    let Some(b) = start(Setup::default()).await else {
        return;
    };
    b.open(READER).await;
    let selected = b
        .js(
            "const p = document.getElementById('p2');
             const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
             while (w.nextNode()) {
                 const at = w.currentNode.data.indexOf('预示着两国');
                 if (at < 0) continue;
                 window.getSelection().setBaseAndExtent(w.currentNode, at, w.currentNode, at + 5);
                 return [window.getSelection().toString(), document.querySelectorAll('span.w').length];
             }
             return null;",
            vec![],
        )
        .await;
    assert_eq!(selected, json!(["预示着两国", 0]), "selected before the words are cut");
    b.driver.action_chain().send_keys("l").perform().await.unwrap();
    let lookup = LOOKUP;
    assert!(
        b.wait_until(&visible(lookup), Duration::from_secs(5)).await.is_some(),
        "the card opens"
    );
    let card = b.driver.find(By::Css(lookup)).await.unwrap().text().await.unwrap();
    assert!(card.starts_with("预示"), "{card}");
    assert_eq!(
        b.js(
            "return [window.getSelection().toString(), document.querySelectorAll('span.w').length > 0]",
            vec![]
        )
        .await,
        json!(["预示着两国", true]),
        "the words were cut and the selection is as it was"
    );

    // A selection between elements' children (as a triple click makes):
    // the whole of ¶3, from a fresh page.
    b.open(READER).await;
    let whole = b
        .js(
            "const p = document.getElementById('p3');
             window.getSelection().setBaseAndExtent(p, 0, p, p.childNodes.length);
             return window.getSelection().toString();",
            vec![],
        )
        .await;
    b.driver.action_chain().send_keys("l").perform().await.unwrap();
    assert!(
        b.wait_until(
            "return document.querySelectorAll('span.w').length > 0",
            Duration::from_secs(5)
        )
        .await
        .is_some()
    );
    assert_eq!(
        b.js("return window.getSelection().toString()", vec![]).await,
        whole,
        "a selection of a whole paragraph is kept"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_a_paragraph_jumped_to_starts_below_the_tools_bar_in_every_pinyin_mode() {
    let Some(b) = start_phone(Setup::default()).await else {
        return;
    };
    let below_bar = "const p = document.getElementById(arguments[0]).getBoundingClientRect();
                     const bar = document.querySelector('[data-tools]').getBoundingClientRect();
                     return [p.top - bar.bottom, bar.height];";
    for mode in ["off", "all"] {
        b.open(READER).await;
        b.js("localStorage.setItem('duben.pinyin', arguments[0])", vec![json!(mode)])
            .await;
        for paragraph in ["p3", "p21"] {
            // From another page, as a link from the timeline comes.
            b.open("timeline/index.html").await;
            b.open(&format!("{READER}#{paragraph}")).await;
            assert!(
                b.wait_until(&pinyin_ready(mode), Duration::from_secs(5))
                    .await
                    .is_some(),
                "{mode}"
            );
            let gap = b.js(below_bar, vec![json!(paragraph)]).await;
            assert!(
                gap[0].as_f64().unwrap() >= 0.0,
                "pinyin {mode}, #{paragraph}: [gap, bar height] {gap}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_words_reading_is_never_broken_across_two_lines() {
    for phone in [false, true] {
        let Some(b) = start_as(phone).await else {
            return;
        };
        b.open(READER).await;
        choose_pinyin(&b, "all").await;
        assert!(
            b.wait_until(
                "return document.querySelectorAll('.text ruby').length > 100",
                Duration::from_secs(5)
            )
            .await
            .is_some()
        );
        let broken = b
            .js(
                "return [...document.querySelectorAll('.text span.w > ruby')].filter(r => r.getClientRects().length > 1).map(r => r.textContent)",
                vec![],
            )
            .await;
        assert_eq!(broken, json!([]), "phone {phone}: readings split across lines");
    }
}
