//! Ids and references between content: unique, well-formed ids, `see_also`
//! and `terms` lists that point at something real, and the advisory checks on
//! terms (pinyin, empty definitions).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use toml::Spanned;

use super::TermId;
use super::pinyin::{self, PinyinProblem};
use crate::content::{Site, Term, Unloaded, is_valid_id};
use crate::diagnostics::{Diagnostic, Sources, did_you_mean};

pub fn check_id(id: &str, what: &str, file: &Path, span: Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    if !is_valid_id(id) {
        let suggestion: String = id
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        diagnostics.push(
            Diagnostic::error(
                "bad-id",
                file,
                Some(span),
                format!("the {what} id `{id}` may use only a-z, 0-9 and -"),
            )
            .with_help(if suggestion.is_empty() {
                "use lowercase English words joined by hyphens".to_owned()
            } else {
                format!("for example `{suggestion}`")
            }),
        );
    }
}

/// `first` is where the id was first used (file and byte offset).
pub fn duplicate_id(
    what: &str,
    id: &str,
    file: &Path,
    span: Range<usize>,
    first: (&Path, usize),
    sources: &Sources,
) -> Diagnostic {
    let (line, _) = sources.line_col(first.0, first.1);
    Diagnostic::error(
        "duplicate-id",
        file,
        Some(span),
        format!("the {what} id `{id}` is used twice"),
    )
    .with_help(format!(
        "it is first used in {}:{line}; give this {what} another id",
        first.0.display()
    ))
}

/// Checks ids and builds the id → index map (the first of duplicates wins).
pub fn index_terms<'s>(
    terms: &[&'s Term],
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<&'s str, TermId> {
    let mut ids = BTreeMap::new();
    for (index, term) in terms.iter().enumerate() {
        let id = term.id.get_ref().as_str();
        check_id(id, "term", &term.file, term.id.span(), diagnostics);
        if let Some(&TermId(first)) = ids.get(id) {
            diagnostics.push(duplicate_id(
                "term",
                id,
                &term.file,
                term.id.span(),
                (&terms[first].file, terms[first].id.span().start),
                sources,
            ));
        } else {
            ids.insert(id, TermId(index));
        }
    }
    ids
}

/// Resolves a list of ids, reporting the ones that point at nothing.
pub fn resolve_ids<T: Copy>(
    ids: &[Spanned<String>],
    known: &BTreeMap<&str, T>,
    unloaded: &Unloaded,
    what: &str,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut found = Vec::new();
    for id in ids {
        match known.get(id.get_ref().as_str()) {
            Some(&index) => found.push(index),
            // The entry exists but has a mistake of its own, already reported.
            None if unloaded.may_hold(id.get_ref()) => {}
            None => {
                let d = Diagnostic::error(
                    "unknown-id",
                    file,
                    Some(id.span()),
                    format!("there is no {what} with the id `{}`", id.get_ref()),
                );
                diagnostics.push(match did_you_mean(id.get_ref(), known.keys().copied()) {
                    Some(close) => d.with_help(format!("did you mean `{close}`?")),
                    None => d.with_help(format!("use the `id` of a {what} in the glossary, or remove this one")),
                });
            }
        }
    }
    found
}

pub fn check_see_also(
    terms: &[&Term],
    ids: &BTreeMap<&str, TermId>,
    unloaded: &Unloaded,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for term in terms {
        resolve_ids(&term.see_also, ids, unloaded, "term", &term.file, diagnostics);
    }
}

/// An article and a page may not share a slug: both would be `<slug>/index.html`.
pub fn check_page_slugs(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        if site.articles.iter().any(|a| a.slug == page.slug) {
            diagnostics.push(
                Diagnostic::error(
                    "slug-taken",
                    &page.file,
                    page.first_line.clone(),
                    format!("an article already uses the name `{}`", page.slug),
                )
                .with_help("rename the page file: both would be written to the same folder"),
            );
        }
    }
}

/// Advisory checks that fail only with `--strict`, in the terms' order.
/// Each term is checked on its own, on whichever core is free: on a small
/// site the dictionary's readings had made them the longest step of
/// resolving.
pub fn lint_terms(terms: &[&Term], unloaded: &Unloaded, use_dictionary: bool, diagnostics: &mut Vec<Diagnostic>) {
    // The dictionary's words alone: the glossary's own forms would make
    // every headword a word.
    let lexicon = crate::words::Lexicon::new(use_dictionary, []);
    let found: Vec<Vec<Diagnostic>> = terms
        .par_iter()
        .map(|term| lint_term(term, unloaded, use_dictionary, &lexicon))
        .collect();
    diagnostics.extend(found.into_iter().flatten());
}

