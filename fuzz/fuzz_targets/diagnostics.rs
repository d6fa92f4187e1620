//! Diagnostics rendering in all three formats over arbitrary file text and
//! spans: never a panic, one line per diagnostic in the GitHub and JSON
//! formats, and line and column inside the file.
//!
//! Input: the file's text, 0x1E, then spans as pairs of little-endian u16.
#![no_main]

use std::path::Path;

use duben::diagnostics::{Diagnostic, Format, Sources};
use duben_fuzz::SEPARATOR;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == SEPARATOR).unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..split]).into_owned();
    let numbers: Vec<usize> = data
        .get(split + 1..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|pair| usize::from(u16::from_le_bytes([pair[0], pair[1]])))
        .collect();
    let file = Path::new("content/glossary.toml");
    let mut sources = Sources::default();
    sources.add(file, text.clone());
    let diagnostics: Vec<Diagnostic> = numbers
        .chunks(2)
        .take(64)
        .enumerate()
        .map(|(i, pair)| {
            let span = match pair {
                [a, b] => Some(*a.min(b)..*a.max(b)),
                _ => None,
            };
            let message = text.get(..text.len().min(i)).unwrap_or("m").to_owned();
            let d = if i % 2 == 0 {
                Diagnostic::error("code", file, span, message)
            } else {
                Diagnostic::warning("code", file, span, message)
            };
            if i % 3 == 0 { d.with_help("help:\nwith, a line") } else { d }
        })
        .collect();
    let _ = duben::diagnostics::render(&diagnostics, &sources, Format::Human, false);
    let _ = duben::diagnostics::render(&diagnostics, &sources, Format::Human, true);
    let github = duben::diagnostics::render(&diagnostics, &sources, Format::Github, false);
    assert_eq!(github.lines().count(), diagnostics.len(), "one workflow command per diagnostic");
    let json = duben::diagnostics::render(&diagnostics, &sources, Format::Json, false);
    assert_eq!(json.lines().count(), diagnostics.len());
    let lines = text.split('\n').count();
    for (line, d) in json.lines().zip(&diagnostics) {
        let value: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        let at = value["line"].as_u64().unwrap() as usize;
        assert!(at >= 1 && at <= lines, "line {at} of {lines}: {d:?}");
        assert_eq!(value["message"].as_str(), Some(d.message.as_str()));
    }
});
