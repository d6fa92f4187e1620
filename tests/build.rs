//! `duben build` over fixture sites: every page type, what a reader sees,
//! determinism, and what happens when the content or the output is wrong.

mod common;

use std::fs;

use common::{duben, fixture, html, read_tree, scratch_copy, select, text_of};

/// Writes a site's own `templates/NAME`, overriding the built-in one.
fn write_template(site: &std::path::Path, name: &str, text: &str) {
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(site.join("templates").join(name), text).unwrap();
}

fn build_basic() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    duben()
        .args(["build", "--root"])
        .arg(fixture("basic"))
        .arg("--output")
        .arg(out.path().join("public"))
        .assert()
        .success();
    out
}

#[test]
fn builds_every_page_type() {
    let out = build_basic();
    let public = out.path().join("public");
    for page in [
        "index.html",
        "first/index.html",
        "second/index.html",
        "glossary/index.html",
        "timeline/index.html",
        "about/index.html",
        "404.html",
        ".nojekyll",
        "sitemap.xml",
        "static/duben.css",
        "static/duben.js",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
}

#[test]
fn the_reader_numbers_paragraphs_and_marks_terms() {
    let out = build_basic();
    let doc = html(&out.path().join("public/first/index.html"));
    let numbered: Vec<String> = select(&doc, "[id^=p]")
        .iter()
        .filter_map(|e| e.value().id().map(str::to_owned))
        .filter(|id| id[1..].parse::<u32>().is_ok())
        .collect();
    assert_eq!(numbered, ["p1", "p2", "p3", "p4"]);
    assert_eq!(select(&doc, "p#p1").len(), 1, "a paragraph is a <p>");
    assert_eq!(
        select(&doc, "div#p3 ul").len(),
        1,
        "a list keeps its element and its number"
    );

    let marks = select(&doc, "#p1 a.term[data-term=tra]");
    assert_eq!(
        marks.len(),
        1,
        "first-in-paragraph links the first of two occurrences only"
    );
    assert_eq!(marks[0].value().attr("href"), Some("../glossary/index.html#term-tra"));
    assert_eq!(
        select(&doc, "#p2 a.term[data-term=tra]").len(),
        1,
        "each paragraph links again"
    );

    assert!(
        select(&doc, "code a.term, h1 a.term, h2 a.term, h3 a.term").is_empty(),
        "never in code or headings"
    );
    assert!(
        select(&doc, "a[href='https://example.org/tra'] a.term").is_empty(),
        "never inside a link"
    );
}

#[test]
fn content_html_is_shown_as_text_never_run() {
    let out = build_basic();
    let doc = html(&out.path().join("public/first/index.html"));
    let p2 = text_of(&select(&doc, "#p2")[0]);
    assert!(
        p2.contains("<script>alert(\"x\")</script>"),
        "raw HTML appears as text: {p2}"
    );
    assert!(select(&doc, "#p2 script").is_empty());
    let scripts: String = select(&doc, "script").iter().map(text_of).collect();
    assert!(!scripts.contains("alert"), "no script carries content");
    let notes: String = select(&doc, "main").iter().map(text_of).collect();
    assert!(notes.contains("A note on <b>raw</b> HTML."));
}

#[test]
fn footnotes_translations_questions_and_markers_sit_by_their_paragraph() {
    let out = build_basic();
    let doc = html(&out.path().join("public/first/index.html"));
    let reference = select(&doc, "#p1 sup a");
    assert_eq!(reference[0].value().attr("href"), Some("#fn-src"));
    assert_eq!(select(&doc, "#fn-src").len(), 1);
    let translation = select(&doc, "[lang=en].translation");
    assert!(text_of(&translation[0]).contains("joint communiqué"));
    let markers = select(&doc, "a[href='../timeline/index.html#event-1999-event']");
    assert!(!markers.is_empty(), "the 1999 event has a marker beside ¶4");
    let questions: String = select(&doc, "main").iter().map(text_of).collect();
    assert!(questions.contains("What happened in 1999?"));
}

#[test]
fn the_timeline_keeps_precision_and_links_back() {
    let out = build_basic();
    let doc = html(&out.path().join("public/timeline/index.html"));
    let times: Vec<(String, String)> = select(&doc, "time")
        .iter()
        .map(|t| (t.value().attr("datetime").unwrap_or("").to_owned(), text_of(t)))
        .collect();
    assert!(
        times.contains(&("1999".into(), "1999".into())),
        "a year stays a year: {times:?}"
    );
    assert!(times.contains(&("1978-12-16".into(), "16 December 1978".into())));
    assert!(
        times.contains(&("1979-01-01".into(), "1 January 1979".into())),
        "spans show their end"
    );
    let order: Vec<String> = select(&doc, "[id^=event-]")
        .iter()
        .filter_map(|e| e.value().id().map(str::to_owned))
        .collect();
    assert_eq!(
        order,
        ["event-1978-communique", "event-1999-event"],
        "events in date order"
    );
    assert_eq!(
        select(&doc, "#event-1999-event a[href='../first/index.html#p4']").len(),
        1
    );
    assert_eq!(
        select(&doc, "#event-1978-communique a[href='../second/index.html#p1']").len(),
        1
    );
}

#[test]
fn the_glossary_links_to_every_place_a_term_occurs() {
    let out = build_basic();
    let doc = html(&out.path().join("public/glossary/index.html"));
    let tra = &select(&doc, "#term-tra")[0];
    let places: Vec<String> = tra
        .select(&scraper::Selector::parse("a[href*='#p']").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(places, ["../first/index.html#p1", "../first/index.html#p2"]);
    let communique = &select(&doc, "#term-communique")[0];
    let events: Vec<&str> = communique
        .select(&scraper::Selector::parse("a[href^='../timeline/']").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        events,
        ["../timeline/index.html#event-1978-communique"],
        "events are shown on the term too"
    );
}

#[test]
fn every_link_is_relative_and_nothing_is_fetched_from_elsewhere() {
    let out = build_basic();
    let public = out.path().join("public");
    for (path, bytes) in read_tree(&public) {
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        for element in select(&doc, "[src], link[href]") {
            let url = element.value().attr("src").or(element.value().attr("href")).unwrap();
            if element.value().attr("rel") == Some("canonical") {
                continue;
            }
            assert!(
                !url.contains("//") && !url.starts_with('/'),
                "{}: {url} leaves the site",
                path.display()
            );
        }
        for a in select(&doc, "a[href]") {
            let href = a.value().attr("href").unwrap();
            assert!(
                !href.starts_with('/'),
                "{}: {href} is root-relative and breaks on a project path",
                path.display()
            );
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let first = build_basic();
    let second = build_basic();
    let a = read_tree(&first.path().join("public"));
    let b = read_tree(&second.path().join("public"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between two builds", path.display());
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = scratch_copy("basic");
    duben().args(["build", "--root"]).arg(site.path()).assert().success();
    let before = read_tree(&site.path().join("public"));
    let timeline = site.path().join("content/timeline.toml");
    let broken = fs::read_to_string(&timeline)
        .unwrap()
        .replace("date = \"1999\"", "date = \"1999-02-30\"");
    fs::write(&timeline, broken).unwrap();
    let output = duben()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(output).unwrap();
    assert!(stderr.contains("content/timeline.toml:3:8"), "{stderr}");
    assert!(stderr.contains("1999-02 has 28 days"), "{stderr}");
    assert_eq!(read_tree(&site.path().join("public")), before);
}

#[test]
fn refuses_an_output_folder_that_holds_the_sources() {
    let site = scratch_copy("basic");
    let assert = duben()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(site.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("refusing to write into"), "{stderr}");
    assert!(
        site.path().join("content/glossary.toml").is_file(),
        "nothing was deleted"
    );
}

#[test]
fn usage_errors_exit_2() {
    duben().args(["build", "--no-such-flag"]).assert().code(2);
}

#[test]
fn a_base_url_flag_that_is_no_address_is_a_usage_error_and_writes_nothing() {
    let site = scratch_copy("basic");
    for bad in ["https://", "example.org/reader", "https://example.org/?x"] {
        let output = duben()
            .args(["build", "--base-url", bad, "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("--base-url") && stderr.contains("absolute address"),
            "{bad}: {stderr}"
        );
        assert!(!site.path().join("public").exists(), "{bad}");
    }
}

#[test]
fn a_template_failing_mid_render_leaves_the_old_output_and_no_leftovers() {
    let site = scratch_copy("basic");
    duben().args(["build", "--root"]).arg(site.path()).assert().success();
    let before = read_tree(&site.path().join("public"));
    write_template(
        site.path(),
        "page.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_variable }}{% endblock main %}",
    );
    let assert = duben().args(["build", "--root"]).arg(site.path()).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("templates/page.html"), "{stderr}");
    assert_eq!(read_tree(&site.path().join("public")), before);
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".duben-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

/// The cards a built site's `static/cards/<n>.js` files hold: term id →
/// (file number, card HTML). Each file is `dubenCards({…});`.
fn card_files(public: &std::path::Path) -> std::collections::BTreeMap<String, (usize, String)> {
    let mut cards = std::collections::BTreeMap::new();
    for entry in fs::read_dir(public.join("static").join("cards")).unwrap() {
        let path = entry.unwrap().path();
        let number: usize = path.file_stem().unwrap().to_str().unwrap().parse().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let json = text
            .strip_prefix("dubenCards(")
            .and_then(|rest| rest.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("{} is one dubenCards call: {text}", path.display()));
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
        for (id, html) in map {
            let earlier = cards.insert(id.clone(), (number, html.as_str().unwrap().to_owned()));
            assert!(earlier.is_none(), "{id} is in one card file only");
        }
    }
    cards
}

#[test]
fn cards_are_written_once_per_site_and_a_sites_card_template_replaces_the_built_in_one() {
    let site = scratch_copy("basic");
    write_template(
        site.path(),
        "card.html",
        "<p class=\"own-card\">{{ t.zh }} · {{ t.en }}</p>",
    );
    duben().args(["build", "--root"]).arg(site.path()).assert().success();
    let public = site.path().join("public");
    let cards = card_files(&public);
    let files: std::collections::BTreeSet<usize> = cards.values().map(|(n, _)| *n).collect();
    for page in ["first", "second"] {
        let doc = html(&public.join(page).join("index.html"));
        let marked: std::collections::BTreeSet<String> = select(&doc, "a.term[data-term]")
            .iter()
            .map(|a| a.value().attr("data-term").unwrap().to_owned())
            .collect();
        assert!(!marked.is_empty(), "{page} marks terms");
        assert!(
            select(&doc, "template[id^=card-]").is_empty(),
            "{page} carries no card itself"
        );
        let article = &select(&doc, "article[data-cards]")[0];
        assert_eq!(article.value().attr("data-cards"), Some("../static/cards/"));
        let count: usize = article.value().attr("data-card-files").unwrap().parse().unwrap();
        assert_eq!(count, files.len(), "{page} knows how many card files there are");
        for term in &marked {
            let (_, card) = cards.get(term).unwrap_or_else(|| panic!("{term} has a card"));
            let content = scraper::Html::parse_fragment(card);
            assert_eq!(select(&content, "p.own-card").len(), 1, "{term} uses the site's card");
        }
    }
}

#[test]
fn a_failing_card_is_reported_by_term_beside_every_other_template_error() {
    let site = scratch_copy("basic");
    write_template(site.path(), "card.html", "{{ throw(message=\"no card for \" ~ t.id) }}");
    write_template(
        site.path(),
        "glossary.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_variable }}{% endblock main %}",
    );
    for _ in 0..3 {
        let assert = duben().args(["build", "--root"]).arg(site.path()).assert().code(1);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("templates/glossary.html"), "{stderr}");
        assert!(stderr.contains("templates/card.html"), "{stderr}");
        // Cards render in parallel; the one reported is the first by term id.
        assert!(stderr.contains("the card of the term `communique`"), "{stderr}");
        assert!(!site.path().join("public").exists(), "nothing is written");
    }
}

#[test]
fn a_template_that_does_not_compile_is_reported_at_its_line_and_column() {
    let site = scratch_copy("basic");
    write_template(
        site.path(),
        "page.html",
        "{% extends \"base.html\" %}{% block main %}\n<p>{{ site.title </p>\n{% endblock main %}",
    );
    let assert = duben().args(["build", "--root"]).arg(site.path()).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--> templates/page.html:2:18"), "{stderr}");
    assert!(stderr.contains("this template does not compile"), "{stderr}");
}

/// The repository's own site built into `public/` of a new folder.
fn build_included() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    duben()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path().join("public"))
        .assert()
        .success();
    out
}

#[test]
fn the_included_site_builds_byte_identically_twice() {
    let build = || {
        let out = build_included();
        let tree = read_tree(&out.path().join("public"));
        (out, tree)
    };
    let (_a, first) = build();
    let (_b, second) = build();
    assert!(first.len() >= 7);
    assert!(first == second, "two builds of the repository's site differ");
}

#[test]
fn build_warns_about_a_term_that_occurs_nowhere_at_its_line() {
    let site = scratch_copy("basic");
    let glossary = site.path().join("content/glossary.toml");
    let mut text = fs::read_to_string(&glossary).unwrap();
    text.push_str("\n[[term]]\nid = \"nowhere\"\nzh = \"不存在的词\"\ndefinition = \"Not in the text.\"\n");
    fs::write(&glossary, &text).unwrap();
    let line = text.lines().position(|l| l.contains("不存在的词")).unwrap() + 1;
    let assert = duben().args(["build", "--root"]).arg(site.path()).assert().success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("the term `nowhere` (不存在的词) occurs in no article"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("content/glossary.toml:{line}:6")), "{stderr}");
}

/// A field a site's own templates want needs no change to duben: it goes in
/// the entity's `[extra]` table and reaches the template untouched.
#[test]
fn extra_fields_reach_the_templates_untouched() {
    let site = common::SiteTest::fixture("ok-clean")
        .replace(
            "content/glossary.toml",
            "en = \"Taiwan Relations Act\"\n",
            "en = \"Taiwan Relations Act\"\n[term.extra]\nlevel = \"HSK <6>\"\n",
        )
        .edit("site.toml", |text| text.push_str("\n[extra]\ncourse = \"CHIN 301\"\n"))
        .write(
            "templates/card.html",
            "<p>{{ t.zh }} {{ t.extra.level | default(value=\"\") }} {{ site.extra.course }}</p>",
        );
    let out = tempfile::tempdir().unwrap();
    let built = site.build(out.path()).unwrap_or_else(|report| panic!("{report:?}"));
    assert_eq!(built.report.errors(), 0);
    let all: String = read_tree(out.path())
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(
        all.contains("与台湾关系法 HSK &lt;6&gt; CHIN 301"),
        "extra is passed on, escaped"
    );
    let unknown = common::SiteTest::fixture("ok-clean").edit("site.toml", |text| text.insert_str(0, "extras = 1\n"));
    assert!(
        unknown.check().diagnostics.iter().any(|d| d.code == "unknown-key"),
        "a key outside [extra] is still an error"
    );
}

#[test]
fn the_timeline_opens_with_an_axis_whose_marks_keep_each_dates_precision() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    duben()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&public)
        .assert()
        .success();
    let timeline = html(&public.join("timeline/index.html"));
    assert_eq!(select(&timeline, "svg[data-timeline]").len(), 1);
    let events: std::collections::BTreeSet<String> = select(&timeline, ".event-entry")
        .iter()
        .map(|e| e.value().id().unwrap().to_owned())
        .collect();
    let marks = select(&timeline, "svg[data-timeline] a.mark");
    assert_eq!(marks.len(), events.len(), "one mark per event");
    for mark in &marks {
        let href = mark.value().attr("href").unwrap();
        assert!(events.contains(href.trim_start_matches('#')), "{href} is an event");
        assert!(!text_of(mark).trim().is_empty(), "{href} has a title");
    }
    let mark_of = |id: &str| {
        marks
            .iter()
            .find(|m| m.value().attr("href") == Some(&format!("#event-{id}")))
            .unwrap_or_else(|| panic!("a mark for {id}"))
            .value()
            .attr("class")
            .unwrap()
            .to_owned()
    };
    assert!(
        mark_of("1979-diplomatic-relations").contains("mark-dot"),
        "a day is a dot"
    );
    assert!(
        mark_of("1972-resumption-of-contacts").contains("mark-year"),
        "a bare year is a year-wide mark"
    );
    // A year-wide mark is as wide as a year of the axis.
    let ticks: Vec<f64> = select(&timeline, "svg[data-timeline] line.tick")
        .iter()
        .map(|t| t.value().attr("x1").unwrap().parse().unwrap())
        .collect();
    let year = ticks[1] - ticks[0];
    for rect in select(&timeline, "a.mark-year rect") {
        let width: f64 = rect.value().attr("width").unwrap().parse().unwrap();
        assert!((width - year).abs() < 0.2, "{width} against {year}");
    }

    // The article's four periods, as bands named in their tooltips.
    let eras: Vec<String> = select(&timeline, "svg[data-timeline] g.era title")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(eras.len(), 4, "{eras:?}");
    assert!(
        eras.iter().any(|e| e.starts_with("1979年–1989年 军事合作的蜜月期")),
        "{eras:?}"
    );
    // Each is also listed under the axis, with its dates: a narrow band
    // has no room for its name.
    let legend: Vec<String> = select(&timeline, "figure.timeline-axis figcaption ol.eras li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(legend.len(), 4, "{legend:?}");
    assert!(
        legend[0].starts_with("1972年–1978年 初步的和试探性的军事合作"),
        "{legend:?}"
    );
    assert!(
        legend[0].ends_with("Early, tentative military cooperation"),
        "{legend:?}"
    );

    let reader = html(&public.join("yao-2019/index.html"));
    let paragraphs: std::collections::BTreeSet<String> = select(&reader, "[id^=p]")
        .iter()
        .map(|e| e.value().id().unwrap().to_owned())
        .collect();
    let strip = select(&reader, "svg[data-timeline] a.mark");
    assert!(!strip.is_empty(), "the reader has its strip");
    for mark in strip {
        let href = mark.value().attr("href").unwrap();
        assert!(
            paragraphs.contains(href.trim_start_matches('#')),
            "{href} is a paragraph"
        );
    }
}

/// A timeline of one event has a one-lane axis, too short for an era's name
/// inside its band: the legend under the axis names it all the same. A
/// reader's strip has no legend.
#[test]
fn a_short_timeline_still_lists_its_eras() {
    let site = common::SiteTest::fixture("ok-clean").edit("content/timeline.toml", |text| {
        text.push_str(
            "\n[[era]]\ntitle = \"建交前后\"\ntitle_en = \"Around normalisation\"\ndate = \"1977\"\nend = \"1980\"\n",
        );
    });
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    if let Err(report) = site.build(&public) {
        panic!("{}", report.render(duben::diagnostics::Format::Human, false));
    }
    for page in ["timeline/index.html", "essay/timeline/index.html"] {
        let doc = html(&public.join(page));
        let legend: Vec<String> = select(&doc, "figure.timeline-axis figcaption ol.eras li")
            .iter()
            .map(text_of)
            .collect();
        assert_eq!(legend, ["1977年–1980年 建交前后 Around normalisation"], "{page}");
    }
    let reader = html(&public.join("essay/index.html"));
    assert!(
        select(&reader, "svg[data-timeline]").len() == 1,
        "the reader has its strip"
    );
    assert!(select(&reader, "figcaption ol.eras").is_empty(), "and no legend");
}

/// The word data of the included article, as lookup.js reads it: the
/// object `words.js` passes to `dubenWords`.
fn included_word_data() -> serde_json::Value {
    let out = build_included();
    let script = fs::read_to_string(out.path().join("public/yao-2019/words.js")).unwrap();
    let json = script
        .strip_prefix("dubenWords(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("words.js calls dubenWords once");
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_words_main_reading_comes_first_even_where_the_dictionary_lists_it_late() {
    let data = included_word_data();
    // Each entry is [pinyin, traditional, senses]; ruby and the card read
    // the first. CC-CEDICT lists 和 as a surname (Hé) before "and" (hé).
    for (word, reading, sense) in [
        ("和", "hé", "and"),
        ("都", "dōu", "all"),
        ("重要", "zhòngyào", "important"),
    ] {
        let entries = data["w"][word]
            .as_array()
            .unwrap_or_else(|| panic!("{word} has entries"));
        assert!(entries.len() <= 3, "{word}: {entries:?}");
        assert_eq!(entries[0][0], reading, "{word}: {entries:?}");
        assert!(entries[0][2].as_str().unwrap().contains(sense), "{word}: {entries:?}");
    }
}

/// A text saved while a build runs (here at the build's first question
/// whether it is out of date, just after loading): the build fails with
/// `text-changed` at the file and nothing else (what resolve found in the
/// empty text it met is left out), the previous output stays as it was,
/// and in `serve`, where the save itself makes the build out of date, the
/// build gives way instead.
#[test]
fn a_text_saved_during_a_build_fails_it_and_leaves_the_last_output() {
    use std::sync::atomic::{AtomicBool, Ordering};

    use duben::pipeline::{BuildOptions, Halt, build_unless};

    let site = common::SiteTest::fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    site.build(&output).expect("the fixture builds");
    let before = read_tree(&output);
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(output.clone()),
        base_url: None,
        drafts: false,
        repository: Default::default(),
    };
    let text = site.root().join("content/first/text.md");
    let save_once = |saved: &AtomicBool| {
        if !saved.swap(true, Ordering::Relaxed) {
            let mut changed = fs::read_to_string(&text).unwrap();
            changed.push_str("\n保存了新的一段。\n");
            fs::write(&text, changed).unwrap();
        }
    };

    let saved = AtomicBool::new(false);
    let halted = build_unless(&options, None, &|| {
        save_once(&saved);
        false
    });
    let Err(Halt::Failed(report)) = halted else {
        panic!("the build must fail");
    };
    let errors: Vec<(&str, String)> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.file.display().to_string()))
        .collect();
    assert_eq!(errors, [("text-changed", "content/first/text.md".to_owned())]);
    // Besides it, only what loading found (the fixture's raw HTML).
    assert!(
        report.diagnostics.iter().all(|d| d.is_error() || d.code == "raw-html"),
        "{:?}",
        report.diagnostics
    );
    assert!(read_tree(&output) == before, "the last output is left as it was");

    // In `serve` the save makes the build out of date: it gives way.
    let saved = AtomicBool::new(false);
    let halted = build_unless(&options, None, &|| {
        let first = !saved.load(Ordering::Relaxed);
        save_once(&saved);
        !first
    });
    assert!(matches!(halted, Err(Halt::Superseded)), "a build out of date gives way");
    assert!(read_tree(&output) == before);

    // Built again, the saved text is there.
    site.build(&output).expect("built again");
    assert!(
        fs::read_to_string(output.join("first/index.html"))
            .unwrap()
            .contains("保存了新的一段")
    );
}
