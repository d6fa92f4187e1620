//! Anchors: how an annotation points into an article's text.

use serde::Deserialize;
use toml::Spanned;

/// `{ article = "slug", paragraph = 12, quote = "…" }`; any part may be left
/// out (see docs/content.md, Anchors), `resolve` decides what it points at. A note may instead
/// name a heading: `{ heading = "…" }`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub article: Option<Spanned<String>>,
    pub paragraph: Option<Spanned<i64>>,
    pub quote: Option<Spanned<String>>,
    /// Words of one of the article's headings: the anchor is that heading
    /// (for a heading's translation), not a paragraph.
    pub heading: Option<Spanned<String>>,
}
