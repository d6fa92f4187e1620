//! Preview: shows a saved article at once, before the whole site is
//! rebuilt. From what the last good build loaded (`Warm`), it reloads only
//! the saved articles, resolves them among the other articles' metadata,
//! renders their folders of the output and replaces those files in place.
//! The full rebuild that follows writes the same bytes for those folders
//! (tests/incremental.rs compares them), and everything else the save
//! changed: the glossary, the search index, the home page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::{self, Article, Outline, Site};
use crate::diagnostics::{Diagnostic, Sources};
use crate::render::{self, theme::Theme};
use crate::{output, resolve};

/// What the last good build loaded, kept by `serve` for previews.
pub struct Warm {
    pub(super) site: Site,
    pub(super) theme: Theme,
    pub(super) render_options: render::RenderOptions,
    /// What its pages showed of the glossary (the preview's glossary is
    /// the same).
    pub(super) terms: Arc<render::TermParts>,
    /// The matcher its glossary made.
    pub(super) matcher: Arc<resolve::terms::TermMatcher>,
    pub(super) output_dir: PathBuf,
    pub(super) drafts: bool,
}

/// The articles a preview showed, by slug, and how many files it replaced.
#[derive(Debug)]
pub struct Previewed {
    pub articles: Vec<String>,
    pub files: usize,
}

/// Shows the articles `changed` (paths relative to the root, saved since
/// `warm`'s build) was in, when every saved file is an article's text,
/// notes or other file of its folder. `None` when it cannot: a file
/// elsewhere was saved, or the saved article has a mistake (the full
/// rebuild reports it). Nothing is written then.
pub fn preview(warm: &Warm, root: &Path, changed: &BTreeSet<PathBuf>) -> Option<Previewed> {
    let slugs = saved_articles(&warm.site, changed)?;
    let mut fresh = BTreeMap::new();
    for slug in &slugs {
        let (article, found) = content::load_article(root, slug);
        if found.iter().any(Diagnostic::is_error) {
            return None;
        }
        fresh.insert(slug.clone(), article?);
    }
    let site = site_around(&warm.site, fresh);
    let options = resolve::Options {
        drafts: warm.drafts,
        preview_of: Some(Arc::clone(&warm.matcher)),
    };
    let (resolved, found) = resolve::resolve(&site, &Sources::default(), &options);
    if found.iter().any(Diagnostic::is_error) {
        return None;
    }
    // Rendered whole before any file is replaced: a text saved again
    // meanwhile (read again as nothing) shows nothing, and the rebuild
    // that follows its save shows it.
    let rendered = std::sync::Mutex::new(Vec::new());
    let keep = |file: &render::OutputFile| {
        rendered
            .lock()
            .expect("no thread panics holding the files")
            .push(file.clone());
        Ok::<(), std::convert::Infallible>(())
    };
    for slug in &slugs {
        // A draft left out of the build has no pages to show.
        let id = resolved.article_id(slug)?;
        render::render_article_folder(&resolved, &warm.theme, &warm.render_options, &warm.terms, id, &keep).ok()?;
    }
    if content::changed_texts(&site).next().is_some() {
        return None;
    }
    let rendered = rendered.into_inner().expect("no thread panics holding the files");
    for file in &rendered {
        output::replace_file(&warm.output_dir, file).ok()?;
    }
    Some(Previewed {
        articles: slugs.into_iter().collect(),
        files: rendered.len(),
    })
}

/// The slugs of the articles every saved file is in, if each is in an
/// article's folder and is not its article.toml (which other pages show).
fn saved_articles(site: &Site, changed: &BTreeSet<PathBuf>) -> Option<BTreeSet<String>> {
    let mut slugs = BTreeSet::new();
    for path in changed {
        let mut parts = path.components().map(|c| c.as_os_str().to_str());
        let (Some(Some("content")), Some(Some(slug)), Some(Some(file))) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if file == content::article::META_FILE || !site.articles.iter().any(|a| a.slug == slug) {
            return None;
        }
        slugs.insert(slug.to_owned());
    }
    (!slugs.is_empty()).then_some(slugs)
}

/// The last build's site with `fresh` articles in place of theirs, and the
/// others reduced to their metadata: an article's own pages show the other
/// articles only as titles (the previous and next reading). Events keep
/// only their anchors into the fresh articles, so that none points into an
/// emptied text. (An anchor without an article is allowed only on a site of
/// one article, which is then fresh.)
fn site_around(last: &Site, mut fresh: BTreeMap<String, Article>) -> Site {
    let fresh_slugs: BTreeSet<String> = fresh.keys().cloned().collect();
    let articles = last
        .articles
        .iter()
        .map(|a| {
            fresh.remove(&a.slug).unwrap_or_else(|| Article {
                slug: a.slug.clone(),
                meta: a.meta.clone(),
                outline: Outline::default(),
                text_file: None,
                notes: Vec::new(),
            })
        })
        .collect::<Vec<_>>();
    let events = last
        .events
        .iter()
        .map(|event| {
            let mut event = event.clone();
            event.anchors.retain(|anchor| {
                anchor
                    .get_ref()
                    .article
                    .as_ref()
                    .is_none_or(|slug| fresh_slugs.contains(slug.get_ref()))
            });
            event
        })
        .collect();
    Site {
        config: last.config.clone(),
        terms: last.terms.clone(),
        events,
        eras: last.eras.clone(),
        pages: last.pages.clone(),
        unloaded: last.unloaded.clone(),
        articles,
    }
}
