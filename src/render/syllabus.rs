//! The syllabus: what the home page says of each reading (length, reading
//! time, terms, events, how much is translated) grouped by unit, and the
//! previous/next links of a reader page. Progress is the reader's own and
//! lives in their browser (static/course.js); this module only gives it the
//! numbers it needs.

use std::collections::BTreeSet;

use serde::Serialize;

use super::views::ArticleView;
use crate::content::NoteKind;
use crate::resolve::{ArticleId, Resolved, TermId};

/// One reading as the syllabus lists it.
#[derive(Serialize)]
pub struct Reading<'a> {
    /// Titles, author, source and its page, as every template sees an article.
    #[serde(flatten)]
    pub article: ArticleView<'a>,
    /// Characters of the text, white space not counted.
    pub characters: usize,
    /// Numbered paragraphs (¶1…¶N).
    pub paragraphs: u32,
    /// Reading time at `[syllabus] chars_per_minute`, rounded up.
    pub minutes: usize,
    /// Distinct terms in the text and the abstract.
    pub terms: usize,
    /// Events anchored in the text.
    pub events: usize,
    /// Paragraphs with an English translation.
    pub translated: usize,
    pub vocabulary_url: String,
    pub timeline_url: String,
}

#[derive(Serialize)]
pub struct UnitView<'a> {
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub dates: Option<&'a str>,
    pub readings: Vec<Reading<'a>>,
}

/// The neighbours of a reader page in reading order.
#[derive(Serialize)]
pub struct Neighbour<'a> {
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub url: String,
}

/// Which terms an article uses: (term, paragraph) pairs and the terms of
/// its abstract.
pub struct TermUse<'u> {
    pub occurrences: &'u [(TermId, u32)],
    pub abstract_terms: &'u [TermId],
}

pub fn reading<'a>(resolved: &'a Resolved, article: ArticleId, used: &TermUse, root: &str) -> Reading<'a> {
    let a = resolved.articles[article];
    let characters = a.outline.characters;
    let per_minute = (*resolved.site.config.syllabus.chars_per_minute.get_ref()).max(1) as usize;
    let terms: BTreeSet<TermId> = used
        .occurrences
        .iter()
        .map(|(t, _)| *t)
        .chain(used.abstract_terms.iter().copied())
        .collect();
    let events = resolved
        .events
        .iter()
        .filter(|e| e.places.iter().any(|p| p.article == article))
        .count();
    let translated: BTreeSet<u32> = resolved.notes[article.index()]
        .iter()
        .filter(|n| n.note.kind == NoteKind::Translation && n.note.lang.get_ref() == "en")
        .map(|n| n.place.paragraph)
        .collect();
    Reading {
        article: ArticleView::new(a),
        characters,
        paragraphs: a.outline.paragraph_count(),
        minutes: characters.div_ceil(per_minute),
        terms: terms.len(),
        events,
        translated: translated.len(),
        vocabulary_url: format!("{root}{}/vocabulary/index.html", a.slug),
        timeline_url: format!("{root}{}/timeline/index.html", a.slug),
    }
}

/// The units with their readings, and the readings in no unit; both empty
/// when the site has no `[[unit]]` (the home page is then a plain list).
pub fn units<'a>(resolved: &'a Resolved, used: &[TermUse]) -> (Vec<UnitView<'a>>, Vec<Reading<'a>>) {
    let syllabus = &resolved.syllabus;
    if syllabus.units.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let units = syllabus
        .units
        .iter()
        .map(|unit| {
            let config = &resolved.site.config.units[unit.config];
            UnitView {
                title: &config.title,
                title_en: config.title_en.as_deref(),
                dates: config.dates.as_deref(),
                readings: unit
                    .articles
                    .iter()
                    .map(|&a| reading(resolved, a, &used[a.index()], ""))
                    .collect(),
            }
        })
        .collect();
    let outside = syllabus
        .outside
        .iter()
        .map(|&a| reading(resolved, a, &used[a.index()], ""))
        .collect();
    (units, outside)
}

/// The previous and next readings of `article`, linked from its page.
pub fn neighbours<'a>(
    resolved: &'a Resolved,
    article: ArticleId,
    root: &str,
) -> (Option<Neighbour<'a>>, Option<Neighbour<'a>>) {
    let link = |id: ArticleId| {
        let a = resolved.articles[id];
        Neighbour {
            title: &a.meta.title,
            title_en: a.meta.title_en.as_deref(),
            url: format!("{root}{}/index.html", a.slug),
        }
    };
    let (previous, next) = resolved.syllabus.neighbours(article);
    (previous.map(link), next.map(link))
}
