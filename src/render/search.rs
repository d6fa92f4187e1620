//! The search index: every paragraph, translation and note, glossary entry
//! and timeline event, as script files the search page loads with `<script>`
//! (so it works from `file://`, where `fetch` does not). Documents are cut
//! into chunks of about `CHUNK_BYTES`; a key index maps every character
//! that is not ASCII (Chinese, mostly) and every pair of them, every Latin
//! word and pinyin trigram to the chunks that hold it, split into buckets
//! by a hash of the key. A query loads only the buckets of its own keys and
//! then only the chunks that have all of them; static/search.js matches
//! exactly within those. The search page itself is rendered here too.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use super::OutputFile;
use super::context::{Common, render_page};
use super::theme::Theme;
use super::urls::{Page, event_anchor, term_anchor};
use crate::content::NoteKind;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::normalize::{self, Key};
use crate::resolve::Resolved;

/// A chunk's target size (its JSON, before compression).
const CHUNK_BYTES: usize = 24 * 1024;
/// A bucket's target size: the key files a query loads first.
const BUCKET_BYTES: usize = 16 * 1024;
/// Below this size the whole index may be loaded for a query that has no
/// key (a one-letter word).
const SMALL_INDEX_BYTES: usize = 256 * 1024;
/// Articles whose documents are made together before their chunks are
/// written: enough to share among the cores, few enough to hold a few
/// megabytes (64 articles of 80 paragraphs are about 8 MB).
const ARTICLES_AT_ONCE: usize = 64;
/// Chunks written side by side whose keys then wait to be added to the
/// index in order: enough to share among the cores, few enough that their
/// keys take little memory.
const CHUNKS_AT_ONCE: usize = 32;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Paragraph,
    Note,
    Term,
    Event,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Paragraph => "paragraph",
            Kind::Note => "note",
            Kind::Term => "term",
            Kind::Event => "event",
        }
    }

    /// A chunk's letter in `Manifest::kinds`, from its first document.
    fn letter(self) -> char {
        match self {
            Kind::Paragraph | Kind::Note => 'a',
            Kind::Term => 't',
            Kind::Event => 'e',
        }
    }
}

/// One searchable thing: where it links (from the site root), what the
/// result is called, the text that is matched and shown, and a term's
/// pinyin without tones.
struct Document {
    kind: Kind,
    href: String,
    label: String,
    text: String,
    pinyin: String,
}

impl Document {
    /// As the page reads it: `[kind, href, label, text, pinyin]`.
    fn json(&self) -> (&str, &str, &str, &str, &str) {
        (self.kind.name(), &self.href, &self.label, &self.text, &self.pinyin)
    }

    /// Every key a query that matches this document can have.
    fn keys(&self, into: &mut ChunkKeys) {
        normalize::index_keys(&self.text, |key| match key {
            Key::Single(c) => into.singles.insert(c),
            Key::Pair(a, b) => {
                into.bigrams.insert(u64::from(a) << 32 | u64::from(b));
            }
            Key::Word(word) => into.add_word(word),
        });
        if !self.pinyin.is_empty() {
            let letters: Vec<char> = self.pinyin.chars().collect();
            for triple in letters.windows(3) {
                into.others.insert(format!("~{}", triple.iter().collect::<String>()));
            }
            into.others.insert(format!("~{}", self.pinyin));
        }
    }
}

/// The keys of one chunk's documents, each once. Bigrams are kept as
/// character pairs packed in a number (no string for each of the text's
/// millions), and the sets are hashed: their order never reaches the
/// output, which is sorted.
#[derive(Default)]
struct ChunkKeys {
    singles: CharSet,
    bigrams: FxHashSet<u64>,
    others: FxHashSet<String>,
}

impl ChunkKeys {
    /// Sets for documents of `bytes` bytes of text, most of it Chinese:
    /// about a pair for every character (three bytes), and none grown.
    fn for_text(bytes: usize) -> ChunkKeys {
        ChunkKeys {
            bigrams: FxHashSet::with_capacity_and_hasher(bytes / 3, Default::default()),
            ..ChunkKeys::default()
        }
    }

    fn add_word(&mut self, word: &str) {
        if !self.others.contains(word) {
            self.others.insert(word.to_owned());
        }
    }

