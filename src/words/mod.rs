//! Words: Chinese text cut into words at build time. Owns the embedded
//! dictionary (CC-CEDICT, `dictionary`), the lexicon a site segments with
//! (the dictionary plus the glossary's forms) and the segmenter
//! (bidirectional maximum matching). The term matcher (`resolve::terms`)
//! uses it to refuse a match that would cut a word in two; the reader's
//! lookup data (`render::words`) uses it to list an article's words.

pub mod dictionary;

use std::ops::Range;

use rustc_hash::FxHashMap;

pub use dictionary::{Entry, Flags};

use crate::chars::is_han;

/// Longest word tried, in characters (CC-CEDICT's longest kept are 12).
const MAX_WORD: usize = 12;

/// The words a site segments with: the dictionary (when built in and
/// enabled) and extra words, the glossary's forms written in Han characters.
pub struct Lexicon {
    dictionary: bool,
    /// Extra words, with their proper prefixes and suffixes.
    /// FxHash: looked up for every candidate word of every text.
    extra: FxHashMap<Box<str>, Flags>,
    /// What is known of each single character from `dictionary::FIRST_CHAR`
    /// on, dictionary and extra words together (`Flags::bits`), and
    /// `STARTS_EXTRA`. The segmenter asks about a character at every
    /// position of every text: a small table stays in cache, where the
    /// dictionary's hash table and `extra` do not.
    chars: Box<[u8]>,
}

/// In `Lexicon::chars`: an extra word of two or more characters (or one of
/// its prefixes or suffixes) starts with this character. Without it, a
/// string starting with the character is not looked up in `extra`.
const STARTS_EXTRA: u8 = 8;

impl Default for Lexicon {
    /// No words at all: no dictionary, no extra words.
    fn default() -> Self {
        Lexicon::with(false, FxHashMap::default())
    }
}

impl Lexicon {
    /// `forms` that are not all Han characters are left out (a segment is
    /// a run of Han characters).
    pub fn new<'f>(use_dictionary: bool, forms: impl IntoIterator<Item = &'f str>) -> Lexicon {
        let mut extra: FxHashMap<Box<str>, Flags> = FxHashMap::default();
        for form in forms {
            if form.is_empty() || !form.chars().all(is_han) {
                continue;
            }
            extra.entry(form.into()).or_default().word = true;
            for (at, _) in form.char_indices().skip(1) {
                extra.entry(form[..at].into()).or_default().prefix = true;
                extra.entry(form[at..].into()).or_default().suffix = true;
            }
        }
        Lexicon::with(use_dictionary, extra)
    }

    /// The same extra words, with or without the dictionary.
    pub fn with_dictionary(self, use_dictionary: bool) -> Lexicon {
        Lexicon::with(use_dictionary, self.extra)
    }

    fn with(use_dictionary: bool, extra: FxHashMap<Box<str>, Flags>) -> Lexicon {
        let dictionary = use_dictionary && dictionary::available();
        let mut chars: Box<[u8]> = if dictionary {
            dictionary::char_flags().into()
        } else {
            vec![0; dictionary::CHARS].into()
        };
        for (key, flags) in &extra {
            let mut rest = key.chars();
            let Some(at) = rest.next().and_then(char_slot) else {
                continue;
            };
            chars[at] |= if rest.next().is_none() {
                flags.bits()
            } else {
                STARTS_EXTRA
            };
        }
        Lexicon {
            dictionary,
            extra,
            chars,
        }
    }

    pub fn uses_dictionary(&self) -> bool {
        self.dictionary
    }

    pub fn flags(&self, s: &str) -> Flags {
        let mut rest = s.chars();
        let known = rest.next().and_then(char_slot).map(|at| self.chars[at]);
        let single = rest.next().is_none();
        let extra = match known {
            Some(bits) if single => return Flags::from_bits(bits),
            Some(bits) if bits & STARTS_EXTRA == 0 => Flags::default(),
            _ => self.extra.get(s).copied().unwrap_or_default(),
        };
        if self.dictionary {
            dictionary::flags(s).or(extra)
        } else {
            extra
        }
    }

    /// Whether `s` is one of the extra words (a glossary form).
    pub fn is_extra_word(&self, s: &str) -> bool {
        self.extra.get(s).is_some_and(|f| f.word)
    }

    /// The words of `text`: byte ranges of its Han characters, each run of
    /// them cut into words. Other characters belong to no word.
    pub fn segment(&self, text: &str) -> Vec<Range<usize>> {
        let mut words = Vec::new();
        let mut run: Vec<usize> = Vec::new();
        for (at, c) in text.char_indices() {
            if is_han(c) {
                run.push(at);
            } else if !run.is_empty() {
                run.push(at);
                self.segment_run(text, &run, &mut words);
                run.clear();
            }
        }
        if !run.is_empty() {
            run.push(text.len());
            self.segment_run(text, &run, &mut words);
        }
        words
    }

    /// The words of `text`, a run of Han characters, when both ways of
    /// cutting it agree; `None` when they do not (either cut is a guess)
    /// or `text` holds other characters.
    pub fn sure_words(&self, text: &str) -> Option<Vec<Range<usize>>> {
        if text.is_empty() || !text.chars().all(is_han) {
            return None;
        }
        let mut bounds: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        bounds.push(text.len());
        let forward = self.forward(text, &bounds);
        (forward == self.backward(text, &bounds))
            .then(|| forward.windows(2).map(|w| bounds[w[0]]..bounds[w[1]]).collect())
    }

    /// Cuts one run of Han characters (`bounds`: the byte offset of each
    /// character and the end) both ways and keeps the better cut: fewer
    /// words, then fewer single characters, else the backward one, which is
    /// more often right in Chinese.
    fn segment_run(&self, text: &str, bounds: &[usize], words: &mut Vec<Range<usize>>) {
        let n = bounds.len() - 1;
        let forward = self.forward(text, bounds);
        let backward = self.backward(text, bounds);
        let singles = |cut: &[usize]| cut.windows(2).filter(|w| w[1] - w[0] == 1).count();
        let better_forward = (forward.len(), singles(&forward)) < (backward.len(), singles(&backward));
        let cut = if better_forward { forward } else { backward };
        debug_assert_eq!(cut.last(), Some(&n));
        words.extend(cut.windows(2).map(|w| bounds[w[0]]..bounds[w[1]]));
    }

    /// Forward maximum matching: character indexes of the cuts, 0 first.
    fn forward(&self, text: &str, bounds: &[usize]) -> Vec<usize> {
        let n = bounds.len() - 1;
        let mut cuts = vec![0];
        let mut i = 0;
        while i < n {
            let mut best = 1;
            for len in 1..=MAX_WORD.min(n - i) {
                let flags = self.flags(&text[bounds[i]..bounds[i + len]]);
                if flags.word && len > 1 {
                    best = len;
                }
                if !flags.prefix {
                    break;
                }
            }
            i += best;
            cuts.push(i);
        }
        cuts
    }

    /// Backward maximum matching, cuts in increasing order.
    fn backward(&self, text: &str, bounds: &[usize]) -> Vec<usize> {
        let n = bounds.len() - 1;
        let mut cuts = vec![n];
        let mut j = n;
        while j > 0 {
            let mut best = 1;
            for len in 1..=MAX_WORD.min(j) {
                let flags = self.flags(&text[bounds[j - len]..bounds[j]]);
                if flags.word && len > 1 {
                    best = len;
                }
                if !flags.suffix {
                    break;
                }
            }
            j -= best;
            cuts.push(j);
        }
        cuts.reverse();
        cuts
    }
}

