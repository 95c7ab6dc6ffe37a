//! The record's editions: their list, what changed between two of them,
//! and a provision's history across them — the views behind
//! `/api/v1/editions`, the `/editions` pages and a provision page's
//! history.

use std::sync::Arc;

use fihris_agreed::{Run, compare};
use fihris_edit::{EditionDiff, diff};
use fihris_model::{Corpus, ProvisionId};
use serde::Serialize;

/// An edition named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditionBrief {
    /// Its name, e.g. `2021`, or `draft`.
    pub name: String,
    /// Whether it is published (immutable).
    pub published: bool,
    /// When it was published (UTC), if it is.
    pub published_at: Option<String>,
}

/// The editions with their records, oldest first (the draft last, if the
/// server shows it).
#[derive(Debug, Clone, Default)]
pub struct Editions {
    list: Vec<(EditionBrief, Arc<Corpus>)>,
}

/// One step of a provision's history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// The edition.
    pub edition: EditionBrief,
    /// `added`, `changed`, `unchanged` or `removed` against the edition
    /// before (the first edition: `added`).
    pub status: &'static str,
    /// For `changed`: its text in this edition in runs, those the edition
    /// before has marked.
    pub runs: Vec<Run>,
}

impl Editions {
    /// The editions, each with its record, oldest first.
    pub fn new(list: Vec<(EditionBrief, Arc<Corpus>)>) -> Editions {
        Editions { list }
    }

    /// The editions named, oldest first.
    pub fn briefs(&self) -> Vec<EditionBrief> {
        self.list.iter().map(|(b, _)| b.clone()).collect()
    }

    /// The record of edition `name`.
    pub fn record(&self, name: &str) -> Option<&Corpus> {
        self.list
            .iter()
            .find(|(b, _)| b.name == name)
            .map(|(_, c)| c.as_ref())
    }

    /// What changed from edition `a` to edition `b`.
    pub fn diff(&self, a: &str, b: &str) -> Option<EditionDiff> {
        Some(diff(self.record(a)?, self.record(b)?))
    }

    /// The history of provision `id` across the editions (empty when there
    /// is only one edition or the id is in none).
    pub fn history(&self, id: &ProvisionId) -> Vec<HistoryEntry> {
        if self.list.len() < 2 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut before: Option<&str> = None;
        for (brief, record) in &self.list {
            let now = record.provision(id).map(|p| p.text.as_str());
            let (status, runs) = match (before, now) {
                (None, Some(_)) => ("added", Vec::new()),
                (Some(a), Some(b)) if a == b => ("unchanged", Vec::new()),
                (Some(a), Some(b)) => ("changed", compare(a, b).1),
                (Some(_), None) => ("removed", Vec::new()),
                (None, None) => {
                    continue;
                }
            };
            out.push(HistoryEntry {
                edition: brief.clone(),
                status,
                runs,
            });
            before = now;
        }
        if out
            .iter()
            .all(|e| matches!(e.status, "added" | "unchanged"))
        {
            return Vec::new();
        }
        out
    }

    /// The edition that removed provision `id`, if it was in an earlier
    /// one and is not in the last.
    pub fn removed_in(&self, id: &ProvisionId) -> Option<EditionBrief> {
        self.history(id)
            .into_iter()
            .rev()
            .find(|e| e.status == "removed")
            .map(|e| e.edition)
    }
}
