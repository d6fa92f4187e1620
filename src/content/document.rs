//! An article's text parsed: its blocks in order (headings, numbered
//! paragraphs and other blocks) with their Markdown events, and its footnote
//! definitions. A `Document` is made where it is read and dropped there: an
//! article keeps only its `Outline` (what its blocks are) through a build,
//! and its text is parsed again from its file for each pass that reads it
//! (`Article::with_document`). Held for every article at once, the events had
//! been most of a large site's memory: at 1000 articles, 73 MB of 166.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::markdown::Unsafe;

/// Borrows the text it was parsed from.
#[derive(Debug, Default)]
pub struct Document<'t> {
    pub blocks: Vec<Block<'t>>,
    pub footnotes: Vec<FootnoteDefinition<'t>>,
}

#[derive(Debug)]
pub struct Block<'t> {
    pub kind: BlockKind,
    /// The block's events, outer Start/End included; raw HTML still raw
    /// (`render` applies the safety rules).
    pub events: Vec<Event<'t>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading {
        level: u8,
        id: String,
        /// The heading without markup, for the table of contents.
        text: String,
    },
    /// A `<p>`: numbered ¶1…¶N through the article.
    Paragraph { number: u32 },
    /// A list, quote, code block or table: numbered like a paragraph.
    Other { number: u32 },
}

/// What an article's blocks are, without their text: kept through a build
/// for the passes that need only that (headings, paragraph numbers, the
/// reading time).
#[derive(Debug, Default, Clone)]
pub struct Outline {
    pub blocks: Vec<BlockKind>,
    /// The characters of the numbered blocks, white space left out.
    pub characters: usize,
}

impl Outline {
    pub fn paragraph_count(&self) -> u32 {
        self.blocks.iter().rev().find_map(BlockKind::number).unwrap_or(0)
    }
}

#[derive(Debug)]
pub struct FootnoteDefinition<'t> {
    pub label: String,
    pub events: Vec<Event<'t>>,
}

impl Block<'_> {
    /// The block's text without markup (the heading text for a heading).
    pub fn plain_text(&self) -> String {
        match &self.kind {
            BlockKind::Heading { text, .. } => text.clone(),
            _ => plain_text(&self.events),
        }
    }

    pub fn number(&self) -> Option<u32> {
        self.kind.number()
    }
}

impl BlockKind {
    pub fn number(&self) -> Option<u32> {
        match *self {
            BlockKind::Paragraph { number } | BlockKind::Other { number } => Some(number),
            BlockKind::Heading { .. } => None,
        }
    }
}

impl<'t> Document<'t> {
    /// Parses `text`, as loading did (`parse_checked`) without looking for
    /// what loading reports.
    pub fn parse(text: &'t str) -> Document<'t> {
        Document::from_events(Parser::new_ext(text, crate::markdown::options()))
    }

    /// Parses `text` and, in the same pass, finds its raw HTML and refused
    /// links (with byte ranges), which `load` reports.
    pub fn parse_checked(text: &'t str) -> (Document<'t>, Vec<(Range<usize>, Unsafe)>) {
        let mut unsafe_parts = crate::markdown::UnsafeParts::new(text);
        let events = Parser::new_ext(text, crate::markdown::options())
            .into_offset_iter()
            .map(|(event, range)| {
                unsafe_parts.check(&event, range);
                event
            });
        let document = Document::from_events(events);
        (document, unsafe_parts.parts)
    }

    /// The blocks of `events`, kept without what no page may show (a
    /// character reference can write a NUL or a bidi control): the text's
    /// words, search and plain text read these events, not only pages.
    fn from_events(events: impl Iterator<Item = Event<'t>>) -> Document<'t> {
        let mut events = events.map(crate::markdown::without_forbidden);
        let mut document = Document::default();
        let mut heading_ids = BTreeSet::new();
        let mut number = 0;
        while let Some(event) = events.next() {
            let Event::Start(tag) = event else { continue };
            let inner = collect_block(&mut events);
            match tag {
                Tag::FootnoteDefinition(label) => {
                    document.footnotes.push(FootnoteDefinition {
                        label: label.to_string(),
                        events: inner,
                    });
                }
                Tag::Heading { level, .. } => {
                    let text = plain_text(&inner);
                    let id = unique_id(&mut heading_ids, heading_slug(&text));
                    let kind = BlockKind::Heading {
                        level: heading_number(level),
                        id,
                        text,
                    };
                    document.blocks.push(Block {
                        kind,
                        events: wrap(
                            Tag::Heading {
                                level,
                                id: None,
                                classes: vec![],
                                attrs: vec![],
                            },
                            inner,
                        ),
                    });
                }
                other => {
                    number += 1;
                    let kind = if matches!(other, Tag::Paragraph) {
                        BlockKind::Paragraph { number }
                    } else {
                        BlockKind::Other { number }
                    };
                    document.blocks.push(Block {
                        kind,
                        events: wrap(other, inner),
                    });
                }
            }
        }
        document
    }

    /// What the blocks are, and how many characters the numbered ones
    /// have: what an article keeps of its text.
    pub fn outline(&self) -> Outline {
        let mut characters = 0;
        for block in self.blocks.iter().filter(|b| b.number().is_some()) {
            for_each_text(&block.events, |piece| {
                characters += piece.chars().filter(|c| !c.is_whitespace()).count();
            });
        }
        Outline {
            blocks: self.blocks.iter().map(|b| b.kind.clone()).collect(),
            characters,
        }
    }
}

/// Events up to the End that closes the block just started, without it.
fn collect_block<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut depth = 1;
    let mut inner = Vec::new();
    for event in events.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        inner.push(event);
    }
    inner
}

