//! The reader page of one article: numbered paragraphs with their terms
//! marked, timeline markers, notes and translations beside them, headings
//! with their translations, questions (each with its versions in other
//! languages) at the end of each section, footnotes, and the
//! printed glossary of its terms (their cards are in `static/cards/`).

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CowStr, Event};
use serde::Serialize;

use super::Shared;
use super::context::render_into;
use super::links::EventLink;
use super::marks::Marker;
use super::theme::Theme;
use super::urls::Page;
use super::views::{ArticleView, ReadingLinks, ReadingPage, Trust};
use crate::content::{BlockKind, Document, NoteKind};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::resolve::{ArticleId, EventId, Place, Resolved, TermId};

/// A reader page is one folder down.
const ROOT: &str = "../";

/// Which events are anchored in which paragraph; built once per build.
pub struct EventsByPlace(BTreeMap<Place, Vec<EventId>>);

impl EventsByPlace {
    pub fn new(resolved: &Resolved) -> Self {
        let mut map: BTreeMap<Place, Vec<EventId>> = BTreeMap::new();
        for (i, event) in resolved.events.iter().enumerate() {
            for place in &event.places {
                map.entry(*place).or_default().push(EventId(i));
            }
        }
        EventsByPlace(map)
    }
}

#[derive(Serialize)]
struct NoteView<'a> {
    kind: &'static str,
    lang: &'a str,
    html: String,
    by: Option<&'a str>,
    quote: Option<&'a str>,
    /// The same question in other languages (notes of kind `question` with
    /// the same anchor and another `lang`), shown with it.
    versions: Vec<NoteView<'a>>,
    /// The note in the repository (only with a repository).
    source_url: Option<String>,
}

#[derive(Serialize, Default)]
struct BlockView<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<u32>,
    html: String,
    events: Vec<EventLink<'a>>,
    notes: Vec<NoteView<'a>>,
    translations: Vec<NoteView<'a>>,
    questions: Vec<NoteView<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
    /// The heading's English translation as plain text, if it has one.
    text_en: Option<String>,
}

/// `article` on a reader page: the article's view and its abstracts.
#[derive(Serialize)]
struct ReaderArticle<'a> {
    #[serde(flatten)]
    article: ArticleView<'a>,
    /// Glossary terms marked.
    abstract_zh_html: Option<String>,
    abstract_en_html: Option<String>,
    /// GitHub's editor for the article's text.md, and the file (only with
    /// a repository).
    edit_url: Option<String>,
    source_url: Option<String>,
}

/// Where the page's `duben.js` finds the term cards (see cards.rs).
#[derive(Serialize)]
struct CardFiles<'a> {
    files: usize,
    version: &'a str,
}

#[derive(Serialize)]
struct Footnote {
    id: String,
    /// The element id of its first reference in the text, for the way back.
    reference_id: String,
    number: usize,
    html: String,
}

pub fn render(
    resolved: &Resolved,
    theme: &Theme,
    shared: &Shared,
    id: ArticleId,
    page: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    resolved.articles[id].with_document(|document| render_document(resolved, theme, shared, id, document, page))
}

