//! An article's dictionary data for the reader (`<slug>/words.js`): how each
//! paragraph (and the Chinese abstract) is cut into words, and the entries
//! of the words that occur, nothing more. A script, not JSON, so that it
//! loads from `file://`; `static/lookup.js` loads it on the first lookup.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::OutputFile;
use crate::resolve::Resolved;
use crate::words::{self, dictionary};

#[derive(Serialize)]
struct Data<'a> {
    /// Block id → the length in characters of each word, in order, as
    /// letters (a = 1, b = 2, …).
    p: BTreeMap<String, String>,
    /// Word → its entries: [pinyin, traditional or "", senses].
    w: BTreeMap<&'a str, Vec<[String; 3]>>,
    /// Word that is a glossary form → [term id, pinyin for ruby].
    t: BTreeMap<&'a str, [String; 2]>,
}

/// The data of article `index`, or none when the dictionary is off.
pub fn article_data(resolved: &Resolved, index: usize) -> Option<OutputFile> {
    let lexicon = resolved.matcher.lexicon();
    if !lexicon.uses_dictionary() {
        return None;
    }
    let article = resolved.articles[index];
    let mut texts: Vec<(String, String)> = Vec::new();
    for block in &article.document.blocks {
        if let Some(number) = block.number() {
            texts.push((format!("p{number}"), block.plain_text()));
        }
    }
    if let Some(abstract_zh) = &article.meta.abstract_zh {
        texts.push(("abstract".into(), crate::markdown::to_plain(abstract_zh.get_ref())));
    }
    let mut data = Data {
        p: BTreeMap::new(),
        w: BTreeMap::new(),
        t: BTreeMap::new(),
    };
    // Every distinct word, hashed (millions of words on a large site); the
    // output's maps are sorted whatever the order here.
    let mut found: FxHashSet<&str> = FxHashSet::default();
    for (id, text) in &texts {
        let mut lengths = String::new();
        for range in lexicon.segment(text) {
            let word = &text[range];
            let n = word.chars().count().min(26) as u8;
            lengths.push(char::from(b'a' + n - 1));
            found.insert(word);
        }
        data.p.insert(id.clone(), lengths);
    }
    for word in found {
        let entries: Vec<[String; 3]> = dictionary::entries(word)
            .take(3)
            .map(|e| {
                [
                    dictionary::join_syllables(e.pinyin),
                    e.traditional.unwrap_or("").to_owned(),
                    e.senses.to_owned(),
                ]
            })
            .collect();
        let main = words::reading(word).unwrap_or_else(|| by_characters(word));
        if let Some(term) = resolved.matcher.term_of_form(word) {
            let term = resolved.terms[term];
            let pinyin = match &term.pinyin {
                Some(p) if term.zh.get_ref() == word => p.get_ref().clone(),
                _ => main.clone(),
            };
            data.t.insert(word, [term.id.get_ref().clone(), pinyin]);
        }
        let mut entries = entries;
        // The reading ruby shows comes first.
        if let Some(at) = entries.iter().position(|e| e[0] == main) {
            entries[..=at].rotate_right(1);
        } else if entries.is_empty() && !main.is_empty() {
            entries.push([main, String::new(), String::new()]);
        }
        if !entries.is_empty() {
            data.w.insert(word, entries);
        }
    }
    let script = format!("dubenWords({});\n", super::script_json(&data));
    Some(OutputFile {
        path: PathBuf::from(&article.slug).join("words.js"),
        bytes: script.into_bytes(),
    })
}

/// A word the dictionary lacks, read character by character.
fn by_characters(word: &str) -> String {
    let mut syllables = Vec::new();
    for c in word.chars() {
        match words::reading(c.encode_utf8(&mut [0; 4])) {
            Some(r) => syllables.push(r.to_lowercase()),
            None => return String::new(),
        }
    }
    dictionary::join_syllables(&syllables.join(" "))
}
