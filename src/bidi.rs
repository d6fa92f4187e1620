//! Bidirectional embedding, override and isolate controls in the content.
//!
//! Each of LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI
//! (U+2066–U+2069) opens or closes a scope that reorders the text after it.
//! One left open reverses the rest of its paragraph: a `title_en` ending in
//! RLO reverses part of the header of every page, and a glossary gloss can
//! show a link that reads other than it goes ("Trojan Source",
//! CVE-2021-42574). None is needed for Arabic or Hebrew, whose letters the
//! browser orders by themselves, so each is reported where it is written and
//! shown as U+FFFD, never passed on: balancing them instead would still
//! let a balanced pair reorder what an editor reads in a review.
//!
//! The marks LRM, RLM and ALM (U+200E, U+200F, U+061C) are left alone: they
//! open no scope, only lean the neutral characters beside them, as
//! right-to-left text may need.

use std::ops::Range;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Whether `c` is one of the embedding, override and isolate controls.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Every control is three bytes in UTF-8, as U+FFFD is: replacing one keeps
/// every byte offset in the text, so spans found before still hold.
const WIDTH: usize = 3;

/// Where each control is written as a character in `text`, and which.
pub fn find_controls(text: &str) -> Vec<(usize, char)> {
    // Every control begins with the byte 0xE2: look only there.
    memchr::memchr_iter(0xE2, text.as_bytes())
        .filter_map(|at| {
            let c = text.get(at..at + WIDTH)?.chars().next()?;
            is_control(c).then_some((at, c))
        })
        .collect()
}

/// `text` with each control replaced by U+FFFD (same length, same offsets).
pub fn replace_controls(text: &str) -> String {
    text.chars()
        .map(|c| if is_control(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// Where TOML escapes (`\u202E`, `\U0000202E`) in `source`, the text of one
/// string as written, stand for a control, and which.
pub fn find_escapes(source: &str) -> Vec<(Range<usize>, char)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(slash) = source[at..].find('\\').map(|i| at + i) {
        let digits = match source.as_bytes().get(slash + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            // `\\` and every other escape: skip both characters (the
            // second may be any character, of any length).
            _ => {
                at = slash + 1 + source[slash + 1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
        };
        let end = slash + 2 + digits;
        let c = source
            .get(slash + 2..end)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = c.filter(|&c| is_control(c)) {
            found.push((slash..end, c));
        }
        at = slash + 2;
    }
    found
}

/// The control's name, as the Unicode standard abbreviates it and says it.
fn name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LRE, left-to-right embedding",
        '\u{202B}' => "RLE, right-to-left embedding",
        '\u{202C}' => "PDF, pop directional formatting",
        '\u{202D}' => "LRO, left-to-right override",
        '\u{202E}' => "RLO, right-to-left override",
        '\u{2066}' => "LRI, left-to-right isolate",
        '\u{2067}' => "RLI, right-to-left isolate",
        '\u{2068}' => "FSI, first strong isolate",
        _ => "PDI, pop directional isolate",
    }
}

/// How many controls of one file are reported one by one: a text pasted
/// from a word processor can hold thousands, and the rest are counted.
const REPORTED_PER_FILE: usize = 10;

/// The warnings for the controls `found` in `file` (spans and characters,
/// in order): one at each of the first `REPORTED_PER_FILE`, then one that
/// counts the rest, at the first of them.
pub fn warnings(file: &Path, found: Vec<(Range<usize>, char)>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = found
        .iter()
        .take(REPORTED_PER_FILE)
        .map(|(span, c)| warning(file, span.clone(), *c))
        .collect();
    if let Some((span, _)) = found.get(REPORTED_PER_FILE) {
        let more = found.len() - REPORTED_PER_FILE;
        out.push(
            Diagnostic::warning(
                "bidi-control",
                file,
                Some(span.clone()),
                format!("{more} more invisible bidirectional controls are in this file from here on, each shown as �"),
            )
            .with_help("delete them all; a search for U+202A–U+202E and U+2066–U+2069 finds them"),
        );
    }
    out
}

/// The warning for control `c` written at `span` of `file`.
pub fn warning(file: &Path, span: Range<usize>, c: char) -> Diagnostic {
    Diagnostic::warning(
        "bidi-control",
        file,
        Some(span),
        format!(
            "an invisible bidirectional control (U+{:04X} {}) is here; it would reorder the text after it on the page, so it is shown as �",
            c as u32,
            name(c)
        ),
    )
    .with_help(
        "delete it (in a TOML string, delete the `\\u` escape); Arabic or Hebrew letters need no control around them",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_full_of_controls_gives_ten_warnings_and_a_count() {
        let found: Vec<(Range<usize>, char)> = (0..25).map(|i| (i * 3..i * 3 + 3, '\u{202B}')).collect();
        let reported = warnings(Path::new("content/x/text.md"), found);
        assert_eq!(reported.len(), 11);
        assert!(reported[10].message.starts_with("15 more"), "{}", reported[10].message);
        assert_eq!(reported[10].span, Some(30..33));
        assert_eq!(warnings(Path::new("a"), vec![(0..3, '\u{202E}')]).len(), 1);
    }

    #[test]
    fn finds_the_override_and_isolate_controls_but_not_the_marks() {
        let text = "Main \u{202E}moc.elgoog — 台湾\u{2066}x\u{2069} שלום\u{200F} عربي\u{061C}";
        let found: Vec<char> = find_controls(text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(found, ['\u{202E}', '\u{2066}', '\u{2069}']);
        let (at, _) = find_controls(text)[0];
        assert_eq!(&text[..at], "Main ");
    }

    #[test]
    fn every_control_is_as_long_as_the_replacement_character() {
        let controls = ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}');
        let names: std::collections::BTreeSet<_> = controls.clone().map(name).collect();
        assert_eq!(names.len(), 9, "each its own name");
        for c in controls {
            assert_eq!(c.len_utf8(), WIDTH);
        }
        assert_eq!('\u{FFFD}'.len_utf8(), WIDTH);
        let text = "a\u{202E}b";
        assert_eq!(replace_controls(text), "a\u{FFFD}b");
    }

    #[test]
    fn an_escape_of_a_character_of_any_length_is_stepped_over() {
        assert_eq!(find_escapes("\\é\\u202E"), [(3..9, '\u{202E}')]);
        assert_eq!(find_escapes("end\\"), []);
    }

    #[test]
    fn finds_escapes_that_stand_for_controls() {
        let source = r#""a \u202E b \\u202E c \U00002067 d \u0041 \u202""#;
        let found = find_escapes(source);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&source[found[0].0.clone()], "\\u202E");
        assert_eq!(found[0].1, '\u{202E}');
        assert_eq!(&source[found[1].0.clone()], "\\U00002067");
    }
}
