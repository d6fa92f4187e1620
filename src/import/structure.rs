//! Recognises the parts of a journal article in its visual lines: title (and
//! its footnote mark), author, the 〔内容提要〕 abstract, the body's paragraphs and
//! headings, the author note and editor line, the English abstract, and
//! whatever follows it (another article's fragment). Text repair is `repair`'s.

use super::lines::{self, Line, Vocabulary, ends_sentence, head, tail, width};
use super::repair::{is_han, repair_en, repair_zh};
use super::{Ambiguity, Block, Imported, Removed};

/// A line is "clearly shorter than a full line" below this share of the full
/// width. Paragraph-final lines in the journals measure at most ~88 % of a full
/// line; full lines vary by a character or two with Latin text and punctuation.
const SHORT_LINE: f64 = 0.92;
/// How many content lines either side set the full width a line is measured
/// against (the abstract is set narrower than the body). The full width is the
/// upper quartile of that window, so short lines (headings, paragraph ends)
/// do not drag it down.
const WINDOW: usize = 4;

/// Section headings without a numeral, written with letter-spacing in print.
const NAMED_SECTIONS: &[&str] = &["引言", "前言", "结语", "结论", "余论"];
const NUMERALS: &str = "一二三四五六七八九十";
/// Footnote marks a title may carry (①…⑳, asterisks).
const FOOTNOTE_MARKS: &[char] = &[
    '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱', '⑲', '⑳', '*', '＊',
];

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StructureError {
    #[error("the text is empty: there is no title line")]
    Empty,
    #[error("found no Chinese body paragraphs from line {0} on; is this the PDF-extracted text of a Chinese article?")]
    NoBody(usize),
    #[error(transparent)]
    Pages(#[from] super::pages::PagesError),
}

/// The non-blank lines with the full width each is measured against.
struct Content<'a> {
    lines: Vec<&'a Line>,
    full: Vec<f64>,
}

impl<'a> Content<'a> {
    fn new(all: &'a [Line]) -> Content<'a> {
        let lines: Vec<&Line> = all.iter().filter(|l| !l.is_blank()).collect();
        let widths: Vec<f64> = lines.iter().map(|l| width(&l.text)).collect();
        let full = (0..widths.len())
            .map(|i| {
                let from = i.saturating_sub(WINDOW);
                let to = (i + WINDOW + 1).min(widths.len());
                upper_quartile(&widths[from..to])
            })
            .collect();
        Content { lines, full }
    }

    fn is_short(&self, i: usize) -> bool {
        width(&self.lines[i].text) < SHORT_LINE * self.full[i]
    }

    /// The line ends its paragraph: shorter than a full line and ending a sentence.
    fn ends_paragraph(&self, i: usize) -> bool {
        ends_sentence(&self.lines[i].text) && self.is_short(i)
    }
}

fn upper_quartile(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() * 3 / 4).copied().unwrap_or(0.0)
}

/// Walks the lines once, front to back.
pub fn recognise(all: &[Line]) -> Result<Imported, StructureError> {
    let content = Content::new(all);
    let vocabulary = Vocabulary::from_lines(content.lines.iter().map(|l| l.text.as_str()));
    let mut imported = Imported::default();
    let mut i = 0;

    let title_line = content.lines.first().ok_or(StructureError::Empty)?;
    let (title, mark) = strip_footnote_mark(&title_line.text);
    imported.title = repair_zh(&title);
    imported.title_mark = mark;
    i += 1;

    if let Some(line) = content.lines.get(i).filter(|l| looks_like_author(&l.text)) {
        imported.author = Some(line.text.clone());
        i += 1;
    }

    if let Some(rest) = content.lines.get(i).and_then(|l| strip_abstract_label(&l.text)) {
        let mut texts = vec![rest];
        while !content.ends_paragraph(i) && i + 1 < content.lines.len() {
            i += 1;
            texts.push(content.lines[i].text.as_str());
        }
        imported.abstract_zh = Some(repair_zh(&lines::join(&texts, &vocabulary)));
        i += 1;
    }

    let body_start = content.lines.get(i).map_or(0, |l| l.number);
    i = read_body(&content, i, &vocabulary, &mut imported);
    if imported.blocks.is_empty() {
        return Err(StructureError::NoBody(body_start));
    }
    i = read_metadata(&content, i, &mut imported);
    read_english_abstract(&content, i, &vocabulary, &mut imported);
    Ok(imported)
}

