//! The parts of an article read from its pages (`pages`): front matter
//! (title, subtitle, authors, affiliation, abstracts, keywords, identifiers,
//! English title and abstract at either end), the body's headings in the
//! usual numbering styles and its paragraphs, endnotes under 注释 and their
//! marks, the 参考文献 list, and the author note and editor line. Text repair
//! is `repair`'s; finding pages, heads and footnotes is `pages`'s.

use super::lines::{self, Vocabulary, ends_sentence, head, tail, width};
use super::pages::{self, PageLine, Pages, note_char, note_index};
use super::repair::{self, is_han, repair_en, repair_zh};
use super::structure::{author_note, editor};
use super::{Ambiguity, Block, Imported, Removed, StructureError};

const SHORT_LINE: f64 = 0.92;
const WINDOW: usize = 4;
const NUMERALS: &str = "一二三四五六七八九十";
const NAMED_SECTIONS: &[&str] = &["引言", "前言", "导言", "绪论", "结语", "结论", "余论", "结束语"];
const ABSTRACT_LABELS: &[&str] = &[
    "〔内容提要〕",
    "【内容提要】",
    "［内容提要］",
    "[内容提要]",
    "内容提要",
    "内容摘要",
    "摘要",
    "提要",
];

struct Body<'a> {
    lines: Vec<&'a PageLine>,
    texts: Vec<String>,
    full: Vec<f64>,
    /// The extraction shows first-line indents (`pdftotext -layout`).
    indents: bool,
}

impl Body<'_> {
    fn text(&self, i: usize) -> &str {
        &self.texts[i]
    }
    fn is_short(&self, i: usize) -> bool {
        width(self.text(i)) < SHORT_LINE * self.full[i]
    }
    fn ends_paragraph(&self, i: usize) -> bool {
        ends_sentence(self.text(i)) && self.is_short(i)
    }
    fn indent(&self, i: usize) -> Option<usize> {
        if self.indents { self.lines[i].indent } else { None }
    }
}

pub fn recognise(pages: &Pages) -> Result<Imported, StructureError> {
    let mut imported = Imported::default();
    let mut texts = Vec::with_capacity(pages.lines.len());
    for line in &pages.lines {
        let (text, repairs) = repair::repair_ocr_line(&line.text);
        for what in repairs {
            imported.repairs.push((line.number, what));
        }
        texts.push(text);
    }
    let widths: Vec<f64> = texts.iter().map(|t| width(t)).collect();
    let full = (0..widths.len())
        .map(|i| {
            let from = i.saturating_sub(WINDOW);
            let to = (i + WINDOW + 1).min(widths.len());
            let mut window = widths[from..to].to_vec();
            window.sort_by(f64::total_cmp);
            window.get(window.len() * 3 / 4).copied().unwrap_or(0.0)
        })
        .collect();
    let indented = pages
        .lines
        .iter()
        .filter(|l| l.indent.is_some_and(|n| (2..=8).contains(&n)))
        .count();
    let flush = pages.lines.iter().filter(|l| l.indent == Some(0)).count();
    let body = Body {
        lines: pages.lines.iter().collect(),
        texts,
        full,
        indents: {
            let shown = pages.lines.iter().filter(|l| l.indent.is_some()).count();
            indented > 0 && indented * 40 >= shown && flush * 2 >= shown
        },
    };
    let vocabulary = Vocabulary::from_lines(body.texts.iter().map(String::as_str));
    if body.lines.is_empty() {
        return Err(StructureError::Empty);
    }
    for labelled in &pages.labelled {
        set_labelled(&mut imported, &labelled.label, &labelled.value);
    }
    imported.footnotes = pages.notes.iter().map(|n| repair_zh(&n.text)).collect();

    let mut i = front_matter(&body, &vocabulary, &mut imported);
    let body_start = body.lines.get(i).map_or(0, |l| l.number);
    i = read_body(&body, i, &vocabulary, &mut imported);
    if imported.blocks.is_empty() {
        return Err(StructureError::NoBody(body_start));
    }
    back_matter(&body, i, &vocabulary, &mut imported);
    superscript_marks(&mut imported);
    Ok(imported)
}

fn strip_marks(text: &str) -> (String, Option<char>) {
    let mark = text
        .chars()
        .find(|c| note_index(*c).is_some() || pages::CIRCLED.contains(*c) || *c == '*' || *c == '＊');
    let kept: String = text
        .chars()
        .filter(|c| note_index(*c).is_none() && !pages::CIRCLED.contains(*c))
        .collect();
    let kept = kept.trim_end_matches(['*', '＊']).trim().to_string();
    (kept, mark)
}

