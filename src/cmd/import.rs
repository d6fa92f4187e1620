//! `duben import PAPER.pdf|RAW.txt --slug SLUG`: reads the PDF (running
//! `pdftotext -bbox-layout` itself) or text already extracted from it, runs
//! the importer, writes content/SLUG/ and prints what it did. Exit 1 when
//! the files exist (without --force), cannot be read/written, or the input
//! cannot be read (no pdftotext, not UTF-8, columns whose order cannot be
//! trusted); 2 for a bad slug.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::import::pdf;
use crate::import::write::{self, WriteError};
use crate::import::{self as importer, Ambiguity, Imported, Removed};

/// Exit status for a usage mistake (the same as clap's).
const EXIT_USAGE: u8 = 2;

#[derive(clap::Args)]
pub struct Args {
    /// One article: its PDF (read with pdftotext), or text extracted from it.
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
    let (raw, from_pdf) = match read_input(&args.raw) {
        Ok(raw) => raw,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS));
        }
    };
    let imported = if from_pdf {
        importer::import_ordered(&raw)
    } else {
        importer::import(&raw)
    };
    let imported = match imported {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {}: {error}", args.raw.display());
            return Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS));
        }
    };
    let root = crate::site_root(args.root);
    let folder = root.join("content").join(&args.slug);
    let second = SecondArticle::find(&root, &args.slug);
    let files = write::render(&imported);
    match write::write(&folder, &files, args.force) {
        Ok(written) => {
            print_summary(&args.raw, &imported);
            for path in written {
                println!("wrote     {}", path.display());
            }
            let mut missing: Vec<&str> = Vec::new();
            if imported.title_en.is_none() {
                missing.push("title_en");
            }
            if imported.author_en.is_none() {
                missing.push("author_en");
            }
            missing.extend(["source", "year"]);
            println!("next      fill {} in article.toml; review text.md", missing.join(", "));
            if let Some(second) = second {
                second.print_next();
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ WriteError::Exists(_)) => {
            eprintln!("error: {error}");
            Ok(ExitCode::from(crate::EXIT_CONTENT_ERRORS))
        }
        Err(error) => Err(error.into()),
    }
}

/// The site's one other article, and the anchors that name no
/// article: fine while a site has one article (they point into it), an
/// error (`anchor-needs-article`) once it has two.
struct SecondArticle {
    first: String,
    /// Files with such anchors (relative to the site), and how many each has.
    anchors: Vec<(PathBuf, usize)>,
}

impl SecondArticle {
    /// Whether `slug` is (or becomes) the site's second article, and the
    /// anchors that then need `article = "…"`. Notes point into their
    /// own article; timeline events are what may leave the article out.
    fn find(root: &Path, slug: &str) -> Option<SecondArticle> {
        let site = crate::content::load(root).site;
        // Importing again (`--force`) over the second article says it again.
        let others: Vec<&str> = site
            .articles
            .iter()
            .map(|a| a.slug.as_str())
            .filter(|s| *s != slug)
            .collect();
        let [first] = others.as_slice() else {
            return None;
        };
        let mut anchors: std::collections::BTreeMap<PathBuf, usize> = std::collections::BTreeMap::new();
        for event in &site.events {
            let unnamed = event.anchors.iter().filter(|a| a.get_ref().article.is_none()).count();
            if unnamed > 0 {
                *anchors.entry(event.file.clone()).or_default() += unnamed;
            }
        }
        (!anchors.is_empty()).then(|| SecondArticle {
            first: (*first).to_string(),
            anchors: anchors.into_iter().collect(),
        })
    }

    fn print_next(&self) {
        let files: Vec<String> = self
            .anchors
            .iter()
            .map(|(file, count)| {
                let anchors = if *count == 1 { "anchor" } else { "anchors" };
                format!("{count} {anchors} in {}", file.display())
            })
            .collect();
        println!(
            "next      the site now has two articles, so an anchor must say which one it points into: \
             add `article = \"{}\"` to the anchors that name no article ({}), \
             or `duben check` stops at each (anchor-needs-article)",
            self.first,
            files.join(", ")
        );
    }
}

