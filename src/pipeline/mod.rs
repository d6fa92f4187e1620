//! The pipeline's one owner: load → resolve → render → write, for every
//! command. `check`, `build`, `serve` and the tests call these functions and
//! get structured results back (every diagnostic and the sources it points
//! into); choosing a format and an exit code is left to the caller.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod preview;

pub use preview::{Previewed, Warm, preview};

use crate::diagnostics::{self, Diagnostic, Format, Severity, Sources};
use crate::render::theme::Theme;
use crate::{content, linkcheck, output, render, resolve};

/// What a build needs to know; `serve` builds with these too.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--repository` and `--repository-branch`.
    pub repository: crate::repository::RepositoryFlags,
}

/// What `check` needs to know.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Also render the site in memory and check its internal links.
    pub links: bool,
}

/// Every diagnostic a run found, sorted, and the text of the files they
/// point into.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Report {
    fn new(mut diagnostics: Vec<Diagnostic>, sources: Sources) -> Report {
        diagnostics::sort(&mut diagnostics);
        Report { diagnostics, sources }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The report in one of the three formats.
    pub fn render(&self, format: Format, color: bool) -> String {
        diagnostics::render(&self.diagnostics, &self.sources, format, color)
    }
}

/// A finished build: where it went, how many pages, and its warnings.
#[derive(Debug)]
pub struct Built {
    pub output_dir: PathBuf,
    pub pages: usize,
    /// How many articles' pages were kept from the previous build.
    pub kept_articles: usize,
    pub report: Report,
}

/// Validates everything and writes nothing.
pub fn check(options: &CheckOptions) -> Report {
    let mut loaded = content::load(&options.root);
    let resolve_options = resolve::Options::whole(options.drafts);
    let (resolved, mut found) = resolve::resolve(&loaded.site, &loaded.sources, &resolve_options);
    let load_problems = found.len()..found.len() + loaded.diagnostics.len();
    found.append(&mut loaded.diagnostics);
    found.extend(resolve::terms::cut_word_warnings(
        &resolved,
        &options.root,
        &mut loaded.sources,
    ));
    let theme = match render::theme::load(&options.root) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            loaded.sources.absorb(problems.sources);
            found.extend(problems.diagnostics);
            None
        }
    };
    // Links are checked on the site as it would be built, rendered in
    // memory from what was just resolved.
    let texts_unchanged = || content::changed_texts(&loaded.site).next().is_none();
    if let Some(theme) = theme.filter(|_| options.links && !found.iter().any(Diagnostic::is_error) && texts_unchanged())
    {
        let label = Path::new(&loaded.site.config.output_dir);
        found.extend(linkcheck::check_site(
            &resolved,
            &theme,
            &options.root,
            label,
            &mut loaded.sources,
        ));
    }
    // Last, after every pass that read the texts again; what those passes
    // found in a changed text is left out (see `halt_if_texts_changed`).
    let changed: Vec<Diagnostic> = content::changed_texts(&loaded.site).collect();
    if !changed.is_empty() {
        found = found.drain(load_problems).chain(changed).collect();
    }
    content::read_reported(&options.root, &found, &mut loaded.sources);
    Report::new(found, loaded.sources)
}

/// What a rebuild may take over from the last build that succeeded: `serve`
/// tells which files were saved since.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    /// The files saved since that build, relative to the site root.
    pub changed: BTreeSet<PathBuf>,
}

/// Runs the whole pipeline; on failure nothing is written and the previous
/// output stays untouched.
pub fn build(options: &BuildOptions) -> Result<Built, Report> {
    build_after(options, None)
}

/// `build`, taking over from the output in place the pages of every article
/// that `previous` shows unchanged. The content is still loaded and
/// resolved whole (every check still runs, and pages of the whole site,
/// such as the glossary, show every article); only the articles' own pages
/// are kept. The output is the same as `build`'s: tests/incremental.rs
/// compares the two after a series of edits.
pub fn build_after(options: &BuildOptions, previous: Option<&Previous>) -> Result<Built, Report> {
    build_warm(options, previous).map(|(built, _)| built)
}

