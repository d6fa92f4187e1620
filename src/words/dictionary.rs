//! The embedded dictionary: the CC-CEDICT lines of `data/cedict.txt` and the
//! trie of their headwords `build.rs` made of them. Nothing is parsed at
//! start-up: a lookup walks the trie to the word's first line and reads the
//! lines from there, so a build that looks up few words pays for few.

use std::sync::OnceLock;

use crawdad::Trie;

#[cfg(feature = "dictionary")]
static TEXT: &str = include_str!("../../data/cedict.txt");
#[cfg(not(feature = "dictionary"))]
static TEXT: &str = "";

/// The trie build.rs made of the headwords (`crawdad::Trie`, serialised),
/// each word's value the offset of its first line in `TEXT`: empty without
/// the dictionary.
static TRIE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cedict.trie"));

/// Whether the dictionary is built in (the `dictionary` cargo feature).
pub fn available() -> bool {
    !TRIE.is_empty()
}

/// The headwords' trie, or none without the dictionary. Read from the
/// embedded bytes the first time it is asked for (about a millisecond), then
/// shared: it is constant data, like `TEXT`, and every build of a `serve`
/// session and every lexicon of a build use the same.
pub fn words() -> Option<&'static Trie> {
    static WORDS: OnceLock<Option<Trie>> = OnceLock::new();
    WORDS
        .get_or_init(|| available().then(|| Trie::deserialize_from_slice(TRIE).0))
        .as_ref()
}

/// One dictionary entry (a word may have several, one per reading).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub simplified: &'static str,
    /// None where it is the simplified form.
    pub traditional: Option<&'static str>,
    /// Tone marks, one syllable per character, separated by spaces.
    pub pinyin: &'static str,
    /// Up to three senses, separated by " / ".
    pub senses: &'static str,
}

/// Every entry of `word`, in the file's order (by reading).
pub fn entries(word: &str) -> impl Iterator<Item = Entry> {
    let start = words()
        .and_then(|trie| trie.exact_match(word.chars()))
        .map(|at| at as usize);
    start
        .into_iter()
        .flat_map(|start| TEXT[start..].lines())
        .map_while(move |line| {
            let mut fields = line.split('\t');
            let simplified = fields.next()?;
            if simplified != word {
                return None;
            }
            let traditional = fields.next().filter(|t| !t.is_empty());
            let pinyin = fields.next().unwrap_or("");
            let senses = fields.next().unwrap_or("");
            Some(Entry {
                simplified,
                traditional,
                pinyin,
                senses,
            })
        })
}

/// Readings of single characters that CC-CEDICT lists under several: the
/// one a character standing alone in modern prose has most often.
const SINGLE_READINGS: &[(&str, &str)] = &[
    ("了", "le"),
    ("的", "de"),
    ("地", "de"),
    ("得", "de"),
    ("着", "zhe"),
    ("过", "guò"),
    ("还", "hái"),
    ("长", "cháng"),
    ("为", "wèi"),
    ("行", "xíng"),
    ("重", "zhòng"),
    ("要", "yào"),
    ("只", "zhǐ"),
    ("将", "jiāng"),
    ("种", "zhǒng"),
    ("都", "dōu"),
    ("和", "hé"),
    ("与", "yǔ"),
    ("处", "chù"),
    ("数", "shù"),
    ("没", "méi"),
    ("便", "biàn"),
    ("更", "gèng"),
    ("好", "hǎo"),
    ("少", "shǎo"),
    ("大", "dà"),
    ("中", "zhōng"),
    ("发", "fā"),
    ("干", "gàn"),
    ("相", "xiāng"),
    ("应", "yīng"),
    ("当", "dāng"),
    ("分", "fēn"),
    ("看", "kàn"),
    ("差", "chà"),
    ("调", "diào"),
    ("量", "liàng"),
    ("似", "sì"),
    ("率", "lǜ"),
    ("朝", "cháo"),
    ("乐", "lè"),
    ("倒", "dào"),
    ("正", "zhèng"),
    ("觉", "jué"),
    ("兴", "xīng"),
    ("曾", "céng"),
    ("给", "gěi"),
    ("传", "chuán"),
    ("强", "qiáng"),
    ("参", "cān"),
    ("称", "chēng"),
    ("冲", "chōng"),
    ("那", "nà"),
    ("哪", "nǎ"),
    ("一", "yī"),
    ("不", "bù"),
    ("角", "jiǎo"),
    ("解", "jiě"),
    ("难", "nán"),
    ("假", "jiǎ"),
    ("校", "xiào"),
    ("省", "shěng"),
    ("弹", "dàn"),
    ("降", "jiàng"),
    ("供", "gōng"),
    ("禁", "jìn"),
    ("薄", "báo"),
    ("系", "xì"),
    ("空", "kōng"),
];

