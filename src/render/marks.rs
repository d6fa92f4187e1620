//! Glossary marking: rewrites rendered HTML so that term occurrences become
//! links to their glossary entries, never inside links, headings, code or
//! another term. lol_html hands text over in chunks split anywhere, so each
//! text node is buffered whole before it is searched.

use std::cell::RefCell;
use std::collections::BTreeSet;

use lol_html::html_content::{ContentType, TextChunk, UserData};
use lol_html::{HtmlRewriter, Settings, doc_text, text};

use crate::content::MarkMode;
use crate::resolve::TermMatcher;

/// Elements whose text is never marked.
const SKIPPED: &str = "a, h1, h2, h3, h4, h5, h6, code, pre, kbd, samp, sup";

/// Marks one article (or one abstract) block by block, remembering which
/// terms are already linked so `[glossary] mark` can be honoured.
pub struct Marker<'a> {
    matcher: &'a TermMatcher,
    term_ids: &'a [&'a str],
    mode: MarkMode,
    glossary_url: String,
    marked: BTreeSet<usize>,
    /// Every term that was linked at least once on this page.
    pub linked: BTreeSet<usize>,
}

impl<'a> Marker<'a> {
    pub fn new(matcher: &'a TermMatcher, term_ids: &'a [&'a str], mode: MarkMode, root: &str) -> Self {
        Marker {
            matcher,
            term_ids,
            mode,
            glossary_url: format!("{root}glossary/index.html"),
            marked: BTreeSet::new(),
            linked: BTreeSet::new(),
        }
    }

    /// A new section (heading) begins: `first-in-section` may link again.
    pub fn start_section(&mut self) {
        if self.mode == MarkMode::FirstInSection {
            self.marked.clear();
        }
    }

    /// Marks `html` (one paragraph or block); returns the new HTML and every
    /// term that occurs in it, linked or not.
    pub fn mark(&mut self, html: &str) -> (String, BTreeSet<usize>) {
        self.mark_in_pieces(html, html.len().max(1))
    }

    /// `mark`, feeding the rewriter `piece` bytes at a time (tests use tiny
    /// pieces to split text nodes into many chunks).
    fn mark_in_pieces(&mut self, html: &str, piece: usize) -> (String, BTreeSet<usize>) {
        if self.mode == MarkMode::FirstInParagraph {
            self.marked.clear();
        }
        let state = RefCell::new(MarkState {
            buffer: String::new(),
            occurring: BTreeSet::new(),
        });
        let settings = Settings::new()
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
                        self.mark_text(&text, &mut state.occurring)
                    };
                    chunk.replace(&marked, ContentType::Html);
                }
                Ok(())
            }));
        let mut out = Vec::with_capacity(html.len() + 256);
        let mut rewriter = HtmlRewriter::new(settings, |bytes: &[u8]| out.extend_from_slice(bytes));
        let fed = html
            .as_bytes()
            .chunks(piece)
            .try_for_each(|bytes| rewriter.write(bytes));
        let ended = fed.and_then(|()| rewriter.end());
        let occurring = state.into_inner().occurring;
        match (ended, String::from_utf8(out)) {
            (Ok(()), Ok(out)) => (out, occurring),
            // The input is our own well-formed HTML; should the rewriter ever
            // refuse it, the text is still shown, unmarked.
            _ => (html.to_owned(), occurring),
        }
    }

    /// `text` is raw HTML text (entities still escaped), so it is inserted
    /// back as HTML unchanged around the new links.
    fn mark_text(&mut self, text: &str, occurring: &mut BTreeSet<usize>) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut last = 0;
        for occurrence in self.matcher.find_in_html_text(text) {
            occurring.insert(occurrence.term);
            let link_it = self.mode == MarkMode::All || self.marked.insert(occurrence.term);
            if !link_it {
                continue;
            }
            self.linked.insert(occurrence.term);
            let id = self.term_ids[occurrence.term];
            out.push_str(&text[last..occurrence.start]);
            out.push_str(&format!(
                "<a class=\"term\" data-term=\"{id}\" href=\"{}#term-{id}\">{}</a>",
                self.glossary_url,
                &text[occurrence.start..occurrence.end]
            ));
            last = occurrence.end;
        }
        out.push_str(&text[last..]);
        out
    }
}

