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
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// How to print problems: for people, for GitHub pull requests, or as JSON lines.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        root: crate::site_root(args.root),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    // Problems go to standard error, so standard output stays the site's.
    let color = args.format == Format::Human && std::io::stderr().is_terminal();
    let started = Instant::now();
    match pipeline::build(&options) {
        Ok(built) => {
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
