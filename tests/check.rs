//! `duben check` over one small site per editor mistake (tests/fixtures/broken-*):
//! each problem is reported once, with its code, file, line, column, message
//! and help, the same in all three formats; warnings fail only with
//! `--strict`; the human report is reviewed in snapshots (tests/snapshots).

mod common;

use common::{duben, fixture};

/// One diagnostic as a format reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reported {
    severity: String,
    code: String,
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

/// What a message must be: exactly this text, or text that mentions each of
/// these (used where the wording is still to be settled).
#[derive(Debug, Clone, Copy)]
enum Text {
    Is(&'static str),
    Mentions(&'static [&'static str]),
}

impl Text {
    fn matches(self, actual: &str) -> bool {
        match self {
            Text::Is(expected) => actual == expected,
            Text::Mentions(parts) => parts.iter().all(|p| actual.contains(p)),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Expected {
    severity: &'static str,
    code: &'static str,
    file: &'static str,
    line: usize,
    column: usize,
    message: Text,
    help: Text,
}

const fn error(
    code: &'static str,
    file: &'static str,
    line: usize,
    column: usize,
    message: Text,
    help: Text,
) -> Expected {
    Expected {
        severity: "error",
        code,
        file,
        line,
        column,
        message,
        help,
    }
}

const fn warning(
    code: &'static str,
    file: &'static str,
    line: usize,
    column: usize,
    message: Text,
    help: Text,
) -> Expected {
    Expected {
        severity: "warning",
        ..error(code, file, line, column, message, help)
    }
}

fn matches(expected: &Expected, reported: &Reported) -> bool {
    expected.severity == reported.severity
        && expected.code == reported.code
        && expected.file == reported.file
        && expected.line == reported.line
        && expected.column == reported.column
        && expected.message.matches(&reported.message)
        && expected.help.matches(reported.help.as_deref().unwrap_or(""))
}

fn assert_reports(format: &str, reported: &[Reported], expected: &[Expected]) {
    let same = reported.len() == expected.len() && expected.iter().zip(reported).all(|(e, r)| matches(e, r));
    assert!(
        same,
        "--format {format}: expected {} problem(s)\n{expected:#?}\nbut got {}\n{reported:#?}",
        expected.len(),
        reported.len()
    );
}

/// Runs `duben check` with `args` and returns (exit code, stdout).
fn check(args: &[&str]) -> (i32, String) {
    let output = duben().arg("check").args(args).output().expect("duben runs");
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    (output.status.code().expect("duben exits"), stdout)
}

fn root(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

fn parse_json(stdout: &str) -> Vec<Reported> {
    stdout
        .lines()
        .map(|line| {
            let d: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            Reported {
                severity: d["severity"].as_str().unwrap().to_owned(),
                code: d["code"].as_str().unwrap().to_owned(),
                file: d["file"].as_str().unwrap().to_owned(),
                line: d["line"].as_u64().unwrap() as usize,
                column: d["column"].as_u64().unwrap() as usize,
                message: d["message"].as_str().unwrap().to_owned(),
                help: d["help"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// Parses `::error file=…,line=…,col=…,title=…::message%0Ahelp: …` lines.
fn parse_github(stdout: &str) -> Vec<Reported> {
    stdout
        .lines()
        .map(|line| {
            let rest = line
                .strip_prefix("::")
                .unwrap_or_else(|| panic!("not a workflow command: {line}"));
            let (command, rest) = rest.split_once(' ').unwrap();
            let (properties, data) = rest.split_once("::").unwrap();
            let property = |name: &str| {
                properties
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{name}=")))
                    .map(unescape)
                    .unwrap_or_else(|| panic!("no {name} in {line}"))
            };
            let data = unescape(data);
            let (message, help) = match data.split_once("\nhelp: ") {
                Some((message, help)) => (message.to_owned(), Some(help.to_owned())),
                None => (data, None),
            };
            Reported {
                severity: command.to_owned(),
                code: property("title"),
                file: property("file"),
                line: property("line").parse().unwrap(),
                column: property("col").parse().unwrap(),
                message,
                help,
            }
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Checks one fixture in all three formats and with `--strict`, and
/// snapshots the human report.
fn check_fixture(name: &str, expected: &[Expected]) {
    let site = root(name);
    let has_errors = expected.iter().any(|e| e.severity == "error");
    let exit = if has_errors { 1 } else { 0 };

    // The snapshot comes first so that every report can be read, even one
    // whose details below are still wrong.
    let (code, human) = check(&["--root", &site, "--format", "human"]);
    insta::assert_snapshot!(name, human);
    assert_eq!(code, exit, "--format human exit code\n{human}");
    for e in expected {
        let place = format!("--> {}:{}:{}", e.file, e.line, e.column);
        let title = format!("{}[{}]: ", e.severity, e.code);
        assert!(
            human.contains(&place) && human.contains(&title),
            "no {title}… at {place} in:\n{human}"
        );
    }

    let (code, json) = check(&["--root", &site, "--format", "json"]);
    assert_reports("json", &parse_json(&json), expected);
    assert_eq!(code, exit, "--format json exit code\n{json}");

    let (code, github) = check(&["--root", &site, "--format", "github"]);
    assert_reports("github", &parse_github(&github), expected);
    assert_eq!(code, exit, "--format github exit code\n{github}");

    let (code, strict) = check(&["--root", &site, "--strict"]);
    let strict_exit = if expected.is_empty() { 0 } else { 1 };
    assert_eq!(code, strict_exit, "--strict exit code\n{strict}");
}

const GLOSSARY: &str = "content/glossary.toml";
const TIMELINE: &str = "content/timeline.toml";
const NOTES: &str = "content/essay/notes.toml";

macro_rules! case {
    ($test:ident, $fixture:literal, [$($expected:expr),* $(,)?]) => {
        #[test]
        fn $test() {
            check_fixture($fixture, &[$($expected),*]);
        }
    };
}

case!(a_clean_site_has_no_problems, "ok-clean", []);

case!(
    toml_syntax_error,
    "broken-toml-syntax",
    [error(
        "toml-syntax",
        GLOSSARY,
        12,
        23,
        Text::Is("TOML syntax error: this text is not closed: add `\"` at its end"),
        Text::Is("see https://toml.io for the syntax; strings need quotes, tables need [brackets]"),
    )]
);

case!(
    unknown_key_with_did_you_mean,
    "broken-unknown-key",
    // One mistake, one message: the misspelt `defintion` is not also
    // reported as a missing definition.
    [error(
        "unknown-key",
        GLOSSARY,
        13,
        1,
        Text::Is("unknown key `defintion` in term `joint-communique`"),
        Text::Is("did you mean `definition`?"),
    )]
);

case!(
    missing_required_field,
    "broken-missing-field",
    [error(
        "missing-key",
        GLOSSARY,
        8,
        1,
        Text::Mentions(&["has no `zh`"]),
        Text::Is("add a line `zh = …` to it"),
    )]
);

case!(
    wrong_type,
    "broken-wrong-type",
    [error(
        "wrong-type",
        GLOSSARY,
        11,
        11,
        Text::Mentions(&["`aliases`", "list"]),
        Text::Mentions(&["[brackets]"]),
    )]
);

case!(
    misspelt_see_also,
    "broken-see-also",
    [error(
        "unknown-id",
        GLOSSARY,
        14,
        13,
        Text::Is("there is no term with the id `taiwan-relation-act`"),
        Text::Is("did you mean `taiwan-relations-act`?"),
    )]
);

case!(
    misspelt_event_terms,
    "broken-event-terms",
    [error(
        "unknown-id",
        TIMELINE,
        5,
        10,
        Text::Is("there is no term with the id `joint-comunique`"),
        Text::Is("did you mean `joint-communique`?"),
    )]
);

case!(
    misspelt_anchor_article,
    "broken-anchor-article",
    [error(
        "unknown-article",
        TIMELINE,
        6,
        24,
        Text::Is("no article has the slug `esay`"),
        Text::Is("did you mean `essay`?"),
    )]
);

case!(
    quote_not_found_shows_the_near_miss,
    "broken-quote-not-found",
    [error(
        "quote-not-found",
        NOTES,
        2,
        20,
        Text::Is("the quote \"某种防卫承诺\" does not occur in `essay`"),
        Text::Is("the closest text is in ¶2: \"某种防务承诺\"; copy the quote from the text exactly"),
    )]
);

case!(
    quote_ambiguous_lists_the_paragraphs,
    "broken-quote-ambiguous",
    [error(
        "quote-ambiguous",
        NOTES,
        2,
        20,
        Text::Is("the quote \"中美\" occurs 2 times in `essay`: ¶1, ¶3"),
        Text::Is("quote a few more words so it occurs once, or add `paragraph = N`"),
    )]
);

case!(
    paragraph_out_of_range,
    "broken-paragraph-range",
    [error(
        "paragraph-out-of-range",
        NOTES,
        2,
        24,
        Text::Is("¶9 does not exist: `essay` has 3 paragraphs"),
        Text::Is("prefer a `quote`, which survives renumbering"),
    )]
);

case!(
    two_terms_sharing_a_form,
    "broken-shared-form",
    [error(
        "shared-form",
        GLOSSARY,
        11,
        12,
        Text::Is("`与台湾关系法` is already a form of the term `taiwan-relations-act`"),
        Text::Is("a form may belong to one term only: remove it here or there, or merge the two terms"),
    )]
);

case!(
    duplicate_term_id,
    "broken-duplicate-term-id",
    [error(
        "duplicate-id",
        GLOSSARY,
        9,
        6,
        Text::Is("the term id `taiwan-relations-act` is used twice"),
        Text::Is("it is first used in content/glossary.toml:2; give this term another id"),
    )]
);

case!(
    id_with_bad_characters,
    "broken-bad-id",
    [error(
        "bad-id",
        GLOSSARY,
        9,
        6,
        Text::Is("the term id `Joint_Communique` may use only a-z, 0-9 and -"),
        Text::Is("for example `joint-communique`"),
    )]
);

case!(
    impossible_date,
    "broken-impossible-date",
    [error(
        "bad-date",
        TIMELINE,
        3,
        8,
        Text::Is("`2018-02-30` is not a date: 2018-02 has 28 days, so day 30 does not exist"),
        Text::Is("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
    )]
);

case!(
    end_before_date,
    "broken-end-before-date",
    [error(
        "end-before-date",
        TIMELINE,
        4,
        7,
        Text::Is("the event ends (1978) before it begins (1979-01)"),
        Text::Is("swap `date` and `end`, or correct the one that is wrong"),
    )]
);

case!(
    duplicate_event_id,
    "broken-duplicate-event-id",
    [error(
        "duplicate-id",
        TIMELINE,
        9,
        6,
        Text::Is("the event id `1978-joint-communique` is used twice"),
        Text::Is("it is first used in content/timeline.toml:2; give this event another id"),
    )]
);

case!(
    raw_html_in_a_markdown_field,
    "broken-raw-html",
    [warning(
        "raw-html",
        GLOSSARY,
        6,
        30,
        Text::Is("raw HTML `<br>` will be shown as text, not used as HTML"),
        Text::Is("write Markdown instead (e.g. *emphasis*, [link](https://…)); HTML in content is never executed"),
    )]
);

case!(
    javascript_link_in_a_definition,
    "broken-javascript-link",
    [error(
        "link-scheme",
        GLOSSARY,
        13,
        34,
        Text::Is("link target `javascript:alert(1)` is not allowed"),
        Text::Is("links may be relative or start with http://, https:// or mailto:"),
    )]
);

case!(
    term_that_never_occurs,
    "broken-unused-term",
    [warning(
        "term-unused",
        GLOSSARY,
        17,
        6,
        Text::Is("the term `anti-secession-law` (反分裂国家法) occurs in no article"),
        Text::Mentions(&["exactly as the text has it"]),
    )]
);

case!(
    pinyin_syllable_count,
    "broken-pinyin-count",
    [warning(
        "pinyin",
        GLOSSARY,
        11,
        10,
        Text::Is("the pinyin has 3 syllables but `联合公报` has 4 characters"),
        Text::Mentions(&["one tone-marked syllable per character"]),
    )]
);

case!(
    pinyin_tone_mark_pinyin_does_not_use,
    "broken-pinyin-tone",
    [warning(
        "pinyin",
        GLOSSARY,
        11,
        10,
        Text::Is("`ă` is not a pinyin letter or tone mark"),
        Text::Mentions(&["tone-marked"]),
    )]
);

case!(
    empty_definition,
    "broken-empty-definition",
    [warning(
        "empty-definition",
        GLOSSARY,
        13,
        14,
        Text::Is("the term `joint-communique` has no definition"),
        Text::Mentions(&["add `definition = \"\"\"…\"\"\"`"]),
    )]
);

/// (code, file, line, column) of the twenty errors in tests/fixtures/broken-many.
const MANY: [(&str, &str, usize, usize); 20] = [
    ("unknown-key", "content/essay/article.toml", 2, 1),
    ("quote-not-found", NOTES, 2, 20),
    ("quote-ambiguous", NOTES, 7, 20),
    ("paragraph-out-of-range", NOTES, 12, 24),
    ("unknown-value", NOTES, 18, 8),
    ("link-scheme", "content/essay/text.md", 5, 18),
    ("toml-syntax", "content/glossary/people.toml", 2, 20),
    ("unknown-id", GLOSSARY, 6, 13),
    ("shared-form", GLOSSARY, 11, 12),
    ("unknown-key", GLOSSARY, 12, 1),
    ("bad-id", GLOSSARY, 15, 6),
    ("link-scheme", GLOSSARY, 17, 33),
    ("duplicate-id", GLOSSARY, 20, 6),
    ("wrong-type", GLOSSARY, 27, 11),
    ("unknown-id", TIMELINE, 5, 10),
    ("unknown-article", TIMELINE, 6, 24),
    ("bad-date", TIMELINE, 10, 8),
    ("end-before-date", TIMELINE, 16, 7),
    ("duplicate-id", TIMELINE, 20, 6),
    ("unknown-key", "site.toml", 2, 1),
];

fn errors_of(reported: Vec<Reported>) -> Vec<(String, String, usize, usize)> {
    reported
        .into_iter()
        .filter(|r| r.severity == "error")
        .map(|r| (r.code, r.file, r.line, r.column))
        .collect()
}

#[test]
fn twenty_scattered_errors_are_all_reported_at_once() {
    let site = root("broken-many");
    let expected: Vec<(String, String, usize, usize)> = MANY
        .iter()
        .map(|(code, file, line, column)| (code.to_string(), file.to_string(), *line, *column))
        .collect();

    let (code, json) = check(&["--root", &site, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(errors_of(parse_json(&json)), expected, "--format json");

    let (code, github) = check(&["--root", &site, "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(errors_of(parse_github(&github)), expected, "--format github");

    let (code, human) = check(&["--root", &site]);
    assert_eq!(code, 1);
    assert!(human.contains("20 errors"), "{human}");
    insta::assert_snapshot!("broken-many", human);
}

/// `check --links` renders the site and follows every internal link; the
/// report points into the page as `duben build` would write it.
#[test]
fn links_finds_a_link_to_a_page_that_does_not_exist() {
    let site = root("broken-links");
    let (code, _) = check(&["--root", &site]);
    assert_eq!(code, 0, "without --links the built pages are not looked at");

    let built = tempfile::tempdir().unwrap();
    duben()
        .args(["build", "--root", &site, "--output"])
        .arg(built.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(built.path().join("essay/index.html")).unwrap();
    let at = page.find("../timline/index.html").expect("the link is in the page");
    let line = page[..at].matches('\n').count() + 1;
    let column = page[..at].rsplit('\n').next().unwrap().chars().count() + 1;

    let (code, json) = check(&["--root", &site, "--links", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let expected = error(
        "broken-link",
        "public/essay/index.html",
        line,
        column,
        Text::Is("the link `../timline/index.html` points to `timline/index.html`, which the site does not have"),
        Text::Is("did you mean `timeline/index.html`? Links are relative to the page they are on"),
    );
    assert_reports("json", &parse_json(&json), &[expected]);
}

#[test]
fn links_of_a_clean_site_all_resolve() {
    let (code, stdout) = check(&["--root", &root("ok-clean"), "--links"]);
    assert_eq!((code, stdout.as_str()), (0, "no problems found\n"));
}
