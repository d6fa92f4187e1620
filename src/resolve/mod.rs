//! Resolve: ties the loaded content together before anything is rendered.
//! Anchors become paragraphs, ids become terms and events, dates are parsed,
//! and every problem is collected (never just the first). Owns the shared
//! lookup structures (anchor index, glossary automaton) that `render` borrows.

mod anchors;
pub mod dates;
pub mod headings;
mod ids;
pub mod occurrences;
mod pinyin;
mod references;
pub mod terms;
pub mod units;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{Article, Era, Event, Note, NoteKind, Site, Term};
use crate::diagnostics::{Diagnostic, Sources};
use anchors::{AnchorRequest, AnchorResolver};
pub use dates::PartialDate;
pub use headings::HeadingNote;
pub use ids::{ArticleId, EventId, TermId};
pub use occurrences::{ArticleTerms, TermUse};
pub use pinyin::toneless;
pub use terms::TermMatcher;

/// A paragraph of an article: where an annotation lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub article: ArticleId,
    pub paragraph: u32,
}

pub struct ResolvedEvent<'s> {
    pub event: &'s Event,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    /// The article's own date, where it differs from the record.
    pub text_date: Option<PartialDate>,
    /// Where the event sorts: `sort` if given, else `date`.
    pub sort: PartialDate,
    pub places: Vec<Place>,
    pub terms: Vec<TermId>,
}

/// A period of the timeline with its dates parsed.
pub struct ResolvedEra<'s> {
    pub era: &'s Era,
    pub date: PartialDate,
    pub end: PartialDate,
}

pub struct ResolvedNote<'s> {
    pub note: &'s Note,
    pub place: Place,
}

/// The site with every reference followed. Borrowed by every page renderer.
pub struct Resolved<'s> {
    pub site: &'s Site,
    /// Articles shown, in home-page order (`order`, then slug).
    pub articles: Vec<&'s Article>,
    /// Terms sorted by id.
    pub terms: Vec<&'s Term>,
    pub term_ids: BTreeMap<&'s str, TermId>,
    /// Events in date order (by `sort` where given, then id).
    pub events: Vec<ResolvedEvent<'s>>,
    /// The timeline's periods, in date order.
    pub eras: Vec<ResolvedEra<'s>>,
    /// Notes of each article (same index as `articles`), in file order.
    pub notes: Vec<Vec<ResolvedNote<'s>>>,
    /// Translations of each article's headings (same index as `articles`).
    pub heading_notes: Vec<Vec<HeadingNote<'s>>>,
    /// Shared: `serve`'s previews resolve with the last build's.
    pub matcher: Arc<TermMatcher>,
    /// Where each term occurs in each article (same index as `articles`):
    /// the one answer `check`, marking and the glossary read.
    pub term_uses: Vec<ArticleTerms>,
    /// Units and the reading order (previous/next).
    pub syllabus: units::Syllabus,
}

impl Resolved<'_> {
    /// Every article's id, in home-page order.
    pub fn article_ids(&self) -> impl Iterator<Item = ArticleId> + use<> {
        (0..self.articles.len()).map(ArticleId)
    }

    /// The id of the shown article with this slug (none for a draft left out).
    pub fn article_id(&self, slug: &str) -> Option<ArticleId> {
        self.articles.iter().position(|a| a.slug == slug).map(ArticleId)
    }
}

pub struct Options {
    pub drafts: bool,
    /// Set for a preview (`pipeline::preview`): the matcher the last good
    /// build made of this same glossary and site.toml. It is taken as it
    /// is, and what only warnings come of is left out: the glossary's own
    /// checks (they found no error then) and the terms used nowhere (the
    /// preview's site leaves the other articles' texts out).
    pub preview_of: Option<Arc<TermMatcher>>,
}

impl Options {
    /// The options of a build or a check of the whole site.
    pub fn whole(drafts: bool) -> Options {
        Options {
            drafts,
            preview_of: None,
        }
    }
}

