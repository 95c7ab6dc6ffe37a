//! Topics suggested for a text: the view behind
//! `POST /api/v1/topics/suggest`.

use fihris_model::{Corpus, TopicId};
use fihris_suggest::{Precision, Suggestion};
use serde::Serialize;

/// Topics suggested for a text, with how often such suggestions were right.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestView {
    /// Whether neighbours were found by meaning (the model was loaded);
    /// if not, by shared wording.
    pub by_meaning: bool,
    /// Best first.
    pub suggestions: Vec<SuggestedTopic>,
    /// How often this way of suggesting was right on the record,
    /// leave-one-meeting-out: each meeting's filings predicted from the
    /// other meetings' alone.
    pub precision: Precision,
}

/// A suggested topic.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestedTopic {
    /// Its id.
    pub id: TopicId,
    /// Its Arabic label.
    pub label: String,
    /// Its English label, if any.
    pub label_en: Option<String>,
    /// The votes of the nearest filed provisions (summed similarity).
    pub score: f32,
}

impl SuggestView {
    /// The first `k` of `suggestions`, with their labels.
    pub fn of(
        corpus: &Corpus,
        suggestions: Vec<Suggestion>,
        k: usize,
        by_meaning: bool,
        precision: Precision,
    ) -> SuggestView {
        let suggestions = suggestions
            .into_iter()
            .take(k)
            .filter_map(|s| {
                let t = corpus.topics.iter().find(|t| t.id == s.topic)?;
                Some(SuggestedTopic {
                    id: s.topic,
                    label: t.label.clone(),
                    label_en: t.label_en.clone(),
                    score: s.score,
                })
            })
            .collect();
        SuggestView {
            by_meaning,
            suggestions,
            precision,
        }
    }
}
