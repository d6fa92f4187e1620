//! Glossary marking: rewrites rendered HTML so that term occurrences become
//! links to their glossary entries, never inside links, headings, code or
//! another term. lol_html hands text over in chunks split anywhere, so each
//! text node is buffered whole before it is searched.

use std::cell::RefCell;
use std::collections::BTreeSet;

use lol_html::html_content::{ContentType, TextChunk, UserData};
use lol_html::{HtmlRewriter, Settings, doc_text, element, text};

use super::urls::Page;
use crate::content::MarkMode;
use crate::resolve::TermMatcher;

/// Elements whose text is never marked.
const SKIPPED: &str = "a, h1, h2, h3, h4, h5, h6, code, pre, kbd, samp, sup";

/// The private element each block is wrapped in while an article is marked
/// in one pass: its start tag tells the rewriter a new block begins. Content
/// cannot forge it, since raw HTML in content is escaped.
const BLOCK_TAG: &str = "duben-block";
const BLOCK_OPEN: &str = "<duben-block>";
const BLOCK_CLOSE: &str = "</duben-block>";

/// One block of an article to mark, and whether a new section starts with it.
pub struct Piece<'h> {
    pub html: &'h str,
    pub new_section: bool,
}

/// A block after marking: its HTML and every term occurring in it, linked
/// or not.
pub struct MarkedBlock {
    pub html: String,
    /// Sorted, each once.
    pub terms: Vec<usize>,
}

/// Marks an article (or an abstract), remembering across blocks which terms
/// are already linked, so that `[glossary] mark` can be honoured.
pub struct Marker<'a> {
    matcher: &'a TermMatcher,
    term_ids: &'a [&'a str],
    mode: MarkMode,
    glossary_url: String,
    /// Every term that was linked at least once on this page.
    pub linked: BTreeSet<usize>,
}

/// What the rewriter's handlers share while one article is marked.
struct MarkState {
    buffer: String,
    /// Index of the block being read (the next block tag increments it).
    block: usize,
    marked: BTreeSet<usize>,
    blocks: Vec<Vec<usize>>,
}

impl<'a> Marker<'a> {
    pub fn new(matcher: &'a TermMatcher, term_ids: &'a [&'a str], mode: MarkMode, root: &str) -> Self {
        Marker {
            matcher,
            term_ids,
            mode,
            glossary_url: Page::Glossary.url_from(root),
            linked: BTreeSet::new(),
        }
    }

    /// Marks every block of an article with one rewriter (building one per
    /// paragraph would cost more than the marking itself).
    pub fn mark_all(&mut self, pieces: &[Piece]) -> Vec<MarkedBlock> {
        self.mark_in_pieces(pieces, usize::MAX)
    }

    /// `mark_all`, feeding the rewriter `piece` bytes at a time (tests use
    /// tiny pieces to split text nodes into many chunks).
    fn mark_in_pieces(&mut self, pieces: &[Piece], piece: usize) -> Vec<MarkedBlock> {
        let mut joined = String::with_capacity(pieces.iter().map(|p| p.html.len() + 32).sum());
        for p in pieces {
            joined.push_str(BLOCK_OPEN);
            joined.push_str(p.html);
            joined.push_str(BLOCK_CLOSE);
        }
        let state = RefCell::new(MarkState {
            buffer: String::new(),
            block: usize::MAX,
            marked: BTreeSet::new(),
            blocks: vec![Vec::new(); pieces.len()],
        });
        let mode = self.mode;
        let linked = RefCell::new(std::mem::take(&mut self.linked));
        let settings = Settings::new()
            .append_element_content_handler(element!(BLOCK_TAG, |_| {
                let mut state = state.borrow_mut();
                state.block = state.block.wrapping_add(1);
                let new_section = pieces.get(state.block).is_some_and(|p| p.new_section);
                if mode == MarkMode::FirstInParagraph || (mode == MarkMode::FirstInSection && new_section) {
                    state.marked.clear();
                }
                Ok(())
            }))
            .append_element_content_handler(text!(SKIPPED, |chunk: &mut TextChunk| {
                chunk.set_user_data(true);
                Ok(())
            }))
            .append_document_content_handler(doc_text!(|chunk: &mut TextChunk| {
                let skipped = chunk.user_data().downcast_ref::<bool>().copied().unwrap_or(false);
                let mut state = state.borrow_mut();
                state.buffer.push_str(chunk.as_str());
                chunk.remove();
                if chunk.last_in_text_node() {
                    let text = std::mem::take(&mut state.buffer);
                    let marked = if skipped {
                        text
                    } else {
                        self.mark_text(&text, &mut state, &mut linked.borrow_mut())
                    };
                    chunk.replace(&marked, ContentType::Html);
                }
                Ok(())
            }));
        let mut out = Vec::with_capacity(joined.len() + 4096);
        let mut rewriter = HtmlRewriter::new(settings, |bytes: &[u8]| out.extend_from_slice(bytes));
        let fed = joined
            .as_bytes()
            .chunks(piece.max(1))
            .try_for_each(|bytes| rewriter.write(bytes));
        let ended = fed.and_then(|()| rewriter.end());
        self.linked = linked.into_inner();
        let blocks = state.into_inner().blocks;
        let out = match (ended, String::from_utf8(out)) {
            (Ok(()), Ok(out)) => out,
            // The input is our own well-formed HTML; should the rewriter ever
            // refuse it, the text is still shown, unmarked.
            _ => joined,
        };
        split_blocks(&out)
            .zip(blocks)
            .map(|(html, terms)| MarkedBlock {
                html: html.to_owned(),
                terms: sorted_once(terms),
            })
            .collect()
    }

    /// `text` is raw HTML text (entities still escaped), so it is inserted
    /// back as HTML unchanged around the new links.
    fn mark_text(&self, text: &str, state: &mut MarkState, linked: &mut BTreeSet<usize>) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut last = 0;
        for occurrence in self.matcher.find_in_html_text(text) {
            if let Some(block) = state.blocks.get_mut(state.block) {
                block.push(occurrence.term);
            }
            let link_it = self.mode == MarkMode::All || state.marked.insert(occurrence.term);
            if !link_it {
                continue;
            }
            linked.insert(occurrence.term);
            let id = self.term_ids[occurrence.term];
            out.push_str(&text[last..occurrence.start]);
            // `links::term_url`, written piece by piece: this runs for every
            // occurrence on every page.
            out.push_str("<a class=\"term\" data-term=\"");
            out.push_str(id);
            out.push_str("\" href=\"");
            out.push_str(&self.glossary_url);
            out.push_str("#term-");
            out.push_str(id);
            out.push_str("\">");
            out.push_str(&text[occurrence.start..occurrence.end]);
            out.push_str("</a>");
            last = occurrence.end;
        }
        out.push_str(&text[last..]);
        out
    }
}