fn render_document(
    resolved: &Resolved,
    theme: &Theme,
    shared: &Shared,
    id: ArticleId,
    document: &Document,
    page: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    let article = resolved.articles[id];
    let common = &shared.common;
    let mode = resolved.site.config.glossary.mark;
    let uses = &resolved.term_uses[id.index()];
    let mut marker = Marker::new(&resolved.terms, mode, ROOT);
    let mut footnotes = FootnoteNumbers::default();
    let marked = mark_body(&mut marker, uses, &document.blocks, &mut footnotes);
    let mut marked = marked.into_iter();
    let mut notes_here = notes_by_paragraph(resolved, id, common.repository.as_ref());
    let mut heading_translations = heading_translations(resolved, id, common.repository.as_ref());
    let mut blocks: Vec<BlockView> = Vec::new();
    let mut toc = Vec::new();
    let mut questions: Vec<NoteView> = Vec::new();
    for block in &document.blocks {
        let number = match &block.kind {
            BlockKind::Heading { level, id, text } => {
                close_section(&mut blocks, &mut questions);
                let translations: Vec<(NoteView, String)> =
                    heading_translations.remove(id.as_str()).unwrap_or_default();
                if matches!(level, 2 | 3) {
                    toc.push(TocEntry {
                        level: *level,
                        id,
                        text,
                        text_en: translations
                            .iter()
                            .find(|(view, _)| view.lang == "en" || view.lang.starts_with("en-"))
                            .map(|(_, plain)| plain.clone()),
                    });
                }
                let heading = BlockView {
                    kind: "heading",
                    level: Some(*level),
                    id: id.clone(),
                    text: Some(text),
                    translations: translations.into_iter().map(|(view, _)| view).collect(),
                    ..Default::default()
                };
                blocks.push(heading);
                continue;
            }
            BlockKind::Paragraph { number } | BlockKind::Other { number } => *number,
        };
        let body = marked.next().expect("one marked block per numbered block");
        let mut view = BlockView {
            kind: if matches!(block.kind, BlockKind::Paragraph { .. }) {
                "paragraph"
            } else {
                "block"
            },
            id: format!("p{number}"),
            number: Some(number),
            html: body,
            events: event_markers(
                resolved,
                &shared.events_by_place,
                Place {
                    article: id,
                    paragraph: number,
                },
            ),
            ..Default::default()
        };
        for (kind, note) in notes_here.remove(&number).unwrap_or_default() {
            match kind {
                NoteKind::Translation => view.translations.push(note),
                NoteKind::Question => add_question(&mut questions, note),
                NoteKind::Commentary | NoteKind::Source => view.notes.push(note),
            }
        }
        blocks.push(view);
    }
    close_section(&mut blocks, &mut questions);

    let mut abstract_marker = Marker::new(&resolved.terms, mode, ROOT);
    let abstract_zh_html = article.meta.abstract_zh.as_ref().map(|text| {
        let events = markdown::make_safe(pulldown_cmark::Parser::new_ext(text.get_ref(), markdown::options()));
        let events = abstract_marker.mark(events, &uses.abstract_zh, true);
        let mut html = String::with_capacity(text.get_ref().len() * 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    });
    let abstract_en_html = article
        .meta
        .abstract_en
        .as_ref()
        .map(|a| markdown::to_html(a.get_ref()));
    let linked: BTreeSet<TermId> = marker.linked.union(&abstract_marker.linked).copied().collect();
    let terms: Vec<tera::Value> = linked
        .iter()
        .map(|&term| shared.terms.cards.values[term.index()].clone())
        .collect();

    let meta = &article.meta;
    let text_file = common
        .repository
        .as_ref()
        .map(|r| (r, std::path::Path::new("content").join(&article.slug).join("text.md")));
    let at = Page::Article(&article.slug);
    let mut context = common.context(&at, &meta.title);
    context.insert(
        "article",
        &ReaderArticle {
            article: ArticleView::new(article),
            abstract_zh_html,
            abstract_en_html,
            edit_url: text_file.as_ref().map(|(r, file)| r.edit(file)),
            source_url: text_file.as_ref().map(|(r, file)| r.blob(file, None)),
        },
    );
    // Citation, editors, translators and rights (see cite.rs).
    context.insert("citation", &super::cite::citation(meta));
    context.insert("trust", &Trust::new(meta));
    context.insert("has_translations", &blocks.iter().any(|b| !b.translations.is_empty()));
    context.insert("has_notes", &blocks.iter().any(|b| !b.notes.is_empty()));
    context.insert("toc", &toc);
    context.insert("blocks", &blocks);
    context.insert("footnotes", &footnotes.render(&document.footnotes));
    context.insert_value("terms", tera::Value::from(terms));
    context.insert(
        "cards",
        &CardFiles {
            files: shared.terms.cards.files(),
            version: shared.terms.cards.version(),
        },
    );
    // The reading's events on the site's time axis, each to its paragraph.
    let strip = super::reading::reading_axis(resolved, id, super::axis::Layout::Strip, |event| {
        let first = event.places.iter().find(|p| p.article == id);
        first.map_or_else(String::new, |p| format!("#p{}", p.paragraph))
    });
    context.insert("axis", &strip);
    let (previous, next) = super::syllabus::neighbours(resolved, id, ROOT);
    context.insert("previous", &previous);
    context.insert("next", &next);
    context.insert("reading", &ReadingLinks::new(article, ReadingPage::Reader));
    render_into(theme, "reader.html", &context, &at.path(), page)
}

/// Renders every numbered block to HTML with its terms marked (footnotes
/// numbered in reading order).
fn mark_body(
    marker: &mut Marker,
    uses: &crate::resolve::ArticleTerms,
    blocks: &[crate::content::document::Block<'_>],
    footnotes: &mut FootnoteNumbers,
) -> Vec<String> {
    let mut html = Vec::new();
    let mut after_heading = true;
    for block in blocks {
        let events = match block.kind {
            BlockKind::Heading { .. } => {
                after_heading = true;
                continue;
            }
            BlockKind::Paragraph { .. } => &block.events[1..block.events.len() - 1],
            BlockKind::Other { .. } => &block.events[..],
        };
        let here = block.number().map_or(&[][..], |n| uses.in_paragraph(n));
        let new_section = std::mem::take(&mut after_heading);
        html.push(block_html_with(events, footnotes, |events| {
            marker.mark(events, here, new_section)
        }));
    }
    html
}

/// A question joins the section's list, or, if an earlier question of the
/// section has the same anchor and no version in its language yet, becomes
/// that question's version in another language.
fn add_question<'a>(questions: &mut Vec<NoteView<'a>>, question: NoteView<'a>) {
    let original = questions.iter_mut().find(|q| {
        q.quote.is_some()
            && q.quote == question.quote
            && q.lang != question.lang
            && !q.versions.iter().any(|v| v.lang == question.lang)
    });
    match original {
        Some(original) => original.versions.push(question),
        None => questions.push(question),
    }
}

/// Each heading's translations (by heading id), with their plain text for
/// the table of contents.
fn heading_translations<'a>(
    resolved: &'a Resolved,
    id: ArticleId,
    repository: Option<&crate::repository::Repository>,
) -> BTreeMap<&'a str, Vec<(NoteView<'a>, String)>> {
    let mut map: BTreeMap<&str, Vec<(NoteView, String)>> = BTreeMap::new();
    for heading_note in &resolved.heading_notes[id.index()] {
        let note = heading_note.note;
        let view = NoteView {
            kind: note.kind.as_str(),
            lang: note.lang.get_ref(),
            html: markdown::to_html(note.body.get_ref()),
            by: note.by.as_deref(),
            quote: None,
            versions: Vec::new(),
            source_url: repository.map(|r| r.blob(&note.file, Some(note.line))),
        };
        let plain = markdown::to_plain(note.body.get_ref()).trim().to_owned();
        map.entry(heading_note.heading).or_default().push((view, plain));
    }
    map
}

