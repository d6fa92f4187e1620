//! Articles: one folder `content/<slug>/` with article.toml, text.md and
//! optional notes (`notes.toml` and `notes/*.toml`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use super::document::{Document, Outline};
use super::notes::{self, Note};
use super::source::{Listed, LoadContext, Presence};
use crate::diagnostics::{Diagnostic, fingerprint};

/// Folder names under content/ that are not articles.
const NOT_ARTICLES: &[&str] = &["glossary", "timeline", "pages"];
/// Names the output uses for itself at its top level; an article or a page
/// may not take them, or its folder would overwrite or mix with the site's
/// own (`search/` holds the search page and its index). A unit test in
/// `render::urls` checks that every page the site makes is listed here.
pub const RESERVED_SLUGS: &[&str] = &[
    "glossary", "timeline", "search", "static", "pages", "404", "sitemap", "index", "assets",
];

#[derive(Debug)]
pub struct Article {
    pub slug: String,
    pub meta: ArticleMeta,
    /// What the text's blocks are; the text itself is read again where it
    /// is needed (`with_document`).
    pub outline: Outline,
    /// Where the text was read from; none for an article known by its
    /// metadata only (`serve`'s preview of another article).
    pub text_file: Option<TextFile>,
    pub notes: Vec<Note>,
}

/// An article's text.md as loading read it: parsed again from the file for
/// each pass that reads the text, and only while the file is still that
/// text (its fingerprint, `diagnostics::fingerprint`).
#[derive(Debug)]
pub struct TextFile {
    root: PathBuf,
    /// Relative to the root.
    path: PathBuf,
    fingerprint: u64,
    /// Set when the file was found changed since loading: the build that
    /// read it is not to be written (`Article::text_changed`).
    changed: AtomicBool,
}

impl Article {
    /// Calls `read` with the text parsed: the same blocks and events
    /// loading found, for they are parsed from the same text. The document
    /// is empty when the file is no longer that text (saved again while the
    /// site was being built); the article then says so (`text_changed`),
    /// and the build stops before it writes anything.
    pub fn with_document<R>(&self, read: impl FnOnce(&Document<'_>) -> R) -> R {
        let Some(file) = &self.text_file else {
            return read(&Document::default());
        };
        // Its own context: what reading finds again was reported when
        // loading (anything but a regular file is refused without waiting).
        let mut ctx = LoadContext::new(&file.root);
        let bytes = ctx.read_bytes(&file.path);
        // Most texts are read as they are (valid UTF-8, nothing replaced):
        // the bytes are the text, checked as UTF-8 many times faster than
        // `String::from_utf8` (its check had been a third of reading a text
        // again). A text that loading changed is read as loading read it.
        let as_read = bytes.as_deref().and_then(|b| simdutf8::basic::from_utf8(b).ok());
        if let Some(text) = as_read.filter(|text| fingerprint(text) == file.fingerprint) {
            return read(&Document::parse(text));
        }
        let checked = bytes.map(|bytes| ctx.checked_text(&file.path, bytes));
        match checked.filter(|text| fingerprint(text) == file.fingerprint) {
            Some(text) => read(&Document::parse(&text)),
            None => {
                file.changed.store(true, Ordering::Relaxed);
                read(&Document::default())
            }
        }
    }

    /// An error if the text could not be read again as it was loaded.
    pub fn text_changed(&self) -> Option<Diagnostic> {
        let file = self
            .text_file
            .as_ref()
            .filter(|file| file.changed.load(Ordering::Relaxed))?;
        Some(
            Diagnostic::error(
                "text-changed",
                &file.path,
                None,
                "this file could not be read again as it was loaded: it was saved again, removed or replaced while the site was being built from it",
            )
            .with_help("run the command again (`serve` builds again by itself after a save); nothing was written, and what was found in this text is not reported"),
        )
    }
}

/// `article.toml`.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    pub title_en: Option<String>,
    pub author: Option<String>,
    pub author_en: Option<String>,
    pub author_note: Option<String>,
    /// The responsible editor as printed (本文责任编辑).
    pub editor: Option<String>,
    pub source: Option<String>,
    /// Anything the site's own templates want; passed to them untouched.
    #[serde(default)]
    pub extra: toml::Table,
    pub year: Option<i64>,
    pub abstract_zh: Option<Spanned<String>>,
    pub abstract_en: Option<Spanned<String>>,
    pub order: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    /// What a citation needs beyond the above: the journal's volume and
    /// issue (numbers or text such as "2"), the page range ("9–27"), the
    /// DOI (bare, `10.…`) and the article's address where it is published.
    pub volume: Option<Numbering>,
    pub issue: Option<Numbering>,
    pub pages: Option<String>,
    pub doi: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    /// Who edited and who translated this reading (for the site's own
    /// editors see site.toml); shown on the reader page.
    #[serde(default)]
    pub editors: Vec<String>,
    #[serde(default)]
    pub translators: Vec<String>,
    /// A free-text rights statement for the text, and optionally the
    /// address of its licence.
    pub rights: Option<String>,
    pub rights_url: Option<Spanned<String>>,
    /// A subtitle as printed (副标题), without its dash.
    pub subtitle: Option<String>,
    /// The author's biography as printed (作者简介).
    pub author_bio: Option<String>,
    /// The corresponding author as printed (通讯作者).
    pub corresponding: Option<String>,
    /// The funding note as printed (基金项目).
    pub funding: Option<String>,
    /// The date the journal received the article, as printed (收稿日期).
    pub received: Option<String>,
    /// Chinese Library Classification number (中图分类号).
    pub clc: Option<String>,
    /// Document code (文献标识码), e.g. `A`.
    pub document_code: Option<String>,
    /// The journal's article number (文章编号).
    pub article_number: Option<String>,
    /// Keywords as printed (关键词).
    pub keywords: Option<Vec<String>>,
    /// English keywords as printed (Key words).
    pub keywords_en: Option<Vec<String>>,
}

