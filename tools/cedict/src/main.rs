//! Writes duben's compact dictionary (`data/cedict.txt`) from the CC-CEDICT
//! data that the crate chinese_dictionary 3.0.0 embeds (`data/data.dictionary`,
//! a bincode map from id to `WordEntry`).
//!
//! Usage: cargo run --release -- PATH/TO/chinese_dictionary-3.0.0/data/data.dictionary > ../../data/cedict.txt
//!
//! One line per entry, sorted by simplified form (bytewise), then reading:
//! `simplified TAB traditional-or-empty TAB pinyin-with-tone-marks TAB sense / sense / sense`.
//! The traditional form is left empty where it equals the simplified one; at
//! most three senses are kept (after the first, only while short); entries that only point to a variant are
//! dropped where the word has another entry.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chinese_dictionary::WordEntry;

/// Senses after the first are kept while the line stays under this many bytes.
const LIMIT: usize = 100;

/// Readings CC-CEDICT gets wrong, corrected here: (simplified, as
/// CC-CEDICT reads it, the reading). 檻 is kǎn in 门槛 (CC-CEDICT's own
/// 门槛 entry), and so in 核门槛.
const CORRECTIONS: &[(&str, &str, &str)] = &[("核门槛", "hé mén jiàn", "hé mén kǎn")];

fn reading<'a>(simplified: &str, pinyin: &'a str) -> &'a str {
    CORRECTIONS
        .iter()
        .find(|(word, wrong, _)| *word == simplified && *wrong == pinyin)
        .map_or(pinyin, |(_, _, right)| right)
}

fn han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〇')
}

fn variant_only(entry: &WordEntry) -> bool {
    entry.english.iter().all(|s| {
        let s = s.to_lowercase();
        s.contains("variant of") || s.starts_with("see ") || s.starts_with("used in ")
    })
}

fn clean(sense: &str) -> String {
    sense.replace(['\t', '\n'], " ").trim().to_owned()
}

fn main() {
    let path = std::env::args().nth(1).expect("give the path of data.dictionary");
    let bytes = std::fs::read(&path).expect("read data.dictionary");
    let data: HashMap<u32, WordEntry> = bincode::deserialize(&bytes).expect("bincode data");
    let mut by_word: BTreeMap<String, Vec<&WordEntry>> = BTreeMap::new();
    for entry in data.values() {
        let word = entry.simplified.trim();
        if word.is_empty() || !word.chars().all(han) || word.chars().count() > 12 {
            continue;
        }
        by_word.entry(word.to_owned()).or_default().push(entry);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (word, mut entries) in by_word {
        if entries.iter().any(|e| !variant_only(e)) {
            entries.retain(|e| !variant_only(e));
        }
        entries.sort_by(|a, b| (&a.pinyin_marks, &a.traditional, a.word_id).cmp(&(&b.pinyin_marks, &b.traditional, b.word_id)));
        for e in entries {
            let traditional = if e.traditional == e.simplified { "" } else { e.traditional.as_str() };
            let mut senses = String::new();
            for sense in e.english.iter().map(|s| clean(s)).filter(|s| !s.is_empty()).take(3) {
                // A short card: the first sense whole, more only while short.
                if !senses.is_empty() && senses.len() + sense.len() > LIMIT {
                    break;
                }
                if !senses.is_empty() {
                    senses.push_str(" / ");
                }
                senses.push_str(&sense);
            }
            let pinyin = clean(&e.pinyin_marks);
            writeln!(out, "{word}\t{traditional}\t{}\t{senses}", reading(&word, &pinyin)).unwrap();
        }
    }
}
