//! Words: Chinese text cut into words at build time. Owns the embedded
//! dictionary (CC-CEDICT, `dictionary`), the lexicon a site segments with
//! (the dictionary plus the glossary's forms) and the segmenter
//! (bidirectional maximum matching). The term matcher (`resolve::terms`)
//! uses it to refuse a match that would cut a word in two; the reader's
//! lookup data (`render::words`) uses it to list an article's words.

pub mod dictionary;

use std::ops::Range;

use crawdad::Trie;

pub use dictionary::Entry;

use crate::chars::is_han;

/// Longest word tried, in characters (CC-CEDICT's longest kept are 12).
const MAX_WORD: usize = 12;

/// The words a site segments with: the dictionary (when built in and
/// enabled) and extra words, the glossary's forms written in Han characters.
#[derive(Default)]
pub struct Lexicon {
    /// The dictionary's headwords, when used (a trie shared by every
    /// lexicon: it is the embedded data, made once per process).
    dictionary: Option<&'static Trie>,
    /// The extra words as a trie; none when there are none.
    extra: Option<Trie>,
}

impl Lexicon {
    /// `forms` that are not all Han characters are left out (a segment is
    /// a run of Han characters).
    pub fn new<'f>(use_dictionary: bool, forms: impl IntoIterator<Item = &'f str>) -> Lexicon {
        let mut extra_words: Vec<Box<str>> = forms
            .into_iter()
            .filter(|form| !form.is_empty() && form.chars().all(is_han))
            .map(Box::from)
            .collect();
        extra_words.sort_unstable();
        extra_words.dedup();
        // Sorted, distinct and non-empty: the trie always builds.
        let extra = (!extra_words.is_empty()).then(|| Trie::from_keys(&extra_words).expect("distinct non-empty words"));
        Lexicon {
            dictionary: None,
            extra,
        }
        .with_dictionary(use_dictionary)
    }

    /// The same extra words, with or without the dictionary.
    pub fn with_dictionary(mut self, use_dictionary: bool) -> Lexicon {
        self.dictionary = if use_dictionary { dictionary::words() } else { None };
        self
    }

    pub fn uses_dictionary(&self) -> bool {
        self.dictionary.is_some()
    }

    /// Whether `s` is one of the extra words (a glossary form).
    pub fn is_extra_word(&self, s: &str) -> bool {
        self.extra
            .as_ref()
            .is_some_and(|trie| trie.exact_match(s.chars()).is_some())
    }

    /// The words of `text`: byte ranges of its Han characters, each run of
    /// them cut into words. Other characters belong to no word.
    pub fn segment(&self, text: &str) -> Vec<Range<usize>> {
        // About a word for every five bytes of Chinese (three a character,
        // most words of one or two), and a run seldom longer than a clause:
        // grown one word at a time, the lists had cost 200x80 a tenth of its
        // CPU time (`perf stat`: 1.19 s against 1.09 s).
        let mut words = Vec::with_capacity(text.len() / 5);
        let mut run: Vec<usize> = Vec::with_capacity(64);
        let mut edges = Edges::default();
        for (at, c) in text.char_indices() {
            if is_han(c) {
                run.push(at);
            } else if !run.is_empty() {
                run.push(at);
                self.segment_run(text, &run, &mut edges, &mut words);
                run.clear();
            }
        }
        if !run.is_empty() {
            run.push(text.len());
            self.segment_run(text, &run, &mut edges, &mut words);
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
        let mut edges = Edges::default();
        self.find_edges(text, &bounds, &mut edges);
        let forward = edges.forward();
        (forward == edges.backward()).then(|| forward.windows(2).map(|w| bounds[w[0]]..bounds[w[1]]).collect())
    }

    /// Cuts one run of Han characters (`bounds`: the byte offset of each
    /// character and the end) both ways and keeps the better cut (see
    /// `Edges::forward_is_better`), counting both without making either:
    /// a large site has millions of runs.
    fn segment_run(&self, text: &str, bounds: &[usize], edges: &mut Edges, words: &mut Vec<Range<usize>>) {
        self.find_edges(text, bounds, edges);
        let span = |(start, end): (usize, usize)| bounds[start]..bounds[end];
        if edges.forward_is_better() {
            words.extend(edges.forward_words().map(span));
        } else {
            let first = words.len();
            words.extend(edges.backward_words().map(span));
            words[first..].reverse();
        }
    }

    /// The longest word from and to every character of a run: one walk of
    /// each trie from each character finds every word of the run, which is
    /// all either direction of maximum matching needs.
    fn find_edges(&self, text: &str, bounds: &[usize], edges: &mut Edges) {
        let n = bounds.len() - 1;
        edges.reset(n);
        let run = &text[..bounds[n]];
        for i in 0..n {
            let from = run[bounds[i]..].chars().take(MAX_WORD);
            for trie in self.dictionary.into_iter().chain(&self.extra) {
                for (_, len) in trie.common_prefix_search(from.clone()) {
                    edges.add(i, i + len);
                }
            }
        }
    }
}

