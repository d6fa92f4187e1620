//! Checking a term's pinyin against its headword: one syllable per Chinese
//! character, every syllable real Mandarin, tone marks only where pinyin puts
//! them. Advisory only (warnings): names and loanwords have odd romanisations.

const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y",
    "w", "",
];
const FINALS: &[&str] = &[
    "iang", "iong", "uang", "ang", "eng", "ong", "ing", "ian", "iao", "uai", "uan", "van", "ai", "ei", "ao", "ou",
    "an", "en", "er", "ia", "ie", "iu", "in", "ua", "uo", "ui", "un", "ue", "ve", "vn", "a", "o", "e", "i", "u", "v",
];

#[derive(Debug, PartialEq, Eq)]
pub enum PinyinProblem {
    /// A character that is neither a letter of pinyin nor a separator.
    BadCharacter(char),
    /// A run of letters that does not split into Mandarin syllables.
    NotPinyin(String),
    /// Fewer or more syllables than the headword has characters.
    Count { syllables: usize, characters: usize },
}

/// Counts Chinese characters, or none when the headword mixes in Latin
/// letters or digits (`F-16战斗机`), whose reading pinyin does not fix.
pub fn han_characters(headword: &str) -> Option<usize> {
    let mut count = 0;
    for c in headword.chars() {
        if is_han(c) {
            count += 1;
        } else if !"·・《》“”（）、—-".contains(c) {
            return None;
        }
    }
    Some(count)
}

use crate::chars::is_han;
use crate::words::Lexicon;

/// A pinyin letter without its tone mark (ü as v), lowercase: the table
/// is `normalize`'s, shared with search.
pub fn toneless(c: char) -> char {
    crate::normalize::pinyin_letter(c)
}

pub fn check(pinyin: &str, headword: &str) -> Option<PinyinProblem> {
    let characters = han_characters(headword)?;
    let mut syllables = 0;
    for word in pinyin.split(|c: char| c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '·')) {
        let mut plain = String::new();
        for c in word.chars() {
            match toneless(c) {
                base if base.is_ascii_lowercase() => plain.push(base),
                _ if matches!(c, ',' | '.' | '(' | ')') => {}
                _ => return Some(PinyinProblem::BadCharacter(c)),
            }
        }
        if plain.is_empty() {
            continue;
        }
        match count_syllables(&plain) {
            Some(n) => syllables += n,
            None => return Some(PinyinProblem::NotPinyin(word.to_owned())),
        }
    }
    (syllables != characters).then_some(PinyinProblem::Count { syllables, characters })
}

/// Splits toneless pinyin (ü written v) into syllables, trying longer
/// syllables first and backing off, as `xian` may be `xi'an` or `xian`.
///
/// Dynamic programming from the end: `fewest[i]` is the answer for
/// `text[i..]`, so each position is worked out once from the table of
/// syllables, and the time is linear in the length of the text. At each
/// position the initials are tried in table order and the first initial with
/// which the rest splits wins, with the fewest syllables among its finals.
fn count_syllables(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut fewest: Vec<Option<usize>> = vec![None; bytes.len() + 1];
    fewest[bytes.len()] = Some(0);
    for at in (0..bytes.len()).rev() {
        let rest = &bytes[at..];
        fewest[at] = INITIALS.iter().find_map(|initial| {
            let after_initial = rest.strip_prefix(initial.as_bytes())?;
            let start = at + (rest.len() - after_initial.len());
            FINALS
                .iter()
                .filter(|last| after_initial.starts_with(last.as_bytes()))
                .filter_map(|last| fewest[start + last.len()])
                .min()
                .map(|n| n + 1)
        });
    }
    fewest[0]
}

/// What the dictionary says about a headword's pinyin.
#[derive(Debug, PartialEq, Eq)]
pub enum Reading {
    /// The dictionary has the headword as one word, read `main` (its
    /// first common reading), and the term's pinyin is none of its readings.
    Differs { main: String },
    /// The term has no pinyin; the dictionary reads it so.
    Suggested(String),
}

/// Compares a term's pinyin (`None`: it has none) with the dictionary's
/// readings of its headword, word by word. Written per 汉语拼音正词法 (GB/T
/// 16159-2012): a word's syllables joined, words apart, names capitalised
/// as the dictionary writes them. Only a headword the dictionary has as one
/// word is compared, in any of its readings, and case, spaces and
/// apostrophes do not count: a curated reading of a phrase or a name is
/// the editors' to choose. `None` when there is nothing to say.
pub fn compare_with_dictionary(pinyin: Option<&str>, headword: &str, lexicon: &Lexicon) -> Option<Reading> {
    han_characters(headword).filter(|&n| n > 0)?;
    let Some(pinyin) = pinyin else {
        return suggestion(headword, lexicon).map(Reading::Suggested);
    };
    let written = comparable(pinyin);
    let mut readings = crate::words::dictionary::entries(headword).map(|e| e.pinyin).peekable();
    readings.peek()?;
    if readings.any(|reading| comparable(reading) == written) {
        return None;
    }
    crate::words::reading(headword).map(|main| Reading::Differs { main })
}

