//! Reading files and turning TOML into typed values with spans, reporting
//! every problem as a diagnostic that points at the file, line and column.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::symlink;
use crate::bidi;
use crate::diagnostics::{Diagnostic, Sources, did_you_mean};

/// State shared while loading: the site root, the sources read so far and the
/// diagnostics collected.
pub struct LoadContext {
    pub root: PathBuf,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub unloaded: super::Unloaded,
}

impl LoadContext {
    pub fn new(root: &Path) -> Self {
        LoadContext {
            root: root.to_path_buf(),
            sources: Sources::default(),
            diagnostics: Vec::new(),
            unloaded: super::Unloaded::default(),
        }
    }

    /// Reads `relative` (a path under the root), remembering its text for
    /// reports. A file that cannot be read is reported, not fatal.
    pub fn read(&mut self, relative: &Path) -> Option<String> {
        let text = self.read_unremembered(relative)?;
        self.sources.add(relative, text.clone());
        Some(text)
    }

    /// Reads like `read` without keeping a copy for reports: the caller
    /// hands the text to `remember_if_reported` once loading has checked
    /// it, and `content::read_reported` reads it back for a report that
    /// points into it later (one from resolve).
    pub fn read_unremembered(&mut self, relative: &Path) -> Option<String> {
        let bytes = self.read_bytes(relative)?;
        Some(self.checked_text(relative, bytes))
    }

    /// The bytes of `relative`, read as `read_unremembered` reads them (not
    /// through a linked folder, nor a link leading out of the site), before
    /// they are checked as text.
    pub fn read_bytes(&mut self, relative: &Path) -> Option<Vec<u8>> {
        if !self.may_look_in(relative.parent().unwrap_or(Path::new(""))) {
            return None;
        }
        if self.leaves_the_site(relative) {
            self.diagnostics.push(
                Diagnostic::error(
                    "symlink-outside",
                    relative,
                    None,
                    "this file is a symbolic link to a file outside the site, which duben does not follow",
                )
                .with_help("copy the file into the site instead of linking to it (see docs/security.md)"),
            );
            return None;
        }
        match read_regular_file(&self.root.join(relative)) {
            Ok(Ok(bytes)) => Some(bytes),
            Ok(Err(kind)) => {
                self.diagnostics.push(not_a_file(relative, kind));
                None
            }
            Err(error) => {
                self.diagnostics.push(unreadable_file(relative, &error));
                None
            }
        }
    }

    /// What is at `relative`: a regular file (or a link to one, checked
    /// when read), nothing, or something else, which is reported here (a
    /// folder named like the file, a named pipe, whose reading would wait
    /// for a writer forever, a socket or a device), so that the caller does
    /// not call it missing.
    pub fn presence(&mut self, relative: &Path) -> Presence {
        match fs::metadata(self.root.join(relative)) {
            Ok(meta) if meta.is_file() => Presence::File,
            Ok(meta) => {
                self.report(not_a_file(relative, meta.file_type()));
                Presence::NotAFile
            }
            Err(_) => Presence::Missing,
        }
    }

    /// Whether `relative` is a symbolic link whose target lies outside the
    /// site root: content comes from the site's repository only, so a link
    /// to `/etc/passwd` or `~/.ssh` is never read into a page.
    fn leaves_the_site(&self, relative: &Path) -> bool {
        symlink::is_link(&self.root.join(relative)) && symlink::points_outside(&self.root, relative)
    }

    /// Whether the loader may look inside `folder` (relative to the root):
    /// not if it, or a folder above it, is a symbolic link, which is never
    /// entered. A folder that is itself a link is reported here; one under
    /// a link is not, since that link is reported where it is met.
    pub fn enters(&mut self, folder: &Path) -> bool {
        match symlink::linked_folder(&self.root, folder) {
            None => true,
            Some(link) => {
                if link == folder {
                    self.report(symlink::linked_folder_report(&self.root, &link));
                }
                false
            }
        }
    }

