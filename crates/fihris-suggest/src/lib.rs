//! # fihris-suggest
//!
//! Topic suggestions for a provision: the thematic index's topics ranked
//! for a text by how the provisions nearest to it are filed (k nearest
//! neighbours: each neighbour votes for its topics with its similarity),
//! nearness by meaning (the provisions' vectors) and by shared wording
//! (three-word shingles), and how often such suggestions were right,
//! measured leave-one-meeting-out on the record: every meeting's (and
//! session's) filings predicted from the other meetings' alone, beside a
//! baseline that suggests the most frequent topics.
//!
//! Not here: the model (vectors are handed in), HTTP, the editor.

use std::collections::HashMap;

use fihris_agreed::similar::{Wording, shingles};
use fihris_model::{Corpus, ProvisionId, SectionId, TopicId};
use fihris_search::dense::DenseIndex;
use serde::Serialize;

/// Neighbours that vote.
pub const NEIGHBOURS: usize = 10;

/// A provision filed under topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The provision (a paragraph filed as a whole, or an item).
    pub id: ProvisionId,
    /// Its topics, in index order.
    pub topics: Vec<TopicId>,
}

/// The record's filings: every provision the index files directly, with
/// its topics.
#[derive(Debug, Clone)]
pub struct Filings {
    units: Vec<Unit>,
}

impl Filings {
    /// The filings of `corpus` (labelled topics only).
    pub fn of(corpus: &Corpus) -> Filings {
        let mut by_id: HashMap<&ProvisionId, Vec<TopicId>> = HashMap::new();
        for t in corpus.topics.iter().filter(|t| !t.unlabelled) {
            for p in &t.provisions {
                by_id.entry(p).or_default().push(t.id.clone());
            }
        }
        let units = corpus
            .provisions
            .iter()
            .filter_map(|p| {
                by_id.get(&p.id).map(|topics| Unit {
                    id: p.id.clone(),
                    topics: topics.clone(),
                })
            })
            .collect();
        Filings { units }
    }

    /// The filed provisions, in document order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }
}

/// How neighbours are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nearness {
    /// By meaning: the cosine of the vectors.
    Meaning,
    /// By shared wording: weighted Dice of three-word shingles.
    Wording,
    /// The mean of the two.
    Both,
}

/// A suggested topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The topic.
    pub topic: TopicId,
    /// Its votes: the summed similarity of the neighbours filed under it.
    pub score: f32,
}

/// Ranks topics for texts from the filings.
pub struct Suggester<'a> {
    filings: &'a Filings,
    wording: &'a Wording,
    dense: Option<&'a DenseIndex>,
}

impl<'a> Suggester<'a> {
    /// A suggester over `filings`, nearness by `wording` and, given them,
    /// the provisions' vectors.
    pub fn new(
        filings: &'a Filings,
        wording: &'a Wording,
        dense: Option<&'a DenseIndex>,
    ) -> Suggester<'a> {
        Suggester {
            filings,
            wording,
            dense,
        }
    }

    /// The topics for `text` (with its vector, if any), best first, from
    /// the filed provisions `keep` lets vote. Without a vector, nearness is
    /// by wording whatever `nearness` asks.
    pub fn suggest(
        &self,
        text: &str,
        vector: Option<&[f32]>,
        nearness: Nearness,
        keep: impl Fn(&Unit) -> bool,
    ) -> Vec<Suggestion> {
        let words: HashMap<ProvisionId, f32> =
            self.wording.scores(&shingles(text)).into_iter().collect();
        let nearness = match (vector, self.dense) {
            (Some(_), Some(_)) => nearness,
            _ => Nearness::Wording,
        };
        let mut near: Vec<(&Unit, f32)> = self
            .filings
            .units
            .iter()
            .filter(|u| keep(u))
            .map(|u| {
                let w = words.get(&u.id).copied().unwrap_or(0.0);
                let m = vector
                    .zip(self.dense)
                    .and_then(|(v, d)| Some(cosine(v, d.vector(&u.id)?)))
                    .unwrap_or(0.0);
                let s = match nearness {
                    Nearness::Meaning => m,
                    Nearness::Wording => w,
                    Nearness::Both => (w + m) / 2.0,
                };
                (u, s)
            })
            .filter(|(_, s)| *s > 0.0)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        let mut votes: HashMap<&TopicId, f32> = HashMap::new();
        for (u, s) in near.into_iter().take(NEIGHBOURS) {
            for t in &u.topics {
                *votes.entry(t).or_default() += s;
            }
        }
        let mut out: Vec<Suggestion> = votes
            .into_iter()
            .map(|(t, score)| Suggestion {
                topic: t.clone(),
                score,
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.topic.to_string().cmp(&b.topic.to_string()))
        });
        out
    }
}

