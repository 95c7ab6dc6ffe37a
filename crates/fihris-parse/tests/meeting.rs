//! An imported meeting file: the synthetic tenth meeting read by the same
//! rules as the compendium, and malformed files refused at their line.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fihris_parse::{ErrorKind, Expected, MeetingFile, ParseError, parse_meeting};

fn fixture() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/synthetic/meeting-10.ar.txt");
    std::fs::read_to_string(path).unwrap()
}

fn parse(text: &str) -> Result<MeetingFile, ParseError> {
    parse_meeting(text, "meeting-10.ar.txt")
}

#[test]
fn the_synthetic_tenth_meeting_reads_with_every_structure() {
    let m = parse(&fixture()).unwrap();
    let ids: Vec<String> = m.provisions.iter().map(|p| p.id.to_string()).collect();
    assert_eq!(
        ids,
        [
            "A.10.1",
            "A.10.2",
            "A.10.2.a",
            "A.10.2.b",
            "A.10.2.b.1",
            "A.10.2.b.2",
            "A.10.2.c",
            "A.10.3",
            "A.10.4"
        ]
    );
    assert_eq!(m.section.id.to_string(), "A.10");
    let meeting = m.section.meeting.as_ref().unwrap();
    assert_eq!(
        (
            meeting.start.unwrap().to_string(),
            meeting.end.unwrap().to_string(),
            meeting.place.as_deref()
        ),
        ("2021-07-05".into(), "2021-07-07".into(), Some("فيينا"))
    );
    assert_eq!(m.section.symbol.as_deref(), Some("CTOC/COP/WG.4/2021/4"));
    let imported = m.section.imported.as_ref().unwrap();
    assert!(imported.synthetic);
    assert_eq!(imported.file, "meeting-10.ar.txt");
    assert_eq!((m.report.offset, m.report.section), (4, m.section.id));
    // Footnotes where their markers stand; lines are the file's.
    let notes: Vec<(u32, String, u32)> = m
        .footnotes
        .iter()
        .map(|f| (f.number, f.anchor.as_ref().unwrap().to_string(), f.line))
        .collect();
    assert_eq!(
        notes,
        [(23, "A.10.1".into(), 34), (24, "A.10.2.c".into(), 35)]
    );
    assert_eq!(m.provisions[0].lines.start, 16);
    assert!(m.findings.is_empty(), "{:?}", m.findings);
}

fn error_of(text: &str) -> (ErrorKind, Option<u32>) {
    let e = parse(text).unwrap_err();
    (e.kind, e.line)
}

#[test]
fn malformed_meeting_files_are_refused_at_their_line() {
    let good = fixture();
    // No header at all.
    let body = good.split("+++\n").nth(2).unwrap();
    assert!(matches!(
        error_of(body),
        (ErrorKind::MeetingHeader(_), Some(1))
    ));
    // A header never closed.
    let unclosed = good.replacen("+++\nعاشراً", "عاشراً", 1);
    assert!(matches!(
        error_of(&unclosed),
        (ErrorKind::MeetingHeader(_), Some(1))
    ));
    // A bad date, at the line of its key.
    let bad_date = good.replace("start = \"2021-07-05\"", "start = \"2021-02-30\"");
    let (kind, line) = error_of(&bad_date);
    assert!(matches!(kind, ErrorKind::MeetingHeader(ref m) if m.contains("2021-02-30")));
    assert_eq!(line, Some(8));
    // An unknown key (TOML), at its line.
    let unknown = good.replace("offset = 4", "offset = 4\nchair = \"x\"");
    assert!(matches!(
        error_of(&unknown),
        (ErrorKind::MeetingHeader(_), Some(13))
    ));
    // The header and the heading disagree on the meeting.
    let other = good.replace("meeting = 10", "meeting = 11");
    let (kind, line) = error_of(&other);
    assert!(matches!(kind, ErrorKind::MeetingHeader(ref m) if m.contains("meeting 11")));
    assert_eq!(line, Some(14));
    // … or on the dates.
    let dates = good.replace("من 5 إلى 7 تموز", "من 6 إلى 7 تموز");
    assert_eq!(error_of(&dates).1, Some(14));
    // Text before the heading.
    let before = good.replacen("عاشراً-", "مقدمة\nعاشراً-", 1);
    assert_eq!(
        error_of(&before),
        (
            ErrorKind::Misplaced {
                found: "مقدمة".into(),
                expected: Expected::MeetingHeading
            },
            Some(14)
        )
    );
    // A second heading.
    let second = format!("{good}\nعاشراً- الاجتماع العاشر، 2022\n");
    assert!(matches!(
        error_of(&second),
        (
            ErrorKind::Misplaced {
                expected: Expected::Provision,
                ..
            },
            Some(37)
        )
    ));
    // A heading and nothing under it.
    let empty = good.split("\n1- ").next().unwrap().to_owned();
    assert!(matches!(
        error_of(&empty),
        (ErrorKind::Meeting(_), Some(14))
    ));
    // A paragraph twice: a duplicate id is an error, not a finding.
    let twice = good.replace("4- ينبغي للأمانة", "3- ينبغي للأمانة");
    let (kind, line) = error_of(&twice);
    assert!(matches!(kind, ErrorKind::Meeting(ref m) if m.contains("A.10.3")));
    assert_eq!(line, Some(32));
    // Not text.
    assert!(matches!(error_of("+++\0"), (ErrorKind::Binary, Some(1))));
}

#[test]
fn meetings_after_the_tenth_are_headed_in_two_words() {
    let eleventh = fixture()
        .replace("meeting = 10", "meeting = 11")
        .replace("2021-07-0", "2022-07-0")
        .replace(
            "عاشراً- الاجتماع العاشر، من 5 إلى 7 تموز/يوليه 2021",
            "حادي عشر- الاجتماع الحادي عشر، من 5 إلى 7 تموز/يوليه 2022",
        );
    let m = parse(&eleventh).unwrap();
    assert_eq!(m.section.id.to_string(), "A.11");
    assert_eq!(m.provisions[0].id.to_string(), "A.11.1");
    assert_eq!(m.section.id.ordinal_ar(), "حادي عشر");
    assert_eq!(
        m.section
            .meeting
            .as_ref()
            .unwrap()
            .start
            .unwrap()
            .to_string(),
        "2022-07-05"
    );
}
