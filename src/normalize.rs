//! Text normalisation for matching what a reader types against the text:
//! full-width forms folded to half width, Latin letters lowercased and their
//! accents (pinyin tone marks included) removed, white space dropped. Search
//! uses it at build time, and static/search.js applies the same table to the
//! query; anything that compares pinyin without tones can share it. It does
//! not segment Chinese: Chinese is matched as an exact substring.

/// One character folded: full width to half width (U+FF01–FF5E, the
/// ideographic space), Latin letters lowercased without accents (ǚ → u).
/// static/search.js `fold` is the same table.
#[inline]
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Most of the text: nothing to fold, and the tables below are slow.
    if crate::chars::is_han(c) || is_caseless_punctuation(c) {
        return c;
    }
    // A reader types pinyin's ü as u.
    match pinyin_letter(c) {
        'v' => return 'u',
        plain if plain.is_ascii() => return plain,
        _ => {}
    }
    // Other accented Latin letters, as names and loanwords have them.
    match c.to_lowercase().next().unwrap_or(c) {
        'â' | 'ä' | 'ã' | 'å' => 'a',
        'ê' | 'ë' => 'e',
        'î' | 'ï' => 'i',
        'ô' | 'ö' | 'õ' => 'o',
        'û' => 'u',
        'ń' | 'ň' | 'ǹ' | 'ñ' => 'n',
        'ç' => 'c',
        'ḿ' => 'm',
        other => other,
    }
}

/// Pinyin's vowels with tone marks, and ü, with the plain letter each stands
/// for (ü as v, as pinyin keyboards write it). The one tone-mark table: the
/// pinyin check, the glossary's dictionary order and search all read it.
const PINYIN_VOWELS: &[(char, char)] = &[
    ('ā', 'a'),
    ('á', 'a'),
    ('ǎ', 'a'),
    ('à', 'a'),
    ('ē', 'e'),
    ('é', 'e'),
    ('ě', 'e'),
    ('è', 'e'),
    ('ī', 'i'),
    ('í', 'i'),
    ('ǐ', 'i'),
    ('ì', 'i'),
    ('ō', 'o'),
    ('ó', 'o'),
    ('ǒ', 'o'),
    ('ò', 'o'),
    ('ū', 'u'),
    ('ú', 'u'),
    ('ǔ', 'u'),
    ('ù', 'u'),
    ('ǖ', 'v'),
    ('ǘ', 'v'),
    ('ǚ', 'v'),
    ('ǜ', 'v'),
    ('ü', 'v'),
];

/// The plain lowercase letter a pinyin letter stands for, tone mark removed
/// and ü written v; any other character lowercased.
pub fn pinyin_letter(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    PINYIN_VOWELS
        .iter()
        .find(|(toned, _)| *toned == lower)
        .map_or(lower, |&(_, plain)| plain)
}

/// Pinyin without tone marks, spaces or apostrophes, lowercase:
/// "Dìyuán zhèngzhì" and "di'yuan zhengzhi" both become "diyuanzhengzhi".
pub fn toneless_pinyin(pinyin: &str) -> String {
    pinyin
        .chars()
        .map(fold_char)
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A key of the search index: what a query that matches a text has in
/// common with it (static/search.js takes the same keys from a query).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key<'w> {
    /// A letter or digit that is not ASCII (a Chinese character, mostly): a
    /// query with no pair (one character, or characters apart) is found by
    /// these alone.
    Single(char),
    /// Two adjacent characters of the text folded with its white space left
    /// out ("台 湾" has 台湾: a Chinese substring is matched so), both
    /// letters or digits and not both ASCII.
    Pair(char, char),
    /// A Latin word of two characters or more: a run of ASCII letters and
    /// digits after folding, which anything else ends, white space too
    /// ("Taiwan's" has "taiwan").
    Word(&'w str),
}

/// Every key of `text`, in order, repeats included: one pass over its
/// folded characters (the search index takes the keys of every text of a
/// site so, without a copy of it).
pub fn index_keys(text: &str, mut key: impl FnMut(Key<'_>)) {
    let mut previous = (KeyClass::Other, '\0');
    let mut word = String::new();
    for c in text.chars().map(fold_char) {
        let class = key_class(c);
        if class == KeyClass::Ascii {
            word.push(c);
        } else {
            if word.len() >= 2 {
                key(Key::Word(&word));
            }
            word.clear();
            if c.is_whitespace() {
                continue;
            }
            if class == KeyClass::Letter {
                key(Key::Single(c));
            }
        }
        if pair_is_key(previous.0, class) {
            key(Key::Pair(previous.1, c));
        }
        previous = (class, c);
    }
    if word.len() >= 2 {
        key(Key::Word(&word));
    }
}

/// What a character of folded text is to the search index: a letter or
/// digit that is not ASCII (a Chinese character, mostly: a key by itself and
/// in pairs), an ASCII one (Latin text is indexed by words), or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyClass {
    Letter,
    Ascii,
    Other,
}

#[inline]
fn key_class(c: char) -> KeyClass {
    if c.is_ascii_alphanumeric() {
        KeyClass::Ascii
    } else if is_caseless_punctuation(c) {
        KeyClass::Other
    } else if is_letter(c) {
        KeyClass::Letter
    } else {
        KeyClass::Other
    }
}

/// Whether two adjacent characters, by their classes, make a key.
#[inline]
fn pair_is_key(a: KeyClass, b: KeyClass) -> bool {
    a != KeyClass::Other && b != KeyClass::Other && !(a == KeyClass::Ascii && b == KeyClass::Ascii)
}

/// Chinese text's punctuation that is not full width (“”、。《》「」…):
/// General Punctuation and the part of CJK Symbols and Punctuation that
/// holds no letter or number (U+3005–3007 and U+3021 on are some). Neither
/// letters nor cased, they are told apart before the slow tables.
fn is_caseless_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3001}'..='\u{3004}' | '\u{3008}'..='\u{3020}')
}

