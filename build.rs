//! Builds the lookup table of the embedded dictionary (`data/cedict.txt`,
//! see data/README.md) so that the binary needs no start-up work to find a
//! word: an open-addressing hash table of every word, every proper prefix
//! and every proper suffix of a word, written to OUT_DIR and embedded by
//! `src/words/dictionary.rs`, which holds the same hash function.

use std::collections::BTreeMap;
use std::path::Path;

/// FNV-1a, 64 bits; `src/words/dictionary.rs` hashes the same way.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const PREFIX: u32 = 1 << 31;
const SUFFIX: u32 = 1 << 30;
const NO_LINE: u32 = SUFFIX - 1;

fn main() {
    println!("cargo::rerun-if-changed=data/cedict.txt");
    println!("cargo::rerun-if-changed=build.rs");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("cedict.table");
    if std::env::var_os("CARGO_FEATURE_DICTIONARY").is_none() {
        std::fs::write(&out, []).unwrap();
        return;
    }
    let text = std::fs::read_to_string("data/cedict.txt").expect("data/cedict.txt (see data/README.md)");
    // String → (offset of its first line, flags); BTreeMap for a
    // deterministic table.
    let mut keys: BTreeMap<&str, u32> = BTreeMap::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let word = line.split('\t').next().unwrap_or("");
        let slot = keys.entry(word).or_insert(NO_LINE);
        if *slot & NO_LINE == NO_LINE {
            *slot = (*slot & !NO_LINE) | offset as u32;
        }
        for (at, _) in word.char_indices().skip(1) {
            *keys.entry(&word[..at]).or_insert(NO_LINE) |= PREFIX;
            *keys.entry(&word[at..]).or_insert(NO_LINE) |= SUFFIX;
        }
        offset += line.len();
    }
    let size = (keys.len() * 2).next_power_of_two();
    let mask = size - 1;
    let mut table = vec![0u64; size];
    for (key, value) in &keys {
        let h = hash(key.as_bytes());
        let fingerprint = (h >> 32) as u32 | 1;
        let mut i = h as usize & mask;
        while table[i] != 0 {
            i = (i + 1) & mask;
        }
        table[i] = (u64::from(fingerprint) << 32) | u64::from(*value);
    }
    let bytes: Vec<u8> = table.iter().flat_map(|e| e.to_le_bytes()).collect();
    std::fs::write(&out, bytes).unwrap();
}
