//! `check` and `build` read one answer: they report the same diagnostics,
//! including which terms are used (a term that occurs only inside a link is
//! written in the text, and used, for both). Every editor mistake of
//! tests/check.rs is compared too.

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
fn a_term_only_inside_a_link_is_judged_alike_by_check_and_build() {
    // 官网 occurs in first/text.md only as the text of a link.
    let site = SiteTest::fixture("basic").edit("content/glossary.toml", |text| {
        text.push_str(
            "\n[[term]]\nid = \"guanwang\"\nzh = \"官网\"\npinyin = \"guānwǎng\"\nen = \"official site\"\ncategory = \"concept\"\ndefinition = \"A site.\"\n",
        )
    });
    let found = site.assert_check_and_build_agree();
    assert!(
        !found.iter().any(|d| d.message.contains("`guanwang`")),
        "the term is written in the text (inside a link): {found:?}"
    );
    // A term written nowhere is unused for both.
    let site = site.edit("content/glossary.toml", |text| {
        text.push_str(
            &text
                .replace("guanwang", "nowhere")
                .replace("官网", "无处可寻")
                .split("[[term]]")
                .last()
                .map(|t| format!("[[term]]{t}"))
                .unwrap(),
        )
    });
    let found = site.assert_check_and_build_agree();
    assert!(
        found
            .iter()
            .any(|d| d.code == "term-unused" && d.message.contains("`nowhere`")),
        "a term written nowhere is unused: {found:?}"
    );
}
