//! Builds the lookup table of the embedded dictionary (`data/cedict.txt`,
//! see data/README.md) so that the binary needs no start-up work to find a
//! word: an open-addressing hash table of every word, every proper prefix
//! and every proper suffix of a word, written to OUT_DIR and embedded by
//! `src/words/dictionary.rs`, which holds the same hash function. Beside it,
//! the flags of every single character from U+3400 to U+9FFF, one byte each
//! (`cedict.chars`): the segmenter asks about one character at every
//! position of every text, and a 27 KB table stays in cache where the 4 MB
//! hash table does not.

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
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir).join("cedict.table");
    let chars_out = Path::new(&out_dir).join("cedict.chars");
    if std::env::var_os("CARGO_FEATURE_DICTIONARY").is_none() {
        std::fs::write(&out, []).unwrap();
        std::fs::write(&chars_out, []).unwrap();
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
    std::fs::write(&chars_out, char_flags(&keys)).unwrap();
}

/// The first character `cedict.chars` covers, and how many it covers;
/// `src/words/dictionary.rs` reads the table with the same numbers.
const FIRST_CHAR: u32 = 0x3400;
const CHARS: usize = 0x9FFF - 0x3400 + 1;

/// One byte for each character: 1 it is a headword, 2 a longer headword
/// starts with it, 4 one ends with it.
fn char_flags(keys: &BTreeMap<&str, u32>) -> Vec<u8> {
    let mut flags = vec![0u8; CHARS];
    for (key, value) in keys {
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        let Some(at) = (c as u32)
            .checked_sub(FIRST_CHAR)
            .map(|at| at as usize)
            .filter(|&at| at < CHARS)
        else {
            continue;
        };
        flags[at] = u8::from(value & NO_LINE != NO_LINE)
            | (u8::from(value & PREFIX != 0) << 1)
            | (u8::from(value & SUFFIX != 0) << 2);
    }
    flags
}