    /// The names of the entries directly in `folder` (relative to the root)
    /// that are `what`, sorted; none if it is not a folder or may not be
    /// entered (see `enters`). Symbolic links in it are not followed: a
    /// link's file type is a link, neither a file nor a folder. A folder or
    /// entry that cannot be read is reported, since what it holds would
    /// otherwise be missing from the site without a word.
    pub fn list(&mut self, folder: &Path, what: Listed) -> Vec<String> {
        let dir = self.root.join(folder);
        if !self.enters(folder) || !dir.is_dir() {
            return Vec::new();
        }
        let mut names = Vec::new();
        let listing = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name();
        for entry in listing {
            match entry {
                Ok(entry) => match what.classify(&entry) {
                    Found::Kept => names.push(entry.file_name().to_string_lossy().into_owned()),
                    Found::NotAFile => {
                        let relative = folder.join(entry.file_name());
                        self.report(not_a_file(&relative, entry.file_type()));
                    }
                    Found::Other => {}
                },
                Err(error) => self.report(unreadable_folder(&self.root, folder, &error)),
            }
        }
        names
    }

    /// `enters` without reporting: for reading a file, whose folders were
    /// reported (if links) when they were listed.
    fn may_look_in(&self, folder: &Path) -> bool {
        symlink::linked_folder(&self.root, folder).is_none()
    }

