//! Produces `content/SLUG/article.toml` and `content/SLUG/text.md` from an
//! `Imported` article, and writes them only if neither exists (or `--force`).
//! It does not decide anything about the text itself.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Block, Imported, pages};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "not overwriting {}: nothing was written. An editor may have changed the \
         file since the last import; pass --force to replace it anyway",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and ")
    )]
    Exists(Vec<PathBuf>),
    #[error("could not write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The two files, as text.
pub struct Files {
    pub article_toml: String,
    pub text_md: String,
}

pub fn render(imported: &Imported) -> Files {
    Files {
        article_toml: article_toml(imported),
        text_md: text_md(imported),
    }
}

/// Writes both files into `dir` (created if missing). Without `force`, an
/// existing file is left untouched and nothing is written.
pub fn write(dir: &Path, files: &Files, force: bool) -> Result<[PathBuf; 2], WriteError> {
    let targets = [dir.join("article.toml"), dir.join("text.md")];
    let existing: Vec<PathBuf> = targets.iter().filter(|p| p.exists()).cloned().collect();
    if !force && !existing.is_empty() {
        return Err(WriteError::Exists(existing));
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    std::fs::write(&targets[0], &files.article_toml).map_err(|e| io_error(&targets[0], e))?;
    std::fs::write(&targets[1], &files.text_md).map_err(|e| io_error(&targets[1], e))?;
    Ok(targets)
}

fn io_error(path: &Path, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Keys in the order of the content reference. What the raw text cannot say
/// (English title and name, publication, year) is left as a commented line.
fn article_toml(imported: &Imported) -> String {
    let mut out = String::new();
    line(&mut out, "title", Some(&imported.title));
    line(&mut out, "subtitle", imported.subtitle.as_deref());
    match &imported.title_en {
        Some(title_en) => line(&mut out, "title_en", Some(title_en)),
        None => out.push_str("# title_en = \"\"\n"),
    }
    line(&mut out, "author", imported.author.as_deref());
    match &imported.author_en {
        Some(author_en) => line(&mut out, "author_en", Some(author_en)),
        None => out.push_str("# author_en = \"\"\n"),
    }
    line(&mut out, "author_note", imported.author_note.as_deref());
    line(&mut out, "author_bio", imported.author_bio.as_deref());
    line(&mut out, "corresponding", imported.corresponding.as_deref());
    line(&mut out, "editor", imported.editor.as_deref());
    out.push_str("# source = \"\"\n# year = 0\n");
    line(&mut out, "funding", imported.funding.as_deref());
    line(&mut out, "received", imported.received.as_deref());
    line(&mut out, "clc", imported.clc.as_deref());
    line(&mut out, "document_code", imported.document_code.as_deref());
    line(&mut out, "article_number", imported.article_number.as_deref());
    line(&mut out, "doi", imported.doi.as_deref());
    list(&mut out, "keywords", &imported.keywords);
    list(&mut out, "keywords_en", &imported.keywords_en);
    multiline(&mut out, "abstract_zh", imported.abstract_zh.as_deref());
    multiline(&mut out, "abstract_en", imported.abstract_en.as_deref());
    out
}

fn list(out: &mut String, key: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{}\"", escape(v))).collect();
    let _ = writeln!(out, "{key} = [{}]", quoted.join(", "));
}

fn line(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        let _ = writeln!(out, "{key} = \"{}\"", escape(value));
    }
}

fn multiline(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        let _ = writeln!(out, "{key} = \"\"\"\n{}\"\"\"", escape(value));
    }
}

