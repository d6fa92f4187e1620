//! Render: turns the resolved site into pages in memory. Markdown becomes
//! HTML, glossary terms are marked, templates fill in the layout. The theme,
//! the term automaton and the event index are built once and borrowed by
//! every page; articles render in parallel.

mod axis;
mod cards;
mod cite;
mod context;
mod glossary;
mod links;
mod marks;
mod reader;
mod reading;
mod search;
mod syllabus;
pub mod theme;
mod timeline;
pub mod urls;
mod views;
mod words;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::resolve::{ArticleId, Resolved, TermId};
pub use context::Common;
use theme::Theme;
use urls::Page;

/// One file of the output, path relative to the output folder.
#[derive(Clone)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The default renders the whole site with no base URL and no repository.
#[derive(Default)]
pub struct RenderOptions {
    pub base_url: Option<String>,
    /// Where the site's source lives; without it no page links into it.
    pub repository: Option<crate::repository::Repository>,
    /// Articles (by index) whose own pages, everything under their folder
    /// of the output, are kept from the previous build: `serve` knows that
    /// nothing they show has changed since. They are neither rendered nor
    /// handed to the sink.
    pub kept_articles: BTreeSet<ArticleId>,
}

impl RenderOptions {
    /// Whether article `id`'s own pages are rendered (not kept).
    fn renders(&self, id: ArticleId) -> bool {
        !self.kept_articles.contains(&id)
    }
}

/// What every page borrows, built once per build: the template variables
/// common to all pages, which events sit in which paragraph, and what the
/// pages show of the glossary.
pub struct Shared {
    pub common: Common,
    pub events_by_place: reader::EventsByPlace,
    pub terms: Arc<TermParts>,
}

/// What the pages show of the glossary: each term's definition and card
/// rendered to HTML (a term's card appears on many pages), its handout
/// entry, and the words' lookup data. It depends on the terms, site.toml,
/// the theme and the render options alone, so `serve`'s previews take the last
/// build's (`Rendered::terms`): a preview shows that build's glossary with
/// that theme. At 1000x80 making it again had taken 14–43 ms of a 63–149
/// ms preview.
pub struct TermParts {
    pub definitions: Vec<String>,
    /// Each term as the vocabulary handouts give it.
    pub handout: Vec<reading::HandoutTerm>,
    pub cards: cards::TermCards,
    /// Each word's lookup data, made once for all the articles.
    pub words: words::WordData,
}

impl Shared {
    /// The shared state, and the error of `card.html` if it failed.
    fn new(resolved: &Resolved, theme: &Theme, options: &RenderOptions) -> (Self, Option<Diagnostic>) {
        let common = Shared::common(resolved, theme, options);
        let (terms, card_error) = TermParts::new(resolved, theme, &common);
        (Shared::with_terms(resolved, common, Arc::new(terms)), card_error)
    }

    /// The shared state around `terms`, made before.
    fn with_terms(resolved: &Resolved, common: Common, terms: Arc<TermParts>) -> Shared {
        Shared {
            common,
            events_by_place: reader::EventsByPlace::new(resolved),
            terms,
        }
    }

    /// The template variables every page has, with `options`' base URL and
    /// repository.
    fn common(resolved: &Resolved, theme: &Theme, options: &RenderOptions) -> Common {
        Common::new(
            resolved,
            theme,
            options.base_url.as_deref(),
            options.repository.as_ref(),
        )
    }
}

impl TermParts {
    /// The parts, and the error of `card.html` if it failed.
    fn new(resolved: &Resolved, theme: &Theme, common: &Common) -> (Self, Option<Diagnostic>) {
        let definitions: Vec<String> = resolved
            .terms
            .par_iter()
            .map(|t| {
                t.definition
                    .as_ref()
                    .map_or_else(String::new, |d| crate::markdown::to_html(d.get_ref()))
            })
            .collect();
        let handout: Vec<reading::HandoutTerm> = resolved
            .terms
            .par_iter()
            .map(|t| reading::HandoutTerm::new(t))
            .collect();
        let (cards, card_error) = cards::TermCards::new(resolved, theme, common, &definitions);
        let parts = TermParts {
            definitions,
            handout,
            cards,
            words: words::WordData::default(),
        };
        (parts, card_error)
    }
}

