//! Section headings of both parts: the meeting with its dates (Part A) and
//! the COP session with its year (Part B), plus the instrument line.

use std::sync::LazyLock;

use fihris_model::numerals::{
    fold_arabic, parse_number, parse_ordinal_adjective, parse_ordinal_ar,
};
use fihris_model::{Instrument, InstrumentKind, IsoDate, Meeting};
use regex::Regex;

static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S+(?:\s+عشر)?)\s*-\s*(الاجتماع|الدورة)\s+(\S+(?:\s+عشرة?)?)\s*")
        .expect("static regex")
});
static INSTRUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(المقرر|القرار)\s+([0-9٠-٩]+)\s*/\s*([0-9٠-٩]+)\s*$").expect("static regex")
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9٠-٩]+").expect("static regex"));

/// Which body a section heading introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingKind {
    /// «الاجتماع …»: a Working Group meeting.
    Meeting,
    /// «الدورة …»: a COP session.
    Session,
}

/// A section heading, read but not yet checked against its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Meeting or session.
    pub kind: HeadingKind,
    /// Ordinal word before the dash (أولاً = 1).
    pub ordinal: u32,
    /// Ordinal adjective after «الاجتماع»/«الدورة», if readable.
    pub number: Option<u32>,
    /// Everything after the number (dates, year).
    pub rest: String,
}

/// Reads «رابعاً- الاجتماع الرابع، من 10 إلى 12 …», «حادي عشر- الاجتماع
/// الحادي عشر، …» or «أولاً- الدورة الأولى لمؤتمر الأطراف، 2004».
pub fn read_heading(line: &str) -> Option<Heading> {
    let caps = SECTION.captures(line)?;
    let ordinal = parse_ordinal_ar(&caps[1])?;
    let kind = if &caps[2] == "الاجتماع" {
        HeadingKind::Meeting
    } else {
        HeadingKind::Session
    };
    let word = caps[3].trim_end_matches('،');
    Some(Heading {
        kind,
        ordinal,
        number: parse_ordinal_adjective(word),
        rest: line[caps.get(0).map_or(line.len(), |m| m.end())..].to_owned(),
    })
}

/// Month names as printed: Levantine/Egyptian pairs (either half matches).
const MONTHS: [(&str, &str); 12] = [
    ("كانون الثاني", "يناير"),
    ("شباط", "فبراير"),
    ("آذار", "مارس"),
    ("نيسان", "أبريل"),
    ("أيار", "مايو"),
    ("حزيران", "يونيه"),
    ("تموز", "يوليه"),
    ("آب", "أغسطس"),
    ("أيلول", "سبتمبر"),
    ("تشرين الأول", "أكتوبر"),
    ("تشرين الثاني", "نوفمبر"),
    ("كانون الأول", "ديسمبر"),
];

/// The month named in `text` and the byte offset where its name starts.
fn find_month(text: &str) -> Option<(u8, usize)> {
    let folded = fold_arabic(text);
    MONTHS.iter().enumerate().find_map(|(i, (levant, egypt))| {
        [egypt, levant]
            .iter()
            .find_map(|name| folded.find(&fold_arabic(name)))
            .map(|pos| (i as u8 + 1, pos))
    })
}

/// Reads the dates of a meeting from the heading's tail: «يومي 14 و15
/// نيسان/أبريل 2009», «من 27 إلى 29 كانون الثاني/يناير 2010», «19 تشرين
/// الأول/أكتوبر 2010». The first and last day numbers before the month give
/// the span; a 4-digit number gives the year.
pub fn read_meeting(number: u32, rest: &str) -> Meeting {
    let numbers: Vec<(usize, u32)> = NUMBER
        .find_iter(rest)
        .filter_map(|m| Some((m.start(), parse_number(m.as_str())?)))
        .collect();
    let year = numbers
        .iter()
        .rev()
        .find(|(_, n)| (1900..=2999).contains(n))
        .and_then(|(_, n)| u16::try_from(*n).ok());
    let (mut start, mut end) = (None, None);
    if let (Some(year), Some((month, month_pos))) = (year, find_month(rest)) {
        // `find_month` works on folded text; folding only drops marks, so
        // compare positions on the folded text too.
        let folded = fold_arabic(rest);
        let days: Vec<u8> = NUMBER
            .find_iter(&folded)
            .take_while(|m| m.start() < month_pos)
            .filter_map(|m| parse_number(m.as_str()))
            .filter_map(|n| u8::try_from(n).ok())
            .collect();
        if let (Some(first), Some(last)) = (days.first(), days.last()) {
            start = IsoDate::new(year, month, *first);
            end = IsoDate::new(year, month, *last);
        }
    }
    Meeting {
        number,
        start,
        end,
        year,
        place: None,
    }
}

/// The year of a session heading's tail («لمؤتمر الأطراف، 2004»).
pub fn read_year(rest: &str) -> Option<u16> {
    NUMBER
        .find_iter(rest)
        .filter_map(|m| parse_number(m.as_str()))
        .filter(|n| (1900..=2999).contains(n))
        .last()
        .and_then(|n| u16::try_from(n).ok())
}

/// Reads an instrument line: «المقرر 5/1» → decision 1/5 (the Arabic text
/// writes the session last).
pub fn read_instrument(line: &str) -> Option<Instrument> {
    let caps = INSTRUMENT.captures(line.trim())?;
    let kind = if &caps[1] == "المقرر" {
        InstrumentKind::Decision
    } else {
        InstrumentKind::Resolution
    };
    Some(Instrument {
        kind,
        number: parse_number(&caps[2])?,
        session: parse_number(&caps[3])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(line: &str) -> (String, String, Option<u16>) {
        let h = read_heading(line).unwrap_or_else(|| panic!("{line}"));
        let m = read_meeting(h.number.unwrap_or(0), &h.rest);
        let s = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
        (s(m.start), s(m.end), m.year)
    }

    #[test]
    fn meeting_dates() {
        assert_eq!(
            dates("أولا- الاجتماع الأول، يومي 14 و15 نيسان/أبريل 2009"),
            ("2009-04-14".into(), "2009-04-15".into(), Some(2009))
        );
        assert_eq!(
            dates("ثانياً- الاجتماع الثاني، من 27 إلى 29 كانون الثاني/يناير 2010"),
            ("2010-01-27".into(), "2010-01-29".into(), Some(2010))
        );
        assert_eq!(
            dates("ثالثاً- الاجتماع الثالث، 19 تشرين الأول/أكتوبر 2010"),
            ("2010-10-19".into(), "2010-10-19".into(), Some(2010))
        );
        assert_eq!(
            dates("سادساً - الاجتماع السادس، من 16 إلى 18 تشرين الثاني/نوفمبر 2015"),
            ("2015-11-16".into(), "2015-11-18".into(), Some(2015))
        );
    }

    #[test]
    fn sessions_and_instruments() {
        let h = read_heading("رابعاً - الدورة الرابعة لمؤتمر الأطراف، 2008").unwrap();
        assert_eq!(
            (h.kind, h.ordinal, h.number),
            (HeadingKind::Session, 4, Some(4))
        );
        assert_eq!(read_year(&h.rest), Some(2008));
        let d = read_instrument("المقرر 5/1").unwrap();
        assert_eq!(d.canonical(), "decision 1/5");
        assert_eq!(d.arabic(), "المقرر 5/1");
        assert_eq!(
            read_instrument("القرار 2/5").unwrap().canonical(),
            "resolution 5/2"
        );
        assert_eq!(read_instrument("القرار 2/5 وغيره"), None);
    }
}
