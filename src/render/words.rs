//! An article's dictionary data for the reader (`<slug>/words.js`): how each
//! paragraph (and the Chinese abstract) is cut into words, and the entries
//! of the words that occur, nothing more. A script, not JSON, so that it
//! loads from `file://`; `static/lookup.js` loads it on the first lookup.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::RwLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::OutputFile;
use crate::resolve::{ArticleId, Resolved};
use crate::words::{self, dictionary};

/// What an article's data says of one word, the same in every article: its
/// entries (`[pinyin, traditional or "", senses]`, the reading ruby shows
/// first) and, for a glossary form, `[term id, pinyin for ruby]`, each as
/// JSON.
struct WordJson {
    entries: Option<Box<str>>,
    term: Option<Box<str>>,
}

/// Each word's JSON, made the first time an article has the word and shared
/// by every article after it: a course's readings share most of their
/// words, so a word is looked up in the dictionary once per site, not once
/// per article. Filled from the threads that render the articles.
#[derive(Default)]
pub struct WordData {
    made: RwLock<FxHashMap<Box<str>, WordJson>>,
}

/// The data of article `id`, or none when the dictionary is off:
/// `{"p": block id → the length in characters of each word, in order, as
/// letters (a = 1, b = 2, …), "w": word → entries, "t": glossary form →
/// term}`, keys in order.
pub fn article_data(resolved: &Resolved, words: &WordData, id: ArticleId) -> Option<OutputFile> {
    let lexicon = resolved.matcher.lexicon();
    if !lexicon.uses_dictionary() {
        return None;
    }
    let article = resolved.articles[id];
    let mut texts: Vec<(String, String)> = Vec::new();
    article.with_document(|document| {
        for block in &document.blocks {
            if let Some(number) = block.number() {
                texts.push((format!("p{number}"), block.plain_text()));
            }
        }
    });
    if let Some(abstract_zh) = &article.meta.abstract_zh {
        texts.push(("abstract".into(), crate::markdown::to_plain(abstract_zh.get_ref())));
    }
    let mut lengths_by_block: BTreeMap<&str, String> = BTreeMap::new();
    // Every distinct word, hashed (millions of words on a large site); they
    // are sorted below. Most words are short, and a short word is hashed
    // and compared as a number.
    let mut short: FxHashMap<u64, &str> = FxHashMap::default();
    let mut long: FxHashSet<(u64, &str)> = FxHashSet::default();
    for (id, text) in &texts {
        let mut lengths = String::new();
        for range in lexicon.segment(text) {
            let word = &text[range];
            let (n, number) = length_and_number(word);
            lengths.push(char::from(b'a' + n.min(26) as u8 - 1));
            if n <= 3 {
                short.entry(number).or_insert(word);
            } else {
                long.insert((number, word));
            }
        }
        lengths_by_block.insert(id, lengths);
    }
    // Sorted by number first, the string deciding only between a long word
    // and the words of its first three characters: the order of the strings.
    let mut found: Vec<(u64, &str)> = short.into_iter().chain(long).collect();
    found.sort_unstable();
    let found: Vec<&str> = found.into_iter().map(|(_, word)| word).collect();
    words.make(resolved, &found);

    let made = words.made.read().expect("no thread panics while holding the words");
    let mut entries = JsonObject::default();
    let mut terms = JsonObject::default();
    for word in &found {
        let json = &made[*word];
        entries.push(word, json.entries.as_deref());
        terms.push(word, json.term.as_deref());
    }
    let lengths = super::script_json(&lengths_by_block);
    let data = format!("{{\"p\":{lengths},\"w\":{},\"t\":{}}}", entries.end(), terms.end());
    Some(OutputFile {
        path: PathBuf::from(&article.slug).join("words.js"),
        bytes: format!("dubenWords({});\n", super::script_safe(data)).into_bytes(),
    })
}

/// A word's length in characters and its first three characters as one
/// number: their code points, 21 bits each, from the highest bits down, a
/// shorter word's missing characters 0. A code point takes at most 21 bits,
/// and no character of a word is U+0000 (`Lexicon::segment` makes words of
/// Han characters only), so words of up to three characters have a number
/// each; and numbers are in the order of the strings (UTF-8's order is the
/// code points'), a word's number below those of the longer words it
/// begins.
fn length_and_number(word: &str) -> (usize, u64) {
    let mut number = 0u64;
    let mut length = 0;
    for c in word.chars() {
        if length < 3 {
            number |= u64::from(c) << (42 - 21 * length);
        }
        length += 1;
    }
    (length, number)
}

