//! The timeline page: a time axis of every event (see axis.rs), then the
//! events in date order, each date only as precise as written, spans as
//! spans, with links into the text and to the glossary.

use serde::Serialize;

use super::OutputFile;
use super::axis::{Layout, Placed, axis};
use super::context::{Common, render_page};
use super::theme::Theme;
use super::urls::{self, Page};
use super::views::EventView;
use crate::diagnostics::Diagnostic;
use crate::resolve::Resolved;

const ROOT: &str = "../";

/// An event on the timeline: its view, the places it is anchored in and
/// its source file.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    event: EventView<'a>,
    places: Vec<PlaceLink<'a>>,
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
    let events: Vec<Entry> = resolved
        .events
        .iter()
        .map(|e| Entry {
            event: EventView::new(resolved, e, ROOT),
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
            source_url: common
                .repository
                .as_ref()
                .map(|r| r.blob(&e.event.file, Some(e.event.line))),
        })
        .collect();
    let placed: Vec<Placed> = resolved
        .events
        .iter()
        .map(|event| Placed {
            event,
            href: format!("#{}", urls::event_anchor(event.event.id.get_ref())),
        })
        .collect();
    let mut context = common.context(&Page::Timeline, "年表 Timeline");
    context.insert("events", &events);
    context.insert("axis", &axis(&resolved.events, &resolved.eras, &placed, Layout::Lanes));
    render_page(theme, "timeline.html", &context, &Page::Timeline)
}
