//! The `duben` command line: clap definitions, one call per command, and the
//! mapping of outcomes to exit codes. Everything else lives in the library.

use clap::{Parser, Subcommand};
use duben::{EXIT_CONTENT_ERRORS, cmd};
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
    /// Turn a journal article's PDF (read with pdftotext) or its extracted text into content/SLUG/.
    Import(cmd::import::Args),
}

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
