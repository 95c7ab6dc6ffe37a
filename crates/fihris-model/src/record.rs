//! The record: sections, provisions, footnotes and findings, as read from
//! one source text.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::finding::Finding;
use crate::id::{Parent, ProvisionId, SectionId};
use crate::index::{IndexRow, ReportOffset, Topic};
use crate::instrument::Instrument;
use crate::xref::CrossRef;

/// An inclusive, 1-based span of source lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineSpan {
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
}

impl LineSpan {
    /// A span of a single line.
    pub fn line(n: u32) -> LineSpan {
        LineSpan { start: n, end: n }
    }

    /// Widens the span to include line `n`.
    pub fn extend_to(&mut self, n: u32) {
        self.start = self.start.min(n);
        self.end = self.end.max(n);
    }
}

impl fmt::Display for LineSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// A calendar date, shown and exported as ISO 8601 (`2009-04-14`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl IsoDate {
    /// A date, if it exists in the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(IsoDate { year, month, day })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A Working Group meeting (a Part A section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// Meeting number (1st, 2nd, …).
    pub number: u32,
    /// First day of the meeting.
    pub start: Option<IsoDate>,
    /// Last day of the meeting (equal to `start` for a one-day meeting).
    pub end: Option<IsoDate>,
    /// Year of the meeting.
    pub year: Option<u16>,
    /// Where it met, when known (given by an imported meeting's header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A session of the Conference of the Parties (a Part B section) and the
/// instrument on trafficking it adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopSession {
    /// Session number.
    pub session: u32,
    /// Year of the session.
    pub year: Option<u16>,
    /// The decision or resolution.
    pub instrument: Instrument,
    /// The instrument's title as printed.
    pub title: String,
    /// The chapeau («إن مؤتمر الأطراف …»), with any inline preambular
    /// clauses, up to the first provision.
    pub chapeau: String,
}

/// A section of the compendium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// `A.4`, `B.5`, …
    pub id: SectionId,
    /// The heading line as printed.
    pub heading: String,
    /// Part A: the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Meeting>,
    /// Part B: the session and its instrument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<CopSession>,
    /// Unnumbered text of the section itself (e.g. section A.3's note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Footnotes whose markers stand in the heading, title or chapeau.
    pub footnotes: Vec<u32>,
    /// Document symbol of the report (Part A) or session report (Part B)
    /// the section comes from, as the thematic index attaches it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// Source lines from the heading to the section's last line (lines of
    /// the imported file when `imported` is set).
    pub lines: LineSpan,
    /// The file the section was imported from, when it is not part of the
    /// compendium's source text (a later meeting added by an editor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<Imported>,
}

impl Section {
    /// Whether the section is made-up text (an imported file marked
    /// synthetic): it has no original document to link to.
    pub fn is_synthetic(&self) -> bool {
        self.imported.as_ref().is_some_and(|i| i.synthetic)
    }
}

/// Where an imported section came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// The file's name as given at import.
    pub file: String,
    /// SHA-256 of the file's text, lower-case hex.
    pub sha256: String,
    /// Whether the file's header marks it as synthetic (made-up text for
    /// tests and demonstrations, not a real meeting's recommendations).
    pub synthetic: bool,
}

/// One provision: a paragraph, sub-paragraph, item or preambular paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provision {
    /// Stable id; also gives kind, parent and label.
    pub id: ProvisionId,
    /// The text as printed, without its label, footnote lines removed and
    /// page breaks joined. Unnumbered follow-on paragraphs are separated by
    /// a newline. Footnote markers (⁽¹⁾) stay where they stand.
    pub text: String,
    /// Numbers of the footnotes whose markers stand in the text.
    pub footnotes: Vec<u32>,
    /// Source lines.
    pub lines: LineSpan,
}

impl Serialize for Provision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Provision", 8)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("section", &self.id.section)?;
        st.serialize_field("parent", &self.id.parent())?;
        st.serialize_field("kind", &self.id.kind())?;
        st.serialize_field("label", &self.id.label_ar())?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("footnotes", &self.footnotes)?;
        st.serialize_field("lines", &self.lines)?;
        st.end()
    }
}

/// Where a footnote's marker stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// In a provision's text.
    Provision(ProvisionId),
    /// In a section's heading, title or chapeau.
    Section(SectionId),
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::Provision(p) => p.fmt(f),
            Anchor::Section(s) => s.fmt(f),
        }
    }
}

impl Serialize for Anchor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A footnote printed at the bottom of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Footnote {
    /// Its number.
    pub number: u32,
    /// Its text as printed (empty if the source lost it).
    pub text: String,
    /// The line of its text (or of its marker when the text is missing).
    pub line: u32,
    /// Where its marker stands, if found.
    pub anchor: Option<Anchor>,
}

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"⁽([⁰¹²³⁴-⁹]+)⁾").expect("static regex"));

