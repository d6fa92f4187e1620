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

#[test]
fn terms_written_only_where_they_cut_a_word_are_used_in_whichever_article_they_are() {
    // 们正 occurs only inside 他们正在 (it would cut 他们 and 正在, so it is
    // never marked), in the first of twelve articles, 究中 only in the last
    // (研究中心), and 无处可寻 nowhere: the scan of the written text, which
    // ends once every unmarked term is found, must read on to the last
    // article, and report the third alone.
    let mut site = SiteTest::fixture("ok-clean");
    for n in 0..12 {
        let words = match n {
            0 => "他们正在研究。",
            11 => "这是研究中心。",
            _ => "中美两国发表了联合公报。",
        };
        site = site
            .write(
                &format!("content/reading-{n:02}/article.toml"),
                &format!("title = \"第{n}篇\"\ntitle_en = \"Reading {n}\"\n"),
            )
            .write(&format!("content/reading-{n:02}/text.md"), &format!("{words}\n"));
    }
    let site = site.edit("content/glossary.toml", |text| {
        for (id, zh, pinyin) in [
            ("men-zheng", "们正", "men zhèng"),
            ("jiu-zhong", "究中", "jiū zhōng"),
            ("nowhere", "无处可寻", "wúchù kěxún"),
        ] {
            text.push_str(&format!(
                "\n[[term]]\nid = \"{id}\"\nzh = \"{zh}\"\npinyin = \"{pinyin}\"\nen = \"{id}\"\ndefinition = \"A test term.\"\n"
            ));
        }
    });
    let out = tempfile::tempdir().unwrap();
    let built = site.build(&out.path().join("public")).expect("the site builds");
    // check also warns where a term would cut a word; build does not look.
    for diagnostics in [site.check().diagnostics, built.report.diagnostics] {
        let unused: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.code == "term-unused")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unused.len(), 1, "{unused:?}");
        assert!(unused[0].contains("`nowhere`"), "{unused:?}");
    }
}