/// `build_after`, also giving back what it loaded, for `preview` to start
/// from after the next save.
pub fn build_warm(options: &BuildOptions, previous: Option<&Previous>) -> Result<(Built, Warm), Report> {
    match build_unless(options, previous, &|| false) {
        Ok(built) => Ok(built),
        Err(Halt::Failed(report)) => Err(report),
        Err(Halt::Superseded) => unreachable!("nothing supersedes this build"),
    }
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum Halt {
    Failed(Report),
    /// `superseded` said a newer save makes this build's output stale.
    Superseded,
}

impl From<Report> for Halt {
    fn from(report: Report) -> Halt {
        Halt::Failed(report)
    }
}

/// `build_warm`, giving up as soon as `superseded` says so (it is asked
/// after loading, after resolving, before every file written and before
/// the output is swapped in): `serve` starts again after a newer save rather than finish
/// a build that is already out of date. Given up, it leaves the output as
/// it was.
pub fn build_unless(
    options: &BuildOptions,
    previous: Option<&Previous>,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<(Built, Warm), Halt> {
    // The theme does not depend on the content: it compiles meanwhile, and
    // the embedded dictionary's trie is read from the binary (a site that
    // turns the dictionary off pays a millisecond of CPU, not of waiting).
    let (loaded, theme) = rayon::join(
        || content::load(&options.root),
        || {
            crate::words::dictionary::words();
            render::theme::load(&options.root)
        },
    );
    let content::Loaded {
        site,
        mut sources,
        diagnostics: load_problems,
    } = loaded;
    if superseded() {
        return Err(Halt::Superseded);
    }
    let resolve_options = resolve::Options::whole(options.drafts);
    let (resolved, mut diagnostics) = resolve::resolve(&site, &sources, &resolve_options);
    halt_if_texts_changed(&site, &load_problems, superseded)?;
    diagnostics.extend(load_problems);
    content::read_reported(&options.root, &diagnostics, &mut sources);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Report::new(diagnostics, sources).into());
    }
    if superseded() {
        return Err(Halt::Superseded);
    }
    // Every diagnostic of the content is found (resolve found the unused
    // terms too): the text of files none points into is let go rather than
    // held through rendering.
    sources.retain(|path| diagnostics.iter().any(|d| d.file == path));
    let theme: Theme = match theme {
        Ok(theme) => theme,
        Err(problems) => {
            sources.absorb(problems.sources);
            return Err(Report::new(problems.diagnostics, sources).into());
        }
    };
    let output_dir = match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&site.config.output_dir),
    };
    let repository = crate::repository::Repository::from_parts(site.config.repository.as_ref(), &options.repository)
        .map_err(|message| {
            let diagnostic = Diagnostic::error("bad-repository", Path::new(content::site::FILE), None, message)
                .with_help("pass --repository owner/name, as GitHub's GITHUB_REPOSITORY holds it");
            Report::new(vec![diagnostic], Sources::default())
        })?;
    let kept_articles = match previous {
        Some(previous) if output_dir.is_dir() => unchanged_articles(&resolved, &previous.changed),
        _ => BTreeSet::new(),
    };
    let mut render_options = render::RenderOptions {
        base_url: options.base_url.clone(),
        repository,
        kept_articles,
    };
    let staging = output::Staging::new(&options.root, &output_dir).map_err(|e| output_report(&output_dir, &e))?;
    for &article in &render_options.kept_articles {
        let folder = render::urls::Page::Article(&resolved.articles[article].slug).folder_path();
        staging.adopt(&folder).map_err(|e| output_report(&output_dir, &e))?;
    }
    let write = |file: &render::OutputFile| match superseded() {
        true => Err(None),
        false => staging.write(file).map_err(Some),
    };
    let rendered = render::render_site(&resolved, &theme, &render_options, &write);
    // The staged output is dropped then, the last kept.
    halt_if_texts_changed(&site, &[], superseded)?;
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(render::RenderError::Templates(found)) => return Err(Report::new(found, sources).into()),
        Err(render::RenderError::Sink(Some(error))) => return Err(output_report(&output_dir, &error).into()),
        Err(render::RenderError::Sink(None)) => return Err(Halt::Superseded),
    };
    if superseded() {
        return Err(Halt::Superseded);
    }
    let left_behind = staging.commit().map_err(|e| output_report(&output_dir, &e))?;
    diagnostics.extend(left_behind.map(|e| output_diagnostic(&output_dir, &e, Severity::Warning)));
    let matcher = std::sync::Arc::clone(&resolved.matcher);
    drop(resolved);
    let built = Built {
        output_dir: output_dir.clone(),
        pages: rendered.pages,
        kept_articles: std::mem::take(&mut render_options.kept_articles).len(),
        report: Report::new(diagnostics, sources),
    };
    let warm = Warm {
        site,
        theme,
        render_options,
        terms: rendered.terms,
        matcher,
        output_dir,
        drafts: options.drafts,
    };
    Ok((built, warm))
}

/// A text read again that was no longer the text loaded gave its passes an
/// empty document, so what they found (a quote not found, a term used
/// nowhere) is not to be believed: the build halts with the `text-changed`
/// errors and loading's own problems only, or gives way when a newer save
/// is why (`serve` builds again after it).
fn halt_if_texts_changed(
    site: &content::Site,
    load_problems: &[Diagnostic],
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<(), Halt> {
    let changed: Vec<Diagnostic> = content::changed_texts(site).collect();
    if changed.is_empty() {
        return Ok(());
    }
    if superseded() {
        return Err(Halt::Superseded);
    }
    let reported = load_problems.iter().cloned().chain(changed).collect();
    Err(Report::new(reported, Sources::default()).into())
}

/// The articles whose own pages cannot have changed, given the files saved
/// since the last build: when every saved file is an article's text, notes
/// or other file in its folder, all but those articles. An article's own
/// pages show its text and notes, the terms and events (site-wide files),
/// the theme and the other articles' metadata (the previous and next
/// reading): so a saved `article.toml`, or any file outside an article's
/// folder, keeps nothing.
fn unchanged_articles(resolved: &resolve::Resolved, changed: &BTreeSet<PathBuf>) -> BTreeSet<resolve::ArticleId> {
    let mut touched = BTreeSet::new();
    for path in changed {
        let mut parts = path.components().map(|c| c.as_os_str());
        let (Some(top), Some(folder), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
            return BTreeSet::new();
        };
        let article = folder.to_str().and_then(|slug| resolved.article_id(slug));
        match article {
            Some(id) if top == "content" && file != content::article::META_FILE => {
                touched.insert(id);
            }
            _ => return BTreeSet::new(),
        }
    }
    resolved.article_ids().filter(|id| !touched.contains(id)).collect()
}

/// An output failure (disk full, permissions, the output guard) as a
/// diagnostic about the output folder, so every format can carry it.
fn output_report(output_dir: &Path, error: &output::OutputError) -> Report {
    let diagnostic = output_diagnostic(output_dir, error, Severity::Error);
    Report::new(vec![diagnostic], Sources::default())
}

/// An output problem as a diagnostic: an error, or a warning for what a
/// build that did replace its output left behind.
fn output_diagnostic(output_dir: &Path, error: &output::OutputError, severity: Severity) -> Diagnostic {
    Diagnostic {
        severity,
        ..Diagnostic::error("output", output_dir, None, error.to_string()).with_help(error.help())
    }
}
