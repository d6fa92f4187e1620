//! Word segmentation accuracy on the hand-segmented sample of the included
//! article (tests/fixtures/segmentation/yao-2019-gold.txt: 40 sentences,
//! PKU conventions, its header says which):
//!
//!   cargo run --release --example segmentation [-- --diff]
//!
//! Rows: duben as the build segments the included site (the dictionary and
//! the glossary's forms, the lexicon `resolve` makes), the dictionary alone,
//! jieba-rs with its default dictionary, with and without its HMM for
//! unknown words, and the second annotation of the same sentences
//! (yao-2019-second.txt; its header says how it was made), for how far two
//! annotators agree. Word-level precision, recall and F1: a word counts when
//! its span is exactly a gold word's; punctuation is not counted. duben
//! cuts only Han characters; around its words each run of letters and
//! digits is taken as one word. `--diff` prints every sentence where a
//! segmenter differs from the gold: the gold words it missed, and the
//! words it gave instead. The intervals are a paired bootstrap over the
//! sentences: where the interval of a difference holds 0, the sample does
//! not tell the two apart.

#[path = "../tests/segmentation/score.rs"]
mod score;

use std::ops::Range;

use duben::words::Lexicon;
use score::{Score, Sentence, with_other_words};

fn main() {
    let diff = std::env::args().any(|a| a == "--diff");
    let gold = score::read_gold(&score::gold_path());
    let matcher = score::built_matcher();
    let built = matcher.lexicon();
    let dictionary_only = Lexicon::new(true, []);
    let jieba = jieba_rs::Jieba::new();
    let jieba_cut = |text: &str, hmm: bool| score::spans(text, jieba.cut(text, hmm).into_iter().map(|t| t.word));
    let second: std::collections::HashMap<String, Vec<Range<usize>>> =
        score::read_gold(&score::gold_path().with_file_name("yao-2019-second.txt"))
            .into_iter()
            .map(|s| (s.text, s.words))
            .collect();

    type Segmenter<'a> = Box<dyn Fn(&str) -> Vec<Range<usize>> + 'a>;
    let rows: Vec<(&str, Segmenter)> = vec![
        (
            "duben (dictionary + glossary, as built)",
            Box::new(|t| with_other_words(t, built.segment(t))),
        ),
        (
            "duben (dictionary alone)",
            Box::new(|t| with_other_words(t, dictionary_only.segment(t))),
        ),
        (
            "jieba-rs 0.11 (default dictionary, HMM)",
            Box::new(|t| jieba_cut(t, true)),
        ),
        (
            "jieba-rs 0.11 (default dictionary, no HMM)",
            Box::new(|t| jieba_cut(t, false)),
        ),
        (
            "second annotation (yao-2019-second.txt)",
            Box::new(|t| second.get(t).cloned().expect("the same 40 sentences")),
        ),
    ];

    let chars: usize = gold.iter().map(|s| s.text.chars().count()).sum();
    let words: usize = gold.iter().map(|s| s.words.len()).sum();
    println!("{} sentences, {chars} characters, {words} gold words\n", gold.len());
    let by_row: Vec<Vec<Score>> = rows
        .iter()
        .map(|(_, segment)| {
            gold.iter()
                .map(|sentence| {
                    let mut one = Score::default();
                    one.add(&sentence.words, &segment(&sentence.text));
                    one
                })
                .collect()
        })
        .collect();
    let resamples = resamples(gold.len());
    let f1s = |row: &[Score]| -> Vec<f64> {
        resamples
            .iter()
            .map(|picks| sum(picks.iter().map(|&i| &row[i])).f1())
            .collect()
    };
    let built_f1s = f1s(&by_row[0]);
    println!("| segmenter | P | R | F1 | F1, 95% interval | F1 − the build's, 95% interval |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for ((name, _), row) in rows.iter().zip(&by_row) {
        let s = sum(row.iter());
        let row_f1s = f1s(row);
        let (low, high) = middle_95(row_f1s.clone());
        let difference = if std::ptr::eq(row, &by_row[0]) {
            "".to_owned()
        } else {
            let (low, high) = middle_95(row_f1s.iter().zip(&built_f1s).map(|(a, b)| a - b).collect());
            format!("{low:+.3} to {high:+.3}")
        };
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {low:.3}–{high:.3} | {difference} |",
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
    if diff {
        for (name, segment) in &rows {
            println!("\n## {name}");
            print_differences(&gold, segment);
        }
    }
}

fn sum<'s>(scores: impl Iterator<Item = &'s Score>) -> Score {
    scores.fold(Score::default(), |a, b| Score {
        gold: a.gold + b.gold,
        found: a.found + b.found,
        correct: a.correct + b.correct,
    })
}

/// 2,000 resamples of the sentences, drawn with replacement, the same for
/// every row (a paired bootstrap: the sample is small, and the intervals say
/// how much the figures could move on another sample of this text).
/// Deterministic: xorshift from a fixed seed.
fn resamples(n: usize) -> Vec<Vec<usize>> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..2000).map(|_| (0..n).map(|_| next()).collect()).collect()
}

/// The 2.5th and 97.5th percentiles.
fn middle_95(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() * 25 / 1000], values[values.len() * 975 / 1000 - 1])
}

/// Each sentence the segmenter cuts otherwise than the gold: gold words it
/// missed, and the words it gave instead.
fn print_differences(gold: &[Sentence], segment: &dyn Fn(&str) -> Vec<Range<usize>>) {
    for sentence in gold {
        let found = segment(&sentence.text);
        let mut one = Score::default();
        one.add(&sentence.words, &found);
        if one.correct == one.gold && one.correct == one.found {
            continue;
        }
        let missed: Vec<&str> = sentence
            .words
            .iter()
            .filter(|w| !found.contains(w))
            .map(|w| &sentence.text[w.clone()])
            .collect();
        let instead: Vec<&str> = found
            .iter()
            .filter(|w| !sentence.words.contains(w))
            .map(|w| &sentence.text[w.clone()])
            .collect();
        println!("- gold {} | found {}", missed.join(" "), instead.join(" "));
    }
}