/// A label at the start of a line (`摘 要：`, `关键词:`), spaces inside allowed;
/// returns the rest after the colon (or after a bracketed label).
fn strip_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let mut rest = text.trim_start();
    for expected in label.chars() {
        rest = rest.trim_start_matches([' ', '\u{3000}']);
        rest = rest.strip_prefix(expected)?;
    }
    let bracketed = label.ends_with(['〕', '】', '］', ']']);
    let rest = rest.trim_start_matches([' ', '\u{3000}']);
    if bracketed {
        return Some(rest.trim_start_matches(['：', ':']).trim_start());
    }
    rest.strip_prefix(['：', ':']).map(str::trim_start)
}

fn abstract_label(text: &str) -> Option<&str> {
    ABSTRACT_LABELS.iter().find_map(|label| strip_label(text, label))
}

fn english_label<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    let t = text.trim_start();
    labels.iter().find_map(|label| {
        let head = t.get(..label.len())?;
        if !head.eq_ignore_ascii_case(label) {
            return None;
        }
        let rest = t[label.len()..].trim_start();
        rest.strip_prefix([':', '：']).map(str::trim_start)
    })
}

fn is_english(text: &str) -> bool {
    !text.chars().any(is_han) && text.split_whitespace().count() >= 3
}

/// An English title: up to three lines of English words, not ending a
/// sentence, followed by a name or by `Abstract:`. Returns the title and its
/// last line.
fn english_title(body: &Body, i: usize, vocabulary: &Vocabulary) -> Option<(String, usize)> {
    for last in i..(i + 3).min(body.lines.len().saturating_sub(1)) {
        let text = body.text(last);
        if text.chars().any(is_han) || english_label(text, &["Abstract", "Key words", "Keywords"]).is_some() {
            return None;
        }
        let next = body.text(last + 1);
        if is_latin_name(next) || english_label(next, &["Abstract"]).is_some() {
            let texts: Vec<&str> = (i..=last).map(|k| body.text(k)).collect();
            let title = lines::join(&texts, vocabulary);
            let fits =
                is_english(&title) && title.split_whitespace().count() <= 30 && !title.ends_with(['.', ',', ';']);
            return fits.then(|| (repair_en(&title), last));
        }
    }
    None
}

fn is_latin_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    !text.chars().any(is_han)
        && (1..=8).contains(&words)
        && text.chars().any(|c| c.is_ascii_uppercase())
        && !text.trim_end().ends_with(['.', ':', '?'])
        && text
            .chars()
            .all(|c| c.is_alphabetic() || " ,.-'·".contains(c) || c.is_ascii_digit())
}

/// A line of personal names: Han, 2–4 characters each, separated by spaces,
/// commas or 、, possibly with affiliation digits.
fn looks_like_authors(text: &str) -> bool {
    let names: Vec<&str> = text
        .split([' ', '\u{3000}', '，', ',', '、'])
        .map(|n| n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '*'))
        .filter(|n| !n.is_empty())
        .collect();
    !names.is_empty()
        && names.len() <= 8
        && names
            .iter()
            .all(|n| (2..=5).contains(&n.chars().count()) && n.chars().all(|c| is_han(c) || c == '·'))
}

fn affiliation(text: &str) -> Option<&str> {
    let inner = text.strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?.trim();
    let postal = inner.as_bytes().windows(6).any(|w| w.iter().all(u8::is_ascii_digit));
    (postal || inner.contains(['，', ',', ' '])).then_some(inner)
}

fn set_labelled(imported: &mut Imported, label: &str, value: &str) {
    // The bracket that closes `（收稿日期：…）`, not one of the value's own.
    let value = value.trim();
    let unclosed = |open: char, close: char| value.matches(close).count() > value.matches(open).count();
    let value = match value.strip_suffix(['）', ')']) {
        Some(inner) if unclosed('（', '）') || unclosed('(', ')') => inner,
        _ => value,
    };
    let value = repair_zh(value);
    let value = value.trim_end_matches(['；', ';']).to_string();
    match label {
        "收稿日期" => imported.received = Some(value),
        "基金项目" => imported.funding = Some(value),
        "作者简介" => imported.author_bio = Some(value),
        "通讯作者" | "通信作者" => imported.corresponding = Some(value),
        "中图分类号" => imported.clc = Some(value),
        "文献标识码" => imported.document_code = Some(value),
        "文章编号" => imported.article_number = Some(value),
        _ => {}
    }
}

const ID_LABELS: &[&str] = &["中图分类号", "文献标识码", "文章编号", "中图分类"];

/// `中图分类号：D822　文献标识码：A　文章编号：1002-8986(2019)01-0009-21`.
fn identifiers(text: &str, imported: &mut Imported) -> bool {
    let t = text.trim();
    if !ID_LABELS.iter().any(|l| t.starts_with(l)) {
        return false;
    }
    let mut found: Vec<(usize, &str)> = ID_LABELS[..3]
        .iter()
        .filter_map(|l| t.find(l).map(|at| (at, *l)))
        .collect();
    found.sort();
    for (k, (at, label)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(t.len(), |(next, _)| *next);
        let value = t[at + label.len()..end].trim().trim_start_matches(['：', ':']).trim();
        set_labelled(imported, label, value);
    }
    true
}