struct MarkState {
    buffer: String,
    occurring: BTreeSet<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Term;

    fn terms(forms: &[(&str, &[&str])]) -> Vec<Term> {
        forms
            .iter()
            .map(|(id, zh)| {
                let toml = format!(
                    "id = \"{id}\"\nzh = \"{}\"\naliases = [{}]\n",
                    zh[0],
                    zh[1..].iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(",")
                );
                toml::from_str(&toml).unwrap()
            })
            .collect()
    }

    fn with_marker(mode: MarkMode, f: impl FnOnce(&mut Marker)) {
        let terms = terms(&[
            ("tra", &["与台湾关系法", "TRA"]),
            ("taiwan", &["台湾"]),
            ("prc", &["中华人民共和国"]),
        ]);
        let refs: Vec<&Term> = terms.iter().collect();
        let matcher = TermMatcher::build(&refs, &mut Vec::new());
        let ids: Vec<&str> = refs.iter().map(|t| t.id.get_ref().as_str()).collect();
        let mut marker = Marker::new(&matcher, &ids, mode, "../");
        f(&mut marker);
    }

    #[test]
    fn longest_form_wins_and_terms_never_nest() {
        with_marker(MarkMode::All, |m| {
            let (html, found) = m.mark("美国通过了与台湾关系法。");
            assert_eq!(
                html,
                "美国通过了<a class=\"term\" data-term=\"tra\" href=\"../glossary/index.html#term-tra\">与台湾关系法</a>。"
            );
            assert_eq!(found.into_iter().collect::<Vec<_>>(), [0]);
        });
    }

    #[test]
    fn links_headings_and_code_are_left_alone() {
        with_marker(MarkMode::All, |m| {
            let input = "<a href=\"x\">台湾</a><code>台湾</code>台湾";
            let (html, _) = m.mark(input);
            assert!(
                html.starts_with("<a href=\"x\">台湾</a><code>台湾</code><a class=\"term\""),
                "{html}"
            );
        });
    }

    #[test]
    fn first_in_paragraph_links_once_per_paragraph() {
        with_marker(MarkMode::FirstInParagraph, |m| {
            let (html, _) = m.mark("台湾与台湾。");
            assert_eq!(html.matches("data-term").count(), 1);
            let (html, _) = m.mark("台湾。");
            assert_eq!(html.matches("data-term").count(), 1);
        });
    }

    #[test]
    fn first_in_article_links_once() {
        with_marker(MarkMode::FirstInArticle, |m| {
            m.mark("台湾。");
            m.start_section();
            let (html, found) = m.mark("台湾。");
            assert_eq!(html, "台湾。");
            assert_eq!(found.len(), 1, "still counted as an occurrence");
        });
    }

    #[test]
    fn a_term_split_across_chunks_still_matches() {
        // Feeding three bytes at a time splits every text node (and the
        // UTF-8 of each character) across chunks.
        with_marker(MarkMode::All, |m| {
            let (html, _) = m.mark_in_pieces("<em>x</em>R&amp;D 中华人民共和国与台湾。", 3);
            assert_eq!(html.matches("data-term=\"prc\"").count(), 1, "{html}");
            assert_eq!(html.matches("data-term=\"taiwan\"").count(), 1, "{html}");
            assert!(html.contains("R&amp;D"), "entities stay escaped");
        });
    }

    #[test]
    fn escaped_text_matches_escaped_forms() {
        with_marker(MarkMode::All, |m| {
            let (html, _) = m.mark("R&amp;D 与 TRA");
            assert!(html.contains("data-term=\"tra\""));
        });
    }
}