pub fn resolve<'s>(site: &'s Site, sources: &Sources, options: &Options) -> (Resolved<'s>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut articles: Vec<&Article> = site
        .articles
        .iter()
        .filter(|a| options.drafts || !a.meta.draft)
        .collect();
    articles
        .sort_by(|a, b| (a.meta.order.unwrap_or(i64::MAX), &a.slug).cmp(&(b.meta.order.unwrap_or(i64::MAX), &b.slug)));
    references::check_page_slugs(site, &mut diagnostics);
    let syllabus = units::resolve(site, &articles, &mut diagnostics);

    let mut terms: Vec<&Term> = site.terms.iter().collect();
    terms.sort_by(|a, b| (a.id.get_ref(), &a.file, a.span.start).cmp(&(b.id.get_ref(), &b.file, b.span.start)));
    let term_ids = references::index_terms(&terms, sources, &mut diagnostics);
    references::check_see_also(&terms, &term_ids, &site.unloaded, &mut diagnostics);
    let (matcher, mut linted) = match &options.preview_of {
        Some(matcher) => (Arc::clone(matcher), Vec::new()),
        None => {
            let (matcher, linted) = check_glossary(site, &terms, &mut diagnostics);
            (Arc::new(matcher), linted)
        }
    };

    let drafts_left_out = site
        .articles
        .iter()
        .filter(|a| a.meta.draft && !options.drafts)
        .map(|a| a.slug.as_str());
    let anchors = AnchorResolver::new(
        &articles,
        drafts_left_out
            .chain(site.unloaded.ids.iter().map(String::as_str))
            .collect(),
    );
    // Every anchor is collected first and resolved in one pass over the
    // articles: events' anchors, then each article's notes in turn.
    let mut requests = Vec::new();
    let events = check_events(site, sources, &term_ids, &mut requests, &mut diagnostics);
    let notes_from = requests.len();
    // Notes anchored to a heading are resolved on their own, below.
    let paragraph_notes = |article: &'s Article| article.notes.iter().filter(|n| !headings::is_heading_note(n));
    for (home, article) in articles.iter().enumerate() {
        requests.extend(paragraph_notes(article).map(|note| AnchorRequest {
            anchor: &note.anchor,
            file: &note.file,
            home: Some(home),
        }));
    }
    // Each text is read once for its quotes and its terms together
    // (`scan_term_use`, below, reads them again only when a term is
    // marked nowhere).
    let searches = anchors.locate_all(&requests, &mut diagnostics);
    let (found, term_uses): (Vec<Vec<anchors::Found>>, Vec<ArticleTerms>) = articles
        .par_iter()
        .enumerate()
        .map(|(i, article)| {
            article.with_document(|document| {
                let found = searches.run_in(i, &article.slug, document);
                (found, occurrences::find(article, document, &matcher))
            })
        })
        .unzip();
    let places = searches.finish(found.into_iter().flatten(), &mut diagnostics);
    let events = place_events(events, &places);
    let eras = check_eras(site, &mut diagnostics);
    // The dates of entries that failed to load, reported with their
    // entry's own mistake.
    for (file, date) in &site.unloaded.dates {
        parse_date(date, file, &mut diagnostics);
    }
    let mut note_places = places[notes_from..].iter();
    let notes = articles
        .iter()
        .map(|article| {
            let notes = paragraph_notes(article);
            let places = note_places.by_ref().take(notes.clone().count()).copied();
            resolve_notes(notes, places, &mut diagnostics)
        })
        .collect();
    let heading_notes = articles
        .iter()
        .map(|article| headings::resolve(article, &mut diagnostics))
        .collect();

    diagnostics.append(&mut linted);
    if options.preview_of.is_none() {
        let mut used = occurrences::used_terms(&term_uses, terms.len());
        if used.contains(&false) {
            // Marking skips a form inside links (and inside a longer word,
            // which the occurrences noted); it is still written as the text
            // has it, which is what the warning is about. Check and build
            // both read this one answer.
            used = scan_term_use(&used, &articles, &matcher);
        }
        diagnostics.extend(unused_term_warnings(&terms, &used));
    }
    let resolved = Resolved {
        site,
        articles,
        terms,
        term_ids,
        events,
        eras,
        notes,
        heading_notes,
        matcher,
        term_uses,
        syllabus,
    };
    (resolved, diagnostics)
}

/// The glossary's matcher, its problems added to `diagnostics`, and the
/// reports of the glossary's own checks (they keep their place further down
/// the list). The checks need neither the matcher nor the text: they run
/// while the matcher is built (on a small site, each is a third of
/// resolving).
fn check_glossary(site: &Site, terms: &[&Term], diagnostics: &mut Vec<Diagnostic>) -> (TermMatcher, Vec<Diagnostic>) {
    let ((mut matcher, mut building_found), linted) = rayon::join(
        || {
            let mut found = Vec::new();
            let matcher = TermMatcher::build(terms, &mut found);
            (matcher, found)
        },
        || {
            let mut found = Vec::new();
            let use_dictionary = site.config.dictionary.enabled && crate::words::dictionary::available();
            references::lint_terms(terms, &site.unloaded, use_dictionary, &mut found);
            found
        },
    );
    diagnostics.append(&mut building_found);
    matcher.use_dictionary(site.config.dictionary.enabled);
    (matcher, linted)
}

