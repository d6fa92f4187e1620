//! The timeline: `content/timeline.toml` and/or `content/timeline/*.toml`,
//! each holding `[[event]]` and `[[era]]` entries.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::anchor::Anchor;
use super::source::LoadContext;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Spanned<String>,
    /// "1978", "1978-12" or "1978-12-16": checked and parsed by `resolve`.
    pub date: Spanned<String>,
    pub end: Option<Spanned<String>>,
    /// The date the article itself gives, where the record (`date`) differs:
    /// shown beside the date as "the article: 1977".
    pub text_date: Option<Spanned<String>>,
    /// A more precise date that only places the event in the timeline's
    /// order (an event shown as "2018" sorts as "2018-09"); never shown.
    pub sort: Option<Spanned<String>>,
    pub title: String,
    pub title_en: Option<String>,
    pub description: Option<Spanned<String>>,
    #[serde(default)]
    pub terms: Vec<Spanned<String>>,
    #[serde(default)]
    pub anchors: Vec<Spanned<Anchor>>,
    /// Anything the site's own templates want; passed to them untouched.
    #[serde(default)]
    pub extra: toml::Table,
    #[serde(skip)]
    pub file: PathBuf,
    #[serde(skip)]
    pub span: Range<usize>,
    /// The line of `file` the entry starts on.
    #[serde(skip)]
    pub line: usize,
}

/// A period of the timeline (the article's own periods, say), drawn as a
/// band behind the events on the time axis.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub title: String,
    pub title_en: Option<String>,
    /// "1979", "1979-01" or "1979-01-01", as for an event.
    pub date: Spanned<String>,
    pub end: Spanned<String>,
    #[serde(skip)]
    pub file: PathBuf,
}

/// The timeline's events and eras, in file order.
pub fn load(ctx: &mut LoadContext) -> (Vec<Event>, Vec<Era>) {
    let mut events = Vec::new();
    let mut eras = Vec::new();
    for file in super::source_files(ctx, "timeline") {
        let Some(text) = ctx.read(&file) else {
            continue;
        };
        let Some(mut arrays) = ctx.entry_arrays(&file, &text, &["event", "era"]) else {
            continue;
        };
        let lines = super::LineStarts::new(&text);
        let items = arrays.remove("event").unwrap_or_default();
        for (mut event, span) in ctx.deserialize_items::<Event>(&file, items, "event") {
            event.file = file.clone();
            event.line = lines.line(span.start);
            event.span = span;
            if let Some(description) = &event.description {
                super::check_markdown(ctx, &file, &text, description.span());
            }
            events.push(event);
        }
        let items = arrays.remove("era").unwrap_or_default();
        for (mut era, _) in ctx.deserialize_items::<Era>(&file, items, "era") {
            era.file = file.clone();
            eras.push(era);
        }
    }
    (events, eras)
}
