//! Term occurrences: where each glossary term occurs in the text, found once
//! per build from the documents' Markdown events with the skip rules of
//! marking (never inside links, headings, code, images or footnote marks).
//! `check` warns about unused terms from this answer, `render` links the
//! occurrences it lists and the glossary shows them: one algorithm for one
//! fact.
//!
//! A block's text is cut into *runs*: the text between two tags, as the
//! rendered HTML will carry it (escaped with `&amp;`, `&lt;`, `&gt;`). A
//! term never spans two runs, and an occurrence is a byte range in its run.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{TermId, TermMatcher};
use crate::content::{Article, Document};

/// One occurrence of a term in an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermUse {
    pub term: TermId,
    /// The numbered paragraph (¶) it occurs in; 0 in the Chinese abstract.
    pub paragraph: u32,
    /// Which run of the paragraph's text (from 0, in reading order).
    pub run: u32,
    /// Byte range in the run's escaped text.
    pub start: u32,
    pub end: u32,
}

/// Every occurrence in one article, in reading order.
#[derive(Debug, Default)]
pub struct ArticleTerms {
    /// In the numbered blocks, sorted by (paragraph, run, start).
    pub paragraphs: Vec<TermUse>,
    /// In the Chinese abstract (`paragraph` 0).
    pub abstract_zh: Vec<TermUse>,
    /// Terms a form of which the boundary rule left unmarked somewhere
    /// (inside a longer word), each once: they occur in the text all the
    /// same.
    pub inside_words: Vec<TermId>,
}

impl ArticleTerms {
    /// The occurrences in paragraph `number` (a slice of `paragraphs`).
    pub fn in_paragraph(&self, number: u32) -> &[TermUse] {
        let from = self.paragraphs.partition_point(|u| u.paragraph < number);
        let to = self.paragraphs.partition_point(|u| u.paragraph <= number);
        &self.paragraphs[from..to]
    }

    /// (term, paragraph) for every paragraph a term occurs in, paragraph by
    /// paragraph, each paragraph's terms sorted.
    pub fn by_paragraph(&self) -> Vec<(TermId, u32)> {
        let mut out: Vec<(TermId, u32)> = Vec::new();
        for here in self.paragraphs.chunk_by(|a, b| a.paragraph == b.paragraph) {
            let mut terms: Vec<TermId> = here.iter().map(|u| u.term).collect();
            terms.sort_unstable();
            terms.dedup();
            out.extend(terms.into_iter().map(|t| (t, here[0].paragraph)));
        }
        out
    }

    /// The terms of the Chinese abstract, sorted, each once.
    pub fn abstract_terms(&self) -> Vec<TermId> {
        let mut terms: Vec<TermId> = self.abstract_zh.iter().map(|u| u.term).collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }
}

/// The occurrences of `article`, whose text is `document`.
pub fn find(article: &Article, document: &Document, matcher: &TermMatcher) -> ArticleTerms {
    let mut found = ArticleTerms::default();
    let mut runs = Runs::default();
    let mut inside_words = Vec::new();
    for block in &document.blocks {
        let Some(number) = block.number() else { continue };
        runs.walk(&block.events, |run, text, _| {
            let here = matcher.find_in_html_text_noting_refused(text, &mut |t| inside_words.push(t));
            found
                .paragraphs
                .extend(here.into_iter().map(|o| use_at(o, number, run)));
        });
    }
    if let Some(text) = &article.meta.abstract_zh {
        let events: Vec<Event> = pulldown_cmark::Parser::new_ext(text.get_ref(), crate::markdown::options()).collect();
        runs.walk(&events, |run, text, _| {
            let here = matcher.find_in_html_text_noting_refused(text, &mut |t| inside_words.push(t));
            found.abstract_zh.extend(here.into_iter().map(|o| use_at(o, 0, run)));
        });
    }
    inside_words.sort_unstable();
    inside_words.dedup();
    found.inside_words = inside_words;
    // Kept through rendering: the room grown into had been a third of the
    // lists (6 MB of 20 at 1000x80).
    found.paragraphs.shrink_to_fit();
    found
}

