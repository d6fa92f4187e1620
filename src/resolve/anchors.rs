//! Anchors → paragraphs. Quotes are matched against each paragraph's plain
//! text with all white space removed, so `1978 年 12 月` finds `1978年12月`;
//! a quote must occur exactly once in its scope.
//!
//! Every anchor of the site is resolved in one call: the anchors are grouped
//! by the article they point into, and each article's searchable text is
//! built once, searched for its anchors and dropped, so a large site never
//! holds a second copy of all its text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use toml::Spanned;

use super::{ArticleId, Place};
use crate::content::document::for_each_text;
use crate::content::{Anchor, Article, Document};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// One anchor to resolve: where it is written and whose it is.
pub struct AnchorRequest<'s> {
    pub anchor: &'s Spanned<Anchor>,
    pub file: &'s Path,
    /// The article whose notes.toml holds the anchor (its default article).
    pub home: Option<usize>,
}

/// Resolves anchors against the articles shown.
pub struct AnchorResolver<'a, 's> {
    articles: &'a [&'s Article],
    /// Slug → index into `articles`.
    by_slug: BTreeMap<&'s str, usize>,
    /// Slugs that exist but are not resolved against: drafts left out of
    /// this build, and articles that failed to load (already reported).
    not_shown: BTreeSet<&'a str>,
}

/// An anchor whose article and paragraph are known and whose quote is still
/// to be searched.
struct QuoteSearch<'s> {
    request: usize,
    article: usize,
    paragraph: Option<u32>,
    quote: &'s Spanned<String>,
    file: &'s Path,
}

/// The quote searches `AnchorResolver::locate_all` left, by article (an
/// index of the resolver's articles), and the places found without one.
pub struct Searches<'s> {
    places: Vec<Option<Place>>,
    by_article: BTreeMap<usize, Vec<QuoteSearch<'s>>>,
}

/// A search's answer: its request, and the place or why there is none.
pub type Found = (usize, Result<Place, Diagnostic>);

