//! The timeline: `content/timeline.toml` and/or `content/timeline/*.toml`,
//! each holding `[[event]]` and `[[era]]` entries.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

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
        let written = written_dates(&items, EVENT_DATE_KEYS);
        let loaded = ctx.deserialize_items::<Event>(&file, items, "event");
        keep_unloaded_dates(ctx, &file, written, loaded.iter().map(|(_, span)| span));
        for (mut event, span) in loaded {
            event.file = file.clone();
            event.line = lines.line(span.start);
            event.span = span;
            if let Some(description) = &event.description {
                super::check_markdown(ctx, &file, &text, description.span());
            }
            events.push(event);
        }
        let items = arrays.remove("era").unwrap_or_default();
        let written = written_dates(&items, ERA_DATE_KEYS);
        let loaded = ctx.deserialize_items::<Era>(&file, items, "era");
        keep_unloaded_dates(ctx, &file, written, loaded.iter().map(|(_, span)| span));
        for (mut era, _) in loaded {
            era.file = file.clone();
            eras.push(era);
        }
    }
    (events, eras)
}

/// The keys of an `[[event]]` or an `[[era]]` that hold a date.
const EVENT_DATE_KEYS: &[&str] = &["date", "end", "text_date", "sort"];
const ERA_DATE_KEYS: &[&str] = &["date", "end"];

/// Each entry's span with the dates written in it, as written (a date that
/// is not a string is the deserializer's to report).
fn written_dates(items: &[Spanned<DeValue<'_>>], keys: &[&str]) -> Vec<(Range<usize>, Vec<Spanned<String>>)> {
    items
        .iter()
        .map(|item| {
            let dates = keys
                .iter()
                .filter_map(|key| item.get_ref().get(*key))
                .filter_map(|value| Some(Spanned::new(value.span(), value.get_ref().as_str()?.to_owned())))
                .collect();
            (item.span(), dates)
        })
        .collect()
}

/// Hands the dates of the entries that did not load (those whose span is
/// not among `loaded`) on to `resolve`, through `Unloaded::dates`.
fn keep_unloaded_dates<'a>(
    ctx: &mut LoadContext,
    file: &std::path::Path,
    written: Vec<(Range<usize>, Vec<Spanned<String>>)>,
    loaded: impl Iterator<Item = &'a Range<usize>>,
) {
    let loaded: std::collections::BTreeSet<usize> = loaded.map(|span| span.start).collect();
    for (span, dates) in written {
        if !loaded.contains(&span.start) {
            ctx.unloaded
                .dates
                .extend(dates.into_iter().map(|date| (file.to_path_buf(), date)));
        }
    }
}