fn use_at(occurrence: super::terms::Occurrence, paragraph: u32, run: u32) -> TermUse {
    TermUse {
        term: occurrence.term,
        paragraph,
        run,
        start: occurrence.start as u32,
        end: occurrence.end as u32,
    }
}

/// Which terms occur anywhere (paragraphs and abstracts), marked or inside
/// a longer word: `used[i]` for `terms[i]`.
pub fn used_terms(found: &[ArticleTerms], term_count: usize) -> Vec<bool> {
    let mut used = vec![false; term_count];
    for article in found {
        let marked = article.paragraphs.iter().chain(&article.abstract_zh).map(|u| u.term);
        for term in marked.chain(article.inside_words.iter().copied()) {
            used[term.index()] = true;
        }
    }
    used
}

/// Cuts events into text runs; reused from block to block so its buffer is
/// allocated once.
#[derive(Default)]
pub struct Runs {
    buffer: String,
}

impl Runs {
    /// Calls `visit(run, escaped_text, events)` for every run of `events`
    /// with the range of events it is made of. Raw HTML counts as text (the
    /// safety rules show it as text) and a link or image the rules drop is
    /// no tag, so this reads a block before or after `make_safe` alike.
    pub fn walk(&mut self, events: &[Event], mut visit: impl FnMut(u32, &str, Range<usize>)) {
        let mut run = 0u32;
        let mut skipped = 0u32;
        let mut start = None;
        // Whether each open link or image was dropped by the safety rules.
        let mut dropped: Vec<bool> = Vec::new();
        for (i, event) in events.iter().enumerate() {
            let text: Option<&str> = match event {
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => Some(t),
                Event::SoftBreak => Some("\n"),
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    let drop = crate::markdown::is_dropped(event);
                    dropped.push(drop);
                    drop.then_some("")
                }
                Event::End(TagEnd::Link | TagEnd::Image) => dropped.pop().unwrap_or(false).then_some(""),
                _ => None,
            };
            match text {
                Some(_) if skipped > 0 => {}
                Some(text) => {
                    if start.is_none() {
                        start = Some(i);
                        self.buffer.clear();
                    }
                    escape_into(&mut self.buffer, text);
                }
                None => {
                    if let Some(from) = start.take() {
                        visit(run, &self.buffer, from..i);
                        run += 1;
                    }
                    match event {
                        Event::Start(tag) if is_skipped(tag) => skipped += 1,
                        Event::End(end) if is_skipped_end(end) => skipped = skipped.saturating_sub(1),
                        _ => {}
                    }
                }
            }
        }
        if let Some(from) = start {
            visit(run, &self.buffer, from..events.len());
        }
    }
}

/// Elements whose text is never marked: links, headings, code blocks, and
/// images (whose text is their alt attribute).
fn is_skipped(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::CodeBlock(_)
    )
}

fn is_skipped_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::CodeBlock
    )
}

/// Escapes as HTML body text is escaped (`&`, `<`, `>`).
pub fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(escaped);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::document::Document;

    fn runs(markdown: &str) -> Vec<String> {
        let doc = Document::parse(markdown);
        let mut out = Vec::new();
        Runs::default().walk(&doc.blocks[0].events, |_, text, _| out.push(text.to_owned()));
        out
    }

    #[test]
    fn runs_end_at_tags_and_skip_links_code_and_images() {
        assert_eq!(
            runs("台湾*强调*与[链接](x.html)`台湾`![台湾](a.png)问题\n下一行 R&D"),
            ["台湾", "强调", "与", "问题\n下一行 R&amp;D"]
        );
    }

    #[test]
    fn a_refused_link_is_text_and_raw_html_is_escaped_text() {
        assert_eq!(
            runs("甲[台湾](javascript:x)乙 <b>丙</b>"),
            ["甲台湾乙 &lt;b&gt;丙&lt;/b&gt;"]
        );
    }

    #[test]
    fn footnote_marks_end_a_run() {
        assert_eq!(runs("甲[^1]乙\n\n[^1]: 注。"), ["甲", "乙"]);
    }
}