/// Footnote markers (⁽¹²⁾) in `text`: (number, byte offset), in order.
pub fn footnote_markers(text: &str) -> Vec<(u32, usize)> {
    if !text.contains('⁽') {
        return Vec::new();
    }
    MARKER
        .captures_iter(text)
        .filter_map(|c| {
            let digits: String = c[1].chars().filter_map(superscript_digit).collect();
            Some((digits.parse().ok()?, c.get(0)?.start()))
        })
        .collect()
}

/// The ASCII digit of a superscript digit (¹ → 1).
pub fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴'..='⁹' => char::from(b'4' + (c as u32 - '⁴' as u32) as u8),
        _ => return None,
    })
}

/// The source a record was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
    /// Number of lines.
    pub lines: u32,
    /// Line where the thematic index begins.
    pub index_start: u32,
}

/// The whole record read from one source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Corpus {
    /// Where it came from.
    pub source: Source,
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Provisions in document order.
    pub provisions: Vec<Provision>,
    /// Footnotes by number.
    pub footnotes: Vec<Footnote>,
    /// Topics of the thematic index, in index order.
    pub topics: Vec<Topic>,
    /// Rows of the thematic index.
    pub index: Vec<IndexRow>,
    /// Offsets between report paragraphs and compendium paragraphs.
    pub reports: Vec<ReportOffset>,
    /// Cross-references found in provision texts, in document order.
    pub xrefs: Vec<CrossRef>,
    /// What the parser could not place or worked around.
    pub findings: Vec<Finding>,
}

impl Corpus {
    /// The provision with this id.
    pub fn provision(&self, id: &ProvisionId) -> Option<&Provision> {
        self.provisions.iter().find(|p| &p.id == id)
    }

    /// The section with this id.
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Provisions of a section, in document order.
    pub fn provisions_in(&self, id: SectionId) -> impl Iterator<Item = &Provision> {
        self.provisions.iter().filter(move |p| p.id.section == id)
    }

    /// Direct children of a provision, in document order.
    pub fn children<'a>(&'a self, id: &'a ProvisionId) -> impl Iterator<Item = &'a Provision> {
        self.provisions
            .iter()
            .filter(move |p| matches!(p.id.parent(), Parent::Provision(ref q) if q == id))
    }

    /// Topics a provision is filed under (directly, or through the
    /// paragraph that contains it).
    pub fn topics_of<'a>(&'a self, id: &'a ProvisionId) -> impl Iterator<Item = &'a Topic> {
        self.topics
            .iter()
            .filter(move |t| t.provisions.iter().any(|p| id.is_within(p)))
    }

    /// The report citation of a Part A provision: the report's symbol and
    /// the paragraph (or, for the 2019 report, recommendation) number in
    /// it, e.g. ("CTOC/COP/WG.4/2010/6", "para. 62") for A.2.55.
    pub fn report_citation(&self, id: &ProvisionId) -> Option<(String, String)> {
        self.report_citation_in(id, false)
    }

    /// [`Corpus::report_citation`] with the paragraph in Arabic, e.g.
    /// ("CTOC/COP/WG.4/2011/8", "الفقرة 51 (د)") for A.4.46.d.
    pub fn report_citation_ar(&self, id: &ProvisionId) -> Option<(String, String)> {
        self.report_citation_in(id, true)
    }

    fn report_citation_in(&self, id: &ProvisionId, ar: bool) -> Option<(String, String)> {
        let report = self.reports.iter().find(|r| r.section == id.section)?;
        let crate::id::Segment::Para(n) = id.path.first()? else {
            return None;
        };
        let number = i64::from(*n) + i64::from(report.offset);
        let unit = match (report.recommendations, ar) {
            (true, false) => "recommendation",
            (false, false) => "para.",
            (true, true) => "التوصية",
            (false, true) => "الفقرة",
        };
        let mut rest = if ar { id.path_ar() } else { id.path_en() };
        if let Some((_, tail)) = rest.split_once(' ') {
            rest = format!(" {tail}");
        } else {
            rest.clear();
        }
        Some((report.symbol.clone(), format!("{unit} {number}{rest}")))
    }

    /// The footnote with this number.
    pub fn footnote(&self, number: u32) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.number == number)
    }

    /// The instrument citation of a Part B provision: English
    /// "resolution 5/2, para. 7 (b)" and Arabic «القرار 2/5، الفقرة 7 (ب)».
    pub fn instrument_citation(&self, id: &ProvisionId) -> Option<(String, String)> {
        let session = self.section(id.section)?.session.as_ref()?;
        let inst = session.instrument;
        Some((
            format!("{}, para. {}", inst.canonical(), id.path_en()),
            format!("{}، الفقرة {}", inst.arabic(), id.path_ar()),
        ))
    }
}

#[cfg(test)]
mod marker_tests {
    use super::footnote_markers;

    #[test]
    fn markers() {
        assert_eq!(footnote_markers("نص⁽¹⁾ ونص⁽²³⁾."), vec![(1, 4), (23, 19)]);
        assert!(footnote_markers("نص (1) بلا علامة").is_empty());
    }
}
