//! `duben check` over one editor mistake at a time, each made by one edit of
//! tests/fixtures/ok-clean (`SiteTest`):
//! each problem is reported once, with its code, file, line, column, message
//! and help, the same in all three formats; warnings fail only with
//! `--strict`; the human report is reviewed in snapshots (tests/snapshots).

mod common;

use common::{SiteTest, duben, fixture};

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
fn check_fixture(name: &str, site: &SiteTest, expected: &[Expected]) {
    site.assert_check_and_build_agree();
    let site = site.root().to_string_lossy().into_owned();
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

/// ok-clean with one more glossary term, `entry` (its lines after
/// `[[term]]`), after the last one.
fn with_term(entry: &str) -> SiteTest {
    let last = r#"definition = """A statement issued jointly by two governments."""
"#;
    SiteTest::fixture("ok-clean").replace(GLOSSARY, last, &format!("{last}\n[[term]]\n{entry}"))
}

const GLOSSARY: &str = "content/glossary.toml";
const TIMELINE: &str = "content/timeline.toml";
const NOTES: &str = "content/essay/notes.toml";

/// One editor mistake: its name (the snapshot's), the site that makes it,
/// and what `check` must report.
macro_rules! case {
    ($test:ident, $name:literal, $site:expr, [$($expected:expr),* $(,)?]) => {
        #[test]
        fn $test() {
            check_fixture($name, &$site, &[$($expected),*]);
        }
    };
}

case!(
    a_clean_site_has_no_problems,
    "ok-clean",
    SiteTest::fixture("ok-clean"),
    []
);

case!(
    toml_syntax_error,
    "broken-toml-syntax",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"en = "joint communiqué"
"#,
        r#"en = "joint communiqué
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"definition = """A statement issued jointly by two governments."""
"#,
        r#"defintion = """A statement issued jointly by two governments."""
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"zh = "联合公报"
"#,
        r#""#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"zh = "联合公报"
pinyin = "Liánhé Gōngbào"
"#,
        r#"zh = "联合公报"
aliases = "公报"
pinyin = "Liánhé Gōngbào"
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"definition = """A statement issued jointly by two governments."""
"#,
        r#"definition = """A statement issued jointly by two governments."""
see_also = ["taiwan-relation-act"]
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/timeline.toml",
        r#"terms = ["joint-communique"]
"#,
        r#"terms = ["joint-comunique"]
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/timeline.toml",
        r#"anchors = [{ article = "essay", quote = "1978年12月16日" }]
"#,
        r#"anchors = [{ article = "esay", quote = "1978年12月16日" }]
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/essay/notes.toml",
        r#"anchor = { quote = "某种防务承诺" }
"#,
        r#"anchor = { quote = "某种防卫承诺" }
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/essay/notes.toml",
        r#"anchor = { quote = "某种防务承诺" }
"#,
        r#"anchor = { quote = "中美" }
"#
    ),
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
    a_quote_in_another_paragraph_says_where_it_is,
    "broken-quote-elsewhere",
    SiteTest::fixture("ok-clean").replace(
        "content/essay/notes.toml",
        r#"anchor = { quote = "某种防务承诺" }
"#,
        r#"anchor = { quote = "某种防务承诺", paragraph = 3 }
"#
    ),
    [error(
        "quote-not-found",
        NOTES,
        2,
        20,
        Text::Is("the quote \"某种防务承诺\" does not occur in ¶3 of `essay`"),
        Text::Is("it occurs in ¶2: write `paragraph = 2`, or leave `paragraph` out"),
    )]
);

case!(
    paragraph_out_of_range,
    "broken-paragraph-range",
    SiteTest::fixture("ok-clean").replace(
        "content/essay/notes.toml",
        r#"anchor = { quote = "某种防务承诺" }
"#,
        r#"anchor = { paragraph = 9 }
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"zh = "联合公报"
pinyin = "Liánhé Gōngbào"
"#,
        r#"zh = "联合公报"
aliases = ["与台湾关系法"]
pinyin = "Liánhé Gōngbào"
"#
    ),
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
    SiteTest::fixture("ok-clean")
        .replace(
            "content/glossary.toml",
            r#"id = "joint-communique"
"#,
            r#"id = "taiwan-relations-act"
"#
        )
        .replace(
            "content/timeline.toml",
            r#"terms = ["joint-communique"]
"#,
            r#""#
        ),
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
    SiteTest::fixture("ok-clean")
        .replace(
            "content/glossary.toml",
            r#"id = "joint-communique"
"#,
            r#"id = "Joint_Communique"
"#
        )
        .replace(
            "content/timeline.toml",
            r#"terms = ["joint-communique"]
"#,
            r#""#
        ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/timeline.toml",
        r#"date = "1978-12-16"
"#,
        r#"date = "2018-02-30"
"#
    ),
    [error(
        "bad-date",
        TIMELINE,
        3,
        8,
        Text::Is("`2018-02-30` is not a date: 2018-02 has 28 days, so day 30 does not exist"),
        Text::Is("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
    )]
);

/// The event `no-title` added at line 8 of the timeline without its title.
const EVENT_WITHOUT_TITLE: Expected = error(
    "missing-key",
    TIMELINE,
    8,
    1,
    Text::Is("event `no-title` has no `title`"),
    Text::Is("add a line `title = …` to it"),
);

// An entry that fails to load (no title) still has its dates checked: the
// bad date had been reported only once the title was added.
case!(
    a_bad_date_is_reported_beside_a_missing_title,
    "broken-date-and-no-title",
    SiteTest::fixture("ok-clean").edit("content/timeline.toml", |text| text
        .push_str("\n[[event]]\nid = \"no-title\"\ndate = \"1979-13-01\"\n")),
    [
        EVENT_WITHOUT_TITLE,
        error(
            "bad-date",
            TIMELINE,
            10,
            8,
            Text::Is("`1979-13-01` is not a date: there is no month 13"),
            Text::Is("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
        ),
    ]
);

case!(
    a_language_written_as_a_name_is_refused_where_it_is_written,
    "bad-language",
    SiteTest::fixture("ok-clean")
        .edit("site.toml", |text| text.push_str("language = \"Chinese\"\n"))
        .edit(NOTES, |text| text.push_str("lang = \"english\"\n")),
    [
        error(
            "bad-language",
            NOTES,
            5,
            8,
            Text::Is("lang must be a language tag, not `english`"),
            Text::Is("for example lang = \"en\", \"fr\" or \"zh-Hant\" (a code, not the language's name)"),
        ),
        error(
            "bad-language",
            "site.toml",
            3,
            12,
            Text::Is("language must be a language tag, not `Chinese`"),
            Text::Is("for example language = \"en\", \"fr\" or \"zh-Hant\" (a code, not the language's name)"),
        ),
    ]
);

case!(
    a_base_url_a_path_cannot_follow_is_refused,
    "bad-base-url",
    SiteTest::fixture("ok-clean").edit("site.toml", |text| text
        .push_str("base_url = \"https://example.org/reader?lang=zh\"\n")),
    [error(
        "bad-base-url",
        "site.toml",
        3,
        12,
        Text::Is("base_url must be the site's absolute http(s) address: a page's path cannot follow a ? or #"),
        Text::Is("for example base_url = \"https://example.github.io/duben\""),
    )]
);

case!(
    the_markdown_of_an_event_that_fails_to_load_is_still_checked,
    "broken-description-and-no-title",
    SiteTest::fixture("ok-clean").edit("content/timeline.toml", |text| text.push_str(
        "\n[[event]]\nid = \"no-title\"\ndate = \"1979\"\ndescription = \"见[此](javascript:alert(1))\"\n"
    )),
    [
        EVENT_WITHOUT_TITLE,
        error(
            "link-scheme",
            TIMELINE,
            11,
            17,
            Text::Is("link target `javascript:alert(1)` is not allowed"),
            Text::Is("links may be relative or start with http://, https:// or mailto:"),
        ),
    ]
);

case!(
    an_era_that_fails_to_load_has_only_its_own_dates_checked,
    "broken-era-no-title",
    SiteTest::fixture("ok-clean").edit("content/timeline.toml", |text| text
        .push_str("\n[[era]]\ndate = \"1990-13\"\nend = \"1995\"\ntext_date = \"约1979年\"\n")),
    [
        error(
            "missing-key",
            TIMELINE,
            8,
            1,
            Text::Is("era has no `title`"),
            Text::Is("add a line `title = …` to it"),
        ),
        error(
            "bad-date",
            TIMELINE,
            9,
            8,
            Text::Is("`1990-13` is not a date: there is no month 13"),
            Text::Is("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
        ),
        error(
            "unknown-key",
            TIMELINE,
            11,
            1,
            Text::Is("unknown key `text_date` in era"),
            Text::Is("the keys allowed here are: title, title_en, date, end"),
        ),
    ]
);

case!(
    era_dates_are_checked_as_event_dates_are,
    "broken-era-dates",
    SiteTest::fixture("ok-clean").edit("content/timeline.toml", |text| text.push_str(
        "\n[[era]]\ntitle = \"时期\"\ndate = \"1990\"\nend = \"1980\"\n\n[[era]]\ntitle = \"另一个时期\"\ndate = \"1990-13\"\nend = \"1995\"\n"
    )),
    [
        error(
            "end-before-date",
            TIMELINE,
            11,
            7,
            Text::Is("the era `时期` ends (1980) before it begins (1990)"),
            Text::Is("swap `date` and `end`, or correct the one that is wrong"),
        ),
        error(
            "bad-date",
            TIMELINE,
            15,
            8,
            Text::Is("`1990-13` is not a date: there is no month 13"),
            Text::Is("write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source"),
        ),
    ]
);

case!(
    end_before_date,
    "broken-end-before-date",
    SiteTest::fixture("ok-clean").replace(
        "content/timeline.toml",
        r#"date = "1978-12-16"
"#,
        r#"date = "1979-01"
end = "1978"
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/timeline.toml",
        r#"anchors = [{ article = "essay", quote = "1978年12月16日" }]
"#,
        r#"anchors = [{ article = "essay", quote = "1978年12月16日" }]

[[event]]
id = "1978-joint-communique"
date = "1979-01-01"
title = "中美正式建立外交关系"
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"definition = """A 1979 US law governing unofficial relations with Taiwan."""
"#,
        r#"definition = """A 1979 US law<br> governing unofficial relations with Taiwan."""
"#
    ),
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
    a_bidi_override_written_as_a_character,
    "broken-bidi-character",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        "en = \"Taiwan Relations Act\"",
        "en = \"Taiwan \u{202E}Relations Act\""
    ),
    [warning(
        "bidi-control",
        GLOSSARY,
        5,
        14,
        Text::Is(
            "an invisible bidirectional control (U+202E RLO, right-to-left override) is here; it would reorder the text after it on the page, so it is shown as �"
        ),
        Text::Mentions(&["delete it"]),
    )]
);

case!(
    a_bidi_override_written_as_an_escape,
    "broken-bidi-escape",
    SiteTest::fixture("ok-clean").replace(
        "site.toml",
        "title_en = \"Check example\"",
        r#"title_en = "Check \u202Eexample \U00002066""#
    ),
    [
        warning(
            "bidi-control",
            "site.toml",
            2,
            19,
            Text::Mentions(&["U+202E RLO"]),
            Text::Mentions(&["delete the `\\u` escape"]),
        ),
        warning(
            "bidi-control",
            "site.toml",
            2,
            33,
            Text::Mentions(&["U+2066 LRI"]),
            Text::Mentions(&["delete"]),
        )
    ]
);

case!(
    a_bidi_override_in_a_quoted_key,
    "broken-bidi-key",
    SiteTest::fixture("ok-clean").replace(
        "site.toml",
        "title_en = \"Check example\"",
        "title_en = \"Check example\"\nextra = { \"gnp\\u202Eexe\" = \"x\" }"
    ),
    [warning(
        "bidi-control",
        "site.toml",
        3,
        15,
        Text::Mentions(&["U+202E RLO"]),
        Text::Mentions(&["delete the `\\u` escape"]),
    )]
);

case!(
    javascript_link_in_a_definition,
    "broken-javascript-link",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"definition = """A statement issued jointly by two governments."""
"#,
        r#"definition = """A statement (see [the text](javascript:alert(1))) issued jointly by two governments."""
"#
    ),
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
    with_term(
        r#"id = "anti-secession-law"
zh = "反分裂国家法"
pinyin = "Fǎn Fēnliè Guójiā Fǎ"
en = "Anti-Secession Law"
definition = """A 2005 law of the People's Republic of China."""
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"pinyin = "Liánhé Gōngbào"
"#,
        r#"pinyin = "Liánhé Gōng"
"#
    ),
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
    pinyin_the_dictionary_reads_otherwise,
    "warn-pinyin-differs",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"pinyin = "Liánhé Gōngbào"
"#,
        r#"pinyin = "Liánhé Gōngbāo"
"#
    ),
    [warning(
        "pinyin-differs",
        GLOSSARY,
        11,
        10,
        Text::Is("the dictionary reads `联合公报` as \"liánhégōngbào\", not as written"),
        Text::Mentions(&["write pinyin = \"liánhégōngbào\""]),
    )]
);