/// The entry whose reading a word most likely has here: a fixed reading
/// for a few single characters, else the first common-noun reading (lower
/// case) before names, else the first.
pub fn main_entry(word: &str) -> Option<Entry> {
    if let Some((_, reading)) = SINGLE_READINGS.iter().find(|(w, _)| *w == word)
        && let Some(entry) = entries(word).find(|e| e.pinyin == *reading)
    {
        return Some(entry);
    }
    let mut first = None;
    for entry in entries(word) {
        if entry.pinyin.starts_with(|c: char| c.is_lowercase()) {
            return Some(entry);
        }
        first.get_or_insert(entry);
    }
    first
}

/// A dictionary reading written as one word (汉语拼音正词法): its syllables
/// joined, but a name of several parts, which the dictionary writes with a
/// capital for each (`Zhōng huá Rén mín Gòng hé guó`), parted before each
/// capital: `Zhōnghuá Rénmín Gònghéguó`.
pub fn write_as_word(spaced: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut part = String::new();
    for syllable in spaced.split_whitespace() {
        if !part.is_empty() && syllable.starts_with(char::is_uppercase) {
            parts.push(join_syllables(&part));
            part.clear();
        }
        part.push_str(syllable);
        part.push(' ');
    }
    parts.push(join_syllables(&part));
    parts.join(" ")
}

/// Syllables joined, an apostrophe before a syllable that begins with a,
/// o or e.
pub fn join_syllables(spaced: &str) -> String {
    let mut out = String::with_capacity(spaced.len());
    for (i, syllable) in spaced.split_whitespace().enumerate() {
        if i > 0 && syllable.starts_with(|c: char| "aāáǎàoōóǒòeēéěè".contains(c)) {
            out.push('\'');
        }
        out.push_str(syllable);
    }
    out
}

#[cfg(all(test, feature = "dictionary"))]
mod tests {
    use super::*;

    #[test]
    fn headwords_and_only_headwords_have_entries() {
        assert_eq!(entries("国防部长").next().map(|e| e.simplified), Some("国防部长"));
        assert!(entries("国防").all(|e| e.simplified == "国防"));
        assert_eq!(entries("防部长").count(), 0);
        assert_eq!(entries("qqq").count(), 0);
        assert_eq!(entries("").count(), 0);
    }

    #[test]
    fn heteronyms_have_their_word_reading() {
        let reading = |w: &str| write_as_word(main_entry(w).unwrap().pinyin);
        assert_eq!(reading("重要"), "zhòngyào");
        assert_eq!(reading("重新"), "chóngxīn");
        assert_eq!(reading("进行"), "jìnxíng");
        assert_eq!(reading("行动"), "xíngdòng");
        assert_eq!(reading("作为"), "zuòwéi");
        assert_eq!(reading("为了"), "wèile");
        assert_eq!(reading("了"), "le");
        assert_eq!(reading("西安"), "Xī'ān");
        assert_eq!(reading("中华人民共和国"), "Zhōnghuá Rénmín Gònghéguó");
        assert_eq!(write_as_word("Yà Tài"), "Yà Tài");
        assert_eq!(write_as_word("Měi guó"), "Měiguó");
    }

    #[test]
    fn entries_carry_traditional_forms_and_senses() {
        let entry = main_entry("国防部长").unwrap();
        assert_eq!(entry.traditional, Some("國防部長"));
        assert!(entry.senses.contains("Defense"), "{}", entry.senses);
        assert!(entries("重").count() >= 2);
    }
}