    /// The keys as lists, a chunk's keys kept until it is its turn to be
    /// added to the index (the sets, sized for the text, are larger).
    fn into_found(self) -> FoundKeys {
        FoundKeys {
            singles: self.singles.iter().collect(),
            bigrams: self.bigrams.into_iter().collect(),
            others: self.others.into_iter().collect(),
        }
    }
}

/// The keys of one chunk, each once, in no order.
struct FoundKeys {
    singles: Vec<char>,
    bigrams: Vec<u64>,
    others: Vec<String>,
}

/// A set of characters: a bit for each of the Basic Multilingual Plane,
/// where nearly every character of a text is (setting a bit costs less
/// than hashing, and a chunk has thousands of characters), a hashed set for
/// the rest.
struct CharSet {
    plane: Vec<u64>,
    beyond: FxHashSet<char>,
}

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            plane: vec![0; 0x10000 / 64],
            beyond: FxHashSet::default(),
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let n = c as usize;
        match self.plane.get_mut(n / 64) {
            Some(bits) => *bits |= 1 << (n % 64),
            None => {
                self.beyond.insert(c);
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        let plane = self.plane.iter().enumerate().flat_map(|(at, &bits)| {
            let mut left = bits;
            std::iter::from_fn(move || {
                (left != 0).then(|| {
                    let bit = left.trailing_zeros() as usize;
                    left &= left - 1;
                    at * 64 + bit
                })
            })
        });
        plane
            .filter_map(|n| char::from_u32(n as u32))
            .chain(self.beyond.iter().copied())
    }
}

/// Every key of the index with the chunks that hold it, as the key files
/// write them (`Deltas`): a few bytes a chunk where a number had taken four
/// and its list's spare room more (at 1000x80, 9.5 million of them).
#[derive(Default)]
struct KeyIndex {
    singles: FxHashMap<char, Deltas>,
    bigrams: FxHashMap<u64, Deltas>,
    others: FxHashMap<String, Deltas>,
}

impl KeyIndex {
    /// Adds the keys of chunk `number`, numbered above every chunk added
    /// before.
    fn add(&mut self, keys: FoundKeys, number: u32) {
        for c in keys.singles {
            self.singles.entry(c).or_default().push(number);
        }
        for pair in keys.bigrams {
            self.bigrams.entry(pair).or_default().push(number);
        }
        for key in keys.others {
            self.others.entry(key).or_default().push(number);
        }
    }

    /// Every key as the page script spells it, with its chunks.
    fn into_keys(self) -> Vec<(String, Deltas)> {
        let singles = self.singles.into_iter().map(|(c, list)| (String::from(c), list));
        let bigrams = self.bigrams.into_iter().map(|(pair, list)| (pair_key(pair), list));
        singles.chain(bigrams).chain(self.others).collect()
    }
}

/// Chunk numbers in increasing order, as the differences from the previous
/// one in base 36 joined by commas: "0,1,5" for chunks 0, 1 and 6.
#[derive(Default, Debug, PartialEq, Eq)]
struct Deltas {
    /// How many numbers the text holds.
    count: usize,
    /// The last number pushed.
    last: u32,
    text: Vec<u8>,
}

impl Deltas {
    fn push(&mut self, number: u32) {
        const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        debug_assert!(self.count == 0 || number > self.last, "chunks are added in order");
        if self.count > 0 {
            self.text.push(b',');
        }
        // The digits of the difference, last first, then turned around.
        let start = self.text.len();
        let mut left = number - self.last;
        loop {
            self.text.push(DIGITS[(left % 36) as usize]);
            left /= 36;
            if left == 0 {
                break;
            }
        }
        self.text[start..].reverse();
        self.last = number;
        self.count += 1;
    }
}

/// A pair of characters packed as `Document::keys` packs it, as a key.
fn pair_key(pair: u64) -> String {
    let char_of = |n: u64| char::from_u32(n as u32).expect("packed from characters");
    String::from_iter([char_of(pair >> 32), char_of(pair & 0xffff_ffff)])
}

/// What every chunk written gathered: each chunk's size and hash, in the
/// chunks' order, and the keys.
#[derive(Default)]
struct Index {
    chunks: Vec<(usize, u64)>,
    keys: KeyIndex,
}

