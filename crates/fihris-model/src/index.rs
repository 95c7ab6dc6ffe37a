//! The thematic index as data: topics, the index rows that file provisions
//! under them, the report citations of those rows, and the per-report
//! offsets between report paragraphs and compendium paragraphs.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::id::{IdError, ProvisionId, SectionId};
use crate::instrument::Instrument;

/// A topic's stable id: lower-case ASCII words joined by `-`, a heading
/// and its sub-topic joined by `.` (`victims.compensation`), read from the
/// reviewed topic register (`corpus/topics.toml`), where each id is fixed
/// against the label as the source prints it. A corrected label (an
/// erratum) keeps its id; a topic the register does not know yet gets a
/// transliterated id and a finding, until an editor registers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicId(String);

impl TopicId {
    /// An id made of any text: ASCII letters lower-cased, anything but
    /// letters, digits, `-` and `.` dropped, at most 80 characters; `topic`
    /// if nothing is left.
    pub fn slug(text: &str) -> TopicId {
        let mut s: String = text
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.')
            .skip_while(|c| !c.is_ascii_alphanumeric())
            .take(80)
            .collect();
        if s.is_empty() {
            s.push_str("topic");
        }
        TopicId(s)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TopicId {
    type Err = IdError;

    /// Accepts 1–80 characters of `a-z`, `0-9`, `-` and `.`, starting with
    /// a letter or digit.
    fn from_str(s: &str) -> Result<TopicId, IdError> {
        let ok = (1..=80).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if ok {
            Ok(TopicId(s.to_owned()))
        } else {
            Err(IdError {
                input: s.to_owned(),
                reason: "a topic id is lower-case ASCII letters, digits, '-' and '.'",
            })
        }
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for TopicId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A topic of the thematic index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    /// Stable id from the topic register, e.g. `victims.compensation`;
    /// unlabelled topics are `unlabelled-<line>`.
    pub id: TopicId,
    /// The label as printed, without «(تابع)»; empty when the extraction
    /// lost it.
    pub label: String,
    /// The label in English, from the topic register (fihris's own
    /// translation, not the English edition's wording).
    pub label_en: Option<String>,
    /// Ids the topic had before (the transliterated slugs of earlier
    /// releases), still accepted in links and filters.
    #[serde(skip)]
    pub former_ids: Vec<String>,
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
    pub topic: TopicId,
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
