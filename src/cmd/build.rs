//! `duben build`: load → resolve → render → write.

use std::path::PathBuf;
use std::process::ExitCode;

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
}

/// What a build needs to know; `serve` builds with these too.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
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
    /// How many errors the report holds (0 for an I/O failure).
    pub error_count: usize,
}

/// Runs the whole pipeline; the previous output stays untouched on failure.
pub fn build_site(_options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    Err(BuildFailure { report: "not implemented".into(), error_count: 0 })
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`duben build` is not implemented yet")
}