/// Questions gathered in a section are shown where it ends.
fn close_section<'a>(blocks: &mut Vec<BlockView<'a>>, questions: &mut Vec<NoteView<'a>>) {
    if !questions.is_empty() {
        blocks.push(BlockView {
            kind: "questions",
            questions: std::mem::take(questions),
            ..Default::default()
        });
    }
}

fn notes_by_paragraph<'a>(
    resolved: &'a Resolved,
    id: ArticleId,
    repository: Option<&crate::repository::Repository>,
) -> BTreeMap<u32, Vec<(NoteKind, NoteView<'a>)>> {
    let mut map: BTreeMap<u32, Vec<(NoteKind, NoteView)>> = BTreeMap::new();
    for resolved_note in &resolved.notes[id.index()] {
        let note = resolved_note.note;
        let view = NoteView {
            kind: note.kind.as_str(),
            lang: note.lang.get_ref(),
            html: markdown::to_html(note.body.get_ref()),
            by: note.by.as_deref(),
            quote: note.anchor.get_ref().quote.as_ref().map(|q| q.get_ref().as_str()),
            versions: Vec::new(),
            source_url: repository.map(|r| r.blob(&note.file, Some(note.line))),
        };
        map.entry(resolved_note.place.paragraph)
            .or_default()
            .push((note.kind, view));
    }
    map
}

