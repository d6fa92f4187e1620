//! `check` and `build` read one answer: they report the same diagnostics,
//! including which terms are used (a term that occurs only inside a link is
//! unused for both). Every editor mistake of tests/check.rs is compared too.

mod common;

use common::{SiteTest, fixture};

#[test]
fn check_and_build_agree_on_every_fixture_site() {
    let mut compared = 0;
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let root = entry.unwrap().path();
        if !root.join("site.toml").is_file() {
            continue;
        }
        SiteTest::fixture(root.file_name().unwrap().to_str().unwrap()).assert_check_and_build_agree();
        compared += 1;
    }
    assert!(compared >= 2, "only {compared} fixture sites compared");
}

#[test]
fn a_term_only_inside_a_link_is_unused_for_check_and_build_alike() {
    // 官网 occurs in first/text.md only as the text of a link.
    let site = SiteTest::fixture("basic").edit("content/glossary.toml", |text| {
        text.push_str(
            "\n[[term]]\nid = \"guanwang\"\nzh = \"官网\"\npinyin = \"guānwǎng\"\nen = \"official site\"\ncategory = \"concept\"\ndefinition = \"A site.\"\n",
        )
    });
    let found = site.assert_check_and_build_agree();
    assert!(
        found
            .iter()
            .any(|d| d.code == "term-unused" && d.message.contains("`guanwang`")),
        "the term inside a link is unused: {found:?}"
    );
}
