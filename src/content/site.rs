//! `site.toml`: the site's settings.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use super::source::LoadContext;
use crate::diagnostics::Diagnostic;

pub const FILE: &str = "site.toml";

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub title_en: Option<String>,
    pub description: Option<String>,
    /// Anything the site's own templates want, as `site.extra`.
    #[serde(default)]
    pub extra: toml::Table,
    pub base_url: Option<Spanned<String>>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default)]
    pub glossary: GlossaryConfig,
    /// Who edits and who translates the site's annotations, shown on every
    /// reader page and available to pages (the About page).
    #[serde(default)]
    pub editors: Vec<String>,
    #[serde(default)]
    pub translators: Vec<String>,
    /// A free-text rights statement for the site, and optionally the
    /// address of its licence.
    pub rights: Option<String>,
    pub rights_url: Option<Spanned<String>>,
    #[serde(default)]
    pub dictionary: DictionaryConfig,
    /// `[[unit]]`: the syllabus, readings grouped in order.
    #[serde(default, rename = "unit")]
    pub units: Vec<UnitConfig>,
    #[serde(default)]
    pub syllabus: SyllabusConfig,
    /// Where the site's source lives, for the pages' links into it.
    pub repository: Option<RepositoryConfig>,
}

/// `[repository]`: the repository holding the site, which the reader pages
/// link into (source links, "edit this text", proposing notes). Every key
/// may be left to `build --repository`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RepositoryConfig {
    /// `https://github.com/owner/name`.
    pub url: Option<Spanned<String>>,
    /// Default `main`.
    pub branch: Option<String>,
    /// The folder of the repository holding site.toml; empty for the root.
    pub content_path: Option<String>,
}

/// Whether site.toml's `url` can be used: an https:// address with an owner
/// and a name after the host.
pub fn is_repository_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(is_url_safe)) && parts[0].contains('.')
}

/// A character that may stand in an owner or repository name.
pub fn is_url_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// `[dictionary]`: the embedded CC-CEDICT (lookup cards, pinyin for every
/// word, and terms that never cut a word in two).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct DictionaryConfig {
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

impl Default for DictionaryConfig {
    fn default() -> Self {
        DictionaryConfig { enabled: true }
    }
}

fn enabled_by_default() -> bool {
    true
}

/// One `[[unit]]` of the syllabus.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    pub title: String,
    pub title_en: Option<String>,
    /// Shown as written ("Weeks 1–3").
    pub dates: Option<String>,
    /// Article slugs, in reading order.
    #[serde(default)]
    pub readings: Vec<Spanned<String>>,
}

/// `[syllabus]`: how the syllabus estimates a learner's reading time.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SyllabusConfig {
    #[serde(default = "default_chars_per_minute")]
    pub chars_per_minute: Spanned<u32>,
}

impl Default for SyllabusConfig {
    fn default() -> Self {
        SyllabusConfig {
            chars_per_minute: Spanned::new(0..0, default_chars_per_minute_value()),
        }
    }
}

/// A learner of Chinese at an intermediate level reads about 200
/// characters a minute (native readers manage 400–600).
fn default_chars_per_minute_value() -> u32 {
    200
}

fn default_chars_per_minute() -> Spanned<u32> {
    Spanned::new(0..0, default_chars_per_minute_value())
}

/// A category's labels (`[glossary.categories] concept = { zh = "概念", en = "Concepts" }`).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct CategoryLabel {
    pub zh: Option<String>,
    pub en: Option<String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    #[serde(default)]
    pub mark: MarkMode,
    /// Labels of the categories terms name, by key.
    #[serde(default)]
    pub categories: std::collections::BTreeMap<String, CategoryLabel>,
}

/// Which occurrences of a term become links.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MarkMode {
    All,
    #[default]
    FirstInParagraph,
    FirstInSection,
    FirstInArticle,
}

fn default_language() -> String {
    "zh-Hans".into()
}

fn default_output_dir() -> String {
    "public".into()
}

/// site.toml alone, for a setting needed without loading the whole site
/// (its problems are reported by the build that follows).
pub fn config_only(root: &Path) -> SiteConfig {
    load(&mut LoadContext::new(root)).unwrap_or_default()
}

pub fn load(ctx: &mut LoadContext) -> Option<SiteConfig> {
    let file = Path::new(FILE);
    let presence = ctx.presence(file);
    if presence == super::source::Presence::NotAFile {
        return None;
    }
    if presence == super::source::Presence::Missing {
        ctx.report(
            Diagnostic::error("no-site", file, None, format!("no site.toml in {}", ctx.root.display()))
                .with_help("run duben in the site folder, pass --root DIR, or create one with `duben init DIR`"),
        );
        return None;
    }
    let text = ctx.read(file)?;
    let table = ctx.parse_toml(file, &text)?;
    let span = table.span();
    let language = table.get_ref().get("language").map(|v| v.span());
    let value = Spanned::new(span, DeValue::Table(table.into_inner()));
    let config: SiteConfig = ctx.deserialize(file, value, "site.toml")?;
    if let Some(url) = &config.base_url
        && let Some(problem) = base_url_problem(url.get_ref())
    {
        ctx.report(
            Diagnostic::error(
                "bad-base-url",
                file,
                Some(url.span()),
                format!("base_url must be the site's absolute http(s) address: {problem}"),
            )
            .with_help("for example base_url = \"https://example.github.io/duben\""),
        );
    }
    if let Some(span) = language {
        super::check_language(ctx, file, "language", (&config.language, span));
    }
    if let Some(url) = &config.rights_url {
        super::check_web_address(ctx, file, "rights_url", url);
    }
    if let Some(url) = config.repository.as_ref().and_then(|r| r.url.as_ref())
        && !is_repository_url(url.get_ref())
    {
        ctx.report(
            Diagnostic::error(
                "bad-repository-url",
                file,
                Some(url.span()),
                "the repository url must be the https:// address of a repository",
            )
            .with_help("for example url = \"https://github.com/owner/reader\" (owner and name, nothing after)"),
        );
    }
    if *config.syllabus.chars_per_minute.get_ref() == 0 {
        ctx.report(
            Diagnostic::error(
                "bad-reading-speed",
                file,
                Some(config.syllabus.chars_per_minute.span()),
                "chars_per_minute must be more than 0",
            )
            .with_help("a learner reads about 150–300 characters a minute; the default is 200"),
        );
    }
    Some(config)
}

/// What is wrong with `url` as the address every page's is made from (by
/// adding its path), if anything: `--base-url` and site.toml's `base_url`.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    super::web_address_problem(url).or_else(|| {
        url.contains(['?', '#'])
            .then_some("a page's path cannot follow a ? or #")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_an_address_a_path_can_follow() {
        assert_eq!(base_url_problem("https://example.github.io/duben"), None);
        assert_eq!(base_url_problem("http://localhost:8000/"), None);
        for bad in [
            "example.org",
            "https://",
            "https:///x",
            "https://exa mple.org",
            "https://e.org/?a=1",
            "https://e.org/#x",
            "javascript:alert(1)",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn repository_urls_need_a_host_an_owner_and_a_name() {
        assert!(is_repository_url("https://github.com/owner/reader"));
        assert!(is_repository_url("https://git.example.org/owner/reader/"));
        assert!(!is_repository_url("http://github.com/owner/reader"));
        assert!(!is_repository_url("https://github.com/owner"));
        assert!(!is_repository_url("https://github.com/owner/reader/tree/main"));
        assert!(!is_repository_url("https://github.com/own\"er/reader"));
    }
}