    /// The text of a file as read: bytes that are not UTF-8 and NUL bytes
    /// (which HTML forbids) are each reported once, at the line and column of
    /// the first, and replaced by U+FFFD so that the rest of the file still
    /// loads and nothing else is reported because of them. The report makes
    /// the run fail, so a replaced character never reaches a page.
    pub(super) fn checked_text(&mut self, relative: &Path, bytes: Vec<u8>) -> String {
        let mut text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let bad = error.as_bytes()[at];
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                // Up to the first bad byte the lossy text is the file itself.
                self.diagnostics.push(
                    Diagnostic::error(
                        "not-utf8",
                        relative,
                        Some(at..at + '\u{FFFD}'.len_utf8()),
                        format!("this file is not UTF-8 text: byte 0x{bad:02X} here cannot be read"),
                    )
                    .with_help("save the file as UTF-8 (every editor offers it); the mark shows the first bad byte"),
                );
                text
            }
        };
        if let Some(at) = memchr::memchr(0, text.as_bytes()) {
            self.diagnostics.push(
                Diagnostic::error(
                    "nul-byte",
                    relative,
                    Some(at..at + '\u{FFFD}'.len_utf8()),
                    "this file holds a NUL byte (\\0), which no page may contain",
                )
                .with_help("delete the invisible character here; it usually comes from a copy out of a binary file"),
            );
            text = text.replace('\0', "\u{FFFD}");
        }
        self.replace_bidi_controls(relative, &mut text);
        text
    }

    /// Bidirectional controls written as characters (see `bidi`): each is a
    /// warning at its place and becomes U+FFFD, as long as it, so every
    /// offset in the file still holds and no page shows the control.
    fn replace_bidi_controls(&mut self, relative: &Path, text: &mut String) {
        let found = bidi::find_controls(text);
        if found.is_empty() {
            return;
        }
        let spans = found.into_iter().map(|(at, c)| (at..at + c.len_utf8(), c)).collect();
        for warning in bidi::warnings(relative, spans) {
            self.report(warning);
        }
        *text = bidi::replace_controls(text);
    }

    /// Keeps `text` for reports if a diagnostic points into `relative`, else
    /// notes its fingerprint (`Sources::let_go`); gives the fingerprint back
    /// either way, so that a caller reading the file again hashes it once.
    pub fn remember_if_reported(&mut self, relative: &Path, text: String) -> u64 {
        let fingerprint = crate::diagnostics::fingerprint(&text);
        if self.diagnostics.iter().any(|d| d.file == relative) {
            self.sources.add(relative, text);
        } else {
            self.sources.let_go(relative, fingerprint);
        }
        fingerprint
    }

    /// Takes in what another context (loading in parallel) read and found.
    pub fn absorb(&mut self, other: LoadContext) {
        self.sources.absorb(other.sources);
        self.diagnostics.extend(other.diagnostics);
        self.unloaded.ids.extend(other.unloaded.ids);
        self.unloaded.unparsed.extend(other.unloaded.unparsed);
        self.unloaded.repaired.extend(other.unloaded.repaired);
        self.unloaded.dates.extend(other.unloaded.dates);
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Parses a TOML document into its spanned tree, reporting syntax errors.
    /// `text` is as `read` gives it (`checked_text` has replaced every NUL
    /// and bidirectional control written as a character), so only an escape
    /// can put one in a string.
    pub fn parse_toml<'t>(&mut self, file: &Path, text: &'t str) -> Option<Spanned<DeTable<'t>>> {
        let (mut table, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            if has_character_escape(text) {
                self.replace_nul_strings(file, &mut table);
                self.replace_bidi_escapes(file, text, &mut table);
            }
            return Some(table);
        }
        self.unloaded.unparsed.push(text.to_owned());
        for error in errors {
            self.report(
                Diagnostic::error(
                    "toml-syntax",
                    file,
                    error.span(),
                    format!("TOML syntax error: {}", plain_syntax_message(error.message())),
                )
                .with_help("see https://toml.io for the syntax; strings need quotes, tables need [brackets]"),
            );
        }
        None
    }

    /// A file without a NUL byte can still write one as `\u0000` in a
    /// string (a proposal from the reader page writes any character the
    /// reader typed that way). No page may contain it: it becomes U+FFFD,
    /// as in Markdown, with a warning where it is written.
    fn replace_nul_strings(&mut self, file: &Path, table: &mut Spanned<DeTable<'_>>) {
        for span in replace_in_document(table, |c| c == '\0') {
            self.report(
                Diagnostic::warning(
                    "nul-in-string",
                    file,
                    Some(span),
                    "this string holds a NUL character (\\u0000), shown as � since no page may contain it",
                )
                .with_help("remove the `\\u0000` escape from the string"),
            );
        }
    }

    /// Bidirectional controls written as escapes (`\u202E`) in a TOML
    /// string, which the file's text does not show (`checked_text` replaced
    /// those written as characters): each is a warning at its escape, and
    /// becomes U+FFFD in the string.
    fn replace_bidi_escapes(&mut self, file: &Path, text: &str, table: &mut Spanned<DeTable<'_>>) {
        let mut found = Vec::new();
        for span in replace_in_document(table, bidi::is_control) {
            for (at, c) in bidi::find_escapes(&text[span.clone()]) {
                found.push((span.start + at.start..span.start + at.end, c));
            }
        }
        for warning in bidi::warnings(file, found) {
            self.report(warning);
        }
    }

    /// Deserialises one TOML value (a whole document or one `[[term]]`), turning
    /// serde's message into an editor-friendly diagnostic. An unknown key, or
    /// a key whose value has the wrong type, is reported, taken out and the
    /// value tried again, so that every such key is reported and the rest of
    /// the entry is still checked (a key taken out for its type is not then
    /// reported missing).
    pub fn deserialize<T: DeserializeOwned>(
        &mut self,
        file: &Path,
        mut value: Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<T> {
        let whole = value.span();
        let mut mistyped: Vec<String> = Vec::new();
        loop {
            match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(v) => return Some(v),
                Err(error) => {
                    let message = error.message();
                    if missing_field(message).is_some_and(|field| mistyped.iter().any(|k| k == field)) {
                        return None;
                    }
                    let span = error.span().unwrap_or(whole.start..whole.start + 1);
                    let key = key_of_value_at(value.get_ref(), &span);
                    self.report(describe_serde_error(file, span.clone(), message, what, key.as_deref()));
                    let retry = if message.starts_with("unknown field") {
                        remove_key_at(value.get_mut(), &span)
                    } else if message.starts_with("invalid type") {
                        let removed = remove_value_at(value.get_mut(), &span);
                        mistyped.extend(removed.clone());
                        removed.is_some()
                    } else {
                        false
                    };
                    if !retry {
                        return None;
                    }
                    self.unloaded.repaired.insert((file.to_path_buf(), whole.start));
                }
            }
        }
    }

    /// Deserialises every entry of an array of tables (`[[term]]`), each on its
    /// own, so that one bad entry does not hide the problems of the others.
    /// Keys other than `array_key` at the top level are reported.
    pub fn deserialize_entries<T: DeserializeOwned>(
        &mut self,
        file: &Path,
        text: &str,
        array_key: &str,
    ) -> Vec<(T, Range<usize>)> {
        let Some(mut arrays) = self.entry_arrays(file, text, &[array_key]) else {
            return Vec::new();
        };
        self.deserialize_items(file, arrays.remove(array_key).unwrap_or_default(), array_key)
    }

    /// The `[[key]]` arrays of a file that may hold only those in `keys`,
    /// each as its items (a key not in `keys`, or not an array of tables,
    /// is reported); none if the file is not TOML.
    pub fn entry_arrays<'t>(
        &mut self,
        file: &Path,
        text: &'t str,
        keys: &[&str],
    ) -> Option<BTreeMap<String, Vec<Spanned<DeValue<'t>>>>> {
        let table = self.parse_toml(file, text)?;
        let mut arrays: BTreeMap<String, Vec<Spanned<DeValue<'t>>>> = BTreeMap::new();
        let allowed = keys
            .iter()
            .map(|k| format!("`[[{k}]]`"))
            .collect::<Vec<_>>()
            .join(" and ");
        for (key, value) in table.into_inner() {
            let key_name = key.get_ref().to_string();
            if !keys.contains(&key_name.as_str()) {
                self.report(
                    Diagnostic::error(
                        "unknown-key",
                        file,
                        Some(key.span()),
                        format!("unknown key `{key_name}`: this file holds only {allowed} entries"),
                    )
                    .with_help(format!("start each entry with a line `[[{}]]`", keys[0])),
                );
                continue;
            }
            let span = value.span();
            let DeValue::Array(items) = value.into_inner() else {
                self.report(
                    Diagnostic::error(
                        "wrong-type",
                        file,
                        Some(span),
                        format!("`{key_name}` must be a list of tables"),
                    )
                    .with_help(format!("write each entry as `[[{key_name}]]` followed by its keys")),
                );
                continue;
            };
            arrays.entry(key_name).or_default().extend(items);
        }
        Some(arrays)
    }

    /// Each item of a `[[array_key]]` array as a `T`, with its span; an item
    /// that does not fit is reported, and its id kept as unloaded.
    pub fn deserialize_items<T: DeserializeOwned>(
        &mut self,
        file: &Path,
        items: Vec<Spanned<DeValue<'_>>>,
        array_key: &str,
    ) -> Vec<(T, Range<usize>)> {
        let mut entries = Vec::new();
        for item in items {
            let item_span = item.span();
            let id = item
                .get_ref()
                .get("id")
                .and_then(|id| id.get_ref().as_str())
                .map(str::to_owned);
            let what = id
                .as_ref()
                .map_or_else(|| array_key.to_owned(), |id| format!("{array_key} `{id}`"));
            match self.deserialize::<T>(file, item, &what) {
                Some(entry) => entries.push((entry, item_span)),
                None => self.unloaded.ids.extend(id),
            }
        }
        entries
    }
}