fn wrap<'a>(tag: Tag<'a>, inner: Vec<Event<'a>>) -> Vec<Event<'a>> {
    let end: TagEnd = tag.to_end();
    let mut events = Vec::with_capacity(inner.len() + 2);
    events.push(Event::Start(tag));
    events.extend(inner);
    events.push(Event::End(end));
    events
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for_each_text(events, |piece| text.push_str(piece));
    text
}

/// Calls `visit` with each piece of the events' text in order (a break is a
/// space), so callers can normalise it without building the whole string.
pub fn for_each_text<'e>(events: &'e [Event], mut visit: impl FnMut(&'e str)) {
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => visit(t),
            Event::SoftBreak | Event::HardBreak => visit(" "),
            _ => {}
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// A heading's id: its words (Chinese kept as Chinese), lowercased, joined by
/// hyphens. Which of these the page may not use (`p12`, `main`) is
/// `unique_id`'s to decide.
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    // A slug the page uses for something else (`p3`) is for `unique_id`
    // to move aside: it knows every reserved id, not only paragraphs'.
    match slug.as_str() {
        "" => "section".into(),
        _ => slug,
    }
}

/// Ids the built-in theme gives elements itself, in its templates (every
/// page has `base.html`'s, the reader page `reader.html`'s and those of the
/// templates it includes) and its scripts (`term-card`, `lookup-card`). A
/// heading taking one would be a second element with that id, and the
/// theme's links (`#main`, `#toc`) and scripts would find the heading. A
/// unit test scans `templates/` and `static/` and fails on an id missing here.
pub const THEME_IDS: &[&str] = &[
    "abstract",
    "az-title",
    "cite-forms",
    "credits",
    "lookup-card",
    "main",
    "propose-body",
    "propose-by",
    "propose-id",
    "propose-kind",
    "propose-pinyin",
    "propose-title",
    "propose-toml",
    "propose-zh",
    "search-help",
    "search-query",
    "search-results",
    "site-search",
    "term-card",
    "toc",
    "top",
    "unit-other",
];

/// How the reader page's own generated ids begin: footnotes (`fn-1`) and
/// the references to them (`fnref-1`, `fnref2-1`).
const GENERATED_PREFIXES: &[&str] = &["fn-", "fnref"];

