//! Link checking over the rendered site: every relative `href` and `src` in every
//! HTML page must name a file of the output, and a `#fragment` must name an
//! `id` in that file. External links (`https:`, `mailto:`, `//host`) are left
//! alone: nothing here touches the network or reads the content sources.
//! The site is rendered into memory from the content `check` already
//! resolved, never loaded or written a second time.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element};

use crate::diagnostics::{Diagnostic, Sources, did_you_mean};
use crate::render::{self, OutputFile, RenderError, RenderOptions, theme::Theme};
use crate::resolve::Resolved;

const CODE: &str = "broken-link";

/// A built site as the checker sees it: every file's path (relative, with
/// `/`), and the text of every HTML page.
#[derive(Default, Debug)]
pub struct BuiltSite {
    pub files: BTreeSet<String>,
    pub pages: BTreeMap<String, String>,
}

impl BuiltSite {
    /// Takes in one rendered file; HTML pages are kept as text.
    fn add(&mut self, file: &OutputFile) {
        let name = file.path.to_string_lossy().replace('\\', "/");
        if is_html(&name) {
            self.pages
                .insert(name.clone(), String::from_utf8_lossy(&file.bytes).into_owned());
        }
        self.files.insert(name);
    }
}

fn is_html(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".htm")
}

/// A link that does not work, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page the link is on, relative to the output folder.
    pub page: String,
    /// Byte range of the attribute value in the page.
    pub span: Range<usize>,
    /// The link as written in the attribute.
    pub link: String,
    pub problem: Problem,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// `/glossary/`: resolves against the host, not the site.
    RootRelative,
    /// `../glossary/`: a web server adds `index.html`, a browser opening the
    /// site from disk does not.
    Folder {
        index: String,
    },
    /// More `../` than the page is deep.
    OutsideSite,
    MissingFile {
        target: String,
        suggestion: Option<String>,
    },
    MissingId {
        target: String,
        id: String,
        suggestion: Option<String>,
    },
    /// An `id` given to a second element of the same page: a link to it
    /// finds only the first (`link` is then the id).
    DuplicateId,
}

/// Every broken internal link of the site, page by page in path order.
pub fn broken_links(site: &BuiltSite) -> Vec<BrokenLink> {
    let scanned: BTreeMap<&str, Scan> = site
        .pages
        .iter()
        .map(|(name, html)| (name.as_str(), scan(html)))
        .collect();
    let mut broken = Vec::new();
    for (page, found) in &scanned {
        for (id, span) in &found.duplicate_ids {
            broken.push(BrokenLink {
                page: page.to_string(),
                span: span.clone(),
                link: id.clone(),
                problem: Problem::DuplicateId,
            });
        }
        for link in &found.links {
            if let Some(problem) = check_link(site, &scanned, page, &link.value) {
                broken.push(BrokenLink {
                    page: page.to_string(),
                    span: link.span.clone(),
                    link: link.value.clone(),
                    problem,
                });
            }
        }
    }
    broken
}

fn check_link(site: &BuiltSite, scanned: &BTreeMap<&str, Scan>, page: &str, link: &str) -> Option<Problem> {
    if link.is_empty() || is_external(link) {
        return None;
    }
    if link.starts_with('/') {
        return Some(Problem::RootRelative);
    }
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path = path.split_once('?').map_or(path, |(path, _query)| path);
    let target = if path.is_empty() {
        page.to_owned()
    } else {
        let Some(resolved) = resolve(page, &percent_decode(path)) else {
            return Some(Problem::OutsideSite);
        };
        if resolved.is_empty() || resolved.ends_with('/') {
            let slash = if path.ends_with('/') { "" } else { "/" };
            let index = format!("{path}{slash}index.html");
            return Some(Problem::Folder { index });
        }
        resolved
    };
    if !site.files.contains(&target) {
        let suggestion = did_you_mean(&target, site.files.iter().map(String::as_str)).map(str::to_owned);
        return Some(Problem::MissingFile { target, suggestion });
    }
    let id = percent_decode(fragment?);
    let ids = &scanned.get(target.as_str())?.ids;
    if id.is_empty() || ids.contains(&id) || id.eq_ignore_ascii_case("top") {
        return None;
    }
    let suggestion = did_you_mean(&id, ids.iter().map(String::as_str)).map(str::to_owned);
    Some(Problem::MissingId { target, id, suggestion })
}

