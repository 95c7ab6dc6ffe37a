//! Everything about one provision, as the API answers it, the page shows it
//! and `fihris show` prints it.

use fihris_model::{
    Corpus, CrossRef, Provision, ProvisionId, SectionId, Topic, TopicId, XrefTarget,
};
use serde::Serialize;

use crate::originals::{Original, originals};

/// Everything about one provision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionView {
    /// The provision.
    pub provision: Provision,
    /// How to cite it.
    pub citation: CitationView,
    /// Its section, briefly.
    pub section: Option<SectionBrief>,
    /// Topics of the thematic index that file it (or a provision around it).
    pub topics: Vec<TopicBrief>,
    /// References in its text.
    pub cross_references: Vec<CrossRef>,
    /// References to it in other provisions' texts.
    pub cited_by: Vec<CrossRef>,
    /// Its footnotes with their texts.
    pub footnotes: Vec<FootnoteText>,
    /// Ids of the provisions directly inside it.
    pub children: Vec<ProvisionId>,
    /// The provision before it in document order.
    pub previous: Option<ProvisionId>,
    /// The provision after it in document order.
    pub next: Option<ProvisionId>,
}

/// A provision's citations.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitationView {
    /// In Arabic, e.g. «الجزء ألف، ثانياً-55».
    pub ar: String,
    /// In English, e.g. "Part A, II-55".
    pub en: String,
    /// Part A: the Working Group report and its paragraph.
    pub report: Option<ReportCitation>,
    /// Part B: the decision or resolution.
    pub instrument: Option<InstrumentCitation>,
}

/// A paragraph of a Working Group report.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportCitation {
    /// Document symbol, e.g. `CTOC/COP/WG.4/2010/6`.
    pub symbol: String,
    /// Paragraph as the report numbers it, e.g. `para. 56` or
    /// `recommendation 50 (h)`.
    pub paragraph: String,
}

/// A paragraph of a decision or resolution of the Conference.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentCitation {
    /// In English, e.g. "decision 4/4, para. 2".
    pub en: String,
    /// In Arabic.
    pub ar: String,
}

/// A section named briefly.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionBrief {
    /// Its id.
    pub id: SectionId,
    /// Its heading as printed.
    pub heading: String,
    /// The report or session document it comes from.
    pub symbol: Option<String>,
    /// That document in the six official languages (ODS); none for
    /// synthetic text.
    pub originals: Vec<Original>,
    /// Whether the section is synthetic test text, not a real meeting's.
    pub synthetic: bool,
}

/// A topic named briefly.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicBrief {
    /// Its id, e.g. `victims.compensation`.
    pub id: TopicId,
    /// Its label as printed.
    pub label: String,
    /// Its label in English (fihris's translation).
    pub label_en: Option<String>,
    /// The labels of the headings above it, outermost first.
    pub path: Vec<String>,
}

impl TopicBrief {
    /// The brief of a topic.
    pub fn of(t: &Topic) -> TopicBrief {
        TopicBrief {
            id: t.id.clone(),
            label: t.label.clone(),
            label_en: t.label_en.clone(),
            path: t.path.clone(),
        }
    }
}

/// A footnote's number and text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FootnoteText {
    /// Its number.
    pub number: u32,
    /// Its text (absent when the source lost it).
    pub text: Option<String>,
}

impl ProvisionView {
    /// The view of the provision `id`, if the record has it.
    pub fn of(corpus: &Corpus, id: &ProvisionId) -> Option<ProvisionView> {
        let index = corpus.provisions.iter().position(|q| &q.id == id)?;
        let p = &corpus.provisions[index];
        let neighbour = |k: Option<usize>| {
            k.and_then(|k| corpus.provisions.get(k))
                .map(|q| q.id.clone())
        };
        let xrefs = |keep: &dyn Fn(&CrossRef) -> bool| {
            corpus.xrefs.iter().filter(|x| keep(x)).cloned().collect()
        };
        Some(ProvisionView {
            provision: p.clone(),
            citation: CitationView::of(corpus, id),
            section: corpus.section(id.section).map(|s| SectionBrief {
                id: s.id,
                heading: s.heading.clone(),
                symbol: s.symbol.clone(),
                originals: s
                    .symbol
                    .as_deref()
                    .filter(|_| !s.is_synthetic())
                    .map(originals)
                    .unwrap_or_default(),
                synthetic: s.is_synthetic(),
            }),
            topics: corpus.topics_of(id).map(TopicBrief::of).collect(),
            cross_references: xrefs(&|x| &x.from == id),
            cited_by: xrefs(&|x| cites(x, id)),
            footnotes: p
                .footnotes
                .iter()
                .map(|n| FootnoteText {
                    number: *n,
                    text: corpus.footnote(*n).map(|f| f.text.clone()),
                })
                .collect(),
            children: corpus.children(id).map(|c| c.id.clone()).collect(),
            previous: neighbour(index.checked_sub(1)),
            next: neighbour(Some(index + 1)),
        })
    }
}

impl CitationView {
    /// The citations of provision `id`.
    pub fn of(corpus: &Corpus, id: &ProvisionId) -> CitationView {
        CitationView {
            ar: id.cite_ar(),
            en: id.cite_en(),
            report: corpus
                .report_citation(id)
                .map(|(symbol, paragraph)| ReportCitation { symbol, paragraph }),
            instrument: corpus
                .instrument_citation(id)
                .map(|(en, ar)| InstrumentCitation { en, ar }),
        }
    }
}

/// Whether a cross-reference points at the provision `id`.
fn cites(x: &CrossRef, id: &ProvisionId) -> bool {
    matches!(&x.target, XrefTarget::Provision { id: t } if t == id)
}