/// TOML basic-string escaping; also safe inside `"""…"""` because every quote
/// is escaped.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// One block per line, blank lines between, `##`/`###` headings; footnote
/// marks as `[^n]`, numbered in the order they appear, the notes after the
/// text, and the references as a numbered list under `## 参考文献`.
fn text_md(imported: &Imported) -> String {
    let order = imported.note_order();
    let numbers = order.numbers();
    let mark = |c: char, out: &mut String| match pages::note_index(c) {
        Some(index) => {
            if let Some(number) = numbers.get(index) {
                let _ = write!(out, "[^{number}]");
            }
        }
        None => out.push(c),
    };
    let mut blocks: Vec<String> = Vec::new();
    for block in &imported.blocks {
        let (prefix, text) = match block {
            Block::Heading { level, text, .. } => {
                (format!("{} ", "#".repeat(usize::from(*level))), escape_inline(text))
            }
            Block::Paragraph { text, .. } => (String::new(), escape_markdown(text)),
        };
        let mut out = prefix;
        for c in text.chars() {
            mark(c, &mut out);
        }
        blocks.push(out);
    }
    if !imported.references.is_empty() {
        blocks.push("## 参考文献".to_string());
        let items: Vec<String> = imported
            .references
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{}. {}", i + 1, escape_inline(r)))
            .collect();
        blocks.push(items.join("\n"));
    }
    // Notes whose mark was not found keep their place after the others.
    for (k, &index) in order.placed.iter().chain(&order.unplaced).enumerate() {
        blocks.push(format!("[^{}]: {}", k + 1, escape_inline(&imported.footnotes[index])));
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// Markdown's inline markers escaped (for headings, list items and notes,
/// where a leading `1. ` is not a list).
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Keeps text text: Markdown's inline markers are escaped, and so is a start
/// that would open a list, quote or heading (`1. `, `- `, `> `, `#`).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let after_digits = &out[digits..];
    if digits > 0 && (after_digits.starts_with(". ") || after_digits.starts_with(") ")) {
        out.insert(digits, '\\');
    } else if out.starts_with(['#', '+', '-', '=']) {
        out.insert(0, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Imported {
        Imported {
            title: "中美军事关系：从准同盟到竞争对手？".into(),
            author: Some("姚云竹".into()),
            editor: Some("魏红霞".into()),
            abstract_zh: Some("40年前，地缘战略考虑。".into()),
            abstract_en: Some("enhancing “crises-control” regimes and a \"quote\" \\ here.".into()),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "一 历史与现状".into(),
                    line: 3,
                },
                Block::Paragraph {
                    text: "1978年12月16日。".into(),
                    first_line: 5,
                    last_line: 7,
                },
            ],
            ..Imported::default()
        }
    }

    #[test]
    fn article_toml_parses_back_to_the_same_values() {
        let toml_text = article_toml(&sample());
        let table: toml::Table = toml::from_str(&toml_text).unwrap();
        assert_eq!(table["title"].as_str(), Some("中美军事关系：从准同盟到竞争对手？"));
        assert_eq!(table["editor"].as_str(), Some("魏红霞"));
        assert_eq!(
            table["abstract_en"].as_str(),
            Some("enhancing “crises-control” regimes and a \"quote\" \\ here.")
        );
        assert!(toml_text.contains("abstract_zh = \"\"\"\n40年前"));
        assert!(!table.contains_key("title_en"));
    }

    #[test]
    fn text_md_has_headings_and_paragraphs_apart() {
        assert_eq!(text_md(&sample()), "## 一 历史与现状\n\n1978年12月16日。\n");
    }

    #[test]
    fn markdown_markers_in_text_are_escaped() {
        assert_eq!(escape_markdown("2+2+2会议"), "2+2+2会议");
        assert_eq!(escape_markdown("1. 第一"), "1\\. 第一");
        assert_eq!(escape_markdown("a*b*"), "a\\*b\\*");
        assert_eq!(escape_markdown("# 不是标题"), "\\# 不是标题");
    }

    #[test]
    fn existing_files_are_not_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let files = render(&sample());
        write(dir.path(), &files, false).unwrap();
        std::fs::write(dir.path().join("text.md"), "edited").unwrap();
        assert!(matches!(write(dir.path(), &files, false), Err(WriteError::Exists(_))));
        assert_eq!(std::fs::read_to_string(dir.path().join("text.md")).unwrap(), "edited");
        write(dir.path(), &files, true).unwrap();
        assert_ne!(std::fs::read_to_string(dir.path().join("text.md")).unwrap(), "edited");
    }
}