/// `p12`: a paragraph's id (and permalink).
fn is_paragraph_id(id: &str) -> bool {
    id.strip_prefix('p')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether an element of the reader page other than a heading has, or may
/// have, this id.
fn is_reserved(id: &str) -> bool {
    is_paragraph_id(id) || THEME_IDS.contains(&id) || GENERATED_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// The heading's id: `wanted`, else `wanted-2`, `wanted-3`…, the first not
/// taken by an earlier heading. One the page uses for something else
/// (`main`, `fn-1`, `p3`, see `is_reserved`) gets `section-` before it,
/// which no reserved id begins with. A paragraph's id is moved aside before
/// it is numbered (a second `p3` heading is `section-p3-2`), any other as
/// it is tried (`main`, then `main-2`): the ids published so far.
fn unique_id(taken: &mut BTreeSet<String>, wanted: String) -> String {
    let wanted = match is_paragraph_id(&wanted) {
        true => format!("section-{wanted}"),
        false => wanted,
    };
    let mut n = 1;
    loop {
        let candidate = match n {
            1 => wanted.clone(),
            _ => format!("{wanted}-{n}"),
        };
        let candidate = match is_reserved(&candidate) {
            true => format!("section-{candidate}"),
            false => candidate,
        };
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_every_non_heading_block_through_the_article() {
        let doc = Document::parse("## 一 历史\n\n第一段。\n\n- 列表\n\n### （一）台湾\n\n第二段。\n");
        let numbers: Vec<_> = doc.blocks.iter().map(Block::number).collect();
        assert_eq!(numbers, [None, Some(1), Some(2), None, Some(3)]);
        assert_eq!(
            doc.blocks[0].kind,
            BlockKind::Heading {
                level: 2,
                id: "一-历史".into(),
                text: "一 历史".into()
            }
        );
        assert_eq!(
            doc.blocks[3].kind,
            BlockKind::Heading {
                level: 3,
                id: "一-台湾".into(),
                text: "（一）台湾".into()
            }
        );
    }

    #[test]
    fn footnotes_are_definitions_not_paragraphs() {
        let doc = Document::parse("正文[^1]。\n\n[^1]: 注释。\n\n下一段。\n");
        assert_eq!(doc.outline().paragraph_count(), 2);
        assert_eq!(doc.footnotes.len(), 1);
        assert_eq!(doc.footnotes[0].label, "1");
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let doc = Document::parse("## 结语\n\n## 结语\n\n## P1\n\n## p1\n\n## main\n\n## Main\n");
        let ids: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Heading { id, .. } => id.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            ids,
            ["结语", "结语-2", "section-p1", "section-p1-2", "section-main", "main-2"]
        );
    }

    fn heading_ids(text: &str) -> Vec<String> {
        Document::parse(text)
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Heading { id, .. } => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_never_take_an_id_the_page_uses() {
        let ids = heading_ids("## main\n\n## TOC\n\n## top\n\n## fn-1\n\n## fnref2 1\n\n## 结语\n");
        assert_eq!(
            ids,
            [
                "section-main",
                "section-toc",
                "section-top",
                "section-fn-1",
                "section-fnref2-1",
                "结语"
            ]
        );
    }

    #[test]
    fn a_numbered_duplicate_never_lands_on_a_reserved_or_taken_id() {
        // "fn" is free, but the second one's "fn-2" is a footnote's.
        let ids = heading_ids("## fn\n\n## fn\n\n## main\n\n## section main\n\n## main\n");
        assert_eq!(ids, ["fn", "section-fn-2", "section-main", "section-main-2", "main-2"]);
    }

    /// Every id written literally in the built-in templates and scripts is
    /// one `THEME_IDS` keeps headings from, and the reader page's templated
    /// ids are wholly generated (`{{ b.id }}`), by rules `is_reserved` knows.
    #[test]
    fn theme_ids_list_every_id_the_theme_writes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut literal = BTreeSet::new();
        for (folder, open, close) in [("templates", "id=\"", '"'), ("static", ".id = '", '\'')] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else {
                    continue;
                };
                for (at, _) in text.match_indices(open) {
                    let rest = &text[at + open.len()..];
                    let value = &rest[..rest.find(close).unwrap()];
                    let concatenated = rest[value.len() + 1..].trim_start().starts_with('+');
                    if !value.contains("{{") && !concatenated {
                        literal.insert(value.to_owned());
                    }
                }
            }
        }
        let missing: Vec<_> = literal.iter().filter(|id| !THEME_IDS.contains(&id.as_str())).collect();
        assert!(missing.is_empty(), "add to THEME_IDS: {missing:?}");
        assert!(!THEME_IDS.iter().any(|id| id.starts_with("section-")));
        let reader = std::fs::read_to_string(root.join("templates/reader.html")).unwrap();
        for (at, _) in reader.match_indices("id=\"") {
            let rest = &reader[at + 4..];
            let value = &rest[..rest.find('"').unwrap()];
            assert!(
                !value.contains("{{") || value.starts_with("{{"),
                "a templated id in reader.html with a literal prefix: {value}"
            );
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        let doc = Document::parse("**中美**关系`code`与[链接](https://a.b)。");
        assert_eq!(doc.blocks[0].plain_text(), "中美关系code与链接。");
    }
}
