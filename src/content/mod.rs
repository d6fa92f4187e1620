//! The content model and its loading: site.toml, every article folder, the
//! glossary, the timeline, notes and extra pages, each value with its source
//! span. Loading checks only what a single file can tell (syntax, unknown keys,
//! types); everything that relates one value to another is `resolve`'s job.

pub mod anchor;
pub mod article;
pub mod document;
pub mod glossary;
pub mod notes;
pub mod page;
pub mod site;
mod source;
pub(crate) use source::{is_special, not_a_file, unreadable_file, unreadable_folder};
pub(crate) mod symlink;
pub mod timeline;

use std::path::{Path, PathBuf};

pub use anchor::Anchor;
pub use article::Article;
pub use document::{BlockKind, Document, Outline};
pub use glossary::Term;
pub use notes::{Note, NoteKind};
pub use page::Page;
pub use site::{MarkMode, SiteConfig};
pub use timeline::{Era, Event};

use crate::diagnostics::{Diagnostic, Sources};

/// Everything under a site root, as written, before any cross-checking.
#[derive(Debug, Default)]
pub struct Site {
    pub config: SiteConfig,
    /// Sorted by slug; drafts included (the build decides whether to show them).
    pub articles: Vec<Article>,
    pub terms: Vec<Term>,
    pub events: Vec<Event>,
    /// The timeline's periods, drawn behind its events.
    pub eras: Vec<Era>,
    pub pages: Vec<Page>,
    pub unloaded: Unloaded,
}

/// What could not be loaded (an entry with a mistake, a file that is not
/// valid TOML), so that `resolve` does not also call references to it
/// dangling: one mistake, one message.
#[derive(Debug, Default, Clone)]
pub struct Unloaded {
    /// Ids of entries (terms, events, article slugs) that failed to load.
    pub ids: std::collections::BTreeSet<String>,
    /// The text of files that could not be parsed at all.
    pub unparsed: Vec<String>,
    /// Entries (file, start of the entry) loaded without a key that was
    /// misspelt: a field missing from them is that same mistake.
    pub repaired: std::collections::BTreeSet<(PathBuf, usize)>,
    /// The dates written in timeline entries that failed to load (say, for
    /// a missing `title`), with their files: `resolve` checks them as it
    /// checks a loaded entry's, so that a bad date is reported beside the
    /// missing key rather than only once that is mended.
    pub dates: Vec<(PathBuf, toml::Spanned<String>)>,
}

impl Unloaded {
    /// Whether `id` may name something that failed to load: a broken entry,
    /// or an id written in a file too broken to read.
    pub fn may_hold(&self, id: &str) -> bool {
        self.ids.contains(id) || self.unparsed.iter().any(|text| text.contains(&format!("\"{id}\"")))
    }
}