/// A volume or issue: written as a number or as text.
#[derive(Debug, Deserialize, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum Numbering {
    Number(i64),
    Text(String),
}

impl std::fmt::Display for Numbering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Numbering::Number(n) => write!(f, "{n}"),
            Numbering::Text(t) => f.write_str(t),
        }
    }
}

pub fn load_all(ctx: &mut LoadContext) -> Vec<Article> {
    // A link to a folder is listed too, for `load_one` to report it.
    let folders: Vec<String> = ctx
        .list(Path::new("content"), Listed::Folders)
        .into_iter()
        .filter(|name| !NOT_ARTICLES.contains(&name.as_str()) && !name.starts_with('.'))
        .collect();
    // Articles are independent: each loads with a context of its own, in
    // parallel, and the contexts are merged in slug order.
    let loaded: Vec<(Option<Article>, LoadContext)> = folders
        .into_par_iter()
        .map(|slug| {
            let mut own = LoadContext::new(&ctx.root);
            let article = load_one(&mut own, slug.clone());
            if article.is_none() {
                own.unloaded.ids.insert(slug);
            }
            (article, own)
        })
        .collect();
    let mut articles = Vec::new();
    for (article, own) in loaded {
        ctx.absorb(own);
        articles.extend(article);
    }
    articles
}

/// The file that makes a folder of `content/` an article.
pub const META_FILE: &str = "article.toml";

pub(super) fn load_one(ctx: &mut LoadContext, slug: String) -> Option<Article> {
    let dir = Path::new("content").join(&slug);
    if !ctx.enters(&dir) {
        return None;
    }
    let meta_file = dir.join(META_FILE);
    let text_file = dir.join("text.md");
    let meta_presence = ctx.presence(&meta_file);
    if meta_presence == Presence::NotAFile {
        return None;
    }
    if meta_presence == Presence::Missing {
        ctx.report(
            Diagnostic::error(
                "no-article-toml",
                &dir,
                None,
                format!("the folder content/{slug}/ has no article.toml"),
            )
            .with_help("every article folder needs article.toml (title, author, …) and text.md"),
        );
        return None;
    }
    let meta = load_meta(ctx, &slug, &meta_file)?;
    let text = match ctx.presence(&text_file) {
        // A large site's texts are most of its bytes; only `check_markdown`
        // below can point into one, so a text is kept only if it does.
        Presence::File => ctx.read_unremembered(&text_file)?,
        Presence::NotAFile => return None,
        Presence::Missing => {
            ctx.report(
                Diagnostic::error(
                    "no-text",
                    &text_file,
                    None,
                    format!("the article {slug} has no text.md"),
                )
                .with_help("put the article body, in Markdown, in text.md beside article.toml"),
            );
            return None;
        }
    };
    let (document, unsafe_parts) = Document::parse_checked(&text);
    let outline = document.outline();
    drop(document);
    super::report_unsafe(ctx, &text_file, &text, (&text, 0), unsafe_parts);
    let fingerprint = ctx.remember_if_reported(&text_file, text);
    let source = TextFile {
        root: ctx.root.clone(),
        path: text_file,
        fingerprint,
        changed: AtomicBool::new(false),
    };
    // notes.toml and every notes/*.toml: one file per proposal, so that
    // proposals made from the reader page never conflict.
    let notes = super::toml_files(ctx, &dir.join("notes.toml"), &dir.join("notes"))
        .iter()
        .flat_map(|file| notes::load(ctx, file))
        .collect();
    Some(Article {
        slug,
        meta,
        outline,
        text_file: Some(source),
        notes,
    })
}