/// The words of a run as `Lexicon::find_edges` finds them, by character
/// index; a single character is always a word.
#[derive(Default)]
struct Edges {
    /// The end of the longest word starting at each character.
    longest_from: Vec<usize>,
    /// The start of the longest word ending at each character boundary
    /// (index 0 unused).
    longest_to: Vec<usize>,
}

impl Edges {
    fn reset(&mut self, n: usize) {
        self.longest_from.clear();
        self.longest_from.extend(1..=n);
        self.longest_to.clear();
        self.longest_to.push(0);
        self.longest_to.extend(0..n);
    }

    fn add(&mut self, start: usize, end: usize) {
        self.longest_from[start] = self.longest_from[start].max(end);
        self.longest_to[end] = self.longest_to[end].min(start);
    }

    /// The words of forward maximum matching, (start, end) by character
    /// index, in order.
    fn forward_words(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.longest_from.len();
        let mut i = 0;
        std::iter::from_fn(move || {
            let start = i;
            (start < n).then(|| {
                i = self.longest_from[start];
                (start, i)
            })
        })
    }

    /// The words of backward maximum matching, last first.
    fn backward_words(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut j = self.longest_from.len();
        std::iter::from_fn(move || {
            let end = j;
            (end > 0).then(|| {
                j = self.longest_to[end];
                (j, end)
            })
        })
    }

    /// Whether the forward cut is the better one: fewer words, then fewer
    /// single characters; on a tie the backward one, which is more often
    /// right in Chinese.
    fn forward_is_better(&self) -> bool {
        fn score(words: impl Iterator<Item = (usize, usize)>) -> (usize, usize) {
            words.fold((0, 0), |(count, singles), (start, end)| {
                (count + 1, singles + usize::from(end - start == 1))
            })
        }
        score(self.forward_words()) < score(self.backward_words())
    }

    /// Forward maximum matching: character indexes of the cuts, 0 first.
    fn forward(&self) -> Vec<usize> {
        std::iter::once(0)
            .chain(self.forward_words().map(|(_, end)| end))
            .collect()
    }

    /// Backward maximum matching, cuts in increasing order.
    fn backward(&self) -> Vec<usize> {
        let n = self.longest_from.len();
        let mut cuts: Vec<usize> = std::iter::once(n)
            .chain(self.backward_words().map(|(start, _)| start))
            .collect();
        cuts.reverse();
        cuts
    }
}

/// The reading of a word, written as one word: the dictionary's, or none.
pub fn reading(word: &str) -> Option<String> {
    dictionary::main_entry(word).map(|e| dictionary::write_as_word(e.pinyin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'t>(lexicon: &Lexicon, text: &'t str) -> Vec<&'t str> {
        lexicon.segment(text).into_iter().map(|r| &text[r]).collect()
    }

    /// Both maximum matchings as they read by definition: at each cut, the
    /// longest string up to `MAX_WORD` characters that is a headword or an
    /// extra word.
    fn cuts_by_definition(lexicon: &Lexicon, run: &str) -> (Vec<usize>, Vec<usize>) {
        let mut bounds: Vec<usize> = run.char_indices().map(|(at, _)| at).collect();
        bounds.push(run.len());
        let n = bounds.len() - 1;
        let is_word = |s: &str| {
            lexicon.is_extra_word(s) || (lexicon.uses_dictionary() && dictionary::entries(s).next().is_some())
        };
        let longest = |from: usize, to: usize, forward: bool| {
            (2..=MAX_WORD.min(to - from))
                .rev()
                .find(|&len| {
                    let (a, b) = if forward { (from, from + len) } else { (to - len, to) };
                    is_word(&run[bounds[a]..bounds[b]])
                })
                .unwrap_or(1)
        };
        let (mut forward, mut i) = (vec![0], 0);
        while i < n {
            i += longest(i, n, true);
            forward.push(i);
        }
        let (mut backward, mut j) = (vec![n], n);
        while j > 0 {
            j -= longest(0, j, false);
            backward.push(j);
        }
        backward.reverse();
        (forward, backward)
    }

    #[test]
    fn the_tries_cut_as_maximum_matching_does_on_the_article() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/yao-2019/text.md")).unwrap();
        let runs: Vec<&str> = text.split(|c: char| !is_han(c)).filter(|r| !r.is_empty()).collect();
        assert!(runs.len() > 500, "{}", runs.len());
        for dictionary in [true, false] {
            let lexicon = Lexicon::new(dictionary, ["美国国防部", "地缘战略", "两军", "交"]);
            for run in &runs {
                let mut bounds: Vec<usize> = run.char_indices().map(|(at, _)| at).collect();
                bounds.push(run.len());
                let mut edges = Edges::default();
                lexicon.find_edges(run, &bounds, &mut edges);
                assert_eq!(
                    (edges.forward(), edges.backward()),
                    cuts_by_definition(&lexicon, run),
                    "{run} (dictionary: {dictionary})"
                );
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