/// The TOML parser's words for the mistakes editors make most, said plainly.
fn plain_syntax_message(message: &str) -> String {
    let message = message.trim_end();
    match message {
        "invalid basic string, expected `\"`" => "this text is not closed: add `\"` at its end".to_owned(),
        "invalid literal string, expected `'`" => "this text is not closed: add `'` at its end".to_owned(),
        _ => message.to_owned(),
    }
}

/// Whether `text` writes a character by its number (`\u`, `\U` or
/// TOML 1.1's `\x`): the only way a string can hold a NUL or a
/// bidirectional control, since `checked_text` replaced those written as
/// characters. Without one, no string needs walking for them (every string
/// of a 1000-article site had been walked twice).
fn has_character_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\\', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'u' | b'U' | b'x')))
}

/// Replaces each character `unwanted` picks, in every string value and
/// every key wherever it is nested, by U+FFFD, noting where each such
/// string or key is written.
fn replace_in_strings(value: &mut Spanned<DeValue<'_>>, unwanted: fn(char) -> bool, found: &mut Vec<Range<usize>>) {
    let span = value.span();
    match value.get_mut() {
        DeValue::String(text) if text.contains(unwanted) => {
            *text = std::borrow::Cow::Owned(replaced(text, unwanted));
            found.push(span);
        }
        DeValue::Table(table) => replace_in_table(table, unwanted, found),
        DeValue::Array(items) => items.iter_mut().for_each(|v| replace_in_strings(v, unwanted, found)),
        _ => {}
    }
}

