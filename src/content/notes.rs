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
    let Some(text) = ctx.read(file) else {
        return Vec::new();
    };
    let lines = super::LineStarts::new(&text);
    ctx.deserialize_entries::<Note>(file, &text, "note")
        .into_iter()
        .map(|(mut note, span)| {
            note.file = file.to_path_buf();
            note.line = lines.line(span.start);
            note
        })
        .collect::<Vec<_>>()
        .into_iter()
        .inspect(|note| {
            super::check_language(ctx, file, "lang", (note.lang.get_ref(), note.lang.span()));
            super::check_markdown(ctx, file, &text, note.body.span());
        })
        .collect()
}
