//! A site with one of every content error: `check` and `build` report all of
//! them at once, each at its file, line and column.

mod common;

use common::{duben, fixture};

/// (code, file, line, column) of every error in tests/fixtures/errors.
const EXPECTED: &[(&str, &str, usize, usize)] = &[
    ("unknown-key", "content/essay/article.toml", 2, 1),
    ("quote-ambiguous", "content/essay/notes.toml", 2, 20),
    ("quote-not-found", "content/essay/notes.toml", 7, 20),
    ("paragraph-out-of-range", "content/essay/notes.toml", 12, 24),
    ("unknown-value", "content/essay/notes.toml", 18, 8),
    ("link-scheme", "content/essay/text.md", 3, 13),
    ("toml-syntax", "content/glossary/broken.toml", 3, 8),
    ("unknown-id", "content/glossary.toml", 6, 13),
    ("duplicate-id", "content/glossary.toml", 9, 6),
    ("bad-id", "content/glossary.toml", 14, 6),
    ("shared-form", "content/glossary.toml", 16, 12),
    ("missing-key", "content/glossary.toml", 19, 1),
    ("wrong-type", "content/glossary.toml", 26, 11),
    ("bad-date", "content/timeline.toml", 3, 8),
    ("end-before-date", "content/timeline.toml", 9, 7),
    ("unknown-id", "content/timeline.toml", 11, 10),
    ("unknown-article", "content/timeline.toml", 12, 24),
    ("duplicate-id", "content/timeline.toml", 15, 6),
    ("unknown-key", "site.toml", 2, 1),
];

#[test]
fn check_reports_every_error_with_its_location() {
    let assert = duben()
        .args(["check", "--format", "json", "--root"])
        .arg(fixture("errors"))
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let errors: Vec<(String, String, usize, usize)> = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let expected: Vec<(String, String, usize, usize)> = EXPECTED
        .iter()
        .map(|(c, f, l, col)| (c.to_string(), f.to_string(), *l, *col))
        .collect();
    assert_eq!(errors, expected);
}

#[test]
fn messages_say_what_is_wrong_and_what_to_do() {
    let assert = duben()
        .args(["check", "--root"])
        .arg(fixture("errors"))
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "unknown key `auther` in article.toml",
        "did you mean `author`?",
        "the quote \"台湾问题\" occurs 2 times in `essay`: ¶1, ¶2",
        "the closest text is in ¶1: \"中美关系中最大的痛点\"",
        "¶9 does not exist: `essay` has 3 paragraphs",
        "did you mean `commentary`?",
        "`联合公报` is already a form of the term `joint-communique`",
        "2018-02 has 28 days, so day 30 does not exist",
        "did you mean `joint-communique`?",
        "did you mean `essay`?",
        "it is first used in content/timeline.toml:7",
        "--> content/timeline.toml:3:8",
        "19 errors",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
}

#[test]
fn build_refuses_to_write_anything() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let assert = duben()
        .args(["build", "--root"])
        .arg(fixture("errors"))
        .arg("--output")
        .arg(&target)
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("19 errors"), "{stderr}");
    assert!(!target.exists());
}

#[test]
fn github_format_points_pull_requests_at_the_line() {
    let assert = duben()
        .args(["check", "--format", "github", "--root"])
        .arg(fixture("errors"))
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=content/timeline.toml,line=3,col=8,title=bad-date::")),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        EXPECTED.len()
    );
}
