//! The pages of a `pdftotext` extraction (pages end at form feeds): the reading
//! order of two-column pages, running heads and page numbers found by
//! repetition, and the footnotes at each page's foot. What is left is a list of
//! body lines in reading order, each with its indentation where the
//! extraction shows it reliably, and the footnotes with the marks that cite
//! them replaced by a placeholder character (`note_char`).
//! It does not know what a title or a paragraph is (that is `journal`).

use std::collections::BTreeMap;

pub use super::lines::{CIRCLED, note_char, note_index};

/// A body line in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLine {
    /// The line in the extraction, from 1.
    pub number: usize,
    /// Trimmed.
    pub text: String,
    /// Leading spaces relative to the page's (or column's) left edge, when
    /// the extraction keeps them reliably (not in a right-hand column).
    pub indent: Option<usize>,
    /// The page, from 0.
    pub page: usize,
    /// A blank line stood before this one.
    pub after_blank: bool,
}

/// A line left out of the body, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub number: usize,
    pub text: String,
    pub kind: DropKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    RunningHead,
    PageNumber,
    Footnote,
}

/// A note found at a page's foot.
#[derive(Debug, Clone, PartialEq)]
pub struct FootNote {
    /// The line the note starts on.
    pub line: usize,
    pub text: String,
}

/// Front-matter items printed at the first page's foot without a mark
/// (`收稿日期：…`, `基金项目：…`, `作者简介：…`).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub line: usize,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Default)]
pub struct Pages {
    pub lines: Vec<PageLine>,
    pub dropped: Vec<Dropped>,
    /// Footnotes in the order of their marks; the mark of note `i` is
    /// `note_char(i)` in `lines`.
    pub notes: Vec<FootNote>,
    pub labelled: Vec<Labelled>,
    pub pages: usize,
    /// Pages read as two columns, from 1.
    pub two_column_pages: Vec<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PagesError {
    #[error(
        "line {line} (page {page}, “{text}”): {trouble}, so the reading order of this \
         `-layout` text cannot be trusted; import the PDF itself (`duben import PAPER.pdf`), \
         which reads each column from its position on the page"
    )]
    Columns {
        page: usize,
        line: usize,
        /// The line, or its start, to find it by.
        text: String,
        trouble: ColumnTrouble,
    },
}

/// Why the columns of a `-layout` page cannot be put in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ColumnTrouble {
    #[error("a line runs across both columns between two-column lines")]
    Crossing,
    /// Where the columns' baselines do not line up, `-layout` sets each
    /// column's line on a row of its own, and where the text is no longer
    /// split at a gap there is no telling the columns from a full-width block.
    #[error("the columns no longer stand side by side here: one column's lines fall between the other's")]
    Staggered,
    #[error("the right column starts at character {here} here, on the other pages at {elsewhere}")]
    Gutter { here: usize, elsewhere: usize },
}

/// How many lines at a page's top and foot may hold a running head or a page number.
const EDGE: usize = 3;

/// Whether a page's lines may hold two columns side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// `pdftotext -layout` text: look for a gutter.
    Find,
    /// Text already in reading order, one column after the other.
    InOrder,
}

