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
fn help_says_it_takes_a_pdf_or_extracted_text() {
    for args in [&["--help"][..], &["import", "--help"]] {
        let done = Command::cargo_bin("duben").unwrap().args(args).assert().success();
        let help = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
        assert!(
            help.contains("PDF (read with pdftotext) or its extracted text"),
            "{help}"
        );
    }
}

/// A note whose mark the text does not show is kept, after the others, and
/// the summary lists it for the editor to place.
#[test]
fn a_note_whose_mark_was_not_found_is_kept_and_listed() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("paper.txt");
    std::fs::write(
        &input,
        "中美军事关系的历史与现状\n\n  第一段正文，引了一个注释。[1]后面还有很多文字，\n写完了这一段。\n  \
         第二段正文在这里结束，没有第二个注释的符号。\n注释\n[1] 第一个注释。\n\
         [2] 第二个注释，它的符号在正文里找不到，只好放在最后。\n\u{c}",
    )
    .unwrap();
    let done = import_into(&input, root.path()).assert().success();
    let summary = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(
        summary.contains(
            "check     1 footnote: its mark was not found in the text: it is written after the others; \
             put each [^n] where its mark belongs:\n            [^2] 第二个注释，它的符号在正文里找不到，只好放在最后…\n"
        ),
        "{summary}"
    );
    let text = std::fs::read_to_string(root.path().join("content/x/text.md")).unwrap();
    assert!(text.contains("引了一个注释。[^1]后面"), "{text}");
    assert!(
        text.ends_with("[^1]: 第一个注释。\n\n[^2]: 第二个注释，它的符号在正文里找不到，只好放在最后。\n"),
        "{text}"
    );
}

/// The sample site of `duben init` has one article, and its timeline's
/// anchors leave the article out. Importing a second article says which
/// file needs `article = "…"`, and what it says is what `check` then needs.
#[test]
fn a_second_article_says_which_anchors_must_name_their_article() {
    let site = tempfile::tempdir().unwrap();
    Command::cargo_bin("duben")
        .unwrap()
        .arg("init")
        .arg(site.path())
        .assert()
        .success();
    let check = || {
        Command::cargo_bin("duben")
            .unwrap()
            .arg("check")
            .arg("--root")
            .arg(site.path())
            .assert()
    };
    check().success();

    for again in [false, true] {
        let extra: &[&str] = if again { &["--force"] } else { &[] };
        let done = import(site.path(), extra).success();
        let summary = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
        assert!(
            summary.contains(
                "next      the site now has two articles, so an anchor must say which one it points into: \
                 add `article = \"reading-with-notes\"` to the anchors that name no article \
                 (2 anchors in content/timeline.toml), or `duben check` stops at each (anchor-needs-article)\n"
            ),
            "{summary}"
        );
    }
    let failed = check().code(1);
    let errors = String::from_utf8_lossy(&failed.get_output().stdout).into_owned();
    assert_eq!(errors.matches("error[anchor-needs-article]").count(), 2, "{errors}");
    assert!(errors.contains("2 errors"), "{errors}");

    let timeline = site.path().join("content/timeline.toml");
    let text = std::fs::read_to_string(&timeline).unwrap();
    std::fs::write(
        &timeline,
        text.replace("{ quote = ", "{ article = \"reading-with-notes\", quote = "),
    )
    .unwrap();
    check().success();
    let done = import(site.path(), &["--force"]).success();
    let summary = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(!summary.contains("two articles"), "{summary}");
}

