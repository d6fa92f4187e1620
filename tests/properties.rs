//! Properties over random sites (proptest), built in process: two builds are
//! byte-identical; HTML metacharacters in every field come out as text, never
//! as markup (the output is parsed to check); a substring that occurs exactly
//! once in an article anchors to its paragraph.

mod common;

use std::fs;
use std::path::Path;

use common::{read_tree, select};
use proptest::prelude::*;

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A site of one article from the given values.
#[derive(Debug)]
struct Values {
    title: String,
    paragraphs: Vec<String>,
    note: String,
    term_zh: String,
    term_en: String,
    definition: String,
    event_title: String,
    description: String,
    page: String,
}

fn write_site(root: &Path, v: &Values) {
    let w = |path: &str, text: String| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    w(
        "site.toml",
        format!(
            "title = {}\ntitle_en = {}\n",
            toml_string(&v.title),
            toml_string(&v.title)
        ),
    );
    w(
        "content/a/article.toml",
        format!(
            "title = {}\ntitle_en = {}\nauthor = {}\nabstract_en = {}\n",
            toml_string(&v.title),
            toml_string(&v.title),
            toml_string(&v.title),
            toml_string(&v.description)
        ),
    );
    w("content/a/text.md", v.paragraphs.join("\n\n") + "\n");
    w(
        "content/a/notes.toml",
        format!(
            "[[note]]\nanchor = {{ paragraph = 1 }}\nbody = {}\n",
            toml_string(&v.note)
        ),
    );
    w(
        "content/glossary.toml",
        format!(
            "[[term]]\nid = \"t\"\nzh = {}\nen = {}\ndefinition = {}\n",
            toml_string(&v.term_zh),
            toml_string(&v.term_en),
            toml_string(&v.definition)
        ),
    );
    w(
        "content/timeline.toml",
        format!(
            "[[event]]\nid = \"e\"\ndate = \"1999\"\ntitle = {}\ntitle_en = {}\ndescription = {}\nterms = [\"t\"]\nanchors = [{{ article = \"a\", paragraph = 1 }}]\n",
            toml_string(&v.event_title),
            toml_string(&v.event_title),
            toml_string(&v.description)
        ),
    );
    w("content/pages/about.md", format!("# {}\n\n{}\n", v.page, v.page));
}

fn build(root: &Path, out: &Path) -> Result<(), String> {
    duben::pipeline::build(&duben::pipeline::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: None,
        drafts: false,
        repository: Default::default(),
    })
    .map(|_| ())
    .map_err(|report| report.render(duben::diagnostics::Format::Json, false))
}

/// Text with Markdown and HTML in it, never empty.
fn hostile() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(
        prop_oneof![
            Just("<x-evil onclick=\"alert(1)\">".to_owned()),
            Just("</p><script>alert(1)</script>".to_owned()),
            Just("\"'><img src=x onerror=alert(1)>".to_owned()),
            Just("&amp;&lt;&#60;".to_owned()),
            Just("{{ site.title }}{% raw %}".to_owned()),
            "[中美关系台湾<>&\"' a-z*_`]{1,8}",
        ],
        1..5,
    )
    .prop_map(|parts| parts.concat())
}

fn values(text: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = Values> {
    (
        text.clone(),
        prop::collection::vec(text.clone(), 1..6),
        text.clone(),
        "[中美关系台湾]{2,4}",
        text.clone(),
        text.clone(),
        text.clone(),
        text.clone(),
        text,
    )
        .prop_map(
            |(title, paragraphs, note, term_zh, term_en, definition, event_title, description, page)| Values {
                title,
                paragraphs,
                note,
                term_zh,
                term_en,
                definition,
                event_title,
                description,
                page,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn two_builds_are_byte_identical(v in values(hostile())) {
        let site = tempfile::tempdir().unwrap();
        write_site(site.path(), &v);
        let out = tempfile::tempdir().unwrap();
        let first = build(site.path(), &out.path().join("one"));
        let second = build(site.path(), &out.path().join("two"));
        prop_assert_eq!(&first, &second);
        if first.is_ok() {
            prop_assert!(read_tree(&out.path().join("one")) == read_tree(&out.path().join("two")));
        }
    }

    #[test]
    fn html_in_every_field_comes_out_as_text(v in values(hostile())) {
        let site = tempfile::tempdir().unwrap();
        write_site(site.path(), &v);
        let out = tempfile::tempdir().unwrap().keep();
        // A link with a refused scheme is an error; the rest builds.
        if build(site.path(), &out.join("public")).is_err() {
            return Ok(());
        }
        let mut text = String::new();
        for (path, bytes) in read_tree(&out.join("public")) {
            if path.extension().is_none_or(|x| x != "html") {
                continue;
            }
            let page = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
            prop_assert!(select(&page, "x-evil").is_empty(), "{}: an element from content", path.display());
            for element in select(&page, "*") {
                for (name, value) in element.value().attrs() {
                    prop_assert!(!name.starts_with("on"), "{}: attribute {name}={value}", path.display());
                }
                if element.value().name() == "script" {
                    prop_assert!(element.value().attr("src").is_some(), "{}: an inline script", path.display());
                }
                if element.value().name() == "img" {
                    prop_assert!(element.value().attr("src") != Some("x"), "{}: an image from content", path.display());
                }
            }
            text.extend(page.root_element().text());
        }
        fs::remove_dir_all(&out).unwrap();
        // What was escaped is still there to read.
        if v.paragraphs.iter().any(|p| p.contains("<x-evil")) {
            prop_assert!(text.contains("<x-evil"), "the markup is shown as text");
        }
    }

    #[test]
    fn a_substring_found_once_anchors_to_its_paragraph(
        paragraphs in prop::collection::vec("[中美关系台湾历史公报]{4,30}", 1..8),
        pick in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
        length in 2usize..6,
    ) {
        let k = pick.index(paragraphs.len());
        let chars: Vec<char> = paragraphs[k].chars().collect();
        let start = from.index(chars.len().saturating_sub(1).max(1));
        let end = (start + length).min(chars.len());
        prop_assume!(end > start + 1);
        let quote: String = chars[start..end].iter().collect();
        let joined = paragraphs.join("\n");
        prop_assume!(joined.matches(&quote).count() == 1);
        let site = common::SiteTest::fixture("ok-clean")
            .write("content/essay/text.md", &(paragraphs.join("\n\n") + "\n"))
            .write("content/essay/notes.toml", "")
            .write(
                "content/timeline.toml",
                &format!("[[event]]\nid = \"e\"\ndate = \"1999\"\ntitle = \"t\"\nanchors = [{{ article = \"essay\", quote = {} }}]\n", toml_string(&quote)),
            );
        let report = site.check();
        prop_assert_eq!(report.errors(), 0, "{}", report.render(duben::diagnostics::Format::Human, false));
        let out = tempfile::tempdir().unwrap();
        site.build(&out.path().join("public")).map_err(|r| TestCaseError::fail(r.render(duben::diagnostics::Format::Human, false)))?;
        let page = common::html(&out.path().join("public/timeline/index.html"));
        let places: Vec<String> = select(&page, ".places a").iter().filter_map(|a| a.value().attr("href").map(str::to_owned)).collect();
        prop_assert_eq!(places, vec![format!("../essay/index.html#p{}", k + 1)]);
    }
}