pub fn read(raw: &str, mode: Columns) -> Result<Pages, PagesError> {
    let mut out = Pages::default();
    // Each page: (line number, text without the line end), blank lines kept.
    let mut pages: Vec<Vec<(usize, String)>> = vec![Vec::new()];
    for (index, line) in raw.lines().enumerate() {
        let mut parts = line.split('\u{c}');
        if let (Some(first), Some(page)) = (parts.next(), pages.last_mut()) {
            page.push((index + 1, first.trim_end().to_string()));
        }
        for part in parts {
            pages.push(vec![(index + 1, part.trim_end().to_string())]);
        }
    }
    while pages.last().is_some_and(|p| p.iter().all(|(_, t)| t.trim().is_empty())) && pages.len() > 1 {
        pages.pop();
    }
    out.pages = pages.len();

    // Reading order first: a running head is a line of its own in either mode.
    let mut ordered: Vec<Vec<(usize, String, Option<usize>)>> = Vec::new();
    // A page with few lines beside each other (the last page, say) is read
    // with the gutter of the other pages, when most of them have one.
    let gutters: Vec<Option<(usize, usize, usize)>> = pages
        .iter()
        .map(|p| if mode == Columns::Find { find_gutter(p, 6) } else { None })
        .collect();
    let found: Vec<(usize, usize, usize)> = gutters.iter().flatten().copied().collect();
    let typical = (found.len() * 2 > pages.len()).then(|| found[found.len() / 2]);
    // Running heads and page numbers are no column's lines.
    let raw_heads = running_heads(&texts(pages.iter().map(|p| p.iter().map(|l| l.1.as_str()))));
    for (index, page) in pages.iter().enumerate() {
        let gutter = match gutters[index] {
            Some(own) => Some(Gutter {
                at: own,
                borrowed: false,
            }),
            None => typical
                .filter(|_| mode == Columns::Find && find_gutter(page, 2).is_some())
                .map(|at| Gutter { at, borrowed: true }),
        };
        let (lines, two) = columns(page, index + 1, gutter, &raw_heads)?;
        if two {
            out.two_column_pages.push(index + 1);
        }
        ordered.push(lines);
    }

    let heads = running_heads(&texts(ordered.iter().map(|p| p.iter().map(|l| l.1.as_str()))));
    let mut next_note = 0;
    // The number a note numbered through the article would have next.
    let mut next_number = 1;
    for (page_index, page) in ordered.iter().enumerate() {
        let content: Vec<usize> = (0..page.len()).filter(|&i| !page[i].1.trim().is_empty()).collect();
        let mut keep = vec![true; page.len()];
        let top: Vec<usize> = content.iter().copied().take(EDGE).collect();
        let bottom: Vec<usize> = content.iter().rev().copied().take(EDGE).collect();
        for &i in top.iter().chain(bottom.iter()) {
            let text = page[i].1.trim();
            // The first page's title may read as the running head of the
            // others: there, a head stands apart from the text (two blank
            // lines after it), as it does in a page's margin.
            let apart =
                page_index > 0 || page[i + 1..].iter().take(2).all(|l| l.1.trim().is_empty()) && i + 2 < page.len();
            let kind = if is_page_number(text) {
                Some(DropKind::PageNumber)
            } else if heads.contains(&head_key(text)) && (apart || !top.contains(&i)) {
                Some(DropKind::RunningHead)
            } else {
                None
            };
            if let (Some(kind), true) = (kind, keep[i]) {
                keep[i] = false;
                out.dropped.push(Dropped {
                    number: page[i].0,
                    text: text.to_string(),
                    kind,
                });
            }
        }
        // A page with no form feeds at all (text extracted elsewhere): only
        // the page-number forms that cannot be body text are dropped anywhere.
        if ordered.len() == 1 {
            for (i, line) in page.iter().enumerate() {
                if keep[i] && is_marked_page_number(line.1.trim()) {
                    keep[i] = false;
                    out.dropped.push(Dropped {
                        number: line.0,
                        text: line.1.trim().to_string(),
                        kind: DropKind::PageNumber,
                    });
                }
            }
        }
        let body: Vec<usize> = (0..page.len()).filter(|&i| keep[i]).collect();
        let (notes_from, notes) = foot_notes(page, &body, next_number);
        // The marks of this page's notes, by their circled mark or number.
        let mut marks = PageMarks::default();
        for (line, text, mark) in notes {
            match mark {
                Mark::Circled(c) => {
                    marks.circled.insert(c, next_note);
                    out.notes.push(FootNote { line, text });
                    next_note += 1;
                }
                Mark::Numbered(n) => {
                    marks.numbered.insert(n, next_note);
                    out.notes.push(FootNote { line, text });
                    next_note += 1;
                    next_number = n + 1;
                }
                Mark::Label(label) => out.labelled.push(Labelled {
                    line,
                    label,
                    value: text,
                }),
            }
        }
        for &i in body.iter().filter(|&&i| notes_from.is_some_and(|from| i >= from)) {
            let text = page[i].1.trim();
            if !text.is_empty() {
                out.dropped.push(Dropped {
                    number: page[i].0,
                    text: text.to_string(),
                    kind: DropKind::Footnote,
                });
            }
        }
        let mut after_blank = false;
        let mut before = None;
        for &i in body.iter().filter(|&&i| notes_from.is_none_or(|from| i < from)) {
            let (number, text, indent) = &page[i];
            let trimmed = text.trim();
            if trimmed.is_empty() {
                after_blank = true;
                continue;
            }
            let text = marks.place(trimmed, before);
            before = trimmed.chars().last();
            out.lines.push(PageLine {
                number: *number,
                text,
                indent: *indent,
                page: page_index,
                after_blank,
            });
            after_blank = false;
        }
    }
    out.dropped.sort_by_key(|d| d.number);
    Ok(out)
}

/// `·3·`, `- 3 -`, `— 3 —`, `3`, `第3页`, `第 3 页`, `(3)`.
pub fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.len() <= 5 && compact.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    is_marked_page_number(text)
}