fn doi(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = english_label(t, &["DOI", "doi"])?;
    Some(rest.split_whitespace().next().unwrap_or("").to_string()).filter(|d| !d.is_empty())
}

fn keywords(text: &str) -> Vec<String> {
    text.split(['；', ';', '，', ',', '、'])
        .map(|k| repair_zh(k.trim()))
        .filter(|k| !k.is_empty())
        .collect()
}

fn keywords_en(text: &str) -> Vec<String> {
    text.split([';', '；', ','])
        .map(|k| repair_en(k.trim()).trim_end_matches('.').to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// Collects lines from `i` while `more(j)` says the paragraph goes on; returns the last index.
fn collect_until(body: &Body, i: usize, first: &str, stop: impl Fn(usize) -> bool) -> (Vec<String>, usize) {
    let mut texts = vec![first.to_string()];
    let mut j = i;
    while j + 1 < body.lines.len() && !body.ends_paragraph(j) && !stop(j + 1) {
        j += 1;
        texts.push(body.text(j).to_string());
    }
    (texts, j)
}

/// An English abstract: one paragraph, to a line with Chinese, a label or
/// an indented line. Its ragged right edge says nothing about its end.
fn collect_english(body: &Body, i: usize, first: &str) -> (Vec<String>, usize) {
    let mut texts = vec![first.to_string()];
    let mut j = i;
    while j + 1 < body.lines.len() {
        let next = body.text(j + 1);
        let indented = match (body.indent(j), body.indent(j + 1)) {
            (Some(this), Some(next)) => next >= this + 2,
            _ => false,
        };
        if is_front_label(next) || next.chars().any(is_han) || indented {
            break;
        }
        j += 1;
        texts.push(next.to_string());
    }
    (texts, j)
}

fn is_front_label(text: &str) -> bool {
    abstract_label(text).is_some()
        || strip_label(text, "关键词").is_some()
        || strip_label(text, "关键字").is_some()
        || ID_LABELS.iter().any(|l| text.trim_start().starts_with(l))
        || doi(text).is_some()
        || english_label(text, &["Abstract", "Key words", "Keywords"]).is_some()
        || pages::FOOT_LABELS.iter().any(|l| strip_label(text, l).is_some())
}

/// Title to the last front-matter line; returns the first body index.
fn front_matter(body: &Body, vocabulary: &Vocabulary, imported: &mut Imported) -> usize {
    let (title, mark) = strip_marks(body.text(0));
    imported.title = repair_zh(&title);
    imported.title_mark = mark.filter(|c| note_index(*c).is_none());
    let mut i = 1;
    while i < body.lines.len() {
        let text = body.text(i).trim();
        if let Some(sub) = text.strip_prefix(['—', '-', '－']) {
            if imported.subtitle.is_some() || imported.author.is_some() {
                break;
            }
            imported.subtitle = Some(repair_zh(sub.trim_start_matches(['—', '-', '－']).trim()));
        } else if imported.author.is_none() && looks_like_authors(text) {
            let names: Vec<String> = text
                .split([' ', '\u{3000}', '，', ',', '、'])
                .map(|n| n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '*'))
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            imported.author = Some(names.join("、"));
        } else if let Some(inner) = affiliation(text).filter(|_| imported.author_note.is_none()) {
            imported.author_note = Some(repair::tidy(inner));
        } else if let Some(rest) = abstract_label(text) {
            let (texts, j) = collect_until(body, i, rest, |k| {
                is_front_label(body.text(k)) || is_english(body.text(k))
            });
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            imported.abstract_zh = Some(repair_zh(&lines::join(&refs, vocabulary)));
            i = j;
        } else if let Some(rest) = strip_label(text, "关键词").or_else(|| strip_label(text, "关键字")) {
            imported.keywords = keywords(rest);
        } else if identifiers(text, imported) {
        } else if let Some(d) = doi(text) {
            imported.doi = Some(d);
        } else if let Some((label, rest)) = pages::FOOT_LABELS
            .iter()
            .find_map(|l| strip_label(text, l).map(|r| (*l, r)))
        {
            set_labelled(imported, label, rest);
        } else if let Some(rest) = english_label(text, &["Abstract"]) {
            let (texts, j) = collect_english(body, i, rest);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            imported.abstract_en = Some(repair_en(&lines::join(&refs, vocabulary)));
            i = j;
        } else if let Some(rest) = english_label(text, &["Key words", "Keywords"]) {
            let (texts, j) = collect_english(body, i, rest);
            imported.keywords_en = keywords_en(&texts.join(" "));
            i = j;
        } else if let Some((title, last)) = english_title(body, i, vocabulary).filter(|_| imported.title_en.is_none()) {
            imported.title_en = Some(title);
            i = last;
        } else if imported.title_en.is_some() && imported.author_en.is_none() && is_latin_name(text) {
            imported.author_en = Some(text.to_string());
        } else {
            break;
        }
        i += 1;
    }
    i
}

/// Where the body ends: notes, references, the English block, the author note,
/// the editor line or a front-matter label at the end.
/// An English line is the English block only when the next line is English
/// too (a long English name in a narrow column stands alone).
fn english_follows(body: &Body, i: usize) -> bool {
    i + 1 >= body.lines.len() || !body.text(i + 1).chars().any(is_han)
}

fn ends_body(text: &str, author: Option<&str>) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        compact.as_str(),
        "注释" | "注" | "注释：" | "参考文献" | "参考文献：" | "主要参考文献" | "References" | "Notes"
    ) || author.is_some_and(|a| author_note(text, a).is_some())
        || editor(text).is_some()
        || is_english(text)
        || pages::FOOT_LABELS
            .iter()
            .any(|l| strip_label(text.trim_start_matches(['（', '(']), l).is_some())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Numeral,
    Paren,
    Section,
    Arabic1,
    Arabic2,
    Arabic3,
    Named,
    Centred,
}

