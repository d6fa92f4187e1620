//! Notes anchored to a heading: `anchor = { heading = "台湾问题" }` names a
//! heading of the note's own article by a few of its words (white space
//! ignored), and only a translation may stand there. The reader shows it
//! under the heading in parallel mode and beside it in the table of contents.

use std::collections::BTreeMap;

use super::anchors::normalize;
use crate::content::{Article, BlockKind, Note, NoteKind};
use crate::diagnostics::Diagnostic;

/// A translation of one heading.
pub struct HeadingNote<'s> {
    pub note: &'s Note,
    /// The heading's element id (the `id` of `BlockKind::Heading`).
    pub heading: &'s str,
}

/// Whether a note is anchored to a heading rather than a paragraph.
pub fn is_heading_note(note: &Note) -> bool {
    note.anchor.get_ref().heading.is_some()
}

/// The heading notes of `article`, in file order; each wrong one is
/// reported and left out.
pub fn resolve<'s>(article: &'s Article, diagnostics: &mut Vec<Diagnostic>) -> Vec<HeadingNote<'s>> {
    let headings: Vec<(&str, &str, String)> = article
        .outline
        .blocks
        .iter()
        .filter_map(|kind| match kind {
            BlockKind::Heading { id, text, .. } => Some((id.as_str(), text.as_str(), normalize(text))),
            _ => None,
        })
        .collect();
    let mut notes = Vec::new();
    let mut translated: BTreeMap<(&str, &str), &Note> = BTreeMap::new();
    for note in article.notes.iter().filter(|n| is_heading_note(n)) {
        let anchor = note.anchor.get_ref();
        let Some(heading) = &anchor.heading else {
            continue;
        };
        let error =
            |code: &'static str, span, message: String| Diagnostic::error(code, &note.file, Some(span), message);
        if let Some(extra) = anchor
            .quote
            .as_ref()
            .map(|q| q.span())
            .or(anchor.paragraph.as_ref().map(|p| p.span()))
        {
            diagnostics.push(
                error(
                    "heading-anchor-mixed",
                    extra,
                    "an anchor names either a `heading` or a paragraph (`quote`, `paragraph`), not both".into(),
                )
                .with_help("keep `heading` for a heading's translation, or remove it to anchor in a paragraph"),
            );
            continue;
        }
        if let Some(slug) = anchor.article.as_ref().filter(|s| s.get_ref() != &article.slug) {
            diagnostics.push(
                error(
                    "heading-anchor-article",
                    slug.span(),
                    format!(
                        "a heading anchor points into its own article (`{}`), not `{}`",
                        article.slug,
                        slug.get_ref()
                    ),
                )
                .with_help(format!(
                    "move the note to content/{}/notes.toml, or remove `article`",
                    slug.get_ref()
                )),
            );
            continue;
        }
        if note.kind != NoteKind::Translation {
            diagnostics.push(
                error(
                    "heading-note-kind",
                    note.anchor.span(),
                    format!(
                        "a heading takes only a translation, and this note is a {}",
                        note.kind.as_str()
                    ),
                )
                .with_help("write `kind = \"translation\"`, or anchor the note in a paragraph with `quote`"),
            );
            continue;
        }
        let wanted = normalize(heading.get_ref());
        let found: Vec<&(&str, &str, String)> = if wanted.is_empty() {
            Vec::new()
        } else {
            headings.iter().filter(|(_, _, text)| text.contains(&wanted)).collect()
        };
        let (id, text) = match found.as_slice() {
            [(id, text, _)] => (*id, *text),
            [] => {
                let list: Vec<&str> = headings.iter().map(|(_, text, _)| *text).collect();
                diagnostics.push(
                    error(
                        "heading-not-found",
                        heading.span(),
                        format!("no heading of `{}` contains \"{}\"", article.slug, heading.get_ref()),
                    )
                    .with_help(if list.is_empty() {
                        "the article has no headings (`#`, `##`, `###` lines in text.md)".to_owned()
                    } else {
                        format!(
                            "copy words of one heading exactly (white space does not matter); the headings are: {}",
                            list.join(" / ")
                        )
                    }),
                );
                continue;
            }
            several => {
                let list: Vec<&str> = several.iter().map(|(_, text, _)| *text).collect();
                diagnostics.push(
                    error(
                        "heading-ambiguous",
                        heading.span(),
                        format!(
                            "\"{}\" occurs in {} headings: {}",
                            heading.get_ref(),
                            several.len(),
                            list.join(" / ")
                        ),
                    )
                    .with_help("quote more of the heading, so that only one contains it"),
                );
                continue;
            }
        };
        if let Some(first) = translated.insert((id, note.lang.get_ref().as_str()), note) {
            let first_words = first
                .anchor
                .get_ref()
                .heading
                .as_ref()
                .map_or("", |h| h.get_ref().as_str());
            diagnostics.push(
                error(
                    "duplicate-translation",
                    note.anchor.span(),
                    format!("the heading \"{text}\" already has a translation in `{}`", note.lang),
                )
                .with_help(format!(
                    "merge this one with the translation anchored at \"{first_words}\""
                )),
            );
            continue;
        }
        notes.push(HeadingNote { note, heading: id });
    }
    notes
}