/// What loading found: the site (as much of it as could be read), the text of
/// the files reports point into (and which were read and let go, for
/// `read_reported`), and every problem met on the way.
pub struct Loaded {
    pub site: Site,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a whole site. Never stops at the first problem: a broken file is
/// reported and skipped, and the rest still loads.
pub fn load(root: &Path) -> Loaded {
    let mut ctx = source::LoadContext::new(root);
    let config = site::load(&mut ctx).unwrap_or_default();
    // Articles, the glossary and the other shared files do not depend on
    // each other: they load side by side, each with a context of its own,
    // merged after (diagnostics are sorted before anyone sees them).
    let ((articles, articles_ctx), ((terms, glossary_ctx), (((events, eras), pages), rest_ctx))) = rayon::join(
        || in_own_context(root, article::load_all),
        || {
            rayon::join(
                || in_own_context(root, glossary::load),
                || in_own_context(root, |c| (timeline::load(c), page::load_all(c))),
            )
        },
    );
    for loaded in [articles_ctx, glossary_ctx, rest_ctx] {
        ctx.absorb(loaded);
    }
    let unloaded = std::mem::take(&mut ctx.unloaded);
    let site = Site {
        unloaded,
        config,
        articles,
        terms,
        events,
        eras,
        pages,
    };
    Loaded {
        site,
        sources: ctx.sources,
        diagnostics: ctx.diagnostics,
    }
}

/// Reads one article folder, `content/<slug>/`, as `load` reads it within
/// a whole site: `serve` reloads only the article a save was in.
pub fn load_article(root: &Path, slug: &str) -> (Option<Article>, Vec<Diagnostic>) {
    let mut ctx = source::LoadContext::new(root);
    let article = article::load_one(&mut ctx, slug.to_owned());
    (article, ctx.diagnostics)
}

/// Reads back, for a report, each file loading read and let go (an
/// article's text and notes are kept only when loading itself found a
/// problem in them) that a diagnostic points into: the problems resolve
/// finds there are shown at their line and column all the same.
pub fn read_reported(root: &Path, diagnostics: &[Diagnostic], sources: &mut Sources) {
    let files: std::collections::BTreeSet<&Path> = diagnostics
        .iter()
        .filter(|d| d.span.is_some())
        .map(|d| d.file.as_path())
        .collect();
    for file in files {
        read_back(root, file, sources);
    }
}

/// Puts the text of `file` back into `sources` if loading read it and let
/// it go, and it is still the text read. A file saved again meanwhile stays
/// out (no span would point into it rightly): its diagnostics are shown
/// without their lines.
pub fn read_back(root: &Path, file: &Path, sources: &mut Sources) {
    if !sources.was_let_go(file) {
        return;
    }
    // Its own context: what reading finds again was reported when loading
    // (anything but a regular file is refused without waiting).
    let mut ctx = source::LoadContext::new(root);
    if let Some(text) = ctx.read_unremembered(file) {
        sources.take_back(file, text);
    }
}

/// An error for each article whose text was found changed since loading
/// when it was read again (`Article::with_document`): what was made of it is
/// not to be written or believed.
pub fn changed_texts(site: &Site) -> impl Iterator<Item = Diagnostic> + '_ {
    site.articles.iter().filter_map(Article::text_changed)
}

/// Runs `load` with a fresh context, for loading beside other loaders.
fn in_own_context<T>(root: &Path, load: impl FnOnce(&mut source::LoadContext) -> T) -> (T, source::LoadContext) {
    let mut own = source::LoadContext::new(root);
    let loaded = load(&mut own);
    (loaded, own)
}

/// `content/NAME.toml` and `content/NAME/*.toml`, sorted, as paths relative to
/// the root.
fn source_files(ctx: &mut source::LoadContext, name: &str) -> Vec<PathBuf> {
    let content = Path::new("content");
    toml_files(ctx, &content.join(format!("{name}.toml")), &content.join(name))
}

/// The file `single` if it exists, then every `*.toml` directly in `folder`
/// (unless it is a symbolic link, which is reported and not entered),
/// sorted by name; paths relative to the root.
fn toml_files(ctx: &mut source::LoadContext, single: &Path, folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if ctx.presence(single) == source::Presence::File {
        files.push(single.to_path_buf());
    }
    let names = ctx.list(folder, source::Listed::Files("toml"));
    files.extend(names.into_iter().map(|name| folder.join(name)));
    files
}

/// Where each line of a file starts, to turn byte offsets into line numbers
/// (for links to an entry's line in the repository).
/// (The diagnostics' line index, which reports use too.)
pub struct LineStarts(crate::diagnostics::LineIndex);

impl LineStarts {
    pub fn new(text: &str) -> Self {
        LineStarts(crate::diagnostics::LineIndex::new(text))
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.0.line_of(offset) + 1
    }
}

/// The byte range of the first line that is not blank: where a report about
/// a file's name (a page's, an article folder's) points.
fn first_line(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.len() - text.trim_start().len();
    let line = text[start..].lines().next()?;
    (!line.is_empty()).then(|| start..start + line.len())
}