/// A heading's numbering style and its normalised text.
fn heading_form(text: &str) -> Option<(Style, String)> {
    let text = text.trim();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if NAMED_SECTIONS.contains(&compact.as_str()) {
        return Some((Style::Named, compact));
    }
    if let Some(rest) = text.strip_prefix(['(', '（']) {
        let rest = rest.trim_start();
        let numeral = leading(rest, |c| NUMERALS.contains(c))?;
        let rest = rest[numeral.len()..].trim_start().strip_prefix([')', '）'])?.trim();
        return (!rest.is_empty()).then(|| (Style::Paren, format!("（{numeral}）{}", repair_zh(rest))));
    }
    if let Some(rest) = text.strip_prefix('第') {
        let numeral = leading(rest, |c| NUMERALS.contains(c))?;
        let after = &rest[numeral.len()..];
        let unit = ["节", "章", "部分"].into_iter().find(|u| after.starts_with(u))?;
        let title = after[unit.len()..].trim();
        return (!title.is_empty()).then(|| (Style::Section, format!("第{numeral}{unit} {}", repair_zh(title))));
    }
    if let Some(numeral) = leading(text, |c| NUMERALS.contains(c)) {
        let rest = &text[numeral.len()..];
        if let Some(title) = rest.strip_prefix('、') {
            let title = title.trim();
            return (!title.is_empty()).then(|| (Style::Numeral, format!("{numeral}、{}", repair_zh(title))));
        }
        let title = rest.strip_prefix([' ', '\u{3000}', '．', '.'])?.trim();
        return (!title.is_empty()).then(|| (Style::Numeral, format!("{numeral} {}", repair_zh(title))));
    }
    let digits = leading(text, |c| c.is_ascii_digit())?;
    if digits.len() > 2 {
        return None;
    }
    let mut number = digits.to_string();
    let mut rest = &text[digits.len()..];
    let mut depth = 1;
    while let Some(after) = rest.strip_prefix(['.', '．']) {
        match leading(after, |c| c.is_ascii_digit()) {
            Some(more) if more.len() <= 2 => {
                number.push('.');
                number.push_str(more);
                rest = &after[more.len()..];
                depth += 1;
            }
            _ => break,
        }
    }
    let style = match depth {
        1 => Style::Arabic1,
        2 => Style::Arabic2,
        _ => Style::Arabic3,
    };
    let (dot, title) = if depth == 1 {
        if let Some(t) = rest.strip_prefix(['.', '．', '、']) {
            (".", t)
        } else {
            ("", rest.strip_prefix([' ', '\u{3000}'])?)
        }
    } else {
        ("", rest)
    };
    let title = title.trim();
    if title.is_empty() || !title.chars().next().is_some_and(is_han) {
        return None;
    }
    // `1.5倍`, `2.3万`: a number with its unit, not a heading.
    let counter = title.starts_with(|c: char| "倍万亿元年月日个%".contains(c));
    if depth > 1 && (counter || title.chars().count() < 2) {
        return None;
    }
    Some((style, format!("{number}{dot} {}", repair_zh(title))))
}

fn leading(text: &str, f: impl Fn(char) -> bool) -> Option<&str> {
    let len: usize = text.chars().take_while(|c| f(*c)).map(char::len_utf8).sum();
    (len > 0).then(|| &text[..len])
}

fn heading_at(body: &Body, i: usize, starts_block: bool) -> Option<(Style, String)> {
    let text = body.text(i);
    // A full line is a heading only with an indented line after it.
    let next_indented = i + 1 < body.lines.len() && body.indent(i + 1).is_some_and(|n| n >= 2);
    if !(body.is_short(i) || next_indented)
        || ends_sentence(text)
        || text.ends_with(['，', ',', '、', '；', ';', '：', ':'])
    {
        return None;
    }
    if text.chars().count() > 40 || text.chars().any(|c| note_index(c).is_some()) {
        return None;
    }
    if let Some(form) = heading_form(text) {
        return (starts_block || form.0 == Style::Named).then_some(form);
    }
    // An unnumbered heading: centred, as `-layout` shows it.
    let centred = body.indent(i).is_some_and(|n| n >= 8) && text.chars().any(is_han) && text.chars().count() <= 30;
    (centred && starts_block).then(|| (Style::Centred, repair_zh(text)))
}