/// The page-number forms that carry their own marks (not a bare number).
fn is_marked_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let pairs = [
        ("·", "·"),
        ("-", "-"),
        ("—", "—"),
        ("–", "–"),
        ("第", "页"),
        ("(", ")"),
        ("（", "）"),
        ("・", "・"),
    ];
    pairs.iter().any(|(open, close)| {
        compact
            .strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(|n| !n.is_empty() && n.len() <= 5 && n.chars().all(|c| c.is_ascii_digit()))
    })
}

/// A line's identity as a running head: without spaces, digits as `#` (the
/// page number inside a head changes from page to page).
fn head_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    key
}

/// The keys of lines that stand at a page's top or foot on several pages: on
/// at least two pages and at least a quarter of them (a head that alternates
/// between even and odd pages is on half of them).
fn running_heads(pages: &[Vec<&str>]) -> std::collections::BTreeSet<String> {
    let mut seen: BTreeMap<String, std::collections::BTreeSet<usize>> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        let content: Vec<&str> = page.iter().map(|l| l.trim()).filter(|t| !t.is_empty()).collect();
        let edges = content.iter().take(EDGE).chain(content.iter().rev().take(EDGE));
        for text in edges {
            let key = head_key(text);
            if key.chars().count() >= 2 && text.chars().count() <= 60 {
                seen.entry(key).or_default().insert(index);
            }
        }
    }
    let needed = 2.max(pages.len().div_ceil(4));
    seen.into_iter()
        .filter(|(_, on)| on.len() >= needed)
        .map(|(key, _)| key)
        .collect()
}

/// Each page's lines as text.
fn texts<'a, P: Iterator<Item = &'a str>>(pages: impl Iterator<Item = P>) -> Vec<Vec<&'a str>> {
    pages.map(Iterator::collect).collect()
}

enum Mark {
    Circled(char),
    /// `[1]`, or the bare number of a superscript.
    Numbered(usize),
    Label(String),
}

/// The notes of one page by their marks, and which numbered marks the text
/// has shown so far.
#[derive(Default)]
struct PageMarks {
    /// ① → the note's index in the article.
    circled: BTreeMap<char, usize>,
    /// 1 → the note's index in the article.
    numbered: BTreeMap<usize, usize>,
    placed: std::collections::BTreeSet<usize>,
}

impl PageMarks {
    /// A body line with its note marks as placeholders (`note_char`). A
    /// bracketed number is a mark wherever it stands; a bare one only where
    /// `lines::note_mark` allows it, and only for the first note whose mark
    /// has not been seen, so marks are taken in order.
    fn place(&mut self, text: &str, before: Option<char>) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut k = 0;
        while k < chars.len() {
            let before = k.checked_sub(1).map(|b| chars[b]).or(before);
            if let Some(&index) = self.circled.get(&chars[k]) {
                out.push(note_char(index));
                k += 1;
                continue;
            }
            let mark_of = |n: usize| super::lines::note_mark(&chars, k, before, n).map(|len| (n, len));
            let mark = if "[［〔".contains(chars[k]) {
                self.numbered.keys().find_map(|&n| mark_of(n))
            } else {
                let wanted = self.numbered.keys().find(|n| !self.placed.contains(n));
                wanted.and_then(|&n| mark_of(n))
            };
            match mark {
                Some((n, len)) => {
                    out.push(note_char(self.numbered[&n]));
                    self.placed.insert(n);
                    k += len;
                }
                None => {
                    out.push(chars[k]);
                    k += 1;
                }
            }
        }
        out
    }
}

/// A label line without the bracket some journals set it in (`（收稿日期：…）`;
/// the closing one goes with the value, see `journal::set_labelled`).
fn unbracketed(text: &str) -> &str {
    text.strip_prefix(['（', '(']).unwrap_or(text)
}

/// Whether the lines carry the mark of note `number`.
fn cites(texts: &[(usize, &str)], number: usize) -> bool {
    let mut before = None;
    texts.iter().any(|(_, text)| {
        let chars: Vec<char> = text.chars().collect();
        let found = (0..chars.len()).any(|k| {
            super::lines::note_mark(&chars, k, k.checked_sub(1).map(|b| chars[b]).or(before), number).is_some()
        });
        before = chars.last().copied();
        found
    })
}

/// Front-matter labels printed at a page's foot.
pub const FOOT_LABELS: &[&str] = &["收稿日期", "基金项目", "作者简介", "通讯作者", "通信作者"];

/// Where a page's note block starts, and its notes: (line, text, mark).
type FootBlock = (Option<usize>, Vec<(usize, String, Mark)>);

