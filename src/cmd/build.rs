//! `duben build`: the whole pipeline, then a report in the chosen format.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::diagnostics::Format;
use crate::pipeline::{self, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds site.toml).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the site (default: `output_dir` of site.toml, else `public`).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Public address, overriding site.toml's `base_url`.
    #[arg(long, value_parser = base_url_flag)]
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// How to print problems: for people, for GitHub pull requests, or as JSON lines.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The repository holding the site (OWNER/NAME, as GITHUB_REPOSITORY
    /// holds it, or its https:// address), where site.toml's `[repository]`
    /// leaves out `url`: the pages then link into it and offer to propose changes.
    #[arg(long, value_name = "OWNER/NAME", value_parser = repository_flag)]
    pub repository: Option<String>,
    /// Its branch, where site.toml leaves out `branch` (default: main).
    #[arg(long, value_name = "BRANCH", requires = "repository")]
    pub repository_branch: Option<String>,
}

fn base_url_flag(value: &str) -> Result<String, String> {
    match crate::content::site::base_url_problem(value) {
        None => Ok(value.to_owned()),
        Some(problem) => Err(format!(
            "expected the site's absolute address, as https://example.github.io/reader: {problem}"
        )),
    }
}

fn repository_flag(value: &str) -> Result<String, String> {
    crate::repository::expand_flag(value)
        .map(|_| value.to_owned())
        .ok_or_else(|| "expected OWNER/NAME or https://HOST/OWNER/NAME".to_owned())
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
    // Problems go to standard error, so standard output stays the site's.
    let color = args.format == Format::Human && std::io::stderr().is_terminal();
    let started = Instant::now();
    match pipeline::build_warm(&options, None) {
        Ok((built, loaded)) => {
            // The process ends now, and the system takes its memory back at
            // once: freeing the loaded site piece by piece had taken 40 ms
            // at 1000x80 (and 0.7 ms of the included site's 25 ms).
            std::mem::forget(loaded);
            eprint!("{}", built.report.render(args.format, color));
            if args.format == Format::Human {
                eprintln!(
                    "built {} pages into {} in {} ms",
                    built.pages,
                    built.output_dir.display(),
                    started.elapsed().as_millis()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(report) => {
            eprint!("{}", report.render(args.format, color));
            if args.format == Format::Human {
                eprintln!("nothing was written: the previous output is unchanged");
            }
            Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS))
        }
    }
}
