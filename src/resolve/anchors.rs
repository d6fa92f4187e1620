//! Anchors → paragraphs. Quotes are matched against each paragraph's plain
//! text with all white space removed, so `1978 年 12 月` finds `1978年12月`;
//! a quote must occur exactly once in its scope.

use crate::content::Document;

/// Every article's paragraphs, white space removed, built once per build.
pub struct AnchorIndex {
    articles: Vec<Vec<(u32, String)>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum QuoteMatch {
    Once(u32),
    Nowhere { nearest: Option<(u32, String)> },
    Several(Vec<u32>),
}

pub fn normalize(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl AnchorIndex {
    pub fn new<'a>(documents: impl IntoIterator<Item = &'a Document>) -> Self {
        let articles = documents
            .into_iter()
            .map(|doc| {
                doc.blocks
                    .iter()
                    .filter_map(|b| Some((b.number()?, normalize(&b.plain))))
                    .collect()
            })
            .collect();
        AnchorIndex { articles }
    }

    pub fn paragraph_count(&self, article: usize) -> u32 {
        self.articles[article].last().map_or(0, |(n, _)| *n)
    }

    /// Finds `quote` in article `article`, within ¶`paragraph` if given.
    pub fn find(&self, article: usize, paragraph: Option<u32>, quote: &str) -> QuoteMatch {
        let quote = normalize(quote);
        let scope = self.articles[article]
            .iter()
            .filter(|(n, _)| paragraph.is_none_or(|p| p == *n));
        let mut places = Vec::new();
        for (number, text) in scope.clone() {
            places.extend(std::iter::repeat_n(*number, text.matches(quote.as_str()).count()));
        }
        match places.len() {
            0 => QuoteMatch::Nowhere {
                nearest: nearest(scope, &quote),
            },
            1 => QuoteMatch::Once(places[0]),
            _ => QuoteMatch::Several(places),
        }
    }
}

/// The text most like a quote that was not found: the longest start or end
/// of the quote (at least two characters) that does occur, extended to the
/// quote's length. Catches the usual typo or changed character.
fn nearest<'a>(scope: impl Iterator<Item = &'a (u32, String)> + Clone, quote: &str) -> Option<(u32, String)> {
    let chars: Vec<char> = quote.chars().collect();
    for keep in (2..chars.len()).rev() {
        let prefix: String = chars[..keep].iter().collect();
        let suffix: String = chars[chars.len() - keep..].iter().collect();
        for (number, text) in scope.clone() {
            if let Some(at) = text.find(&prefix) {
                return Some((*number, text[at..].chars().take(chars.len()).collect()));
            }
            if let Some(at) = text.find(&suffix) {
                let start: String = text[..at]
                    .chars()
                    .rev()
                    .take(chars.len() - keep)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                return Some((*number, format!("{start}{suffix}")));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> AnchorIndex {
        AnchorIndex::new([&Document::parse(text)])
    }

    #[test]
    fn white_space_is_ignored() {
        let idx = index("1978 年 12 月 16 日，中美建交。\n\n第二段。\n");
        assert_eq!(idx.find(0, None, "1978年12月16日"), QuoteMatch::Once(1));
        assert_eq!(idx.find(0, None, "第 二 段"), QuoteMatch::Once(2));
    }

    #[test]
    fn ambiguous_quotes_list_every_place() {
        let idx = index("台湾问题。\n\n又是台湾问题，台湾问题。\n");
        assert_eq!(idx.find(0, None, "台湾问题"), QuoteMatch::Several(vec![1, 2, 2]));
        assert_eq!(idx.find(0, Some(1), "台湾问题"), QuoteMatch::Once(1));
    }

    #[test]
    fn a_missing_quote_shows_the_near_miss() {
        let idx = index("美国会通过了与台湾关系法。\n");
        match idx.find(0, None, "与台湾关系发") {
            QuoteMatch::Nowhere {
                nearest: Some((1, near)),
            } => assert_eq!(near, "与台湾关系法"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
