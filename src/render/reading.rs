//! A reading's own views: its vocabulary (`<slug>/vocabulary/`: the terms in
//! order of first appearance, by section, as a printable handout, a CSV file
//! and a tab-separated file Anki imports) and its timeline
//! (`<slug>/timeline/`: the events anchored in it, a plain page that needs
//! no script).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;

use super::OutputFile;
use super::Shared;
use super::axis::{AxisView, Layout, Placed, axis};
use super::context::{Common, render_page};
use super::theme::Theme;
use super::urls::{self, Page, term_url};
use super::views::{EventView, ReadingLinks, ReadingPage};
use crate::content::{BlockKind, Term};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::resolve::{ArticleId, Resolved, ResolvedEvent, TermId, TermUse};

const ROOT: &str = "../../";
/// A handout's definition is one line: its first sentence, at most this long.
const DEFINITION_CHARS: usize = 90;

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(skip)]
    term: TermId,
    id: &'a str,
    zh: &'a str,
    pinyin: Option<&'a str>,
    en: Option<&'a str>,
    definition: &'a str,
    /// The paragraph it first occurs in (0: the abstract).
    paragraph: u32,
    url: &'a str,
    text_url: String,
}

/// A term as every reading's vocabulary gives it, made once per site (a
/// course's readings share their terms): its one-line definition, the link
/// to its entry, and its cells of the two downloads before the reading's
/// own (section and paragraph, or tag).
pub struct HandoutTerm {
    definition: String,
    url: String,
    csv_cells: String,
    anki_cells: String,
}

impl HandoutTerm {
    pub fn new(term: &Term) -> HandoutTerm {
        let definition = definition_line(term);
        let pinyin = term.pinyin.as_ref().map_or("", |p| p.get_ref().as_str());
        let en = term.en.as_deref().unwrap_or("");
        let zh = term.zh.get_ref();
        let csv_cells = [zh, pinyin, en, definition.as_str()].map(csv_field).join(",");
        let back: Vec<&str> = [pinyin, en, definition.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let anki_cells = format!("{}\t{}", anki_field(zh), anki_field(&back.join(" — ")));
        HandoutTerm {
            url: term_url(ROOT, term.id.get_ref()),
            definition,
            csv_cells,
            anki_cells,
        }
    }
}

#[derive(Serialize)]
struct Section<'a> {
    title: String,
    entries: Vec<Entry<'a>>,
}

/// The vocabulary page and its two downloads for `article`, from the
/// terms resolve found in it.
pub fn render(
    resolved: &Resolved,
    theme: &Theme,
    shared: &Shared,
    article: ArticleId,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let a = resolved.articles[article];
    let sections = sections(resolved, shared, article);
    let handout = &shared.terms.handout;
    let count: usize = sections.iter().map(|s| s.entries.len()).sum();
    let at = Page::Vocabulary(&a.slug);
    let base = format!("{}/vocabulary", a.slug);
    let csv_name = format!("{}-vocabulary.csv", a.slug);
    let anki_name = format!("{}-anki.txt", a.slug);
    let mut context = shared
        .common
        .context(&at, &format!("{} · 词汇 Vocabulary", a.meta.title));
    context.insert("reading", &ReadingLinks::new(a, ReadingPage::Vocabulary));
    context.insert("sections", &sections);
    context.insert("term_count", &count);
    context.insert("csv_url", &csv_name);
    context.insert("anki_url", &anki_name);
    vec![
        render_page(theme, "vocabulary.html", &context, &at),
        Ok(OutputFile {
            path: PathBuf::from(&base).join(csv_name),
            bytes: csv(&sections, handout).into_bytes(),
        }),
        Ok(OutputFile {
            path: PathBuf::from(&base).join(anki_name),
            bytes: anki(&sections, handout, &a.slug).into_bytes(),
        }),
    ]
}

