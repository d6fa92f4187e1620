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
        let written_events = written(&items, &EVENT_KEYS);
        let loaded = ctx.deserialize_items::<Event>(&file, items, "event");
        check_unloaded(ctx, (&file, &text), written_events, loaded.iter().map(|(_, span)| span));
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
        let written_eras = written(&items, &ERA_KEYS);
        let loaded = ctx.deserialize_items::<Era>(&file, items, "era");
        check_unloaded(ctx, (&file, &text), written_eras, loaded.iter().map(|(_, span)| span));
        for (mut era, _) in loaded {
            era.file = file.clone();
            eras.push(era);
        }
    }
    (events, eras)
}

/// The keys of an `[[event]]` or an `[[era]]` that hold a date, and those
/// that hold Markdown.
const EVENT_KEYS: WrittenKeys = WrittenKeys {
    dates: &["date", "end", "text_date", "sort"],
    markdown: &["description"],
};
const ERA_KEYS: WrittenKeys = WrittenKeys {
    dates: &["date", "end"],
    markdown: &[],
};

struct WrittenKeys {
    dates: &'static [&'static str],
    markdown: &'static [&'static str],
}

/// What an entry holds as written, for the checks an entry that does not
/// load still gets: its span, its dates and the spans of its Markdown (a
/// value that is not a string is the deserializer's to report).
struct Written {
    span: Range<usize>,
    dates: Vec<Spanned<String>>,
    markdown: Vec<Range<usize>>,
}

fn written(items: &[Spanned<DeValue<'_>>], keys: &WrittenKeys) -> Vec<Written> {
    items
        .iter()
        .map(|item| Written {
            span: item.span(),
            dates: strings(item, keys.dates)
                .map(|(span, date)| Spanned::new(span, date.to_owned()))
                .collect(),
            markdown: strings(item, keys.markdown).map(|(span, _)| span).collect(),
        })
        .collect()
}

/// The values of `names` in `item` that are strings, with their spans.
fn strings<'i>(
    item: &'i Spanned<DeValue<'_>>,
    names: &'i [&str],
) -> impl Iterator<Item = (Range<usize>, &'i str)> + 'i {
    names
        .iter()
        .filter_map(|key| item.get_ref().get(*key))
        .filter_map(|value| Some((value.span(), value.get_ref().as_str()?)))
}

/// Checks the entries that did not load (those whose span is not among
/// `loaded`) as far as they can be: their Markdown here, their dates in
/// `resolve`, handed on through `Unloaded::dates`.
fn check_unloaded<'a>(
    ctx: &mut LoadContext,
    (file, text): (&std::path::Path, &str),
    written: Vec<Written>,
    loaded: impl Iterator<Item = &'a Range<usize>>,
) {
    let loaded: std::collections::BTreeSet<usize> = loaded.map(|span| span.start).collect();
    for entry in written {
        if loaded.contains(&entry.span.start) {
            continue;
        }
        for span in entry.markdown {
            super::check_markdown(ctx, file, text, span);
        }
        ctx.unloaded
            .dates
            .extend(entry.dates.into_iter().map(|date| (file.to_path_buf(), date)));
    }
}