/// Checks each event and queues its anchors; the events kept (those with a
/// date) come back with the range of `requests` holding their anchors.
fn check_events<'s>(
    site: &'s Site,
    sources: &Sources,
    term_ids: &BTreeMap<&str, TermId>,
    requests: &mut Vec<AnchorRequest<'s>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(ResolvedEvent<'s>, std::ops::Range<usize>)> {
    let mut seen: BTreeMap<&str, &Event> = BTreeMap::new();
    let mut events = Vec::new();
    for event in &site.events {
        let id = event.id.get_ref();
        references::check_id(id, "event", &event.file, event.id.span(), diagnostics);
        if let Some(first) = seen.insert(id, event) {
            diagnostics.push(references::duplicate_id(
                "event",
                id,
                &event.file,
                event.id.span(),
                (&first.file, first.id.span().start),
                sources,
            ));
            continue;
        }
        let date = parse_date(&event.date, &event.file, diagnostics);
        let end = event
            .end
            .as_ref()
            .and_then(|end| parse_date(end, &event.file, diagnostics));
        if let (Some(start), Some(finish), Some(end_text)) = (date, end, &event.end)
            && finish.is_before(&start)
        {
            diagnostics.push(
                Diagnostic::error(
                    "end-before-date",
                    &event.file,
                    Some(end_text.span()),
                    format!(
                        "the event ends ({}) before it begins ({})",
                        end_text.get_ref(),
                        event.date.get_ref()
                    ),
                )
                .with_help("swap `date` and `end`, or correct the one that is wrong"),
            );
        }
        let text_date = event
            .text_date
            .as_ref()
            .and_then(|text| parse_date(text, &event.file, diagnostics));
        let sort = event.sort.as_ref().and_then(|text| {
            let sort = parse_date(text, &event.file, diagnostics)?;
            match date {
                Some(shown) if !sort.is_within(&shown) => {
                    diagnostics.push(
                        Diagnostic::error(
                            "sort-outside-date",
                            &event.file,
                            Some(text.span()),
                            format!(
                                "`sort = \"{}\"` is not within the event's date ({})",
                                text.get_ref(),
                                event.date.get_ref()
                            ),
                        )
                        .with_help(
                            "`sort` only places an event more precisely within its `date` \
                             (date \"2018\", sort \"2018-09\"); correct the one that is wrong",
                        ),
                    );
                    None
                }
                _ => Some(sort),
            }
        });
        let terms = references::resolve_ids(&event.terms, term_ids, &site.unloaded, "term", &event.file, diagnostics);
        let first_anchor = requests.len();
        requests.extend(event.anchors.iter().map(|anchor| AnchorRequest {
            anchor,
            file: &event.file,
            home: None,
        }));
        if let Some(date) = date {
            let event = ResolvedEvent {
                event,
                date,
                end,
                text_date,
                sort: sort.unwrap_or(date),
                places: Vec::new(),
                terms,
            };
            events.push((event, first_anchor..requests.len()));
        }
    }
    events
}

/// The events with their anchors' places, in date order (by `sort` where
/// given, then id).
fn place_events<'s>(
    events: Vec<(ResolvedEvent<'s>, std::ops::Range<usize>)>,
    places: &[Option<Place>],
) -> Vec<ResolvedEvent<'s>> {
    let mut events: Vec<ResolvedEvent> = events
        .into_iter()
        .map(|(mut event, anchors)| {
            event.places = places[anchors].iter().flatten().copied().collect();
            event
        })
        .collect();
    events.sort_by(|a, b| (a.sort, a.event.id.get_ref()).cmp(&(b.sort, b.event.id.get_ref())));
    events
}

/// Each era with its dates checked (an era with a bad date is left out,
/// reported), in date order.
fn check_eras<'s>(site: &'s Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<ResolvedEra<'s>> {
    let mut eras: Vec<ResolvedEra> = site
        .eras
        .iter()
        .filter_map(|era| {
            let date = parse_date(&era.date, &era.file, diagnostics);
            let end = parse_date(&era.end, &era.file, diagnostics);
            let (date, end) = (date?, end?);
            if end.is_before(&date) {
                diagnostics.push(
                    Diagnostic::error(
                        "end-before-date",
                        &era.file,
                        Some(era.end.span()),
                        format!(
                            "the era `{}` ends ({}) before it begins ({})",
                            era.title,
                            era.end.get_ref(),
                            era.date.get_ref()
                        ),
                    )
                    .with_help("swap `date` and `end`, or correct the one that is wrong"),
                );
                return None;
            }
            Some(ResolvedEra { era, date, end })
        })
        .collect();
    eras.sort_by(|a, b| (a.date, &a.era.title).cmp(&(b.date, &b.era.title)));
    eras
}