/// The headword's words, where the dictionary cuts it one way only, each
/// read as one word; a name the dictionary writes as one word
/// (`Tái wān Guān xì fǎ`) is parted before each capital. `None` if the cut
/// is a guess or a word has no reading.
fn suggestion(headword: &str, lexicon: &Lexicon) -> Option<String> {
    let words = lexicon.sure_words(headword)?;
    let mut out: Vec<String> = Vec::new();
    for word in words {
        out.push(crate::words::reading(&headword[word])?);
    }
    Some(out.join(" "))
}

/// Pinyin with case, spaces and the marks between syllables left out.
fn comparable(pinyin: &str) -> String {
    pinyin
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '-' | '·'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_pinyin_passes() {
        assert_eq!(check("Yǔ Táiwān Guānxì Fǎ", "与台湾关系法"), None);
        assert_eq!(check("Bùrèjīnsījī", "布热津斯基"), None);
        assert_eq!(check("Xī'ān", "西安"), None);
        assert_eq!(check("Zhōngměi Jiànjiāo Liánhé Gōngbào", "中美建交联合公报"), None);
        assert_eq!(check("F-16 zhàndòujī", "F-16战斗机"), None);
    }

    #[test]
    fn wrong_count_is_found() {
        assert_eq!(
            check("Táiwān", "台湾关系法"),
            Some(PinyinProblem::Count {
                syllables: 2,
                characters: 5
            })
        );
    }

    #[test]
    fn a_long_bad_value_is_checked_at_once() {
        // Tried split by split without memory, these took seconds at 20
        // syllables and minutes past 24; now each position is tried once.
        let long = "xianxianxianxianxianxianxianxianxianxianxianxianxianxianxianxian".repeat(40);
        assert_eq!(count_syllables(&long), Some(640));
        let bad = format!("{long}q");
        assert_eq!(count_syllables(&bad), None);
        let headword = "中".repeat(10);
        assert!(matches!(check(&bad, &headword), Some(PinyinProblem::NotPinyin(_))));
    }

    #[test]
    fn splits_as_before() {
        assert_eq!(count_syllables("xian"), Some(1));
        assert_eq!(count_syllables("xiian"), Some(2));
        assert_eq!(count_syllables("zhongguo"), Some(2));
        assert_eq!(count_syllables("qxian"), None);
        assert_eq!(count_syllables("burejinsiji"), Some(5));
        assert_eq!(count_syllables(""), Some(0));
    }

    #[test]
    fn tone_marks_come_off_in_either_case() {
        let plain: String = "ĀÁǍÀāĒēĪīǑōŪūǕǖÜüx".chars().map(toneless).collect();
        assert_eq!(plain, "aaaaaeeiioouuvvvvx");
    }

    #[test]
    fn bad_tone_marks_are_found() {
        assert_eq!(check("Tâiwān", "台湾"), Some(PinyinProblem::BadCharacter('â')));
        assert_eq!(check("Tqwān", "台湾"), Some(PinyinProblem::NotPinyin("Tqwān".into())));
    }
}

#[cfg(all(test, feature = "dictionary"))]
mod dictionary_tests {
    use super::*;

    fn compare(pinyin: Option<&str>, headword: &str) -> Option<Reading> {
        compare_with_dictionary(pinyin, headword, &Lexicon::new(true, []))
    }

    #[test]
    fn a_heteronym_read_otherwise_than_the_dictionary_is_found() {
        assert_eq!(
            compare(Some("zhòngxīn"), "重新"),
            Some(Reading::Differs {
                main: "chóngxīn".to_owned()
            })
        );
        assert_eq!(compare(Some("chóngxīn"), "重新"), None);
        assert_eq!(compare(Some("Chóng xīn"), "重新"), None, "case and spaces do not count");
        assert_eq!(compare(Some("xíngdòng"), "行动"), None);
    }

    #[test]
    fn any_reading_the_dictionary_lists_passes() {
        // 长 is cháng or zhǎng; 了 is le or liǎo: each a reading of its own entry.
        assert_eq!(compare(Some("zhǎng"), "长"), None);
        assert_eq!(compare(Some("cháng"), "长"), None);
    }

    #[test]
    fn a_phrase_or_a_name_the_dictionary_does_not_have_whole_is_not_compared() {
        assert_eq!(compare(Some("Yǔ Táiwān Guānxì Fǎ"), "与台湾关系法"), None);
        assert_eq!(compare(Some("anything"), "兹比格涅夫·布热津斯基"), None);
        assert_eq!(compare(Some("F-16 zhàndòujī"), "F-16战斗机"), None);
    }

    #[test]
    fn missing_pinyin_is_suggested_word_by_word() {
        assert_eq!(compare(None, "重新"), Some(Reading::Suggested("chóngxīn".to_owned())));
        assert_eq!(
            compare(None, "美国国防部长"),
            Some(Reading::Suggested("Měiguó guófángbùzhǎng".to_owned()))
        );
        assert_eq!(
            compare(None, "台湾关系法"),
            Some(Reading::Suggested("Táiwān Guānxìfǎ".to_owned())),
            "a name is parted at its capitals"
        );
        assert_eq!(
            compare(None, "反分裂国家法"),
            None,
            "cut two ways (国家/法, 国/家法): no guess"
        );
        assert_eq!(compare(None, "F-16战斗机"), None, "Latin letters: no suggestion");
    }
}
