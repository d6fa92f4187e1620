//! `duben import`: PDF-extracted plain text of one journal article → the
//! content files `article.toml` and `text.md`. The result is a starting point
//! an editor reviews; it does not touch notes, glossary or timeline.
//!
//! The stages, each in its own module:
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

mod lines;
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
    pub blocks: Vec<Block>,
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

impl Imported {
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

/// Reads the raw text of one article.
pub fn import(raw: &str) -> Result<Imported, StructureError> {
    let (lines, page_headers) = lines::read(raw);
    let mut imported = structure::recognise(&lines)?;
    imported.page_headers = page_headers;
    Ok(imported)
}