/// A site's first article: its anchors may leave it out, nothing to say.
#[test]
fn a_first_article_needs_no_word_about_anchors() {
    let root = tempfile::tempdir().unwrap();
    let done = import(root.path(), &[]).success();
    let summary = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(!summary.contains("two articles"), "{summary}");
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

// ---------------------------------------------------------------------------
// The four layouts of tests/fixtures/import/LAYOUT/ (made by make.py there):
// `duben import paper.pdf` runs the real pdftotext, and its output is
// measured against the expected text.md and article.toml.
// Run `cargo test --test import layouts -- --nocapture` for the figures.

const LAYOUTS: &[&str] = &["present", "cnki", "columns", "endnotes"];

#[derive(Debug, Default)]
struct Blocks {
    paragraphs: Vec<String>,
    headings: Vec<String>,
    notes: Vec<String>,
    references: Vec<String>,
}

/// Splits text.md into its kinds of block; paragraphs without note marks.
fn blocks(text: &str) -> Blocks {
    let mut out = Blocks::default();
    let mut in_references = false;
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if block.starts_with('#') {
            in_references = block == "## 参考文献";
            if !in_references {
                out.headings.push(block.to_string());
            }
        } else if block.starts_with("[^") {
            out.notes
                .push(block.split_once("]: ").map_or("", |(_, t)| t).to_string());
        } else if in_references {
            out.references.extend(block.lines().map(str::to_string));
        } else {
            out.paragraphs.push(without_marks(block));
        }
    }
    out
}

fn without_marks(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(']') {
            Some(end) if after[..end].chars().all(|c| c.is_ascii_digit()) => rest = &after[end + 1..],
            _ => {
                out.push_str("[^");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

#[derive(Debug)]
struct Figures {
    precision: f64,
    recall: f64,
    heading_recall: f64,
    /// Characters in the body that are not in the expected body.
    extra: usize,
    /// Characters of the expected body that are missing.
    missing: usize,
    notes_right: usize,
    notes: usize,
    fields_right: usize,
    fields: usize,
    wrong_fields: Vec<String>,
}

fn measure(expected_md: &str, actual_md: &str, expected_toml: &toml::Table, actual_toml: &toml::Table) -> Figures {
    let (expected, actual) = (blocks(expected_md), blocks(actual_md));
    let start = |p: &String| p.chars().take(16).collect::<String>();
    let expected_starts: std::collections::BTreeSet<String> = expected.paragraphs.iter().map(start).collect();
    let actual_starts: std::collections::BTreeSet<String> = actual.paragraphs.iter().map(start).collect();
    let hits = actual
        .paragraphs
        .iter()
        .filter(|p| expected_starts.contains(&start(p)))
        .count();
    let found = expected
        .paragraphs
        .iter()
        .filter(|p| actual_starts.contains(&start(p)))
        .count();
    let headings = expected.headings.iter().filter(|h| actual.headings.contains(h)).count();
    let body = |b: &Blocks| -> String {
        let mut all: Vec<String> = b.headings.clone();
        all.extend(b.paragraphs.iter().cloned());
        all.concat()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '#')
            .collect()
    };
    let (expected_body, actual_body) = (body(&expected), body(&actual));
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(20))
        .diff_chars(&expected_body, &actual_body);
    let (mut extra, mut missing) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => extra += change.value().chars().count(),
            similar::ChangeTag::Delete => missing += change.value().chars().count(),
            similar::ChangeTag::Equal => {}
        }
    }
    let notes_right = expected.notes.iter().zip(&actual.notes).filter(|(e, a)| e == a).count()
        + expected
            .references
            .iter()
            .zip(&actual.references)
            .filter(|(e, a)| e == a)
            .count();
    let wrong_fields: Vec<String> = expected_toml
        .iter()
        .filter(|(key, value)| {
            let normal = |v: &toml::Value| v.as_str().map_or_else(|| v.to_string(), |s| s.trim().to_string());
            actual_toml.get(key.as_str()).map(normal) != Some(normal(value))
        })
        .map(|(key, _)| key.clone())
        .collect();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    Figures {
        precision: ratio(hits, actual.paragraphs.len()),
        recall: ratio(found, expected.paragraphs.len()),
        heading_recall: ratio(headings, expected.headings.len()),
        extra,
        missing,
        notes_right,
        notes: expected.notes.len() + expected.references.len(),
        fields_right: expected_toml.len() - wrong_fields.len(),
        fields: expected_toml.len(),
        wrong_fields,
    }
}

fn fixture(layout: &str, file: &str) -> PathBuf {
    Path::new("tests/fixtures/import").join(layout).join(file)
}

/// `duben import INPUT --slug x --root ROOT`.
fn import_into(input: &Path, root: &Path) -> Command {
    let mut command = Command::cargo_bin("duben").unwrap();
    command
        .arg("import")
        .arg(input)
        .args(["--slug", "x", "--root"])
        .arg(root);
    command
}