impl Searches<'_> {
    /// Runs the searches in `article` (its index and slug), whose text is
    /// `document`.
    pub fn run_in(&self, article: usize, slug: &str, document: &Document) -> Vec<Found> {
        let Some(searches) = self.by_article.get(&article) else {
            return Vec::new();
        };
        let text = ArticleText::new(document);
        searches
            .iter()
            .map(|search| (search.request, search.run(&text, slug)))
            .collect()
    }

    /// The paragraph each request lands on (`None` where it does not, with
    /// the reason added to `diagnostics`), in request order, given what
    /// every search `found` (in article order).
    pub fn finish(
        self,
        found: impl IntoIterator<Item = Found>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Option<Place>> {
        let mut places = self.places;
        for (request, result) in found {
            match result {
                Ok(place) => places[request] = Some(place),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        places
    }
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
    Nowhere {
        nearest: Option<(u32, String)>,
    },
    /// Not in the paragraph the anchor names, but in these others.
    Elsewhere(Occurrences),
    Several(Occurrences),
}

/// Where a quote occurs: each paragraph once, in order, with the number of
/// times it occurs there. A quote of one common character occurs millions
/// of times in a long text; this stays as small as the paragraph count.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Occurrences {
    /// (paragraph number, times in it).
    pub paragraphs: Vec<(u32, usize)>,
}

/// At most this many paragraphs are named in a report; the rest are
/// counted, so the report stays a line long however common the quote.
const LISTED_PARAGRAPHS: usize = 10;

impl Occurrences {
    fn add(&mut self, paragraph: u32) {
        match self.paragraphs.last_mut() {
            Some((last, times)) if *last == paragraph => *times += 1,
            _ => self.paragraphs.push((paragraph, 1)),
        }
    }

    /// How many times the quote occurs in all.
    pub fn count(&self) -> usize {
        self.paragraphs.iter().map(|(_, times)| times).sum()
    }

    /// `¶6 (3 times), ¶7`, naming the first `LISTED_PARAGRAPHS` paragraphs
    /// and counting the others: `…, ¶40 and 12 more paragraphs`.
    pub fn list(&self) -> String {
        let named: Vec<String> = self
            .paragraphs
            .iter()
            .take(LISTED_PARAGRAPHS)
            .map(|&(p, times)| match times {
                1 => format!("¶{p}"),
                _ => format!("¶{p} ({times} times)"),
            })
            .collect();
        let more = self.paragraphs.len().saturating_sub(LISTED_PARAGRAPHS);
        match more {
            0 => named.join(", "),
            1 => format!("{} and 1 more paragraph", named.join(", ")),
            _ => format!("{} and {more} more paragraphs", named.join(", ")),
        }
    }
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
                for_each_text(&block.events, |piece| {
                    // Copied run by run between spaces: most text has none.
                    piece.split(char::is_whitespace).for_each(|run| joined.push_str(run));
                });
                joined.push('\n');
            }
        }
        ArticleText { joined, starts }
    }

    /// Finds `quote`, within ¶`paragraph` if given; a quote missing from
    /// that paragraph but present in others says where it is instead.
    fn find(&self, paragraph: Option<u32>, quote: &str) -> QuoteMatch {
        let quote = normalize(quote);
        let (inside, outside) = self.occurrences(paragraph, &quote);
        match inside.paragraphs.as_slice() {
            [] if !outside.paragraphs.is_empty() => QuoteMatch::Elsewhere(outside),
            [] => {
                let scope = self.paragraphs().filter(|(n, _)| paragraph.is_none_or(|p| p == *n));
                QuoteMatch::Nowhere {
                    nearest: nearest(scope, &quote),
                }
            }
            [(p, 1)] => QuoteMatch::Once(*p),
            _ => QuoteMatch::Several(inside),
        }
    }

    /// Where `quote` (normalised) occurs within ¶`paragraph` (everywhere
    /// if none), and where it occurs outside it.
    fn occurrences(&self, paragraph: Option<u32>, quote: &str) -> (Occurrences, Occurrences) {
        let mut inside = Occurrences::default();
        let mut outside = Occurrences::default();
        if quote.is_empty() {
            return (inside, outside);
        }
        for at in memchr::memmem::find_iter(self.joined.as_bytes(), quote.as_bytes()) {
            let n = self.paragraph_at(at);
            if paragraph.is_none_or(|p| p == n) {
                inside.add(n);
            } else {
                outside.add(n);
            }
        }
        (inside, outside)
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

/// The text most like a quote that was not found: the longest start or end
/// of the quote (at least two characters) that does occur, extended to the
/// quote's length. Catches the usual typo or changed character. Where both
/// a start and an end of that length occur, the first paragraph holding
/// either wins, and in one paragraph the start.
///
/// If a start of the quote occurs, so does every shorter start (and the
/// same for ends), so the longest is found by halving the lengths still
/// possible: a few scans of the text, not one per length, which made a
/// quote of a thousand characters that occurs nowhere take seconds.
fn nearest<'a>(scope: impl Iterator<Item = (u32, &'a str)> + Clone, quote: &str) -> Option<(u32, String)> {
    let chars: Vec<char> = quote.chars().collect();
    let occurs = |part: &[char]| {
        let part: String = part.iter().collect();
        let finder = memchr::memmem::Finder::new(part.as_bytes());
        scope.clone().any(|(_, text)| finder.find(text.as_bytes()).is_some())
    };
    let n = chars.len();
    let prefix = longest(n, |keep| occurs(&chars[..keep]));
    let suffix = longest(n, |keep| occurs(&chars[n - keep..]));
    let keep = prefix.max(suffix)?;
    let prefix: String = chars[..keep].iter().collect();
    let suffix: String = chars[n - keep..].iter().collect();
    for (number, text) in scope {
        if let Some(at) = text.find(&prefix) {
            return Some((number, text[at..].chars().take(n).collect()));
        }
        if let Some(at) = text.find(&suffix) {
            let start: String = text[..at]
                .chars()
                .rev()
                .take(n - keep)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Some((number, format!("{start}{suffix}")));
        }
    }
    None
}