/// Paragraphs and headings up to the first metadata line or English line.
/// Returns the index of the first line after the body.
fn read_body(content: &Content, mut i: usize, vocabulary: &Vocabulary, imported: &mut Imported) -> usize {
    let mut paragraph: Vec<&Line> = Vec::new();
    while i < content.lines.len() {
        let line = content.lines[i];
        if ends_body(&line.text, imported.author.as_deref()) {
            break;
        }
        if let Some((level, text)) = heading(&line.text, content.is_short(i)) {
            close_paragraph(&mut paragraph, vocabulary, imported);
            imported.blocks.push(Block::Heading {
                level,
                text,
                line: line.number,
            });
            i += 1;
            continue;
        }
        paragraph.push(line);
        let next = content.lines.get(i + 1);
        let next_closes = next.is_none_or(|n| {
            ends_body(&n.text, imported.author.as_deref()) || heading(&n.text, content.is_short(i + 1)).is_some()
        });
        if content.ends_paragraph(i) || next_closes {
            close_paragraph(&mut paragraph, vocabulary, imported);
        } else if ends_sentence(&line.text) {
            imported.ambiguities.push(Ambiguity {
                line: line.number,
                end: tail(&line.text, 12),
                next: next.map(|n| head(&n.text, 12)).unwrap_or_default(),
            });
        }
        i += 1;
    }
    close_paragraph(&mut paragraph, vocabulary, imported);
    i
}

fn close_paragraph(paragraph: &mut Vec<&Line>, vocabulary: &Vocabulary, imported: &mut Imported) {
    let (Some(first), Some(last)) = (paragraph.first(), paragraph.last()) else {
        return;
    };
    let texts: Vec<&str> = paragraph.iter().map(|l| l.text.as_str()).collect();
    imported.blocks.push(Block::Paragraph {
        text: repair_zh(&lines::join(&texts, vocabulary)),
        first_line: first.number,
        last_line: last.number,
    });
    paragraph.clear();
}

/// The author note (`姚云竹: 中国人民解放军退役少将…`) and the editor line
/// (`( 本文责任编辑: 魏红霞)`), in either order. Returns the next index.
fn read_metadata(content: &Content, mut i: usize, imported: &mut Imported) -> usize {
    while let Some(line) = content.lines.get(i) {
        if let Some(note) = imported.author.as_deref().and_then(|a| author_note(&line.text, a)) {
            imported.author_note = Some(repair_zh(note));
            imported.removed.push(Removed::AuthorNote(line.number));
        } else if let Some(editor) = editor(&line.text) {
            imported.editor = Some(repair_zh(editor));
            imported.removed.push(Removed::EditorLine(line.number));
        } else {
            break;
        }
        i += 1;
    }
    i
}

/// The English abstract: from `i` to the first line that ends a paragraph, or
/// to a gap (blank line) after a run of consecutive lines, as the journal
/// sets it. Everything after it belongs to another article and is dropped.
fn read_english_abstract(content: &Content, i: usize, vocabulary: &Vocabulary, imported: &mut Imported) {
    let Some(start) = content.lines.get(i) else { return };
    if !is_english(&start.text) {
        push_fragment(content, i, imported);
        return;
    }
    let number = |k: usize| content.lines[k].number;
    let mut j = i;
    while j + 1 < content.lines.len() && !content.ends_paragraph(j) {
        let set_solid = j > i && number(j - 1) + 1 == number(j);
        let gap_follows = number(j + 1) > number(j) + 1;
        if set_solid && gap_follows {
            break;
        }
        j += 1;
    }
    let texts: Vec<&str> = content.lines[i..=j].iter().map(|l| l.text.as_str()).collect();
    imported.abstract_en = Some(repair_en(&lines::join(&texts, vocabulary)));
    push_fragment(content, j + 1, imported);
}

