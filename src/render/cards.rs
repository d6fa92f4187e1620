//! Term cards: each term's card rendered once per build from `card.html`,
//! and written once per site into `static/cards/<n>.js`, a few terms to a
//! file. A reader page carries no card: `static/duben.js` loads the files
//! its terms need after the first paint (and at once for a term pointed at
//! before its file came). They are scripts, not JSON, so that `file://`
//! works; each calls `dubenCards({id: html, …})`.
//!
//! Which file holds a term is a hash of its id (32-bit FNV-1a, computed the
//! same way in `duben.js`), so a page needs only the number of files.

use std::path::PathBuf;

use rayon::prelude::*;

use super::OutputFile;
use super::context::{Common, render_string};
use super::theme::{Theme, fnv1a};
use super::urls::Page;
use super::views::TermView;
use crate::content::Term;
use crate::diagnostics::Diagnostic;
use crate::resolve::Resolved;

/// Cards are shown on reader pages, one folder down: their links are
/// written from there.
const ROOT: &str = "../";

/// About this many terms share a file: small enough that the first card
/// on a slow connection comes in one round trip and a few kilobytes.
const TERMS_PER_FILE: usize = 12;

/// Every term's card, built once per build: its template values (`terms`
/// on a reader page, for the printed glossary) and its HTML from
/// `card.html`.
pub struct TermCards {
    pub values: Vec<tera::Value>,
    html: Vec<String>,
    files: usize,
    /// Changes when any card changes, so a browser does not keep a stale
    /// file (`?v=` on its URL, as for the theme's files).
    version: String,
}

impl TermCards {
    /// Every term's card, and the first failure of `card.html` (by term
    /// order, so the same one every time) if it failed; a failed card is
    /// empty, so the other pages still render and report their own errors.
    pub fn new(
        resolved: &Resolved,
        theme: &Theme,
        common: &Common,
        definitions: &[String],
    ) -> (Self, Option<Diagnostic>) {
        let cards: Vec<(tera::Value, Result<String, Diagnostic>)> = (0..resolved.terms.len())
            .into_par_iter()
            .map(|index| {
                let card = TermView::new(resolved.terms[index], &definitions[index], ROOT);
                // Strings and options only: serialising cannot fail.
                let value = tera::Value::try_from_serializable(&card).expect("a card serialises");
                let mut context = common.context(&Page::Glossary, "");
                context.insert_value("t", value.clone());
                let which = format!("the card of the term `{}`", card.id);
                let html = render_string(theme, "card.html", &context, &which);
                (value, html.map(|html| html.trim().to_owned()))
            })
            .collect();
        let mut first_error = None;
        let (values, html): (Vec<_>, Vec<_>) = cards
            .into_iter()
            .map(|(value, html)| match html {
                Ok(html) => (value, html),
                Err(error) => {
                    first_error.get_or_insert(error);
                    (value, String::new())
                }
            })
            .unzip();
        let files = file_count(values.len());
        let version = format!(
            "{:08x}",
            fnv1a(html.iter().flat_map(|card: &String| card.bytes().chain([0]))) as u32
        );
        let cards = TermCards {
            values,
            html,
            files,
            version,
        };
        (cards, first_error)
    }

    /// How many card files the site has (what a reader page tells
    /// `duben.js`).
    pub fn files(&self) -> usize {
        self.files
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The card files, `static/cards/0.js` … , each with its terms in
    /// glossary order; `terms` are the resolved terms, whose cards these are.
    pub fn output(&self, terms: &[&Term]) -> Vec<OutputFile> {
        let id = |term: usize| terms[term].id.get_ref().as_str();
        let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); self.files];
        for term in 0..terms.len() {
            by_file[file_of(id(term), self.files)].push(term);
        }
        by_file
            .iter()
            .enumerate()
            .map(|(file, terms)| {
                let cards: serde_json::Map<String, serde_json::Value> = terms
                    .iter()
                    .map(|&term| (id(term).to_owned(), self.html[term].clone().into()))
                    .collect();
                let json = super::script_json(&cards);
                OutputFile {
                    path: PathBuf::from("static").join("cards").join(format!("{file}.js")),
                    bytes: format!("dubenCards({json});\n").into_bytes(),
                }
            })
            .collect()
    }
}

/// At least one file, and about `TERMS_PER_FILE` terms in each.
fn file_count(terms: usize) -> usize {
    terms.div_ceil(TERMS_PER_FILE).max(1)
}

/// The file that holds the card of the term `id`: 32-bit FNV-1a of its
/// bytes, modulo the number of files (ids are ASCII, `[a-z0-9-]`, so
/// JavaScript's char codes are the same bytes).
pub fn file_of(id: &str, files: usize) -> usize {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash as usize % files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_32_bit_fnv_1a() {
        // Reference values of FNV-1a 32 ("" and "a"), as duben.js computes them.
        assert_eq!(file_of("", usize::MAX), 0x811c_9dc5);
        assert_eq!(file_of("a", usize::MAX), 0xe40c_292c);
    }

    #[test]
    fn every_site_has_a_file_and_about_twelve_terms_share_one() {
        assert_eq!(file_count(0), 1);
        assert_eq!(file_count(12), 1);
        assert_eq!(file_count(13), 2);
        assert_eq!(file_count(162), 14);
    }

    #[test]
    fn every_term_lands_in_a_file_that_exists() {
        for files in [1, 2, 14, 167] {
            for id in ["taiwan", "mao-zedong", "1979-tra", "x"] {
                assert!(file_of(id, files) < files);
            }
        }
    }
}