fn sorted_once(mut terms: Vec<usize>) -> Vec<usize> {
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The inside of each `<duben-block>…</duben-block>` of the marked article.
fn split_blocks(html: &str) -> impl Iterator<Item = &str> {
    html.split(BLOCK_CLOSE)
        .filter_map(|part| part.find(BLOCK_OPEN).map(|at| &part[at + BLOCK_OPEN.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Term;

    fn terms(forms: &[(&str, &[&str])]) -> Vec<Term> {
        forms
            .iter()
            .map(|(id, zh)| {
                let aliases: Vec<String> = zh[1..].iter().map(|a| format!("\"{a}\"")).collect();
                let toml = format!("id = \"{id}\"\nzh = \"{}\"\naliases = [{}]\n", zh[0], aliases.join(","));
                toml::from_str(&toml).unwrap()
            })
            .collect()
    }

    /// Marks `blocks` (a `#` before a block starts a new section).
    fn mark(mode: MarkMode, blocks: &[&str], piece: usize) -> Vec<MarkedBlock> {
        let terms = terms(&[
            ("tra", &["与台湾关系法", "TRA"]),
            ("taiwan", &["台湾"]),
            ("prc", &["中华人民共和国"]),
        ]);
        let refs: Vec<&Term> = terms.iter().collect();
        let matcher = TermMatcher::build(&refs, &mut Vec::new());
        let ids: Vec<&str> = refs.iter().map(|t| t.id.get_ref().as_str()).collect();
        let mut marker = Marker::new(&matcher, &ids, mode, "../");
        let pieces: Vec<Piece> = blocks
            .iter()
            .map(|b| Piece {
                html: b.trim_start_matches('#'),
                new_section: b.starts_with('#'),
            })
            .collect();
        marker.mark_in_pieces(&pieces, piece)
    }

    fn links(block: &MarkedBlock) -> usize {
        block.html.matches("data-term").count()
    }

    #[test]
    fn longest_form_wins_and_terms_never_nest() {
        let out = mark(MarkMode::All, &["美国通过了与台湾关系法。"], usize::MAX);
        assert_eq!(
            out[0].html,
            "美国通过了<a class=\"term\" data-term=\"tra\" href=\"../glossary/index.html#term-tra\">与台湾关系法</a>。"
        );
        assert_eq!(out[0].terms.to_vec(), [0]);
    }

    #[test]
    fn links_headings_and_code_are_left_alone() {
        let out = mark(
            MarkMode::All,
            &["<a href=\"x\">台湾</a><code>台湾</code>台湾"],
            usize::MAX,
        );
        assert!(
            out[0]
                .html
                .starts_with("<a href=\"x\">台湾</a><code>台湾</code><a class=\"term\""),
            "{}",
            out[0].html
        );
    }

    #[test]
    fn first_in_paragraph_links_once_per_paragraph() {
        let out = mark(MarkMode::FirstInParagraph, &["台湾与台湾。", "台湾。"], usize::MAX);
        assert_eq!((links(&out[0]), links(&out[1])), (1, 1));
    }

    #[test]
    fn first_in_section_links_again_after_a_heading() {
        let out = mark(MarkMode::FirstInSection, &["台湾。", "台湾。", "#台湾。"], usize::MAX);
        assert_eq!(out.iter().map(links).collect::<Vec<_>>(), [1, 0, 1]);
    }

    #[test]
    fn first_in_article_links_once_but_counts_every_occurrence() {
        let out = mark(MarkMode::FirstInArticle, &["台湾。", "#台湾。"], usize::MAX);
        assert_eq!(out.iter().map(links).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(out[1].terms.len(), 1, "still counted as an occurrence");
    }

    #[test]
    fn a_term_split_across_chunks_still_matches() {
        // Feeding three bytes at a time splits every text node (and the
        // UTF-8 of each character) across chunks.
        let out = mark(MarkMode::All, &["<em>x</em>R&amp;D 中华人民共和国与台湾。", "TRA"], 3);
        assert_eq!(out[0].html.matches("data-term=\"prc\"").count(), 1, "{}", out[0].html);
        assert_eq!(
            out[0].html.matches("data-term=\"taiwan\"").count(),
            1,
            "{}",
            out[0].html
        );
        assert!(out[0].html.contains("R&amp;D"), "entities stay escaped");
        assert_eq!(out[1].html.matches("data-term=\"tra\"").count(), 1);
    }

    #[test]
    fn escaped_text_matches_escaped_forms() {
        let out = mark(MarkMode::All, &["R&amp;D 与 TRA"], usize::MAX);
        assert!(out[0].html.contains("data-term=\"tra\""));
    }
}
