//! Every address in the output, in one place: where each page is written,
//! the way back from it to the site root, its canonical path, and the links
//! to entries and paragraphs. Links are relative (`../glossary/index.html`)
//! so a site works from `file://` and under a Pages project path alike.

use std::path::PathBuf;

/// A page of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page<'a> {
    Home,
    Article(&'a str),
    Glossary,
    Timeline,
    /// An extra page from `content/pages/<slug>.md`.
    Extra(&'a str),
    NotFound,
    Sitemap,
    /// The search page.
    Search,
    /// A reading's vocabulary handout (`<slug>/vocabulary/`).
    Vocabulary(&'a str),
    /// The events of one reading (`<slug>/timeline/`).
    ReadingTimeline(&'a str),
}

impl Page<'_> {
    /// The folder the page is the `index.html` of, with a trailing slash
    /// (empty for the home page); none for pages that are single files.
    fn folder(&self) -> Option<String> {
        match self {
            Page::Home => Some(String::new()),
            Page::Article(slug) | Page::Extra(slug) => Some(format!("{slug}/")),
            Page::Glossary => Some("glossary/".to_owned()),
            Page::Timeline => Some("timeline/".to_owned()),
            Page::NotFound | Page::Sitemap => None,
            Page::Search => Some("search/".to_owned()),
            Page::Vocabulary(slug) => Some(format!("{slug}/vocabulary/")),
            Page::ReadingTimeline(slug) => Some(format!("{slug}/timeline/")),
        }
    }

    /// The folder of the output that holds the page and everything under
    /// it: for an article, all its own pages (reader, words, vocabulary,
    /// timeline).
    pub fn folder_path(&self) -> PathBuf {
        PathBuf::from(self.folder().unwrap_or_default())
    }

    /// Where the page is written, relative to the output folder.
    pub fn output_path(&self) -> PathBuf {
        PathBuf::from(self.path())
    }

    /// The page's file, relative to the site root (`yao-2019/index.html`).
    pub fn path(&self) -> String {
        match (self, self.folder()) {
            (_, Some(folder)) => format!("{folder}index.html"),
            (Page::NotFound, None) => "404.html".to_owned(),
            _ => "sitemap.xml".to_owned(),
        }
    }

    /// The way back from the page to the site root: `""` or `"../"`.
    pub fn root(&self) -> &'static str {
        match self.folder() {
            Some(_) if matches!(self, Page::Vocabulary(_) | Page::ReadingTimeline(_)) => "../../",
            Some(folder) if !folder.is_empty() => "../",
            _ => "",
        }
    }

    /// The page's path under the base URL, as canonical links and the
    /// sitemap name it: its folder for an `index.html`, else its file.
    pub fn canonical_path(&self) -> String {
        self.folder().unwrap_or_else(|| self.path())
    }

    /// A link to this page from a page whose way to the root is `root`.
    pub fn url_from(&self, root: &str) -> String {
        format!("{root}{}", self.path())
    }
}

/// The element id of a term's entry on the glossary page (element ids must
/// begin with a letter, and a term id may begin with a digit).
pub fn term_anchor(id: &str) -> String {
    format!("term-{id}")
}

/// The address of a term's entry, `root` leading to the site root.
pub fn term_url(root: &str, id: &str) -> String {
    format!("{}#{}", Page::Glossary.url_from(root), term_anchor(id))
}

/// The element id of an event on the timeline page (event ids begin with a year).
pub fn event_anchor(id: &str) -> String {
    format!("event-{id}")
}

pub fn event_url(root: &str, id: &str) -> String {
    format!("{}#{}", Page::Timeline.url_from(root), event_anchor(id))
}

/// A paragraph's permalink: its article's page and `#p<number>`.
pub fn paragraph_url(root: &str, slug: &str, number: u32) -> String {
    format!("{}#p{number}", Page::Article(slug).url_from(root))
}

/// The absolute address of a page under `base` (which has no trailing slash).
pub fn canonical(base: &str, page: &Page) -> String {
    format!("{base}/{}", page.canonical_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_knows_its_file_root_and_canonical_path() {
        let article = Page::Article("yao-2019");
        assert_eq!(article.path(), "yao-2019/index.html");
        assert_eq!(article.root(), "../");
        assert_eq!(canonical("https://x.org", &article), "https://x.org/yao-2019/");
        assert_eq!((Page::Home.path(), Page::Home.root()), ("index.html".to_owned(), ""));
        assert_eq!(canonical("https://x.org", &Page::Home), "https://x.org/");
        assert_eq!(
            (Page::NotFound.path(), Page::NotFound.root()),
            ("404.html".to_owned(), "")
        );
        assert_eq!(Page::Sitemap.canonical_path(), "sitemap.xml");
    }

    /// An article or a page named like one of the site's own pages would be
    /// written over it: every name the site's own pages take at the top of
    /// the output (`search` for `search/`, `404` for `404.html`, `static` for
    /// the theme's files) must be reserved.
    #[test]
    fn every_page_the_site_makes_has_a_reserved_name() {
        let own = [
            Page::Glossary,
            Page::Timeline,
            Page::Search,
            Page::NotFound,
            Page::Sitemap,
        ];
        let mut names: Vec<String> = own
            .iter()
            .map(|page| {
                let path = page.path();
                let top = path.split('/').next().unwrap_or_default();
                top.split('.').next().unwrap_or_default().to_owned()
            })
            .collect();
        names.extend(["static", "index"].map(String::from));
        for name in names {
            assert!(
                crate::content::article::RESERVED_SLUGS.contains(&name.as_str()),
                "`{name}` is not reserved"
            );
        }
    }

    #[test]
    fn links_are_relative_to_the_linking_page() {
        assert_eq!(term_url("../", "tra"), "../glossary/index.html#term-tra");
        assert_eq!(event_url("", "1979-tra"), "timeline/index.html#event-1979-tra");
        assert_eq!(paragraph_url("../", "essay", 12), "../essay/index.html#p12");
    }
}
