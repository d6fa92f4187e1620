//! The glossary: `content/glossary.toml` and/or `content/glossary/*.toml`.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::source::LoadContext;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: Spanned<String>,
    /// The headword, as written in the text.
    pub zh: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub pinyin: Option<Spanned<String>>,
    pub en: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub definition: Option<Spanned<String>>,
    pub definition_zh: Option<Spanned<String>>,
    #[serde(default)]
    pub see_also: Vec<Spanned<String>>,
    #[serde(default)]
    pub links: Vec<TermLink>,
    /// Anything the site's own templates want; passed to them untouched.
    #[serde(default)]
    pub extra: toml::Table,
    #[serde(skip)]
    pub file: PathBuf,
    /// The whole `[[term]]` table, for problems that concern the entry.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The line of `file` the entry starts on.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct TermLink {
    pub label: String,
    pub url: Spanned<String>,
}

impl Term {
    /// Headword first, then aliases: every form that marks the term.
    pub fn forms(&self) -> impl Iterator<Item = &Spanned<String>> {
        std::iter::once(&self.zh).chain(&self.aliases)
    }

    pub fn category_name(&self) -> &str {
        self.category
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or("other")
    }
}

pub fn load(ctx: &mut LoadContext) -> Vec<Term> {
    let mut terms = Vec::new();
    for file in super::source_files(ctx, "glossary") {
        let Some(text) = ctx.read(&file) else {
            continue;
        };
        let lines = super::LineStarts::new(&text);
        for (mut term, span) in ctx.deserialize_entries::<Term>(&file, &text, "term") {
            term.file = file.clone();
            term.line = lines.line(span.start);
            term.span = span;
            for field in term.definition.iter().chain(&term.definition_zh) {
                super::check_markdown(ctx, &file, &text, field.span());
            }
            terms.push(term);
        }
    }
    terms
}