/// `https:`, `mailto:`, `data:`, … and protocol-relative `//host/…`.
fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    crate::markdown::scheme(link).is_some()
}

/// Resolves `path` against the folder of `page`; `None` (reported as
/// `OutsideSite` by the caller) when it climbs above the output folder.
/// A result ending in `/` (or empty) names a folder.
fn resolve(page: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "" | "." if i == last => parts.push(""),
            "" | "." => {}
            ".." => {
                parts.pop()?;
                if i == last {
                    parts.push("");
                }
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// What one page holds: its links and its fragment targets.
#[derive(Default)]
struct Scan {
    links: Vec<Link>,
    ids: BTreeSet<String>,
    /// Ids met a second time, where they were met again.
    duplicate_ids: Vec<(String, Range<usize>)>,
}

struct Link {
    value: String,
    span: Range<usize>,
}

/// Collects `href`/`src` values (with their place in the page) and `id`s
/// without building a DOM. Our own output is well-formed; should the
/// rewriter refuse a page, what was collected before the refusal is kept.
fn scan(html: &str) -> Scan {
    let found = RefCell::new(Scan::default());
    let settings = Settings::new().append_element_content_handler(element!("*", |el: &mut Element| {
        collect(el, &mut found.borrow_mut());
        Ok(())
    }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(html.as_bytes()).and_then(|()| rewriter.end());
    found.into_inner()
}

fn collect(el: &Element, found: &mut Scan) {
    let is_anchor = el.tag_name() == "a";
    for attribute in el.attributes() {
        let name = attribute.name();
        let value = decode_entities(attribute.value().trim());
        match name.as_str() {
            "href" | "src" => {
                let span = attribute.value_source_location().map_or(0..0, |l| l.bytes());
                found.links.push(Link { value, span });
            }
            "id" => {
                let span = attribute.value_source_location().map_or(0..0, |l| l.bytes());
                if !found.ids.insert(value.clone()) {
                    found.duplicate_ids.push((value, span));
                }
            }
            // `<a name>` is the older way to make a fragment target.
            "name" if is_anchor => {
                found.ids.insert(value);
            }
            _ => {}
        }
    }
}

/// Attribute values arrive as written: `&amp;` and numeric references are
/// decoded; other named references are rare in URLs and stay as they are.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| Some((entity(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32);
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            Some(decimal) => number(decimal, 10),
            None => None,
        },
    }
}

/// `%E4%B8%80` → `一`: browsers decode paths and fragments before matching
/// them against file names and ids.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The diagnostics for `site`'s broken links. `label` is the folder name the
/// reports give the output (`public`), and each page's text is added to
/// `sources` so the report can show the line.
pub fn diagnostics(site: &BuiltSite, label: &Path, sources: &mut Sources) -> Vec<Diagnostic> {
    let broken = broken_links(site);
    for page in broken.iter().map(|b| &b.page).collect::<BTreeSet<_>>() {
        sources.add(&label.join(page), site.pages[page].clone());
    }
    broken.iter().map(|b| to_diagnostic(b, label)).collect()
}

fn to_diagnostic(broken: &BrokenLink, label: &Path) -> Diagnostic {
    let link = &broken.link;
    let (message, help) = match &broken.problem {
        Problem::DuplicateId => (
            format!("two elements of this page have the id `{link}`: a link to it finds only the first"),
            "this comes from the content (e.g. two footnote labels, or a term and a heading); rename one of them"
                .to_owned(),
        ),
        Problem::RootRelative => (
            format!(
                "the link `{link}` starts with `/`, so it breaks when the site is published under a sub-path (as on GitHub Pages) or opened from disk"
            ),
            "write it relative to this page, e.g. `../glossary/index.html`".to_owned(),
        ),
        Problem::Folder { index } => (
            format!(
                "the link `{link}` names a folder: that works on a web server, but not when the site is opened from disk"
            ),
            format!("link to the page itself: `{index}`"),
        ),
        Problem::OutsideSite => (
            format!("the link `{link}` leads outside the site"),
            "it has more `../` than this page is deep in the site; remove one".to_owned(),
        ),
        Problem::MissingFile { target, suggestion } => (
            format!("the link `{link}` points to `{target}`, which the site does not have"),
            match suggestion {
                Some(s) => format!("did you mean `{s}`? Links are relative to the page they are on"),
                None => "check the spelling; links are relative to the page they are on".to_owned(),
            },
        ),
        Problem::MissingId { target, id, suggestion } => (
            format!("the link `{link}` points to `#{id}`, but `{target}` has no element with that id"),
            match suggestion {
                Some(s) => format!("did you mean `#{s}`?"),
                None => "paragraphs are `#p1`, `#p2`, …; glossary entries `#term-<id>`; timeline events `#event-<id>`"
                    .to_owned(),
            },
        ),
    };
    let span = Some(broken.span.clone()).filter(|s| !s.is_empty());
    let code = match broken.problem {
        Problem::DuplicateId => "duplicate-id",
        _ => CODE,
    };
    Diagnostic::error(code, &label.join(&broken.page), span, message).with_help(help)
}

/// `check --links`: renders the resolved site into memory and checks its links; `label` is
/// the output folder the diagnostics name. A broken link that was written in
/// a content file (an article's text.md or notes, a glossary or timeline
/// file, an extra page) is reported at that file, line and column, read
/// from `root`; only links the templates made are reported in the page.
pub fn check_site(
    resolved: &Resolved,
    theme: &Theme,
    root: &Path,
    label: &Path,
    sources: &mut Sources,
) -> Vec<Diagnostic> {
    let built = std::sync::Mutex::new(BuiltSite::default());
    let keep = |file: &OutputFile| -> Result<(), std::convert::Infallible> {
        built.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).add(file);
        Ok(())
    };
    let options = RenderOptions::default();
    match render::render_site(resolved, theme, &options, &keep) {
        Ok(_) => {
            let site = built.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut finder = SourceFinder::new(resolved, root);
            let mut found = Vec::new();
            let mut pages_shown = BTreeSet::new();
            for broken in broken_links(&site) {
                let mut diagnostic = to_diagnostic(&broken, label);
                match finder.find(&broken) {
                    Some((file, span, text)) => {
                        diagnostic.file = file.clone();
                        diagnostic.span = Some(span);
                        sources.add(&file, text);
                    }
                    None => {
                        if pages_shown.insert(broken.page.clone()) {
                            sources.add(&label.join(&broken.page), site.pages[&broken.page].clone());
                        }
                    }
                }
                found.push(diagnostic);
            }
            found
        }
        Err(RenderError::Templates(problems)) => problems,
        Err(RenderError::Sink(never)) => match never {},
    }
}

