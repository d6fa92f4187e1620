//! What every template gets (see docs/templates.md), and rendering a
//! template into an output file.

use std::path::PathBuf;

use serde::Serialize;

use super::OutputFile;
use super::theme::Theme;
use super::urls::{self, Page};
use crate::diagnostics::Diagnostic;
use crate::resolve::Resolved;

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    title_en: Option<&'a str>,
    description: Option<&'a str>,
    language: &'a str,
    base_url: Option<&'a str>,
    editors: &'a [String],
    translators: &'a [String],
    rights: Option<&'a str>,
    rights_url: Option<&'a str>,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct NavPage<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
}

/// `repository`: the repository's addresses and the version of the script
/// that proposes changes (loaded only where there is a repository).
#[derive(Serialize)]
struct RepositoryView<'a> {
    #[serde(flatten)]
    addresses: crate::repository::RepositoryContext<'a>,
    script_version: &'a str,
}

/// Built once per build; each page adds its own variables to a copy.
pub struct Common {
    base: tera::Context,
    pub base_url: Option<String>,
    site_title: String,
    /// Where the site's source lives (`build --repository`, `[repository]`).
    pub repository: Option<crate::repository::Repository>,
}

impl Common {
    pub fn new(
        resolved: &Resolved,
        theme: &Theme,
        base_url: Option<&str>,
        repository: Option<&crate::repository::Repository>,
    ) -> Common {
        let config = &resolved.site.config;
        let base_url = base_url
            .map(str::to_owned)
            .or_else(|| config.base_url.as_ref().map(|u| u.get_ref().clone()))
            .map(|u| u.trim_end_matches('/').to_owned());
        let site = SiteContext {
            title: &config.title,
            title_en: config.title_en.as_deref(),
            description: config.description.as_deref(),
            language: &config.language,
            base_url: base_url.as_deref(),
            editors: &config.editors,
            translators: &config.translators,
            rights: config.rights.as_deref(),
            rights_url: config.rights_url.as_ref().map(|u| u.get_ref().as_str()),
            extra: &config.extra,
        };
        let nav: Vec<NavPage> = resolved
            .site
            .pages
            .iter()
            .map(|p| NavPage {
                slug: &p.slug,
                title: &p.title,
                url: Page::Extra(&p.slug).url_from(""),
            })
            .collect();
        let mut base = tera::Context::new();
        base.insert("site", &site);
        base.insert("nav_pages", &nav);
        base.insert("asset_version", &theme.asset_version);
        // `repository` is null without one: every template's links into the
        // repository, and the reader's proposing tools, hang on it.
        let repository_context = repository.map(|r| RepositoryView {
            addresses: r.context(),
            script_version: &theme.propose_version,
        });
        base.insert("repository", &repository_context);
        Common {
            base,
            base_url,
            site_title: config.title.clone(),
            repository: repository.cloned(),
        }
    }

    /// The context for `page`, whose `<title>` is `title`.
    pub fn context(&self, page: &Page, title: &str) -> tera::Context {
        let mut context = self.base.clone();
        context.insert("root", page.root());
        let page_title = if title == self.site_title {
            title.to_owned()
        } else {
            format!("{title} · {}", self.site_title)
        };
        context.insert("page_title", &page_title);
        let canonical = self.base_url.as_ref().map(|base| urls::canonical(base, page));
        context.insert("canonical", &canonical);
        context
    }
}

pub fn render_page(
    theme: &Theme,
    template: &str,
    context: &tera::Context,
    page: &Page,
) -> Result<OutputFile, Diagnostic> {
    Ok(OutputFile {
        path: page.output_path(),
        bytes: render_bytes(theme, template, context, &page.path())?,
    })
}

/// Renders `template` for the page at `path`, as bytes ready to write
/// (Tera writes UTF-8; turning it into a `String` would check it again).
pub fn render_bytes(theme: &Theme, template: &str, context: &tera::Context, path: &str) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    render_into(theme, template, context, path, &mut bytes)?;
    Ok(bytes)
}

/// `render_bytes` appending to `out`, so a worker can reuse one buffer for
/// every page it renders.
pub fn render_into(
    theme: &Theme,
    template: &str,
    context: &tera::Context,
    path: &str,
    out: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    theme
        .tera
        .render_to(template, context, out)
        .map_err(|error| template_error(template, path, &error))
}

/// Renders `template` as a piece of a page (a card), as text.
pub fn render_string(theme: &Theme, template: &str, context: &tera::Context, path: &str) -> Result<String, Diagnostic> {
    theme
        .tera
        .render(template, context)
        .map_err(|error| template_error(template, path, &error))
}

fn template_error(template: &str, path: &str, error: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        "template",
        &PathBuf::from("templates").join(template),
        None,
        format!("rendering {path} failed:\n{error}"),
    )
    .with_help(
        "a site's templates/ file overrides the built-in template of the same name; see docs/templates.md for the variables",
    )
}
