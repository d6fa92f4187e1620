//! Diagnostics: what a stage found wrong, where, and what to do about it.
//!
//! Every stage returns `Diagnostic`s as data; only the commands print them, in
//! one of three formats (human snippets, GitHub workflow commands, JSON lines).
//! Locations are byte ranges into a source file; line and column (in
//! characters, as editors count them) are computed only when reporting.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the content.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, greppable identifier such as `anchor-not-found`.
    pub code: &'static str,
    /// Path relative to the site root, as the editor sees it in the repository.
    pub file: PathBuf,
    /// Byte range in `file`; none when the problem concerns the file as a whole.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &Path, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_path_buf(),
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, file: &Path, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file diagnostics may point into, keyed by relative path.
#[derive(Default, Debug)]
pub struct Sources {
    files: BTreeMap<PathBuf, SourceFile>,
    /// The files read but not kept (an article's text and notes, unless
    /// loading found a problem in them), each with a fingerprint of the
    /// text read: a report reads one back only if it is still that text,
    /// so that no span points into a file saved since.
    let_go: BTreeMap<PathBuf, u64>,
}

/// A file's text and, built the first time a report needs a line number,
/// where each of its lines starts: a report of many diagnostics then looks
/// each line up instead of counting newlines from the start of the file.
#[derive(Debug)]
struct SourceFile {
    text: String,
    line_starts: OnceLock<LineIndex>,
}

/// A text's length and hash: enough to tell a file saved again from the
/// one read, within one run.
pub fn fingerprint(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut hasher, text.as_bytes());
    std::hash::Hasher::finish(&hasher) ^ (text.len() as u64).rotate_left(32)
}

impl Sources {
    pub fn add(&mut self, path: &Path, text: String) {
        let file = SourceFile {
            text,
            line_starts: OnceLock::new(),
        };
        self.files.insert(path.to_path_buf(), file);
    }

    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    pub fn absorb(&mut self, other: Sources) {
        self.files.extend(other.files);
        self.let_go.extend(other.let_go);
    }

    /// Notes that the text read from `path`, of this `fingerprint`, is
    /// not kept.
    pub fn let_go(&mut self, path: &Path, fingerprint: u64) {
        self.let_go.insert(path.to_path_buf(), fingerprint);
    }

    /// Whether `path` was read and let go, and its text is not back.
    pub fn was_let_go(&self, path: &Path) -> bool {
        self.let_go.contains_key(path) && !self.files.contains_key(path)
    }

    /// Takes back the text of a file let go, if it is the text read then.
    pub fn take_back(&mut self, path: &Path, text: String) {
        if self.let_go.get(path) == Some(&fingerprint(&text)) {
            self.add(path, text);
        }
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|f| f.text.as_str())
    }

    /// The text of `path` with its line index.
    fn get_indexed(&self, path: &Path) -> Option<(&str, &LineIndex)> {
        let file = self.files.get(path)?;
        Some((&file.text, file.line_starts.get_or_init(|| LineIndex::new(&file.text))))
    }

    /// 1-based line and column (columns count characters, not bytes).
    pub fn line_col(&self, path: &Path, offset: usize) -> (usize, usize) {
        let Some((text, index)) = self.get_indexed(path) else {
            return (1, 1);
        };
        index.line_col(text, offset)
    }
}

/// The byte offset at which each line of a text starts.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// 1-based line and character column of a byte offset in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let column = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Errors first, then by file and position, so reports read top to bottom and
/// are identical from run to run.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            a.severity,
            &a.file,
            a.span.as_ref().map(|s| s.start),
            a.code,
            &a.message,
        )
            .cmp(&(
                b.severity,
                &b.file,
                b.span.as_ref().map(|s| s.start),
                b.code,
                &b.message,
            ))
    });
}

/// How `check` and `build` print diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources, format: Format, color: bool) -> String {
    match format {
        Format::Human => render_human(diagnostics, sources, color),
        Format::Github => render_github(diagnostics, sources),
        Format::Json => render_json(diagnostics, sources),
    }
}

/// How many problems of one kind in one file a human report shows in full.
/// Past that, a line counts the rest: a file with thousands of the same
/// problem (raw HTML on one long line, say) would otherwise print its line
/// thousands of times, in time that grows with both.
const SHOWN_PER_FILE_AND_CODE: usize = 50;

