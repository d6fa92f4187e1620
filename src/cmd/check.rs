//! `duben check`: load + resolve (+ the theme, and with `--links` a render
//! in memory), report every diagnostic, write nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostics::Format;
use crate::pipeline::{self, CheckOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds site.toml).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// How to print problems: for people, for GitHub pull requests, or as JSON lines.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Also render the site (in memory) and check its internal links.
    #[arg(long)]
    pub links: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let report = pipeline::check(&CheckOptions {
        root: crate::site_root(args.root),
        drafts: args.drafts,
        links: args.links,
    });
    let color = args.format == Format::Human && std::io::stdout().is_terminal();
    print!("{}", report.render(args.format, color));
    if args.format == Format::Human && report.diagnostics.is_empty() {
        println!("no problems found");
    }
    let failed = report.errors() > 0 || (args.strict && report.warnings() > 0);
    Ok(if failed {
        ExitCode::from(crate::EXIT_CONTENT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
