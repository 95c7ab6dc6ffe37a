//! One new meeting's recommendations, imported into a later edition: a
//! small header between `+++` lines (TOML: meeting number, dates, place,
//! report symbol, paragraph offset, and whether the text is synthetic),
//! then the meeting laid out as in the compendium's Part A — its heading,
//! numbered paragraphs, lettered sub-paragraphs, items and footnotes —
//! read by the same rules as the compendium.
//!
//! ```text
//! +++
//! meeting = 10
//! start = "2021-07-05"
//! end = "2021-07-07"
//! place = "فيينا"
//! symbol = "CTOC/COP/WG.4/2021/4"
//! offset = 0
//! +++
//! عاشراً- الاجتماع العاشر، من 5 إلى 7 تموز/يوليه 2021
//!
//! 1- ينبغي للدول الأطراف أن …
//! ```
//!
//! Everything that would make the import wrong is an error with the line:
//! a missing or invalid header, a heading that disagrees with it, a second
//! heading, a provision that cannot be placed, no provision at all.
//! Smaller matters (a number out of sequence, a footnote without marker)
//! are findings, reported with the import.

use fihris_model::{
    Finding, Footnote, Imported, IsoDate, Provision, ReportOffset, Section, SectionId, Severity,
};
use serde::Deserialize;

use crate::error::{ErrorKind, Expected, ParseError};

/// The largest meeting file taken (1 MiB: a meeting's recommendations
/// run to some tens of kilobytes).
pub const MAX_MEETING_BYTES: usize = 1 << 20;

/// The line that opens and closes the header.
const FENCE: &str = "+++";

/// The header of a meeting file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    meeting: u32,
    start: String,
    end: String,
    place: String,
    symbol: String,
    offset: i32,
    #[serde(default)]
    synthetic: bool,
}

/// A meeting read from its file, ready to join a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFile {
    /// Its section (`A.<meeting>`), with the meeting's dates and place,
    /// the report symbol and where it was imported from.
    pub section: Section,
    /// Its provisions in document order.
    pub provisions: Vec<Provision>,
    /// Its footnotes (numbered as printed in the file).
    pub footnotes: Vec<Footnote>,
    /// How the report's paragraphs map to the compendium's.
    pub report: ReportOffset,
    /// What the parser worked around, with lines of the file.
    pub findings: Vec<Finding>,
}

/// Reads a meeting file; `name` names it in errors and in the record.
pub fn parse_meeting(text: &str, name: &str) -> Result<MeetingFile, ParseError> {
    let text = crate::decode::decode(text.as_bytes(), name)?;
    let error = |line: u32, kind: ErrorKind| ParseError {
        path: name.to_owned(),
        line: Some(line),
        kind,
    };
    let mut lines = crate::decode::numbered_lines(text);
    if lines.next().map(|(_, l)| l.trim()) != Some(FENCE) {
        return Err(error(
            1,
            ErrorKind::MeetingHeader(format!(
                "the file must begin with a header between «{FENCE}» lines (meeting, start, end, place, symbol, offset)"
            )),
        ));
    }
    let mut header_text = String::new();
    let mut closed = None;
    for (n, line) in lines.by_ref() {
        if line.trim() == FENCE {
            closed = Some(n);
            break;
        }
        header_text.push_str(line);
        header_text.push('\n');
    }
    let Some(fence) = closed else {
        return Err(error(
            1,
            ErrorKind::MeetingHeader(format!("the header is not closed by a «{FENCE}» line")),
        ));
    };
    let header: Header = crate::errata::read_toml(&header_text, name, ErrorKind::MeetingHeader)
        .map_err(|mut e| {
            // The header's first line is the file's second.
            e.line = e.line.map(|l| l + 1);
            e
        })?;
    let key_line = |key: &str| {
        header_text
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map_or(1, |k| u32::try_from(k).unwrap_or(0) + 2)
    };
    let bad = |key: &str, why: String| error(key_line(key), ErrorKind::MeetingHeader(why));
    let start = iso_date(&header.start).ok_or_else(|| {
        bad(
            "start",
            format!("start {:?} is not a date (YYYY-MM-DD)", header.start),
        )
    })?;
    let end = iso_date(&header.end).ok_or_else(|| {
        bad(
            "end",
            format!("end {:?} is not a date (YYYY-MM-DD)", header.end),
        )
    })?;
    if end < start {
        return Err(bad(
            "end",
            format!("the meeting ends ({end}) before it starts ({start})"),
        ));
    }
    if header.meeting == 0 {
        return Err(bad(
            "meeting",
            "the meeting number must be 1 or more".into(),
        ));
    }
    for (key, value) in [("symbol", &header.symbol), ("place", &header.place)] {
        if value.trim().is_empty() {
            return Err(bad(key, format!("{key} is empty")));
        }
    }
    let body = crate::body::read_meeting_section(lines, name)?;
    let mut section = body.sections.into_iter().next().ok_or_else(|| {
        error(
            fence + 1,
            ErrorKind::UnexpectedEnd {
                expected: Expected::MeetingHeading,
            },
        )
    })?;
    let heading_line = section.lines.start;
    let meeting = section.meeting.get_or_insert(fihris_model::Meeting {
        number: header.meeting,
        start: None,
        end: None,
        year: None,
        place: None,
    });
    if section.id.ordinal != header.meeting || meeting.number != header.meeting {
        return Err(error(
            heading_line,
            ErrorKind::MeetingHeader(format!(
                "the header says meeting {}, the heading says meeting {}",
                header.meeting, meeting.number
            )),
        ));
    }
    if meeting.start.is_some_and(|d| d != start) || meeting.end.is_some_and(|d| d != end) {
        return Err(error(
            heading_line,
            ErrorKind::MeetingHeader(format!(
                "the heading's dates ({}–{}) disagree with the header's ({start}–{end})",
                meeting.start.map_or_else(|| "?".into(), |d| d.to_string()),
                meeting.end.map_or_else(|| "?".into(), |d| d.to_string()),
            )),
        ));
    }
    meeting.start = Some(start);
    meeting.end = Some(end);
    meeting.year = Some(start.year);
    meeting.place = Some(header.place.trim().to_owned());
    section.symbol = Some(header.symbol.trim().to_owned());
    section.imported = Some(Imported {
        file: name.to_owned(),
        sha256: crate::sha256_hex(text.as_bytes()),
        synthetic: header.synthetic,
    });
    if let Some(f) = body.findings.iter().find(|f| f.severity == Severity::Error) {
        return Err(error(f.line, ErrorKind::Meeting(f.message.clone())));
    }
    if body.provisions.is_empty() {
        return Err(error(
            heading_line,
            ErrorKind::Meeting("the meeting has no numbered paragraph".into()),
        ));
    }
    let report = ReportOffset {
        symbol: header.symbol.trim().to_owned(),
        section: SectionId::new(fihris_model::Part::A, header.meeting),
        offset: header.offset,
        recommendations: false,
        agreeing: 0,
        pairs: 0,
    };
    Ok(MeetingFile {
        section,
        provisions: body.provisions,
        footnotes: body.footnotes,
        report,
        findings: body.findings,
    })
}

/// `YYYY-MM-DD`, if it names a day.
fn iso_date(s: &str) -> Option<IsoDate> {
    let mut parts = s.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    IsoDate::new(year, month, day)
}
