//! Resolve: ties the loaded content together before anything is rendered.
//! Anchors become paragraphs, ids become terms and events, dates are parsed,
//! and every problem is collected (never just the first). Owns the shared
//! lookup structures (anchor index, glossary automaton) that `render` borrows.

mod anchors;
pub mod dates;
mod pinyin;
mod references;
pub mod terms;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::content::{Anchor, Article, Event, Note, NoteKind, Site, Term};
use crate::diagnostics::{Diagnostic, Sources, did_you_mean};
pub use anchors::{AnchorIndex, QuoteMatch};
pub use dates::PartialDate;
pub use terms::TermMatcher;

/// A paragraph of an article: where an annotation lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Index into `Resolved::articles`.
    pub article: usize,
    pub paragraph: u32,
}

pub struct ResolvedEvent<'s> {
    pub event: &'s Event,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub places: Vec<Place>,
    /// Indexes into `Resolved::terms`.
    pub terms: Vec<usize>,
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
    pub term_ids: BTreeMap<&'s str, usize>,
    /// Events in date order (then id).
    pub events: Vec<ResolvedEvent<'s>>,
    /// Notes of each article (same index as `articles`), in file order.
    pub notes: Vec<Vec<ResolvedNote<'s>>>,
    pub matcher: TermMatcher,
}

pub struct Options {
    pub drafts: bool,
    /// Whether to look for terms that occur nowhere (a full scan of the text;
    /// `build` learns this from rendering instead).
    pub find_unused_terms: bool,
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

    let mut terms: Vec<&Term> = site.terms.iter().collect();
    terms.sort_by(|a, b| (a.id.get_ref(), &a.file, a.span.start).cmp(&(b.id.get_ref(), &b.file, b.span.start)));
    let term_ids = references::index_terms(&terms, sources, &mut diagnostics);
    references::check_see_also(&terms, &term_ids, &site.unloaded, &mut diagnostics);
    let matcher = TermMatcher::build(&terms, &mut diagnostics);

    let index = AnchorIndex::new(articles.iter().map(|a| &a.document));
    let drafts_left_out = site
        .articles
        .iter()
        .filter(|a| a.meta.draft && !options.drafts)
        .map(|a| a.slug.as_str());
    let anchors = AnchorResolver {
        articles: &articles,
        index: &index,
        not_shown: drafts_left_out
            .chain(site.unloaded.ids.iter().map(String::as_str))
            .collect(),
    };
    let events = resolve_events(site, sources, &anchors, &term_ids, &mut diagnostics);
    let notes = (0..articles.len())
        .map(|home| resolve_notes(home, &anchors, &mut diagnostics))
        .collect();

    references::lint_terms(&terms, &site.unloaded, &mut diagnostics);
    if options.find_unused_terms {
        let used = scan_term_use(&terms, &articles, &matcher);
        diagnostics.extend(unused_term_warnings(&terms, &used));
    }
    let resolved = Resolved {
        site,
        articles,
        terms,
        term_ids,
        events,
        notes,
        matcher,
    };
    (resolved, diagnostics)
}

fn resolve_events<'s>(
    site: &'s Site,
    sources: &Sources,
    anchors: &AnchorResolver,
    term_ids: &BTreeMap<&str, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ResolvedEvent<'s>> {
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
        let date = parse_date(&event.date, event, diagnostics);
        let end = event.end.as_ref().and_then(|end| parse_date(end, event, diagnostics));
        if let (Some(start), Some(finish), Some(end_text)) = (date, end, &event.end) {
            if finish.is_before(&start) {
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
        }
        let terms = references::resolve_ids(&event.terms, term_ids, &site.unloaded, "term", &event.file, diagnostics);
        let places = event
            .anchors
            .iter()
            .filter_map(|a| anchors.resolve(a, &event.file, None, diagnostics))
            .collect();
        if let Some(date) = date {
            events.push(ResolvedEvent {
                event,
                date,
                end,
                places,
                terms,
            });
        }
    }
    events.sort_by(|a, b| (a.date, a.event.id.get_ref()).cmp(&(b.date, b.event.id.get_ref())));
    events
}

fn parse_date(text: &toml::Spanned<String>, event: &Event, diagnostics: &mut Vec<Diagnostic>) -> Option<PartialDate> {
    match PartialDate::parse(text.get_ref()) {
        Ok(date) => Some(date),
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "bad-date",
                    &event.file,
                    Some(text.span()),
                    format!("`{}` is not a date: {error}", text.get_ref()),
                )
                .with_help("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
            );
            None
        }
    }
}

/// The notes of `articles[home]`, whose anchors point into that article
/// unless they name another.
fn resolve_notes<'s>(
    home: usize,
    anchors: &AnchorResolver<'_, 's>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ResolvedNote<'s>> {
    let article = anchors.articles[home];
    let home = Some(home);
    let mut notes = Vec::new();
    let mut translated: BTreeMap<u32, &Note> = BTreeMap::new();
    for note in &article.notes {
        let Some(place) = anchors.resolve(&note.anchor, &note.file, home, diagnostics) else {
            continue;
        };
        if note.kind == NoteKind::Translation && note.lang == "en" {
            if let Some(first) = translated.insert(place.paragraph, note) {
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
        }
        notes.push(ResolvedNote { note, place });
    }
    notes
}

