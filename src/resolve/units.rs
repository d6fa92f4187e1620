//! The syllabus: `[[unit]]` of site.toml resolved to articles, and the one
//! reading order (units in turn, then every reading outside a unit) that the
//! home page lists and each reader's previous/next links follow.

use std::collections::BTreeMap;
use std::path::Path;

use super::ArticleId;
use crate::content::{Article, Site};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// A unit with the shown articles it names, in its order.
pub struct Unit {
    /// Index into `site.config.units`.
    pub config: usize,
    pub articles: Vec<ArticleId>,
}

#[derive(Default)]
pub struct Syllabus {
    /// Empty when site.toml has no `[[unit]]`.
    pub units: Vec<Unit>,
    /// Shown articles in no unit, in home-page order.
    pub outside: Vec<ArticleId>,
    /// Every shown article once, in reading order.
    pub order: Vec<ArticleId>,
}

impl Syllabus {
    /// The articles before and after `article` in reading order.
    pub fn neighbours(&self, article: ArticleId) -> (Option<ArticleId>, Option<ArticleId>) {
        let Some(at) = self.order.iter().position(|&a| a == article) else {
            return (None, None);
        };
        let previous = at.checked_sub(1).map(|i| self.order[i]);
        (previous, self.order.get(at + 1).copied())
    }
}

/// `articles` are the shown articles in home-page order; a unit naming a
/// draft that is left out skips it quietly.
pub fn resolve(site: &Site, articles: &[&Article], diagnostics: &mut Vec<Diagnostic>) -> Syllabus {
    let shown: BTreeMap<&str, ArticleId> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.as_str(), ArticleId(i)))
        .collect();
    let file = Path::new(crate::content::site::FILE);
    let mut placed: BTreeMap<ArticleId, &str> = BTreeMap::new();
    let mut units = Vec::new();
    for (index, unit) in site.config.units.iter().enumerate() {
        let mut members = Vec::new();
        for reading in &unit.readings {
            let slug = reading.get_ref().as_str();
            let Some(&article) = shown.get(slug) else {
                if !site.articles.iter().any(|a| a.slug == slug) && !site.unloaded.ids.contains(slug) {
                    let known: Vec<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
                    let help = match did_you_mean(slug, known.iter().copied()) {
                        Some(close) => {
                            format!("did you mean `{close}`? A reading is an article's folder name under content/")
                        }
                        None => "a reading is an article's folder name under content/".to_owned(),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            "unknown-reading",
                            file,
                            Some(reading.span()),
                            format!("the unit \"{}\" lists `{slug}`, which is no article", unit.title),
                        )
                        .with_help(help),
                    );
                }
                continue;
            };
            if let Some(first) = placed.insert(article, &unit.title) {
                diagnostics.push(
                    Diagnostic::error(
                        "reading-in-two-units",
                        file,
                        Some(reading.span()),
                        format!("`{slug}` is already a reading of the unit \"{first}\""),
                    )
                    .with_help("list each reading in one unit only"),
                );
                continue;
            }
            members.push(article);
        }
        units.push(Unit {
            config: index,
            articles: members,
        });
    }
    let outside: Vec<ArticleId> = (0..articles.len())
        .map(ArticleId)
        .filter(|a| !placed.contains_key(a))
        .collect();
    let order = units
        .iter()
        .flat_map(|u| u.articles.iter().copied())
        .chain(outside.iter().copied())
        .collect();
    Syllabus { units, outside, order }
}
