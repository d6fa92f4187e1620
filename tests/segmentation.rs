//! Segmentation accuracy on the hand-segmented sample of the included
//! article: duben's segmenter, with the lexicon the build makes for the
//! included site, must keep its word F1 (docs/content.md, Glossary: "How
//! well the text is cut"). The table beside other segmenters:
//! `cargo run --release --example segmentation`.

#![cfg(feature = "dictionary")]

#[path = "segmentation/score.rs"]
mod score;

use score::{Sentence, read_gold, with_other_words};

/// A little below the measured 0.824 (bench/segmentation.rs): a change to the
/// segmenter, the dictionary or the glossary that loses words fails here.
const F1_FLOOR: f64 = 0.80;

fn gold() -> Vec<Sentence> {
    read_gold(&score::gold_path())
}

#[test]
fn every_gold_sentence_is_the_articles_text() {
    let article = std::fs::read_to_string(score::site_root().join("content/yao-2019/text.md")).unwrap();
    let gold = gold();
    assert_eq!(gold.len(), 40);
    assert!(gold.iter().map(|s| s.text.chars().count()).sum::<usize>() >= 1500);
    for sentence in &gold {
        assert!(
            article.contains(&sentence.text),
            "not in the article: {}",
            sentence.text
        );
    }
}

#[test]
fn the_builds_segmentation_keeps_its_accuracy_on_the_sample() {
    let matcher = score::built_matcher();
    let lexicon = matcher.lexicon();
    assert!(
        lexicon.uses_dictionary(),
        "the included site segments with the dictionary"
    );
    let score = score::score(&gold(), |text| with_other_words(text, lexicon.segment(text)));
    assert!(
        score.f1() >= F1_FLOOR,
        "word F1 {:.3} (P {:.3}, R {:.3}) fell below {F1_FLOOR}",
        score.f1(),
        score.precision(),
        score.recall()
    );
}