/// A numbered heading set on two or three lines (a narrow column): it
/// follows a sentence's end, no line of it ends a sentence or a clause, its
/// last line is short and the line after it is indented.
fn wrapped_heading(body: &Body, i: usize, after_end: bool, vocabulary: &Vocabulary) -> Option<(Style, String, usize)> {
    if !after_end || !body.indents {
        return None;
    }
    let (style, _) = heading_form(body.text(i))?;
    if style == Style::Named {
        return None;
    }
    // A centred heading's second line is centred too.
    let centred = |k: usize| body.indent(k).is_some_and(|n| n >= 8);
    for last in i + 1..(i + 3).min(body.lines.len().saturating_sub(1)) {
        let text = body.text(last);
        let indented = body.indent(last).is_some_and(|n| n >= 2) && !centred(last);
        if ends_sentence(text) || text.ends_with(['，', '、', '；', '：']) || indented || heading_form(text).is_some()
        {
            return None;
        }
        if body.is_short(last) && body.indent(last + 1).is_some_and(|n| n >= 2) {
            let texts: Vec<&str> = (i..=last).map(|k| body.text(k)).collect();
            let joined = lines::join(&texts, vocabulary);
            if joined.chars().count() > 60 {
                return None;
            }
            return heading_form(&joined).map(|(style, text)| (style, text, last));
        }
    }
    None
}

fn read_body(body: &Body, mut i: usize, vocabulary: &Vocabulary, imported: &mut Imported) -> usize {
    let mut paragraph: Vec<usize> = Vec::new();
    let mut styles: Vec<Style> = Vec::new();
    let mut closed = true;
    while i < body.lines.len() {
        let text = body.text(i);
        if (english_follows(body, i) || !is_english(text)) && ends_body(text, imported.author.as_deref()) {
            break;
        }
        // A heading stands on its own: after a paragraph's end, indented,
        // or after a sentence's end with an indented line after it.
        let next_indented = i + 1 < body.lines.len() && body.indent(i + 1).is_some_and(|n| n >= 2);
        let after_sentence = i > 0 && ends_sentence(body.text(i - 1));
        let starts_block = closed || body.indent(i).is_some_and(|n| n >= 2) || (after_sentence && next_indented);
        let found = wrapped_heading(body, i, closed || after_sentence, vocabulary)
            .or_else(|| heading_at(body, i, starts_block).map(|(style, text)| (style, text, i)));
        if let Some((style, text, last)) = found {
            close(body, &mut paragraph, vocabulary, imported);
            let level = match style {
                Style::Named | Style::Centred => 2,
                _ => {
                    if !styles.contains(&style) {
                        styles.push(style);
                    }
                    let rank = styles.iter().position(|s| *s == style).unwrap_or(0);
                    (2 + rank).min(6) as u8
                }
            };
            imported.blocks.push(Block::Heading {
                level,
                text,
                line: body.lines[i].number,
            });
            closed = true;
            i = last + 1;
            continue;
        }
        // A first-line indent starts a paragraph; where the extraction shows
        // no indent, a line after a short line that ends a sentence does.
        let new_paragraph = match body.indent(i) {
            Some(indent) => indent >= 2,
            None => closed,
        };
        if new_paragraph && !paragraph.is_empty() {
            close(body, &mut paragraph, vocabulary, imported);
        }
        paragraph.push(i);
        closed = body.ends_paragraph(i);
        // Without an indent on the next line, a full line that ends a sentence
        // may or may not end its paragraph: listed for the editor.
        let next_has_indent = body.lines.get(i + 1).is_some() && body.indent(i + 1).is_some();
        if !closed
            && !next_has_indent
            && ends_sentence(text)
            && i + 1 < body.lines.len()
            && !ends_body(body.text(i + 1), imported.author.as_deref())
        {
            imported.ambiguities.push(Ambiguity {
                line: body.lines[i].number,
                end: tail(text, 12),
                next: head(body.text(i + 1), 12),
            });
        }
        i += 1;
    }
    close(body, &mut paragraph, vocabulary, imported);
    i
}

fn close(body: &Body, paragraph: &mut Vec<usize>, vocabulary: &Vocabulary, imported: &mut Imported) {
    let (Some(&first), Some(&last)) = (paragraph.first(), paragraph.last()) else {
        return;
    };
    let texts: Vec<&str> = paragraph.iter().map(|&k| body.text(k)).collect();
    imported.blocks.push(Block::Paragraph {
        text: repair_zh(&lines::join(&texts, vocabulary)),
        first_line: body.lines[first].number,
        last_line: body.lines[last].number,
    });
    paragraph.clear();
}

