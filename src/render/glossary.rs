//! The glossary page: every term, grouped by category, sorted by pinyin,
//! with its events and the places it occurs. Occurrence lists are capped so
//! the page grows with the number of terms, not terms × articles. The
//! entries are prepared while the articles render; only where terms occur
//! has to wait for them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputFile;
use super::Shared;
use super::context::render_page;
use super::links::{EventLink, TermLink};
use super::theme::Theme;
use super::urls::Page;
use super::views::TermView;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::resolve::{ArticleId, EventId, Resolved, TermId};

/// The glossary page is one folder down.
const ROOT: &str = "../";

const MAX_PLACES_PER_ARTICLE: usize = 12;
const MAX_ARTICLES_PER_TERM: usize = 20;

#[derive(Serialize)]
struct Category<'a> {
    name: &'a str,
    /// Labels from `[glossary.categories]` (none: the key is shown).
    zh: Option<&'a str>,
    en: Option<&'a str>,
    id: String,
    terms: Vec<Entry<'a>>,
}

/// One letter of the A–Z index: the terms whose pinyin begins with it.
#[derive(Serialize)]
struct Letter<'a> {
    letter: char,
    id: String,
    terms: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    zh: &'a str,
    pinyin: &'a str,
    anchor: String,
}

#[derive(Serialize)]
struct Link<'a> {
    label: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Occurrences<'a> {
    article_title: &'a str,
    article_url: String,
    /// Paragraph numbers: plain numbers keep the page's template data small
    /// (a term can list hundreds of places on a large site).
    places: Vec<u32>,
    more_places: usize,
}

/// A term's entry: its view and what only the glossary shows of it.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    term: TermView<'a>,
    definition_zh_html: Option<String>,
    see_also: Vec<TermLink<'a>>,
    links: Vec<Link<'a>>,
    events: Vec<EventLink<'a>>,
    /// Filled in once the articles are rendered.
    occurrences: Vec<Occurrences<'a>>,
    more_articles: usize,
    /// The entry in the repository (only with a repository).
    source_url: Option<String>,
    #[serde(skip)]
    sort_key: String,
    #[serde(skip)]
    id: TermId,
}

/// The glossary's categories and terms, made while the articles render.
pub struct Prepared<'a>(Vec<Category<'a>>);

/// The categories and terms, everything the page shows but occurrences.
pub fn prepare<'a>(resolved: &'a Resolved, shared: &'a Shared) -> Prepared<'a> {
    let events = events_by_term(resolved);
    let mut categories: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
    for (index, term) in resolved.terms.iter().enumerate() {
        let id = TermId(index);
        let view = Entry {
            term: TermView::new(term, &shared.terms.definitions[index], ROOT),
            definition_zh_html: term.definition_zh.as_ref().map(|d| markdown::to_html(d.get_ref())),
            see_also: term
                .see_also
                .iter()
                .filter_map(|id| resolved.term_ids.get(id.get_ref().as_str()))
                .map(|&i| TermLink::new(resolved, i, ROOT))
                .collect(),
            links: term
                .links
                .iter()
                .map(|l| Link {
                    label: &l.label,
                    url: l.url.get_ref(),
                })
                .collect(),
            events: events.get(&id).map_or_else(Vec::new, |list| {
                list.iter().map(|&e| EventLink::new(resolved, e, ROOT)).collect()
            }),
            occurrences: Vec::new(),
            source_url: shared
                .common
                .repository
                .as_ref()
                .map(|r| r.blob(&term.file, Some(term.line))),
            more_articles: 0,
            sort_key: sort_key(term.pinyin.as_ref().map(|p| p.get_ref().as_str()), term.zh.get_ref()),
            id,
        };
        categories.entry(term.category_name()).or_default().push(view);
    }
    let categories: Vec<Category> = categories
        .into_iter()
        .map(|(name, mut terms)| {
            terms.sort_by(|a, b| (&a.sort_key, a.term.id).cmp(&(&b.sort_key, b.term.id)));
            let label = resolved.site.config.glossary.categories.get(name);
            Category {
                name,
                zh: label.and_then(|l| l.zh.as_deref()),
                en: label.and_then(|l| l.en.as_deref()),
                id: format!("category-{}", crate::content::document::heading_slug(name)),
                terms,
            }
        })
        .collect();
    Prepared(categories)
}

