//! What a scholarly edition needs beyond the basics, over a copy of the
//! basic fixture: the article's own dates beside the record's, events placed
//! more precisely than they are shown, translated headings and questions in
//! two languages.

mod common;

use std::fs;

use common::{duben, html, scratch_copy, select, text_of};

fn append(site: &std::path::Path, file: &str, text: &str) {
    let path = site.join(file);
    let mut content = fs::read_to_string(&path).unwrap();
    content.push_str(text);
    fs::write(&path, content).unwrap();
}

fn build(site: &std::path::Path) -> std::path::PathBuf {
    let out = site.join("public");
    duben()
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    out
}

/// `check --format json` over `site`: (code, line, column) of each error.
fn check_errors(site: &std::path::Path) -> Vec<(String, String, u64, u64)> {
    let assert = duben()
        .args(["check", "--format", "json", "--root"])
        .arg(site)
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

const DATED_EVENTS: &str = r#"
[[event]]
id = "1999-record"
date = "1999-03"
text_date = "1998"
title = "原文误记年份的事件"
title_en = "An event the article misdates"
anchors = [{ article = "first", quote = "1999 年发生了事件" }]

[[event]]
id = "1999-placed"
date = "1999"
sort = "1999-06"
title = "只知年份显示的事件"
title_en = "An event shown by its year, placed by its month"
"#;

#[test]
fn the_record_orders_the_timeline_and_the_article_s_date_stays_visible() {
    let site = scratch_copy("basic");
    append(site.path(), "content/timeline.toml", DATED_EVENTS);
    let out = build(site.path());
    let doc = html(&out.join("timeline/index.html"));
    let order: Vec<String> = select(&doc, "[id^=event-]")
        .iter()
        .filter_map(|e| e.value().id().map(str::to_owned))
        .collect();
    assert_eq!(
        order,
        [
            "event-1978-communique",
            "event-1999-event",
            "event-1999-record",
            "event-1999-placed"
        ],
        "by the record (March 1999), and by `sort` (June 1999) for the event shown as 1999"
    );
    let record = &select(&doc, "#event-1999-record")[0];
    let when = text_of(&select(&doc, "#event-1999-record .when")[0]);
    assert!(when.contains("March 1999"), "{when}");
    assert!(when.contains("原文作1998年"), "{when}");
    assert!(when.contains("the article: 1998"), "{when}");
    let times: Vec<&str> = record
        .select(&scraper::Selector::parse("time").unwrap())
        .filter_map(|t| t.value().attr("datetime"))
        .collect();
    assert_eq!(times, ["1999-03", "1998"]);
    let placed = text_of(&select(&doc, "#event-1999-placed .when")[0]);
    assert!(placed.starts_with("1999"), "shown only as precise as `date`: {placed}");
    assert!(
        !placed.contains("June") && !placed.contains("6月"),
        "`sort` is never shown: {placed}"
    );
    assert!(select(&doc, "#event-1999-placed .text-date").is_empty());

    let reader = html(&out.join("first/index.html"));
    let marker = select(&reader, "a[href='../timeline/index.html#event-1999-record']");
    assert_eq!(marker.len(), 1);
    assert!(
        text_of(&marker[0]).contains("1999年3月（原文作1998年）"),
        "{}",
        text_of(&marker[0])
    );
}

#[test]
fn a_sort_date_outside_the_shown_date_is_an_error_at_its_place() {
    let site = scratch_copy("basic");
    let timeline = site.path().join("content/timeline.toml");
    let lines = fs::read_to_string(&timeline).unwrap().lines().count() as u64;
    append(
        site.path(),
        "content/timeline.toml",
        "\n[[event]]\nid = \"2018-x\"\ndate = \"2018\"\nsort = \"2019-09\"\ntitle = \"某事\"\n\n[[event]]\nid = \"2018-y\"\ndate = \"2018-09\"\nsort = \"2018\"\ntext_date = \"2017-13\"\ntitle = \"另一事\"\n",
    );
    let errors = check_errors(site.path());
    let file = "content/timeline.toml".to_owned();
    assert_eq!(
        errors,
        [
            ("sort-outside-date".to_owned(), file.clone(), lines + 5, 8),
            ("sort-outside-date".to_owned(), file.clone(), lines + 11, 8),
            ("bad-date".to_owned(), file, lines + 12, 13),
        ]
    );
}

const HEADING_AND_QUESTION_NOTES: &str = r#"
[[note]]
anchor = { heading = "历史" }
kind = "translation"
body = """I. History"""

[[note]]
anchor = { heading = "（一） 细节" }
kind = "translation"
body = """(1) *Details*"""

[[note]]
anchor = { quote = "1999年发生了事件" }
kind = "question"
lang = "zh-Hans"
body = """1999年发生了什么？"""
"#;

#[test]
fn a_heading_s_translation_is_under_it_and_in_the_contents() {
    let site = scratch_copy("basic");
    append(site.path(), "content/first/notes.toml", HEADING_AND_QUESTION_NOTES);
    let out = build(site.path());
    let doc = html(&out.join("first/index.html"));
    // Under the heading, as a translation (shown in parallel mode).
    let under = select(&doc, "h2#一-历史 + .translation.heading-translation[lang=en]");
    assert_eq!(under.len(), 1);
    assert_eq!(text_of(&under[0]).trim(), "I. History");
    let sub = select(&doc, "h3 + .heading-translation em");
    assert_eq!(sub.len(), 1, "Markdown is rendered under the heading");
    // In the table of contents, as plain text beside the Chinese.
    let toc: Vec<(String, String)> = select(&doc, ".toc li a")
        .iter()
        .map(|a| {
            let en = a
                .select(&scraper::Selector::parse(".toc-en[lang=en]").unwrap())
                .map(|e| text_of(&e))
                .collect::<String>();
            (a.value().attr("href").unwrap().to_owned(), en)
        })
        .collect();
    assert_eq!(
        toc,
        [
            ("#一-历史".to_owned(), "I. History".to_owned()),
            ("#一-细节".to_owned(), "(1) Details".to_owned())
        ],
        "{toc:?}"
    );
    assert_eq!(select(&doc, "[data-toggle=translations]").len(), 1);
}

#[test]
fn a_question_s_version_in_another_language_is_shown_with_it() {
    let site = scratch_copy("basic");
    append(site.path(), "content/first/notes.toml", HEADING_AND_QUESTION_NOTES);
    let out = build(site.path());
    let doc = html(&out.join("first/index.html"));
    let items = select(&doc, ".questions li");
    assert_eq!(items.len(), 1, "one question, in two languages");
    assert_eq!(items[0].value().attr("lang"), Some("en"));
    let zh = select(&doc, ".questions li .question-version[lang=zh-Hans]");
    assert_eq!(zh.len(), 1);
    assert_eq!(text_of(&zh[0]).trim(), "1999年发生了什么？");
    assert!(text_of(&items[0]).starts_with("What happened in 1999?"));
}

#[test]
fn wrong_heading_anchors_are_errors_at_their_place() {
    let site = scratch_copy("basic");
    let notes = site.path().join("content/first/notes.toml");
    let lines = fs::read_to_string(&notes).unwrap().lines().count() as u64;
    append(
        site.path(),
        "content/first/notes.toml",
        concat!(
            "\n[[note]]\nanchor = { heading = \"没有的标题\" }\nkind = \"translation\"\nbody = \"x\"\n",
            "\n[[note]]\nanchor = { heading = \"历史\", quote = \"美国通过了\" }\nkind = \"translation\"\nbody = \"x\"\n",
            "\n[[note]]\nanchor = { heading = \"历史\" }\nkind = \"commentary\"\nbody = \"x\"\n",
            "\n[[note]]\nanchor = { heading = \"一\" }\nkind = \"translation\"\nbody = \"x\"\n",
            "\n[[note]]\nanchor = { heading = \"细节\" }\nkind = \"translation\"\nbody = \"x\"\n",
            "\n[[note]]\nanchor = { heading = \"（一）细节\" }\nkind = \"translation\"\nbody = \"y\"\n",
        ),
    );
    append(
        site.path(),
        "content/timeline.toml",
        "\n[[event]]\nid = \"2000-x\"\ndate = \"2000\"\ntitle = \"某事\"\nanchors = [{ heading = \"历史\" }]\n",
    );
    let errors = check_errors(site.path());
    let notes = "content/first/notes.toml".to_owned();
    let expected = [
        ("heading-not-found", notes.clone(), lines + 3, 22),
        ("heading-anchor-mixed", notes.clone(), lines + 8, 36),
        ("heading-note-kind", notes.clone(), lines + 13, 10),
        ("heading-ambiguous", notes.clone(), lines + 18, 22),
        ("duplicate-translation", notes, lines + 28, 10),
    ];
    let expected: Vec<(String, String, u64, u64)> = expected
        .into_iter()
        .map(|(c, f, l, col)| (c.to_owned(), f, l, col))
        .collect();
    let (timeline, notes_errors): (Vec<_>, Vec<_>) = errors.into_iter().partition(|e| e.1 == "content/timeline.toml");
    assert_eq!(notes_errors, expected);
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].0, "heading-anchor-misplaced");
}

