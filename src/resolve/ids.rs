//! Typed indexes into the lists of [`super::Resolved`]: an article's index
//! can never be taken for a term's or an event's. Each indexes its list
//! directly (`resolved.terms[id]`); lists kept beside the articles, one
//! entry per article (`notes`, `term_uses`, …), are indexed by
//! `ArticleId::index`.

use std::ops::Index;

use super::ResolvedEvent;
use crate::content::{Article, Term};

/// An index into `Resolved::articles`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub usize);

/// An index into `Resolved::terms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId(pub usize);

/// An index into `Resolved::events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub usize);

impl ArticleId {
    /// The position in lists kept one entry per article.
    pub fn index(self) -> usize {
        self.0
    }
}

impl TermId {
    /// The position in lists kept one entry per term.
    pub fn index(self) -> usize {
        self.0
    }
}

impl<'s> Index<ArticleId> for Vec<&'s Article> {
    type Output = &'s Article;
    fn index(&self, id: ArticleId) -> &Self::Output {
        &self[id.0]
    }
}

impl<'s> Index<TermId> for Vec<&'s Term> {
    type Output = &'s Term;
    fn index(&self, id: TermId) -> &Self::Output {
        &self[id.0]
    }
}

impl<'s> Index<EventId> for Vec<ResolvedEvent<'s>> {
    type Output = ResolvedEvent<'s>;
    fn index(&self, id: EventId) -> &Self::Output {
        &self[id.0]
    }
}
