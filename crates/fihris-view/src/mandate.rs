//! The Working Group's mandate chain as the record shows it: the
//! Conference decision that established the Group and set its tasks, every
//! meeting held under it, and the paragraphs of the Conference that
//! welcomed each meeting's recommendations (found by the cross-references:
//! a Conference text naming the meeting by its dates or its report).

use fihris_model::numerals::fold_arabic;
use fihris_model::{Corpus, IsoDate, Part, ProvisionId, SectionId, XrefTarget};
use serde::Serialize;

/// What establishes a working group, in a Conference paragraph (folded).
const ESTABLISHES: &str = "انشاء فريق عامل";
/// What names the Working Group, in a paragraph of the same instrument.
const WORKING_GROUP: &str = "الفريق العامل";

/// The mandate chain: establishing instrument → meetings → welcoming
/// paragraphs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MandateChain {
    /// The instrument that established the Working Group, if the record
    /// has it.
    pub established_by: Option<Establishing>,
    /// The meetings, in order.
    pub meetings: Vec<ChainMeeting>,
}

/// The instrument that established the Working Group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Establishing {
    /// Its section (Part B).
    pub section: SectionId,
    /// The instrument, e.g. "decision 4/4".
    pub instrument: String,
    /// In Arabic, e.g. «المقرر 4/4».
    pub instrument_ar: String,
    /// The paragraph that establishes the Group, then the instrument's
    /// other top-level paragraphs that speak of it (its tasks, meetings,
    /// support, reporting and review).
    pub paragraphs: Vec<ProvisionId>,
}

/// A meeting of the Working Group in the chain.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainMeeting {
    /// Its section (Part A).
    pub section: SectionId,
    /// Its number.
    pub number: u32,
    /// First day.
    pub start: Option<IsoDate>,
    /// Last day.
    pub end: Option<IsoDate>,
    /// Its report's symbol.
    pub symbol: Option<String>,
    /// The Conference paragraphs that name it (by its dates or its report),
    /// welcoming its recommendations; empty when no session in the record
    /// does (the sessions after 2010 are not in the compendium).
    pub welcomed_by: Vec<ProvisionId>,
}

impl MandateChain {
    /// The chain as the record shows it.
    pub fn of(corpus: &Corpus) -> MandateChain {
        let established_by = corpus
            .provisions
            .iter()
            .filter(|p| p.id.section.part == Part::B)
            .find(|p| fold_arabic(&p.text).contains(ESTABLISHES))
            .and_then(|founding| {
                let section = corpus.section(founding.id.section)?;
                let instrument = section.session.as_ref()?.instrument;
                let mut paragraphs = vec![founding.id.clone()];
                paragraphs.extend(
                    corpus
                        .provisions_in(section.id)
                        .filter(|p| p.id.path.len() == 1 && p.id != founding.id)
                        .filter(|p| p.text.contains(WORKING_GROUP))
                        .map(|p| p.id.clone()),
                );
                Some(Establishing {
                    section: section.id,
                    instrument: instrument.canonical(),
                    instrument_ar: instrument.arabic(),
                    paragraphs,
                })
            });
        let meetings = corpus
            .sections
            .iter()
            .filter_map(|s| {
                let m = s.meeting.as_ref()?;
                let mut welcomed_by: Vec<ProvisionId> = corpus
                    .xrefs
                    .iter()
                    .filter(|x| x.from.section.part == Part::B)
                    .filter(|x| matches!(&x.target, XrefTarget::Section { id } if *id == s.id))
                    .map(|x| x.from.clone())
                    .collect();
                welcomed_by.dedup();
                Some(ChainMeeting {
                    section: s.id,
                    number: m.number,
                    start: m.start,
                    end: m.end,
                    symbol: s.symbol.clone(),
                    welcomed_by,
                })
            })
            .collect();
        MandateChain {
            established_by,
            meetings,
        }
    }

    /// Whether section `id` is in the chain: the establishing instrument,
    /// a meeting, or a session whose paragraphs welcome one.
    pub fn involves(&self, id: SectionId) -> bool {
        self.established_by
            .as_ref()
            .is_some_and(|e| e.section == id)
            || self
                .meetings
                .iter()
                .any(|m| m.section == id || m.welcomed_by.iter().any(|p| p.section == id))
    }
}
