//! The embedded dictionary: the CC-CEDICT lines of `data/cedict.txt` and the
//! hash table `build.rs` made of them. Nothing is parsed at start-up: a
//! lookup hashes the string, probes the table and reads the lines it points
//! to, so a build that looks up few words pays for few.

#[cfg(feature = "dictionary")]
static TEXT: &str = include_str!("../../data/cedict.txt");
#[cfg(not(feature = "dictionary"))]
static TEXT: &str = "";

/// Little-endian u64 slots: fingerprint (high 32 bits, never 0) and value.
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cedict.table"));

/// The flags of each single character from `FIRST_CHAR` on, one byte each
/// (`Flags::bits`), also made by build.rs: empty without the dictionary.
static CHAR_FLAGS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cedict.chars"));
/// The first character `CHAR_FLAGS` covers (U+3400), and how many it covers
/// (to U+9FFF, Extension A and the unified block).
pub const FIRST_CHAR: u32 = 0x3400;
pub const CHARS: usize = 0x9FFF - 0x3400 + 1;

const PREFIX: u32 = 1 << 31;
const SUFFIX: u32 = 1 << 30;
const NO_LINE: u32 = SUFFIX - 1;

/// Whether the dictionary is built in (the `dictionary` cargo feature).
pub fn available() -> bool {
    !TABLE.is_empty()
}

/// What the dictionary knows of a string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// It is a headword.
    pub word: bool,
    /// A longer headword starts with it.
    pub prefix: bool,
    /// A longer headword ends with it.
    pub suffix: bool,
}

impl Flags {
    /// One byte: 1 word, 2 prefix, 4 suffix (build.rs writes the same).
    pub fn bits(self) -> u8 {
        u8::from(self.word) | (u8::from(self.prefix) << 1) | (u8::from(self.suffix) << 2)
    }

    pub fn from_bits(bits: u8) -> Flags {
        Flags {
            word: bits & 1 != 0,
            prefix: bits & 2 != 0,
            suffix: bits & 4 != 0,
        }
    }

    pub fn or(self, other: Flags) -> Flags {
        Flags {
            word: self.word || other.word,
            prefix: self.prefix || other.prefix,
            suffix: self.suffix || other.suffix,
        }
    }
}

/// FNV-1a, 64 bits, as `build.rs` hashes.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn slot(i: usize) -> u64 {
    let bytes: [u8; 8] = TABLE[i * 8..i * 8 + 8].try_into().expect("eight bytes");
    u64::from_le_bytes(bytes)
}

/// The table's value for `s`: the offset of its first line and its flags.
/// A word is confirmed against its line of the text; `trusted` takes the
/// 32-bit fingerprint's word for it instead. The segmenter asks millions of
/// times, and the text is megabytes away in memory (a cache miss each
/// time); a collision there (about one in 2^31 lookups, the same every
/// build) at worst cuts one word differently, while `entries` still reads
/// only lines of the word itself.
fn probe_with(s: &str, trusted: bool) -> Option<u32> {
    if TABLE.is_empty() || s.is_empty() {
        return None;
    }
    let mask = TABLE.len() / 8 - 1;
    let h = hash(s.as_bytes());
    let fingerprint = (h >> 32) as u32 | 1;
    let mut i = h as usize & mask;
    loop {
        let entry = slot(i);
        if entry == 0 {
            return None;
        }
        if (entry >> 32) as u32 == fingerprint {
            let value = entry as u32;
            let line = (value & NO_LINE) as usize;
            if trusted || value & NO_LINE == NO_LINE {
                // Only a prefix or suffix: trusted on its fingerprint (a
                // collision costs one more lookup, never a wrong word).
                return Some(value);
            }
            let rest = &TEXT.as_bytes()[line..];
            if rest.starts_with(s.as_bytes()) && rest.get(s.len()) == Some(&b'\t') {
                return Some(value);
            }
        }
        i = (i + 1) & mask;
    }
}

fn probe(s: &str) -> Option<u32> {
    probe_with(s, false)
}

/// The flags of the single characters from `FIRST_CHAR` on, by
/// `c - FIRST_CHAR`: `CHARS` bytes, or none without the dictionary.
pub fn char_flags() -> &'static [u8] {
    CHAR_FLAGS
}

pub fn flags(s: &str) -> Flags {
    match probe_with(s, true) {
        None => Flags::default(),
        Some(value) => Flags {
            word: value & NO_LINE != NO_LINE,
            prefix: value & PREFIX != 0,
            suffix: value & SUFFIX != 0,
        },
    }
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
    let start = probe(word)
        .map(|v| (v & NO_LINE) as usize)
        .filter(|&line| line != NO_LINE as usize);
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

/// A dictionary reading written as one word (汉语拼音正词法): the syllables
/// joined, an apostrophe before a syllable that begins with a, o or e.
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
    fn words_prefixes_and_suffixes_are_known() {
        let f = flags("国防");
        assert!(f.word && f.prefix, "{f:?}");
        assert!(flags("国防部长").word);
        assert!(flags("防部长").suffix);
        assert!(!flags("防部长").word);
        assert_eq!(flags("qqq"), Flags::default());
    }

    #[test]
    fn heteronyms_have_their_word_reading() {
        let reading = |w: &str| join_syllables(main_entry(w).unwrap().pinyin);
        assert_eq!(reading("重要"), "zhòngyào");
        assert_eq!(reading("重新"), "chóngxīn");
        assert_eq!(reading("进行"), "jìnxíng");
        assert_eq!(reading("行动"), "xíngdòng");
        assert_eq!(reading("作为"), "zuòwéi");
        assert_eq!(reading("为了"), "wèile");
        assert_eq!(reading("了"), "le");
        assert_eq!(reading("西安"), "Xī'ān");
    }

    #[test]
    fn entries_carry_traditional_forms_and_senses() {
        let entry = main_entry("国防部长").unwrap();
        assert_eq!(entry.traditional, Some("國防部長"));
        assert!(entry.senses.contains("Defense"), "{}", entry.senses);
        assert!(entries("重").count() >= 2);
    }
}
