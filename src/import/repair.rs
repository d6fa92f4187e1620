//! Repairs of PDF-extraction artefacts inside one paragraph of text: full-width
//! Latin letters, ASCII punctuation inside Chinese, stray spaces. It works on
//! text that is already joined into paragraphs; it never decides structure.
//!
//! Chinese text (`repair_zh`), in this order:
//! 1. full-width Latin letters and digits become ASCII (`Ｒelations` → `Relations`);
//! 2. a full-width full stop after a Latin letter becomes `.` (`U．S．` → `U.S.`);
//! 3. a full-width hyphen before a Latin letter or digit becomes `-` (`F－16`, `歼－8`);
//! 4. a triple em dash (`———`) becomes the Chinese dash `——`;
//! 5. ASCII `: ; ? ! ,` next to Chinese become `： ； ？ ！ ，`, and a pair of ASCII
//!    parentheses next to or around Chinese becomes `（…）`;
//! 6. spaces go between Chinese and anything (so `1978 年 12 月` → `1978年12月`; the
//!    theme's `text-autospace` draws the gap), inside brackets and around `/`.
//!
//! No NFKC: it would turn Chinese punctuation into ASCII. English text
//! (`repair_en`) becomes all ASCII except typographic quotes.

pub use crate::chars::is_han;

/// Chinese punctuation: never has a space beside it.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}'
        | '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Han or Chinese punctuation: the characters that make a context Chinese.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Repairs one paragraph (or title, heading, abstract) of Chinese text.
pub fn repair_zh(text: &str) -> String {
    let text = fullwidth_latin_to_ascii(text);
    let text = fullwidth_stop_after_latin(&text);
    let text = fullwidth_hyphen_before_latin(&text);
    let text = text.replace("———", "——");
    let text = chinese_punctuation_in_context(&text);
    let text = chinese_parentheses_in_context(&text);
    tidy_spaces_zh(&text)
}

/// The light repair for mixed text whose spaces carry meaning (references,
/// an affiliation with its postcode): full-width Latin to ASCII, runs of
/// spaces to one.
pub fn tidy(text: &str) -> String {
    collapse_spaces(&fullwidth_latin_to_ascii(text)).trim().to_string()
}

/// Repairs the English abstract: ASCII punctuation with one space after it.
pub fn repair_en(text: &str) -> String {
    let text = fullwidth_latin_to_ascii(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '，' => out.push_str(", "),
            '．' => out.push('.'),
            '：' => out.push_str(": "),
            '；' => out.push_str("; "),
            '？' => out.push_str("? "),
            '！' => out.push_str("! "),
            '（' => out.push_str(" ("),
            '）' => out.push(')'),
            '－' => out.push('-'),
            _ => out.push(c),
        }
    }
    let out = close_initialisms(&out);
    let out = tidy_brackets(&collapse_spaces(&out));
    // A comma that had a space before it in the source (`word ，`) keeps none.
    out.replace(" ,", ",")
        .replace("“ ", "“")
        .replace(" ”", "”")
        .trim()
        .to_string()
}

/// Repairs of OCR and extraction artefacts in one visual line, each described
/// so the summary can list it by line: full-width digits and Latin letters,
/// spaces between Han characters (OCR and justified text put them there), and
/// `○` or a Latin `O` standing for a zero in a year (`二○一九年`, `2O19年`).
pub fn repair_ocr_line(text: &str) -> (String, Vec<String>) {
    let mut repairs = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let wide: String = chars
        .iter()
        .filter(|c| matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'))
        .collect();
    if !wide.is_empty() {
        repairs.push(format!("full-width {wide} → {}", fullwidth_latin_to_ascii(&wide)));
    }
    let chars: Vec<char> = fullwidth_latin_to_ascii(text).chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut spaces, mut zeros) = (0, Vec::new());
    let numeral = |c: Option<&char>| c.is_some_and(|c| "〇○一二三四五六七八九".contains(*c));
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        if c == ' ' {
            let before = out.chars().last();
            let after = chars[i..].iter().find(|c| **c != ' ');
            // The space after a heading's numeral (`一 中美…`) is kept.
            if before.is_some_and(is_han) && after.is_some_and(|c| is_han(*c)) && out.chars().count() > 3 {
                spaces += 1;
                continue;
            }
        }
        if c == '○'
            && (numeral(prev) || numeral(next))
            && (numeral(prev) && numeral(next) || chars[i..].iter().take(4).any(|c| *c == '年'))
        {
            zeros.push("○ → 〇".to_string());
            out.push('〇');
            continue;
        }
        let digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
        if matches!(c, 'O' | 'o' | '〇' | '○') && digit(prev) && (digit(next) || next == Some(&'年')) {
            zeros.push(format!("{c} → 0 in a number"));
            out.push('0');
            continue;
        }
        out.push(c);
    }
    if spaces > 0 {
        repairs.push(format!("{spaces} spaces between Han characters removed"));
    }
    repairs.extend(zeros);
    (out, repairs)
}

