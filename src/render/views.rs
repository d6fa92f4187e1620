//! One view per entity: what every template sees of a term and of an
//! article, built in one place and serialised the same way by the card, the
//! glossary and the reader. A page that shows more of an entity wraps its
//! view (`#[serde(flatten)]`) rather than copying its fields. `extra` passes
//! a content file's `[extra]` table through untouched.
//!
//! docs/templates.md lists these fields; a test below holds the two together.

use serde::Serialize;

use super::links::TermLink;
use super::urls;
use crate::content::article::ArticleMeta;
use crate::content::{Article, Term};
use crate::markdown;
use crate::resolve::{Resolved, ResolvedEvent};

/// A term, as its card and its glossary entry show it.
#[derive(Serialize, Clone)]
pub struct TermView<'a> {
    pub id: &'a str,
    /// The element id of its glossary entry (`term-<id>`).
    pub anchor: String,
    pub zh: &'a str,
    pub aliases: Vec<&'a str>,
    pub pinyin: Option<&'a str>,
    pub en: Option<&'a str>,
    pub category: &'a str,
    pub definition_html: &'a str,
    /// Its glossary entry, from a page one folder down.
    pub url: String,
    pub extra: &'a toml::Table,
}

impl<'a> TermView<'a> {
    /// `definition_html` is the term's definition already rendered (once
    /// per build), `root` the way from the page to the site root.
    pub fn new(term: &'a Term, definition_html: &'a str, root: &str) -> Self {
        let id = term.id.get_ref().as_str();
        TermView {
            id,
            anchor: urls::term_anchor(id),
            zh: term.zh.get_ref(),
            aliases: term.aliases.iter().map(|a| a.get_ref().as_str()).collect(),
            pinyin: term.pinyin.as_ref().map(|p| p.get_ref().as_str()),
            en: term.en.as_deref(),
            category: term.category_name(),
            definition_html,
            url: urls::term_url(root, id),
            extra: &term.extra,
        }
    }
}

/// An article's metadata, as the home page and its reader page show it.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub slug: &'a str,
    /// Its reader page, from the site root.
    pub url: String,
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub author: Option<&'a str>,
    pub author_en: Option<&'a str>,
    pub author_note: Option<&'a str>,
    pub editor: Option<&'a str>,
    pub source: Option<&'a str>,
    pub year: Option<i64>,
    /// Who edited and translated it, and its rights statement.
    #[serde(flatten)]
    pub trust: Trust<'a>,
    pub extra: &'a toml::Table,
}

/// An article's credits and rights, from its article.toml (site.toml's are
/// `site.editors`, … in every template).
#[derive(Serialize)]
pub struct Trust<'a> {
    pub editors: &'a [String],
    pub translators: &'a [String],
    pub rights: Option<&'a str>,
    pub rights_url: Option<&'a str>,
}

impl<'a> Trust<'a> {
    pub fn new(meta: &'a ArticleMeta) -> Self {
        Trust {
            editors: &meta.editors,
            translators: &meta.translators,
            rights: meta.rights.as_deref(),
            rights_url: meta.rights_url.as_ref().map(|u| u.get_ref().as_str()),
        }
    }
}

impl<'a> ArticleView<'a> {
    pub fn new(article: &'a Article) -> Self {
        let meta = &article.meta;
        ArticleView {
            slug: &article.slug,
            url: urls::Page::Article(&article.slug).url_from(""),
            title: &meta.title,
            title_en: meta.title_en.as_deref(),
            author: meta.author.as_deref(),
            author_en: meta.author_en.as_deref(),
            author_note: meta.author_note.as_deref(),
            editor: meta.editor.as_deref(),
            source: meta.source.as_deref(),
            year: meta.year,
            trust: Trust::new(meta),
            extra: &meta.extra,
        }
    }
}

/// A timeline event, as the timeline and a reading's own timeline show it:
/// each date only as precise as written, and the article's own date where
/// it differs from the record.
#[derive(Serialize)]
pub struct EventView<'a> {
    pub id: &'a str,
    /// The element id on the timeline page (`event-<id>`).
    pub anchor: String,
    /// Its entry on the timeline, from a page one folder down.
    pub url: String,
    pub date: String,
    pub date_zh: String,
    /// For `<time datetime>`; empty for a date before the common era.
    pub datetime: String,
    pub end: Option<String>,
    pub end_zh: Option<String>,
    pub end_datetime: Option<String>,
    pub text_date: Option<String>,
    pub text_date_zh: Option<String>,
    pub text_datetime: Option<String>,
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub description_html: Option<String>,
    pub terms: Vec<TermLink<'a>>,
    pub extra: &'a toml::Table,
}