/// The largest `keep` in `2..n` for which `occurs(keep)` holds, where
/// `occurs` holds for every length below one it holds for; none if it
/// holds for none.
fn longest(n: usize, occurs: impl Fn(usize) -> bool) -> Option<usize> {
    // Invariant: `occurs(low)` holds (once checked) and `occurs(high)` does not.
    let (mut low, mut high) = (2, n);
    if low >= high || !occurs(low) {
        return None;
    }
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if occurs(middle) {
            low = middle;
        } else {
            high = middle;
        }
    }
    Some(low)
}

impl<'a, 's> AnchorResolver<'a, 's> {
    pub fn new(articles: &'a [&'s Article], not_shown: BTreeSet<&'a str>) -> Self {
        let by_slug = articles.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect();
        AnchorResolver {
            articles,
            by_slug,
            not_shown,
        }
    }

    /// Where each request lands as far as it can be told without the
    /// texts (the article, the paragraph number), the mistakes found so far
    /// in `diagnostics`; what is left is a search for each quote, in its
    /// article's text (`Searches::run_in`), which resolve reads once for
    /// these and for the term occurrences.
    pub fn locate_all(&self, requests: &[AnchorRequest<'s>], diagnostics: &mut Vec<Diagnostic>) -> Searches<'s> {
        let mut places = vec![None; requests.len()];
        let mut by_article: BTreeMap<usize, Vec<QuoteSearch<'s>>> = BTreeMap::new();
        for (i, request) in requests.iter().enumerate() {
            match self.locate(i, request, diagnostics) {
                Located::Place(place) => places[i] = Some(place),
                Located::Search(search) => by_article.entry(search.article).or_default().push(search),
                Located::Failed => {}
            }
        }
        Searches { places, by_article }
    }

    /// Finds the article and checks the paragraph number; only the quote
    /// search is left.
    fn locate(
        &self,
        request_index: usize,
        request: &AnchorRequest<'s>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Located<'s> {
        let AnchorRequest { anchor, file, home } = *request;
        let span = anchor.span();
        let anchor = anchor.get_ref();
        if let Some(heading) = &anchor.heading {
            // Notes anchored to headings never come here; events do.
            diagnostics.push(
                Diagnostic::error(
                    "heading-anchor-misplaced",
                    file,
                    Some(heading.span()),
                    "only a note (a heading's translation) can be anchored to a heading",
                )
                .with_help("anchor the event in a paragraph with `quote = \"…\"`"),
            );
            return Located::Failed;
        }
        let article = match &anchor.article {
            Some(slug) => match self.by_slug.get(slug.get_ref().as_str()) {
                Some(&i) => i,
                None if self.not_shown.contains(slug.get_ref().as_str()) => return Located::Failed,
                None => {
                    let mut d = Diagnostic::error(
                        "unknown-article",
                        file,
                        Some(slug.span()),
                        format!("no article has the slug `{}`", slug.get_ref()),
                    );
                    d = match did_you_mean(slug.get_ref(), self.articles.iter().map(|a| a.slug.as_str())) {
                        Some(close) => d.with_help(format!("did you mean `{close}`?")),
                        None => d.with_help("the slug is the article's folder name under content/"),
                    };
                    diagnostics.push(d);
                    return Located::Failed;
                }
            },
            None => match (home, self.articles.len()) {
                (Some(i), _) => i,
                (None, 1) => 0,
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            "anchor-needs-article",
                            file,
                            Some(span),
                            "this anchor does not say which article it points into",
                        )
                        .with_help("add `article = \"slug\"` to the anchor"),
                    );
                    return Located::Failed;
                }
            },
        };
        let count = self.articles[article].outline.paragraph_count();
        let paragraph = match &anchor.paragraph {
            Some(p) if *p.get_ref() < 1 || *p.get_ref() > i64::from(count) => {
                diagnostics.push(
                    Diagnostic::error(
                        "paragraph-out-of-range",
                        file,
                        Some(p.span()),
                        format!(
                            "¶{} does not exist: `{}` has {count} paragraphs",
                            p.get_ref(),
                            self.articles[article].slug
                        ),
                    )
                    .with_help("prefer a `quote`, which survives renumbering"),
                );
                return Located::Failed;
            }
            Some(p) => Some(*p.get_ref() as u32),
            None => None,
        };
        match (&anchor.quote, paragraph) {
            (Some(quote), _) => Located::Search(QuoteSearch {
                request: request_index,
                article,
                paragraph,
                quote,
                file,
            }),
            (None, Some(paragraph)) => Located::Place(Place {
                article: ArticleId(article),
                paragraph,
            }),
            (None, None) => {
                diagnostics.push(
                    Diagnostic::error(
                        "empty-anchor",
                        file,
                        Some(span),
                        "this anchor has neither a `quote` nor a `paragraph`",
                    )
                    .with_help("add `quote = \"…\"` with a few words of the paragraph it belongs to"),
                );
                Located::Failed
            }
        }
    }
}