/// The note block at the foot of a page: from the first line that starts
/// with a footnote mark (whose mark the page's text also carries) or with a
/// front-matter label, to the end of the page. Notes marked with numbers
/// (`[1]`, `1这是…`) must number on from 1 or from `next_number` (notes
/// numbered through the article), one after the other, or none of them is a
/// note: a line that starts with a number is text far more often than not.
/// Returns the index it starts at and the notes, each with its lines joined.
fn foot_notes(page: &[(usize, String, Option<usize>)], body: &[usize], next_number: usize) -> FootBlock {
    foot_notes_marked(page, body, Some(next_number))
        .unwrap_or_else(|| foot_notes_marked(page, body, None).unwrap_or_default())
}

/// `foot_notes`, with numbered notes only when `numbered` gives the number
/// they may continue from; None when the numbers do not follow on.
fn foot_notes_marked(
    page: &[(usize, String, Option<usize>)],
    body: &[usize],
    numbered: Option<usize>,
) -> Option<FootBlock> {
    let texts: Vec<(usize, &str)> = body
        .iter()
        .map(|&i| (i, page[i].1.trim()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let starts = |text: &str| -> Option<Mark> {
        let first = text.chars().next()?;
        if CIRCLED.contains(first) {
            return Some(Mark::Circled(first));
        }
        if let Some((number, _)) = super::lines::numbered_note(text).filter(|_| numbered.is_some()) {
            return Some(Mark::Numbered(number));
        }
        FOOT_LABELS.iter().find_map(|label| {
            let rest = unbracketed(text).strip_prefix(label)?.trim_start();
            rest.starts_with(['：', ':']).then(|| Mark::Label((*label).to_string()))
        })
    };
    // Scan up from the foot, at most half the page's lines.
    let limit = texts.len() / 2;
    let mut from = None;
    // The number of the numbered note nearest below.
    let mut below: Option<usize> = None;
    let mut k = texts.len();
    while k > limit.max(1) {
        k -= 1;
        match starts(texts[k].1) {
            Some(Mark::Circled(c)) => {
                let cited = texts[..k].iter().any(|(_, t)| t.chars().skip(1).any(|x| x == c));
                if !cited {
                    break;
                }
                from = Some(k);
            }
            Some(Mark::Numbered(n)) => {
                if below.is_some_and(|m| n + 1 != m) || !cites(&texts[..k], n) {
                    break;
                }
                below = Some(n);
                from = Some(k);
            }
            Some(Mark::Label(_)) => from = Some(k),
            None => {}
        }
    }
    if let (Some(first), Some(next)) = (below, numbered)
        && first != 1
        && first != next
    {
        return None;
    }
    let Some(from) = from else {
        return Some((None, Vec::new()));
    };
    let mut notes: Vec<(usize, String, Mark)> = Vec::new();
    let mut expected = below;
    for &(index, text) in &texts[from..] {
        let start = match starts(text) {
            // A number out of turn continues the note before it.
            Some(Mark::Numbered(n)) if expected != Some(n) => None,
            start => start,
        };
        match start {
            Some(Mark::Circled(c)) => {
                let rest: String = text.chars().skip(1).collect();
                notes.push((page[index].0, rest.trim().to_string(), Mark::Circled(c)));
            }
            Some(Mark::Numbered(n)) => {
                let rest = super::lines::numbered_note(text).map_or("", |(_, rest)| rest);
                notes.push((page[index].0, rest.trim().to_string(), Mark::Numbered(n)));
                expected = Some(n + 1);
            }
            Some(Mark::Label(label)) => {
                let rest = unbracketed(text)[label.len()..].trim_start();
                let rest = rest.trim_start_matches(['：', ':']).trim();
                notes.push((page[index].0, rest.to_string(), Mark::Label(label)));
            }
            None => {
                if let Some(last) = notes.last_mut() {
                    last.1 = super::lines::join(&[&last.1, text], &super::lines::Vocabulary::default());
                }
            }
        }
    }
    Some((Some(texts[from].0), notes))
}

/// A line in reading order: (line number, text, indent).
type OrderedLine = (usize, String, Option<usize>);

/// The gutter a page is split at: (where the gap between the columns starts
/// at the earliest, where the right column starts at the latest, the least
/// indent that puts a line in the right column), and whether it is the other
/// pages' (the page has too few lines side by side to show its own).
#[derive(Debug, Clone, Copy)]
struct Gutter {
    at: (usize, usize, usize),
    borrowed: bool,
}

/// One page in reading order: (line number, text, indent). A page whose
/// lines mostly split at one gutter is read left column, then right column;
/// lines across the gutter above or below the columns stay where they are.
/// Refused when that order cannot be trusted: a line across the gutter
/// between two-column lines, columns that go on below (or start above) the
/// rows they share without standing side by side, or a gutter borrowed from
/// the other pages where this page's columns split elsewhere.
fn columns(
    page: &[(usize, String)],
    page_number: usize,
    gutter: Option<Gutter>,
    heads: &std::collections::BTreeSet<String>,
) -> Result<(Vec<OrderedLine>, bool), PagesError> {
    let single = |page: &[(usize, String)]| {
        let base = page
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(_, t)| leading(t))
            .min()
            .unwrap_or(0);
        page.iter()
            .map(|(n, t)| (*n, t.clone(), Some(leading(t).saturating_sub(base))))
            .collect()
    };
    let Some(Gutter { at: gutter, borrowed }) = gutter else {
        return Ok((single(page), false));
    };
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Blank,
        Span,
        Split,
    }
    let mut kinds = Vec::with_capacity(page.len());
    let mut parts: Vec<(String, String)> = Vec::with_capacity(page.len());
    for (_, text) in page {
        let chars: Vec<char> = text.chars().collect();
        if text.trim().is_empty() {
            kinds.push(Kind::Blank);
            parts.push((String::new(), String::new()));
            continue;
        }
        match split_at_gutter(&chars, gutter) {
            Some((left, right)) => {
                kinds.push(Kind::Split);
                parts.push((left, right));
            }
            None => {
                kinds.push(Kind::Span);
                parts.push((text.clone(), String::new()));
            }
        }
    }
    let both = |i: usize| kinds[i] == Kind::Split && !parts[i].0.trim().is_empty() && !parts[i].1.is_empty();
    let Some(first) = (0..page.len()).find(|&i| both(i)) else {
        return Ok((single(page), false));
    };
    let last = (0..page.len()).rev().find(|&i| both(i)).unwrap_or(first);
    let refuse = |i: usize, trouble: ColumnTrouble| {
        let text = page[i].1.trim();
        let start = super::lines::head(text, 16);
        PagesError::Columns {
            page: page_number,
            line: page[i].0,
            text: if start.len() < text.len() { start + "…" } else { start },
            trouble,
        }
    };
    // A line across the gutter between two-column lines: which column does it belong to?
    if let Some(i) = (first..=last).find(|&i| kinds[i] == Kind::Span && chars_len(&page[i].1) > gutter.0 + 2) {
        return Err(refuse(i, ColumnTrouble::Crossing));
    }
    // Where the right column starts on the rows both columns share.
    let right_start = |i: usize| chars_len(&page[i].1) - chars_len(&parts[i].1);
    let shared: Vec<usize> = (first..=last).filter(|&i| both(i)).collect();
    let lowest = shared.iter().map(|&i| right_start(i)).min().unwrap_or(gutter.1);
    let highest = shared.iter().map(|&i| right_start(i)).max().unwrap_or(gutter.1);
    if borrowed && let Some(&i) = shared.iter().find(|&&i| right_start(i) > gutter.1 + 8) {
        return Err(refuse(
            i,
            ColumnTrouble::Gutter {
                here: right_start(i),
                elsewhere: gutter.1,
            },
        ));
    }
    // Outside the shared rows, a line wholly in one column (a page number or
    // running head aside): the right column's before the shared rows, or
    // both columns' after them, would be read out of order.
    let column_line =
        |i: usize| kinds[i] != Kind::Blank && !is_page_number(&page[i].1) && !heads.contains(&head_key(&page[i].1));
    // An indented first line in the right column starts a little further right.
    let in_right = |i: usize| column_line(i) && (lowest.saturating_sub(2)..=highest + 4).contains(&leading(&page[i].1));
    let in_left = |i: usize| column_line(i) && leading(&page[i].1) * 2 < lowest && chars_len(&page[i].1) + 2 <= lowest;
    let staggered = (0..first).find(|&i| in_right(i)).or_else(|| {
        let below = last + 1..page.len();
        let both_columns = below.clone().any(in_right) && below.clone().any(in_left);
        below.clone().find(|&i| both_columns && (in_right(i) || in_left(i)))
    });
    if let Some(i) = staggered {
        return Err(refuse(i, ColumnTrouble::Staggered));
    }
    let mut out: Vec<(usize, String, Option<usize>)> = single(&page[..first]);
    let left_base = (first..=last)
        .filter(|&i| !parts[i].0.trim().is_empty())
        .map(|i| leading(&parts[i].0))
        .min()
        .unwrap_or(0);
    for i in first..=last {
        let left = &parts[i].0;
        out.push((page[i].0, left.clone(), Some(leading(left).saturating_sub(left_base))));
    }
    for i in first..=last {
        // The right column's position in the extraction depends on the
        // width of the left column's characters: its indent is not evidence.
        out.push((page[i].0, parts[i].1.clone(), None));
    }
    out.extend(single(&page[last + 1..]));
    Ok((out, true))
}