case!(
    pinyin_missing_is_suggested,
    "warn-pinyin-missing",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"pinyin = "Liánhé Gōngbào"
"#,
        ""
    ),
    [warning(
        "pinyin-missing",
        GLOSSARY,
        10,
        6,
        Text::Is("the term `joint-communique` has no pinyin"),
        Text::Mentions(&["write pinyin = \"liánhégōngbào\""]),
    )]
);

case!(
    pinyin_tone_mark_pinyin_does_not_use,
    "broken-pinyin-tone",
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"pinyin = "Liánhé Gōngbào"
"#,
        r#"pinyin = "Liánhé Gōngbăo"
"#
    ),
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
    SiteTest::fixture("ok-clean").replace(
        "content/glossary.toml",
        r#"definition = """A statement issued jointly by two governments."""
"#,
        r#"definition = """"""
"#
    ),
    [warning(
        "empty-definition",
        GLOSSARY,
        13,
        14,
        Text::Is("the term `joint-communique` has no definition"),
        Text::Mentions(&["add `definition = \"\"\"…\"\"\"`"]),
    )]
);

/// Twenty mistakes scattered over every kind of file.
fn many_mistakes() -> SiteTest {
    SiteTest::fixture("ok-clean")
        .replace(
            "content/essay/article.toml",
            r#"title_en = "China–US relations"
"#,
            r#"yaer = 2019
"#,
        )
        .replace(
            "content/essay/notes.toml",
            r#"anchor = { quote = "某种防务承诺" }
"#,
            r#"anchor = { quote = "某种防卫承诺" }
"#,
        )
        .replace(
            "content/essay/notes.toml",
            r#"body = """The author reads the act as keeping a security commitment."""
"#,
            r#"body = """Quote not found: a near miss."""

[[note]]
anchor = { quote = "中美" }
kind = "commentary"
body = """Ambiguous quote."""

[[note]]
anchor = { paragraph = 12 }
kind = "translation"
body = """Paragraph out of range."""

[[note]]
anchor = { quote = "最大的痛点" }
kind = "comentary"
body = """Unknown kind."""
"#,
        )
        .replace(
            "content/essay/text.md",
            r#"台湾问题是中美关系中最大的痛点。
"#,
            r#"台湾问题是中美关系中最大的痛点，见[说明](javascript:void(0))。

2005年，中国通过了反分裂国家法。
"#,
        )
        .replace(
            "content/glossary.toml",
            r#"pinyin = "Yǔ Táiwān Guānxì Fǎ"
"#,
            r#""#,
        )
        .replace(
            "content/glossary.toml",
            r#"definition = """A 1979 US law governing unofficial relations with Taiwan."""

"#,
            r#"definition = """A 1979 US law governing unofficial relations with Taiwan."""
see_also = ["anti-secesion-law"]

"#,
        )
        .replace(
            "content/glossary.toml",
            r#"pinyin = "Liánhé Gōngbào"
en = "joint communiqué"
definition = """A statement issued jointly by two governments."""
"#,
            r#"aliases = ["与台湾关系法"]
defintion = """A statement issued jointly by two governments."""

[[term]]
id = "Anti_Secession_Law"
zh = "反分裂国家法"
definition = """A 2005 law; see [it](javascript:alert(1))."""

[[term]]
id = "joint-communique"
zh = "建交"
definition = """Duplicate id."""

[[term]]
id = "pain-point"
zh = "痛点"
aliases = "痛"
definition = """Wrong type."""
"#,
        )
        .write(
            "content/glossary/people.toml",
            r#"[[term]]
id = "deng-xiaoping
zh = "邓小平"
"#,
        )
        .replace(
            "content/timeline.toml",
            r#"terms = ["joint-communique"]
anchors = [{ article = "essay", quote = "1978年12月16日" }]
"#,
            r#"terms = ["joint-comunique"]
anchors = [{ article = "esay", quote = "1978年12月16日" }]

[[event]]
id = "2018-impossible"
date = "2018-02-30"
title = "不存在的日子"

[[event]]
id = "backwards"
date = "1999-05"
end = "1998"
title = "倒着的时间段"

[[event]]
id = "1978-joint-communique"
date = "1979-01-01"
title = "重复的编号"
"#,
        )
        .replace(
            "site.toml",
            r#"title = "检查示例"
title_en = "Check example"
"#,
            r#"title = "二十个错误"
titel_en = "Twenty mistakes"
"#,
        )
}

