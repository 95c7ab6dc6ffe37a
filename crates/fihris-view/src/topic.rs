//! Topics of the thematic index: the list with counts, and finding one by
//! its id, a former id, or its label.

use fihris_model::numerals::fold_arabic;
use fihris_model::{Corpus, Topic, TopicId};
use serde::Serialize;

/// A topic and how many provisions are filed under it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicSummary {
    /// Its id.
    pub id: TopicId,
    /// Its label as printed.
    pub label: String,
    /// Its label in English (fihris's translation).
    pub label_en: Option<String>,
    /// The labels of the headings above it, outermost first.
    pub path: Vec<String>,
    /// Whether the index prints it without a label of its own.
    pub unlabelled: bool,
    /// Number of filings (provisions or paragraphs) under it.
    pub provisions: usize,
}

/// Every topic with its count of filings, in index order.
pub fn topic_summaries(corpus: &Corpus) -> Vec<TopicSummary> {
    corpus
        .topics
        .iter()
        .map(|t| TopicSummary {
            id: t.id.clone(),
            label: t.label.clone(),
            label_en: t.label_en.clone(),
            path: t.path.clone(),
            unlabelled: t.unlabelled,
            provisions: t.provisions.len(),
        })
        .collect()
}

/// What looking a topic up found.
#[derive(Debug, Clone, Copy)]
pub enum FoundTopic<'c> {
    /// The topic with this id.
    Here(&'c Topic),
    /// The topic that had this id before (its address has moved).
    Moved(&'c Topic),
}

/// Finds a topic by its id or a former id (an old link).
pub fn find_topic<'c>(corpus: &'c Corpus, id: &str) -> Option<FoundTopic<'c>> {
    let id = id.trim();
    if let Some(t) = corpus.topics.iter().find(|t| t.id.as_str() == id) {
        return Some(FoundTopic::Here(t));
    }
    corpus
        .topics
        .iter()
        .find(|t| t.former_ids.iter().any(|f| f == id))
        .map(FoundTopic::Moved)
}

/// Finds a topic by id, former id, exact label (Arabic or English), or a
/// unique folded part of its label; else the candidates.
pub fn topic_by_name<'c>(corpus: &'c Corpus, query: &str) -> Result<&'c Topic, Vec<&'c Topic>> {
    let q = query.trim();
    if let Some(FoundTopic::Here(t) | FoundTopic::Moved(t)) = find_topic(corpus, q) {
        return Ok(t);
    }
    if let Some(t) = corpus.topics.iter().find(|t| {
        t.label == q
            || t.label_en
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(q))
    }) {
        return Ok(t);
    }
    let fq = fold_arabic(q);
    let lower = q.to_lowercase();
    let hits: Vec<&Topic> = corpus
        .topics
        .iter()
        .filter(|t| {
            fold_arabic(&t.label).contains(&fq)
                || t.label_en
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(&lower))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        _ => Err(hits),
    }
}