fn import_file(input: &Path) -> Option<(String, toml::Table)> {
    let root = tempfile::tempdir().unwrap();
    let output = import_into(input, root.path()).output().unwrap();
    if !output.status.success() {
        eprintln!(
            "{}: {}",
            input.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    let folder = root.path().join("content").join("x");
    let text = std::fs::read_to_string(folder.join("text.md")).unwrap();
    let article = toml::from_str(&std::fs::read_to_string(folder.join("article.toml")).unwrap()).unwrap();
    Some((text, article))
}

fn expected(layout: &str) -> (String, toml::Table) {
    let text = std::fs::read_to_string(fixture(layout, "text.md")).unwrap();
    let article = toml::from_str(&std::fs::read_to_string(fixture(layout, "article.toml")).unwrap()).unwrap();
    (text, article)
}

fn report(layout: &str, input: &str, figures: Option<&Figures>) {
    match figures {
        Some(f) => println!(
            "{layout:9} {input:11} boundaries P {:.3} R {:.3}  headings {:.3}  residue {:4} missing {:4}  notes/refs {}/{}  front matter {}/{}{}",
            f.precision,
            f.recall,
            f.heading_recall,
            f.extra,
            f.missing,
            f.notes_right,
            f.notes,
            f.fields_right,
            f.fields,
            if f.wrong_fields.is_empty() {
                String::new()
            } else {
                format!(" (not: {})", f.wrong_fields.join(", "))
            }
        ),
        None => println!("{layout:9} {input:11} refused"),
    }
}

#[test]
fn layouts_import_from_the_pdf_within_the_goals() {
    let mut failures = Vec::new();
    for layout in LAYOUTS {
        let (expected_md, expected_toml) = expected(layout);
        let Some((text, article)) = import_file(&fixture(layout, "paper.pdf")) else {
            failures.push(format!("{layout}: the import failed"));
            continue;
        };
        let figures = measure(&expected_md, &text, &expected_toml, &article);
        report(layout, "paper.pdf", Some(&figures));
        let within = figures.precision >= 0.97
            && figures.recall >= 0.97
            && figures.heading_recall >= 0.97
            && figures.extra == 0
            && figures.wrong_fields.is_empty();
        if !within {
            failures.push(format!("{layout}: {figures:?}"));
        }
    }
    assert!(failures.is_empty(), "outside the goals:\n{}", failures.join("\n"));
}

/// The same layouts from the committed text extractions (`pdftotext -layout`
/// and `pdftotext`), measured to compare the modes; the figures are printed,
/// and the importer must not fail on any of them except by refusing.
#[test]
fn layouts_from_text_extractions_are_measured() {
    for layout in LAYOUTS {
        let (expected_md, expected_toml) = expected(layout);
        for input in ["layout.txt", "raw.txt"] {
            let figures = import_file(&fixture(layout, input))
                .map(|(text, article)| measure(&expected_md, &text, &expected_toml, &article));
            report(layout, input, figures.as_ref());
        }
    }
}

#[test]
fn the_present_layout_pdf_gives_the_repositorys_own_text() {
    let (text, article) = import_file(&fixture("present", "paper.pdf")).unwrap();
    let own = std::fs::read_to_string("content/yao-2019/text.md").unwrap();
    assert_eq!(text, own);
    let own: toml::Table = toml::from_str(&std::fs::read_to_string("content/yao-2019/article.toml").unwrap()).unwrap();
    for key in ["title", "author", "author_note", "editor", "abstract_zh", "abstract_en"] {
        assert_eq!(
            article[key].as_str().map(str::trim),
            own[key].as_str().map(str::trim),
            "{key}"
        );
    }
}

#[test]
fn page_foot_notes_become_markdown_footnotes_at_their_marks() {
    let (text, _) = import_file(&fixture("cnki", "paper.pdf")).unwrap();
    assert!(
        text.contains("正式建立外交关系。[^1]2019年"),
        "the mark stays where it was"
    );
    assert!(text.contains("\n\n[^1]: 联合公报于北京时间1978年12月16日发表，华盛顿时间为12月15日。"));
    for residue in ["收稿日期", "基金项目", "作者简介", "美国研究", "①", "②"] {
        assert!(!text.contains(residue), "{residue} left in text.md");
    }
}

/// The cnki layout with its marks as superscript numbers or as `[1]`
/// (tests/fixtures/import/marks/): the same notes, marked in the same places.
#[test]
fn numbered_page_foot_notes_become_the_same_footnotes_as_circled_ones() {
    let (expected, _) = expected("cnki");
    let expected = expected.split("\n\n").collect::<Vec<_>>();
    let expected_notes: Vec<&str> = expected.iter().copied().filter(|b| b.starts_with("[^")).collect();
    let expected_marked: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|b| !b.starts_with("[^") && b.contains("[^"))
        .collect();
    assert_eq!((expected_notes.len(), expected_marked.len()), (7, 6));
    for input in ["superscript.txt", "bracketed.txt"] {
        let (text, _) = import_file(&fixture("marks", input)).unwrap();
        let blocks: Vec<&str> = text.split("\n\n").collect();
        let notes: Vec<&str> = blocks.iter().copied().filter(|b| b.starts_with("[^")).collect();
        assert_eq!(notes, expected_notes, "{input}");
        for paragraph in &expected_marked {
            assert!(blocks.contains(paragraph), "{input}: not found: {paragraph}");
        }
        assert!(!text.contains("\\[1\\]"), "{input}: a mark left as text");
    }
}

#[test]
fn endnotes_and_references_from_the_end_of_the_article() {
    let (text, article) = import_file(&fixture("endnotes", "paper.pdf")).unwrap();
    assert!(
        text.contains("正式建立外交关系。[^1]2019年"),
        "a superscript 1 before 2019 is the mark"
    );
    assert!(text.contains(
        "## 参考文献\n\n1. 中华人民共和国和美利坚合众国关于建立外交关系的联合公报\\[Z\\]. 北京, 1978-12-16.\n2. "
    ));
    assert!(
        !text.lines().any(|l| l.trim_start_matches('#').trim() == "注释"),
        "the 注释 heading is gone"
    );
    assert_eq!(
        article["title_en"].as_str(),
        Some("China–US Military Relations: From Quasi-Alliance to Competitors?")
    );
}

#[test]
fn a_missing_pdftotext_says_how_to_install_it() {
    let root = tempfile::tempdir().unwrap();
    let failed = Command::cargo_bin("duben")
        .unwrap()
        .env("DUBEN_PDFTOTEXT", "/nonexistent/pdftotext")
        .args([
            "import",
            "tests/fixtures/import/cnki/paper.pdf",
            "--slug",
            "x",
            "--root",
        ])
        .arg(root.path())
        .assert()
        .code(1);
    let message = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(message.contains("pdftotext is not installed"), "{message}");
    assert!(message.contains("apt-get install poppler-utils"), "{message}");
    assert!(message.contains("import the PDF again"), "{message}");
    assert!(
        message.contains("for a single-column paper only"),
        "the .txt route is a fallback, not the advice: {message}"
    );
    assert!(message.contains("paper.pdf"), "{message}");
    assert!(!root.path().join("content").exists());
}

/// `-layout` text of the two-column layout: below the rows the columns
/// share on page 4, their lines alternate row by row. The importer refuses
/// it, names the line, and sends the user to the PDF, which it reads right.
#[test]
fn two_column_layout_text_whose_order_is_in_doubt_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let failed = import_into(&fixture("columns", "layout.txt"), root.path())
        .assert()
        .code(1);
    let message = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(
        message.contains("layout.txt: line 163 (page 4, “而美国则担心中国一旦下决心武力统…”)"),
        "{message}"
    );
    assert!(
        message.contains("one column's lines fall between the other's"),
        "{message}"
    );
    assert!(
        message.contains("import the PDF itself (`duben import PAPER.pdf`)"),
        "{message}"
    );
    assert!(!root.path().join("content").exists());
}

#[test]
fn text_that_is_neither_pdf_nor_utf8_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("gbk.txt");
    std::fs::write(&input, [0xd6, 0xd0, 0xce, 0xc4, 0x0a]).unwrap();
    let failed = import_into(&input, dir.path()).assert().code(1);
    let message = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(message.contains("not a PDF and not UTF-8"), "{message}");
}