/// Finds where in the content a link of a page was written.
struct SourceFinder<'r> {
    resolved: &'r Resolved<'r>,
    root: &'r Path,
    /// File → its text (read once), for the files searched so far.
    texts: BTreeMap<std::path::PathBuf, Option<String>>,
    /// (file, needle) → where the next search starts: the second broken
    /// copy of a link is the second place it is written.
    next: BTreeMap<(std::path::PathBuf, String), usize>,
}

impl<'r> SourceFinder<'r> {
    fn new(resolved: &'r Resolved<'r>, root: &'r Path) -> Self {
        SourceFinder {
            resolved,
            root,
            texts: BTreeMap::new(),
            next: BTreeMap::new(),
        }
    }

    /// The content files whose Markdown reaches `page`, most likely first.
    fn candidates(&self, page: &str) -> Vec<std::path::PathBuf> {
        let site = self.resolved.site;
        let folder = page.strip_suffix("/index.html").unwrap_or("");
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut push = |file: &Path| {
            if !files.iter().any(|f| f == file) {
                files.push(file.to_path_buf());
            }
        };
        if let Some(article) = site.articles.iter().find(|a| a.slug == folder) {
            let dir = Path::new("content").join(&article.slug);
            push(&dir.join("text.md"));
            for note in &article.notes {
                push(&note.file);
            }
            push(&dir.join("article.toml"));
        } else if let Some(extra) = site.pages.iter().find(|p| p.slug == folder) {
            push(&extra.file);
        }
        if folder == "timeline" || site.articles.iter().any(|a| a.slug == folder) {
            for event in &site.events {
                push(&event.file);
            }
        }
        // Definitions show on the glossary and in the cards of every page.
        for term in &site.terms {
            push(&term.file);
        }
        files
    }

