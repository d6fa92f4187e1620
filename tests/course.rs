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

#[test]
fn each_reading_has_a_vocabulary_in_order_of_first_appearance_by_section() {
    let (_out, public) = build_course();
    for slug in ["tea", "spring-festival", "city-parks", "libraries"] {
        assert!(public.join(slug).join("vocabulary/index.html").is_file(), "{slug}");
    }
    let doc = html(&public.join("spring-festival/vocabulary/index.html"));
    assert_eq!(
        texts(&doc, ".vocabulary-section h2"),
        ["开篇 Opening", "一 年夜饭", "二 拜年"]
    );
    assert_eq!(texts(&doc, "tbody .headword"), ["春节", "年夜饭", "饺子", "红包"]);
    let first = texts(&doc, "tbody .first");
    assert_eq!(first, ["¶1", "¶2", "¶2", "¶3"]);
    // The abstract's terms come first, linked to the abstract.
    let tea = html(&public.join("tea/vocabulary/index.html"));
    assert_eq!(texts(&tea, ".vocabulary-section h2"), ["摘要 Abstract"]);
    let link = select(&tea, "tbody .first a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert_eq!(link, "../index.html#abstract");
    let reader = html(&public.join("tea/index.html"));
    assert_eq!(select(&reader, "#abstract").len(), 1);
    // Linked from the reader and the syllabus.
    assert_eq!(select(&reader, "a[href='vocabulary/index.html']").len(), 1);
    let home = html(&public.join("index.html"));
    assert_eq!(select(&home, "a[href='tea/vocabulary/index.html']").len(), 1);
}

#[test]
fn a_term_inside_a_longer_term_is_listed_where_it_first_occurs_itself() {
    // 饺子 is written inside 饺子宴 before 年夜饭, but the reader first meets
    // it as a term of its own after 年夜饭.
    let site = scratch_copy("course");
    let content = site.path().join("content");
    let mut glossary = fs::read_to_string(content.join("glossary.toml")).unwrap();
    glossary.push_str(
        "\n[[term]]\nid = \"dumpling-feast\"\nzh = \"饺子宴\"\npinyin = \"jiǎoziyàn\"\nen = \"dumpling feast\"\ncategory = \"custom\"\n",
    );
    fs::write(content.join("glossary.toml"), glossary).unwrap();
    let text = content.join("spring-festival/text.md");
    let old = fs::read_to_string(&text).unwrap();
    let new = old.replace(
        "除夕晚上，全家人一起吃年夜饭。饺子是北方年夜饭里常见的菜。",
        "除夕晚上，全家人吃饺子宴。年夜饭以后，大家一起吃饺子。",
    );
    assert_ne!(old, new, "the fixture's paragraph 2 changed");
    fs::write(&text, new).unwrap();
    let (_out, public) = build(site.path());
    let doc = html(&public.join("spring-festival/vocabulary/index.html"));
    assert_eq!(
        texts(&doc, "tbody .headword"),
        ["春节", "饺子宴", "年夜饭", "饺子", "红包"]
    );
}

#[test]
fn the_vocabulary_downloads_as_csv_and_as_an_anki_file() {
    let (_out, public) = build_course();
    let dir = public.join("spring-festival/vocabulary");
    let doc = html(&dir.join("index.html"));
    let csv_link = select(&doc, "a[download][href$='.csv']")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let anki_link = select(&doc, "a[download][href$='.txt']")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let csv = fs::read_to_string(dir.join(&csv_link)).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "zh,pinyin,en,definition,section,paragraph");
    assert_eq!(
        lines[2],
        "年夜饭,niányèfàn,reunion dinner,The dinner a family eats together on New Year's Eve.,一 年夜饭,2"
    );
    assert_eq!(lines.len(), 5);
    let anki = fs::read_to_string(dir.join(&anki_link)).unwrap();
    let lines: Vec<&str> = anki.lines().collect();
    assert_eq!(&lines[..3], ["#separator:tab", "#html:false", "#tags column:3"]);
    assert_eq!(
        lines[4],
        "年夜饭\tniányèfàn — reunion dinner — The dinner a family eats together on New Year's Eve.\tspring-festival"
    );
    // A field with a comma is quoted in the CSV.
    let tea = fs::read_to_string(public.join("tea/vocabulary/tea-vocabulary.csv")).unwrap();
    assert!(
        tea.contains("\"A shop where people drink tea, talk and play games.\""),
        "{tea}"
    );
}