fn load_meta(ctx: &mut LoadContext, slug: &str, file: &Path) -> Option<ArticleMeta> {
    let text = ctx.read(file)?;
    check_slug(ctx, slug, file, super::first_line(&text));
    let table = ctx.parse_toml(file, &text)?;
    let span = table.span();
    let meta: ArticleMeta = ctx.deserialize(
        file,
        Spanned::new(span, DeValue::Table(table.into_inner())),
        "article.toml",
    )?;
    for field in [&meta.abstract_zh, &meta.abstract_en].into_iter().flatten() {
        super::check_markdown(ctx, file, &text, field.span());
    }
    for (name, url) in [("url", &meta.url), ("rights_url", &meta.rights_url)] {
        if let Some(url) = url {
            super::check_web_address(ctx, file, name, url);
        }
    }
    if let Some(doi) = &meta.doi
        && !doi.get_ref().starts_with("10.")
    {
        ctx.report(
                Diagnostic::error(
                    "bad-doi",
                    file,
                    Some(doi.span()),
                    format!("`{}` is not a DOI", doi.get_ref()),
                )
                .with_help("write the DOI itself, which begins with 10., e.g. doi = \"10.1000/xyz123\" (not its https://doi.org/ address)"),
            );
    }
    Some(meta)
}

/// A folder's name is in no file: a bad one is reported at the first line of
/// its article.toml, so that the report has a line to point at.
fn check_slug(ctx: &mut LoadContext, slug: &str, file: &Path, first_line: Option<std::ops::Range<usize>>) {
    if !super::is_valid_id(slug) {
        ctx.report(
            Diagnostic::error(
                "bad-slug",
                file,
                first_line.clone(),
                format!("the folder name `{slug}` cannot be an article slug"),
            )
            .with_help("rename the folder using only a-z, 0-9 and -, e.g. `yao-2019`"),
        );
    } else if RESERVED_SLUGS.contains(&slug) {
        ctx.report(
            Diagnostic::error(
                "reserved-slug",
                file,
                first_line,
                format!("`{slug}` is a name the site uses for itself"),
            )
            .with_help(format!(
                "rename the folder content/{slug}/; names the site keeps for itself are: {}",
                RESERVED_SLUGS.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    /// An article folder `content/essay/` in a fresh site folder, with
    /// `text` as its text.md.
    fn essay(text: &str) -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content/essay");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(META_FILE), "title = \"Essay\"\n").unwrap();
        fs::write(dir.join("text.md"), text).unwrap();
        site
    }

    fn loaded(site: &tempfile::TempDir) -> Article {
        crate::content::load_article(site.path(), "essay")
            .0
            .expect("the essay loads")
    }

    /// The plain text of every block, headings included.
    fn blocks(article: &Article) -> Vec<String> {
        article.with_document(|document| document.blocks.iter().map(|b| b.plain_text()).collect())
    }

    #[test]
    fn a_text_is_read_again_as_it_was_loaded() {
        // The second paragraph holds a bidi control, which loading replaces:
        // read again, the text is the one loading made of the file.
        let site = essay("# 一\n\n中美两军。\n\n乙\u{202E}丙\n");
        let article = loaded(&site);
        assert_eq!(article.outline.paragraph_count(), 2);
        assert_eq!(blocks(&article), ["一", "中美两军。", "乙\u{FFFD}丙"]);
        assert!(article.text_changed().is_none());
    }

    #[test]
    fn a_text_saved_again_after_loading_gives_nothing_and_says_so() {
        let site = essay("中美两军。\n");
        let article = loaded(&site);
        fs::write(site.path().join("content/essay/text.md"), "中美两军的关系。\n").unwrap();
        assert!(blocks(&article).is_empty());
        let changed = article.text_changed().expect("the change is reported");
        assert_eq!(changed.code, "text-changed");
        assert_eq!(changed.file, Path::new("content/essay/text.md"));
    }

    #[test]
    fn a_named_pipe_put_in_place_of_a_text_is_not_read() {
        let site = essay("中美两军。\n");
        let article = loaded(&site);
        let text = site.path().join("content/essay/text.md");
        fs::remove_file(&text).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&text).status().unwrap();
        assert!(made.success());
        // Reading a pipe nobody writes would wait forever.
        assert!(blocks(&article).is_empty());
        assert!(article.text_changed().is_some());
    }

    #[test]
    fn a_text_gone_after_loading_gives_nothing_and_says_so() {
        let site = essay("中美两军。\n");
        let article = loaded(&site);
        fs::remove_file(site.path().join("content/essay/text.md")).unwrap();
        assert!(blocks(&article).is_empty());
        assert!(article.text_changed().is_some());
    }
}
