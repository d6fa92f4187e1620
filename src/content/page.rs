//! Extra pages: `content/pages/<slug>.md`, titled by their first `#` heading.

use std::path::{Path, PathBuf};

use super::source::LoadContext;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub file: PathBuf,
    /// The Markdown body without its title line.
    pub body: String,
}

pub fn load_all(ctx: &mut LoadContext) -> Vec<Page> {
    let folder = Path::new("content").join("pages");
    if !ctx.root.join(&folder).is_dir() {
        return Vec::new();
    }
    let names: Vec<String> = walkdir::WalkDir::new(ctx.root.join(&folder))
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names
        .into_iter()
        .filter_map(|name| load_one(ctx, &folder, &name))
        .collect()
}

fn load_one(ctx: &mut LoadContext, folder: &Path, name: &str) -> Option<Page> {
    let file = folder.join(name);
    let slug = name.trim_end_matches(".md").to_owned();
    if !super::is_valid_id(&slug) || super::article::RESERVED_SLUGS.contains(&slug.as_str()) {
        ctx.report(
            Diagnostic::error("bad-slug", &file, None, format!("`{slug}` cannot name a page"))
                .with_help("use only a-z, 0-9 and - in page file names, and not a reserved name such as glossary"),
        );
        return None;
    }
    let text = ctx.read(&file)?;
    super::check_markdown(ctx, &file, &text, 0..text.len());
    let (title, body) = split_title(&text);
    Some(Page {
        title: title.unwrap_or_else(|| slug.clone()),
        slug,
        file,
        body,
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