/// `1. …`, `[1] …`, `［1］…`, `①…`, `1、…`: the number and the rest.
fn numbered_entry(text: &str) -> Option<(usize, &str)> {
    let t = text.trim_start();
    if let Some(first) = t.chars().next()
        && let Some(k) = pages::CIRCLED.chars().position(|c| c == first)
    {
        return Some((k + 1, t[first.len_utf8()..].trim_start()));
    }
    if let Some(rest) = t.strip_prefix(['[', '［', '〔']) {
        let digits = leading(rest, |c| c.is_ascii_digit())?;
        let after = rest[digits.len()..].strip_prefix([']', '］', '〕'])?;
        return Some((digits.parse().ok()?, after.trim_start()));
    }
    let digits = leading(t, |c| c.is_ascii_digit())?;
    let after = t[digits.len()..].strip_prefix(['.', '．', '、', ' '])?;
    if digits.len() > 3 {
        return None;
    }
    Some((digits.parse().ok()?, after.trim_start()))
}

/// Entries of a numbered list: each starts with its number; other lines continue it.
fn read_entries(
    body: &Body,
    mut i: usize,
    vocabulary: &Vocabulary,
    stop: impl Fn(usize) -> bool,
) -> (Vec<String>, usize) {
    let mut entries: Vec<Vec<String>> = Vec::new();
    while i < body.lines.len() {
        let text = body.text(i);
        if stop(i) {
            break;
        }
        // A bare number before the text (`1这是…`) starts the next entry only.
        let next = entries.len() + 1;
        let entry = numbered_entry(text).or_else(|| lines::numbered_note(text).filter(|(n, _)| *n == next));
        match entry {
            Some((_, rest)) => entries.push(vec![rest.to_string()]),
            None => match entries.last_mut() {
                Some(entry) => entry.push(text.to_string()),
                None => break,
            },
        }
        i += 1;
    }
    let joined = entries
        .iter()
        .map(|lines| {
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            lines::join(&refs, vocabulary)
        })
        .collect();
    (joined, i)
}

fn section_heading(text: &str) -> Option<&'static str> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.trim_end_matches(['：', ':']) {
        "注释" | "注" | "Notes" => Some("notes"),
        "参考文献" | "主要参考文献" | "References" => Some("references"),
        _ => None,
    }
}

fn back_matter(body: &Body, mut i: usize, vocabulary: &Vocabulary, imported: &mut Imported) {
    while i < body.lines.len() {
        let text = body.text(i).trim().to_string();
        if let Some(section) = section_heading(&text) {
            let (entries, next) = read_entries(body, i + 1, vocabulary, |k| {
                let t = body.text(k);
                section_heading(t).is_some()
                    || (is_english(t) && numbered_entry(t).is_none() && section == "notes")
                    || (numbered_entry(t).is_none() && english_title(body, k, vocabulary).is_some())
                    || english_label(t, &["Abstract"]).is_some()
            });
            if section == "notes" {
                imported.endnotes = entries.iter().map(|e| repair_zh(e)).collect();
            } else {
                imported.references = entries.iter().map(|e| repair::tidy(e)).collect();
            }
            i = next;
            continue;
        }
        if let Some(note) = imported.author.as_deref().and_then(|a| author_note(&text, a)) {
            imported.author_note = Some(repair_zh(note));
            imported.removed.push(Removed::AuthorNote(body.lines[i].number));
        } else if let Some(name) = editor(&text) {
            imported.editor = Some(repair_zh(name));
            imported.removed.push(Removed::EditorLine(body.lines[i].number));
        } else if let Some((label, rest)) = pages::FOOT_LABELS
            .iter()
            .find_map(|l| strip_label(text.trim_start_matches(['（', '(']), l).map(|r| (*l, r)))
        {
            set_labelled(imported, label, rest);
        } else if let Some(rest) = english_label(&text, &["Abstract"]) {
            let (texts, j) = collect_english(body, i, rest);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            imported.abstract_en = Some(repair_en(&lines::join(&refs, vocabulary)));
            i = j;
        } else if let Some(rest) = english_label(&text, &["Key words", "Keywords"]) {
            let (texts, j) = collect_english(body, i, rest);
            imported.keywords_en = keywords_en(&texts.join(" "));
            i = j;
        } else if let Some((title, last)) = english_title(body, i, vocabulary).filter(|_| imported.title_en.is_none()) {
            imported.title_en = Some(title);
            i = last;
        } else if imported.title_en.is_some() && imported.author_en.is_none() && is_latin_name(&text) {
            imported.author_en = Some(text.clone());
        } else if imported.abstract_en.is_none() && is_english(&text) {
            let (texts, j) = collect_until(body, i, &text, |k| body.text(k).chars().any(is_han));
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            imported.abstract_en = Some(repair_en(&lines::join(&refs, vocabulary)));
            i = j;
        } else {
            if let Some(last) = body.lines.last() {
                imported.removed.push(Removed::OtherArticle {
                    first: body.lines[i].number,
                    last: last.number,
                });
            }
            return;
        }
        i += 1;
    }
}

