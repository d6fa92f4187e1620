//! `content/<slug>/notes.toml` and `content/<slug>/notes/*.toml`: notes,
//! translations, questions and sources.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::anchor::Anchor;
use super::source::LoadContext;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub anchor: Spanned<Anchor>,
    pub kind: NoteKind,
    /// A language tag (`en`, `fr`, `zh-Hant`), checked when loaded.
    #[serde(default = "default_lang")]
    pub lang: Spanned<String>,
    pub body: Spanned<String>,
    pub by: Option<String>,
    #[serde(skip)]
    pub file: PathBuf,
    /// The line of `file` the `[[note]]` starts on.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Commentary,
    Translation,
    Question,
    Source,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Commentary => "commentary",
            NoteKind::Translation => "translation",
            NoteKind::Question => "question",
            NoteKind::Source => "source",
        }
    }
}

fn default_lang() -> Spanned<String> {
    Spanned::new(0..0, "en".into())
}

pub fn load(ctx: &mut LoadContext, file: &Path) -> Vec<Note> {
    // Resolve reports into notes (an anchor it cannot find), but the text
    // is read back for the report then (`content::read_reported`): kept,
    // the notes of 1000 articles had held 12 MB through loading and
    // resolving.
    let Some(text) = ctx.read_unremembered(file) else {
        return Vec::new();
    };
    let lines = super::LineStarts::new(&text);
    let notes: Vec<Note> = ctx
        .deserialize_entries::<Note>(file, &text, "note")
        .into_iter()
        .map(|(mut note, span)| {
            note.file = file.to_path_buf();
            note.line = lines.line(span.start);
            note
        })
        .collect();
    for note in &notes {
        super::check_language(ctx, file, "lang", (note.lang.get_ref(), note.lang.span()));
        super::check_markdown(ctx, file, &text, note.body.span());
    }
    ctx.remember_if_reported(file, text);
    notes
}
