//! Word-level scoring against the hand-segmented sample of the included
//! article (`tests/fixtures/segmentation/yao-2019-gold.txt`), shared by the
//! accuracy test (`tests/segmentation.rs`) and the table that compares
//! segmenters (`bench/segmentation.rs`).
//!
//! A word counts as found when a segmenter's word has exactly the span of a
//! gold word (the SIGHAN bakeoffs' measure). Punctuation is not a word on
//! either side.

#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};

/// One gold sentence: its text, as in the article, and its words' byte
/// ranges, punctuation left out.
pub struct Sentence {
    pub text: String,
    pub words: Vec<Range<usize>>,
}

pub fn gold_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segmentation/yao-2019-gold.txt")
}

/// The included site (site.toml and content/ at the crate's root).
pub fn site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The term matcher the build makes for the included site; its lexicon is
/// what the build segments articles with.
pub fn built_matcher() -> std::sync::Arc<duben::resolve::TermMatcher> {
    let loaded = duben::content::load(&site_root());
    let options = duben::resolve::Options::whole(false);
    duben::resolve::resolve(&loaded.site, &loaded.sources, &options)
        .0
        .matcher
}

/// The gold sentences: one a line, tokens separated by single spaces, `#`
/// lines and blank lines skipped.
pub fn read_gold(path: &Path) -> Vec<Sentence> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let tokens: Vec<&str> = line.split(' ').collect();
            assert!(tokens.iter().all(|t| !t.is_empty()), "a double space in: {line}");
            let text = join(&tokens);
            let words = spans(&text, tokens.iter().copied());
            Sentence { text, words }
        })
        .collect()
}

/// The sentence the tokens were cut from: joined with nothing between them,
/// but a space between two that meet in ASCII letters or digits
/// (`Benjamin Huberman`).
pub fn join(tokens: &[&str]) -> String {
    let mut text = String::new();
    for token in tokens {
        let meet = text.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric())
            && token.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if meet {
            text.push(' ');
        }
        text.push_str(token);
    }
    text
}

/// A token is a word when it has a letter, digit or Han character; one of
/// punctuation or spaces alone is not.
pub fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// The byte ranges of the word tokens, in order, each found in `text` after
/// the one before (tokens cover the text but for spaces between them).
pub fn spans<'t>(text: &str, tokens: impl IntoIterator<Item = &'t str>) -> Vec<Range<usize>> {
    let mut at = 0;
    let mut words = Vec::new();
    for token in tokens {
        let start = at
            + text[at..]
                .find(token)
                .unwrap_or_else(|| panic!("`{token}` not in `{text}`"));
        assert!(
            text[at..start].trim().is_empty(),
            "`{}` skipped in `{text}`",
            &text[at..start]
        );
        at = start + token.len();
        if is_word(token) {
            words.push(start..at);
        }
    }
    words
}

/// duben's words of `text` (Han characters only) with the rest of the text
/// cut as a reader sees it: each run of letters and digits is a word, with
/// `-`, `+`, `/` or `.` between two of them inside it (F-16, 2+2+2);
/// punctuation and spaces are not.
pub fn with_other_words(text: &str, han_words: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut at = 0;
    for word in han_words {
        other_words(text, at..word.start, &mut words);
        at = word.end;
        words.push(word);
    }
    other_words(text, at..text.len(), &mut words);
    words
}

fn other_words(text: &str, range: Range<usize>, words: &mut Vec<Range<usize>>) {
    let chars: Vec<(usize, char)> = text[range.clone()]
        .char_indices()
        .map(|(i, c)| (range.start + i, c))
        .collect();
    let mut start: Option<usize> = None;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '-' | '+' | '/' | '.')
            && start.is_some()
            && chars.get(i + 1).is_some_and(|&(_, next)| next.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            words.push(s..at);
        }
    }
    if let Some(s) = start {
        words.push(s..range.end);
    }
}

/// Counts over a sample: gold words, words found, and those that match.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    pub gold: usize,
    pub found: usize,
    pub correct: usize,
}

impl Score {
    pub fn add(&mut self, gold: &[Range<usize>], found: &[Range<usize>]) {
        self.gold += gold.len();
        self.found += found.len();
        // Both in order and without overlaps: one merge pass.
        let (mut g, mut f) = (0, 0);
        while g < gold.len() && f < found.len() {
            if gold[g] == found[f] {
                self.correct += 1;
                g += 1;
                f += 1;
            } else if gold[g].end <= found[f].end {
                g += 1;
            } else {
                f += 1;
            }
        }
    }

    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.found as f64
    }

    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.gold as f64
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        2.0 * p * r / (p + r)
    }
}

/// The score of `segment` (a sentence → its words' byte ranges) on `gold`.
pub fn score(gold: &[Sentence], mut segment: impl FnMut(&str) -> Vec<Range<usize>>) -> Score {
    let mut total = Score::default();
    for sentence in gold {
        total.add(&sentence.words, &segment(&sentence.text));
    }
    total
}
