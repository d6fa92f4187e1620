//! `duben import`: one journal article — its PDF or text extracted from it —
//! → the content files `article.toml` and `text.md`. The result is a starting
//! point an editor reviews; it does not touch notes, glossary or timeline.
//!
//! Text with page breaks (form feeds; what `pdf::read` rebuilds from a PDF,
//! and what `pdftotext` writes) goes through:
//! - `pdf`: runs `pdftotext -bbox-layout` and rebuilds the pages as text,
//!   a two-column page's columns in order;
//! - `pages`: columns side by side in `-layout` text (refused where their
//!   order is in doubt), running heads and page numbers by repetition,
//!   page-foot notes and the marks that cite them;
//! - `journal`: front matter, headings in the usual numbering styles,
//!   paragraphs by first-line indent, endnotes, references, back matter.
//!
//! Text without page breaks goes through the first version's stages:
//! - `lines`: number the lines, drop running page headers and page numbers,
//!   measure printed width, join visual lines (CJK without space, Latin with
//!   one, line-end hyphens joined unless the word is a real compound);
//! - `structure`: title (footnote mark dropped: the extracted text carries no
//!   footnote body), author, 〔内容提要〕, `一 …` / `结 语` headings (`##`) and
//!   `( 一) …` headings (`###`), paragraphs, author note, editor line, the
//!   English abstract, and the other article's fragment after it (dropped);
//! - `repair`: full-width Latin, Chinese punctuation in Chinese context, spaces;
//! - `write`: the two files, refusing to overwrite without `--force`.
//!
//! A paragraph ends at a line clearly shorter than a full line that ends a
//! sentence, and before a heading. A full line that ends a sentence is
//! ambiguous: the importer keeps the paragraph going and lists the line so an
//! editor can split it by sense.

mod journal;
mod lines;
pub mod pages;
pub mod pdf;
mod repair;
mod structure;
pub mod write;

pub use structure::StructureError;

/// What the importer made of the raw text.
#[derive(Debug, Default)]
pub struct Imported {
    /// Repaired, without its footnote mark.
    pub title: String,
    /// The footnote mark the title carried (`①`), dropped from the output.
    pub title_mark: Option<char>,
    pub author: Option<String>,
    pub author_note: Option<String>,
    pub editor: Option<String>,
    pub abstract_zh: Option<String>,
    pub abstract_en: Option<String>,
    pub subtitle: Option<String>,
    pub title_en: Option<String>,
    pub author_en: Option<String>,
    pub keywords: Vec<String>,
    pub keywords_en: Vec<String>,
    pub doi: Option<String>,
    /// 中图分类号 (Chinese Library Classification).
    pub clc: Option<String>,
    /// 文献标识码.
    pub document_code: Option<String>,
    /// 文章编号.
    pub article_number: Option<String>,
    /// 基金项目.
    pub funding: Option<String>,
    /// 作者简介.
    pub author_bio: Option<String>,
    /// 通讯作者.
    pub corresponding: Option<String>,
    /// 收稿日期.
    pub received: Option<String>,
    pub blocks: Vec<Block>,
    /// Footnotes, in the order of their marks; the mark of footnote `i` is
    /// `pages::note_char(i)` in the paragraphs' text.
    pub footnotes: Vec<String>,
    /// Endnotes under 注释 before their marks are placed (then in `footnotes`).
    pub endnotes: Vec<String>,
    /// The 参考文献 list, without the printed numbers.
    pub references: Vec<String>,
    /// OCR repairs, by line: what was changed.
    pub repairs: Vec<(usize, String)>,
    /// Running heads, page numbers and page-foot notes dropped from the text.
    pub dropped: Vec<pages::Dropped>,
    /// Pages read as two columns, from 1.
    pub two_column_pages: Vec<usize>,
    /// Lines left out of the output, besides page headers.
    pub removed: Vec<Removed>,
    pub page_headers: Vec<lines::PageHeader>,
    /// Full lines that end a sentence: the paragraph was kept going there.
    pub ambiguities: Vec<Ambiguity>,
}

/// A block of the body, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `level` 2 for `一 …` and `结语`, 3 for `（一）…`.
    Heading { level: u8, text: String, line: usize },
    Paragraph {
        text: String,
        first_line: usize,
        last_line: usize,
    },
}

