//! Findings: what the parser could not place in the source, or a defect of
//! the source it worked around, each with a stable code and a line.

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Noted for editors; nothing is wrong with the record.
    Info,
    /// The source has a defect the parser worked around or could not place.
    Warning,
    /// The record is incomplete or inconsistent here.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Something in the source the parser could not place, or a defect of the
/// source it worked around. `fihris validate` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// Its stable code, e.g. `footnote-text-missing`.
    pub code: FindingCode,
    /// The source line it concerns.
    pub line: u32,
    /// What was found, in English.
    pub message: String,
    /// What was found, in Arabic.
    pub message_ar: String,
}

/// The stable code of a finding, serialised as kebab-case
/// (`footnote-text-missing`). The codes are part of the record's interface:
/// editors and tools filter on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FindingCode {
    /// `bad-provision-path`.
    BadProvisionPath,
    /// `duplicate-id`.
    DuplicateId,
    /// `footnote-duplicate`.
    FootnoteDuplicate,
    /// `footnote-marker-missing`.
    FootnoteMarkerMissing,
    /// `footnote-text-missing`.
    FootnoteTextMissing,
    /// `heading-number-mismatch`.
    HeadingNumberMismatch,
    /// `index-columns-disagree`.
    IndexColumnsDisagree,
    /// `index-label-erratum`.
    IndexLabelErratum,
    /// `index-label-lost`.
    IndexLabelLost,
    /// `index-label-repeated`.
    IndexLabelRepeated,
    /// `index-location-unknown`.
    IndexLocationUnknown,
    /// `index-location-unreadable`.
    IndexLocationUnreadable,
    /// `index-row-unread`.
    IndexRowUnread,
    /// `instrument-missing`.
    InstrumentMissing,
    /// `instrument-session-mismatch`.
    InstrumentSessionMismatch,
    /// `item-out-of-sequence`.
    ItemOutOfSequence,
    /// `item-without-subparagraph`.
    ItemWithoutSubparagraph,
    /// `letter-out-of-sequence`.
    LetterOutOfSequence,
    /// `meeting-dates-unread`.
    MeetingDatesUnread,
    /// `paragraph-out-of-sequence`.
    ParagraphOutOfSequence,
    /// `section-out-of-sequence`.
    SectionOutOfSequence,
    /// `text-outside-section`.
    TextOutsideSection,
    /// `topic-unregistered`.
    TopicUnregistered,
}

impl FindingCode {
    /// The code as written in exports and by `fihris validate`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::BadProvisionPath => "bad-provision-path",
            FindingCode::DuplicateId => "duplicate-id",
            FindingCode::FootnoteDuplicate => "footnote-duplicate",
            FindingCode::FootnoteMarkerMissing => "footnote-marker-missing",
            FindingCode::FootnoteTextMissing => "footnote-text-missing",
            FindingCode::HeadingNumberMismatch => "heading-number-mismatch",
            FindingCode::IndexColumnsDisagree => "index-columns-disagree",
            FindingCode::IndexLabelErratum => "index-label-erratum",
            FindingCode::IndexLabelLost => "index-label-lost",
            FindingCode::IndexLabelRepeated => "index-label-repeated",
            FindingCode::IndexLocationUnknown => "index-location-unknown",
            FindingCode::IndexLocationUnreadable => "index-location-unreadable",
            FindingCode::IndexRowUnread => "index-row-unread",
            FindingCode::InstrumentMissing => "instrument-missing",
            FindingCode::InstrumentSessionMismatch => "instrument-session-mismatch",
            FindingCode::ItemOutOfSequence => "item-out-of-sequence",
            FindingCode::ItemWithoutSubparagraph => "item-without-subparagraph",
            FindingCode::LetterOutOfSequence => "letter-out-of-sequence",
            FindingCode::MeetingDatesUnread => "meeting-dates-unread",
            FindingCode::ParagraphOutOfSequence => "paragraph-out-of-sequence",
            FindingCode::SectionOutOfSequence => "section-out-of-sequence",
            FindingCode::TextOutsideSection => "text-outside-section",
            FindingCode::TopicUnregistered => "topic-unregistered",
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
