//! What the fuzz targets share: a site written from arbitrary files into a
//! scratch folder, run through the library's pipeline in memory, and the
//! checks every output must pass (diagnostics inside their files, pages that
//! parse, no markup outside the theme's allow-list).

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use duben::diagnostics::{Diagnostic, Sources};
use duben::render::{self, OutputFile, RenderOptions, theme::Theme};
use duben::{content, resolve};
use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element};

/// Separates the parts of one fuzz input (files, terms): the record
/// separator, which a mutation inserts as easily as any byte.
pub const SEPARATOR: u8 = 0x1E;

/// The files of a one-article site, each arbitrary bytes (not always UTF-8).
#[derive(Debug, Default)]
pub struct SiteFiles {
    pub site_toml: Vec<u8>,
    pub article_toml: Vec<u8>,
    pub text_md: Vec<u8>,
    pub notes_toml: Vec<u8>,
    pub glossary_toml: Vec<u8>,
    pub timeline_toml: Vec<u8>,
    pub page_md: Vec<u8>,
}

/// The file names, in the order a seed (and `SiteFiles::from_bytes`) has them.
pub const FILES: [&str; 7] = [
    "site.toml",
    "content/essay/article.toml",
    "content/essay/text.md",
    "content/essay/notes.toml",
    "content/glossary.toml",
    "content/timeline.toml",
    "content/pages/about.md",
];

impl SiteFiles {
    /// The files of `data`, separated by `SEPARATOR`; missing ones are empty.
    pub fn from_bytes(data: &[u8]) -> SiteFiles {
        let mut parts = data.split(|&b| b == SEPARATOR).map(<[u8]>::to_vec);
        let mut next = || parts.next().unwrap_or_default();
        SiteFiles {
            site_toml: next(),
            article_toml: next(),
            text_md: next(),
            notes_toml: next(),
            glossary_toml: next(),
            timeline_toml: next(),
            page_md: next(),
        }
    }
}

/// Writes the files into a fresh scratch folder (in memory where /dev/shm is).
pub fn write_site(files: &SiteFiles) -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a scratch folder");
    let root = dir.path();
    let write = |path: &str, text: &[u8]| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let contents = [
        &files.site_toml,
        &files.article_toml,
        &files.text_md,
        &files.notes_toml,
        &files.glossary_toml,
        &files.timeline_toml,
        &files.page_md,
    ];
    for (path, text) in FILES.iter().zip(contents) {
        write(path, text);
    }
    dir
}

/// The built-in theme, compiled once for every input.
pub fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let empty = tempfile::tempdir().unwrap();
        match render::theme::load(empty.path()) {
            Ok(theme) => theme,
            Err(_) => panic!("the built-in theme compiles"),
        }
    })
}

/// load → resolve → render, as `check --links` runs it: the diagnostics, the
/// sources they point into, and the pages when there was no error.
pub fn run(root: &Path) -> (Vec<Diagnostic>, Sources, Vec<OutputFile>) {
    let loaded = content::load(root);
    let mut sources = loaded.sources;
    let options = resolve::Options::whole(true);
    let (resolved, mut diagnostics) = resolve::resolve(&loaded.site, &sources, &options);
    diagnostics.extend(loaded.diagnostics);
    content::read_reported(root, &diagnostics, &mut sources);
    let mut pages = Vec::new();
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let out = Mutex::new(Vec::new());
        let keep = |file: &OutputFile| -> Result<(), std::convert::Infallible> {
            out.lock().unwrap().push(OutputFile {
                path: file.path.clone(),
                bytes: file.bytes.clone(),
            });
            Ok(())
        };
        match render::render_site(&resolved, theme(), &RenderOptions::default(), &keep) {
            Ok(_) => pages = out.into_inner().unwrap(),
            Err(render::RenderError::Templates(found)) => diagnostics.extend(found),
            Err(render::RenderError::Sink(never)) => match never {},
        }
    }
    // Nothing changes the files meanwhile: every text read again for a
    // pass must be the text loaded, whatever bytes it holds.
    let changed: Vec<Diagnostic> = content::changed_texts(&loaded.site).collect();
    assert!(changed.is_empty(), "a text read again differed from the text loaded: {changed:?}");
    (diagnostics, sources, pages)
}