/// Metadata lines and foreign text the body does not include.
#[derive(Debug, Clone, PartialEq)]
pub enum Removed {
    AuthorNote(usize),
    EditorLine(usize),
    OtherArticle { first: usize, last: usize },
}

/// A full-width line that ends a sentence, followed by more text.
#[derive(Debug, Clone, PartialEq)]
pub struct Ambiguity {
    pub line: usize,
    /// The end of that line and the start of the next, to show the editor.
    pub end: String,
    pub next: String,
}

/// The footnotes in the order text.md numbers them (indexes into
/// `Imported::footnotes`).
#[derive(Debug, Default, PartialEq)]
pub struct NoteOrder {
    /// Those whose mark the text carries, by their first mark.
    pub placed: Vec<usize>,
    /// Those whose mark was not found, after the others: the editor places them.
    pub unplaced: Vec<usize>,
}

impl NoteOrder {
    /// The number of each footnote in text.md (`[^n]`), by its index.
    pub fn numbers(&self) -> Vec<usize> {
        let mut numbers = vec![0; self.placed.len() + self.unplaced.len()];
        for (k, &index) in self.placed.iter().chain(&self.unplaced).enumerate() {
            numbers[index] = k + 1;
        }
        numbers
    }
}

impl Imported {
    pub fn note_order(&self) -> NoteOrder {
        let mut seen = vec![false; self.footnotes.len()];
        let mut order = NoteOrder::default();
        for block in &self.blocks {
            let (Block::Heading { text, .. } | Block::Paragraph { text, .. }) = block;
            for index in text.chars().filter_map(pages::note_index) {
                if seen.get(index) == Some(&false) {
                    seen[index] = true;
                    order.placed.push(index);
                }
            }
        }
        order.unplaced = (0..seen.len()).filter(|&i| !seen[i]).collect();
        order
    }

    pub fn paragraphs(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .count()
    }

    pub fn headings(&self) -> impl Iterator<Item = (u8, &str)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { level, text, .. } => Some((*level, text.as_str())),
            Block::Paragraph { .. } => None,
        })
    }

    pub fn page_header_lines(&self) -> Vec<usize> {
        self.page_headers.iter().map(|h| h.number).collect()
    }
}

/// Reads the extracted text of one article. Text with page breaks (form
/// feeds, as `pdftotext` writes them) is read page by page (`pages`,
/// `journal`); text without them as one run of lines (`structure`).
pub fn import(raw: &str) -> Result<Imported, StructureError> {
    import_with(raw, pages::Columns::Find)
}

/// Reads the text `pdf::read` made of a PDF: in reading order already, one
/// column after the other.
pub fn import_ordered(raw: &str) -> Result<Imported, StructureError> {
    import_with(raw, pages::Columns::InOrder)
}

fn import_with(raw: &str, columns: pages::Columns) -> Result<Imported, StructureError> {
    if raw.contains('\u{c}') {
        let pages = pages::read(raw, columns).map_err(StructureError::Pages)?;
        let mut imported = journal::recognise(&pages)?;
        imported.dropped = pages.dropped;
        imported.two_column_pages = pages.two_column_pages;
        return Ok(imported);
    }
    let (lines, page_headers) = lines::read(raw);
    let mut imported = structure::recognise(&lines)?;
    imported.page_headers = page_headers;
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arbitrary text never panics: random lines from pieces the importer
    /// looks at (marks, labels, numerals, spaces, form feeds).
    #[test]
    fn no_panic_on_arbitrary_text() {
        const PIECES: &[&str] = &[
            "\u{c}",
            "\n",
            "\n\n",
            "  ",
            "          ",
            "①",
            "②",
            "[1]",
            "1.",
            "1.1 ",
            "一、",
            "（一）",
            "第一节",
            "结 语",
            "摘要：",
            "关键词：",
            "DOI：",
            "中图分类号：",
            "收稿日期：",
            "Abstract:",
            "Key words:",
            "注释",
            "参考文献",
            "。",
            "，",
            "中美",
            "关系",
            "2019",
            "年",
            "·3·",
            "- 3 -",
            "第3页",
            "Forty years ago",
            "U.S.-",
            "mili-",
            "（",
            "）",
            "——",
            "Yao Yunzhu",
            "\u{F0000}",
            "○",
            "Ｒ",
            "é",
            "\t",
            "\r",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut raw = String::new();
            let len = (state % 80) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                raw.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let _ = import(&raw);
            let _ = import_ordered(&raw);
        }
    }
}
