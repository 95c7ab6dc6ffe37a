//! The API's response bodies, typed so that the OpenAPI document describes
//! each of them (the record's own types carry their schemas from
//! fihris-model's `openapi` feature).

use fihris_model::cite::Target;
use fihris_model::{CrossRef, Provision, ProvisionId, Section, SectionId};
use serde::Serialize;
use utoipa::ToSchema;

/// An error: what went wrong, in English and in Arabic.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error's status and messages.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// HTTP status code.
    pub status: u16,
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

/// One search hit.
#[derive(Serialize, ToSchema)]
pub struct HitBody {
    /// Provision id, e.g. `A.2.55`.
    pub id: String,
    /// Relevance score.
    pub score: f32,
    /// Whether the provision matches every word of the query.
    pub complete: bool,
    /// Arabic citation, e.g. «الجزء ألف، ثانياً-55».
    pub citation_ar: Option<String>,
    /// English citation, e.g. "Part A, II-55".
    pub citation_en: Option<String>,
    /// A passage of the printed text around the matches.
    pub snippet: String,
    /// Byte ranges `[start, end)` of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// A page of search results.
#[derive(Serialize, ToSchema)]
pub struct SearchBody {
    /// The query as given.
    pub query: String,
    /// When the query was a citation: the provision id it resolved to.
    pub citation: Option<String>,
    /// Number of matching provisions.
    pub total: usize,
    /// How many of them match every word.
    pub complete: usize,
    /// The requested page.
    pub hits: Vec<HitBody>,
    /// Counts over all matches by part, section, year, kind and topic id.
    pub facets: fihris_search::Facets,
}

/// Everything about one provision.
#[derive(Serialize, ToSchema)]
pub struct ProvisionBody {
    /// The provision.
    pub provision: Provision,
    /// How to cite it.
    pub citation: CitationBody,
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
#[derive(Serialize, ToSchema)]
pub struct CitationBody {
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
#[derive(Serialize, ToSchema)]
pub struct ReportCitation {
    /// Document symbol, e.g. `CTOC/COP/WG.4/2010/6`.
    pub symbol: String,
    /// Paragraph as the report numbers it, e.g. `56` or `50 (h)`.
    pub paragraph: String,
}

/// A paragraph of a decision or resolution of the Conference.
#[derive(Serialize, ToSchema)]
pub struct InstrumentCitation {
    /// In English, e.g. "decision 4/4, para. 2".
    pub en: String,
    /// In Arabic.
    pub ar: String,
}

/// A section named briefly.
#[derive(Serialize, ToSchema)]
pub struct SectionBrief {
    /// Its id.
    pub id: SectionId,
    /// Its heading as printed.
    pub heading: String,
    /// The report or session document it comes from.
    pub symbol: Option<String>,
}

/// A topic named briefly.
#[derive(Serialize, ToSchema)]
pub struct TopicBrief {
    /// Its id, e.g. `dhaya--twydat`.
    pub id: String,
    /// Its label as printed.
    pub label: String,
    /// The labels of the headings above it, outermost first.
    pub path: Vec<String>,
}

/// A footnote's number and text.
#[derive(Serialize, ToSchema)]
pub struct FootnoteText {
    /// Its number.
    pub number: u32,
    /// Its text (absent when the source lost it).
    pub text: Option<String>,
}

/// A citation resolved.
#[derive(Serialize, ToSchema)]
pub struct CiteBody {
    /// The citation as given.
    pub input: String,
    /// What it names.
    pub target: Target,
    /// Its Arabic citation.
    pub citation_ar: String,
    /// Its English citation.
    pub citation_en: String,
}

/// A section and how many provisions it holds.
#[derive(Serialize, ToSchema)]
pub struct SectionSummary {
    /// The section.
    pub section: Section,
    /// Number of provisions in it.
    pub provisions: usize,
}

/// A section with its provisions.
#[derive(Serialize, ToSchema)]
pub struct SectionBody {
    /// The section.
    pub section: Section,
    /// Its provisions in document order.
    pub provisions: Vec<Provision>,
}

/// A topic and how many provisions are filed under it.
#[derive(Serialize, ToSchema)]
pub struct TopicSummary {
    /// Its id.
    pub id: String,
    /// Its label as printed.
    pub label: String,
    /// The labels of the headings above it, outermost first.
    pub path: Vec<String>,
    /// Whether the index prints it without a label of its own.
    pub unlabelled: bool,
    /// Number of filings (provisions or paragraphs) under it.
    pub provisions: usize,
}
