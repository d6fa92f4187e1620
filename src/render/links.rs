//! The small views of a term or an event that other pages link to: a card's
//! "see also", a paragraph's timeline marker, an event's terms. One shape
//! each, so every page links to an entry the same way.

use serde::Serialize;

use super::urls;
use crate::resolve::{EventId, Resolved, TermId};

/// A link to a glossary entry.
#[derive(Serialize)]
pub struct TermLink<'a> {
    pub id: &'a str,
    pub zh: &'a str,
    pub en: Option<&'a str>,
    pub url: String,
}

impl<'a> TermLink<'a> {
    /// `root` leads from the linking page to the site root.
    pub fn new(resolved: &'a Resolved, term: TermId, root: &str) -> Self {
        let term = resolved.terms[term];
        let id = term.id.get_ref();
        TermLink {
            id,
            zh: term.zh.get_ref(),
            en: term.en.as_deref(),
            url: urls::term_url(root, id),
        }
    }
}

/// A link to a timeline event, with its date as precise as written.
#[derive(Serialize)]
pub struct EventLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub date: String,
    pub date_zh: String,
    /// The article's own date, where it differs from the record.
    pub text_date: Option<String>,
    pub text_date_zh: Option<String>,
    pub url: String,
}

impl<'a> EventLink<'a> {
    pub fn new(resolved: &'a Resolved, event: EventId, root: &str) -> Self {
        let e = &resolved.events[event];
        let id = e.event.id.get_ref();
        EventLink {
            id,
            title: &e.event.title,
            title_en: e.event.title_en.as_deref(),
            date: e.date.english(),
            date_zh: e.date.chinese(),
            text_date: e.text_date.map(|d| d.english()),
            text_date_zh: e.text_date.map(|d| d.chinese()),
            url: urls::event_url(root, id),
        }
    }
}
