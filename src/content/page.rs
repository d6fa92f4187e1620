//! Extra pages: `content/pages/<slug>.md`, titled by their first `#` heading.

use std::path::{Path, PathBuf};

use super::source::{Listed, LoadContext};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub file: PathBuf,
    /// The Markdown body without its title line.
    pub body: String,
    /// The first line of the file (the `# Title`), where a report about the
    /// page's name points; none for an empty file.
    pub first_line: Option<std::ops::Range<usize>>,
}

pub fn load_all(ctx: &mut LoadContext) -> Vec<Page> {
    let folder = Path::new("content").join("pages");
    let names = ctx.list(&folder, Listed::Files("md"));
    names
        .into_iter()
        .filter_map(|name| load_one(ctx, &folder, &name))
        .collect()
}

fn load_one(ctx: &mut LoadContext, folder: &Path, name: &str) -> Option<Page> {
    let file = folder.join(name);
    let slug = name.trim_end_matches(".md").to_owned();
    let text = ctx.read(&file)?;
    let first_line = super::first_line(&text);
    if !super::is_valid_id(&slug) {
        ctx.report(
            Diagnostic::error("bad-slug", &file, first_line, format!("`{slug}` cannot name a page"))
                .with_help("rename the file using only a-z, 0-9 and -, e.g. `about.md`"),
        );
        return None;
    }
    if super::article::RESERVED_SLUGS.contains(&slug.as_str()) {
        ctx.report(
            Diagnostic::error(
                "reserved-slug",
                &file,
                first_line,
                format!("the page name `{slug}` is taken by a page the site makes itself"),
            )
            .with_help(format!(
                "rename the file {name}; names the site keeps for itself are: {}",
                super::article::RESERVED_SLUGS.join(", ")
            )),
        );
        return None;
    }
    super::check_markdown(ctx, &file, &text, 0..text.len());
    let (title, body) = split_title(&text);
    Some(Page {
        title: title.unwrap_or_else(|| slug.clone()),
        slug,
        file,
        body,
        first_line,
    })
}

/// The first line `# Title` is the page's title; the rest is its body.
fn split_title(text: &str) -> (Option<String>, String) {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        let (title, body) = rest.split_once('\n').unwrap_or((rest, ""));
        return (Some(title.trim().to_owned()), body.to_owned());
    }
    (None, text.to_owned())
}
