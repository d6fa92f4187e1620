//! Glossary marking: the occurrences `resolve` found become links to their
//! glossary entries, written into a block's Markdown events before they
//! become HTML. Where a term occurs is decided in resolve; which occurrences
//! are linked is `[glossary] mark`'s rule, applied here.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::urls::Page;
use crate::content::{MarkMode, Term};
use crate::resolve::occurrences::Runs;
use crate::resolve::{TermId, TermUse};

/// Marks an article (or an abstract), remembering across blocks which terms
/// are already linked, so that `[glossary] mark` can be honoured.
pub struct Marker<'a> {
    terms: &'a [&'a Term],
    mode: MarkMode,
    glossary_url: String,
    runs: Runs,
    /// Terms linked since the mode last allowed linking again.
    marked: BTreeSet<TermId>,
    /// Every term that was linked at least once on this page.
    pub linked: BTreeSet<TermId>,
}

impl<'a> Marker<'a> {
    pub fn new(terms: &'a [&'a Term], mode: MarkMode, root: &str) -> Self {
        Marker {
            terms,
            mode,
            glossary_url: Page::Glossary.url_from(root),
            runs: Runs::default(),
            marked: BTreeSet::new(),
            linked: BTreeSet::new(),
        }
    }

    /// Marks one block: `events` are its events after the safety rules,
    /// `uses` its occurrences (in order), `new_section` whether a heading
    /// came before it.
    pub fn mark<'e>(&mut self, events: Vec<Event<'e>>, uses: &[TermUse], new_section: bool) -> Vec<Event<'e>> {
        if self.mode == MarkMode::FirstInParagraph || (self.mode == MarkMode::FirstInSection && new_section) {
            self.marked.clear();
        }
        if uses.is_empty() {
            return events;
        }
        let mut runs = std::mem::take(&mut self.runs);
        let mut replaced: Vec<(Range<usize>, String)> = Vec::new();
        let mut rest = uses;
        runs.walk(&events, |run, text, range| {
            let here = rest.iter().take_while(|u| u.run == run).count();
            if here == 0 {
                return;
            }
            let (these, after) = rest.split_at(here);
            rest = after;
            replaced.push((range, self.mark_text(text, these)));
        });
        self.runs = runs;
        let mut out = Vec::with_capacity(events.len());
        let mut replaced = replaced.into_iter().peekable();
        for (i, event) in events.into_iter().enumerate() {
            match replaced.peek() {
                Some((range, _)) if range.contains(&i) => {
                    if i + 1 == range.end
                        && let Some((_, html)) = replaced.next()
                    {
                        out.push(Event::Html(CowStr::from(html)));
                    }
                }
                _ => out.push(event),
            }
        }
        out
    }

    /// `text` is a run's escaped text; every occurrence the mode allows
    /// becomes a link.
    fn mark_text(&mut self, text: &str, uses: &[TermUse]) -> String {
        let mut out = String::with_capacity(text.len() + 64 * uses.len());
        let mut last = 0;
        for u in uses {
            let link_it = self.mode == MarkMode::All || self.marked.insert(u.term);
            if !link_it {
                continue;
            }
            self.linked.insert(u.term);
            let (start, end) = (u.start as usize, u.end as usize);
            let id = self.terms[u.term.index()].id.get_ref().as_str();
            // A term right after another (no text between) is marked as
            // such, so the theme can keep the two visibly apart.
            let adjacent = last == start && out.ends_with("</a>");
            out.push_str(&text[last..start]);
            // `links::term_url`, written piece by piece: this runs for every
            // occurrence on every page.
            out.push_str(if adjacent {
                "<a class=\"term adj\" data-term=\""
            } else {
                "<a class=\"term\" data-term=\""
            });
            out.push_str(id);
            out.push_str("\" href=\"");
            out.push_str(&self.glossary_url);
            out.push_str("#term-");
            out.push_str(id);
            out.push_str("\">");
            out.push_str(&text[start..end]);
            out.push_str("</a>");
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::TermMatcher;

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

    /// Marks `blocks` of Markdown (a `#` before a block starts a new
    /// section), finding the occurrences as resolve does.
    fn mark(mode: MarkMode, blocks: &[&str]) -> Vec<String> {
        let terms = terms(&[
            ("tra", &["与台湾关系法", "TRA"]),
            ("taiwan", &["台湾"]),
            ("prc", &["中华人民共和国"]),
        ]);
        let refs: Vec<&Term> = terms.iter().collect();
        let matcher = TermMatcher::build(&refs, &mut Vec::new());
        let mut marker = Marker::new(&refs, mode, "../");
        blocks
            .iter()
            .map(|b| {
                let events: Vec<Event> = crate::markdown::make_safe(pulldown_cmark::Parser::new_ext(
                    b.trim_start_matches('#'),
                    crate::markdown::options(),
                ));
                let mut uses = Vec::new();
                Runs::default().walk(&events, |run, text, _| {
                    uses.extend(matcher.find_in_html_text(text).map(|o| TermUse {
                        term: o.term,
                        paragraph: 1,
                        run,
                        start: o.start as u32,
                        end: o.end as u32,
                    }))
                });
                let marked = marker.mark(events, &uses, b.starts_with('#'));
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, marked.into_iter());
                html
            })
            .collect()
    }

    fn links(html: &str) -> usize {
        html.matches("data-term").count()
    }

    #[test]
    fn longest_form_wins_and_terms_never_nest() {
        let out = mark(MarkMode::All, &["美国通过了与台湾关系法。"]);
        assert_eq!(
            out[0],
            "<p>美国通过了<a class=\"term\" data-term=\"tra\" href=\"../glossary/index.html#term-tra\">与台湾关系法</a>。</p>\n"
        );
    }

    #[test]
    fn links_and_code_are_left_alone() {
        let out = mark(MarkMode::All, &["[台湾](x)`台湾`台湾"]);
        assert!(
            out[0].starts_with("<p><a href=\"x\">台湾</a><code>台湾</code><a class=\"term\""),
            "{}",
            out[0]
        );
    }

    #[test]
    fn first_in_paragraph_links_once_per_paragraph() {
        let out = mark(MarkMode::FirstInParagraph, &["台湾与台湾。", "台湾。"]);
        assert_eq!((links(&out[0]), links(&out[1])), (1, 1));
    }

    #[test]
    fn first_in_section_links_again_after_a_heading() {
        let out = mark(MarkMode::FirstInSection, &["台湾。", "台湾。", "#台湾。"]);
        assert_eq!(out.iter().map(|h| links(h)).collect::<Vec<_>>(), [1, 0, 1]);
    }

    #[test]
    fn first_in_article_links_once() {
        let out = mark(MarkMode::FirstInArticle, &["台湾。", "#台湾。"]);
        assert_eq!(out.iter().map(|h| links(h)).collect::<Vec<_>>(), [1, 0]);
    }

    #[test]
    fn escaped_text_matches_escaped_forms_and_stays_escaped() {
        let out = mark(MarkMode::All, &["*x* R&D 中华人民共和国与台湾 <b>TRA</b>"]);
        assert_eq!(out[0].matches("data-term=\"prc\"").count(), 1, "{}", out[0]);
        assert_eq!(out[0].matches("data-term=\"tra\"").count(), 1, "{}", out[0]);
        assert!(out[0].contains("R&amp;D"), "entities stay escaped");
        assert!(out[0].contains("&lt;b&gt;"), "raw HTML stays text");
    }
}
