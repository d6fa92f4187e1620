//! `duben import` on the PDF-extracted text of Yao Yunzhu's 2019 article
//! (tests/fixtures/import/yao-2019-raw.txt), run as a user runs it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const RAW: &str = "tests/fixtures/import/yao-2019-raw.txt";

fn import(root: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("duben")
        .unwrap()
        .args(["import", RAW, "--slug", "yao-2019", "--root"])
        .arg(root)
        .args(extra)
        .assert()
}

struct Output {
    article: toml::Table,
    article_text: String,
    text: String,
}

fn folder(root: &Path) -> PathBuf {
    root.join("content").join("yao-2019")
}

fn read(root: &Path) -> Output {
    let article_text = std::fs::read_to_string(folder(root).join("article.toml")).unwrap();
    let article = toml::from_str(&article_text).expect("article.toml is valid TOML");
    let text = std::fs::read_to_string(folder(root).join("text.md")).unwrap();
    Output {
        article,
        article_text,
        text,
    }
}

fn imported() -> (tempfile::TempDir, Output) {
    let root = tempfile::tempdir().unwrap();
    import(root.path(), &[]).success();
    let output = read(root.path());
    (root, output)
}

fn field<'a>(output: &'a Output, key: &str) -> &'a str {
    output.article[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is missing or not a string"))
}

#[test]
fn paragraphs_and_headings_are_recognised() {
    let (_root, output) = imported();
    let blocks: Vec<&str> = output.text.split("\n\n").map(str::trim).collect();
    let headings: Vec<&str> = blocks.iter().copied().filter(|b| b.starts_with('#')).collect();
    let paragraphs = blocks.len() - headings.len();
    assert_eq!(paragraphs, 39);
    assert_eq!(
        headings,
        [
            "## 一 中美军事关系的历史与现状",
            "## 二 中美军事关系中的困难因素与共同利益",
            "### （一）台湾问题始终是中美军事关系中最大的痛点",
            "### （二）中国与美国主导的军事同盟体制之间呈现出日趋紧张的地缘战略对峙",
            "### （三）中美海空力量在第一岛链内形成了竞争性共存的态势",
            "### （四）战略领域的竞争预示着中美军事竞争的未来趋向",
            "## 三 中美军事关系的特点",
            "### （一）中美两军互不依存、具有各自的独立性",
            "### （二）中美两军互为潜在交战对手",
            "### （三）中美军事利益冲突集中于东亚濒海地带",
            "### （四）中美军事关系有望继续保持稳定",
            "## 四 发展以协调、合作、稳定为基调的中美军事关系",
            "### （一）以管理分歧和防止危机为主线处理双边军事关系",
            "### （二）防范和控制突发事件为重点进行危机管控",
            "### （三）以共同利益为主轴推动多边机制及全球范围的军事合作",
            "### （四）以增信释疑为出发点缓解中国与美国主导的军事同盟之间的对立",
            "## 结语",
        ]
    );
    assert!(blocks[0].starts_with("1978年12月16日（华盛顿时间12月15日），中美两国同时发表了"));
}

#[test]
fn title_author_and_metadata_lines_go_to_article_toml() {
    let (_root, output) = imported();
    assert_eq!(field(&output, "title"), "中美军事关系：从准同盟到竞争对手？");
    assert_eq!(field(&output, "author"), "姚云竹");
    assert_eq!(
        field(&output, "author_note"),
        "中国人民解放军退役少将、中国军事科学学会高级顾问"
    );
    assert_eq!(field(&output, "editor"), "魏红霞");
    assert!(
        !output.article.contains_key("title_en"),
        "the raw text cannot say the English title"
    );
    for metadata in ["①", "姚云竹", "退役少将", "本文责任编辑", "魏红霞", "内容提要"] {
        assert!(!output.text.contains(metadata), "{metadata} is metadata, not body text");
    }
}

