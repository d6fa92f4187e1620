//! The glossary automaton: every headword and alias of every term in one
//! leftmost-longest Aho-Corasick automaton, built once per build and shared
//! by every page (and every thread) that marks or counts terms.
//!
//! It also owns the term-boundary rule: a match whose edge falls inside a
//! longer word (the text segmented with the dictionary and the glossary's
//! forms, `crate::words`) is refused, unless that word is itself a glossary
//! form; so 美国国防部 is not found in 美国/国防部长. Every caller that finds
//! terms through the matcher gets the rule.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use super::TermId;
use crate::chars::is_han;
use crate::content::Term;
use crate::diagnostics::Diagnostic;
use crate::words::Lexicon;

pub struct TermMatcher {
    /// Leftmost-longest over every form; none when the glossary has none
    /// (the automaton cannot be empty). Its values index `pattern_terms`.
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Pattern index → index of its term in the resolved term list.
    pattern_terms: Vec<TermId>,
    /// The dictionary and the glossary's forms, for the boundary rule.
    lexicon: Lexicon,
    /// Each form written in Han characters → its term.
    form_terms: HashMap<String, TermId>,
}

/// A match the boundary rule refused: the term's form at `start..end`
/// would have cut the word at `word`.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub term: TermId,
    pub start: usize,
    pub end: usize,
    pub word: std::ops::Range<usize>,
}

/// One occurrence of a term in a text.
#[derive(Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub term: TermId,
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
                        pattern_terms.push(TermId(index));
                    }
                }
            }
        }
        // Each pattern once (a form has one owner), none empty: it builds.
        let automaton = (!patterns.is_empty()).then(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(patterns.iter().zip(0u32..))
                .expect("distinct, non-empty forms always build")
        });
        let lexicon = Lexicon::new(true, owner.keys().copied());
        let form_terms = owner
            .iter()
            .filter(|(form, _)| form.chars().all(is_han))
            .map(|(form, &term)| ((*form).to_owned(), TermId(term)))
            .collect();
        TermMatcher {
            automaton,
            pattern_terms,
            lexicon,
            form_terms,
        }
    }

    /// Whether the boundary rule consults the dictionary (`[dictionary]
    /// enabled` in site.toml); without it only glossary forms are words.
    pub fn use_dictionary(&mut self, enabled: bool) {
        if self.lexicon.uses_dictionary() != enabled {
            let extra = std::mem::take(&mut self.lexicon);
            self.lexicon = extra.with_dictionary(enabled);
        }
    }

    /// The term a form written in Han characters belongs to.
    pub fn term_of_form(&self, form: &str) -> Option<TermId> {
        self.form_terms.get(form).copied()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Occurrences in HTML-escaped text (as lol_html hands it over), leftmost
    /// longest, never overlapping: a term is never found inside another,
    /// nor where it would cut a longer word in two.
    pub fn find_in_html_text<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Occurrence> + 't {
        self.scan(text, &mut |_| {}).into_iter()
    }

    /// The occurrences as `find_in_html_text` finds them, and the term of
    /// each match the boundary rule refused handed to `inside_word`.
    pub fn find_in_html_text_noting_refused(&self, text: &str, inside_word: &mut dyn FnMut(TermId)) -> Vec<Occurrence> {
        self.scan(text, &mut |refusal| inside_word(refusal.term))
    }

    /// The matches of plain text that the boundary rule refuses, for
    /// `check` to report.
    pub fn refusals_in_plain_text(&self, text: &str) -> Vec<Refusal> {
        if escape_html_text(text).len() != text.len() {
            // Offsets would not map back; such text is rare, and the rule
            // still applies when it is marked.
            return Vec::new();
        }
        let mut refused = Vec::new();
        self.scan(text, &mut |r| refused.push(r));
        refused
    }

    /// Every occurrence, after the boundary rule: a match that cuts a word
    /// which is itself a glossary form gives way to that word's term; one
    /// that cuts any other word is refused (and handed to `refused`).
    fn scan(&self, text: &str, refused: &mut dyn FnMut(Refusal)) -> Vec<Occurrence> {
        let mut found: Vec<Occurrence> = Vec::new();
        let mut words = RunWords::default();
        for m in self.matches(text) {
            if found.last().is_some_and(|last| m.start() < last.end) {
                continue;
            }
            let occurrence = Occurrence {
                term: self.pattern_terms[m.value() as usize],
                start: m.start(),
                end: m.end(),
            };
            match self.cut_word(text, &occurrence, &mut words) {
                None => found.push(occurrence),
                Some(word) => match self.form_terms.get(&text[word.clone()]) {
                    Some(&term) => {
                        if found.last().is_none_or(|last| last.end <= word.start) {
                            found.push(Occurrence {
                                term,
                                start: word.start,
                                end: word.end,
                            });
                        }
                    }
                    None => refused(Refusal {
                        term: occurrence.term,
                        start: occurrence.start,
                        end: occurrence.end,
                        word,
                    }),
                },
            }
        }
        found
    }

    /// The word an occurrence's edge falls inside: the Han run around the
    /// occurrence is segmented (once per run).
    fn cut_word(&self, text: &str, occurrence: &Occurrence, words: &mut RunWords) -> Option<std::ops::Range<usize>> {
        let before = text[..occurrence.start].chars().next_back().is_some_and(is_han);
        let after = text[occurrence.end..].chars().next().is_some_and(is_han);
        if !before && !after {
            return None;
        }
        let run_start = text[..occurrence.start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_han(*c))
            .last()
            .map_or(occurrence.start, |(at, _)| at);
        let run_end = occurrence.end
            + text[occurrence.end..]
                .char_indices()
                .find(|(_, c)| !is_han(*c))
                .map_or(text.len() - occurrence.end, |(at, _)| at);
        if words.run != (run_start..run_end) {
            words.run = run_start..run_end;
            words.words = self.lexicon.segment(&text[run_start..run_end]);
            for word in &mut words.words {
                *word = word.start + run_start..word.end + run_start;
            }
        }
        let inside = |at: usize| words.words.iter().find(|w| w.start < at && at < w.end).cloned();
        inside(occurrence.start).or_else(|| inside(occurrence.end))
    }

    /// Terms whose forms occur in plain (unescaped) text, even where the
    /// boundary rule would not mark them (inside a longer word): whether a
    /// form is written as the text has it.
    pub fn terms_in_plain_text(&self, text: &str, found: &mut impl FnMut(TermId)) {
        let escaped = escape_html_text(text);
        for m in self.matches(escaped.as_ref()) {
            found(self.pattern_terms[m.value() as usize]);
        }
    }

    /// The leftmost-longest matches of every form in `text`.
    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = daachorse::Match<u32>> + 't {
        self.automaton.iter().flat_map(move |a| a.leftmost_find_iter(text))
    }
}

