//! A course of several readings (tests/fixtures/course): the syllabus home
//! page, previous/next links, each reading's vocabulary and timeline pages,
//! the search index, and the glossary's index and labels. Built with the
//! real binary, checked on the parsed HTML.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{duben, fixture, html, scratch_copy, select, text_of};

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    duben()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&public)
        .assert()
        .success();
    (out, public)
}

fn build_course() -> (tempfile::TempDir, PathBuf) {
    build(&fixture("course"))
}

fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    select(doc, selector)
        .iter()
        .map(|e| text_of(e).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_home_page_is_a_syllabus_of_units_then_the_other_readings() {
    let (_out, public) = build_course();
    let doc = html(&public.join("index.html"));
    assert_eq!(
        texts(&doc, ".unit-block > h2"),
        [
            "第一单元：日常生活 Unit 1: Everyday life",
            "第二单元：城市 Unit 2: The city",
            "其他阅读 Further readings"
        ]
    );
    assert_eq!(texts(&doc, ".unit-dates"), ["Weeks 1–2"]);
    let order: Vec<String> = select(&doc, "[data-reading]")
        .iter()
        .map(|e| e.value().attr("data-reading").unwrap().to_owned())
        .collect();
    assert_eq!(order, ["tea", "spring-festival", "city-parks", "libraries"]);
}

#[test]
fn each_reading_shows_its_length_time_terms_events_and_translation() {
    let (_out, public) = build_course();
    let doc = html(&public.join("index.html"));
    let tea = select(&doc, "[data-reading=tea]").pop().unwrap();
    let facts: String = text_of(&tea).split_whitespace().collect::<Vec<_>>().join(" ");
    // The tea text: 103 characters without white space, 4 paragraphs; at
    // 100 a minute (site.toml) that is 2 minutes.
    for fact in [
        "喝茶的习惯",
        "The habit of drinking tea",
        "林小文",
        "103 characters, 4 ¶",
        "about 2 min at 100 characters a minute",
        "2 terms, 1 events",
        "2/4 ¶ translated",
    ] {
        assert!(facts.contains(fact), "{fact:?} in {facts:?}");
    }
    let festival = select(&doc, "[data-reading=spring-festival]").pop().unwrap();
    let facts = text_of(&festival);
    assert!(facts.contains("3/3 ¶ translated"), "{facts}");
    assert!(facts.contains("4 terms, 2 events"), "{facts}");
}

#[test]
fn without_units_the_home_page_is_the_plain_list() {
    let (_out, public) = build(&fixture("basic"));
    let doc = html(&public.join("index.html"));
    assert!(select(&doc, ".unit-block").is_empty());
    assert_eq!(select(&doc, ".article-list > li").len(), 2);
}

#[test]
fn readers_link_to_the_previous_and_next_reading_in_syllabus_order() {
    let (_out, public) = build_course();
    let links = |slug: &str| {
        let doc = html(&public.join(slug).join("index.html"));
        let href = |selector: &str| {
            select(&doc, selector)
                .first()
                .map(|a| a.value().attr("href").unwrap().to_owned())
        };
        (href(".reading-nav a[rel=prev]"), href(".reading-nav a[rel=next]"))
    };
    assert_eq!(links("tea"), (None, Some("../spring-festival/index.html".into())));
    assert_eq!(
        links("spring-festival"),
        (
            Some("../tea/index.html".into()),
            Some("../city-parks/index.html".into())
        )
    );
    // The reading outside every unit comes last.
    assert_eq!(links("libraries"), (Some("../city-parks/index.html".into()), None));
}

#[test]
fn a_unit_naming_no_article_is_an_error_at_its_place() {
    let site = scratch_copy("course");
    let config = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        config.replace(r#"readings = ["city-parks"]"#, r#"readings = ["city-park", "tea"]"#),
    )
    .unwrap();
    let output = duben().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("the unit \"第二单元：城市\" lists `city-park`, which is no article"),
        "{stdout}"
    );
    assert!(stdout.contains("did you mean `city-parks`?"), "{stdout}");
    assert!(stdout.contains("site.toml:26:13"), "{stdout}");
    assert!(
        stdout.contains("`tea` is already a reading of the unit \"第一单元：日常生活\""),
        "{stdout}"
    );
}