/// Resolves anchors against the articles shown.
struct AnchorResolver<'a, 's> {
    articles: &'a [&'s Article],
    index: &'a AnchorIndex,
    /// Slugs that exist but are not resolved against: drafts left out of
    /// this build, and articles that failed to load (already reported).
    not_shown: std::collections::BTreeSet<&'a str>,
}

impl AnchorResolver<'_, '_> {
    /// `home` is the article whose notes.toml the anchor is in.
    fn resolve(
        &self,
        anchor: &toml::Spanned<Anchor>,
        file: &std::path::Path,
        home: Option<usize>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Place> {
        let span = anchor.span();
        let anchor = anchor.get_ref();
        let article = match &anchor.article {
            Some(slug) => match self.articles.iter().position(|a| a.slug == *slug.get_ref()) {
                Some(i) => i,
                None if self.not_shown.contains(slug.get_ref().as_str()) => return None,
                None => {
                    let mut d = Diagnostic::error(
                        "unknown-article",
                        file,
                        Some(slug.span()),
                        format!("no article has the slug `{}`", slug.get_ref()),
                    );
                    d = match did_you_mean(slug.get_ref(), self.articles.iter().map(|a| a.slug.as_str())) {
                        Some(close) => d.with_help(format!("did you mean `{close}`?")),
                        None => d.with_help("the slug is the article's folder name under content/"),
                    };
                    diagnostics.push(d);
                    return None;
                }
            },
            None => match (home, self.articles.len()) {
                (Some(i), _) => i,
                (None, 1) => 0,
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            "anchor-needs-article",
                            file,
                            Some(span),
                            "this anchor does not say which article it points into",
                        )
                        .with_help("add `article = \"slug\"` to the anchor"),
                    );
                    return None;
                }
            },
        };
        let count = self.index.paragraph_count(article);
        let paragraph = match &anchor.paragraph {
            Some(p) if *p.get_ref() < 1 || *p.get_ref() > i64::from(count) => {
                diagnostics.push(
                    Diagnostic::error(
                        "paragraph-out-of-range",
                        file,
                        Some(p.span()),
                        format!(
                            "¶{} does not exist: `{}` has {count} paragraphs",
                            p.get_ref(),
                            self.articles[article].slug
                        ),
                    )
                    .with_help("prefer a `quote`, which survives renumbering"),
                );
                return None;
            }
            Some(p) => Some(*p.get_ref() as u32),
            None => None,
        };
        let Some(quote) = &anchor.quote else {
            return match paragraph {
                Some(paragraph) => Some(Place { article, paragraph }),
                None => {
                    diagnostics.push(
                        Diagnostic::error(
                            "empty-anchor",
                            file,
                            Some(span),
                            "this anchor has neither a `quote` nor a `paragraph`",
                        )
                        .with_help("add `quote = \"…\"` with a few words of the paragraph it belongs to"),
                    );
                    None
                }
            };
        };
        let slug = &self.articles[article].slug;
        match self.index.find(article, paragraph, quote.get_ref()) {
            QuoteMatch::Once(paragraph) => Some(Place { article, paragraph }),
            QuoteMatch::Nowhere { nearest } => {
                let scope = paragraph.map_or_else(|| format!("`{slug}`"), |p| format!("¶{p} of `{slug}`"));
                let mut d = Diagnostic::error(
                    "quote-not-found",
                    file,
                    Some(quote.span()),
                    format!("the quote \"{}\" does not occur in {scope}", quote.get_ref()),
                );
                d = match nearest {
                    Some((p, near)) => d.with_help(format!(
                        "the closest text is in ¶{p}: \"{near}\"; copy the quote from the text exactly"
                    )),
                    None => d.with_help("copy a few words from the paragraph exactly (white space does not matter)"),
                };
                diagnostics.push(d);
                None
            }
            QuoteMatch::Several(places) => {
                let list: Vec<String> = places.iter().map(|p| format!("¶{p}")).collect();
                diagnostics.push(
                    Diagnostic::error(
                        "quote-ambiguous",
                        file,
                        Some(quote.span()),
                        format!(
                            "the quote \"{}\" occurs {} times in `{slug}`: {}",
                            quote.get_ref(),
                            places.len(),
                            list.join(", ")
                        ),
                    )
                    .with_help("quote a few more words so it occurs once, or add `paragraph = N`"),
                );
                None
            }
        }
    }
}

/// Which terms occur in the text (paragraphs and Chinese abstracts), by a
/// scan of the plain text. `build` learns the same while marking and does
/// not call this; `check` renders nothing, so it scans.
fn scan_term_use(terms: &[&Term], articles: &[&Article], matcher: &TermMatcher) -> Vec<bool> {
    articles
        .par_iter()
        .map(|article| {
            let mut seen = vec![false; terms.len()];
            let mut mark = |t: usize| seen[t] = true;
            for block in &article.document.blocks {
                if block.number().is_some() {
                    matcher.terms_in_plain_text(&block.plain, &mut mark);
                }
            }
            if let Some(abstract_zh) = &article.meta.abstract_zh {
                matcher.terms_in_plain_text(&crate::markdown::to_plain(abstract_zh.get_ref()), &mut mark);
            }
            seen
        })
        .reduce(
            || vec![false; terms.len()],
            |a, b| a.iter().zip(b).map(|(x, y)| *x || y).collect(),
        )
}

/// A term no article mentions is probably misspelt (or from another text).
/// `used[i]` says whether `terms[i]` occurs anywhere.
pub fn unused_term_warnings(terms: &[&Term], used: &[bool]) -> Vec<Diagnostic> {
    terms
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
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