fn push_fragment(content: &Content, i: usize, imported: &mut Imported) {
    if let (Some(first), Some(last)) = (content.lines.get(i), content.lines.last()) {
        imported.removed.push(Removed::OtherArticle {
            first: first.number,
            last: last.number,
        });
    }
}

/// The body stops at metadata or at English text (the English abstract).
fn ends_body(text: &str, author: Option<&str>) -> bool {
    author.is_some_and(|a| author_note(text, a).is_some()) || editor(text).is_some() || is_english(text)
}

/// A line of English: no Han at all and a few words (a Chinese line may carry
/// a long English name, but always some Chinese too).
fn is_english(text: &str) -> bool {
    !text.chars().any(is_han) && text.split_whitespace().count() >= 3
}

/// `一 中美军事关系的历史与现状` → (2, "一 中美军事关系的历史与现状");
/// `( 一) 台湾问题…` → (3, "（一）台湾问题…"); `结 语` → (2, "结语").
/// A heading is a short line that does not end a sentence or a clause.
fn heading(text: &str, short: bool) -> Option<(u8, String)> {
    if !short || ends_sentence(text) || text.ends_with(['，', ',', '、', '；', ';']) {
        return None;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if NAMED_SECTIONS.contains(&compact.as_str()) {
        return Some((2, compact));
    }
    if let Some(rest) = text.strip_prefix(['(', '（']) {
        let rest = rest.trim_start();
        let numeral = leading_numeral(rest)?;
        let rest = rest[numeral.len()..].trim_start().strip_prefix([')', '）'])?.trim();
        return (!rest.is_empty()).then(|| (3, format!("（{numeral}）{}", repair_zh(rest))));
    }
    let numeral = leading_numeral(text)?;
    let rest = &text[numeral.len()..];
    // `一个重要努力` starts with a numeral too: a heading has a space or 、 after it.
    let rest = rest.strip_prefix([' ', '\u{3000}', '、'])?.trim();
    (!rest.is_empty()).then(|| (2, format!("{numeral} {}", repair_zh(rest))))
}

fn leading_numeral(text: &str) -> Option<&str> {
    let len: usize = text
        .chars()
        .take_while(|c| NUMERALS.contains(*c))
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| &text[..len])
}

fn strip_footnote_mark(text: &str) -> (String, Option<char>) {
    let trimmed = text.trim_end_matches(FOOTNOTE_MARKS);
    let mark = text[trimmed.len()..].chars().next();
    (trimmed.to_string(), mark)
}

/// A name: a short line of Han characters (a middle dot allowed), no punctuation.
fn looks_like_author(text: &str) -> bool {
    let count = text.chars().count();
    (2..=8).contains(&count) && text.chars().all(|c| is_han(c) || c == '·' || c == ' ')
}

fn strip_abstract_label(text: &str) -> Option<&str> {
    [
        "〔内容提要〕",
        "【内容提要】",
        "［内容提要］",
        "内容提要：",
        "内容提要:",
        "摘要：",
        "摘要:",
    ]
    .iter()
    .find_map(|label| text.strip_prefix(label))
}

/// `姚云竹: 中国人民解放军退役少将…` → the text after the name (the first
/// name, where several authors are listed with `、`).
pub(super) fn author_note<'a>(text: &'a str, author: &str) -> Option<&'a str> {
    let first = author.split('、').next()?;
    let rest = text.trim().strip_prefix(first)?.trim_start();
    rest.strip_prefix([':', '：']).map(str::trim)
}