enum Located<'s> {
    Place(Place),
    Search(QuoteSearch<'s>),
    Failed,
}

impl QuoteSearch<'_> {
    fn run(&self, text: &ArticleText, slug: &str) -> Result<Place, Diagnostic> {
        let quote = self.quote;
        let error = |code, message: String| Diagnostic::error(code, self.file, Some(quote.span()), message);
        let not_found = || {
            let scope = self
                .paragraph
                .map_or_else(|| format!("`{slug}`"), |p| format!("¶{p} of `{slug}`"));
            error(
                "quote-not-found",
                format!("the quote \"{}\" does not occur in {scope}", quote.get_ref()),
            )
        };
        match text.find(self.paragraph, quote.get_ref()) {
            QuoteMatch::Once(paragraph) => Ok(Place {
                article: ArticleId(self.article),
                paragraph,
            }),
            QuoteMatch::Nowhere { nearest } => Err(match nearest {
                Some((p, near)) => not_found().with_help(format!(
                    "the closest text is in ¶{p}: \"{near}\"; copy the quote from the text exactly"
                )),
                None => {
                    not_found().with_help("copy a few words from the paragraph exactly (white space does not matter)")
                }
            }),
            QuoteMatch::Elsewhere(places) => Err(not_found().with_help(match places.paragraphs.as_slice() {
                [(p, 1)] => format!("it occurs in ¶{p}: write `paragraph = {p}`, or leave `paragraph` out"),
                _ => format!(
                    "it occurs in {}: write the paragraph you mean as `paragraph`",
                    places.list()
                ),
            })),
            QuoteMatch::Several(places) => Err(error(
                "quote-ambiguous",
                format!(
                    "the quote \"{}\" occurs {} times in `{slug}`: {}",
                    quote.get_ref(),
                    places.count(),
                    places.list()
                ),
            )
            .with_help(match self.paragraph {
                Some(p) => format!("quote a few more words so it occurs once in ¶{p}"),
                None => "quote a few more words so it occurs once, or add `paragraph = N`".to_owned(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> ArticleText {
        ArticleText::new(&Document::parse(text))
    }

    #[test]
    fn white_space_is_ignored() {
        let idx = index("1978 年 12 月 16 日，中美建交。\n\n第二段。\n");
        assert_eq!(idx.find(None, "1978年12月16日"), QuoteMatch::Once(1));
        assert_eq!(idx.find(None, "第 二 段"), QuoteMatch::Once(2));
    }

    fn occurrences(paragraphs: &[(u32, usize)]) -> Occurrences {
        Occurrences {
            paragraphs: paragraphs.to_vec(),
        }
    }

    #[test]
    fn ambiguous_quotes_name_each_paragraph_once() {
        let idx = index("台湾问题。\n\n又是台湾问题，台湾问题。\n");
        let places = occurrences(&[(1, 1), (2, 2)]);
        assert_eq!(places.count(), 3);
        assert_eq!(places.list(), "¶1, ¶2 (2 times)");
        assert_eq!(idx.find(None, "台湾问题"), QuoteMatch::Several(places));
        assert_eq!(idx.find(Some(1), "台湾问题"), QuoteMatch::Once(1));
        assert_eq!(
            idx.find(Some(2), "台湾问题"),
            QuoteMatch::Several(occurrences(&[(2, 2)]))
        );
    }

    #[test]
    fn a_long_list_of_paragraphs_is_cut_and_counted() {
        let text: String = (0..25).map(|_| "台湾问题，台湾问题。\n\n").collect();
        let QuoteMatch::Several(places) = index(&text).find(None, "台湾") else {
            panic!("not ambiguous");
        };
        assert_eq!(places.count(), 50);
        let named: Vec<String> = (1..=10).map(|p| format!("¶{p} (2 times)")).collect();
        assert_eq!(places.list(), format!("{} and 15 more paragraphs", named.join(", ")));
        assert_eq!(
            occurrences(&(1..=11).map(|p| (p, 1)).collect::<Vec<_>>()).list(),
            "¶1, ¶2, ¶3, ¶4, ¶5, ¶6, ¶7, ¶8, ¶9, ¶10 and 1 more paragraph"
        );
    }

    #[test]
    fn a_quote_in_another_paragraph_than_the_one_named_says_where_it_is() {
        let idx = index("注释的用处。\n\n第二段。\n\n第三段，注释。\n");
        assert_eq!(
            idx.find(Some(3), "注释的用处"),
            QuoteMatch::Elsewhere(occurrences(&[(1, 1)]))
        );
        // A quote that occurs nowhere still gets the closest text in its paragraph.
        assert_eq!(
            idx.find(Some(3), "注释的用法"),
            QuoteMatch::Nowhere {
                nearest: Some((3, "注释。".into()))
            }
        );
    }

    /// `nearest` as it was written first, trying every length from the
    /// longest down: slow on a long quote, and the answer to match.
    fn nearest_by_every_length(paragraphs: &[(u32, &str)], quote: &str) -> Option<(u32, String)> {
        let chars: Vec<char> = quote.chars().collect();
        for keep in (2..chars.len()).rev() {
            let prefix: String = chars[..keep].iter().collect();
            let suffix: String = chars[chars.len() - keep..].iter().collect();
            for &(number, text) in paragraphs {
                if let Some(at) = text.find(&prefix) {
                    return Some((number, text[at..].chars().take(chars.len()).collect()));
                }
                if let Some(at) = text.find(&suffix) {
                    let before: Vec<char> = text[..at].chars().collect();
                    let start: String = before[before.len().saturating_sub(chars.len() - keep)..]
                        .iter()
                        .collect();
                    return Some((number, format!("{start}{suffix}")));
                }
            }
        }
        None
    }

    #[test]
    fn the_near_miss_is_the_one_every_length_would_find() {
        let paragraphs = [
            (1, "中美建交以后美国会通过了与台湾关系法"),
            (2, "台湾关系法规定了某种防务承诺台湾问题"),
            (3, "美国会与台湾"),
        ];
        let text: String = paragraphs.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("\n");
        let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
        // Every piece of the text, with each of its characters changed in
        // turn, and with a character added at either end.
        for start in 0..chars.len() {
            for end in start + 1..=chars.len().min(start + 12) {
                let piece = &chars[start..end];
                let mut quotes = vec![
                    format!("甲{}", String::from_iter(piece)),
                    format!("{}乙", String::from_iter(piece)),
                ];
                for i in 0..piece.len() {
                    let mut changed = piece.to_vec();
                    changed[i] = '丙';
                    quotes.push(changed.into_iter().collect());
                }
                for quote in quotes {
                    assert_eq!(
                        nearest(paragraphs.iter().copied(), &quote),
                        nearest_by_every_length(&paragraphs, &quote),
                        "{quote}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_longest_length_that_occurs_is_found_by_halving() {
        for n in 0..40 {
            for limit in 0..n {
                let expected = (2..n).rev().find(|&k| k <= limit);
                assert_eq!(longest(n, |k| k <= limit), expected, "n {n}, limit {limit}");
            }
        }
    }

    #[test]
    fn a_missing_quote_shows_the_near_miss() {
        let idx = index("美国会通过了与台湾关系法。\n");
        match idx.find(None, "与台湾关系发") {
            QuoteMatch::Nowhere {
                nearest: Some((1, near)),
            } => assert_eq!(near, "与台湾关系法"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
