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
#[derive(Default)]
pub struct Lexicon {
    dictionary: bool,
    /// Extra words, with their proper prefixes and suffixes.
    /// FxHash: looked up for every candidate word of every text.
    extra: FxHashMap<Box<str>, Flags>,
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
        Lexicon {
            dictionary: use_dictionary && dictionary::available(),
            extra,
        }
    }

    /// The same extra words, with or without the dictionary.
    pub fn with_dictionary(self, use_dictionary: bool) -> Lexicon {
        Lexicon {
            dictionary: use_dictionary && dictionary::available(),
            extra: self.extra,
        }
    }

    pub fn uses_dictionary(&self) -> bool {
        self.dictionary
    }

    pub fn flags(&self, s: &str) -> Flags {
        let extra = self.extra.get(s).copied().unwrap_or_default();
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