/// The page, with the places each term occurs (found in resolve).
pub fn render(
    resolved: &Resolved,
    theme: &Theme,
    shared: &Shared,
    prepared: Prepared,
) -> Result<OutputFile, Diagnostic> {
    let places = places_by_term(resolved);
    let mut categories = prepared.0;
    for term in categories.iter_mut().flat_map(|c| c.terms.iter_mut()) {
        (term.occurrences, term.more_articles) = occurrence_views(resolved, &places[term.id.index()]);
    }
    let mut context = shared.common.context(&Page::Glossary, "术语 Glossary");
    context.insert("categories", &categories);
    context.insert("letters", &letters(resolved));
    render_page(theme, "glossary.html", &context, &Page::Glossary)
}

/// For each term (by index), the articles it occurs in and the paragraphs
/// of each, in reading order. Occurrences come in reading order, so every
/// list only grows at its end.
fn places_by_term(resolved: &Resolved) -> Vec<Vec<(ArticleId, Vec<u32>)>> {
    let mut places: Vec<Vec<(ArticleId, Vec<u32>)>> = vec![Vec::new(); resolved.terms.len()];
    for (article, found) in resolved.article_ids().zip(&resolved.term_uses) {
        // A place in the abstract is listed first, as paragraph 0.
        for &crate::resolve::TermUse { term, paragraph, .. } in found.abstract_zh.iter().chain(&found.paragraphs) {
            let list = &mut places[term.index()];
            match list.last_mut() {
                Some((last, paragraphs)) if *last == article => {
                    if paragraphs.last() != Some(&paragraph) {
                        paragraphs.push(paragraph);
                    }
                }
                _ => list.push((article, vec![paragraph])),
            }
        }
    }
    places
}

fn events_by_term(resolved: &Resolved) -> BTreeMap<TermId, Vec<EventId>> {
    let mut map: BTreeMap<TermId, Vec<EventId>> = BTreeMap::new();
    for (i, event) in resolved.events.iter().enumerate() {
        for &term in &event.terms {
            map.entry(term).or_default().push(EventId(i));
        }
    }
    map
}

fn occurrence_views<'a>(resolved: &'a Resolved, places: &[(ArticleId, Vec<u32>)]) -> (Vec<Occurrences<'a>>, usize) {
    let views = places
        .iter()
        .take(MAX_ARTICLES_PER_TERM)
        .map(|(article, numbers)| {
            let article = *article;
            let slug = &resolved.articles[article].slug;
            Occurrences {
                article_title: &resolved.articles[article].meta.title,
                article_url: Page::Article(slug).url_from(ROOT),
                places: numbers.iter().take(MAX_PLACES_PER_ARTICLE).copied().collect(),
                more_places: numbers.len().saturating_sub(MAX_PLACES_PER_ARTICLE),
            }
        })
        .collect();
    (views, places.len().saturating_sub(MAX_ARTICLES_PER_TERM))
}

/// The A–Z index: terms with pinyin by the first letter of their pinyin
/// (tones and case ignored), in dictionary order.
fn letters<'a>(resolved: &'a Resolved) -> Vec<Letter<'a>> {
    let mut by_letter: BTreeMap<char, Vec<(String, IndexEntry)>> = BTreeMap::new();
    for term in &resolved.terms {
        let Some(pinyin) = term.pinyin.as_ref().map(|p| p.get_ref().as_str()) else {
            continue;
        };
        let key = crate::normalize::toneless_pinyin(pinyin);
        let Some(first) = key.chars().next().filter(char::is_ascii_alphabetic) else {
            continue;
        };
        by_letter.entry(first.to_ascii_uppercase()).or_default().push((
            key.clone(),
            IndexEntry {
                zh: term.zh.get_ref(),
                pinyin,
                anchor: super::urls::term_anchor(term.id.get_ref()),
            },
        ));
    }
    by_letter
        .into_iter()
        .map(|(letter, mut terms)| {
            terms.sort_by(|a, b| (&a.0, a.1.zh).cmp(&(&b.0, b.1.zh)));
            Letter {
                letter,
                id: format!("az-{}", letter.to_ascii_lowercase()),
                terms: terms.into_iter().map(|(_, t)| t).collect(),
            }
        })
        .collect()
}

/// Pinyin without tones, lowercase: the order of a Chinese dictionary.
fn sort_key(pinyin: Option<&str>, headword: &str) -> String {
    let Some(pinyin) = pinyin else {
        return headword.to_owned();
    };
    pinyin
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(crate::resolve::toneless)
        .collect()
}