/// `check`'s warning for every match the boundary rule refuses, at the
/// refused text in the article's text.md (found by searching the source
/// for the words around it, in order), so that editors can add the word
/// as a term or an alias. `root` is the site folder: the text of an
/// article with a refusal is read back into `sources` for the report
/// (`content::read_back`); one without is not read again.
pub fn cut_word_warnings(
    resolved: &super::Resolved,
    root: &std::path::Path,
    sources: &mut crate::diagnostics::Sources,
) -> Vec<Diagnostic> {
    let matcher = &resolved.matcher;
    let mut warnings = Vec::new();
    for article in &resolved.articles {
        let refused: Vec<(String, Vec<Refusal>)> = article.with_document(|document| {
            document
                .blocks
                .iter()
                .filter(|block| block.number().is_some())
                .map(|block| {
                    let text = block.plain_text();
                    let refusals = matcher.refusals_in_plain_text(&text);
                    (text, refusals)
                })
                .filter(|(_, refusals)| !refusals.is_empty())
                .collect()
        });
        if refused.is_empty() {
            continue;
        }
        let file = std::path::Path::new("content").join(&article.slug).join("text.md");
        crate::content::read_back(root, &file, sources);
        let source = sources.get(&file).unwrap_or("");
        let mut cursor = 0;
        for (text, refusals) in &refused {
            for refusal in refusals {
                warnings.push(cut_word_warning(resolved, &file, source, &mut cursor, text, refusal));
            }
        }
    }
    warnings
}