/// Ｒ → R, ｆ → f, ２ → 2. Full-width Latin is an artefact in these journals' PDFs.
fn fullwidth_latin_to_ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// `U．S．` → `U.S.`, `W． Weinberger` → `W. Weinberger`.
fn fullwidth_stop_after_latin(text: &str) -> String {
    map_with_neighbours(text, |prev, c, _next| match (prev, c) {
        (Some(p), '．') if p.is_ascii_alphabetic() => '.',
        _ => c,
    })
}

/// `F－16`, `EP－3`, `歼－8` → `F-16`, `EP-3`, `歼-8`.
fn fullwidth_hyphen_before_latin(text: &str) -> String {
    map_with_neighbours(text, |_prev, c, next| match (c, next) {
        ('－', Some(n)) if n.is_ascii_alphanumeric() => '-',
        _ => c,
    })
}

/// `关系: 从` → `关系：从`; `竞争对手?` → `竞争对手？`. Only where the nearest
/// character on the left is Chinese, or on the right when the left is not Latin,
/// so `12:30` or `a, b` inside an English name stay as they are.
fn chinese_punctuation_in_context(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let full = match c {
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            ',' => '，',
            _ => {
                out.push(c);
                continue;
            }
        };
        let left = nearest_non_space(chars[..i].iter().rev());
        let right = nearest_non_space(chars[i + 1..].iter());
        let left_chinese = left.is_some_and(is_cjk);
        let left_latin = left.is_some_and(|l| l.is_ascii_alphanumeric());
        let right_chinese = right.is_some_and(is_cjk);
        if left_chinese || (!left_latin && right_chinese) {
            out.push(full);
        } else {
            out.push(c);
        }
    }
    out
}

