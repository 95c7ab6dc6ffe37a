//! The provisions closest to a provision, each compared word by word with
//! it: the view behind `/api/v1/provisions/{id}/similar` and the provision
//! page's "similar provisions".

use fihris_agreed::similar::{Wording, similar};
use fihris_agreed::{Run, compare};
use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, MatchedBy};
use serde::Serialize;

use crate::provision::CitationView;

/// The provisions closest to one provision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarView {
    /// The provision compared with.
    pub of: ProvisionId,
    /// Whether meaning took part (the provisions' vectors were at hand);
    /// if not, only shared wording ranks.
    pub by_meaning: bool,
    /// Closest first.
    pub similar: Vec<SimilarItem>,
}

/// One close provision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarItem {
    /// Its id.
    pub id: ProvisionId,
    /// How to cite it.
    pub citation: CitationView,
    /// The ranking score: the mean of `wording` and `meaning`, or
    /// `wording` alone.
    pub score: f32,
    /// Shared wording: Dice's coefficient of the two texts' three-word
    /// shingles of normalised words, each weighted by its rarity in the
    /// record (0–1).
    pub wording: f32,
    /// Cosine of the two provisions' vectors, when meaning took part.
    pub meaning: Option<f32>,
    /// Whether it shares wording, is close in meaning, or both.
    pub matched_by: MatchedBy,
    /// Its text in runs, those the provision compared with shares marked.
    pub text: Vec<Run>,
    /// The compared provision's text in runs, those this one shares marked.
    pub compared: Vec<Run>,
}

impl SimilarView {
    /// The `k` provisions closest to `id` (by wording, and by meaning when
    /// `dense` is given); `None` if the record has no provision `id`.
    pub fn of(
        corpus: &Corpus,
        wording: &Wording,
        dense: Option<&DenseIndex>,
        id: &ProvisionId,
        k: usize,
    ) -> Option<SimilarView> {
        let own = corpus.provision(id)?;
        let found = similar(wording, dense, id, k)?;
        let by_meaning = dense.is_some_and(|d| d.vector(id).is_some());
        let similar = found
            .into_iter()
            .filter_map(|s| {
                let other = corpus.provision(&s.id)?;
                let (compared, text) = compare(&own.text, &other.text);
                Some(SimilarItem {
                    citation: CitationView::of(corpus, &s.id),
                    id: s.id,
                    score: s.score,
                    wording: s.wording,
                    meaning: s.meaning,
                    matched_by: s.matched_by,
                    text,
                    compared,
                })
            })
            .collect();
        Some(SimilarView {
            of: id.clone(),
            by_meaning,
            similar,
        })
    }
}