/// rustc-style snippets: the title, `file:line:column`, the source line with
/// a caret under the problem, and a help line.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    let mut shown: BTreeMap<(&Path, &str), usize> = BTreeMap::new();
    for diagnostic in diagnostics {
        let count = shown.entry((diagnostic.file.as_path(), diagnostic.code)).or_default();
        *count += 1;
        if *count > SHOWN_PER_FILE_AND_CODE {
            continue;
        }
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = display_path(&diagnostic.file);
        let title = level.primary_title(diagnostic.message.as_str()).id(diagnostic.code);
        let mut groups = Vec::new();
        match (sources.get_indexed(&diagnostic.file), &diagnostic.span) {
            (Some((text, index)), Some(span)) => {
                let (excerpt, first_line, span) = lines_around(text, index, clamp_span(text, span.clone()));
                groups.push(
                    title.element(
                        Snippet::source(excerpt)
                            .line_start(first_line)
                            .path(path.clone())
                            .fold(true)
                            .annotation(AnnotationKind::Primary.span(span)),
                    ),
                );
            }
            _ => groups.push(title.element(annotate_snippets::Origin::path(path.clone()))),
        }
        if let Some(help) = &diagnostic.help {
            groups.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&groups));
    }
    for ((file, code), count) in shown {
        if count > SHOWN_PER_FILE_AND_CODE {
            let _ = writeln!(
                out,
                "… and {} more `{code}` in {} (`--format json` lists every one)\n",
                count - SHOWN_PER_FILE_AND_CODE,
                display_path(file)
            );
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "{}", summary(errors, warnings));
    }
    out
}

/// `2 errors, 1 warning`: the last line of a human report.
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counts = format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    if errors == 0 && warnings > 0 {
        format!("{counts} (warnings fail only with --strict)")
    } else {
        counts
    }
}

/// GitHub workflow commands, so a pull request shows each problem on its line.
pub fn render_github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    let mut locator = Locator::new(sources);
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (line, col) = locator.locate(d);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={col},title={}::{}",
            escape_github_property(&display_path(&d.file)),
            escape_github_property(d.code),
            escape_github_data(&message)
        );
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// One JSON object per line, one line per diagnostic.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    let mut locator = Locator::new(sources);
    for d in diagnostics {
        let (line, column) = locator.locate(d);
        let json = JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            file: display_path(&d.file),
            line,
            column,
            message: &d.message,
            help: d.help.as_deref(),
        };
        out.push_str(&serde_json::to_string(&json).expect("plain struct serialises"));
        out.push('\n');
    }
    out
}

/// The line and column of each diagnostic in turn. Reports come sorted by
/// file and position, so a column on the line of the one before is counted
/// on from there: thousands of problems on one long line would otherwise
/// each count the line from its start.
struct Locator<'s> {
    sources: &'s Sources,
    /// The last place found: file, 0-based line, byte offset, column.
    last: Option<(&'s Path, usize, usize, usize)>,
}

impl<'s> Locator<'s> {
    fn new(sources: &'s Sources) -> Self {
        Locator { sources, last: None }
    }

    fn locate(&mut self, d: &'s Diagnostic) -> (usize, usize) {
        let Some(span) = &d.span else { return (1, 1) };
        let Some((text, index)) = self.sources.get_indexed(&d.file) else {
            return (1, 1);
        };
        let offset = floor_char_boundary(text, span.start.min(text.len()));
        let line = index.line_of(offset);
        let column = match self.last {
            Some((file, last_line, from, column)) if file == d.file && last_line == line && from <= offset => {
                column + text[from..offset].chars().count()
            }
            _ => index.line_col(text, offset).1,
        };
        self.last = Some((&d.file, line, offset, column));
        (line + 1, column)
    }
}

/// Forward slashes, so reports read the same on every platform.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    start..end
}

/// Only the lines a span touches, its first line number and the span within
/// them: handing the renderer the whole file would cost a pass over the file
/// for every diagnostic.
fn lines_around<'t>(text: &'t str, index: &LineIndex, span: Range<usize>) -> (&'t str, usize, Range<usize>) {
    let first = index.line_of(span.start);
    let start = index.starts[first];
    let end = match index.starts.get(index.line_of(span.end) + 1) {
        Some(&next) => next - 1,
        None => text.len(),
    };
    (&text[start..end], first + 1, span.start - start..span.end - start)
}