fn parse_date(
    text: &toml::Spanned<String>,
    file: &std::path::Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PartialDate> {
    match PartialDate::parse(text.get_ref()) {
        Ok(date) => Some(date),
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "bad-date",
                    file,
                    Some(text.span()),
                    format!("`{}` is not a date: {error}", text.get_ref()),
                )
                .with_help(error.help()),
            );
            None
        }
    }
}

/// An article's notes at their resolved `places` (one per note,
/// in file order); a paragraph gets one English translation.
fn resolve_notes<'s>(
    article_notes: impl Iterator<Item = &'s Note>,
    places: impl Iterator<Item = Option<Place>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ResolvedNote<'s>> {
    let mut notes = Vec::new();
    let mut translated: BTreeMap<u32, &Note> = BTreeMap::new();
    for (note, place) in article_notes.zip(places) {
        let Some(place) = place else {
            continue;
        };
        if note.kind == NoteKind::Translation
            && note.lang.get_ref() == "en"
            && let Some(first) = translated.insert(place.paragraph, note)
        {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-translation",
                    &note.file,
                    Some(note.anchor.span()),
                    format!("¶{} already has an English translation", place.paragraph),
                )
                .with_help(format!(
                    "merge this one with the translation anchored at \"{}\"",
                    first
                        .anchor
                        .get_ref()
                        .quote
                        .as_ref()
                        .map_or("", |q| q.get_ref().as_str())
                )),
            );
            continue;
        }
        notes.push(ResolvedNote { note, place });
    }
    notes
}

/// Which of the terms `used` leaves out occur in the text (paragraphs and
/// Chinese abstracts), by a scan of the plain text, counting forms inside
/// longer words too; `used` with those added. Resolve calls this only when
/// the occurrences leave some term unused. The scan ends once every such
/// term is found: on a large site they are found in the first articles,
/// and the rest need not be read again.
pub fn scan_term_use(used: &[bool], articles: &[&Article], matcher: &TermMatcher) -> Vec<bool> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let seen: Vec<AtomicBool> = used.iter().map(|&u| AtomicBool::new(u)).collect();
    let missing = AtomicUsize::new(used.iter().filter(|u| !**u).count());
    let mark = |t: TermId| {
        if !seen[t.index()].swap(true, Ordering::Relaxed) {
            missing.fetch_sub(1, Ordering::Relaxed);
        }
    };
    let all_found = || missing.load(Ordering::Relaxed) == 0;
    articles.par_iter().for_each(|article| {
        if all_found() {
            return;
        }
        let ended = article.with_document(|document| {
            for block in &document.blocks {
                if all_found() {
                    return true;
                }
                if block.number().is_some() {
                    matcher.terms_in_plain_text(&block.plain_text(), &mut |t| mark(t));
                }
            }
            false
        });
        if ended {
            return;
        }
        if let Some(abstract_zh) = &article.meta.abstract_zh {
            matcher.terms_in_plain_text(&crate::markdown::to_plain(abstract_zh.get_ref()), &mut |t| mark(t));
        }
    });
    seen.into_iter().map(AtomicBool::into_inner).collect()
}

/// A term no article mentions is probably misspelt (or from another text).
/// `used[i]` says whether `terms[i]` is marked anywhere. A term whose form
/// lies inside a form of a marked term (东盟 in 东盟地区论坛) occurs in the
/// text too, inside the longer term, and is not reported.
pub fn unused_term_warnings(terms: &[&Term], used: &[bool]) -> Vec<Diagnostic> {
    // Only the (few) unmarked terms are compared with the marked terms' forms.
    let marked_forms: Vec<&str> = terms
        .iter()
        .zip(used)
        .filter(|(_, used)| **used)
        .flat_map(|(term, _)| term.forms().map(|f| f.get_ref().as_str()))
        .collect();
    let nested = |term: &Term| {
        term.forms()
            .any(|form| !form.get_ref().is_empty() && marked_forms.iter().any(|m| m.contains(form.get_ref().as_str())))
    };
    terms
        .iter()
        .zip(used)
        .filter(|(term, used)| !**used && !nested(term))
        .map(|(term, _)| {
            Diagnostic::warning(
                "term-unused",
                &term.file,
                Some(term.zh.span()),
                format!(
                    "the term `{}` ({}) occurs in no article",
                    term.id.get_ref(),
                    term.zh.get_ref()
                ),
            )
            .with_help(
                "write the headword or an alias exactly as the text has it (e.g. no spaces between Chinese and digits)",
            )
        })
        .collect()
}