/// Terms by the section they first occur in: the abstract, the opening
/// before the first heading, then each top-level heading's section.
fn sections<'a>(resolved: &'a Resolved, shared: &'a Shared, article: ArticleId) -> Vec<Section<'a>> {
    let outline = &resolved.articles[article].outline;
    let top = outline
        .blocks
        .iter()
        .filter_map(|kind| match kind {
            BlockKind::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    // (first paragraph after the heading, title) for every top-level heading.
    let mut starts: Vec<(u32, String)> = Vec::new();
    let mut pending: Option<String> = None;
    for kind in &outline.blocks {
        match kind {
            BlockKind::Heading { level, text, .. } if *level == top => pending = Some(text.clone()),
            _ => {
                if let (Some(title), Some(number)) = (pending.take(), kind.number()) {
                    starts.push((number, title));
                }
            }
        }
    }
    let section_of = |paragraph: u32| starts.iter().rposition(|(first, _)| *first <= paragraph);
    let mut sections: Vec<Section> = Vec::new();
    sections.push(Section {
        title: "摘要 Abstract".into(),
        entries: Vec::new(),
    });
    sections.push(Section {
        title: "开篇 Opening".into(),
        entries: Vec::new(),
    });
    for (_, title) in &starts {
        sections.push(Section {
            title: title.clone(),
            entries: Vec::new(),
        });
    }
    // Each term at its first occurrence as resolve found it (the abstract,
    // then the paragraphs, each in reading order): where the reader first
    // meets it, not where its characters first appear (inside a longer term).
    let uses = &resolved.term_uses[article.index()];
    let mut seen = BTreeSet::new();
    for &TermUse { term, paragraph, .. } in uses.abstract_zh.iter().chain(&uses.paragraphs) {
        if !seen.insert(term) {
            continue;
        }
        let at = if paragraph == 0 {
            0
        } else {
            section_of(paragraph).map_or(1, |s| s + 2)
        };
        sections[at]
            .entries
            .push(entry(resolved, term, paragraph, &shared.terms.handout[term.index()]));
    }
    sections.retain(|s| !s.entries.is_empty());
    sections
}

/// A term's definition as a handout gives it: one line of plain text.
fn definition_line(term: &Term) -> String {
    term.definition
        .as_ref()
        .map(|d| one_line(&markdown::to_plain(d.get_ref())))
        .unwrap_or_default()
}

fn entry<'a>(resolved: &'a Resolved, term: TermId, paragraph: u32, handout: &'a HandoutTerm) -> Entry<'a> {
    let t = resolved.terms[term];
    Entry {
        term,
        id: t.id.get_ref(),
        zh: t.zh.get_ref(),
        pinyin: t.pinyin.as_ref().map(|p| p.get_ref().as_str()),
        en: t.en.as_deref(),
        definition: &handout.definition,
        paragraph,
        url: &handout.url,
        text_url: if paragraph == 0 {
            "../index.html#abstract".into()
        } else {
            format!("../index.html#p{paragraph}")
        },
    }
}

/// The first sentence, shortened to `DEFINITION_CHARS` at a word boundary.
fn one_line(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = match text.find(". ") {
        Some(end) => &text[..=end],
        None => text.as_str(),
    };
    if sentence.chars().count() <= DEFINITION_CHARS {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(DEFINITION_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > DEFINITION_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// The first characters that make a spreadsheet read a cell as a formula
/// (OWASP's list for CSV injection), and their full-width forms, which
/// Chinese input methods type and some spreadsheets also take for them.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// One CSV cell. A cell beginning like a formula gets a leading `'`, as
/// OWASP advises: the CSV is opened in spreadsheets, and a term's pinyin,
/// English or definition comes from whoever proposed it, so
/// `=HYPERLINK(…)` must arrive as text, not run. The rule is kept whole
/// even for a value that legitimately begins with `-` (an English suffix
/// such as `-ism`): the `'` shows in a text editor, but a spreadsheet
/// hides it, and telling a harmless `-` from `-2+3` is what the rule is
/// there not to attempt.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// RFC 4180 CSV with a header row, UTF-8 with a byte-order mark (which
/// spreadsheet programs need to read UTF-8).
fn csv(sections: &[Section], handout: &[HandoutTerm]) -> String {
    let mut out = String::from("\u{feff}zh,pinyin,en,definition,section,paragraph\r\n");
    for section in sections {
        let title = csv_field(&section.title);
        for e in &section.entries {
            out.push_str(&handout[e.term.index()].csv_cells);
            out.push(',');
            out.push_str(&title);
            out.push(',');
            out.push_str(&e.paragraph.to_string());
            out.push_str("\r\n");
        }
    }
    out
}

/// A field of Anki's text import. Anki reads the file as CSV (its
/// `csv::ReaderBuilder`, the tab as separator, `#` opening a comment line):
/// tabs and line breaks would end the field, so they become spaces; a
/// field starting with `"` would be read as quoted, and a line starting
/// with `#` dropped as a comment (a front such as `#MeToo运动`), so such a
/// field is quoted, its quotes doubled. No `'` goes before `=` as in the
/// CSV: Anki shows a field as text and runs no formula, and the `'` would
/// show on the card.
fn anki_field(text: &str) -> String {
    let text = text.replace(['\t', '\n', '\r'], " ");
    if text.starts_with(['"', '#']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Anki's text import: front (zh), back (pinyin, English, definition),
/// tags (the reading's slug); the header lines tell Anki the format.
fn anki(sections: &[Section], handout: &[HandoutTerm], slug: &str) -> String {
    let mut out = String::from("#separator:tab\n#html:false\n#tags column:3\n");
    let tag = anki_field(slug);
    for e in sections.iter().flat_map(|s| &s.entries) {
        out.push_str(&handout[e.term.index()].anki_cells);
        out.push('\t');
        out.push_str(&tag);
        out.push('\n');
    }
    out
}

/// An event on a reading's own timeline: its view and the paragraphs of
/// this reading it is anchored in.
#[derive(Serialize)]
struct ReadingEvent<'a> {
    #[serde(flatten)]
    event: EventView<'a>,
    places: Vec<u32>,
}

/// `<slug>/timeline/index.html`: the events anchored in one reading, in
/// date order, each linked to its paragraphs and to the full timeline.
pub fn timeline(
    resolved: &Resolved,
    theme: &Theme,
    common: &Common,
    article: ArticleId,
) -> Result<OutputFile, Diagnostic> {
    let a = resolved.articles[article];
    let events: Vec<ReadingEvent> = resolved
        .events
        .iter()
        .filter(|e| e.places.iter().any(|p| p.article == article))
        .map(|e| ReadingEvent {
            event: EventView::new(resolved, e, ROOT),
            places: e
                .places
                .iter()
                .filter(|p| p.article == article)
                .map(|p| p.paragraph)
                .collect(),
        })
        .collect();
    let at = Page::ReadingTimeline(&a.slug);
    let mut context = common.context(&at, &format!("{} · 年表 Timeline", a.meta.title));
    context.insert("reading", &ReadingLinks::new(a, ReadingPage::Timeline));
    context.insert("events", &events);
    context.insert(
        "axis",
        &reading_axis(resolved, article, Layout::Lanes, |event| {
            format!("#{}", urls::event_anchor(event.event.id.get_ref()))
        }),
    );
    render_page(theme, "reading-timeline.html", &context, &at)
}

/// The site's time axis with one reading's events only; `href` says where
/// an event's mark links.
pub fn reading_axis(
    resolved: &Resolved,
    article: ArticleId,
    layout: Layout,
    href: impl Fn(&ResolvedEvent) -> String,
) -> Option<AxisView> {
    let placed: Vec<Placed> = resolved
        .events
        .iter()
        .filter(|e| e.places.iter().any(|p| p.article == article))
        .map(|event| Placed {
            event,
            href: href(event),
        })
        .collect();
    if placed.is_empty() {
        return None;
    }
    axis(&resolved.events, &resolved.eras, &placed, layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each (value, cell) pair: `csv_field(value)` must be `cell`.
    fn assert_cells(pairs: &[(&str, &str)]) {
        for (value, cell) in pairs {
            assert_eq!(csv_field(value), *cell, "{value:?}");
        }
    }

    #[test]
    fn a_cell_that_would_be_a_formula_is_text() {
        assert_cells(&[
            ("=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0"),
            (
                "=HYPERLINK(\"http://evil.example/\",\"click\")",
                "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\"",
            ),
            ("+SUM(1,2)", "\"'+SUM(1,2)\""),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("＝1+1", "'＝1+1"),
            // OWASP's rule is kept for a harmless leading `-` too.
            ("-ism", "'-ism"),
        ]);
    }

    /// Reads an Anki file's note lines as Anki's importer does: the csv
    /// crate, tab-separated, `#` lines comments, quotes honoured.
    fn read_as_anki(file: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .delimiter(b'\t')
            .from_reader(file.as_bytes())
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn anki_reads_back_every_field_as_written() {
        let fields = [
            "#MeToo运动",
            "\"2+2\" meeting",
            "a \"quoted\" word",
            "=HYPERLINK(\"x\")",
            "tab\there",
            "two\nlines",
            "台湾",
        ];
        let mut file = String::from("#separator:tab\n#html:false\n#tags column:3\n");
        for field in fields {
            file.push_str(&format!("{}\t{}\ttag\n", anki_field(field), anki_field(field)));
        }
        let read = read_as_anki(&file);
        let expected: Vec<Vec<String>> = fields
            .iter()
            .map(|f| {
                let f = f.replace(['\t', '\n'], " ");
                vec![f.clone(), f, "tag".to_owned()]
            })
            .collect();
        assert_eq!(read, expected);
        assert_eq!(anki_field("台湾"), "台湾", "an ordinary field is written as it is");
    }

    #[test]
    fn ordinary_cells_are_unchanged() {
        assert_cells(&[
            ("注释", "注释"),
            ("zhùshì", "zhùshì"),
            ("Zhu Xi (1130–1200)", "Zhu Xi (1130–1200)"),
            ("a note, printed", "\"a note, printed\""),
            ("the \"Four Books\"", "\"the \"\"Four Books\"\"\""),
            // Only the first character counts.
            ("1+1=2", "1+1=2"),
            ("", ""),
        ]);
    }
}
