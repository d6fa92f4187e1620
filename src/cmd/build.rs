//! `duben build`: load → resolve → render → write.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::diagnostics::{self, Diagnostic, Sources};
use crate::{content, output, render, resolve};

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds site.toml).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the site (default: `output_dir` of site.toml, else `public`).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Public address, overriding site.toml's `base_url`.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The repository holding the site (OWNER/NAME or https:// address),
    /// where site.toml's `[repository]` leaves out `url`.
    #[arg(long, value_name = "OWNER/NAME")]
    pub repository: Option<String>,
    /// Its branch, where site.toml leaves out `branch` (default: main).
    #[arg(long, value_name = "BRANCH", requires = "repository")]
    pub repository_branch: Option<String>,
}

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

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    /// Warnings, already rendered as plain text (empty when there are none).
    pub warnings: String,
}

/// A build that wrote nothing.
#[derive(Debug)]
pub struct BuildFailure {
    /// Every diagnostic, rendered as plain text with file:line:column.
    pub report: String,
}

/// Runs the whole pipeline; the previous output stays untouched on failure.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    // The theme does not depend on the content: it compiles meanwhile.
    let (loaded, theme) = rayon::join(|| content::load(&options.root), || render::theme::load(&options.root));
    let content::Loaded {
        site,
        mut sources,
        diagnostics: load_problems,
    } = loaded;
    let resolve_options = resolve::Options {
        drafts: options.drafts,
        find_unused_terms: false,
    };
    let (resolved, mut diagnostics) = resolve::resolve(&site, &sources, &resolve_options);
    diagnostics.extend(load_problems);
    diagnostics::sort(&mut diagnostics);
    let error_count = diagnostics.iter().filter(|d| d.is_error()).count();
    if error_count > 0 {
        return Err(failure(&diagnostics, &sources));
    }
    // From here on, only warnings already found and unused-term warnings
    // (about glossary files) can point into a file: the text of every other
    // file is let go rather than held through rendering.
    let glossary_file = |path: &std::path::Path| path.to_string_lossy().starts_with("content/glossary");
    sources.retain(|path| glossary_file(path) || diagnostics.iter().any(|d| d.file == path));
    let theme = theme.map_err(|problems| {
        sources.absorb(problems.sources);
        failure(&problems.diagnostics, &sources)
    })?;
    let repository = crate::repository::Repository::from_parts(site.config.repository.as_ref(), &options.repository)
        .map_err(|message| BuildFailure {
            report: format!(
                "error: {message}\nhelp: pass --repository owner/name, as GitHub's GITHUB_REPOSITORY holds it\n"
            ),
        })?;
    let render_options = render::RenderOptions {
        base_url: options.base_url.clone(),
        repository,
    };
    let output_dir = match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&site.config.output_dir),
    };
    let staging = output::Staging::new(&options.root, &output_dir).map_err(output_failure)?;
    let rendered = match render::render_site(&resolved, &theme, &render_options, &|file| staging.write(file)) {
        Ok(rendered) => rendered,
        Err(render::RenderError::Templates(found)) => return Err(failure(&found, &sources)),
        Err(render::RenderError::Sink(error)) => return Err(output_failure(error)),
    };
    staging.commit().map_err(output_failure)?;
    diagnostics.extend(resolve::unused_term_warnings(&resolved.terms, &rendered.used_terms));
    diagnostics::sort(&mut diagnostics);
    Ok(BuildReport {
        output_dir,
        pages: rendered.pages,
        warnings: diagnostics::render_human(&diagnostics, &sources, false),
    })
}

fn output_failure(error: output::OutputError) -> BuildFailure {
    BuildFailure {
        report: format!("error: {error}\nhelp: {}\n", error.help()),
    }
}

fn failure(diagnostics: &[Diagnostic], sources: &Sources) -> BuildFailure {
    BuildFailure {
        report: diagnostics::render_human(diagnostics, sources, false),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        root: crate::site_root(args.root),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        repository: crate::repository::RepositoryFlags {
            repository: args.repository,
            branch: args.repository_branch,
        },
    };
    let started = Instant::now();
    match build_site(&options) {
        Ok(report) => {
            eprint!("{}", report.warnings);
            eprintln!(
                "built {} pages into {} in {} ms",
                report.pages,
                report.output_dir.display(),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            eprint!("{}", failure.report);
            eprintln!("nothing was written: the previous output is unchanged");
            Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS))
        }
    }
}