#[derive(Serialize)]
struct Manifest {
    /// Changes with the index; the page asks for `?v=` of it.
    version: String,
    buckets: usize,
    /// Size of each chunk in bytes, so the page can say what it loads.
    chunks: Vec<usize>,
    /// What each chunk holds first, one letter a chunk: `a` an article's
    /// paragraphs and notes, `t` terms, `e` events (the page loads the
    /// chunks of terms and events first; a small chunk may hold the next
    /// group too, see `chunk`).
    kinds: String,
    /// How many documents of each kind.
    counts: BTreeMap<&'static str, usize>,
    /// Whether a query without keys may load every chunk.
    small: bool,
}

/// Writes the index files to `sink` as they are made (the index of a large
/// site is the largest part of its output, and no file of it waits in
/// memory for the others) and returns the search page. The outer error is
/// the sink's.
pub fn render<E: Send>(
    resolved: &Resolved,
    theme: &Theme,
    common: &Common,
    sink: &(impl Fn(&OutputFile) -> Result<(), E> + Sync),
) -> Result<Result<OutputFile, Diagnostic>, E> {
    let mut chunks = Chunks::default();
    // An article's documents are its text again (a copy of every paragraph
    // and note): made a few articles at a time and written as chunks, they
    // never all wait in memory (at 1000x80 they had been 135 MB of a
    // build's peak).
    for first in (0..resolved.articles.len()).step_by(ARTICLES_AT_ONCE) {
        let articles = first..(first + ARTICLES_AT_ONCE).min(resolved.articles.len());
        let by_article: Vec<Vec<Document>> = articles
            .into_par_iter()
            .map(|index| article_documents(resolved, index))
            .collect();
        chunks.add(by_article.into_iter().flatten(), sink)?;
    }
    chunks.add(term_documents(resolved), sink)?;
    chunks.add(event_documents(resolved), sink)?;
    let Chunks {
        index, kinds, counts, ..
    } = chunks.finish(sink)?;
    let Index { chunks: written, keys } = index;
    let mut chunk_sizes = Vec::with_capacity(written.len());
    let mut version = Version::default();
    for (size, hash) in written {
        chunk_sizes.push(size);
        version.add_bytes(&hash.to_le_bytes());
    }
    let keys = keys.into_keys();
    let key_bytes: usize = keys.iter().map(|(k, list)| k.len() + 4 + list.count * 3).sum();
    let buckets = key_bytes.div_ceil(BUCKET_BYTES).max(1);
    let mut by_bucket: Vec<Vec<(&str, &Deltas)>> = vec![Vec::new(); buckets];
    for (key, list) in &keys {
        by_bucket[bucket(key, buckets)].push((key, list));
    }
    for (number, entries) in by_bucket.iter_mut().enumerate() {
        let body = format!("dubenSearch.keys({number},{});\n", key_map_json(entries));
        version.add(&body);
        sink(&script(format!("search/k/{number}.js"), body))?;
    }
    let total: usize = chunk_sizes.iter().sum::<usize>() + key_bytes;
    let manifest = Manifest {
        version: version.hex(),
        buckets,
        chunks: chunk_sizes,
        kinds,
        counts,
        small: total <= SMALL_INDEX_BYTES,
    };
    let manifest_body = format!("dubenSearch.manifest({});\n", super::script_json(&manifest));
    sink(&script("search/manifest.js".into(), manifest_body))?;

    let mut context = common.context(&Page::Search, "搜索 Search");
    context.insert("search_version", &manifest.version);
    context.insert("search_counts", &manifest.counts);
    Ok(render_page(theme, "search.html", &context, &Page::Search))
}

fn script(path: String, body: String) -> OutputFile {
    OutputFile {
        path: PathBuf::from(path),
        bytes: body.into_bytes(),
    }
}

/// The documents of the index in order (paragraphs and notes article by
/// article, then terms, then events), cut into chunks as they are added:
/// every chunk but the last is written at once, the last stays open for the
/// documents that follow. Where `chunk` cuts depends only on the documents
/// of the chunk it is filling, so every chunk but its last is final, and
/// cutting again from that last chunk's start gives the chunks of all the
/// documents cut at once.
#[derive(Default)]
struct Chunks {
    /// The documents of the chunk still open.
    open: Vec<Document>,
    index: Index,
    /// A letter for each chunk written (`Manifest::kinds`).
    kinds: String,
    counts: BTreeMap<&'static str, usize>,
}