    fn find(&mut self, broken: &BrokenLink) -> Option<(std::path::PathBuf, Range<usize>, String)> {
        let decoded = decode_entities(&broken.link);
        let mut needles = vec![decoded.clone(), percent_decode(&decoded)];
        needles.dedup();
        for file in self.candidates(&broken.page) {
            let root = self.root;
            let text = self
                .texts
                .entry(file.clone())
                .or_insert_with(|| std::fs::read_to_string(root.join(&file)).ok());
            let Some(text) = text.as_ref() else { continue };
            for needle in &needles {
                let key = (file.clone(), needle.clone());
                let from = self.next.get(&key).copied().unwrap_or(0);
                let at = text
                    .get(from..)
                    .and_then(|rest| rest.find(needle.as_str()))
                    .map(|i| i + from)
                    .or_else(|| (from > 0).then(|| text.find(needle.as_str())).flatten());
                if let Some(at) = at {
                    self.next.insert(key, at + needle.len());
                    return Some((file, at..at + needle.len(), text.clone()));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)], other_files: &[&str]) -> BuiltSite {
        let mut site = BuiltSite::default();
        for (name, html) in pages {
            site.pages.insert(name.to_string(), html.to_string());
            site.files.insert(name.to_string());
        }
        site.files.extend(other_files.iter().map(|f| f.to_string()));
        site
    }

    fn problems(site: &BuiltSite) -> Vec<(String, String, Problem)> {
        broken_links(site)
            .into_iter()
            .map(|b| (b.page, b.link, b.problem))
            .collect()
    }

    #[test]
    fn relative_links_to_existing_files_and_ids_pass() {
        let built = site(
            &[
                (
                    "index.html",
                    r#"<a href="essay/index.html#p2">¶2</a><img src="static/logo.svg">"#,
                ),
                (
                    "essay/index.html",
                    r##"<p id="p2">text <a href="../glossary/index.html?x=1&amp;y=2#term-tra">TRA</a> <a href="#p2">¶</a> <a href="#">top</a></p>"##,
                ),
                ("glossary/index.html", r#"<dt id="term-tra">TRA</dt>"#),
            ],
            &["static/logo.svg"],
        );
        assert_eq!(problems(&built), vec![]);
    }

    #[test]
    fn an_id_given_twice_on_a_page_is_found() {
        let page = r#"<p id="fn-a-b">x</p><p id="fn-a-b">y</p><a href="a.html">z</a>"#;
        let site = site(&[("a.html", page)], &[]);
        assert_eq!(
            problems(&site),
            vec![("a.html".into(), "fn-a-b".into(), Problem::DuplicateId)]
        );
    }

    #[test]
    fn external_links_are_not_followed() {
        let built = site(
            &[(
                "index.html",
                r#"<a href="https://example.org/x">x</a><a href="mailto:a@b.c">m</a><a href="//cdn.example/x.js">c</a><img src="data:image/png;base64,AAAA">"#,
            )],
            &[],
        );
        assert_eq!(problems(&built), vec![]);
    }

    #[test]
    fn a_missing_file_is_reported_with_the_closest_one() {
        let built = site(
            &[
                ("essay/index.html", r#"<a href="../timline/index.html">timeline</a>"#),
                ("timeline/index.html", ""),
            ],
            &[],
        );
        assert_eq!(
            problems(&built),
            vec![(
                "essay/index.html".into(),
                "../timline/index.html".into(),
                Problem::MissingFile {
                    target: "timline/index.html".into(),
                    suggestion: Some("timeline/index.html".into())
                }
            )]
        );
    }

    #[test]
    fn a_missing_id_is_reported_with_the_closest_one() {
        let built = site(
            &[
                (
                    "essay/index.html",
                    r##"<p id="p1"><a href="#p12">¶12</a></p><p id="p2"></p>"##,
                ),
                ("glossary/index.html", r#"<dt id="term-taiwan-relations-act"></dt>"#),
                (
                    "index.html",
                    r#"<a href="glossary/index.html#term-taiwan-relation-act">x</a>"#,
                ),
            ],
            &[],
        );
        let found = problems(&built);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].2,
            Problem::MissingId {
                target: "essay/index.html".into(),
                id: "p12".into(),
                suggestion: Some("p1".into())
            }
        );
        assert_eq!(
            found[1].2,
            Problem::MissingId {
                target: "glossary/index.html".into(),
                id: "term-taiwan-relation-act".into(),
                suggestion: Some("term-taiwan-relations-act".into())
            }
        );
    }

    #[test]
    fn chinese_ids_match_whether_or_not_the_link_is_percent_encoded() {
        let built = site(
            &[(
                "essay/index.html",
                r##"<h2 id="一-历史"></h2><a href="#一-历史">a</a><a href="#%E4%B8%80-%E5%8E%86%E5%8F%B2">b</a>"##,
            )],
            &[],
        );
        assert_eq!(problems(&built), vec![]);
    }

    #[test]
    fn links_that_only_work_on_a_server_are_reported() {
        let built = site(
            &[
                (
                    "essay/index.html",
                    r#"<a href="/glossary/index.html">a</a><a href="../glossary/">b</a><a href="../../x.html">c</a>"#,
                ),
                ("glossary/index.html", ""),
            ],
            &[],
        );
        let found: Vec<Problem> = problems(&built).into_iter().map(|p| p.2).collect();
        assert_eq!(
            found,
            vec![
                Problem::RootRelative,
                Problem::Folder {
                    index: "../glossary/index.html".into()
                },
                Problem::OutsideSite
            ]
        );
    }

    #[test]
    fn the_span_covers_the_attribute_value() {
        let html = r#"<p><a class="x" href="nowhere.html">x</a></p>"#;
        let built = site(&[("index.html", html)], &[]);
        let broken = broken_links(&built);
        assert_eq!(&html[broken[0].span.clone()], "nowhere.html");
    }

    #[test]
    fn legacy_named_anchors_are_fragment_targets() {
        let built = site(&[("index.html", r##"<a name="old"></a><a href="#old">x</a>"##)], &[]);
        assert_eq!(problems(&built), vec![]);
    }

    #[test]
    fn diagnostics_name_the_page_and_the_link() {
        let built = site(&[("essay/index.html", r#"<a href="../nope.html">x</a>"#)], &[]);
        let mut sources = Sources::default();
        let found = diagnostics(&built, Path::new("public"), &mut sources);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "broken-link");
        assert_eq!(found[0].file, Path::new("public/essay/index.html"));
        assert!(found[0].message.contains("`../nope.html`"), "{}", found[0].message);
        assert_eq!(
            sources.line_col(&found[0].file, found[0].span.clone().unwrap().start),
            (1, 10)
        );
    }
}
