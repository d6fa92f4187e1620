//! The timeline page: events in date order, each date only as precise as
//! written, spans as spans, with links into the text and to the glossary.

use serde::Serialize;

use super::OutputFile;
use super::context::{Common, render_page};
use super::links::TermLink;
use super::theme::Theme;
use super::urls::{self, Page};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::resolve::Resolved;

const ROOT: &str = "../";

#[derive(Serialize)]
struct EventView<'a> {
    id: &'a str,
    /// The element id on the timeline page (`event-<id>`: ids must begin with a letter).
    anchor: String,
    date: String,
    date_zh: String,
    datetime: String,
    end: Option<String>,
    end_zh: Option<String>,
    end_datetime: Option<String>,
    /// The article's own date, where it differs from the record.
    text_date: Option<String>,
    text_date_zh: Option<String>,
    text_datetime: Option<String>,
    title: &'a str,
    title_en: Option<&'a str>,
    description_html: Option<String>,
    terms: Vec<TermLink<'a>>,
    places: Vec<PlaceLink<'a>>,
    extra: &'a toml::Table,
    /// The event in the repository (only with a repository).
    source_url: Option<String>,
}

#[derive(Serialize)]
struct PlaceLink<'a> {
    article_title: &'a str,
    number: u32,
    url: String,
}

pub fn render(resolved: &Resolved, theme: &Theme, common: &Common) -> Result<OutputFile, Diagnostic> {
    let events: Vec<EventView> = resolved
        .events
        .iter()
        .map(|e| EventView {
            id: e.event.id.get_ref(),
            anchor: urls::event_anchor(e.event.id.get_ref()),
            date: e.date.english(),
            date_zh: e.date.chinese(),
            datetime: e.date.datetime(),
            end: e.end.map(|d| d.english()),
            end_zh: e.end.map(|d| d.chinese()),
            end_datetime: e.end.map(|d| d.datetime()),
            text_date: e.text_date.map(|d| d.english()),
            text_date_zh: e.text_date.map(|d| d.chinese()),
            text_datetime: e.text_date.map(|d| d.datetime()),
            title: &e.event.title,
            title_en: e.event.title_en.as_deref(),
            description_html: e.event.description.as_ref().map(|d| markdown::to_html(d.get_ref())),
            terms: e.terms.iter().map(|&t| TermLink::new(resolved, t, ROOT)).collect(),
            places: e
                .places
                .iter()
                .map(|p| {
                    let article = resolved.articles[p.article];
                    PlaceLink {
                        article_title: &article.meta.title,
                        number: p.paragraph,
                        url: urls::paragraph_url(ROOT, &article.slug, p.paragraph),
                    }
                })
                .collect(),
            extra: &e.event.extra,
            source_url: common
                .repository
                .as_ref()
                .map(|r| r.blob(&e.event.file, Some(e.event.line))),
        })
        .collect();
    let mut context = common.context(&Page::Timeline, "年表 Timeline");
    context.insert("events", &events);
    render_page(theme, "timeline.html", &context, &Page::Timeline)
}
