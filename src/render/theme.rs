//! The theme: Tera templates and static files compiled into the binary, each
//! overridable by a file of the same name in the site's own `templates/` or
//! `static/` (as mdBook's theme is). Built once per build, shared by all pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::content::{self, symlink};
use crate::diagnostics::{Diagnostic, Sources};

macro_rules! builtin {
    ($dir:literal, $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../", $dir, "/", $name)) as &[u8])),*]
    };
}

const TEMPLATES: &[(&str, &[u8])] = builtin!(
    "templates",
    "base.html",
    "home.html",
    "reader.html",
    "glossary.html",
    "timeline.html",
    "page.html",
    "404.html",
    "sitemap.xml",
    "byline.html",
    "event-when.html",
    "timeline-axis.html",
    "card.html",
    // The course: syllabus, reading navigation, search, vocabulary, a reading's timeline.
    "syllabus.html",
    "syllabus-readings.html",
    "reading-nav.html",
    "reading-links.html",
    "search.html",
    "search-box.html",
    "vocabulary.html",
    "reading-timeline.html",
    "glossary-az-nav.html",
    "glossary-az.html",
    // Proposing changes from the reader page, and entries' source links
    // (only with a repository).
    "propose.html",
    "source-link.html",
);
const STATIC: &[(&str, &[u8])] = builtin!(
    "static",
    "duben.css",
    "duben.js",
    "favicon.svg",
    // The glossary's filter.
    "glossary.js",
    // The reader's apparatus: copying, print, citing, navigation, notes
    // in the margin, settings.
    "duben-reader.css",
    "duben-reader.js",
    // The course: progress, search.
    "course.css",
    "course.js",
    "search.js",
    "propose.css",
    "propose.js",
    // The dictionary: lookup cards and pinyin ruby.
    "lookup.js",
);
/// The reader's proposing tools, written and loaded only on a site with a
/// repository; they are left out of `asset_version`, so that a site without
/// a repository is not changed by them.
pub const PROPOSE_FILES: &[&str] = &["propose.css", "propose.js"];

/// Whether `path` (under static/) is one of `PROPOSE_FILES`.
pub fn is_propose_file(path: &Path) -> bool {
    PROPOSE_FILES.iter().any(|name| path.as_os_str() == *name)
}

pub struct Theme {
    pub tera: Tera,
    /// Relative path under `static/` → contents.
    pub static_files: BTreeMap<PathBuf, Vec<u8>>,
    /// Changes whenever a static file changes, for `?v=` cache-busting.
    pub asset_version: String,
    /// The same for `PROPOSE_FILES` alone.
    pub propose_version: String,
}

/// Why a theme cannot be used: every problem, and the text of the templates
/// they point into (for the report's source lines).
pub struct ThemeError {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

pub fn load(root: &Path) -> Result<Theme, ThemeError> {
    let mut diagnostics = Vec::new();
    let mut templates: BTreeMap<String, (PathBuf, String)> = TEMPLATES
        .iter()
        .map(|(name, bytes)| {
            (
                name.to_string(),
                (
                    PathBuf::from("templates").join(name),
                    String::from_utf8_lossy(bytes).into_owned(),
                ),
            )
        })
        .collect();
    for (relative, bytes) in site_files(root, "templates", &mut diagnostics) {
        let name = relative
            .strip_prefix("templates")
            .unwrap_or(&relative)
            .to_string_lossy()
            .replace('\\', "/");
        match String::from_utf8(bytes) {
            Ok(text) => {
                templates.insert(name, (relative, text));
            }
            Err(_) => diagnostics.push(Diagnostic::error(
                "template-encoding",
                &relative,
                None,
                "this template is not UTF-8 text",
            )),
        }
    }
    let mut static_files: BTreeMap<PathBuf, Vec<u8>> = STATIC
        .iter()
        .map(|(name, bytes)| (PathBuf::from(name), bytes.to_vec()))
        .collect();
    for (relative, bytes) in site_files(root, "static", &mut diagnostics) {
        static_files.insert(
            relative.strip_prefix("static").unwrap_or(&relative).to_path_buf(),
            bytes,
        );
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let mut sources = Sources::default();
    if let Err(error) = tera.add_raw_templates(templates.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())))
    {
        diagnostics.push(compile_error(&error, &templates, &mut sources));
    }
    if !diagnostics.is_empty() {
        return Err(ThemeError { diagnostics, sources });
    }
    let (propose, others): (Vec<_>, Vec<_>) = static_files.iter().partition(|(path, _)| is_propose_file(path));
    let version = |files: Vec<(&PathBuf, &Vec<u8>)>| {
        format!(
            "{:08x}",
            fnv1a(files.into_iter().flat_map(|(_, b)| b.iter().copied())) as u32
        )
    };
    let asset_version = version(others);
    let propose_version = version(propose);
    Ok(Theme {
        tera,
        static_files,
        asset_version,
        propose_version,
    })
}

/// A template that does not compile, at its file, line and column when
/// Tera says where (a syntax error), else at the templates folder.
fn compile_error(
    error: &tera::Error,
    templates: &BTreeMap<String, (PathBuf, String)>,
    sources: &mut Sources,
) -> Diagnostic {
    let help = "a site's templates/ file overrides the built-in one of the same name; see https://keats.github.io/tera/ for the syntax";
    if let tera::ErrorKind::SyntaxError(report) = error.kind()
        && let Some((path, text)) = templates.get(report.filename())
    {
        sources.add(path, text.clone());
        let span = report.span().range.clone();
        return Diagnostic::error(
            "template",
            path,
            Some(span),
            format!("this template does not compile: {}", report.message()),
        )
        .with_help(help);
    }
    Diagnostic::error(
        "template",
        Path::new("templates"),
        None,
        format!("a template does not compile:\n{error}"),
    )
    .with_help(help)
}

/// Every file under `root/dir`, read, with its path relative to the root.
/// Symbolic links are not followed (docs/security.md): a file that is one
/// is skipped, and a folder that is one, `dir` itself included, is
/// reported, since what it holds is left out of the site.
fn site_files(root: &Path, dir: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<(PathBuf, Vec<u8>)> {
    if let Some(link) = symlink::linked_folder(root, Path::new(dir)) {
        diagnostics.push(symlink::linked_folder_report(root, &link));
        return Vec::new();
    }
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
        // A folder that cannot be listed is reported, as content's are:
        // its templates or files would otherwise be missing without a word.
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                diagnostics.push(content::unreadable_folder(root, Path::new(dir), &error));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if entry.path_is_symlink() && entry.path().is_dir() {
            diagnostics.push(symlink::linked_folder_report(root, &relative));
        }
        if content::is_special(entry.file_type()) {
            diagnostics.push(content::not_a_file(&relative, entry.file_type()));
        }
        if !entry.file_type().is_file() {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((relative, bytes)),
            Err(error) => diagnostics.push(content::unreadable_file(&relative, &error)),
        }
    }
    files
}

/// A small, stable hash (FNV-1a): the same bytes give the same version on
/// every machine and every run.
pub(super) fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf29ce484222325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100000001b3)
    })
}