fn leading(text: &str) -> usize {
    text.chars().take_while(|c| *c == ' ').count()
}

fn chars_len(text: &str) -> usize {
    text.chars().count()
}

/// The gutter of a two-column page: (the column where the gap between the
/// columns starts at the earliest, where the right column starts at the
/// latest, the least indent that puts a line in the right column), found as the place most lines have a run of three or more spaces
/// around the middle. None when fewer than `least` lines split there (or,
/// for a page read on its own evidence, fewer than a third of its lines).
fn find_gutter(page: &[(usize, String)], least: usize) -> Option<(usize, usize, usize)> {
    let width = page.iter().map(|(_, t)| chars_len(t)).max()?;
    if width < 30 {
        return None;
    }
    let (low, high) = (width * 3 / 10, width * 7 / 10);
    // Where the right-hand text starts after a long run of spaces.
    let mut starts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut content = 0;
    for (_, text) in page {
        if text.trim().is_empty() {
            continue;
        }
        content += 1;
        if let Some(start) = right_start(&text.chars().collect::<Vec<_>>(), low, high) {
            *starts.entry(start).or_default() += 1;
        }
    }
    let (&mode, _) = starts
        .iter()
        .max_by_key(|(start, count)| (**count, usize::MAX - **start))?;
    let near: usize = starts
        .iter()
        .filter(|(start, _)| start.abs_diff(mode) <= 8)
        .map(|(_, c)| c)
        .sum();
    if near < least || (least > 2 && near * 3 < content) {
        return None;
    }
    let lowest = starts.keys().filter(|s| s.abs_diff(mode) <= 8).min().copied()?;
    let highest = starts.keys().filter(|s| s.abs_diff(mode) <= 8).max().copied()?;
    Some((lowest.saturating_sub(2), highest, low))
}

