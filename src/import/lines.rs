//! Visual lines of the extracted text: numbering, running page headers, the
//! printed width of a line, and joining lines back into one paragraph string.
//! It does not know what a title or a heading is (that is `structure`).

use super::repair::{is_cjk, is_han};

/// The footnote marks at a page's foot and in the text: ①…⑳.
pub const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/// The placeholder for footnote `index` (from 0) in a body line: a character
/// of the Private Use Area, which no journal text contains.
pub fn note_char(index: usize) -> char {
    char::from_u32(0xF0000 + index as u32).unwrap_or('\u{F0000}')
}

/// The footnote a placeholder stands for.
pub fn note_index(c: char) -> Option<usize> {
    let code = c as u32;
    (0xF0000..0xFFFFD).contains(&code).then(|| (code - 0xF0000) as usize)
}

/// What follows a number that counts something (`4国`, `3种`, `1979年`).
const COUNTERS: &str = "年月日号时分秒次个万亿元倍岁%国名项种类架艘部位条家人级期届余多";

/// A note that starts with its number: `[1]` (`［1］`, `〔1〕`), or the bare
/// number as `pdftotext` sets a superscript (`1这是页脚的注释`, `1 这是…`),
/// where a Chinese text or an opening quote follows that is no count
/// (`2019年…`, `3种…` are text). Returns the number and the note's text.
pub fn numbered_note(text: &str) -> Option<(usize, &str)> {
    let text = text.trim_start();
    let (digits, rest) = match text.strip_prefix(['[', '［', '〔']) {
        Some(inner) => {
            let end = inner.find(|c: char| !c.is_ascii_digit())?;
            let rest = inner[end..].strip_prefix([']', '］', '〕'])?;
            (&inner[..end], rest.trim_start())
        }
        None => {
            let end = text.find(|c: char| !c.is_ascii_digit())?;
            let rest = &text[end..];
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            let first = rest.chars().next()?;
            let text_follows = (is_han(first) && !COUNTERS.contains(first)) || "“《（「".contains(first);
            if !text_follows {
                return None;
            }
            (&text[..end], rest)
        }
    };
    if digits.is_empty() || digits.len() > 3 || rest.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

/// The length in characters of the mark of note `number` at `chars[k..]`,
/// if one stands there: `[1]` (`［1］`, `〔1〕`), or the bare number as
/// `pdftotext` sets a superscript inline, after the character `before`.
/// A bare number is a mark only after punctuation, or after a Han character
/// when it stands alone and is no count (`安全4应该`, but not `4国`, `第4`,
/// `4月`); after punctuation it may run into a year (`关系。12019年` is mark
/// 1 before 2019年).
pub fn note_mark(chars: &[char], k: usize, before: Option<char>, number: usize) -> Option<usize> {
    let wanted: Vec<char> = number.to_string().chars().collect();
    let digits = |from: usize| {
        chars[from.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if let Some(open) = chars.get(k)
        && "[［〔".contains(*open)
    {
        let run = digits(k + 1);
        let close = chars.get(k + 1 + run);
        let same = chars[k + 1..k + 1 + run] == wanted[..];
        return (same && close.is_some_and(|c| "]］〕".contains(*c))).then_some(run + 2);
    }
    let before = before?;
    let after_punctuation = "。！？”）」，；：、".contains(before);
    let after_han = is_han(before) && before != '第';
    if !(after_punctuation || after_han) {
        return None;
    }
    let run = digits(k);
    if run < wanted.len() || chars[k..k + wanted.len()] != wanted[..] {
        return None;
    }
    let after = chars.get(k + run).copied();
    let unit = |c: Option<char>| c.is_some_and(|c| COUNTERS.contains(c) || c.is_ascii_alphanumeric() || c == '.');
    let exact = run == wanted.len()
        && !unit(after)
        && (after_punctuation || after.is_none_or(|a| is_han(a) || "。，、；：！？”）".contains(a)));
    let before_year = after_punctuation && run == wanted.len() + 4 && after == Some('年');
    (exact || before_year).then_some(wanted.len())
}

/// One line of the raw file, numbered from 1 as an editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub number: usize,
    /// The line without leading or trailing white space (the PDF's leading
    /// spaces carry no meaning: continuation lines have them too).
    pub text: String,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// A running page header or page number the importer dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct PageHeader {
    pub number: usize,
    pub text: String,
}

/// Splits the raw text into lines and drops running page headers
/// (`·11·中美军事关系…`, `·21· 美国研究`) and bare page numbers. Because blank
/// lines carry no meaning inside Chinese text, the sentence a header
/// interrupts simply continues on the next line (`…会晤时，习` + `近平主席…`).
pub fn read(raw: &str) -> (Vec<Line>, Vec<PageHeader>) {
    let mut lines = Vec::new();
    let mut headers = Vec::new();
    for (index, text) in raw.lines().enumerate() {
        let number = index + 1;
        let text = text.trim();
        if is_page_header(text) {
            headers.push(PageHeader {
                number,
                text: text.to_string(),
            });
        } else {
            lines.push(Line {
                number,
                text: text.to_string(),
            });
        }
    }
    (lines, headers)
}

/// `·11·…` (a page number between middle dots, then the running head) or a
/// line that is only a page number.
fn is_page_header(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('·') else {
        return !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with('·')
}

/// The printed width of a line in Chinese character cells: a Han character or
/// Chinese punctuation fills one cell, a Latin letter or digit about half;
/// spaces are left out because the PDF inserts them where print has none.
pub fn width(text: &str) -> f64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_cjk(c) || is_wide(c) { 1.0 } else { 0.5 })
        .sum()
}

fn is_wide(c: char) -> bool {
    // Full-width forms and other East Asian wide letters (①, 〔, Ｒ).
    matches!(c, '\u{2460}'..='\u{24FF}' | '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Ends a sentence: `。！？` (or ASCII `.!?`, or `…`), possibly followed by a
/// closing quote or bracket.
pub fn ends_sentence(text: &str) -> bool {
    // A footnote mark after the stop (`发生。①`) does not hide it.
    let text = text.trim_end_matches(|c: char| note_index(c).is_some() || CIRCLED.contains(c));
    // A superscript note number as pdftotext sets it (`发生。6`), or a
    // bracketed one (`发生。[6]`), too.
    let text = match text.strip_suffix([']', '］', '〕']) {
        Some(inner) => {
            let number = inner.trim_end_matches(|c: char| c.is_ascii_digit());
            match number.strip_suffix(['[', '［', '〔']) {
                Some(stop) if number.len() < inner.len() => stop,
                _ => text,
            }
        }
        None => text,
    };
    let digits = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let text = if digits.len() < text.len() && digits.ends_with(['。', '！', '？', '”']) {
        digits
    } else {
        text
    };
    let trimmed = text.trim_end_matches(['”', '’', '」', '』', '）', ')', '》', '"', '\'']);
    trimmed.ends_with(['。', '！', '？', '.', '!', '?', '…', '．'])
}

/// Words of the raw text, used as evidence for line-end hyphens: which words
/// occur with a hyphen inside a line, and which occur whole.
#[derive(Debug, Default)]
pub struct Vocabulary {
    hyphenated: std::collections::BTreeSet<String>,
    whole: std::collections::BTreeSet<String>,
}

impl Vocabulary {
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for line in lines {
            for word in line.split(|c: char| !(c.is_ascii_alphabetic() || c == '-')) {
                let word = word.trim_matches('-').to_ascii_lowercase();
                if word.is_empty() {
                    continue;
                }
                if word.contains('-') {
                    vocabulary.hyphenated.insert(word);
                } else {
                    vocabulary.whole.insert(word);
                }
            }
        }
        vocabulary
    }

    /// Whether `left-` at a line end and `right` on the next line are one
    /// hyphenated word (`high-level`) rather than one word broken (`mili-tary`).
    /// The text's own usage decides first; then a short list of first halves
    /// that make compounds; otherwise the break was the typesetter's.
    fn keeps_hyphen(&self, left: &str, right: &str) -> bool {
        let (left, right) = (left.to_ascii_lowercase(), right.to_ascii_lowercase());
        if self.hyphenated.contains(&format!("{left}-{right}")) {
            return true;
        }
        if self.whole.contains(&format!("{left}{right}")) {
            return false;
        }
        COMPOUND_FIRST_HALVES.contains(&left.as_str())
    }
}

/// First halves of English compounds that keep their hyphen at a line break.
/// Prefixes that also begin ordinary words (`re`, `pre`, `inter`) are left out:
/// a broken `re-gional` is far more common than `re-election`.
const COMPOUND_FIRST_HALVES: &[&str] = &[
    "best", "cross", "full", "half", "high", "long", "low", "non", "quasi", "self", "short", "so", "well", "worst",
];

/// Joins the visual lines of one paragraph: no space where either side is
/// Chinese, a space between Latin words, a line-end hyphen kept or dropped as
/// `Vocabulary::keeps_hyphen` decides.
pub fn join(lines: &[&str], vocabulary: &Vocabulary) -> String {
    let mut out = String::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let Some(last) = out.chars().last() else {
            out.push_str(line);
            continue;
        };
        let first = line.chars().next().unwrap_or(' ');
        if let Some(left) = broken_word_before_hyphen(&out)
            && first.is_ascii_lowercase()
        {
            let right: String = line.chars().take_while(char::is_ascii_alphabetic).collect();
            if !vocabulary.keeps_hyphen(&left, &right) {
                out.pop();
            }
            out.push_str(line);
            continue;
        }
        // `U.S.-` + `led`: a hyphen after an initialism joins without a space.
        if last == '-' && first.is_ascii_alphanumeric() {
            out.push_str(line);
            continue;
        }
        // A space only between Latin on both sides; a space next to Chinese
        // punctuation is taken out again by `repair`, and an English line
        // ending in a full-width `．` needs one before the next sentence.
        let chinese = is_han(last) || is_han(first) || (is_cjk(last) && is_cjk(first));
        if !(chinese || last == '/' || first == '/') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The letters before a line-final hyphen (`mili` in `… and mili-`).
fn broken_word_before_hyphen(text: &str) -> Option<String> {
    let before = text.strip_suffix('-')?;
    let word: String = before.chars().rev().take_while(char::is_ascii_alphabetic).collect();
    (!word.is_empty()).then(|| word.chars().rev().collect())
}

/// The first `n` characters of `text`, for the summary of uncertain breaks.
pub(super) fn head(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// The last `n` characters of `text`.
pub(super) fn tail(text: &str, n: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_header_mid_sentence_is_dropped_and_sentence_rejoined() {
        let raw = "2013 年中美元首在安纳伯格庄园会晤时，习\n\n·11·中美军事关系: 从准同盟到竞争对手?\n\n\n\n近平主席提出两军应当";
        let (lines, headers) = read(raw);
        assert_eq!(
            headers,
            vec![PageHeader {
                number: 3,
                text: "·11·中美军事关系: 从准同盟到竞争对手?".into()
            }]
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            join(&texts, &Vocabulary::default()),
            "2013 年中美元首在安纳伯格庄园会晤时，习近平主席提出两军应当"
        );
    }

    #[test]
    fn page_header_with_journal_name_and_bare_page_numbers_are_dropped() {
        let (lines, headers) = read("美军\n·21· 美国研究\n37\n还把");
        assert_eq!(headers.len(), 2);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn middle_dot_inside_a_name_is_not_a_header() {
        assert!(!is_page_header("兹比格涅夫·布热津斯基访华时"));
        assert!(!is_page_header("·"));
    }

    #[test]
    fn hyphenated_line_break_is_joined() {
        let lines = ["based on geostrategic calculations and mili-", "tary necessity"];
        assert_eq!(
            join(&lines, &Vocabulary::default()),
            "based on geostrategic calculations and military necessity"
        );
    }

    #[test]
    fn real_hyphen_at_line_break_is_kept() {
        let lines = ["military cooperation, including high-", "level visits"];
        assert_eq!(
            join(&lines, &Vocabulary::default()),
            "military cooperation, including high-level visits"
        );
    }

    #[test]
    fn the_texts_own_usage_decides_a_hyphen() {
        let vocabulary = Vocabulary::from_lines(["the state-owned firms and more"]);
        let lines = ["some state-", "owned firms"];
        assert_eq!(join(&lines, &vocabulary), "some state-owned firms");
    }

    #[test]
    fn latin_words_get_a_space_chinese_gets_none() {
        let lines = ["如《2000 财年国防授权法案》( National", "Defense Authorization Act"];
        assert_eq!(
            join(&lines, &Vocabulary::default()),
            "如《2000 财年国防授权法案》( National Defense Authorization Act"
        );
        assert_eq!(
            join(&["还有 2009", "年美海军"], &Vocabulary::default()),
            "还有 2009年美海军"
        );
    }

    #[test]
    fn english_sentence_after_a_full_width_stop_gets_a_space() {
        let lines = [
            "a downward spiral of the China-U．S． relationship．",
            "The military ties",
        ];
        assert_eq!(
            join(&lines, &Vocabulary::default()),
            "a downward spiral of the China-U．S． relationship． The military ties"
        );
    }

    #[test]
    fn width_counts_latin_as_half() {
        assert_eq!(width("在 20 世纪"), 4.0);
        assert_eq!(width("“台独”"), 4.0);
    }

    #[test]
    fn note_marks_bracketed_or_as_superscripts() {
        let at = |text: &str, k: usize, number: usize| {
            let chars: Vec<char> = text.chars().collect();
            let before = k.checked_sub(1).map(|b| chars[b]);
            note_mark(&chars, k, before, number)
        };
        assert_eq!(at("关系。[1]后来", 3, 1), Some(3));
        assert_eq!(at("关系。［12］后来", 3, 12), Some(4));
        assert_eq!(at("关系。[1]后来", 3, 2), None);
        assert_eq!(at("关系。12019年", 3, 1), Some(1));
        assert_eq!(at("安全4应该", 2, 4), Some(1));
        for (text, k) in [("共4国", 1), ("第4章", 1), ("于4月", 1), ("在40年前", 1), ("a4b", 1)] {
            assert_eq!(at(text, k, 4), None, "{text}");
        }
    }

    #[test]
    fn notes_that_start_with_their_number() {
        assert_eq!(numbered_note("[1] 见前文。"), Some((1, "见前文。")));
        assert_eq!(numbered_note("［2］见前文。"), Some((2, "见前文。")));
        assert_eq!(numbered_note("1这是页脚的注释。"), Some((1, "这是页脚的注释。")));
        assert_eq!(numbered_note("12 “第一岛链”之说。"), Some((12, "“第一岛链”之说。")));
        for text in [
            "2019年，中美建交",
            "3种方式",
            "1. 列表",
            "1、列表",
            "1978-12-16",
            "[1]",
            "12",
        ] {
            assert_eq!(numbered_note(text), None, "{text}");
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("的领域。"));
        assert!(ends_sentence("“智者”。”"));
        assert!(ends_sentence("发生。6"));
        assert!(ends_sentence("发生。[6]"));
        assert!(!ends_sentence("见文献[6]"));
        assert!(!ends_sentence("，习"));
        assert!(!ends_sentence("( Frank Press)"));
    }
}