/// Ids and slugs: `[a-z0-9-]+`, so they read the same in URLs and files.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reports `field` unless it is an absolute http(s) address.
pub fn check_web_address(ctx: &mut source::LoadContext, file: &Path, field: &str, url: &toml::Spanned<String>) {
    let text = url.get_ref();
    if web_address_problem(text).is_some() {
        ctx.report(
            Diagnostic::error(
                "bad-address",
                file,
                Some(url.span()),
                format!("{field} must be an absolute http(s) address, not `{text}`"),
            )
            .with_help(format!("for example {field} = \"https://example.org/article\"")),
        );
    }
}

/// What keeps `url` from being an absolute web address, if anything.
pub fn web_address_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return Some("it does not start with https:// or http://");
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Some("it has no host after the //");
    }
    url.contains(char::is_whitespace).then_some("it holds white space")
}

/// Reports `field` unless it is shaped as a language tag (BCP 47): a
/// language of two or three letters, then subtags of one to eight letters
/// or digits, each after a hyphen (`en`, `zh-Hant`, `en-GB`). The value
/// becomes the `lang` of what it is about, and a reader's screen reader
/// and the browser's fonts and hyphenation follow it.
pub fn check_language(
    ctx: &mut source::LoadContext,
    file: &Path,
    field: &str,
    (tag, span): (&str, std::ops::Range<usize>),
) {
    if is_language_tag(tag) {
        return;
    }
    ctx.report(
        Diagnostic::error(
            "bad-language",
            file,
            Some(span),
            format!("{field} must be a language tag, not `{tag}`"),
        )
        .with_help(format!(
            "for example {field} = \"en\", \"fr\" or \"zh-Hant\" (a code, not the language's name)"
        )),
    );
}

fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let language = subtags.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Reports raw HTML and refused link schemes in a Markdown value found at
/// `span` of `file` (a whole text.md, or one TOML string).
pub fn check_markdown(ctx: &mut source::LoadContext, file: &Path, file_text: &str, span: std::ops::Range<usize>) {
    let raw = &file_text[span.clone()];
    let (markdown, offset) = markdown_value(raw, span.start);
    let parts = crate::markdown::unsafe_parts(&markdown);
    report_unsafe(ctx, file, file_text, (&markdown, offset), parts);
}

/// Reports raw HTML, refused links and remote images found in `markdown`, which starts at
/// byte `offset` of `file_text` (a whole Markdown file, or a TOML value).
pub fn report_unsafe(
    ctx: &mut source::LoadContext,
    file: &Path,
    file_text: &str,
    (markdown, offset): (&str, usize),
    parts: Vec<(std::ops::Range<usize>, crate::markdown::Unsafe)>,
) {
    for (range, problem) in parts {
        let located = locate(file_text, &markdown[range.clone()], offset + range.start);
        ctx.report(crate::markdown::diagnostic(file, located, &problem));
    }
}

/// A TOML string value's text and where it starts: for `"""…"""` / `"…"`
/// the quotes are skipped; escapes inside are rare in Markdown fields, and the
/// location is then searched by content (see `locate`).
fn markdown_value(raw: &str, start: usize) -> (String, usize) {
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            let skip_newline = usize::from(quote.len() == 3 && inner.starts_with('\n'));
            return (inner[skip_newline..].to_owned(), start + quote.len() + skip_newline);
        }
    }
    (raw.to_owned(), start)
}

/// Where `needle` really is in the file, near where it was expected.
fn locate(file_text: &str, needle: &str, expected: usize) -> std::ops::Range<usize> {
    let start = file_text
        .get(expected..)
        .filter(|rest| rest.starts_with(needle))
        .map(|_| expected)
        .or_else(|| file_text.find(needle))
        .unwrap_or(expected.min(file_text.len()));
    start..(start + needle.len()).min(file_text.len())
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags_are_codes_not_names() {
        for tag in ["en", "fr", "zh-Hans", "zh-Hant-TW", "en-GB", "yue", "de-1996"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in ["english", "Chinese", "", "e", "zh_CN", "zh-", "en-abcdefghi", "en gb"] {
            assert!(!is_language_tag(tag), "{tag}");
        }
    }
}