/// (code, message) of every warning of `check --format json` over `site`.
fn check_warnings(site: &std::path::Path) -> Vec<(String, String)> {
    let assert = duben().args(["check", "--format", "json", "--root"]).arg(site).assert();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["severity"] == "warning")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_term_found_only_inside_a_longer_term_occurs_in_the_text() {
    let site = scratch_copy("basic");
    append(
        site.path(),
        "content/glossary.toml",
        concat!(
            "\n[[term]]\nid = \"taiwan\"\nzh = \"台湾\"\npinyin = \"Táiwān\"\nen = \"Taiwan\"\n",
            "category = \"place\"\ndefinition = \"\"\"An island.\"\"\"\n",
            "\n[[term]]\nid = \"nowhere\"\nzh = \"无处可寻\"\npinyin = \"wúchù kě xún\"\nen = \"Nowhere\"\n",
            "category = \"concept\"\ndefinition = \"\"\"Not in the text.\"\"\"\n",
        ),
    );
    let unused: Vec<String> = check_warnings(site.path())
        .into_iter()
        .filter(|(code, _)| code == "term-unused")
        .map(|(_, message)| message)
        .collect();
    assert_eq!(unused.len(), 1, "台湾 occurs inside 台湾关系法: {unused:?}");
    assert!(unused[0].contains("`nowhere`"), "{unused:?}");
}