/// `( 本文责任编辑: 魏红霞)` → `魏红霞`.
pub(super) fn editor(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix(['(', '（'])?.strip_suffix([')', '）'])?.trim();
    let rest = inner
        .strip_prefix("本文")?
        .trim_start()
        .strip_prefix("责任编辑")?
        .trim_start();
    rest.strip_prefix([':', '：']).map(str::trim).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_and_subsection_headings() {
        assert_eq!(
            heading("一 中美军事关系的历史与现状", true),
            Some((2, "一 中美军事关系的历史与现状".into()))
        );
        assert_eq!(
            heading("( 一) 台湾问题始终是中美军事关系中最大的痛点", true),
            Some((3, "（一）台湾问题始终是中美军事关系中最大的痛点".into()))
        );
        assert_eq!(heading("结 语", true), Some((2, "结语".into())));
    }

    #[test]
    fn body_lines_that_start_with_a_numeral_are_not_headings() {
        assert_eq!(heading("一个重要努力。在两国关系迅速下滑之际", true), None);
        assert_eq!(heading("一 中美军事关系的历史与现状", false), None);
        assert_eq!(heading("军事关系有一些不同于中美其他关系的特点。", true), None);
    }

    #[test]
    fn metadata_lines() {
        assert_eq!(
            author_note("姚云竹: 中国人民解放军退役少将、中国军事科学学会高级顾问", "姚云竹"),
            Some("中国人民解放军退役少将、中国军事科学学会高级顾问")
        );
        assert_eq!(editor("( 本文责任编辑: 魏红霞)"), Some("魏红霞"));
        assert_eq!(editor("（本文责任编辑：魏红霞）"), Some("魏红霞"));
        assert_eq!(editor("( 简称《中导条约》)"), None);
    }

    #[test]
    fn title_footnote_mark_is_taken_off() {
        assert_eq!(strip_footnote_mark("竞争对手?①"), ("竞争对手?".to_string(), Some('①')));
        assert_eq!(strip_footnote_mark("竞争对手"), ("竞争对手".to_string(), None));
    }

    fn numbered(raw: &str) -> Vec<Line> {
        lines::read(raw).0
    }

    #[test]
    fn short_line_ending_a_sentence_ends_the_paragraph() {
        let raw = "标题\n\n作者\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之一\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之一\n\n\
            短句结束了。\n\n\
            新的段落从这里开始，军事领域曾经是两国政府高度关注、并致力于优先进行合作的\n\n\
            领域。";
        let imported = recognise(&numbered(raw)).unwrap();
        let paragraphs: Vec<_> = imported
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .collect();
        assert_eq!(paragraphs.len(), 2);
        assert!(imported.ambiguities.is_empty());
    }

    #[test]
    fn english_abstract_ends_at_its_short_last_line_and_the_rest_is_dropped() {
        let raw = "标题①\n\n作者\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之一\n\n\
            领域。\n\n\
            作者: 退役少将\n\n\
            ( 本文责任编辑: 某某)\n\
            Forty years ago，based primarily on geostrategic calculations and mili-\n\
            tary necessity，China and the U．S． established diplomatic relations． In the\n\
            worst-case scenarios．\n\n\
            Choosing Domestic Strategies and Locating\n\
            Da Wei ( 20)\n";
        let imported = recognise(&numbered(raw)).unwrap();
        assert_eq!(imported.title_mark, Some('①'));
        assert_eq!(imported.author_note.as_deref(), Some("退役少将"));
        assert_eq!(imported.editor.as_deref(), Some("某某"));
        let en = imported.abstract_en.unwrap();
        assert!(en.starts_with(
            "Forty years ago, based primarily on geostrategic calculations and military necessity, China"
        ));
        assert!(en.ends_with("In the worst-case scenarios."), "{en}");
        assert_eq!(
            imported.removed,
            [
                Removed::AuthorNote(9),
                Removed::EditorLine(11),
                Removed::OtherArticle { first: 16, last: 17 }
            ]
        );
    }

    #[test]
    fn full_line_ending_a_sentence_is_recorded_as_ambiguous() {
        let raw = "标题\n\n作者\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之一\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之。\n\n\
            中美建交后，军事领域曾经是两国政府高度关注、并致力于优先进行合作的领域之一\n\n\
            领域。";
        let imported = recognise(&numbered(raw)).unwrap();
        assert_eq!(imported.blocks.len(), 1);
        assert_eq!(imported.ambiguities.len(), 1);
        assert_eq!(imported.ambiguities[0].line, 7);
    }
}
