//! What a hostile or unlucky editor does next: NUL bytes, bytes that are not
//! UTF-8, thousands of diagnostics, a page taking a built-in name, years
//! before the common era, footnote labels that differ only in punctuation,
//! symlinks out of the site. Each is reported at its file, line and column
//! (or refused, or shown as text), never a panic and never a cascade.

mod common;

use std::fs;
use std::path::Path;

use common::{SiteTest, duben, html, read_tree, select, text_of};
use duben::diagnostics::Format;

/// (severity, code, file, line, column, message) of each diagnostic, from
/// the JSON report as a tool reads it.
fn reported(report: &duben::pipeline::Report) -> Vec<(String, String, String, u64, u64, String)> {
    report
        .render(Format::Json, false)
        .lines()
        .map(|line| {
            let d: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn errors(report: &duben::pipeline::Report) -> Vec<(String, String, u64, u64)> {
    reported(report)
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| (d.1, d.2, d.3, d.4))
        .collect()
}

#[test]
fn a_nul_byte_is_refused_at_its_place_and_never_reaches_a_page() {
    let site = SiteTest::fixture("ok-clean").replace("content/essay/text.md", "但是在建交后", "但是\0在建交后");
    let report = site.check();
    assert_eq!(
        errors(&report),
        vec![("nul-byte".into(), "content/essay/text.md".into(), 3, 3)],
        "{}",
        report.render(Format::Human, false)
    );
    let out = tempfile::tempdir().unwrap();
    assert!(site.build(&out.path().join("public")).is_err());
    assert!(!out.path().join("public").exists(), "nothing is written");
}

/// The fuzzer's find: a file with no NUL byte can write one as `\u0000` in a
/// TOML string, and a headword printed as text carried it into the glossary.
/// It is shown as U+FFFD, with a warning at its string (a proposal from the
/// reader page writes one so, where the reader typed it).
#[test]
fn a_nul_written_as_an_escape_in_toml_never_reaches_a_page() {
    let site = SiteTest::fixture("ok-clean").edit("content/glossary.toml", |text| {
        text.push_str("\n[[term]]\nid = \"nul\"\nzh = \"台\\u0000湾\"\nen = \"x\"\n");
    });
    let glossary = fs::read_to_string(site.root().join("content/glossary.toml")).unwrap();
    let line = glossary.lines().position(|l| l.starts_with("zh = \"台")).unwrap() as u64 + 1;
    let report = site.check();
    let warnings: Vec<(String, String, u64, u64)> = reported(&report)
        .into_iter()
        .filter(|d| d.1 == "nul-in-string")
        .map(|d| (d.0, d.2, d.3, d.4))
        .collect();
    assert_eq!(
        warnings,
        vec![("warning".into(), "content/glossary.toml".into(), line, 6)],
        "{}",
        report.render(Format::Human, false)
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    if let Err(report) = site.build(&public) {
        panic!("{}", report.render(Format::Human, false));
    }
    let glossary = fs::read(public.join("glossary/index.html")).unwrap();
    assert!(!glossary.contains(&0), "no NUL in the page");
    assert!(
        String::from_utf8(glossary).unwrap().contains("台\u{FFFD}湾"),
        "shown as U+FFFD"
    );
}

#[test]
fn a_byte_that_is_not_utf8_is_reported_once_at_its_place() {
    let site = SiteTest::fixture("ok-clean");
    let text = site.root().join("content/essay/text.md");
    let mut bytes = fs::read(&text).unwrap();
    let at = bytes.windows(6).position(|w| w == "台湾".as_bytes()).unwrap();
    bytes.insert(at, 0xFF);
    fs::write(&text, bytes).unwrap();
    // Many events anchored in the article: none of them is reported because
    // the file had a bad byte.
    let mut timeline = fs::read_to_string(site.root().join("content/timeline.toml")).unwrap();
    for i in 0..52 {
        timeline.push_str(&format!(
            "\n[[event]]\nid = \"e{i}\"\ndate = \"1979\"\ntitle = \"建交\"\nanchors = [{{ article = \"essay\", quote = \"中美两国\" }}]\n"
        ));
    }
    fs::write(site.root().join("content/timeline.toml"), timeline).unwrap();
    let report = site.check();
    let human = report.render(Format::Human, false);
    assert_eq!(
        errors(&report),
        vec![("not-utf8".into(), "content/essay/text.md".into(), 3, 16)],
        "{human}"
    );
    assert!(human.contains("0xFF"), "{human}");
    assert!(human.contains("content/essay/text.md:3:16"), "{human}");
}

#[test]
fn sixty_thousand_diagnostics_come_out_with_their_lines() {
    // The small version of the benchmark (bench/scale.sh): terms that never
    // occur each give warnings, every one at its own line.
    let mut glossary = String::new();
    for i in 0..3000 {
        glossary.push_str(&format!(
            "[[term]]\nid = \"t{i}\"\nzh = \"无{i}\"\ndefinition = \"x\"\n\n"
        ));
    }
    let site = SiteTest::fixture("ok-clean").write("content/glossary.toml", &glossary);
    let report = site.check();
    let unused: Vec<_> = reported(&report).into_iter().filter(|d| d.1 == "term-unused").collect();
    assert_eq!(unused.len(), 3000);
    let lines: std::collections::BTreeSet<u64> = unused.iter().map(|d| d.3).collect();
    let expected: std::collections::BTreeSet<u64> = (0..3000).map(|i| 3 + 5 * i).collect();
    assert_eq!(lines, expected, "each warning at its term's line");
    // A person reads the first fifty of a kind in full, then their count.
    let human = report.render(Format::Human, false);
    assert!(
        human.contains("content/glossary.toml:248:6") && !human.contains("content/glossary.toml:253:6"),
        "the fiftieth term is at its line, and the last shown"
    );
    assert!(human.contains("… and 2950 more `term-unused` in content/glossary.toml"));
}

#[test]
fn a_page_that_takes_a_built_in_name_is_refused_at_its_file() {
    for name in ["404", "glossary", "timeline", "index", "search", "static", "sitemap"] {
        let site = SiteTest::fixture("ok-clean").write(&format!("content/pages/{name}.md"), "# Not found\n\nbody\n");
        let report = site.check();
        assert_eq!(
            errors(&report),
            vec![("reserved-slug".into(), format!("content/pages/{name}.md"), 1, 1)]
        );
        let human = report.render(Format::Human, false);
        assert!(human.contains(&format!("--> content/pages/{name}.md:1:1")), "{human}");
        assert!(human.contains("# Not found"), "the line is shown: {human}");
    }
    let site = SiteTest::fixture("ok-clean").write("content/pages/essay.md", "\n# Essay\n");
    assert_eq!(
        errors(&site.check()),
        vec![("slug-taken".into(), "content/pages/essay.md".into(), 2, 1)]
    );
}

#[test]
fn an_article_folder_that_takes_a_built_in_name_is_refused_at_its_article_toml() {
    for name in ["search", "static", "404", "sitemap", "index"] {
        let site = SiteTest::fixture("ok-clean")
            .write(&format!("content/{name}/article.toml"), "\ntitle = \"搜索\"\n")
            .write(&format!("content/{name}/text.md"), "# 搜索\n\n中美两国的关系。\n");
        let report = site.check();
        let file = format!("content/{name}/article.toml");
        let reserved: Vec<_> = errors(&report).into_iter().filter(|e| e.0 == "reserved-slug").collect();
        assert_eq!(reserved, vec![("reserved-slug".into(), file.clone(), 2, 1)]);
        let human = report.render(Format::Human, false);
        assert!(human.contains(&format!("--> {file}:2:1")), "{human}");
        assert!(human.contains(&format!("rename the folder content/{name}/")), "{human}");
    }
    // The search page is the site's own, not an article's.
    let site = SiteTest::fixture("ok-clean");
    let out = tempfile::tempdir().unwrap();
    site.build(&out.path().join("public")).unwrap();
    assert!(out.path().join("public/search/manifest.js").exists());
}

#[test]
fn years_before_the_common_era_are_shown_and_sorted() {
    let site = SiteTest::fixture("ok-clean").edit("content/timeline.toml", |t| {
        t.push_str("\n[[event]]\nid = \"confucius\"\ndate = \"-0479\"\ntitle = \"孔子卒\"\n");
        t.push_str("\n[[event]]\nid = \"thucydides\"\ndate = \"-0460\"\nend = \"-0400\"\ntitle = \"修昔底德\"\n");
    });
    let report = site.check();
    assert_eq!(errors(&report), vec![]);
    let out = tempfile::tempdir().unwrap();
    site.build(&out.path().join("public")).unwrap();
    let page = html(&out.path().join("public/timeline/index.html"));
    let whens: Vec<String> = select(&page, ".event-entry .when").iter().map(text_of).collect();
    assert_eq!(whens.len(), 3, "{whens:?}");
    assert!(
        whens[0].contains("479 BCE") && whens[0].contains("公元前479年"),
        "{whens:?}"
    );
    assert!(
        whens[1].contains("460 BCE") && whens[1].contains("400 BCE"),
        "{whens:?}"
    );
    assert!(whens[1].contains("公元前460年至公元前400年"), "{whens:?}");
    assert!(whens[2].contains("1978"), "{whens:?}");
    // HTML has no machine form for those years: no <time datetime="-…">.
    for time in select(&page, "time") {
        assert!(!time.value().attr("datetime").unwrap_or("").starts_with('-'));
    }
}

#[test]
fn year_zero_is_refused_with_help() {
    let site = SiteTest::fixture("ok-clean").replace("content/timeline.toml", "1978-12-16", "0000-12-16");
    let report = site.check();
    assert_eq!(
        errors(&report),
        vec![("bad-date".into(), "content/timeline.toml".into(), 3, 8)]
    );
    let human = report.render(Format::Human, false);
    assert!(human.contains("there is no year 0"), "{human}");
    assert!(human.contains("\"-0001\" for 1 BCE"), "{human}");
}

/// The essay's reader page, built after a check (links included) with no
/// error, and its ids, each asserted to be on one element only.
fn essay_page_with_unique_ids(site: &SiteTest) -> (scraper::Html, Vec<String>) {
    let links = duben::pipeline::check(&duben::pipeline::CheckOptions {
        root: site.root().to_path_buf(),
        drafts: false,
        links: true,
    });
    assert_eq!(errors(&links), vec![], "{}", links.render(Format::Human, false));
    let out = tempfile::tempdir().unwrap();
    site.build(&out.path().join("public")).unwrap();
    let page = html(&out.path().join("public/essay/index.html"));
    let ids: Vec<String> = select(&page, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id").map(str::to_owned))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "every id once: {ids:?}");
    (page, ids)
}

#[test]
fn footnote_labels_that_differ_in_punctuation_keep_ids_of_their_own() {
    let site = SiteTest::fixture("ok-clean").edit("content/essay/text.md", |t| {
        t.push_str("\n点[^a.b]与线[^a-b]，再点[^a.b]。\n\n[^a.b]: 一\n\n[^a-b]: 二\n");
    });
    let (_, ids) = essay_page_with_unique_ids(&site);
    for id in ["fn-a-b", "fn-a-b-2", "fnref-a-b", "fnref-a-b-2", "fnref2-a-b"] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
}

/// Headings named like the theme's own ids, a footnote's or a paragraph's
/// get `section-` before theirs: every id on the page is one element's, the
/// footnote reference leads to the footnote, and the contents to the heading.
#[test]
fn headings_never_take_the_ids_of_the_theme_or_the_footnotes() {
    let site = SiteTest::fixture("ok-clean").edit("content/essay/text.md", |t| {
        for name in ["main", "toc", "top", "abstract", "site-search", "p1"] {
            t.push_str(&format!("\n## {name}\n\n这一节。\n"));
        }
        t.push_str("\n## fn-1\n\n最后一节[^1]。\n\n[^1]: 注。\n");
    });
    let (page, ids) = essay_page_with_unique_ids(&site);

    let reference = select(&page, "sup.footnote-ref a");
    assert_eq!(reference[0].value().attr("href"), Some("#fn-1"));
    assert_eq!(
        select(&page, "#fn-1")[0].value().name(),
        "li",
        "the footnote, not a heading"
    );
    assert_eq!(select(&page, "#main")[0].value().name(), "main");
    assert_eq!(select(&page, "#toc")[0].value().name(), "nav");
    for name in ["main", "toc", "top", "abstract", "site-search", "p1", "fn-1"] {
        let id = format!("section-{name}");
        let heading = select(&page, &format!("h2[id='{id}']"));
        assert_eq!(heading.len(), 1, "{id} in {ids:?}");
        let entries = select(&page, &format!("nav#toc a[href='#{id}']"));
        assert_eq!(entries.len(), 1, "the contents lead to {id}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_site_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "SECRET-7f3a9").unwrap();
    // A content file pointing outside: refused at its path.
    let site = SiteTest::fixture("ok-clean");
    let text = site.root().join("content/essay/text.md");
    fs::remove_file(&text).unwrap();
    std::os::unix::fs::symlink(&secret, &text).unwrap();
    let report = site.check();
    assert_eq!(
        errors(&report),
        vec![("symlink-outside".into(), "content/essay/text.md".into(), 1, 1)],
        "{}",
        report.render(Format::Human, false)
    );
    // In static/ and templates/: not followed, so never published.
    let site = SiteTest::fixture("ok-clean");
    fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("static/secret.txt")).unwrap();
    fs::create_dir_all(site.root().join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("templates/page.html")).unwrap();
    let out = tempfile::tempdir().unwrap();
    site.build(&out.path().join("public")).unwrap();
    for (path, bytes) in common::read_tree(&out.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-7f3a9"),
            "{} holds the outside file",
            path.display()
        );
    }
    // A symlink that stays inside the site is an ordinary file.
    let site = SiteTest::fixture("ok-clean");
    let text = site.root().join("content/essay/text.md");
    fs::rename(&text, site.root().join("essay-text.md")).unwrap();
    std::os::unix::fs::symlink(Path::new("../../essay-text.md"), &text).unwrap();
    assert_eq!(errors(&site.check()), vec![]);
}

/// `duben check --format github` on the site at `root`, which must fail.
fn failed_check_on_github(root: &str) -> std::process::Output {
    let out = duben()
        .args(["check", "--root", root, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    out
}

/// Every folder duben reads or copies from, made a link to a folder outside
/// the site holding a valid file and one that does not parse (whose error
/// would quote it): none is entered, each is reported at its path, and
/// nothing they hold reaches the output or the report.
#[cfg(unix)]
#[test]
fn a_folder_linked_out_of_the_site_is_not_entered() {
    const SECRET: &str = "SECRET-5c1d";
    let note = format!("[[note]]\nanchor = {{ paragraph = 1 }}\nkind = \"commentary\"\nbody = \"{SECRET}\"\n");
    let folders = [
        (
            "content/glossary",
            "a.toml",
            format!("[[term]]\nid = \"s\"\nzh = \"秘密\"\nen = \"{SECRET}\"\n"),
        ),
        (
            "content/timeline",
            "a.toml",
            format!("[[event]]\nid = \"s\"\ndate = \"1900\"\ntitle = \"{SECRET}\"\n"),
        ),
        ("content/pages", "secret.md", format!("# {SECRET}\n")),
        ("content/essay/notes", "a.toml", note),
        ("content/linked", "article.toml", format!("title = \"{SECRET}\"\n")),
        ("static", "secret.txt", SECRET.to_owned()),
        ("templates/partials", "secret.html", SECRET.to_owned()),
    ];
    let outside = tempfile::tempdir().unwrap();
    let site = SiteTest::fixture("ok-clean");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    site.build(&public).unwrap();
    for (i, (folder, name, text)) in folders.iter().enumerate() {
        let target = outside.path().join(i.to_string());
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join(name), text).unwrap();
        fs::write(target.join("broken.toml"), format!("password = \"{SECRET}\n")).unwrap();
        let link = site.root().join(folder);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
    }
    let root = site.root().to_str().unwrap();
    let checked = failed_check_on_github(root);
    let report = String::from_utf8_lossy(&checked.stdout);
    for (folder, _, _) in &folders {
        assert!(
            report.contains(&format!("::error file={folder},line=1,col=1,title=symlink-outside::")),
            "{folder} is reported: {report}"
        );
    }
    assert_eq!(
        report.lines().count(),
        folders.len(),
        "nothing else is reported: {report}"
    );
    let built = duben()
        .args(["build", "--root", root, "--output", public.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(built.status.code(), Some(1));
    for output in [&checked.stdout, &checked.stderr, &built.stdout, &built.stderr] {
        assert!(
            !String::from_utf8_lossy(output).contains(SECRET),
            "the report quotes no outside file"
        );
    }
    for (path, bytes) in common::read_tree(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{} holds an outside file",
            path.display()
        );
    }
}

#[test]
fn the_binary_reports_a_bad_byte_in_every_format() {
    let site = SiteTest::fixture("ok-clean");
    let text = site.root().join("content/essay/text.md");
    let mut bytes = fs::read(&text).unwrap();
    bytes.splice(0..0, [0xC3, 0x28]);
    fs::write(&text, bytes).unwrap();
    let root = site.root().to_str().unwrap();
    let out = failed_check_on_github(root);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=content/essay/text.md,line=1,col=1,title=not-utf8::"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error")).count(),
        1,
        "{stdout}"
    );
}

/// Bidirectional overrides and isolates, written as characters (a gloss, the
/// text) or as TOML escapes (the site's English title, on every page): the
/// binary's `check --strict` fails with a warning at each, and the built
/// site holds none, in any page or script, but U+FFFD where each was.
#[test]
fn bidi_controls_are_reported_and_never_reach_a_page() {
    let site = SiteTest::fixture("ok-clean")
        .replace(
            "content/glossary.toml",
            "en = \"Taiwan Relations Act\"",
            "en = \"Main text \u{202E}evil.com/moc.elgoog//:sptth\"",
        )
        .replace(
            "site.toml",
            "title_en = \"Check example\"",
            r#"title_en = "Reader \u202Egnp.exe""#,
        )
        .replace("content/essay/text.md", "台湾问题", "台湾\u{2067}问题")
        // Character references, which Markdown turns into the controls.
        .replace("content/essay/text.md", "建交后", "建交&#x202E;后")
        .replace("content/glossary.toml", "issued jointly", "issued &#8238;jointly")
        // …and in a link's title and address, which reach the page as
        // attributes, reported at the first reference in the link (column
        // 40): `check` had cleaned them without a word.
        .replace(
            "content/essay/text.md",
            "最大的痛点",
            "最大的[痛点](https://example.org/&#x202E;gpj \"see &#x2066;here\")",
        );
    let root = site.root().to_str().unwrap();
    let strict = duben()
        .args(["check", "--strict", "--format", "json", "--root", root])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1), "--strict fails on the warnings");
    let places: Vec<(String, u64, u64)> = String::from_utf8_lossy(&strict.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["code"] == "bidi-control")
        .map(|d| {
            let file = d["file"].as_str().unwrap().to_owned();
            (file, d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        })
        .collect();
    let text = fs::read_to_string(site.root().join("content/essay/text.md")).unwrap();
    let text_line = text
        .lines()
        .position(|l| l.contains("台湾\u{FFFD}问题") || l.contains("台湾\u{2067}"))
        .unwrap() as u64
        + 1;
    let reference_line = text.lines().position(|l| l.contains("建交&#x202E;后")).unwrap() as u64 + 1;
    let link_line = text.lines().position(|l| l.contains("[痛点]")).unwrap() as u64 + 1;
    let mut places = places;
    places.sort();
    assert_eq!(
        places,
        [
            ("content/essay/text.md".to_owned(), reference_line, 6),
            ("content/essay/text.md".to_owned(), text_line, 3),
            ("content/essay/text.md".to_owned(), link_line, 40),
            ("content/glossary.toml".to_owned(), 5, 17),
            ("content/glossary.toml".to_owned(), 13, 36),
            ("site.toml".to_owned(), 2, 20),
        ]
    );

    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    duben()
        .args(["build", "--root", root, "--output"])
        .arg(&public)
        .assert()
        .success();
    let mut shown = 0;
    for (path, bytes) in read_tree(&public) {
        let Ok(page) = String::from_utf8(bytes) else { continue };
        assert!(
            !page.contains(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "a bidi control in {}",
            path.display()
        );
        shown += page.matches("Reader \u{FFFD}gnp.exe").count();
    }
    assert!(shown > 1, "the title is shown, with U+FFFD for the control");
    let glossary = fs::read_to_string(public.join("glossary/index.html")).unwrap();
    assert!(glossary.contains("Main text \u{FFFD}evil.com"));
}