/// Every diagnostic with a span points inside a file the report knows, and
/// its line and column lie inside that file.
pub fn assert_diagnostics_inside(diagnostics: &[Diagnostic], sources: &Sources) {
    for d in diagnostics {
        let Some(span) = &d.span else { continue };
        let text = sources
            .get(&d.file)
            .unwrap_or_else(|| panic!("{} has a span, but its text is not kept: {d:?}", d.file.display()));
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside {} ({} bytes): {d:?}",
            d.file.display(),
            text.len()
        );
        let (line, column) = sources.line_col(&d.file, span.start);
        let lines = text.split('\n').count();
        assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d:?}");
        let line_text = text.split('\n').nth(line - 1).unwrap_or("");
        assert!(
            column >= 1 && column <= line_text.chars().count() + 1,
            "column {column} on a line of {} characters: {d:?}",
            line_text.chars().count()
        );
    }
    // Rendering a report never panics, in any format.
    for format in [
        duben::diagnostics::Format::Human,
        duben::diagnostics::Format::Github,
        duben::diagnostics::Format::Json,
    ] {
        let _ = duben::diagnostics::render(diagnostics, sources, format, false);
    }
}

/// Elements the theme and duben's Markdown may produce; anything else in a
/// page came from content and is a hole.
pub const ALLOWED_ELEMENTS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "script", "style", "noscript", "header", "footer", "nav",
    "main", "article", "section", "aside", "div", "span", "p", "a", "em", "strong", "code", "pre", "blockquote",
    "ol", "ul", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "img", "sup", "sub",
    "small", "time", "button", "input", "label", "form", "details", "summary", "figure", "figcaption", "svg",
    "path", "template", "dialog", "abbr", "ruby", "rt", "rp", "mark", "kbd", "samp", "table", "thead", "tbody",
    "tr", "th", "td", "select", "option", "search", "b", "i", "u", "s", "del", "ins", "cite", "q", "fieldset",
    "legend", "textarea", // the reading settings and the proposal dialog
    "g", "rect", "line", "circle", "text", // the time axis (SVG)
];

/// Elements duben's Markdown may produce (CommonMark, footnotes, and the
/// `span`s that mark an external link; raw HTML is shown as text): a field
/// of content holds nothing else, not even the theme's own `script` or
/// `template`.
pub const MARKDOWN_ELEMENTS: &[&str] = &[
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ol", "ul", "li", "pre", "code", "em", "strong", "a",
    "img", "hr", "br", "div", "sup", "span",
];

/// Attributes that take a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "formaction", "poster", "data", "srcset", "xlink:href"];

/// What is wrong with one page's markup, if anything: an element outside the
/// allow-list, an `on*` attribute, a URL with a scheme other than http,
/// https or mailto. The page must also parse.
pub fn markup_problems(name: &Path, html: &[u8]) -> Vec<String> {
    markup_problems_among(name, html, ALLOWED_ELEMENTS)
}

/// `markup_problems`, with `allowed` the elements the markup may hold.
pub fn markup_problems_among(name: &Path, html: &[u8], allowed: &[&str]) -> Vec<String> {
    let problems = std::cell::RefCell::new(Vec::new());
    let settings = Settings::new().append_element_content_handler(element!("*", |el: &mut Element| {
        let tag = el.tag_name();
        let mut p = problems.borrow_mut();
        if !allowed.contains(&tag.as_str()) {
            p.push(format!("element <{tag}>"));
        }
        for attribute in el.attributes() {
            let attr = attribute.name();
            if attr.starts_with("on") {
                p.push(format!("attribute {attr} on <{tag}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && !duben::markdown::is_allowed_url(&attribute.value()) {
                p.push(format!("{attr}=\"{}\" on <{tag}>", attribute.value()));
            }
        }
        Ok(())
    }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    if let Err(e) = rewriter.write(html).and_then(|()| rewriter.end()) {
        problems.borrow_mut().push(format!("does not parse: {e}"));
    }
    if std::str::from_utf8(html).is_err() {
        problems.borrow_mut().push("not UTF-8".into());
    }
    if html.contains(&0) {
        problems.borrow_mut().push("holds a NUL byte".into());
    }
    problems
        .into_inner()
        .into_iter()
        .map(|p| format!("{}: {p}", name.display()))
        .collect()
}

/// Every HTML page of `pages` parses and keeps to the allow-list.
pub fn assert_pages_safe(pages: &[OutputFile]) {
    let mut problems = Vec::new();
    for page in pages.iter().filter(|p| p.path.extension().is_some_and(|x| x == "html")) {
        problems.extend(markup_problems(&page.path, &page.bytes));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A TOML basic string holding `text`, however hostile.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