/// The warning for one refusal in `text`, a block's plain text, placed at
/// the first place in `source` at or after `cursor` that writes the words
/// around it (and the cursor moved past them), or without a place.
fn cut_word_warning(
    resolved: &super::Resolved,
    file: &std::path::Path,
    source: &str,
    cursor: &mut usize,
    text: &str,
    refusal: &Refusal,
) -> Diagnostic {
    let from = refusal.start.min(refusal.word.start);
    let to = refusal.end.max(refusal.word.end);
    let around = &text[from..to];
    let span = source.get(*cursor..).and_then(|rest| rest.find(around)).map(|at| {
        *cursor += at + around.len();
        let start = *cursor - around.len() + (refusal.start - from);
        start..start + (refusal.end - refusal.start)
    });
    let term = resolved.terms[refusal.term.index()];
    let form = &text[refusal.start..refusal.end];
    let word = &text[refusal.word.clone()];
    Diagnostic::warning(
        "term-cuts-word",
        file,
        span,
        format!(
            "`{form}` (term `{}`) is not marked here: it would cut the word {word} in `{around}`",
            term.id.get_ref()
        ),
    )
    .with_help(format!(
        "if {word} is a term, add it to the glossary (or as an alias); otherwise nothing needs doing"
    ))
}

/// The words of the Han run last segmented.
#[derive(Default)]
struct RunWords {
    run: std::ops::Range<usize>,
    words: Vec<std::ops::Range<usize>>,
}

/// Escapes as HTML body text is escaped, so forms with `&` or `<` match
/// rendered text.
pub fn escape_html_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(forms: &[(&str, &[&str])]) -> (Vec<Term>, TermMatcher) {
        let terms: Vec<Term> = forms
            .iter()
            .map(|(id, zh)| {
                let aliases: Vec<String> = zh[1..].iter().map(|a| format!("\"{a}\"")).collect();
                let toml = format!("id = \"{id}\"\nzh = \"{}\"\naliases = [{}]\n", zh[0], aliases.join(","));
                toml::from_str(&toml).unwrap()
            })
            .collect();
        let refs: Vec<&Term> = terms.iter().collect();
        let matcher = TermMatcher::build(&refs, &mut Vec::new());
        (terms, matcher)
    }

    fn found(matcher: &TermMatcher, text: &str) -> Vec<String> {
        matcher
            .find_in_html_text(text)
            .map(|o| text[o.start..o.end].to_owned())
            .collect()
    }

    #[cfg(feature = "dictionary")]
    #[test]
    fn a_term_never_cuts_the_secretary_in_two() {
        let (_, m) = matcher(&[("dod", &["美国国防部", "国防部"])]);
        assert_eq!(found(&m, "美国国防部长马蒂斯表示"), Vec::<String>::new());
        assert_eq!(found(&m, "美国国防部表示"), ["美国国防部"]);
        let refused = m.refusals_in_plain_text("美国国防部长马蒂斯");
        assert_eq!(refused.len(), 1);
        assert_eq!(&"美国国防部长马蒂斯"[refused[0].word.clone()], "国防部长");
    }

    #[cfg(feature = "dictionary")]
    #[test]
    fn a_longer_word_that_is_a_term_is_no_cut() {
        let (_, m) = matcher(&[("dod", &["美国国防部"]), ("secdef", &["国防部长"])]);
        assert_eq!(found(&m, "美国国防部长马蒂斯"), ["国防部长"]);
        assert!(m.refusals_in_plain_text("美国国防部长马蒂斯").is_empty());
    }

    #[cfg(feature = "dictionary")]
    #[test]
    fn terms_that_end_on_word_edges_are_kept() {
        let (_, m) = matcher(&[("china", &["中国"]), ("taiwan", &["台湾"])]);
        assert_eq!(found(&m, "中国人民反对台湾独立"), ["中国", "台湾"]);
    }

    #[test]
    fn without_the_dictionary_only_glossary_forms_are_words() {
        let (_, mut m) = matcher(&[("dod", &["美国国防部"])]);
        m.use_dictionary(false);
        assert_eq!(found(&m, "美国国防部长"), ["美国国防部"]);
    }
}