fn event_markers<'a>(resolved: &'a Resolved, events: &EventsByPlace, place: Place) -> Vec<EventLink<'a>> {
    events.0.get(&place).map_or_else(Vec::new, |list| {
        list.iter().map(|&i| EventLink::new(resolved, i, ROOT)).collect()
    })
}

/// HTML of a block's events with footnote references numbered across the
/// whole article (pulldown-cmark would restart numbering per block).
fn block_html<'a>(events: &[Event<'a>], footnotes: &mut FootnoteNumbers) -> String {
    block_html_with(events, footnotes, |events| events)
}

/// `block_html`, with `mark` applied to the events after the safety rules.
fn block_html_with<'a>(
    events: &[Event<'a>],
    footnotes: &mut FootnoteNumbers,
    mark: impl FnOnce(Vec<Event<'a>>) -> Vec<Event<'a>>,
) -> String {
    let events = mark(markdown::make_safe(events.iter().cloned()))
        .into_iter()
        .map(|event| match event {
            Event::FootnoteReference(label) => {
                let (id, number, nth) = footnotes.reference(&label);
                // The first reference is the one the footnote links back to;
                // each further one gets an id of its own.
                let ref_id = if nth == 1 {
                    format!("fnref-{id}")
                } else {
                    format!("fnref{nth}-{id}")
                };
                Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\">{number}</a></sup>"
                )))
            }
            other => other,
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Footnotes numbered in the order they are first referred to, each with an
/// id of its own: labels are free text, and two labels that differ only in
/// punctuation (`a.b`, `a-b`) would otherwise share one.
#[derive(Default)]
struct FootnoteNumbers {
    /// Labels in order of first reference, with their id and how many
    /// references to them were met.
    order: Vec<(String, String, usize)>,
    ids: std::collections::BTreeSet<String>,
}

impl FootnoteNumbers {
    fn position(&mut self, label: &str) -> usize {
        if let Some(p) = self.order.iter().position(|(l, _, _)| l == label) {
            return p;
        }
        let base = footnote_id(label);
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        self.order.push((label.to_owned(), id, 0));
        self.order.len() - 1
    }

    /// The footnote's id, its number, and which reference to it this is.
    fn reference(&mut self, label: &str) -> (String, usize, usize) {
        let position = self.position(label);
        let entry = &mut self.order[position];
        entry.2 += 1;
        (entry.1.clone(), position + 1, entry.2)
    }

    fn render(&mut self, definitions: &[crate::content::document::FootnoteDefinition<'_>]) -> Vec<Footnote> {
        for definition in definitions {
            self.position(&definition.label);
        }
        let mut notes = Vec::new();
        let order: Vec<(String, String)> = self.order.iter().map(|(l, id, _)| (l.clone(), id.clone())).collect();
        for (i, (label, id)) in order.iter().enumerate() {
            let Some(definition) = definitions.iter().find(|d| &d.label == label) else {
                continue;
            };
            let html = block_html(&definition.events, self);
            notes.push(Footnote {
                id: format!("fn-{id}"),
                reference_id: format!("fnref-{id}"),
                number: i + 1,
                html,
            });
        }
        notes
    }
}

/// Footnote labels are free text; ids are not.
fn footnote_id(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod footnote_tests {
    use super::*;

    #[test]
    fn labels_that_differ_in_punctuation_get_ids_of_their_own() {
        let mut numbers = FootnoteNumbers::default();
        assert_eq!(numbers.reference("a.b"), ("a-b".into(), 1, 1));
        assert_eq!(numbers.reference("a-b"), ("a-b-2".into(), 2, 1));
        assert_eq!(numbers.reference("a.b"), ("a-b".into(), 1, 2));
        assert_eq!(numbers.reference("a b"), ("a-b-3".into(), 3, 1));
    }
}