/// `replace_in_strings` over a table's keys and values. A quoted key can
/// write a character by its number as a string can (`"\u202E" = 1`), and
/// the keys of `extra` reach the templates as they are written.
fn replace_in_table(table: &mut DeTable<'_>, unwanted: fn(char) -> bool, found: &mut Vec<Range<usize>>) {
    if table.keys().any(|key| key.get_ref().contains(unwanted)) {
        // A key cannot change in place: the table is made again, in order.
        for (key, value) in std::mem::take(table) {
            let key = if key.get_ref().contains(unwanted) {
                found.push(key.span());
                Spanned::new(key.span(), std::borrow::Cow::Owned(replaced(key.get_ref(), unwanted)))
            } else {
                key
            };
            table.insert(key, value);
        }
    }
    table
        .iter_mut()
        .for_each(|(_, value)| replace_in_strings(value, unwanted, found));
}

fn replaced(text: &str, unwanted: fn(char) -> bool) -> String {
    text.chars().map(|c| if unwanted(c) { '\u{FFFD}' } else { c }).collect()
}

/// `replace_in_strings` over a whole document: the spans of the strings
/// and keys changed.
fn replace_in_document(table: &mut Spanned<DeTable<'_>>, unwanted: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    replace_in_table(table.get_mut(), unwanted, &mut found);
    found
}

/// The name of the key whose value is written at `span`, wherever it is nested.
fn key_of_value_at(value: &DeValue<'_>, span: &Range<usize>) -> Option<String> {
    match value {
        DeValue::Table(table) => table.iter().find_map(|(key, v)| {
            if v.span() == *span {
                Some(key.get_ref().to_string())
            } else {
                key_of_value_at(v.get_ref(), span)
            }
        }),
        DeValue::Array(items) => items.iter().find_map(|v| key_of_value_at(v.get_ref(), span)),
        _ => None,
    }
}

/// The field of serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// Removes the entry whose value is written at `span`, wherever it is
/// nested, and gives its key.
fn remove_value_at(value: &mut DeValue<'_>, span: &Range<usize>) -> Option<String> {
    match value {
        DeValue::Table(table) => {
            if let Some(key) = table.iter().find(|(_, v)| v.span() == *span).map(|(k, _)| k.clone()) {
                table.remove_entry(&key);
                return Some(key.get_ref().to_string());
            }
            table.iter_mut().find_map(|(_, v)| remove_value_at(v.get_mut(), span))
        }
        DeValue::Array(items) => items.iter_mut().find_map(|v| remove_value_at(v.get_mut(), span)),
        _ => None,
    }
}

/// Removes the key written at `span`, wherever it is nested.
fn remove_key_at(value: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match value {
        DeValue::Table(table) => {
            if let Some(key) = table.keys().find(|key| key.span() == *span).cloned() {
                return table.remove_entry(&key).is_some();
            }
            table.iter_mut().any(|(_, v)| remove_key_at(v.get_mut(), span))
        }
        DeValue::Array(items) => items.iter_mut().any(|v| remove_key_at(v.get_mut(), span)),
        _ => false,
    }
}