/// `( Impeccable)` → `（Impeccable）` when the pair sits in Chinese: Chinese just
/// before `(`, just after `)`, or inside.
fn chinese_parentheses_in_context(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..chars.len() {
        match chars[i] {
            '(' => open.push(i),
            ')' => {
                let Some(start) = open.pop() else { continue };
                let before = nearest_non_space(chars[..start].iter().rev());
                let after = nearest_non_space(chars[i + 1..].iter());
                let inside = chars[start + 1..i].iter().any(|&c| is_han(c));
                if before.is_some_and(is_cjk) || after.is_some_and(is_cjk) || inside {
                    chars[start] = '（';
                    chars[i] = '）';
                }
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Drops every space that touches Chinese, sits just inside a bracket, or
/// around a slash; collapses the rest to one.
fn tidy_spaces_zh(text: &str) -> String {
    let collapsed = collapse_spaces(text);
    let chars: Vec<char> = collapsed.chars().collect();
    let mut out = String::with_capacity(collapsed.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let touches = |x: Option<char>| x.is_some_and(|x| is_cjk(x) || x == '/');
            if touches(prev) || touches(next) || prev == Some('(') || next == Some(')') {
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// `( text )` → `(text)` in English.
fn tidy_brackets(text: &str) -> String {
    text.replace("( ", "(").replace(" )", ")")
}

/// Runs of white space become one space.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// `U. S.-led` → `U.S.-led`: the PDF put a space inside the initialism.
fn close_initialisms(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let initial_before = i >= 2
            && chars[i - 1] == '.'
            && chars[i - 2].is_ascii_uppercase()
            && (i < 3 || !chars[i - 3].is_ascii_alphabetic());
        let initial_after = chars.get(i + 1).is_some_and(|n| n.is_ascii_uppercase()) && chars.get(i + 2) == Some(&'.');
        if c == ' ' && initial_before && initial_after {
            continue;
        }
        out.push(c);
    }
    out
}

fn nearest_non_space<'a>(mut chars: impl Iterator<Item = &'a char>) -> Option<char> {
    chars.find(|c| !c.is_whitespace()).copied()
}

fn map_with_neighbours(text: &str, f: impl Fn(Option<char>, char, Option<char>) -> char) -> String {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .map(|i| f(i.checked_sub(1).map(|p| chars[p]), chars[i], chars.get(i + 1).copied()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_repairs_are_listed() {
        let (text, repairs) = repair_ocr_line("这里是宣 布 两 国 于 1979 年 ２０１９ 二○一九年 2O19年");
        assert_eq!(text, "这里是宣布两国于 1979 年 2019 二〇一九年 2019年");
        assert_eq!(repairs.len(), 4, "{repairs:?}");
        assert_eq!(repair_ocr_line("圆圈○符号").0, "圆圈○符号");
        assert!(repair_ocr_line("Oslo 2 Ok").1.is_empty());
    }

    #[test]
    fn fullwidth_latin_becomes_ascii() {
        assert_eq!(
            repair_zh("“与台湾关系法”( Taiwan Ｒelations Act，TＲA) ，继续"),
            "“与台湾关系法”（Taiwan Relations Act，TRA），继续"
        );
        assert_eq!(repair_zh("条约》( New STAＲT) 的意愿"), "条约》（New START）的意愿");
    }

    #[test]
    fn fullwidth_stop_inside_english_becomes_ascii() {
        assert_eq!(
            repair_zh("温伯格( Caspar W． Weinberger) 访华"),
            "温伯格（Caspar W. Weinberger）访华"
        );
        assert_eq!(
            repair_en("China and the U．S． established"),
            "China and the U.S. established"
        );
    }

    #[test]
    fn fullwidth_hyphen_between_latin_or_digits() {
        assert_eq!(repair_zh("出售 150 架 F－16 战斗机"), "出售150架F-16战斗机");
        assert_eq!(
            repair_zh("美国 EP－3 侦察机与中国歼－8 战斗"),
            "美国EP-3侦察机与中国歼-8战斗"
        );
    }

    #[test]
    fn spaces_inside_brackets_go() {
        assert_eq!(
            repair_zh("“无瑕号”( Impeccable) 、2010 年"),
            "“无瑕号”（Impeccable）、2010年"
        );
        assert_eq!(repair_en("Da Wei ( 20)"), "Da Wei (20)");
    }

    #[test]
    fn no_space_between_chinese_and_latin_or_digits() {
        assert_eq!(repair_zh("1978 年 12 月 16 日"), "1978年12月16日");
        assert_eq!(repair_zh("人工智能( AI) 等"), "人工智能（AI）等");
        assert_eq!(
            repair_zh("在所谓“四国机制”( the Quad) 中"),
            "在所谓“四国机制”（the Quad）中"
        );
    }

    #[test]
    fn ascii_punctuation_in_chinese_becomes_full_width() {
        assert_eq!(
            repair_zh("中美军事关系: 从准同盟到竞争对手?"),
            "中美军事关系：从准同盟到竞争对手？"
        );
        assert_eq!(repair_zh("表现在: 尽管"), "表现在：尽管");
        assert_eq!(repair_zh("大使馆; 2001 年"), "大使馆；2001年");
        assert_eq!(
            repair_zh("战略安全对话( 2017 年后升级为外交与安全对话) 、国防部"),
            "战略安全对话（2017年后升级为外交与安全对话）、国防部"
        );
        assert_eq!(
            repair_zh("会晤( Defense Policy Coordination Talk，DPCT) 、国防部"),
            "会晤（Defense Policy Coordination Talk，DPCT）、国防部"
        );
    }

    #[test]
    fn latin_punctuation_between_latin_stays() {
        assert_eq!(repair_zh("美日澳三国的 2+2+2 会议"), "美日澳三国的2+2+2会议");
        assert_eq!(repair_zh("时间 12:30 开始"), "时间12:30开始");
    }

    #[test]
    fn slash_loses_its_spaces() {
        assert_eq!(
            repair_zh("“区域拒止 /反介入”( AD /A2) 作战"),
            "“区域拒止/反介入”（AD/A2）作战"
        );
    }

    #[test]
    fn triple_em_dash_becomes_chinese_dash() {
        assert_eq!(repair_zh("重大进展———签署了"), "重大进展——签署了");
    }

    #[test]
    fn chinese_punctuation_is_not_normalised_away() {
        assert_eq!(
            repair_zh("中美建交后，军事领域；《公报》“原则”。"),
            "中美建交后，军事领域；《公报》“原则”。"
        );
    }

    #[test]
    fn english_abstract_becomes_ascii() {
        assert_eq!(
            repair_en("Taiwan，U．S．-led military relations． At the present"),
            "Taiwan, U.S.-led military relations. At the present"
        );
        assert_eq!(
            repair_en("between China and the U． S．-led Asia"),
            "between China and the U.S.-led Asia"
        );
        assert_eq!(
            repair_en("enhancing “crises-control” regimes"),
            "enhancing “crises-control” regimes"
        );
    }
}
