//! `duben import RAW.txt --slug SLUG`: reads the raw text, runs the importer,
//! writes content/SLUG/ and prints what it did. Exit 1 when the files exist
//! (without --force) or cannot be read/written; 2 for a bad slug.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::import::write::{self, WriteError};
use crate::import::{self as importer, Ambiguity, Imported, Removed};

/// Exit status for a usage mistake (the same as clap's).
const EXIT_USAGE: u8 = 2;

#[derive(clap::Args)]
pub struct Args {
    /// The PDF-extracted plain text of one article.
    raw: PathBuf,
    /// The article's folder name under content/ (lowercase letters, digits, hyphens).
    #[arg(long)]
    slug: String,
    /// Overwrite content/SLUG/article.toml and text.md if they exist.
    #[arg(long)]
    force: bool,
    /// The site folder (default: the current directory).
    #[arg(long)]
    root: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Err(problem) = check_slug(&args.slug) {
        eprintln!("error: --slug {:?} {problem}", args.slug);
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let raw = std::fs::read_to_string(&args.raw).with_context(|| format!("could not read {}", args.raw.display()))?;
    let imported = importer::import(&raw).with_context(|| format!("{}", args.raw.display()))?;
    let folder = crate::site_root(args.root).join("content").join(&args.slug);
    let files = write::render(&imported);
    match write::write(&folder, &files, args.force) {
        Ok(written) => {
            print_summary(&args.raw, &imported);
            for path in written {
                println!("wrote     {}", path.display());
            }
            println!("next      fill title_en, author_en, source and year in article.toml; review text.md");
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ WriteError::Exists(_)) => {
            eprintln!("error: {error}");
            Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS))
        }
        Err(error) => Err(error.into()),
    }
}

fn check_slug(slug: &str) -> Result<(), String> {
    if !crate::content::is_valid_id(slug) {
        return Err("is not a slug: use lowercase letters, digits and hyphens, e.g. yao-2019".into());
    }
    if crate::content::article::RESERVED_SLUGS.contains(&slug) {
        return Err("is a name the site output uses for itself; choose another".into());
    }
    Ok(())
}

fn print_summary(raw: &std::path::Path, imported: &Imported) {
    println!("imported  {}", raw.display());
    let mark = imported
        .title_mark
        .map(|m| format!(" (footnote mark {m} dropped: the text has no footnote for it)"))
        .unwrap_or_default();
    println!("title     {}{mark}", imported.title);
    if let Some(author) = &imported.author {
        println!("author    {author}");
    }
    let chars = |s: &Option<String>| s.as_ref().map_or(0, |s| s.chars().count());
    println!(
        "abstracts zh {} characters, en {} characters",
        chars(&imported.abstract_zh),
        chars(&imported.abstract_en)
    );
    let headings: Vec<(u8, &str)> = imported.headings().collect();
    println!(
        "text      {} paragraphs, {} headings",
        imported.paragraphs(),
        headings.len()
    );
    for (level, text) in headings {
        println!("            {} {text}", "#".repeat(usize::from(level)));
    }
    println!("removed   {}", removed_summary(imported));
    print_ambiguities(&imported.ambiguities);
}

fn removed_summary(imported: &Imported) -> String {
    let lines = imported.page_header_lines();
    let mut parts = vec![format!("{} page headers (lines {})", lines.len(), join_numbers(&lines))];
    for removed in &imported.removed {
        parts.push(match removed {
            Removed::AuthorNote(line) => format!("author note (line {line}, now author_note)"),
            Removed::EditorLine(line) => format!("editor line (line {line}, now editor)"),
            Removed::OtherArticle { first, last } => {
                format!("another article's text after the English abstract (lines {first}–{last})")
            }
        });
    }
    parts.join("; ")
}

fn print_ambiguities(ambiguities: &[Ambiguity]) {
    if ambiguities.is_empty() {
        return;
    }
    println!(
        "check     {} full lines end a sentence; the paragraph was kept going at each. \
         Split by sense where a new paragraph starts:",
        ambiguities.len()
    );
    for a in ambiguities {
        println!("            line {}: …{} | {}…", a.line, a.end, a.next);
    }
}

fn join_numbers(numbers: &[usize]) -> String {
    numbers.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
}