impl Chunks {
    fn add<E: Send>(
        &mut self,
        documents: impl IntoIterator<Item = Document>,
        sink: &(impl Fn(&OutputFile) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        for document in documents {
            *self.counts.entry(document.kind.name()).or_insert(0) += 1;
            self.open.push(document);
        }
        let mut ranges = chunk(&self.open);
        let open = ranges.pop().map_or(self.open.len(), |last| last.start);
        self.write(&ranges, sink)?;
        self.open.drain(..open);
        Ok(())
    }

    /// Writes the last chunk.
    fn finish<E: Send>(mut self, sink: &(impl Fn(&OutputFile) -> Result<(), E> + Sync)) -> Result<Chunks, E> {
        let ranges = chunk(&self.open);
        self.write(&ranges, sink)?;
        self.open.clear();
        Ok(self)
    }

    /// Writes `ranges` of the open documents as the next chunks, a few at
    /// a time in parallel, then adds their keys to the index in the
    /// chunks' order, which keeps every key's list in order as it grows.
    /// (Gathered on each thread and merged, the lists had been hashed three
    /// times and sorted: a quarter of the index's samples on the included
    /// site.)
    fn write<E: Send>(
        &mut self,
        ranges: &[std::ops::Range<usize>],
        sink: &(impl Fn(&OutputFile) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        let documents = &self.open;
        for group in ranges.chunks(CHUNKS_AT_ONCE) {
            // Every chunk written so far is in the index: the next one's number.
            let first = self.index.chunks.len() as u32;
            let written: Vec<(u32, usize, u64, FoundKeys)> = group
                .par_iter()
                .enumerate()
                .map(|(k, range)| {
                    let number = first + k as u32;
                    let (file, keys) = write_chunk(&documents[range.clone()], number);
                    sink(&file)?;
                    Ok((number, file.bytes.len(), Version::of(&file.bytes), keys))
                })
                .collect::<Result<_, E>>()?;
            for (number, size, hash, keys) in written {
                self.index.chunks.push((size, hash));
                self.index.keys.add(keys, number);
            }
        }
        self.kinds
            .extend(ranges.iter().map(|range| documents[range.start].kind.letter()));
        Ok(())
    }
}

/// Chunk `number` of `documents`, and its keys.
fn write_chunk(documents: &[Document], number: u32) -> (OutputFile, FoundKeys) {
    let text_bytes: usize = documents.iter().map(|d| d.text.len()).sum();
    let mut chunk_keys = ChunkKeys::for_text(text_bytes);
    let docs: Vec<_> = documents
        .iter()
        .map(|d| {
            d.keys(&mut chunk_keys);
            d.json()
        })
        .collect();
    let file = script(
        format!("search/c/{number}.js"),
        format!("dubenSearch.chunk({number},{});\n", super::script_json(&docs)),
    );
    (file, chunk_keys.into_found())
}

fn article_documents(resolved: &Resolved, index: usize) -> Vec<Document> {
    let mut documents = Vec::new();
    let article = resolved.articles[index];
    let title = &article.meta.title;
    article.with_document(|document| {
        for block in &document.blocks {
            let Some(number) = block.number() else {
                continue;
            };
            documents.push(Document {
                kind: Kind::Paragraph,
                href: format!("{}/index.html#p{number}", article.slug),
                label: format!("{title} ¶{number}"),
                text: block.plain_text(),
                pinyin: String::new(),
            });
        }
    });
    for resolved_note in &resolved.notes[index] {
        let note = resolved_note.note;
        let number = resolved_note.place.paragraph;
        let what = match note.kind {
            NoteKind::Translation => "译文 translation",
            NoteKind::Commentary => "注 note",
            NoteKind::Question => "问题 question",
            NoteKind::Source => "出处 source",
        };
        documents.push(Document {
            kind: Kind::Note,
            href: format!("{}/index.html#p{number}", article.slug),
            label: format!("{title} ¶{number} · {what}"),
            text: markdown::to_plain(note.body.get_ref()),
            pinyin: String::new(),
        });
    }
    documents
}

fn term_documents(resolved: &Resolved) -> Vec<Document> {
    let mut documents = Vec::new();
    for term in &resolved.terms {
        let pinyin = term.pinyin.as_ref().map(|p| p.get_ref().as_str());
        let mut label = term.zh.get_ref().clone();
        for part in [pinyin, term.en.as_deref()].into_iter().flatten() {
            label.push(' ');
            label.push_str(part);
        }
        let mut text = label.clone();
        for alias in &term.aliases {
            text.push_str(" · ");
            text.push_str(alias.get_ref());
        }
        for definition in term.definition.iter().chain(&term.definition_zh) {
            text.push_str(" · ");
            text.push_str(&markdown::to_plain(definition.get_ref()));
        }
        documents.push(Document {
            kind: Kind::Term,
            href: format!("glossary/index.html#{}", term_anchor(term.id.get_ref())),
            label,
            text,
            pinyin: pinyin.map(normalize::toneless_pinyin).unwrap_or_default(),
        });
    }
    documents
}

fn event_documents(resolved: &Resolved) -> Vec<Document> {
    let mut documents = Vec::new();
    for event in &resolved.events {
        let mut label = format!("{} {}", event.date.chinese(), event.event.title);
        if let Some(en) = &event.event.title_en {
            label.push_str(" · ");
            label.push_str(en);
        }
        let mut text = format!(
            "{} {}",
            event.event.title,
            event.event.title_en.as_deref().unwrap_or("")
        );
        if let Some(description) = &event.event.description {
            text.push_str(" · ");
            text.push_str(&markdown::to_plain(description.get_ref()));
        }
        documents.push(Document {
            kind: Kind::Event,
            href: format!("timeline/index.html#{}", event_anchor(event.event.id.get_ref())),
            label,
            text: text.trim().to_owned(),
            pinyin: String::new(),
        });
    }
    documents
}

/// Consecutive documents, each chunk about `CHUNK_BYTES` at most. A chunk
/// holds one group (`group`: an article's paragraphs and notes, the terms,
/// the events) unless it is under a quarter full where its first document's
/// group ends: then the next group's documents join it, so that small
/// articles do not each make a small file.
fn chunk(documents: &[Document]) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, document) in documents.iter().enumerate() {
        let bytes = document.text.len() + document.label.len() + document.href.len() + 16;
        let same_group = i > start && group(&documents[start]) == group(document);
        if i > start && (!same_group && size > CHUNK_BYTES / 4 || size + bytes > CHUNK_BYTES) {
            chunks.push(start..i);
            start = i;
            size = 0;
        }
        size += bytes;
    }
    if start < documents.len() {
        chunks.push(start..documents.len());
    }
    chunks
}