/// `value` as JSON to put in one of the site's data scripts (cards, words,
/// the search index: scripts, not JSON files, so that `file://` loads
/// them). JSON is JavaScript except that older engines end a line at
/// U+2028 and U+2029; `</` is written `<\/` so that the text stays
/// harmless even inside a `<script>` element.
fn script_json(value: &impl Serialize) -> String {
    script_safe(serde_json::to_string(value).expect("the data scripts hold strings, numbers and maps only"))
}

/// JSON made safe to stand in a script, as `script_json` does: one pass
/// over the bytes (the data scripts are most of a large site's output),
/// and no copy when nothing needs changing.
fn script_safe(json: String) -> String {
    let bytes = json.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    // `<` starts `</`; 0xE2 starts the UTF-8 of U+2028 and U+2029.
    for at in memchr::memchr2_iter(b'<', 0xE2, bytes) {
        let (replacement, len) = match &bytes[at..] {
            [b'<', b'/', ..] => ("<\\/", 2),
            [0xE2, 0x80, 0xA8, ..] => ("\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => ("\\u2029", 3),
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(json.len() + 16);
        }
        out.push_str(&json[copied..at]);
        out.push_str(replacement);
        copied = at + len;
    }
    if copied == 0 {
        return json;
    }
    out.push_str(&json[copied..]);
    out
}

/// What a finished render did: how many pages it handed on.
pub struct Rendered {
    pub pages: usize,
    /// What the pages showed of the glossary, for `render_article_folder`.
    pub terms: Arc<TermParts>,
}

/// Why rendering stopped: templates that failed (a site's own template can be
/// wrong), or the sink that takes the pages refused one.
pub enum RenderError<E> {
    Templates(Vec<Diagnostic>),
    Sink(E),
}

/// A page of the whole site, or a reading's timeline: what `render_site`
/// renders beside the articles' pages and the search index.
enum SitePage {
    Glossary,
    Home,
    Timeline,
    NotFound,
    /// An extra page of `content/pages/`, by its index.
    Page(usize),
    ReadingTimeline(ArticleId),
}

/// Renders every page and hands each to `sink` as soon as it is done (from
/// whichever thread rendered it), so no page waits in memory for the others.
pub fn render_site<E: Send>(
    resolved: &Resolved,
    theme: &Theme,
    options: &RenderOptions,
    sink: &(impl Fn(&OutputFile) -> Result<(), E> + Sync),
) -> Result<Rendered, RenderError<E>> {
    let (shared, card_error) = Shared::new(resolved, theme, options);
    let common = &shared.common;
    let rendered_ids = || {
        (0..resolved.articles.len())
            .into_par_iter()
            .map(ArticleId)
            .filter(|&id| options.renders(id))
    };
    let render_articles = || -> Vec<Result<(), RenderError<E>>> {
        // Every article's word data first, then their pages: cutting the
        // text into words walks the dictionary's trie (2 MB) from every
        // character, and back to back the walks find more of it in the
        // cache (at 1000x80, interleaved with the pages, the walks had a
        // third more samples in perf: 864 against 624 at 1 kHz).
        let words_written = rendered_ids().map(|i| write_article_words(resolved, &shared, i, sink));
        let words_written: Vec<Result<(), RenderError<E>>> = words_written.collect();
        // A refused file (a full disk, a superseded build) ends the render.
        if words_written.iter().any(Result::is_err) {
            return words_written;
        }
        let pages = rendered_ids()
            // Each worker renders every page into the same buffer: a fresh one
            // per page would be grown (copied) and faulted in page after page.
            .map_init(Vec::new, |buffer, i| {
                render_article(resolved, theme, &shared, i, buffer, sink)
            });
        words_written.into_iter().chain(pages.collect::<Vec<_>>()).collect()
    };
    // The pages of the whole site need only what resolve found, not the
    // articles' pages: they render beside them, and beside the search
    // index (the glossary page alone is megabytes on a large site). Each is
    // a task of its own, taken by whichever worker is free: one after
    // another they had kept one core busy for a third of the included
    // site's render while the other sat idle after the search index.
    let render_others = || {
        let pages = (0..resolved.site.pages.len()).map(SitePage::Page);
        let timelines = resolved
            .article_ids()
            .filter(|&id| options.renders(id))
            .map(SitePage::ReadingTimeline);
        [
            SitePage::Glossary,
            SitePage::Home,
            SitePage::Timeline,
            SitePage::NotFound,
        ]
        .into_iter()
        .chain(pages)
        .chain(timelines)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|other| match other {
            SitePage::Glossary => glossary::render(resolved, theme, &shared, glossary::prepare(resolved, &shared)),
            SitePage::Home => render_home(resolved, theme, common),
            SitePage::Timeline => timeline::render(resolved, theme, common),
            SitePage::NotFound => render_not_found(theme, common),
            SitePage::Page(index) => render_extra_page(resolved, theme, common, &resolved.site.pages[index]),
            SitePage::ReadingTimeline(id) => reading::timeline(resolved, theme, common, id),
        })
        .collect::<Vec<_>>()
    };
    let render_search = || search::render(resolved, theme, common, sink);
    let (articles, (search_page, others)) = rayon::join(render_articles, || rayon::join(render_search, render_others));
    let search_page = search_page.map_err(RenderError::Sink)?;
    let mut errors: Vec<Diagnostic> = card_error.into_iter().collect();
    for article in articles {
        match article {
            Ok(()) => {}
            Err(RenderError::Templates(mut found)) => errors.append(&mut found),
            Err(sink_error) => return Err(sink_error),
        }
    }
    let mut pages: Vec<PathBuf> = resolved
        .articles
        .iter()
        .flat_map(|a| [Page::Article(&a.slug), Page::Vocabulary(&a.slug)])
        .map(|page| page.output_path())
        .collect();
    // A kept article's timeline is not among the pages rendered below.
    pages.extend(
        options
            .kept_articles
            .iter()
            .map(|&i| Page::ReadingTimeline(&resolved.articles[i].slug).output_path()),
    );
    for page in std::iter::once(search_page).chain(others) {
        match page {
            Ok(file) => {
                pages.push(file.path.clone());
                sink(&file).map_err(RenderError::Sink)?;
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(RenderError::Templates(errors));
    }
    if let Some(sitemap) = render_sitemap(resolved, theme, common, &pages) {
        sink(&sitemap.map_err(|d| RenderError::Templates(vec![d]))?).map_err(RenderError::Sink)?;
    }
    for file in shared.terms.cards.output(&resolved.terms) {
        sink(&file).map_err(RenderError::Sink)?;
    }
    sink(&OutputFile {
        path: PathBuf::from(".nojekyll"),
        bytes: Vec::new(),
    })
    .map_err(RenderError::Sink)?;
    for (path, bytes) in &theme.static_files {
        // The proposing tools are written only where the pages load them.
        if theme::is_propose_file(path) && options.repository.is_none() {
            continue;
        }
        sink(&OutputFile {
            path: PathBuf::from("static").join(path),
            bytes: bytes.clone(),
        })
        .map_err(RenderError::Sink)?;
    }
    Ok(Rendered {
        pages: pages.len(),
        terms: shared.terms,
    })
}

/// Article `i`'s word data (`words.js`), when the dictionary is on.
fn write_article_words<E>(
    resolved: &Resolved,
    shared: &Shared,
    i: ArticleId,
    sink: &impl Fn(&OutputFile) -> Result<(), E>,
) -> Result<(), RenderError<E>> {
    match words::article_data(resolved, &shared.terms.words, i) {
        Some(data) => sink(&data).map_err(RenderError::Sink),
        None => Ok(()),
    }
}

/// One article's pages under its folder of the output, but for the word
/// data and the reading timeline: the reader page and its vocabulary.
/// `buffer` is reused from page to page.
fn render_article<E>(
    resolved: &Resolved,
    theme: &Theme,
    shared: &Shared,
    i: ArticleId,
    buffer: &mut Vec<u8>,
    sink: &impl Fn(&OutputFile) -> Result<(), E>,
) -> Result<(), RenderError<E>> {
    buffer.clear();
    reader::render(resolved, theme, shared, i, buffer).map_err(|d| RenderError::Templates(vec![d]))?;
    let file = OutputFile {
        path: Page::Article(&resolved.articles[i].slug).output_path(),
        bytes: std::mem::take(buffer),
    };
    let written = sink(&file).map_err(RenderError::Sink);
    *buffer = file.bytes;
    written?;
    let vocabulary = reading::render(resolved, theme, shared, i);
    for file in vocabulary {
        let file = file.map_err(|d| RenderError::Templates(vec![d]))?;
        sink(&file).map_err(RenderError::Sink)?;
    }
    Ok(())
}

/// Renders the pages under one article's folder of the output, and nothing
/// of the rest of the site: `serve` shows a saved article with these while
/// the whole site is rebuilt. They are the same bytes `render_site` writes
/// for that article, as long as the article's pages show nothing of the
/// other articles beyond their metadata, and `terms` is what a build of
/// the same glossary, theme and options made.
pub fn render_article_folder<E>(
    resolved: &Resolved,
    theme: &Theme,
    options: &RenderOptions,
    terms: &Arc<TermParts>,
    article: ArticleId,
    sink: &impl Fn(&OutputFile) -> Result<(), E>,
) -> Result<(), RenderError<E>> {
    let common = Shared::common(resolved, theme, options);
    let shared = Shared::with_terms(resolved, common, Arc::clone(terms));
    write_article_words(resolved, &shared, article, sink)?;
    render_article(resolved, theme, &shared, article, &mut Vec::new(), sink)?;
    let timeline =
        reading::timeline(resolved, theme, &shared.common, article).map_err(|d| RenderError::Templates(vec![d]))?;
    sink(&timeline).map_err(RenderError::Sink)
}

/// An article on the home page: its view and short plain-text abstracts.
#[derive(Serialize)]
struct HomeArticle<'a> {
    #[serde(flatten)]
    article: views::ArticleView<'a>,
    abstract_excerpt: String,
    abstract_en_excerpt: String,
}

fn render_home(resolved: &Resolved, theme: &Theme, common: &Common) -> Result<OutputFile, Diagnostic> {
    let occurrences: Vec<Vec<(TermId, u32)>> = resolved.term_uses.iter().map(|u| u.by_paragraph()).collect();
    let abstract_terms: Vec<Vec<TermId>> = resolved.term_uses.iter().map(|u| u.abstract_terms()).collect();
    let term_use: Vec<syllabus::TermUse> = occurrences
        .iter()
        .zip(&abstract_terms)
        .map(|(occurrences, abstract_terms)| syllabus::TermUse {
            occurrences,
            abstract_terms,
        })
        .collect();
    let articles: Vec<HomeArticle> = resolved
        .articles
        .iter()
        .map(|a| HomeArticle {
            article: views::ArticleView::new(a),
            abstract_excerpt: excerpt(a.meta.abstract_zh.as_ref().map(|s| s.get_ref().as_str()), 120),
            abstract_en_excerpt: excerpt(a.meta.abstract_en.as_ref().map(|s| s.get_ref().as_str()), 300),
        })
        .collect();
    let mut context = common.context(&Page::Home, &resolved.site.config.title);
    context.insert("articles", &articles);
    context.insert("term_count", &resolved.terms.len());
    context.insert("event_count", &resolved.events.len());
    let (units, outside) = syllabus::units(resolved, &term_use);
    context.insert("units", &units);
    context.insert("outside_units", &outside);
    context.insert(
        "chars_per_minute",
        resolved.site.config.syllabus.chars_per_minute.get_ref(),
    );
    context::render_page(theme, "home.html", &context, &Page::Home)
}

/// `page` on an extra page.
#[derive(Serialize)]
struct PageView<'a> {
    slug: &'a str,
    title: &'a str,
    html: String,
}