/// Where `Lexicon::chars` keeps what is known of `c`, if it does.
fn char_slot(c: char) -> Option<usize> {
    let at = (c as u32).checked_sub(dictionary::FIRST_CHAR)? as usize;
    (at < dictionary::CHARS).then_some(at)
}

/// The reading of a word, written as one word: the dictionary's, or none.
pub fn reading(word: &str) -> Option<String> {
    dictionary::main_entry(word).map(|e| dictionary::join_syllables(e.pinyin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'t>(lexicon: &Lexicon, text: &'t str) -> Vec<&'t str> {
        lexicon.segment(text).into_iter().map(|r| &text[r]).collect()
    }

    /// `flags` as it reads without the table of single characters.
    fn flags_by_lookup(lexicon: &Lexicon, s: &str) -> Flags {
        let extra = lexicon.extra.get(s).copied().unwrap_or_default();
        if lexicon.dictionary {
            dictionary::flags(s).or(extra)
        } else {
            extra
        }
    }

    #[test]
    fn the_table_of_single_characters_agrees_with_the_lookups() {
        let text = "美国国家安全顾问兹比格涅夫·布热津斯基访华，中美两军交流㐀𠀀";
        for dictionary in [true, false] {
            let lexicon = Lexicon::new(dictionary, ["布热津斯基", "两军", "㐀国", "交"]);
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            for (i, &(start, _)) in chars.iter().enumerate() {
                for &(end, _) in chars[i + 1..].iter().take(5) {
                    let s = &text[start..end];
                    assert_eq!(
                        lexicon.flags(s),
                        flags_by_lookup(&lexicon, s),
                        "{s} (dictionary: {dictionary})"
                    );
                }
            }
        }
    }

    #[test]
    fn extra_words_alone_segment_han_runs() {
        let lexicon = Lexicon::new(false, ["台湾", "关系法", "F-16"]);
        assert_eq!(words(&lexicon, "台湾关系法，F-16台湾"), ["台湾", "关系法", "台湾"]);
        assert_eq!(words(&lexicon, "美台"), ["美", "台"]);
    }

    #[cfg(feature = "dictionary")]
    #[test]
    fn the_secretary_is_one_word() {
        let lexicon = Lexicon::new(true, ["美国国防部"]);
        assert_eq!(words(&lexicon, "美国国防部长表示"), ["美国", "国防部长", "表示"]);
    }

    #[cfg(feature = "dictionary")]
    #[test]
    fn sentences_of_the_article_segment_as_a_reader_would() {
        let lexicon = Lexicon::new(true, ["地缘战略", "印太战略"]);
        assert_eq!(
            words(&lexicon, "中美关系进行了重新调整"),
            ["中美", "关系", "进行", "了", "重新", "调整"]
        );
        assert_eq!(words(&lexicon, "作为一种地缘战略"), ["作为", "一种", "地缘战略"]);
    }
}
