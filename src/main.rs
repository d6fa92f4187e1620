//! duben (读本): a static-site generator for annotated Chinese readings.
//!
//! The pipeline runs one way: `content` loads site.toml and content/ with source
//! spans, `resolve` ties anchors, terms and events together and collects every
//! diagnostic, `render` turns the resolved site into pages, `output` writes them
//! atomically. Each command in `cmd` is a thin composition of those stages.

mod cmd;
mod content;
mod diagnostics;
mod import;
mod init;
mod linkcheck;
mod markdown;
mod output;
mod render;
mod resolve;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "duben", version, about = "读本: build annotated bilingual reading sites")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the site, then render it into the output folder.
    Build(cmd::build::Args),
    /// Validate everything; write nothing.
    Check(cmd::check::Args),
    /// Build, serve on 127.0.0.1 and rebuild + reload on every change.
    Serve(cmd::serve::Args),
    /// Create a new site with a sample article.
    Init(cmd::init::Args),
    /// Turn PDF-extracted plain text into content/SLUG/.
    Import(cmd::import::Args),
}

/// Exit status for content errors (usage errors are clap's 2).
pub const EXIT_CONTENT_ERRORS: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Import(args) => cmd::import::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_CONTENT_ERRORS)
        }
    }
}

/// The site folder a command works on: `--root`, or the current directory.
pub fn site_root(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}
