//! Builds the lookup structure of the embedded dictionary (`data/cedict.txt`,
//! see data/README.md) so that the binary needs no start-up parsing: a
//! character-wise double-array trie (crawdad) of every headword, its value
//! the byte offset of the word's first line. `src/words/dictionary.rs`
//! embeds it. One walk of the trie from a character finds every word that
//! starts there, which is all the segmenter asks; an exact walk finds a
//! word's lines.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=data/cedict.txt");
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir).join("cedict.trie");
    if std::env::var_os("CARGO_FEATURE_DICTIONARY").is_none() {
        std::fs::write(&out, []).unwrap();
        return;
    }
    let text = std::fs::read_to_string("data/cedict.txt").expect("data/cedict.txt (see data/README.md)");
    // Headword → offset of its first line (a word's lines are adjacent).
    let mut first_line: BTreeMap<&str, u32> = BTreeMap::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let word = line.split('\t').next().unwrap_or("");
        if !word.is_empty() {
            first_line
                .entry(word)
                .or_insert(u32::try_from(offset).expect("a dictionary under 2 GB"));
        }
        offset += line.len();
    }
    let trie = crawdad::Trie::from_records(first_line).expect("distinct, non-empty headwords");
    std::fs::write(&out, trie.serialize_to_vec()).unwrap();
}
