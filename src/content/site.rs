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
    pub base_url: Option<Spanned<String>>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default)]
    pub glossary: GlossaryConfig,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    #[serde(default)]
    pub mark: MarkMode,
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
    if !ctx.root.join(file).is_file() {
        ctx.report(
            Diagnostic::error("no-site", file, None, format!("no site.toml in {}", ctx.root.display()))
                .with_help("run duben in the site folder, pass --root DIR, or create one with `duben init DIR`"),
        );
        return None;
    }
    let text = ctx.read(file)?;
    let table = ctx.parse_toml(file, &text)?;
    let span = table.span();
    let value = Spanned::new(span, DeValue::Table(table.into_inner()));
    let config: SiteConfig = ctx.deserialize(file, value, "site.toml")?;
    if let Some(url) = &config.base_url
        && !(url.get_ref().starts_with("https://") || url.get_ref().starts_with("http://"))
    {
        ctx.report(
            Diagnostic::error(
                "bad-base-url",
                file,
                Some(url.span()),
                "base_url must be an absolute http(s) address",
            )
            .with_help("for example base_url = \"https://example.github.io/duben\""),
        );
    }
    Some(config)
}