fn lint_term(
    term: &Term,
    unloaded: &Unloaded,
    use_dictionary: bool,
    lexicon: &crate::words::Lexicon,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // A term whose `defintion` was reported as misspelt is not also empty.
    let misspelt_key = unloaded.repaired.contains(&(term.file.clone(), term.span.start));
    let empty = term.definition.as_ref().is_none_or(|d| d.get_ref().trim().is_empty());
    if empty && !(term.definition.is_none() && misspelt_key) {
        let span = term.definition.as_ref().map_or(term.id.span(), |d| d.span());
        found.push(
            Diagnostic::warning(
                "empty-definition",
                &term.file,
                Some(span),
                format!("the term `{}` has no definition", term.id.get_ref()),
            )
            .with_help("add `definition = \"\"\"…\"\"\"`: two to four sentences on what it is and why it matters here"),
        );
    }
    // `en = ""`, as a term proposed from the reader page is written.
    if term.en.as_deref().is_some_and(|en| en.trim().is_empty()) {
        found.push(
            Diagnostic::warning(
                "empty-en",
                &term.file,
                Some(term.id.span()),
                format!("the term `{}` has no English name", term.id.get_ref()),
            )
            .with_help("fill in `en = \"…\"`: the English the card and the glossary show"),
        );
    }
    for link in &term.links {
        if !crate::markdown::is_allowed_url(link.url.get_ref()) {
            let refused = crate::markdown::Unsafe::LinkScheme(link.url.get_ref().clone());
            found.push(crate::markdown::diagnostic(&term.file, link.url.span(), &refused));
        }
    }
    // One mistake, one message: a pinyin that is not well formed is
    // not also compared with the dictionary.
    let well_formed = term
        .pinyin
        .as_ref()
        .is_none_or(|p| pinyin::check(p.get_ref(), term.zh.get_ref()).is_none());
    if use_dictionary && well_formed {
        found.extend(dictionary_reading(term, lexicon));
    }
    let Some(pinyin_value) = &term.pinyin else {
        return found;
    };
    let message = match pinyin::check(pinyin_value.get_ref(), term.zh.get_ref()) {
        None => return found,
        Some(PinyinProblem::BadCharacter(c)) => {
            format!("`{c}` is not a pinyin letter or tone mark")
        }
        Some(PinyinProblem::NotPinyin(word)) => {
            format!("`{word}` is not made of Mandarin syllables")
        }
        Some(PinyinProblem::Count { syllables, characters }) => {
            format!(
                "the pinyin has {syllables} syllables but `{}` has {characters} characters",
                term.zh.get_ref()
            )
        }
    };
    found.push(
        Diagnostic::warning("pinyin", &term.file, Some(pinyin_value.span()), message)
            .with_help("write one tone-marked syllable per character, e.g. \"Yǔ Táiwān Guānxì Fǎ\""),
    );
    found
}

/// A warning when the dictionary reads a term otherwise than its pinyin, or
/// can suggest the pinyin it lacks; the help carries the reading as the
/// line to write, for a tool to apply.
fn dictionary_reading(term: &Term, lexicon: &crate::words::Lexicon) -> Option<Diagnostic> {
    let pinyin = term.pinyin.as_ref().map(|p| p.get_ref().as_str());
    let id = term.id.get_ref();
    let zh = term.zh.get_ref();
    Some(match pinyin::compare_with_dictionary(pinyin, zh, lexicon)? {
        pinyin::Reading::Differs { main } => Diagnostic::warning(
            "pinyin-differs",
            &term.file,
            term.pinyin.as_ref().map(|p| p.span()),
            format!("the dictionary reads `{zh}` as \"{main}\", not as written"),
        )
        .with_help(format!(
            "write pinyin = \"{main}\" if that is the reading here; a reading the dictionary does not list (a name, a reading in this text) may stay"
        )),
        pinyin::Reading::Suggested(reading) => Diagnostic::warning(
            "pinyin-missing",
            &term.file,
            Some(term.zh.span()),
            format!("the term `{id}` has no pinyin"),
        )
        .with_help(format!("write pinyin = \"{reading}\" (the dictionary's reading, word by word)")),
    })
}
