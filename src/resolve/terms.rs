//! The glossary automaton: every headword and alias of every term in one
//! leftmost-longest Aho-Corasick automaton, built once per build and shared
//! by every page (and every thread) that marks or counts terms.

use std::borrow::Cow;
use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::content::Term;
use crate::diagnostics::Diagnostic;

pub struct TermMatcher {
    automaton: AhoCorasick,
    /// Pattern index → index of its term in the resolved term list.
    pattern_terms: Vec<usize>,
}

/// One occurrence of a term in a text.
#[derive(Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub term: usize,
    pub start: usize,
    pub end: usize,
}

impl TermMatcher {
    /// Builds the automaton; a form shared by two terms is an error (which
    /// term would it mean?) and the form is kept for the first term only.
    pub fn build(terms: &[&Term], diagnostics: &mut Vec<Diagnostic>) -> TermMatcher {
        let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
        let mut patterns = Vec::new();
        let mut pattern_terms = Vec::new();
        // The term written first keeps a shared form; the later one is flagged.
        let mut in_file_order: Vec<usize> = (0..terms.len()).collect();
        in_file_order
            .sort_by(|&a, &b| (&terms[a].file, terms[a].span.start).cmp(&(&terms[b].file, terms[b].span.start)));
        for index in in_file_order {
            let term = terms[index];
            for form in term.forms() {
                let text = form.get_ref().trim();
                if text.is_empty() {
                    diagnostics.push(
                        Diagnostic::error(
                            "empty-form",
                            &term.file,
                            Some(form.span()),
                            "a headword or alias is empty",
                        )
                        .with_help("write the form as it appears in the text, or remove it"),
                    );
                    continue;
                }
                match owner.get(text) {
                    Some(&other) if other == index => {}
                    Some(&other) => diagnostics.push(
                        Diagnostic::error(
                            "shared-form",
                            &term.file,
                            Some(form.span()),
                            format!("`{text}` is already a form of the term `{}`", terms[other].id.get_ref()),
                        )
                        .with_help(
                            "a form may belong to one term only: remove it here or there, or merge the two terms",
                        ),
                    ),
                    None => {
                        owner.insert(text, index);
                        patterns.push(escape_html_text(text).into_owned());
                        pattern_terms.push(index);
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("forms are plain strings; the automaton always builds");
        TermMatcher {
            automaton,
            pattern_terms,
        }
    }

    /// Occurrences in HTML-escaped text (as lol_html hands it over), leftmost
    /// longest, never overlapping: a term is never found inside another.
    pub fn find_in_html_text<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Occurrence> + 't {
        self.automaton.find_iter(text).map(|m| Occurrence {
            term: self.pattern_terms[m.pattern().as_usize()],
            start: m.start(),
            end: m.end(),
        })
    }

    /// Occurrences in plain (unescaped) text.
    pub fn terms_in_plain_text(&self, text: &str, found: &mut impl FnMut(usize)) {
        let escaped = escape_html_text(text);
        for occurrence in self.find_in_html_text(&escaped) {
            found(occurrence.term);
        }
    }
}

/// Escapes as HTML body text is escaped, so forms with `&` or `<` match
/// rendered text.
pub fn escape_html_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"))
}