fn render_extra_page(
    resolved: &Resolved,
    theme: &Theme,
    common: &Common,
    page: &crate::content::Page,
) -> Result<OutputFile, Diagnostic> {
    let at = Page::Extra(&page.slug);
    let mut context = common.context(&at, &page.title);
    context.insert(
        "page",
        &PageView {
            slug: &page.slug,
            title: &page.title,
            html: crate::markdown::to_html(&page.body),
        },
    );
    context.insert("readings", &readings(resolved));
    context::render_page(theme, "page.html", &context, &at)
}

/// Every reading as the pages that say who made the site (the About page)
/// list it: titles, address and trust fields.
fn readings<'a>(resolved: &'a Resolved) -> Vec<views::ArticleView<'a>> {
    resolved.articles.iter().map(|a| views::ArticleView::new(a)).collect()
}

fn render_not_found(theme: &Theme, common: &Common) -> Result<OutputFile, Diagnostic> {
    // A host serves 404.html at any depth, where relative links would break:
    // with a base URL, links are absolute.
    let mut context = common.context(&Page::NotFound, "404");
    if let Some(base) = &common.base_url {
        context.insert("root", &format!("{base}/"));
    }
    context::render_page(theme, "404.html", &context, &Page::NotFound)
}

fn render_sitemap(
    resolved: &Resolved,
    theme: &Theme,
    common: &Common,
    pages: &[PathBuf],
) -> Option<Result<OutputFile, Diagnostic>> {
    let base = common.base_url.as_ref()?;
    let mut urls: Vec<String> = pages
        .iter()
        .filter(|path| path.file_name().is_some_and(|n| n == "index.html"))
        .map(|path| {
            let dir = path
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if dir.is_empty() {
                format!("{base}/")
            } else {
                format!("{base}/{dir}/")
            }
        })
        .collect();
    urls.sort();
    let mut context = common.context(&Page::Sitemap, &resolved.site.config.title);
    context.insert("urls", &urls);
    Some(context::render_page(theme, "sitemap.xml", &context, &Page::Sitemap))
}

/// The first `limit` characters of a Markdown field's text.
fn excerpt(markdown: Option<&str>, limit: usize) -> String {
    let text = crate::markdown::to_plain(markdown.unwrap_or(""));
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(limit).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod script_tests {
    #[test]
    fn data_scripts_cannot_end_a_line_or_a_script_element_early() {
        let json = super::script_json(&["a\u{2028}b\u{2029}c</script>"]);
        assert_eq!(json, r#"["a\u2028b\u2029c<\/script>"]"#);
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["a\u{2028}b\u{2029}c</script>"], "still the same JSON");
    }
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn script_data_never_closes_a_script_nor_ends_a_line() {
        assert_eq!(script_safe("\"</script>\"".into()), "\"<\\/script>\"");
        assert_eq!(script_safe("</</".into()), "<\\/<\\/");
        assert_eq!(script_safe("a\u{2028}b\u{2029}".into()), "a\\u2028b\\u2029");
        // Other characters that start with the same bytes stay as they are.
        assert_eq!(script_safe("“台湾”—<b>".into()), "“台湾”—<b>");
        assert_eq!(script_safe(String::new()), "");
    }
}