fn is_letter(c: char) -> bool {
    // The common Han blocks first (every character in them is a letter):
    // nearly every character is one of them, and `is_alphanumeric` looks
    // each up in a table.
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}') || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_han_blocks_is_bigram_takes_first_are_all_letters() {
        let blocks = ('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}');
        assert!(blocks.into_iter().all(char::is_alphanumeric));
    }

    /// The keys of `text` as the index spells them: a pair as its two
    /// characters, a single character alone.
    fn keys(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        index_keys(text, |key| {
            found.push(match key {
                Key::Single(c) => c.to_string(),
                Key::Pair(a, b) => format!("{a}{b}"),
                Key::Word(w) => format!("word:{w}"),
            })
        });
        found
    }

    #[test]
    fn full_width_forms_fold_to_half_width() {
        assert_eq!(keys("ＴＲＡ　１９７９年"), ["word:tra", "word:1979", "年", "9年"]);
        assert_eq!(keys("台 湾\n关系"), ["台", "湾", "台湾", "关", "湾关", "系", "关系"]);
    }

    #[test]
    fn tones_and_spaces_do_not_matter_in_pinyin() {
        assert_eq!(toneless_pinyin("Dìyuán zhèngzhì"), "diyuanzhengzhi");
        assert_eq!(toneless_pinyin("lǜchá"), "lucha");
        assert_eq!(toneless_pinyin("Xī'ān"), "xian");
    }

    #[test]
    fn words_are_folded_latin_runs() {
        let found: Vec<String> = keys("The U.S.–China Táiwān Relations Act, 1979年")
            .into_iter()
            .filter_map(|k| k.strip_prefix("word:").map(str::to_owned))
            .collect();
        // "u" and "s" are words too, but a letter alone is no key.
        assert_eq!(found, ["the", "china", "taiwan", "relations", "act", "1979"]);
    }

    #[test]
    fn punctuation_told_apart_early_is_what_the_tables_say() {
        for c in ('\u{2000}'..='\u{206F}').chain('\u{3000}'..='\u{303F}') {
            if is_caseless_punctuation(c) {
                assert!(!c.is_alphanumeric(), "{c:?}");
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
                assert_eq!(pinyin_letter(c), c, "{c:?}");
            }
        }
        assert!(is_caseless_punctuation('“') && is_caseless_punctuation('。') && is_caseless_punctuation('《'));
        assert!(!is_caseless_punctuation('〇') && !is_caseless_punctuation('々'));
    }

    #[test]
    fn chinese_pairs_are_keys_latin_pairs_are_not() {
        assert!(keys("台湾").contains(&"台湾".to_owned()));
        assert!(keys("9年").contains(&"9年".to_owned()));
        assert!(!keys("ab").contains(&"ab".to_owned()));
        assert!(!keys("台，").iter().any(|k| k.chars().count() == 2));
    }
}
