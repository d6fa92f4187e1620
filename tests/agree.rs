//! `check` and `build` read one answer: on every fixture they report the
//! same diagnostics, including which terms are used (a term that occurs only
//! inside a link is unused for both).

mod common;

use std::path::Path;

use common::{fixture, scratch_copy};
use duben::diagnostics::Diagnostic;
use duben::pipeline::{self, BuildOptions, CheckOptions};

fn key(d: &Diagnostic) -> (String, &'static str, String, Option<std::ops::Range<usize>>) {
    (d.file.display().to_string(), d.code, d.message.clone(), d.span.clone())
}

/// The diagnostics of `check` and of `build` on the site at `root`.
fn both(root: &Path) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let checked = pipeline::check(&CheckOptions {
        root: root.to_path_buf(),
        drafts: false,
        links: false,
    });
    let out = tempfile::tempdir().unwrap();
    let built = pipeline::build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("public")),
        base_url: None,
        drafts: false,
    });
    let built = match built {
        Ok(built) => built.report,
        Err(report) => report,
    };
    (checked.diagnostics, built.diagnostics)
}

#[test]
fn check_and_build_agree_on_every_fixture() {
    let mut compared = 0;
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let root = entry.unwrap().path();
        if !root.join("site.toml").is_file() {
            continue;
        }
        let (checked, built) = both(&root);
        let checked: Vec<_> = checked.iter().map(key).collect();
        let built: Vec<_> = built.iter().map(key).collect();
        assert_eq!(checked, built, "{}: check and build disagree", root.display());
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} fixtures compared");
}

#[test]
fn a_term_only_inside_a_link_is_unused_for_check_and_build_alike() {
    let site = scratch_copy("basic");
    let glossary = site.path().join("content/glossary.toml");
    let mut text = std::fs::read_to_string(&glossary).unwrap();
    // 官网 occurs in first/text.md only as the text of a link.
    text.push_str("\n[[term]]\nid = \"guanwang\"\nzh = \"官网\"\npinyin = \"guānwǎng\"\nen = \"official site\"\ncategory = \"concept\"\ndefinition = \"A site.\"\n");
    std::fs::write(&glossary, text).unwrap();
    let (checked, built) = both(site.path());
    for (what, found) in [("check", &checked), ("build", &built)] {
        let unused: Vec<&str> = found
            .iter()
            .filter(|d| d.code == "term-unused")
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            unused.iter().any(|m| m.contains("`guanwang`")),
            "{what} finds the term inside a link unused: {unused:?}"
        );
    }
    assert_eq!(
        checked.iter().map(key).collect::<Vec<_>>(),
        built.iter().map(key).collect::<Vec<_>>()
    );
}