/// serde's messages are written for programmers (`unknown field `x`, expected
/// one of …`); rewrite the common ones for editors, with a did-you-mean.
fn describe_serde_error(file: &Path, span: Range<usize>, message: &str, what: &str, key: Option<&str>) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = backticked(expected);
        let mut diagnostic = Diagnostic::error(
            "unknown-key",
            file,
            Some(span),
            format!("unknown key `{field}` in {what}"),
        );
        diagnostic = match did_you_mean(field, known.iter().map(String::as_str)) {
            Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
            None => diagnostic.with_help(format!("the keys allowed here are: {}", known.join(", "))),
        };
        return diagnostic;
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error("missing-key", file, Some(span), format!("{what} has no `{field}`"))
            .with_help(format!("add a line `{field} = …` to it"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (variant, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = backticked(expected);
        let help = match did_you_mean(variant, known.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("use one of: {}", known.join(", ")),
        };
        return Diagnostic::error(
            "unknown-value",
            file,
            Some(span),
            match key {
                Some(key) => format!("`{variant}` is not a possible `{key}`"),
                None => format!("`{variant}` is not allowed here"),
            },
        )
        .with_help(help);
    }
    if message.starts_with("invalid type") {
        let expected = message.rsplit("expected ").next().unwrap_or("").trim_end();
        let (kind, help) = match expected {
            "a sequence" => ("a list", "a list is written in [brackets], even with one item: [\"…\"]"),
            "a string" => ("text", "text is written in \"quotes\""),
            "i64" | "u32" | "an integer" => ("a whole number", "a number is written without quotes, e.g. 12"),
            "a boolean" => ("true or false", "write true or false, without quotes"),
            _ => (
                "of another type",
                "text goes in \"quotes\", numbers without, lists in [brackets]",
            ),
        };
        let subject = key.map_or_else(|| format!("a value in this {what}"), |k| format!("`{k}`"));
        return Diagnostic::error("wrong-type", file, Some(span), format!("{subject} must be {kind}")).with_help(help);
    }
    Diagnostic::error(
        "invalid-value",
        file,
        Some(span),
        format!("{what}: {}", message.trim_end()),
    )
}

/// The `names` in "expected one of `a`, `b`, `c`".
fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// What `LoadContext::list` lists in a folder.
#[derive(Clone, Copy)]
pub enum Listed {
    /// The files with this extension (`"toml"`). A pipe, socket or device
    /// of such a name is reported: git cannot hold one, and it would be
    /// skipped unsaid where a file is read.
    Files(&'static str),
    /// The folders, and the links to folders (for the loader to report).
    Folders,
}

/// What an entry of a listed folder is to the listing.
enum Found {
    Kept,
    NotAFile,
    Other,
}

impl Listed {
    fn classify(self, entry: &walkdir::DirEntry) -> Found {
        let kind = entry.file_type();
        match self {
            Listed::Files(extension) if entry.path().extension().is_some_and(|x| x == extension) => {
                if kind.is_file() {
                    Found::Kept
                } else if is_special(kind) {
                    Found::NotAFile
                } else {
                    Found::Other
                }
            }
            Listed::Folders if kind.is_dir() || (entry.path_is_symlink() && entry.path().is_dir()) => Found::Kept,
            _ => Found::Other,
        }
    }
}

/// What `LoadContext::presence` found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    File,
    Missing,
    /// Something other than a file, already reported.
    NotAFile,
}

/// Neither a file, a folder nor a symbolic link.
pub(crate) fn is_special(kind: fs::FileType) -> bool {
    !(kind.is_file() || kind.is_dir() || kind.is_symlink())
}

/// The report for something at `relative` that should be a file: the
/// loader's and the theme's.
/// The bytes of the file at `path` if it is a regular file once opened, else
/// what it is. `presence` looks before the caller reads, but a named pipe
/// renamed into place in between would make a plain open wait for a writer
/// forever: the file is opened without waiting, and its type is asked of
/// the open file itself, so no later swap changes what is read.
fn read_regular_file(path: &Path) -> std::io::Result<Result<Vec<u8>, fs::FileType>> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let mut file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Ok(Err(metadata.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

pub(crate) fn not_a_file(relative: &Path, kind: fs::FileType) -> Diagnostic {
    Diagnostic::error(
        "not-a-file",
        relative,
        None,
        format!("this is {}, not a file, so duben does not read it", kind_name(kind)),
    )
    .with_help("replace it with a regular file (a repository holds only files, folders and links)")
}

/// A file type in words, for a report.
fn kind_name(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "neither a file nor a folder"
    }
}

/// The report for a folder (or an entry in it) that could not be listed,
/// at the path that failed, relative to the site root.
/// A file of the site that could not be read, at its path (relative to
/// the root): the loader's and the theme's report.
pub(crate) fn unreadable_file(relative: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "unreadable-file",
        relative,
        None,
        format!("cannot read this file: {}", crate::diagnostics::plain_io(error)),
    )
    .with_help("check that the file exists and is readable")
}

/// A folder under `root` that could not be listed, at the path the error
/// names (else `folder`): the loader's and the theme's report.
pub(crate) fn unreadable_folder(root: &Path, folder: &Path, error: &walkdir::Error) -> Diagnostic {
    let at = error
        .path()
        .and_then(|path| path.strip_prefix(root).ok())
        .unwrap_or(folder);
    let cause = error
        .io_error()
        .map_or_else(|| error.to_string(), crate::diagnostics::plain_io);
    Diagnostic::error(
        "unreadable-folder",
        at,
        None,
        format!("cannot read this folder, so nothing in it is read or published: {cause}"),
    )
    .with_help("check that the folder exists and that you may read it (`chmod u+rx` on it)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_pipe_read_without_looking_first_is_refused_at_once() {
        // As if it had been renamed into place after `presence` looked: the
        // read neither waits for a writer nor reads the pipe.
        let site = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(site.path().join("text.md"))
            .status()
            .unwrap();
        assert!(made.success());
        let mut ctx = LoadContext::new(site.path());
        assert_eq!(ctx.read_bytes(Path::new("text.md")), None);
        let codes: Vec<&str> = ctx.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["not-a-file"]);
    }

    /// A settings table as site.toml's are read: unknown keys refused.
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only deserialised")]
    struct Settings {
        title: String,
        #[serde(default)]
        enabled: bool,
        count: u32,
    }

    fn codes_of(text: &str) -> (Option<Settings>, Vec<(&'static str, String)>) {
        let mut ctx = LoadContext::new(Path::new("."));
        let file = Path::new("s.toml");
        let table = ctx.parse_toml(file, text).unwrap();
        let value = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
        let settings = ctx.deserialize::<Settings>(file, value, "s.toml");
        let mut codes: Vec<(&'static str, String)> =
            ctx.diagnostics.iter().map(|d| (d.code, d.message.clone())).collect();
        codes.sort();
        (settings, codes)
    }

    #[test]
    fn every_unknown_and_mistyped_key_is_reported_and_none_is_then_missing() {
        let (settings, codes) = codes_of("titel = 1\ntitle = \"t\"\nenabled = \"yes\"\ncount = 3\n");
        assert_eq!(
            codes,
            [
                ("unknown-key", "unknown key `titel` in s.toml".to_owned()),
                ("wrong-type", "`enabled` must be true or false".to_owned()),
            ]
        );
        assert!(settings.is_some(), "the rest is still read");
        // A required key taken out for its type is not reported missing too.
        let (settings, codes) = codes_of("title = \"t\"\ncount = \"three\"\n");
        assert_eq!(codes, [("wrong-type", "`count` must be a whole number".to_owned())]);
        assert!(settings.is_none());
    }

    #[test]
    fn unknown_field_suggests_the_close_key() {
        let d = describe_serde_error(
            Path::new("g.toml"),
            0..1,
            "unknown field `defintion`, expected one of `id`, `zh`, `definition`",
            "term",
            None,
        );
        assert_eq!(d.message, "unknown key `defintion` in term");
        assert_eq!(d.help.as_deref(), Some("did you mean `definition`?"));
    }
}