#[test]
fn a_reading_has_its_own_timeline_without_scripts() {
    let (_out, public) = build_course();
    let doc = html(&public.join("spring-festival/timeline/index.html"));
    assert_eq!(texts(&doc, ".event-entry h2"), ["除夕", "春节"], "date order");
    let places: Vec<String> = select(&doc, ".event-entry .places a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        places,
        [
            "../index.html#p2",
            "../../timeline/index.html#event-2023-eve",
            "../index.html#p3",
            "../../timeline/index.html#event-2023-new-year"
        ]
    );
    let parks = html(&public.join("city-parks/timeline/index.html"));
    assert!(select(&parks, ".event-entry").is_empty());
    let reader = html(&public.join("spring-festival/index.html"));
    assert_eq!(select(&reader, "a[href='timeline/index.html']").len(), 1);
}

#[test]
fn the_search_index_is_script_files_named_by_its_manifest() {
    let (_out, public) = build_course();
    let doc = html(&public.join("search/index.html"));
    assert_eq!(
        select(&doc, "input[type=search]").len(),
        1,
        "one field on the search page"
    );
    let manifest = fs::read_to_string(public.join("search/manifest.js")).unwrap();
    let json = manifest
        .trim()
        .strip_prefix("dubenSearch.manifest(")
        .and_then(|m| m.strip_suffix(");"))
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        manifest["counts"],
        serde_json::json!({ "paragraph": 12, "note": 9, "term": 10, "event": 3 })
    );
    for (i, size) in manifest["chunks"].as_array().unwrap().iter().enumerate() {
        let chunk = fs::read(public.join(format!("search/c/{i}.js"))).unwrap();
        assert_eq!(chunk.len() as u64, size.as_u64().unwrap());
    }
    for i in 0..manifest["buckets"].as_u64().unwrap() {
        assert!(public.join(format!("search/k/{i}.js")).is_file());
    }
    // The same input gives the same index.
    let (_again, second) = build_course();
    assert_eq!(
        common::read_tree(&public.join("search")),
        common::read_tree(&second.join("search"))
    );
}

/// What the search page loads before a query, compressed as a host serves it.
#[test]
fn the_search_page_loads_at_most_30_kb_gzip_before_the_first_query_on_the_included_site() {
    let (_out, public) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = fs::read_to_string(public.join("search/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let mut files = vec![public.join("search/index.html")];
    for element in select(&doc, "script[src], link[rel=stylesheet]") {
        let url = element.value().attr("src").or(element.value().attr("href")).unwrap();
        let path = url.split('?').next().unwrap();
        files.push(public.join("search").join(path));
    }
    let mut total = 0;
    for file in &files {
        let output = std::process::Command::new("gzip")
            .args(["-9", "-c"])
            .arg(file)
            .output()
            .expect("gzip runs");
        total += output.stdout.len();
    }
    assert!(
        total <= 30 * 1024,
        "{total} bytes gzip before the first query: {files:?}"
    );
}

#[test]
fn the_glossary_has_category_labels_an_a_to_z_index_and_abstract_places() {
    let (_out, public) = build_course();
    let doc = html(&public.join("glossary/index.html"));
    assert_eq!(
        texts(&doc, ".category > h2"),
        ["习俗 Customs", "地方 Places", "事物 Things"]
    );
    assert_eq!(texts(&doc, ".az-nav a"), ["C", "G", "H", "J", "L", "N", "S", "T"]);
    assert_eq!(texts(&doc, "#az-t + ul a"), ["太极拳 tàijíquán", "图书馆 túshūguǎn"]);
    // 绿茶 is in the tea reading's abstract and its first paragraph.
    let places: Vec<String> = select(&doc, "#term-green-tea .place")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(places, ["../tea/index.html#abstract", "../tea/index.html#p1"]);
}