/// Marks of the endnotes in the text: ①, `[1]`, or a superscript number,
/// which `pdftotext` sets inline (`关系。12019年` is mark 1 before 2019年).
/// Marks are taken in order, 1 then 2… (`lines::note_mark` says where a
/// bare number can be one).
fn superscript_marks(imported: &mut Imported) {
    if imported.endnotes.is_empty() {
        return;
    }
    let offset = imported.footnotes.len();
    let count = imported.endnotes.len();
    let mut next = 1;
    for block in &mut imported.blocks {
        let Block::Paragraph { text, .. } = block else { continue };
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut k = 0;
        while k < chars.len() {
            let mark = if next > count {
                None
            } else if pages::CIRCLED.chars().nth(next - 1) == Some(chars[k]) {
                Some(1)
            } else {
                lines::note_mark(&chars, k, k.checked_sub(1).map(|b| chars[b]), next)
            };
            match mark {
                Some(len) => {
                    out.push(note_char(offset + next - 1));
                    next += 1;
                    k += len;
                }
                None => {
                    out.push(chars[k]);
                    k += 1;
                }
            }
        }
        *text = out;
    }
    let endnotes = std::mem::take(&mut imported.endnotes);
    imported.footnotes.extend(endnotes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_the_usual_numbering_styles() {
        let cases = [
            (
                "一、中美军事关系的历史与现状",
                Style::Numeral,
                "一、中美军事关系的历史与现状",
            ),
            (
                "一 中美军事关系的历史与现状",
                Style::Numeral,
                "一 中美军事关系的历史与现状",
            ),
            ("( 一) 台湾问题", Style::Paren, "（一）台湾问题"),
            ("第一节 历史与现状", Style::Section, "第一节 历史与现状"),
            ("第二章历史", Style::Section, "第二章 历史"),
            ("1. 中美军事关系", Style::Arabic1, "1. 中美军事关系"),
            ("1 引言部分", Style::Arabic1, "1 引言部分"),
            ("1.1 台湾问题", Style::Arabic2, "1.1 台湾问题"),
            ("2.3.1 细节", Style::Arabic3, "2.3.1 细节"),
            ("结 语", Style::Named, "结语"),
        ];
        for (text, style, normalised) in cases {
            assert_eq!(heading_form(text), Some((style, normalised.to_string())), "{text}");
        }
        for text in ["1978年12月", "2019 年", "一个重要努力", "123. 不是", "1.5倍"] {
            assert_eq!(heading_form(text), None, "{text}");
        }
    }

    #[test]
    fn labels_with_spaces_inside() {
        assert_eq!(strip_label("摘 要：正文", "摘要"), Some("正文"));
        assert_eq!(strip_label("〔内容提要〕正文", "〔内容提要〕"), Some("正文"));
        assert_eq!(strip_label("关键词:a；b", "关键词"), Some("a；b"));
        assert_eq!(strip_label("摘要的意思", "摘要"), None);
        assert_eq!(
            keywords("中美关系；军事关系；危机管控"),
            ["中美关系", "军事关系", "危机管控"]
        );
    }

    #[test]
    fn identifier_line_splits_into_fields() {
        let mut imported = Imported::default();
        assert!(identifiers(
            "中图分类号：D822.371.2   文献标识码：A  文章编号：1002-8986(2019)01-0009-21",
            &mut imported
        ));
        assert_eq!(imported.clc.as_deref(), Some("D822.371.2"));
        assert_eq!(imported.document_code.as_deref(), Some("A"));
        assert_eq!(imported.article_number.as_deref(), Some("1002-8986(2019)01-0009-21"));
        assert_eq!(doi("DOI：10.12345/x.1").as_deref(), Some("10.12345/x.1"));
    }

    /// Endnotes under 注释 led by a bare number (a superscript as
    /// `pdftotext` sets it), cited by `[1]` or by a superscript number.
    #[test]
    fn endnotes_led_by_bare_numbers_with_bracketed_or_superscript_marks() {
        let raw = "中美军事关系的历史与现状\n\n  第一段正文，引了一个注释。[1]后面还有很多文字，\n写完了这一段。\n  第二段正文2在这里结束。\n注释\n1第一个注释，说的是\n2019年的事。\n2第二个注释。\n\u{c}";
        let imported = crate::import::import(raw).unwrap();
        assert_eq!(imported.footnotes, ["第一个注释，说的是2019年的事。", "第二个注释。"]);
        let texts: Vec<&str> = imported
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                Block::Heading { .. } => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                format!(
                    "第一段正文，引了一个注释。{}后面还有很多文字，写完了这一段。",
                    note_char(0)
                ),
                format!("第二段正文{}在这里结束。", note_char(1)),
            ]
        );
    }

    /// A page of `-layout` text: a title, then `body` (first-line indents as
    /// leading spaces), then a form feed.
    fn layout_page(body: &str) -> String {
        format!("中美军事关系的历史与现状\n\n{body}\u{c}")
    }

    fn blocks_of(imported: &Imported) -> Vec<(Option<u8>, &str)> {
        imported
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text, .. } => (Some(*level), text.as_str()),
                Block::Paragraph { text, .. } => (None, text.as_str()),
            })
            .collect()
    }

    #[test]
    fn an_unnumbered_centred_line_between_paragraphs_is_a_heading() {
        let raw = layout_page(
            "    第一段正文的第一行，写得很长很长很长很长很长很长很长很长，\n\
             第一段正文的第二行，也写得很长很长很长很长很长很长很长很长，\n\
             第一段正文到这里结束了。\n\
             \x20                 中美关系的未来\n\
             \x20   第二段正文的第一行，写得很长很长很长很长很长很长很长很长，\n\
             第二段正文到这里结束了。\n",
        );
        let imported = crate::import::import(&raw).unwrap();
        assert_eq!(
            blocks_of(&imported),
            [
                (
                    None,
                    "第一段正文的第一行，写得很长很长很长很长很长很长很长很长，第一段正文的第二行，\
                     也写得很长很长很长很长很长很长很长很长，第一段正文到这里结束了。"
                ),
                (Some(2), "中美关系的未来"),
                (
                    None,
                    "第二段正文的第一行，写得很长很长很长很长很长很长很长很长，第二段正文到这里结束了。"
                ),
            ]
        );
    }

    /// OCR artefacts in a paged text: full-width digits, spaces between Han
    /// characters, `○` for a zero in a year; each repair listed by its line.
    #[test]
    fn ocr_artefacts_are_repaired_in_the_body_and_listed_by_line() {
        let raw = layout_page(
            "    中美两国宣 布 两 国 于 １９７９ 年 1 月 1 日起正式建立外交关系，到了二○一九年，\n\
             中美建交已经40周年，这一段正文到这里结束了。\n",
        );
        let imported = crate::import::import(&raw).unwrap();
        assert_eq!(
            blocks_of(&imported),
            [(
                None,
                "中美两国宣布两国于1979年1月1日起正式建立外交关系，到了二〇一九年，中美建交已经40周年，这一段正文到这里结束了。"
            )]
        );
        let repairs: Vec<(usize, &str)> = imported.repairs.iter().map(|(l, r)| (*l, r.as_str())).collect();
        assert_eq!(
            repairs,
            [
                (3, "full-width １９７９ → 1979"),
                (3, "4 spaces between Han characters removed"),
                (3, "○ → 〇")
            ]
        );
    }

    /// 基金项目, 作者简介 and 收稿日期 after the body, as some journals print
    /// them at the article's end: fields of article.toml, not text.
    #[test]
    fn funding_author_bio_and_received_at_the_end_go_to_article_toml() {
        let raw = layout_page(
            "    第一段正文的第一行，写得很长很长很长很长很长很长很长很长，\n\
             第一段正文到这里结束了。\n\
             \n\
             基金项目：国家社会科学基金项目（19BGJ001）\n\
             作者简介：姚云竹，中国军事科学学会高级顾问。\n\
             （收稿日期：2018-12-20）\n",
        );
        let imported = crate::import::import(&raw).unwrap();
        assert_eq!(imported.blocks.len(), 1);
        let files = super::super::write::render(&imported);
        let article: toml::Table = toml::from_str(&files.article_toml).unwrap();
        assert_eq!(article["funding"].as_str(), Some("国家社会科学基金项目（19BGJ001）"));
        assert_eq!(
            article["author_bio"].as_str(),
            Some("姚云竹，中国军事科学学会高级顾问。")
        );
        assert_eq!(article["received"].as_str(), Some("2018-12-20"));
        for label in ["基金项目", "作者简介", "收稿日期", "19BGJ001"] {
            assert!(!files.text_md.contains(label), "{label} in text.md");
        }
    }

    #[test]
    fn superscript_marks_are_found_in_order() {
        let mut imported = Imported {
            blocks: vec![Block::Paragraph {
                text: "在1979年。1980年两国。12019年，中美。2另一句。".into(),
                first_line: 1,
                last_line: 1,
            }],
            endnotes: vec!["甲".into(), "乙".into()],
            ..Imported::default()
        };
        superscript_marks(&mut imported);
        let Block::Paragraph { text, .. } = &imported.blocks[0] else {
            panic!()
        };
        assert_eq!(
            text,
            &format!(
                "在1979年。1980年两国。{}2019年，中美。{}另一句。",
                note_char(0),
                note_char(1)
            )
        );
        assert_eq!(imported.footnotes, ["甲", "乙"]);
    }
}