/// GitHub requires `%`, CR and LF escaped in a command's message…
fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// …and also `:` and `,` in its properties.
fn escape_github_property(text: &str) -> String {
    escape_github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The closest candidate to a misspelt name, if any is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wrong, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// What went wrong with a file, said plainly: "no space left" rather than
/// "os error 28", for reports about reading content and writing output.
pub fn plain_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::StorageFull => "no space left on the disk".to_owned(),
        ErrorKind::QuotaExceeded => "no space left: the disk quota is used up".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_let_go_is_taken_back_only_as_it_was_read() {
        let path = Path::new("content/essay/notes.toml");
        let mut sources = Sources::default();
        sources.let_go(path, fingerprint("[[note]]\n"));
        assert!(sources.was_let_go(path));
        sources.take_back(path, "[[note]]\nsaved again\n".to_owned());
        assert_eq!(
            sources.get(path),
            None,
            "a file saved since is not the one the spans point into"
        );
        sources.take_back(path, "[[note]]\n".to_owned());
        assert_eq!(sources.get(path), Some("[[note]]\n"));
        assert!(!sources.was_let_go(path), "taken back once");
        assert!(!sources.was_let_go(Path::new("content/essay/text.md")), "never read");
    }

    fn many_on_one_line(count: usize) -> (Vec<Diagnostic>, Sources) {
        let text = format!("第一行\n{}\n末行 <i>", "中<b>".repeat(count));
        let mut sources = Sources::default();
        sources.add(Path::new("t.md"), text.clone());
        let mut diagnostics: Vec<Diagnostic> = text
            .match_indices('<')
            .map(|(at, _)| Diagnostic::warning("raw-html", Path::new("t.md"), Some(at..at + 3), "raw"))
            .collect();
        sort(&mut diagnostics);
        (diagnostics, sources)
    }

    #[test]
    fn columns_counted_on_along_a_line_agree_with_counting_from_its_start() {
        let (diagnostics, sources) = many_on_one_line(5);
        let mut locator = Locator::new(&sources);
        let (text, _) = sources.get_indexed(Path::new("t.md")).unwrap();
        for d in &diagnostics {
            assert_eq!(locator.locate(d), line_col(text, d.span.as_ref().unwrap().start));
        }
        assert_eq!(locator.locate(&diagnostics[4]), (2, 18));
    }

    #[test]
    fn a_human_report_shows_fifty_of_a_kind_in_a_file_and_counts_the_rest() {
        let (diagnostics, sources) = many_on_one_line(60);
        let report = render_human(&diagnostics, &sources, false);
        assert_eq!(report.matches("warning[raw-html]").count(), 50);
        assert!(report.contains("… and 11 more `raw-html` in t.md"), "{report}");
        assert!(
            report.ends_with("0 errors, 61 warnings (warnings fail only with --strict)\n"),
            "{report}"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "一二三\n中美ab";
        let offset = text.find('a').unwrap();
        assert_eq!(line_col(text, offset), (2, 3));
    }

    #[test]
    fn the_line_index_agrees_with_counting_from_the_start() {
        let text = "一二三\nab\r\n\n中美ab\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let slow = {
                let offset = floor_char_boundary(text, offset.min(text.len()));
                let before = &text[..offset];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                (
                    before.matches('\n').count() + 1,
                    before[line_start..].chars().count() + 1,
                )
            };
            assert_eq!(index.line_col(text, offset), slow, "at {offset}");
        }
        let at = text.find("ab").unwrap();
        assert_eq!(lines_around(text, &index, at..at + 2), ("ab\r", 2, 0..2));
        let to = text.find("中").unwrap();
        assert_eq!(lines_around(text, &index, at..to + 3), ("ab\r\n\n中美ab", 2, 0..8));
    }

    #[test]
    fn github_messages_escape_what_github_requires() {
        let mut sources = Sources::default();
        sources.add(Path::new("content/a,b.toml"), "x = 1\n".into());
        let d = Diagnostic::error("code", Path::new("content/a,b.toml"), Some(0..1), "50% off\nnext");
        let out = render_github(&[d], &sources);
        assert_eq!(
            out,
            "::error file=content/a%2Cb.toml,line=1,col=1,title=code::50%25 off%0Anext\n"
        );
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["taiwan-relations-act", "anti-secession-law"];
        assert_eq!(did_you_mean("taiwan-relation-act", ids), Some("taiwan-relations-act"));
        assert_eq!(did_you_mean("nuclear", ids), None);
    }
}