impl WordData {
    /// Makes the JSON of those of `found` that no article has had yet.
    fn make(&self, resolved: &Resolved, found: &[&str]) {
        let missing: Vec<&str> = {
            let made = self.made.read().expect("no thread panics while holding the words");
            found.iter().copied().filter(|w| !made.contains_key(*w)).collect()
        };
        if missing.is_empty() {
            return;
        }
        let new: Vec<(Box<str>, WordJson)> = missing.iter().map(|w| ((*w).into(), word_json(resolved, w))).collect();
        let mut made = self.made.write().expect("no thread panics while holding the words");
        made.extend(new);
    }
}

fn word_json(resolved: &Resolved, word: &str) -> WordJson {
    let mut entries: Vec<(String, &str, &str)> = dictionary::entries(word)
        .map(|e| {
            (
                dictionary::write_as_word(e.pinyin),
                e.traditional.unwrap_or(""),
                e.senses,
            )
        })
        .collect();
    let main = words::reading(word).unwrap_or_else(|| by_characters(word));
    let term = resolved.matcher.term_of_form(word).map(|term| {
        let term = resolved.terms[term];
        let pinyin = match &term.pinyin {
            Some(p) if term.zh.get_ref() == word => p.get_ref().clone(),
            _ => main.clone(),
        };
        json(&(term.id.get_ref(), pinyin))
    });
    // The reading ruby shows comes first, then the others in the
    // dictionary's order, three at most: the main reading may be a late
    // line (和's "and", hé, is CC-CEDICT's fifth, after the surname).
    if let Some(at) = entries.iter().position(|e| e.0 == main) {
        entries[..=at].rotate_right(1);
    } else if entries.is_empty() && !main.is_empty() {
        entries.push((main, "", ""));
    }
    entries.truncate(3);
    WordJson {
        entries: (!entries.is_empty()).then(|| json(&entries)),
        term,
    }
}

fn json(value: &impl serde::Serialize) -> Box<str> {
    serde_json::to_string(value).expect("strings only").into()
}

/// A JSON object written key by key, in the order given (each key escaped
/// in place: an article has thousands).
#[derive(Default)]
struct JsonObject {
    text: String,
}

impl JsonObject {
    fn push(&mut self, key: &str, value: Option<&str>) {
        let Some(value) = value else {
            return;
        };
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        // A word needs no escaping (it is Han characters): written as it is,
        // the object stays a String, never checked again as UTF-8.
        if key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            self.text.push_str(&json(&key));
        } else {
            self.text.push('"');
            self.text.push_str(key);
            self.text.push('"');
        }
        self.text.push(':');
        self.text.push_str(value);
    }

    fn end(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
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

#[cfg(test)]
mod tests {
    use super::{JsonObject, length_and_number};

    #[test]
    fn short_words_are_numbered_apart_in_the_order_of_the_strings() {
        let mut words = [
            "国",
            "防",
            "国防",
            "防国",
            "国防部",
            "部国防",
            "𠀀国",
            "国𠀀",
            "𠀀𠀀𠀀",
            "国防部长",
            "国防部长会",
        ];
        let numbers: Vec<u64> = words.iter().map(|w| length_and_number(w).1).collect();
        for (i, a) in numbers[..9].iter().enumerate() {
            assert_eq!(numbers[..9].iter().filter(|b| *b == a).count(), 1, "{}", words[i]);
        }
        assert_eq!(length_and_number("国防部"), (3, numbers[4]));
        assert_eq!(length_and_number("国防部长"), (4, numbers[4]));
        let mut by_number = words.map(|w| (length_and_number(w).1, w));
        by_number.sort_unstable();
        words.sort_unstable();
        assert_eq!(by_number.map(|(_, w)| w), words);
    }

    #[test]
    fn a_key_that_needs_escaping_is_escaped() {
        let mut object = JsonObject::default();
        object.push("国防", Some("1"));
        object.push("a\"b\\", Some("2"));
        object.push("none", None);
        assert_eq!(object.end(), r#"{"国防":1,"a\"b\\":2}"#);
        assert_eq!(JsonObject::default().end(), "{}");
    }
}