impl Suggester<'_> {
    /// How often [`Suggester::suggest`] with `nearness` was right on
    /// `corpus`, leave-one-meeting-out (each filed provision by its text as
    /// a whole and its own vector).
    pub fn precision(&self, corpus: &Corpus, nearness: Nearness) -> Precision {
        leave_one_meeting_out(self.filings, |u, held| {
            let vector = self.dense.and_then(|d| d.vector(&u.id));
            self.suggest(&unit_text(corpus, &u.id), vector, nearness, |v| {
                v.id.section != held
            })
            .into_iter()
            .map(|s| s.topic)
            .collect()
        })
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// How often suggestions were right.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Precision {
    /// Filed provisions predicted.
    pub units: usize,
    /// Share whose first suggestion is one of their topics.
    pub p_at_1: f32,
    /// Mean share of the first three suggestions that are their topics.
    pub p_at_3: f32,
    /// Mean share of their topics among the first five suggestions.
    pub r_at_5: f32,
}

/// Scores `predict` leave-one-meeting-out: each filed provision's topics
/// predicted with only the other sections' filings (`predict` is given the
/// unit and the section held out).
pub fn leave_one_meeting_out(
    filings: &Filings,
    predict: impl Fn(&Unit, SectionId) -> Vec<TopicId>,
) -> Precision {
    let (mut p1, mut p3, mut r5) = (0.0f32, 0.0f32, 0.0f32);
    let n = filings.units.len();
    for u in &filings.units {
        let ranked = predict(u, u.id.section);
        let right = |t: &TopicId| u.topics.contains(t);
        p1 += ranked
            .first()
            .map_or(0.0, |t| f32::from(u8::from(right(t))));
        p3 += ranked.iter().take(3).filter(|t| right(t)).count() as f32 / 3.0;
        r5 += ranked.iter().take(5).filter(|t| right(t)).count() as f32 / u.topics.len() as f32;
    }
    let n_f = n.max(1) as f32;
    Precision {
        units: n,
        p_at_1: p1 / n_f,
        p_at_3: p3 / n_f,
        r_at_5: r5 / n_f,
    }
}

/// The baseline: the topics most often filed outside `held_out`, most
/// frequent first.
pub fn most_frequent(filings: &Filings, held_out: SectionId) -> Vec<TopicId> {
    let mut count: HashMap<&TopicId, usize> = HashMap::new();
    for u in filings.units.iter().filter(|u| u.id.section != held_out) {
        for t in &u.topics {
            *count.entry(t).or_default() += 1;
        }
    }
    let mut out: Vec<(&TopicId, usize)> = count.into_iter().collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.to_string().cmp(&b.0.to_string()))
    });
    out.into_iter().map(|(t, _)| t.clone()).collect()
}

/// The text of a filed provision as a whole: its own and its sub-provisions'.
pub fn unit_text(corpus: &Corpus, id: &ProvisionId) -> String {
    let own = id.to_string();
    let prefix = format!("{own}.");
    corpus
        .provisions_in(id.section)
        .filter(|p| {
            let s = p.id.to_string();
            s == own || s.starts_with(&prefix)
        })
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