/// The position where text resumes after the first run of at least three
/// spaces that ends between `low` and `high`.
fn right_start(chars: &[char], low: usize, high: usize) -> Option<usize> {
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let start = i;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if i - start >= 3 && i < chars.len() && (low..=high).contains(&i) {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Splits a line into its left and right column texts, if it has a gap at
/// the gutter (or only left text, or only right text).
fn split_at_gutter(chars: &[char], gutter: (usize, usize, usize)) -> Option<(String, String)> {
    let (gap_from, right_by, low) = gutter;
    let text: String = chars.iter().collect();
    let lead = leading(&text);
    // Right column only: where the left column has no line on the same row,
    // pdftotext sets the right column's lines further left than beside one.
    if lead >= gap_from.min(low) || lead * 5 >= gap_from * 3 {
        return Some((String::new(), text.trim().to_string()));
    }
    // Left column only: ends before the gutter.
    if chars.len() <= gap_from + 2 {
        return Some((text.trim_end().to_string(), String::new()));
    }
    // The first gap that reaches the gutter; a centred heading in the right
    // column starts further right.
    let start = right_start(chars, (lead + 1).max(gap_from.saturating_sub(8)), usize::MAX)?;
    let _ = right_by;
    let left: String = chars[..start].iter().collect();
    let right: String = chars[start..].iter().collect();
    // A column's line has no wide gap inside it: this is one line across
    // the page (`中图分类号：…   文献标识码：…`).
    if left.trim().contains("   ") {
        return None;
    }
    Some((left.trim_end().to_string(), right.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of `-layout` text with both columns: the right one starts at
    /// character 27.
    fn side_by_side(i: usize) -> String {
        format!("左栏第{i}行的文字内容左栏第{i}行的文字          右栏第{i}行的文字内容右栏第{i}行\n")
    }

    #[test]
    fn page_numbers_in_their_usual_forms() {
        for text in ["·3·", "- 3 -", "— 12 —", "3", "第3页", "第 3 页", " 31 "] {
            assert!(is_page_number(text), "{text}");
        }
        for text in ["1978年", "·3·中美", "3. 中美", "第三页", "-", "123456"] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    #[test]
    fn alternating_running_heads_are_dropped_even_mid_sentence() {
        let mut raw = String::new();
        for page in 1..=6 {
            let head = if page % 2 == 0 {
                format!("·{page}· 美国研究")
            } else {
                format!("中美军事关系 ·{page}·")
            };
            let word = "甲乙丙丁戊己".chars().nth(page - 1).unwrap_or('庚');
            raw.push_str(&format!(
                "{head}\n\n\n  正文{word}页的第一行，句子没有结束\n在{word}这里结束。\n{page}\n\u{c}"
            ));
        }
        let pages = read(&raw, Columns::Find).unwrap();
        assert_eq!(pages.pages, 6);
        assert!(
            pages
                .lines
                .iter()
                .all(|l| l.text.contains("正文") || l.text.contains("结束"))
        );
        assert_eq!(
            pages.dropped.iter().filter(|d| d.kind == DropKind::RunningHead).count(),
            6
        );
        assert_eq!(
            pages.dropped.iter().filter(|d| d.kind == DropKind::PageNumber).count(),
            6
        );
    }

    #[test]
    fn page_foot_notes_become_notes_and_their_marks_placeholders() {
        let raw = "  正文有一个注释。①后面还有文字，\n这一行也是正文②。\n①第一个注释，\n它有两行。\n②第二个注释。\n\u{c}  下一页的正文①。\n①下一页的注释。\n\u{c}";
        let pages = read(raw, Columns::Find).unwrap();
        assert_eq!(pages.notes.len(), 3);
        assert_eq!(pages.notes[0].text, "第一个注释，它有两行。");
        assert_eq!(
            pages.lines[0].text,
            format!("正文有一个注释。{}后面还有文字，", note_char(0))
        );
        assert_eq!(pages.lines[2].text, format!("下一页的正文{}。", note_char(2)));
        assert_eq!(pages.lines.len(), 3);
    }

    /// Superscript note numbers as `pdftotext` sets them: inline in the
    /// text, at the start of each note; numbered through the article.
    #[test]
    fn notes_led_by_a_bare_number_become_notes_and_their_marks_placeholders() {
        let raw = "  正文有一个注释。1后面还有文字，\n这一行也是正文2。\n1第一个注释，\n它有两行。\n2 第二个注释。\n\u{c}  下一页的正文，说到2019年3。\n3下一页的注释，继续编号。\n\u{c}";
        let pages = read(raw, Columns::Find).unwrap();
        let notes: Vec<&str> = pages.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            notes,
            ["第一个注释，它有两行。", "第二个注释。", "下一页的注释，继续编号。"]
        );
        let lines: Vec<&str> = pages.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            lines,
            [
                format!("正文有一个注释。{}后面还有文字，", note_char(0)),
                format!("这一行也是正文{}。", note_char(1)),
                format!("下一页的正文，说到2019年{}。", note_char(2)),
            ]
        );
    }

    /// `[1]` marks, numbered again from 1 on each page.
    #[test]
    fn bracketed_notes_numbered_per_page() {
        let raw = "  正文[1]有注释，\n还有一个[2]。\n[1] 第一个注释。\n[2] 第二个注释。\n\u{c}  下一页[1]。\n［1］下一页的注释。\n\u{c}";
        let pages = read(raw, Columns::Find).unwrap();
        assert_eq!(pages.notes.len(), 3);
        assert_eq!(pages.notes[2].text, "下一页的注释。");
        assert_eq!(pages.lines[0].text, format!("正文{}有注释，", note_char(0)));
        assert_eq!(pages.lines[1].text, format!("还有一个{}。", note_char(1)));
        assert_eq!(pages.lines[2].text, format!("下一页{}。", note_char(2)));
    }

    /// Lines that start with a number at a page's foot are text unless they
    /// number on from 1 (or from the last note) and the text carries the mark.
    #[test]
    fn lines_led_by_a_number_out_of_turn_are_text() {
        for raw in [
            // A year and a count, not notes.
            "  第一行正文，写到1979年。\n第二行正文。\n2019年，中美建交40周年。\n3种方式并存。\n\u{c}",
            // 5 cannot be the first note of the article, though the text has a 5.
            "  第一行正文。5后面还有文字。\n第二行正文。\n第三行正文。\n5这一行像注释。\n\u{c}",
            // 1 and 3: the numbers do not follow on.
            "  正文1和正文3。\n第二行正文。\n第三行正文。\n1这一行像注释，\n3这一行也像。\n\u{c}",
            // No mark in the text for it.
            "  第一行正文。\n第二行正文。\n第三行正文。\n1这一行像注释。\n\u{c}",
        ] {
            let pages = read(raw, Columns::Find).unwrap();
            assert!(pages.notes.is_empty(), "{raw:?}: {:?}", pages.notes);
            assert!(pages.dropped.iter().all(|d| d.kind != DropKind::Footnote), "{raw:?}");
        }
    }

    #[test]
    fn a_mark_at_a_line_start_without_a_citation_is_text() {
        let raw = "第一行正文\n第二行正文\n①不是注释，因为正文里没有这个符号\n\u{c}";
        let pages = read(raw, Columns::Find).unwrap();
        assert!(pages.notes.is_empty());
        assert_eq!(pages.lines.len(), 3);
    }

    #[test]
    fn two_columns_are_read_left_then_right() {
        let mut page = String::from("                 标题横跨两栏的一行文字\n");
        page.extend((0..8).map(side_by_side));
        let pages = read(&page, Columns::Find).unwrap();
        assert_eq!(pages.two_column_pages, [1]);
        let texts: Vec<&str> = pages.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts[0], "标题横跨两栏的一行文字");
        assert!(texts[1].starts_with("左栏第0行"));
        assert!(texts[8].starts_with("左栏第7行"));
        assert!(texts[9].starts_with("右栏第0行"));
        assert!(pages.lines[9].indent.is_none());
    }

    #[test]
    fn a_line_across_the_gutter_between_columns_is_refused() {
        let mut page = String::new();
        for i in 0..8 {
            page.push_str(&side_by_side(i));
            if i == 4 {
                page.push_str("一行横跨两栏的文字从左边一直写到右边没有任何空隙也没有停顿一直写到了右栏的尽头\n");
            }
        }
        assert!(matches!(
            read(&page, Columns::Find),
            Err(PagesError::Columns {
                page: 1,
                line: 6,
                trouble: ColumnTrouble::Crossing,
                ..
            })
        ));
    }

    /// `-layout` sets the columns on rows of their own where their
    /// baselines do not line up: below the rows they share, left and right
    /// lines alternate, and reading them as lines below the columns would
    /// interleave the two texts.
    #[test]
    fn columns_that_stop_standing_side_by_side_are_refused() {
        let mut page = String::new();
        page.extend((0..8).map(side_by_side));
        for i in 0..4 {
            page.push_str(&format!("左栏错行第{i}行的文字内容左栏第{i}行\n"));
            page.push_str(&format!("{}右栏错行第{i}行的文字内容右栏第{i}\n", " ".repeat(27)));
        }
        page.push_str(&format!("{}- 3 -\n", " ".repeat(24)));
        let error = read(&page, Columns::Find).unwrap_err();
        assert_eq!(
            error,
            PagesError::Columns {
                page: 1,
                line: 9,
                text: "左栏错行第0行的文字内容左栏第0…".into(),
                trouble: ColumnTrouble::Staggered,
            }
        );
        let message = error.to_string();
        assert!(message.starts_with("line 9 (page 1, “左栏错行第0行"), "{message}");
        assert!(
            message.contains("import the PDF itself (`duben import PAPER.pdf`)"),
            "{message}"
        );
    }

    /// Only the right column going on below the rows both share (the left
    /// ended first) is in order as it stands.
    #[test]
    fn a_right_column_longer_than_the_left_is_read_in_order() {
        let mut page = String::new();
        page.extend((0..8).map(side_by_side));
        page.push_str(&format!("{}右栏最后一行\n", " ".repeat(27)));
        let pages = read(&page, Columns::Find).unwrap();
        assert_eq!(pages.lines.last().map(|l| l.text.as_str()), Some("右栏最后一行"));
        assert!(pages.lines[8].text.starts_with("右栏第0行"));
    }

    /// A page with few lines side by side borrows the other pages' gutter;
    /// where its own columns split far from it, the split is a guess.
    #[test]
    fn a_page_whose_columns_split_elsewhere_than_the_others_is_refused() {
        let mut raw = String::new();
        for page in ["甲", "乙"] {
            for i in "一二三四五六七八".chars() {
                raw.push_str(&format!(
                    "左栏{page}页第{i}行的文字内容左栏的文字          右栏{page}页第{i}行的文字内容右栏\n"
                ));
            }
            raw.push('\u{c}');
        }
        for i in "一二三".chars() {
            let left = format!("这一页的左栏更宽一些第{i}行{}", "很".repeat(17));
            let right = format!("右栏第{i}行{}", "字".repeat(25));
            raw.push_str(&format!("{left}      {right}\n"));
        }
        for i in "一二三四五六七八".chars() {
            raw.push_str(&format!("这一页的左栏更宽一些第{i}行，只有左栏，写得很长很长\n"));
        }
        let error = read(&raw, Columns::Find).unwrap_err();
        assert!(
            matches!(
                error,
                PagesError::Columns {
                    page: 3,
                    line: 17,
                    trouble: ColumnTrouble::Gutter { .. },
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn no_panic_on_odd_input() {
        for raw in [
            "",
            "\u{c}",
            "\u{c}\u{c}\n\u{c}",
            "①",
            "①\n①\n①",
            "   \u{c}   ",
            "a          b\n",
        ] {
            let _ = read(raw, Columns::Find);
        }
    }
}