/// (code, file, line, column) of the twenty errors in `many_mistakes`.
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
    let many = many_mistakes();
    let site = many.root().to_string_lossy().into_owned();
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

/// A second site with one of every content error (tests/fixtures/errors):
/// `check` reports all of them at once in every format, and `build` writes
/// nothing.
/// (code, file, line, column) of every error in tests/fixtures/errors.
const EVERY_ERROR: &[(&str, &str, usize, usize)] = &[
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
fn every_kind_of_error_is_reported_at_its_place() {
    let site = root("errors");
    let expected: Vec<(String, String, usize, usize)> = EVERY_ERROR
        .iter()
        .map(|(code, file, line, column)| (code.to_string(), file.to_string(), *line, *column))
        .collect();
    let (code, json) = check(&["--root", &site, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(errors_of(parse_json(&json)), expected, "--format json");
    let (code, github) = check(&["--root", &site, "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(errors_of(parse_github(&github)), expected, "--format github");
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

/// A link in the text to a page whose name is misspelt.
fn misspelt_link() -> SiteTest {
    SiteTest::fixture("ok-clean").replace(
        "content/essay/text.md",
        r#"台湾问题是中美关系中最大的痛点。
"#,
        r#"台湾问题是中美关系中最大的痛点。

见[时间线](../timline/index.html)。
"#,
    )
}

/// `check --links` renders the site and follows every internal link; a
/// link written in text.md is reported at the line of text.md it came from.
#[test]
fn links_finds_a_link_to_a_page_that_does_not_exist() {
    let broken = misspelt_link();
    let site = broken.root().to_string_lossy().into_owned();
    let (code, _) = check(&["--root", &site]);
    assert_eq!(code, 0, "without --links the built pages are not looked at");

    let text = std::fs::read_to_string(broken.root().join("content/essay/text.md")).unwrap();
    let at = text.find("../timline/index.html").expect("the link is in the text");
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;

    let (code, json) = check(&["--root", &site, "--links", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let expected = error(
        "broken-link",
        "content/essay/text.md",
        line,
        column,
        Text::Is("the link `../timline/index.html` points to `timline/index.html`, which the site does not have"),
        Text::Is("did you mean `timeline/index.html`? Links are relative to the page they are on"),
    );
    assert_reports("json", &parse_json(&json), &[expected]);
    let (_, human) = check(&["--root", &site, "--links"]);
    assert!(
        human.contains(&format!("content/essay/text.md:{line}:{column}"))
            && human.contains("见[时间线](../timline/index.html)"),
        "the report shows the line of text.md:\n{human}"
    );
}

/// A broken link that only a template made has no content line: it is
/// reported in the page.
#[test]
fn links_made_by_a_template_are_reported_in_the_page() {
    let broken = misspelt_link();
    let root = broken.root();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let text = std::fs::read_to_string(root.join("content/essay/text.md")).unwrap();
    std::fs::write(
        root.join("content/essay/text.md"),
        text.replace("../timline/", "../timeline/"),
    )
    .unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<a href=\"{{ root }}nowhere.html\">x</a>{% endblock main %}",
    )
    .unwrap();
    let (code, json) = check(&["--root", &root.to_string_lossy(), "--links", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    assert!(json.contains("\"public/404.html\""), "{json}");
}

#[test]
fn links_of_a_clean_site_all_resolve() {
    let (code, stdout) = check(&["--root", &root("ok-clean"), "--links"]);
    assert_eq!((code, stdout.as_str()), (0, "no problems found\n"));
}

/// The library runs the same pipeline as the binary: in process, `check`
/// finds the same problems at the same places.
#[test]
fn the_library_checks_in_process_as_the_binary_does() {
    let many = many_mistakes();
    let report = many.check();
    let in_process: Vec<(String, String, usize, usize)> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let (line, column) = d
                .span
                .as_ref()
                .map_or((1, 1), |s| report.sources.line_col(&d.file, s.start));
            (d.code.to_owned(), d.file.to_string_lossy().into_owned(), line, column)
        })
        .collect();
    let (_, json) = check(&["--root", &many.root().to_string_lossy(), "--format", "json"]);
    assert_eq!(in_process, errors_of(parse_json(&json)));
    assert_eq!(report.errors(), 20);
}

/// A term whose form the text has only inside a longer word is not marked
/// there (`check` says so), and it is not reported as occurring nowhere:
/// the occurrences note the refused match, so no second scan of the text
/// is needed to know the form is written. (`term-cuts-word` is `check`'s
/// alone, so this is not one of the cases above, which `build` must agree
/// with.)
#[test]
fn a_term_written_only_inside_a_longer_word_is_not_unused() {
    let site = with_term(
        r#"id = "pain"
zh = "痛"
pinyin = "tòng"
en = "pain"
definition = """Pain; written in the text only inside the word 痛点."""
"#,
    );
    let root = site.root().to_string_lossy().into_owned();
    let (code, json) = check(&["--root", &root, "--format", "json"]);
    assert_eq!(code, 0, "warnings only\n{json}");
    let expected = warning(
        "term-cuts-word",
        "content/essay/text.md",
        5,
        14,
        Text::Is("`痛` (term `pain`) is not marked here: it would cut the word 痛点 in `痛点`"),
        Text::Mentions(&["add it to the glossary"]),
    );
    assert_reports("json", &parse_json(&json), &[expected]);
}