/// The text of the input: a PDF through pdftotext, anything else as UTF-8 text.
fn read_input(path: &std::path::Path) -> Result<(String, bool), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    if pdf::is_pdf(&bytes) {
        return pdf::read(path).map(|text| (text, true)).map_err(|e| e.to_string());
    }
    String::from_utf8(bytes).map(|text| (text, false)).map_err(|e| {
        format!(
            "{}: not a PDF and not UTF-8 text (invalid byte at offset {}); \
             give the PDF itself, or convert the text to UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`)",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
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
    let removed = removed_summary(imported);
    if !removed.is_empty() {
        println!("removed   {removed}");
    }
    print_front_matter(imported);
    print_pages(imported);
    print_ambiguities(&imported.ambiguities);
    for (line, what) in &imported.repairs {
        println!("repaired  line {line}: {what}");
    }
}

/// The front-matter fields found besides title, author and abstracts.
fn print_front_matter(imported: &Imported) {
    let mut found: Vec<String> = Vec::new();
    let fields = [
        ("subtitle", &imported.subtitle),
        ("title_en", &imported.title_en),
        ("author_en", &imported.author_en),
        ("author_note", &imported.author_note),
        ("author_bio", &imported.author_bio),
        ("corresponding", &imported.corresponding),
        ("funding", &imported.funding),
        ("received", &imported.received),
        ("clc", &imported.clc),
        ("document_code", &imported.document_code),
        ("article_number", &imported.article_number),
        ("doi", &imported.doi),
    ];
    for (key, value) in fields {
        if value.is_some() {
            found.push(key.to_string());
        }
    }
    if !imported.keywords.is_empty() {
        found.push(format!("keywords ({})", imported.keywords.len()));
    }
    if !imported.keywords_en.is_empty() {
        found.push(format!("keywords_en ({})", imported.keywords_en.len()));
    }
    if !found.is_empty() {
        println!("fields    {}", found.join(", "));
    }
    if !imported.footnotes.is_empty() || !imported.references.is_empty() {
        println!(
            "notes     {} footnotes (as [^n]), {} references (a list under ## 参考文献)",
            imported.footnotes.len(),
            imported.references.len()
        );
    }
    print_unplaced_notes(imported);
}

/// Notes whose mark the text did not show: written after the others, for
/// the editor to place.
fn print_unplaced_notes(imported: &Imported) {
    let order = imported.note_order();
    if order.unplaced.is_empty() {
        return;
    }
    let (count, whose) = match order.unplaced.len() {
        1 => (
            "1 footnote".to_string(),
            "its mark was not found in the text: it is written after the others",
        ),
        n => (
            format!("{n} footnotes"),
            "their marks were not found in the text: they are written after the others",
        ),
    };
    println!("check     {count}: {whose}; put each [^n] where its mark belongs:");
    let numbers = order.numbers();
    for &index in &order.unplaced {
        let note = &imported.footnotes[index];
        let more = if note.chars().count() > 24 { "…" } else { "" };
        println!(
            "            [^{}] {}{more}",
            numbers[index],
            note.chars().take(24).collect::<String>()
        );
    }
}

/// What was read from the pages of a PDF: columns, heads, page numbers, notes.
fn print_pages(imported: &Imported) {
    use crate::import::pages::DropKind;
    if !imported.two_column_pages.is_empty() {
        println!(
            "columns   pages {} read as two columns, left then right",
            join_numbers(&imported.two_column_pages)
        );
    }
    for (kind, name) in [
        (DropKind::RunningHead, "running heads"),
        (DropKind::PageNumber, "page numbers"),
        (DropKind::Footnote, "page-foot note lines"),
    ] {
        let lines: Vec<usize> = imported
            .dropped
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.number)
            .collect();
        if !lines.is_empty() {
            println!("dropped   {} {name} (lines {})", lines.len(), join_numbers(&lines));
        }
    }
}

fn removed_summary(imported: &Imported) -> String {
    let lines = imported.page_header_lines();
    let mut parts = Vec::new();
    if !lines.is_empty() || imported.dropped.is_empty() {
        parts.push(format!("{} page headers (lines {})", lines.len(), join_numbers(&lines)));
    }
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
