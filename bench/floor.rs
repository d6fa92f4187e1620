//! The floor of a build: only the passes no generator of this site can
//! skip, timed on the same site and the same output as `duben build`.
//!
//!   cargo run --release --example floor -- SITE DUBEN_OUTPUT SCRATCH
//!
//! 1. read every file of `SITE/content`;
//! 2. parse every article's Markdown to HTML (pulldown-cmark, as duben);
//! 3. one leftmost-longest automaton pass (daachorse, as duben's term
//!    matcher) over every text,
//!    with every glossary form as a pattern;
//! 4. write as many bytes, in as many files, as duben's output holds
//!    (`DUBEN_OUTPUT`, a finished build), into `SCRATCH` (emptied first).
//!
//! Each pass runs on every core, as duben's do. The glossary forms are
//! gathered and duben's output read before the clock starts.
//!
//! After the floor, and outside it, one pass of a feature Hugo's twin has
//! no part of: every text cut into words with the dictionary and the
//! glossary (`duben::words::Lexicon`), the core of the reader's word data
//! and of the term matcher's boundary rule, as a second floor for duben's
//! own output.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use rayon::prelude::*;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, reference, scratch] = args.as_slice() else {
        eprintln!("usage: floor SITE DUBEN_OUTPUT SCRATCH");
        std::process::exit(2);
    };
    let loaded = duben::content::load(site);
    let mut forms: Vec<&str> = loaded
        .site
        .terms
        .iter()
        .flat_map(|t| t.forms())
        .map(|f| f.get_ref().as_str())
        .collect();
    forms.sort_unstable();
    forms.dedup();
    let output: Vec<(PathBuf, Vec<u8>)> = files_under(reference)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).expect("duben's output reads");
            (path.strip_prefix(reference).unwrap().to_path_buf(), bytes)
        })
        .collect();
    let _ = fs::remove_dir_all(scratch);

    let started = Instant::now();
    let sources: Vec<(PathBuf, Vec<u8>)> = files_under(&site.join("content"))
        .into_par_iter()
        .map(|path| {
            let bytes = fs::read(&path).expect("a content file reads");
            (path, bytes)
        })
        .collect();
    let read = started.elapsed();

    let texts: Vec<&str> = sources
        .iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n == "text.md"))
        .map(|(_, bytes)| std::str::from_utf8(bytes).expect("text.md is UTF-8"))
        .collect();
    let clock = Instant::now();
    let html_bytes: usize = texts
        .par_iter()
        .map(|text| {
            let mut html = String::with_capacity(text.len() * 2);
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
            html.len()
        })
        .sum();
    let markdown = clock.elapsed();

    let clock = Instant::now();
    let automaton: CharwiseDoubleArrayAhoCorasick<u32> = CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&forms)
        .expect("the glossary forms build an automaton");
    let matches: usize = texts
        .par_iter()
        .map(|text| automaton.leftmost_find_iter(text).count())
        .sum();
    let scan = clock.elapsed();

    let clock = Instant::now();
    output.par_iter().for_each(|(relative, bytes)| {
        let path = scratch.join(relative);
        fs::create_dir_all(path.parent().unwrap()).expect("a folder is made");
        fs::write(&path, bytes).expect("a file is written");
    });
    let write = clock.elapsed();
    let total = started.elapsed();

    let lexicon = duben::words::Lexicon::new(true, forms.iter().copied());
    let clock = Instant::now();
    let words: usize = texts.par_iter().map(|text| lexicon.segment(text).len()).sum();
    let segment = clock.elapsed();

    let written: usize = output.iter().map(|(_, b)| b.len()).sum();
    println!("| pass | ms | what |");
    println!("| --- | ---: | --- |");
    row("read", read, &format!("{} files of content/", sources.len()));
    row(
        "markdown",
        markdown,
        &format!("{} texts to {} B of HTML", texts.len(), html_bytes),
    );
    row(
        "automaton",
        scan,
        &format!("{} forms, {} matches", forms.len(), matches),
    );
    row("write", write, &format!("{} files, {} B", output.len(), written));
    row("**floor**", total, "the four passes, one after another");
    row(
        "segment",
        segment,
        &format!("{words} words (with the dictionary: {})", lexicon.uses_dictionary()),
    );
    row(
        "**floor with the word cut**",
        total + segment,
        "the floor and the segmentation",
    );
}

fn row(pass: &str, took: Duration, what: &str) {
    println!("| {pass} | {:.1} | {what} |", took.as_secs_f64() * 1000.0);
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}