#[test]
fn abstracts_are_one_paragraph_each() {
    let (_root, output) = imported();
    let zh = field(&output, "abstract_zh").trim();
    assert!(zh.starts_with("40年前，地缘战略考虑和军事需求"), "{zh}");
    assert!(zh.ends_with("是强化危机管控机制，防止最坏情况的发生。"), "{zh}");
    let en = field(&output, "abstract_en").trim();
    assert!(en.starts_with("Forty years ago, based primarily on geostrategic calculations and military necessity"));
    assert!(en.ends_with("worst-case scenarios."), "{en}");
    // Line-end hyphens: real compounds kept, typesetter's breaks joined.
    for word in [
        "high-level",
        "military necessity",
        "international system",
        "emerging technologies",
        "coping with",
        "regional",
        "alliances.",
    ] {
        assert!(en.contains(word), "{word:?} missing from {en}");
    }
    assert!(en.contains("the China-U.S. relationship. The military ties"));
    assert!(en.contains("the U.S.-led Asia-Pacific alliances."));
    assert!(
        en.is_ascii() || en.chars().all(|c| c.is_ascii() || c == '“' || c == '”'),
        "{en}"
    );
    assert!(
        output.article_text.contains("abstract_en = \"\"\"\n"),
        "abstracts use multi-line strings"
    );
    assert!(!zh.contains('\n') && !en.contains('\n'));
}

#[test]
fn the_other_articles_fragment_appears_nowhere() {
    let (_root, output) = imported();
    for foreign in ["Da Wei", "Domestic strategy", "Choosing Domestic"] {
        assert!(!output.text.contains(foreign), "{foreign} in text.md");
        assert!(!output.article_text.contains(foreign), "{foreign} in article.toml");
    }
}

#[test]
fn page_headers_are_gone_and_interrupted_sentences_rejoined() {
    let (_root, output) = imported();
    assert!(!output.text.contains("·11·"));
    assert!(!output.text.contains("·21·"));
    assert!(!output.text.contains("美国研究"));
    assert!(output.text.contains("会晤时，习近平主席提出两军应当积极构建"));
    assert!(output.text.contains("美军还把更多的战略能力部署到中国周边"));
}

#[test]
fn pdf_artefacts_are_repaired() {
    let (_root, output) = imported();
    let all = format!("{}\n{}", output.text, output.article_text);
    assert!(all.contains("U.S."));
    for artefact in ["U．S．", "Ｒ", "( ", " )", "F－16", "1978 年"] {
        assert!(!all.contains(artefact), "{artefact:?} is still there");
    }
    for repaired in [
        "（Taiwan Relations Act，TRA）",
        "（New START）",
        "“无瑕号”（Impeccable）、",
        "出售150架F-16战斗机",
        "美国EP-3侦察机与中国歼-8战斗机",
        "（Caspar W. Weinberger）",
        "这主要表现在：尽管",
        "大使馆；2001年4月",
        "（2017年后升级为外交与安全对话）",
        "“区域拒止/反介入”（AD/A2）",
    ] {
        assert!(output.text.contains(repaired), "{repaired} is missing");
    }
}

#[test]
fn existing_files_are_kept_unless_forced() {
    let root = tempfile::tempdir().unwrap();
    import(root.path(), &[]).success();
    let text_md = folder(root.path()).join("text.md");
    std::fs::write(&text_md, "edited by hand\n").unwrap();
    let before_toml = std::fs::read_to_string(folder(root.path()).join("article.toml")).unwrap();

    let refused = import(root.path(), &[]).code(1);
    let message = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(message.contains("not overwriting"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(std::fs::read_to_string(&text_md).unwrap(), "edited by hand\n");
    assert_eq!(
        std::fs::read_to_string(folder(root.path()).join("article.toml")).unwrap(),
        before_toml
    );

    import(root.path(), &["--force"]).success();
    assert!(std::fs::read_to_string(&text_md).unwrap().starts_with("1978年12月16日"));
}

#[test]
fn summary_says_what_was_done_and_removed() {
    let root = tempfile::tempdir().unwrap();
    let done = import(root.path(), &[]).success();
    let summary = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    for expected in [
        "39 paragraphs, 17 headings",
        "2 page headers (lines 164, 234)",
        "author note (line 672",
        "editor line (line 674",
        "another article's text after the English abstract (lines 696–702)",
        "footnote mark ① dropped",
        "line 404:",
    ] {
        assert!(summary.contains(expected), "summary lacks {expected:?}:\n{summary}");
    }
}

#[test]
fn a_bad_slug_is_a_usage_error() {
    let root = tempfile::tempdir().unwrap();
    Command::cargo_bin("duben")
        .unwrap()
        .args(["import", RAW, "--slug", "Yao 2019", "--root"])
        .arg(root.path())
        .assert()
        .code(2);
    assert!(!root.path().join("content").exists());
}
