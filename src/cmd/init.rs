//! `duben init DIR [--force]`: a new site with a sample article, glossary,
//! timeline, page and GitHub workflows, ready to build, check and publish.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::init;

/// Exit status for a refused command line (clap uses the same).
const EXIT_USAGE: u8 = 2;

#[derive(clap::Args)]
pub struct Args {
    /// The folder for the new site (created if missing).
    pub dir: PathBuf,
    /// Add the sample site to a folder that is not empty. Files already there
    /// are kept as they are, never overwritten.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.dir;
    let empty = init::is_empty_or_missing(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
    if !empty && !args.force {
        eprintln!("error: {} is not empty", dir.display());
        eprintln!(
            "help: choose a new folder, or pass --force to add the sample site to this one (files already there are kept, never overwritten)"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let created = init::create(&dir).with_context(|| format!("cannot write the new site into {}", dir.display()))?;
    for path in &created.written {
        println!("created {}", path.display());
    }
    for path in &created.kept {
        println!("kept    {} (already there, not overwritten)", path.display());
    }
    println!();
    println!("A new site is ready in {}. Next:", dir.display());
    println!("  cd {}", dir.display());
    println!("  duben serve --open     preview it; every save rebuilds and reloads the page");
    println!("  README.md              how to put in your own reading and publish on GitHub Pages");
    Ok(ExitCode::SUCCESS)
}
