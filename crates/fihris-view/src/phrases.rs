//! Formulations reused across meetings and sessions: the view behind
//! `/api/v1/phrases`, the `/phrases` page and a provision page's "this
//! wording first appeared in …".

use fihris_agreed::phrases::{Formulation, Occurrence, Phrases};
use fihris_agreed::{Run, compare};
use fihris_model::{Corpus, ProvisionId};
use serde::Serialize;

use crate::provision::CitationView;

/// Reused formulations, the most widely reused first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhrasesView {
    /// The provision asked about, if any: then only the formulations it
    /// has (first or reused).
    pub provision: Option<ProvisionId>,
    /// The formulations.
    pub formulations: Vec<FormulationView>,
    /// Their later occurrences, in all.
    pub reuses: usize,
}

/// A formulation: where it first appeared and every later reuse.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormulationView {
    /// Where it first appeared.
    pub first: PhraseOccurrence,
    /// Meetings and sessions it occurs in.
    pub sections: usize,
    /// Its later occurrences, in order of time.
    pub reuses: Vec<ReuseView>,
}

/// One occurrence of a formulation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhraseOccurrence {
    /// The provision.
    pub id: ProvisionId,
    /// How to cite it.
    pub citation: CitationView,
    /// When its meeting (first day, `YYYY-MM-DD`) or session (year) was
    /// held.
    pub when: String,
    /// The formulation's stretch of its text, as printed.
    pub text: String,
    /// Its words.
    pub words: usize,
}

/// A later occurrence, compared with the first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReuseView {
    /// Where.
    pub at: PhraseOccurrence,
    /// Whether its normalised words are the first's, word for word.
    pub exact: bool,
    /// Its stretch in runs, those the first shares marked.
    pub runs: Vec<Run>,
    /// The first's stretch in runs, those this one shares marked.
    pub first_runs: Vec<Run>,
}

impl PhrasesView {
    /// Every formulation of `phrases`, or those provision `id` has.
    pub fn of(corpus: &Corpus, phrases: &Phrases, id: Option<&ProvisionId>) -> PhrasesView {
        let formulations: Vec<FormulationView> = phrases
            .formulations
            .iter()
            .filter(|f| {
                id.is_none_or(|id| f.first.id == *id || f.reuses.iter().any(|r| r.at.id == *id))
            })
            .map(|f| formulation(corpus, f))
            .collect();
        PhrasesView {
            provision: id.cloned(),
            reuses: formulations.iter().map(|f| f.reuses.len()).sum(),
            formulations,
        }
    }
}

fn formulation(corpus: &Corpus, f: &Formulation) -> FormulationView {
    let first = occurrence(corpus, &f.first);
    let reuses = f
        .reuses
        .iter()
        .map(|r| {
            let at = occurrence(corpus, &r.at);
            let (first_runs, runs) = compare(&first.text, &at.text);
            ReuseView {
                at,
                exact: r.exact,
                runs,
                first_runs,
            }
        })
        .collect();
    FormulationView {
        first,
        sections: f.sections,
        reuses,
    }
}

fn occurrence(corpus: &Corpus, o: &Occurrence) -> PhraseOccurrence {
    let text = corpus
        .provision(&o.id)
        .and_then(|p| p.text.get(o.bytes.clone()))
        .unwrap_or_default()
        .to_owned();
    let when = corpus
        .section(o.id.section)
        .and_then(|s| match (&s.meeting, &s.session) {
            (Some(m), _) => m
                .start
                .map(|d| d.to_string())
                .or(m.year.map(|y| y.to_string())),
            (None, Some(c)) => c.year.map(|y| y.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    PhraseOccurrence {
        citation: CitationView::of(corpus, &o.id),
        id: o.id.clone(),
        when,
        text,
        words: o.words,
    }
}