/// Documents that belong together in a chunk: an article's paragraphs and
/// notes, the terms, the events.
fn group(document: &Document) -> (u8, &str) {
    match document.kind {
        Kind::Paragraph | Kind::Note => (0, document.href.split('/').next().unwrap_or("")),
        Kind::Term => (1, ""),
        Kind::Event => (2, ""),
    }
}

/// FNV-1a over the key's code points; static/search.js computes the same.
fn bucket(key: &str, buckets: usize) -> usize {
    let mut hash: u32 = 2_166_136_261;
    for c in key.chars() {
        hash ^= c as u32;
        hash = hash.wrapping_mul(16_777_619);
    }
    hash as usize % buckets
}

/// A bucket's keys as the JSON object `{"key":"deltas",…}`, keys in order,
/// written as `script_json` writes a map of strings but without a string
/// made for each of the index's keys. The keys are distinct.
fn key_map_json(entries: &mut [(&str, &Deltas)]) -> String {
    entries.sort_unstable_by_key(|&(key, _)| key);
    let mut out: Vec<u8> = Vec::with_capacity(entries.iter().map(|(key, list)| key.len() + list.text.len() + 8).sum());
    out.push(b'{');
    for (i, (key, list)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, key).expect("a string is written to memory");
        out.extend_from_slice(b":\"");
        out.extend_from_slice(&list.text);
        out.push(b'"');
    }
    out.push(b'}');
    super::script_safe(String::from_utf8(out).expect("JSON of strings is UTF-8"))
}

