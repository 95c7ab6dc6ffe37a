//! A section (a meeting of the Working Group or a session of the
//! Conference) with its provisions, and the list of sections.

use fihris_model::{Corpus, CrossRef, Provision, Section, SectionId, XrefTarget};
use serde::Serialize;

use crate::mandate::MandateChain;

/// A section with its provisions.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionView {
    /// The section.
    pub section: Section,
    /// Its provisions in document order.
    pub provisions: Vec<Provision>,
    /// References to it in the texts of other sections' provisions (by its
    /// instrument, its report, or its dates: «اجتماعاته التي عقدها يومي 14
    /// و15 نيسان/أبريل 2009»).
    pub cited_by: Vec<CrossRef>,
    /// The Working Group's mandate chain, when the section is in it (the
    /// establishing decision, a meeting, a session welcoming meetings).
    pub mandate: Option<MandateChain>,
}

impl SectionView {
    /// The view of the section `id`, if the record has it.
    pub fn of(corpus: &Corpus, id: SectionId) -> Option<SectionView> {
        let section = corpus.section(id)?;
        let chain = MandateChain::of(corpus);
        Some(SectionView {
            section: section.clone(),
            provisions: corpus.provisions_in(id).cloned().collect(),
            cited_by: section_cited_by(corpus, id),
            mandate: chain.involves(id).then_some(chain),
        })
    }
}

/// The references to section `id` in the texts of other sections'
/// provisions.
pub fn section_cited_by(corpus: &Corpus, id: SectionId) -> Vec<CrossRef> {
    corpus
        .xrefs
        .iter()
        .filter(|x| x.from.section != id)
        .filter(|x| matches!(&x.target, XrefTarget::Section { id: t } if *t == id))
        .cloned()
        .collect()
}

/// A section and how many provisions it holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionSummary {
    /// The section.
    pub section: Section,
    /// Number of provisions in it.
    pub provisions: usize,
}

/// Every section with its count of provisions, in document order.
pub fn section_summaries(corpus: &Corpus) -> Vec<SectionSummary> {
    corpus
        .sections
        .iter()
        .map(|s| SectionSummary {
            section: s.clone(),
            provisions: corpus.provisions_in(s.id).count(),
        })
        .collect()
}
