//! Scale: the small versions of bench/scale.sh. Each input is built (or
//! refused) whole, with the real binary, so a stack overflow or a hang would
//! show as a failure here; the timings and the linearity are measured by the
//! benchmark, never asserted in a test.

mod common;

use std::fs;
use std::path::Path;

use common::{duben, html, select};

fn site(articles: &[(&str, String)], glossary: &str, timeline: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("site.toml"), "title = \"读本\"\n").unwrap();
    fs::write(root.join("content/glossary.toml"), glossary).unwrap();
    fs::write(root.join("content/timeline.toml"), timeline).unwrap();
    for (slug, text) in articles {
        let folder = root.join("content").join(slug);
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("article.toml"), "title = \"文章\"\n").unwrap();
        fs::write(folder.join("text.md"), text).unwrap();
    }
    dir
}

fn run(root: &Path, command: &str) -> (Option<i32>, String, String) {
    let output = duben()
        .args([command, "--root"])
        .arg(root)
        .args(["--format", "json"])
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn many_terms_that_never_occur_are_each_reported() {
    let glossary: String = (0..1000)
        .map(|i| format!("[[term]]\nid = \"t{i}\"\nzh = \"无{i}\"\ndefinition = \"x\"\n\n"))
        .collect();
    let dir = site(&[("a", "中美关系。\n".into())], &glossary, "");
    let (code, stdout, stderr) = run(dir.path(), "check");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().filter(|l| l.contains("\"term-unused\"")).count(), 1000);
}

#[test]
fn many_paragraphs_build_whole() {
    let text: String = (0..3000).map(|p| format!("第{p}段。\n\n")).collect();
    let dir = site(&[("a", text)], "", "");
    let (code, _, stderr) = run(dir.path(), "build");
    assert_eq!(code, Some(0), "{stderr}");
    let page = html(&dir.path().join("public/a/index.html"));
    assert!(select(&page, "#p3000").len() == 1, "the last paragraph is there");
}

#[test]
fn one_huge_paragraph_builds() {
    let text = "中美关系的历史很长".repeat(16_000); // about 430 KB on one line
    let dir = site(&[("a", text.clone())], "", "");
    let (code, _, stderr) = run(dir.path(), "build");
    assert_eq!(code, Some(0), "{stderr}");
    let built = fs::read_to_string(dir.path().join("public/a/index.html")).unwrap();
    assert!(built.len() > text.len());
}

#[test]
fn deeply_nested_blockquotes_are_built_or_refused_never_a_crash() {
    let text = format!("{} 深\n", ">".repeat(10_000));
    let dir = site(&[("a", text)], "", "");
    let (code, _, stderr) = run(dir.path(), "build");
    assert!(
        code == Some(0) || code == Some(1),
        "a clean exit, not a crash ({code:?}): {stderr}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("overflow"), "{stderr}");
}

#[test]
fn many_broken_entries_are_each_reported_once() {
    let timeline: String = (0..500)
        .map(|i| format!("[[event]]\nid = \"e{i}\"\ndate = \"2018-02-30\"\ntitle = \"x\"\n\n"))
        .collect();
    let dir = site(&[("a", "中美关系。\n".into())], "", &timeline);
    let (code, stdout, stderr) = run(dir.path(), "check");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout.lines().filter(|l| l.contains("\"bad-date\"")).count(), 500);
}

/// `count` Han characters from a fixed pseudo-random sequence (a linear
/// congruential generator seeded with `seed`), so a text is large, has no
/// repeats to speak of, and is the same on every run.
fn han(seed: u64, count: usize) -> String {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from_u32(0x4E00 + ((state >> 33) % 20_000) as u32).unwrap()
        })
        .collect()
}

fn notes(quotes: &[String]) -> String {
    quotes
        .iter()
        .map(|q| format!("[[note]]\nanchor = {{ quote = \"{q}\" }}\nkind = \"commentary\"\nbody = \"x\"\n\n"))
        .collect()
}

/// The JSON reports of one code.
fn reports(stdout: &str, code: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn long_quotes_that_occur_nowhere_in_a_long_text_are_reported_with_the_closest_text() {
    // 300 paragraphs of 1,000 characters; ten quotes of 1,000 characters
    // that occur nowhere, and one that is ¶150's middle with one character
    // changed. Looking for the closest text once took seconds a quote.
    let paragraphs: Vec<String> = (0..300).map(|p| han(p, 1000)).collect();
    let dir = site(&[("a", paragraphs.join("\n\n"))], "", "");
    let original: String = paragraphs[149].chars().skip(200).take(1000).collect();
    let mut typo: Vec<char> = original.chars().collect();
    typo[600] = '〇';
    let mut quotes: Vec<String> = (0..10).map(|q| han(1000 + q, 1000)).collect();
    quotes.push(typo.into_iter().collect());
    fs::write(dir.path().join("content/a/notes.toml"), notes(&quotes)).unwrap();
    let (code, stdout, stderr) = run(dir.path(), "check");
    assert_eq!(code, Some(1), "{stderr}");
    let found = reports(&stdout, "quote-not-found");
    assert_eq!(found.len(), 11, "{stderr}");
    let help = found[10]["help"].as_str().unwrap();
    assert_eq!(
        help,
        format!("the closest text is in ¶150: \"{original}\"; copy the quote from the text exactly")
    );
}

#[test]
fn a_quote_in_every_paragraph_is_reported_in_one_line() {
    let text: String = (0..3000)
        .map(|p| format!("台湾问题，第{p}段的台湾问题。\n\n"))
        .collect();
    let dir = site(&[("a", text)], "", "");
    fs::write(dir.path().join("content/a/notes.toml"), notes(&["台湾问题".into()])).unwrap();
    let (code, stdout, stderr) = run(dir.path(), "check");
    assert_eq!(code, Some(1), "{stderr}");
    let ambiguous = reports(&stdout, "quote-ambiguous");
    assert_eq!(ambiguous.len(), 1, "{stderr}");
    let message = ambiguous[0]["message"].as_str().unwrap();
    let named: Vec<String> = (1..=10).map(|p| format!("¶{p} (2 times)")).collect();
    assert_eq!(
        message,
        format!(
            "the quote \"台湾问题\" occurs 6000 times in `a`: {} and 2990 more paragraphs",
            named.join(", ")
        )
    );
}
