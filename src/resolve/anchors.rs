//! Anchors → paragraphs. Quotes are matched against each paragraph's plain
//! text with all white space removed, so `1978 年 12 月` finds `1978年12月`;
//! a quote must occur exactly once in its scope.

use crate::content::Document;

/// Every article's paragraphs, white space removed, built once per build.
pub struct AnchorIndex {
    articles: Vec<ArticleText>,
}

/// One article's normalised paragraphs joined by newlines (which normalised
/// text never contains), so a quote is searched once per article, and where
/// each paragraph starts in the joined text.
struct ArticleText {
    joined: String,
    /// (byte offset in `joined`, paragraph number), in order.
    starts: Vec<(usize, u32)>,
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

impl ArticleText {
    fn new(document: &Document) -> Self {
        let mut joined = String::new();
        let mut starts = Vec::new();
        for block in &document.blocks {
            if let Some(number) = block.number() {
                starts.push((joined.len(), number));
                joined.extend(block.plain.chars().filter(|c| !c.is_whitespace()));
                joined.push('\n');
            }
        }
        ArticleText { joined, starts }
    }

    /// The paragraph holding byte `offset` of the joined text.
    fn paragraph_at(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|(start, _)| *start <= offset);
        self.starts[i - 1].1
    }

    fn paragraphs(&self) -> impl Iterator<Item = (u32, &str)> + Clone {
        self.starts.iter().enumerate().map(|(i, (start, number))| {
            let end = self.starts.get(i + 1).map_or(self.joined.len(), |(next, _)| *next) - 1;
            (*number, &self.joined[*start..end])
        })
    }
}

impl AnchorIndex {
    pub fn new<'a>(documents: impl IntoIterator<Item = &'a Document>) -> Self {
        AnchorIndex {
            articles: documents.into_iter().map(ArticleText::new).collect(),
        }
    }

    pub fn paragraph_count(&self, article: usize) -> u32 {
        self.articles[article].starts.last().map_or(0, |(_, n)| *n)
    }

    /// Finds `quote` in article `article`, within ¶`paragraph` if given.
    pub fn find(&self, article: usize, paragraph: Option<u32>, quote: &str) -> QuoteMatch {
        let quote = normalize(quote);
        let text = &self.articles[article];
        let places: Vec<u32> = if quote.is_empty() {
            Vec::new()
        } else {
            memchr::memmem::find_iter(text.joined.as_bytes(), quote.as_bytes())
                .map(|at| text.paragraph_at(at))
                .filter(|n| paragraph.is_none_or(|p| p == *n))
                .collect()
        };
        match places.len() {
            0 => {
                let scope = text.paragraphs().filter(|(n, _)| paragraph.is_none_or(|p| p == *n));
                QuoteMatch::Nowhere {
                    nearest: nearest(scope, &quote),
                }
            }
            1 => QuoteMatch::Once(places[0]),
            _ => QuoteMatch::Several(places),
        }
    }
}

/// The text most like a quote that was not found: the longest start or end
/// of the quote (at least two characters) that does occur, extended to the
/// quote's length. Catches the usual typo or changed character.
fn nearest<'a>(scope: impl Iterator<Item = (u32, &'a str)> + Clone, quote: &str) -> Option<(u32, String)> {
    let chars: Vec<char> = quote.chars().collect();
    for keep in (2..chars.len()).rev() {
        let prefix: String = chars[..keep].iter().collect();
        let suffix: String = chars[chars.len() - keep..].iter().collect();
        for (number, text) in scope.clone() {
            if let Some(at) = text.find(&prefix) {
                return Some((number, text[at..].chars().take(chars.len()).collect()));
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
                return Some((number, format!("{start}{suffix}")));
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
