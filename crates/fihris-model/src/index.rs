//! The thematic index as data: topics, the index rows that file provisions
//! under them, the report citations of those rows, and the per-report
//! offsets between report paragraphs and compendium paragraphs.

use serde::Serialize;

use crate::id::{ProvisionId, SectionId};
use crate::record::Instrument;

/// A topic of the thematic index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    /// Stable ASCII slug (a transliteration of the label), e.g.
    /// `dhaya--tawidat`; unlabelled topics are `unlabelled-<line>`.
    pub id: String,
    /// The label as printed, without «(تابع)»; empty when the extraction
    /// lost it.
    pub label: String,
    /// Main topic › sub-topic, when the label is «main، sub» and the main
    /// head is shared with other labels; otherwise the label alone.
    pub path: Vec<String>,
    /// Provisions filed under the topic, in index order, without repeats. A
    /// paragraph id stands for the paragraph as a whole.
    pub provisions: Vec<ProvisionId>,
    /// Source lines of the index rows of this topic.
    pub rows: Vec<u32>,
    /// Whether the label was lost in the extraction (an editor can name it
    /// through the errata file).
    pub unlabelled: bool,
}

/// A paragraph of a meeting or session report as cited by the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRef {
    /// Document symbol, e.g. `CTOC/COP/WG.4/2010/6`.
    pub symbol: String,
    /// Paragraph number in the report (for a COP instrument: in the
    /// instrument; 0 when the reference names sub-paragraphs only).
    pub paragraph: u32,
    /// Sub-paragraph letter (English edition), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<char>,
    /// Whether it is a preambular paragraph (ف.د.).
    pub preambular: bool,
}

/// One row of the index table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexRow {
    /// Source line.
    pub line: u32,
    /// Id of the topic the row files under.
    pub topic: String,
    /// The compendium-location cell as printed.
    pub location: String,
    /// Provisions the location cell names (resolved ids only).
    pub provisions: Vec<ProvisionId>,
    /// Document symbols of the row.
    pub symbols: Vec<String>,
    /// Decisions and resolutions named by the row.
    pub instruments: Vec<Instrument>,
    /// Report paragraphs named by the row, aligned with their symbols.
    pub report: Vec<ReportRef>,
}

/// The fixed offset between a report's paragraph numbers and the
/// compendium's numbers for one meeting (report para = compendium para +
/// offset), derived from the index's parallel columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportOffset {
    /// Document symbol of the report.
    pub symbol: String,
    /// The compendium section the report's recommendations form.
    pub section: SectionId,
    /// report paragraph − compendium paragraph (for the 2019 report's
    /// recommendation numbers: 0).
    pub offset: i32,
    /// Whether the index cites this report by recommendation number (the
    /// 2019 report) rather than by paragraph.
    pub recommendations: bool,
    /// Number of aligned paragraph pairs that agree with the offset.
    pub agreeing: usize,
    /// Number of aligned paragraph pairs in all.
    pub pairs: usize,
}