/// A version that changes with the index: one hash over each chunk's own
/// hash, then every key file. FxHash condenses a slice many bytes a step
/// (the index is most of a large site's bytes; FNV, a byte a step, had
/// been 2% of a build). It is the same for the same index from the same
/// binary, which is all a version in `?v=` needs.
#[derive(Default)]
struct Version(rustc_hash::FxHasher);

impl Version {
    fn add(&mut self, text: &str) {
        self.add_bytes(text.as_bytes());
    }

    fn add_bytes(&mut self, bytes: &[u8]) {
        std::hash::Hasher::write(&mut self.0, bytes);
    }

    /// A chunk's own hash, added in the chunks' order.
    fn of(bytes: &[u8]) -> u64 {
        let mut version = Version::default();
        version.add_bytes(bytes);
        std::hash::Hasher::finish(&version.0)
    }

    fn hex(&self) -> String {
        format!("{:012x}", std::hash::Hasher::finish(&self.0) & 0xffff_ffff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deltas_of(list: &[u32]) -> Deltas {
        let mut deltas = Deltas::default();
        for &number in list {
            deltas.push(number);
        }
        deltas
    }

    fn deltas(list: &[u32]) -> String {
        String::from_utf8(deltas_of(list).text).unwrap()
    }

    #[test]
    fn deltas_are_base36_differences() {
        assert_eq!(deltas(&[0, 1, 6, 42]), "0,1,5,10");
        assert_eq!(deltas(&[3]), "3");
        assert_eq!(deltas(&[35, 36 + 35, 36 * 36 + 36 + 35]), "z,10,100");
    }

    #[test]
    fn a_bucket_is_the_json_of_its_keys_in_order() {
        let (one, two) = (deltas_of(&[0, 6]), deltas_of(&[2]));
        let mut entries = [("台湾", &one), ("a\"b", &two)];
        let expected = BTreeMap::from([("台湾", "0,6"), ("a\"b", "2")]);
        assert_eq!(key_map_json(&mut entries), super::super::script_json(&expected));
    }

    #[test]
    fn buckets_match_the_page_script() {
        // The same values as static/search.js computes (see its `bucket`).
        assert_eq!(bucket("台湾", 1), 0);
        assert_eq!(bucket("台湾", 97), 84);
    }

    #[test]
    fn a_key_lists_the_chunks_that_hold_it_in_order() {
        let texts = [
            "中美两军关系",
            "两军交流 exchanges",
            "中美关系",
            "military exchanges 两军",
        ];
        let mut index = KeyIndex::default();
        for (number, text) in texts.iter().enumerate() {
            let document = Document {
                kind: Kind::Paragraph,
                href: String::new(),
                label: String::new(),
                text: (*text).into(),
                pinyin: String::new(),
            };
            let mut chunk = ChunkKeys::default();
            document.keys(&mut chunk);
            index.add(chunk.into_found(), number as u32);
        }
        let keys = keys_of(index);
        let list = |key: &str| keys.iter().find(|(k, _)| k == key).map(|(_, list)| list.as_str());
        assert_eq!(list("两军"), Some("0,1,2"));
        assert_eq!(list("exchanges"), Some("1,2"));
        assert_eq!(list("中美"), Some("0,2"));
    }

    /// Document `i` of a test index: of `kind`, in article `article`, of
    /// about `bytes` bytes of text, which differs from document to document
    /// (so that the keys say which chunk holds which document).
    fn document(i: usize, (kind, article, bytes): (Kind, usize, usize)) -> Document {
        let first = char::from_u32(0x4e00 + (i % 23) as u32).unwrap();
        Document {
            kind,
            href: format!("a{article}/index.html#p1"),
            label: String::new(),
            text: format!("{first}{}", "中".repeat(bytes / 3)),
            pinyin: String::new(),
        }
    }

    /// Every file, `kinds`, key (with its chunks as the key files write
    /// them) and count of an index, each in order.
    type Written = (
        Vec<(PathBuf, Vec<u8>)>,
        String,
        Vec<(String, String)>,
        Vec<(&'static str, usize)>,
    );

    /// Every key of `index` with its chunks as the key files write them, in
    /// order.
    fn keys_of(index: KeyIndex) -> Vec<(String, String)> {
        let mut keys: Vec<(String, String)> = index
            .into_keys()
            .into_iter()
            .map(|(key, list)| (key, String::from_utf8(list.text).unwrap()))
            .collect();
        keys.sort();
        keys
    }

    /// The index `Chunks` writes when given `documents` in pieces of
    /// `piece` documents.
    fn chunked_in_pieces(documents: &[(Kind, usize, usize)], piece: usize) -> Written {
        let files = std::sync::Mutex::new(Vec::new());
        let sink = |file: &OutputFile| -> Result<(), ()> {
            files.lock().unwrap().push((file.path.clone(), file.bytes.clone()));
            Ok(())
        };
        let numbered: Vec<(usize, (Kind, usize, usize))> = documents.iter().copied().enumerate().collect();
        let mut chunks = Chunks::default();
        for part in numbered.chunks(piece) {
            chunks.add(part.iter().map(|&(i, d)| document(i, d)), &sink).unwrap();
        }
        let chunks = chunks.finish(&sink).unwrap();
        let mut files = files.into_inner().unwrap();
        files.sort();
        let counts = chunks.counts.into_iter().collect();
        (files, chunks.kinds, keys_of(chunks.index.keys), counts)
    }

    /// The same index made as if every document came at once: cut by
    /// `chunk`, each chunk written and its keys added in turn.
    fn chunked_at_once(documents: &[(Kind, usize, usize)]) -> Written {
        let all: Vec<Document> = documents.iter().enumerate().map(|(i, &d)| document(i, d)).collect();
        let mut index = KeyIndex::default();
        let mut files = Vec::new();
        let mut kinds = String::new();
        let mut counts = BTreeMap::new();
        for (number, range) in chunk(&all).into_iter().enumerate() {
            let (file, keys) = write_chunk(&all[range.clone()], number as u32);
            index.add(keys, number as u32);
            files.push((file.path, file.bytes));
            kinds.push(all[range.start].kind.letter());
        }
        for d in &all {
            *counts.entry(d.kind.name()).or_insert(0) += 1;
        }
        files.sort();
        (files, kinds, keys_of(index), counts.into_iter().collect())
    }

    #[test]
    fn chunks_written_piece_by_piece_are_those_of_all_documents_at_once() {
        // Articles small and large (one paragraph larger than a chunk), so
        // that chunks both hold several articles and split one; then terms
        // and events.
        let mut documents: Vec<(Kind, usize, usize)> = (0..40)
            .map(|i| {
                (
                    Kind::Paragraph,
                    i / 3 + (i / 17) * 5,
                    [900, 3_000, 30_000, 6_000][i % 4],
                )
            })
            .collect();
        documents.extend((0..30).map(|i| (Kind::Term, 0, 500 + i * 50)));
        documents.extend((0..20).map(|i| (Kind::Event, 0, 300 + i * 40)));
        let at_once = chunked_at_once(&documents);
        assert!(at_once.0.len() > 5, "the documents make several chunks");
        for piece in [1, 2, 3, 5, 13, 64, documents.len()] {
            assert!(chunked_in_pieces(&documents, piece) == at_once, "in pieces of {piece}");
        }
    }

    #[test]
    fn a_document_has_the_keys_of_every_query_it_matches() {
        let document = Document {
            kind: Kind::Term,
            href: String::new(),
            label: String::new(),
            text: "地缘 政治 geopolitics，ＴＲＡ".into(),
            pinyin: normalize::toneless_pinyin("dìyuán zhèngzhì"),
        };
        let mut chunk = ChunkKeys::default();
        document.keys(&mut chunk);
        let mut index = KeyIndex::default();
        index.add(chunk.into_found(), 7);
        let lists = index.into_keys();
        assert!(
            lists.iter().all(|(_, list)| *list == deltas_of(&[7])),
            "each key once, with its chunk"
        );
        let keys: Vec<&str> = lists.iter().map(|(key, _)| key.as_str()).collect();
        for key in [
            "地",
            "治",
            "地缘",
            "缘政",
            "政治",
            "geopolitics",
            "tra",
            "~diy",
            "~yua",
            "~diyuanzhengzhi",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        assert!(!keys.contains(&"ge"), "Latin text is indexed by words, not pairs");
        assert!(
            !keys.contains(&"g") && !keys.contains(&","),
            "nor by letters, nor punctuation"
        );
    }
}