impl<'a> EventView<'a> {
    pub fn new(resolved: &'a Resolved, e: &'a ResolvedEvent, root: &str) -> Self {
        let id = e.event.id.get_ref().as_str();
        EventView {
            id,
            anchor: urls::event_anchor(id),
            url: urls::event_url(root, id),
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
            terms: e.terms.iter().map(|&t| TermLink::new(resolved, t, root)).collect(),
            extra: &e.event.extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::content::Outline;

    /// The field list docs/templates.md gives after `<!-- view: NAME -->`.
    fn documented(view: &str) -> BTreeSet<String> {
        let docs = include_str!("../../docs/templates.md");
        let marker = format!("<!-- view: {view} -->");
        let after = &docs[docs
            .find(&marker)
            .unwrap_or_else(|| panic!("docs/templates.md has no {marker}"))..];
        let list = &after[after.find('{').unwrap() + 1..after.find('}').unwrap()];
        list.split(',')
            .map(|field| field.split_whitespace().next().unwrap_or_default().to_owned())
            .collect()
    }

    fn fields(value: impl Serialize) -> BTreeSet<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("a view serialises to an object, not {other}"),
        }
    }

    #[test]
    fn the_term_view_is_what_the_docs_say() {
        let term: Term = toml::from_str("id = \"tra\"\nzh = \"与台湾关系法\"\n[extra]\nlevel = \"HSK 6\"\n").unwrap();
        let view = TermView::new(&term, "<p>A law.</p>", "../");
        assert_eq!(view.url, "../glossary/index.html#term-tra");
        assert_eq!(view.extra["level"].as_str(), Some("HSK 6"), "extra passes through");
        assert_eq!(fields(view), documented("TermView"));
    }

    #[test]
    fn the_reading_view_is_what_the_docs_say() {
        let article = Article {
            slug: "essay".into(),
            meta: ArticleMeta::default(),
            outline: Outline::default(),
            text_file: None,
            notes: Vec::new(),
        };
        for page in [ReadingPage::Reader, ReadingPage::Vocabulary, ReadingPage::Timeline] {
            assert_eq!(fields(ReadingLinks::new(&article, page)), documented("ReadingLinks"));
        }
    }

    #[test]
    fn the_article_view_is_what_the_docs_say() {
        let article = Article {
            slug: "essay".into(),
            meta: ArticleMeta::default(),
            outline: Outline::default(),
            text_file: None,
            notes: Vec::new(),
        };
        assert_eq!(fields(ArticleView::new(&article)), documented("ArticleView"));
    }

    #[test]
    fn the_event_view_is_what_the_docs_say() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok-clean");
        let loaded = crate::content::load(&root);
        let options = crate::resolve::Options::whole(false);
        let (resolved, _) = crate::resolve::resolve(&loaded.site, &loaded.sources, &options);
        let event = resolved.events.first().expect("the fixture has events");
        let view = EventView::new(&resolved, event, "../");
        assert!(view.url.starts_with("../timeline/index.html#event-"));
        assert_eq!(fields(view), documented("EventView"));
    }
}

/// Which of a reading's own pages a `ReadingLinks` is written for.
#[derive(Clone, Copy)]
pub enum ReadingPage {
    Reader,
    Vocabulary,
    Timeline,
}

/// A reading as its own pages name it (`reading` on the reader, its
/// vocabulary and its timeline): its titles, and the ways between those
/// pages, relative to the page.
#[derive(Serialize)]
pub struct ReadingLinks<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub author: Option<&'a str>,
    pub paragraphs: u32,
    pub url: &'static str,
    pub vocabulary_url: &'static str,
    pub timeline_url: &'static str,
}

impl<'a> ReadingLinks<'a> {
    pub fn new(article: &'a Article, from: ReadingPage) -> Self {
        let (url, vocabulary_url, timeline_url) = match from {
            ReadingPage::Reader => ("index.html", "vocabulary/index.html", "timeline/index.html"),
            ReadingPage::Vocabulary => ("../index.html", "index.html", "../timeline/index.html"),
            ReadingPage::Timeline => ("../index.html", "../vocabulary/index.html", "index.html"),
        };
        ReadingLinks {
            slug: &article.slug,
            title: &article.meta.title,
            title_en: article.meta.title_en.as_deref(),
            author: article.meta.author.as_deref(),
            paragraphs: article.outline.paragraph_count(),
            url,
            vocabulary_url,
            timeline_url,
        }
    }
}
