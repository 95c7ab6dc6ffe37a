//! Bad input: every kind of broken source gives one clear error with path
//! and line, never a panic.

use std::path::PathBuf;

use fihris_model::FindingCode;
use fihris_parse::{ErrorKind, Expected, parse_bytes, parse_file};
use proptest::prelude::*;

fn corpus_bytes() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    std::fs::read(path).expect("vendored corpus")
}

#[test]
fn missing_file() {
    let e = parse_file(&PathBuf::from("/nonexistent/compendium.txt")).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Io(_)));
    assert!(
        e.to_string()
            .starts_with("/nonexistent/compendium.txt: cannot read the file")
    );
}

#[test]
fn empty_binary_and_non_utf8() {
    assert_eq!(
        parse_bytes(b"", "e.txt").unwrap_err().kind,
        ErrorKind::Empty
    );
    let bin = parse_bytes(b"\x7fELF\x02\x01\x01\x00\x00", "a.out").unwrap_err();
    assert_eq!((bin.kind, bin.line), (ErrorKind::Binary, Some(1)));
    let mut bytes = corpus_bytes();
    // Break the first byte of line 100 (a multi-byte Arabic letter).
    let start = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(98)
        .map(|(i, _)| i + 1)
        .unwrap();
    bytes[start] = 0xff;
    let e = parse_bytes(&bytes, "c.txt").unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.line),
        (ErrorKind::NotUtf8 { column: 1 }, Some(100))
    );
    assert!(e.to_string().starts_with("c.txt:100: invalid UTF-8"));
}

#[test]
fn truncated_at_every_line_is_an_error_naming_what_was_expected() {
    let bytes = corpus_bytes();
    let text = std::str::from_utf8(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for k in 0..lines.len() {
        let cut = lines[..k].join("\n");
        let Err(err) = parse_bytes(cut.as_bytes(), "cut.txt") else {
            panic!("cut at {k} parsed without error");
        };
        match err.kind {
            ErrorKind::Empty => assert!(k <= 2, "cut at {k}"),
            ErrorKind::UnexpectedEnd { expected } => {
                let want = match k {
                    0..68 => Expected::PartA,
                    68..645 => Expected::PartB,
                    645..898 => Expected::Index,
                    _ => Expected::BackCover,
                };
                assert_eq!(expected, want, "cut at {k}");
                assert_eq!(err.line, Some(k as u32), "cut at {k}");
                assert!(
                    err.to_string()
                        .starts_with(&format!("cut.txt:{k}: unexpected end of file: expected "))
                );
            }
            other => panic!("cut at {k}: {other:?}"),
        }
    }
    assert!(parse_bytes(lines.join("\n").as_bytes(), "whole.txt").is_ok());
}

#[test]
fn misplaced_headings_are_errors() {
    let text = String::from_utf8(corpus_bytes()).unwrap();
    // Part B's heading removed: the index heading arrives inside Part A.
    let no_b = text.replacen("\nباء- القرارات والمقررات", "\nنص القرارات والمقررات", 1);
    let Err(e) = parse_bytes(no_b.as_bytes(), "x.txt") else {
        panic!("parsed without Part B heading");
    };
    assert_eq!(e.line, Some(647));
    assert!(
        matches!(
            e.kind,
            ErrorKind::Misplaced {
                expected: Expected::PartB,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("x.txt:647: found «أولاً- الدورة الأولى"),
        "{e}"
    );
    // A session heading inside Part A.
    let session_in_a = text.replacen("\nخامساً- الاجتماع الخامس", "\nخامساً- الدورة الخامسة", 1);
    let Err(e) = parse_bytes(session_in_a.as_bytes(), "x.txt") else {
        panic!("parsed with a session heading in Part A");
    };
    assert_eq!(e.line, Some(411));
    assert!(matches!(
        e.kind,
        ErrorKind::Misplaced {
            expected: Expected::PartB,
            ..
        }
    ));
    // Part B's heading twice.
    let twice = text.replacen("\nأولاً- الدورة الأولى", "\nباء- مكرر\nأولاً- الدورة الأولى", 1);
    let Err(e) = parse_bytes(twice.as_bytes(), "x.txt") else {
        panic!("parsed with Part B's heading twice");
    };
    assert_eq!(e.line, Some(647));
    assert!(matches!(
        e.kind,
        ErrorKind::Misplaced {
            expected: Expected::SessionHeading,
            ..
        }
    ));
}

#[test]
fn smaller_defects_become_findings() {
    let text = String::from_utf8(corpus_bytes()).unwrap();
    // Drop paragraph 12 of section A.5 and break the dates of meeting 6.
    let mangled = text
        .replacen(
            "- 12- ينبغي للدول الأطراف أن تبحث",
            "ينبغي للدول الأطراف أن تبحث",
            1,
        )
        .replacen(
            "سادساً - الاجتماع السادس، من 16 إلى 18 تشرين الثاني/نوفمبر 2015",
            "سادساً - الاجتماع السادس، في موعد ما",
            1,
        );
    let corpus = parse_bytes(mangled.as_bytes(), "m.txt").unwrap();
    let codes: Vec<(FindingCode, u32)> = corpus.findings.iter().map(|f| (f.code, f.line)).collect();
    assert!(
        codes.contains(&(FindingCode::ParagraphOutOfSequence, 426)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(FindingCode::MeetingDatesUnread, 483)),
        "{codes:?}"
    );
    // Paragraph 12's text was kept, joined to paragraph 11: nothing dropped.
    let p11 = corpus.provision(&"A.5.11".parse().unwrap()).unwrap();
    assert!(
        p11.text
            .contains("ينبغي للدول الأطراف أن تبحث في الأسباب الجذرية")
    );
    assert_eq!(corpus.provisions.len(), 471);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse_bytes(&bytes, "fuzz.bin");
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,2000}") {
        let _ = parse_bytes(text.as_bytes(), "fuzz.txt");
    }

    #[test]
    fn mangled_corpus_never_panics_and_keeps_ids_unique(
        edits in proptest::collection::vec((0usize..1120, 0usize..1120, 0u8..5), 1..12),
        noise in "\\PC{0,40}",
    ) {
        let text = String::from_utf8(corpus_bytes()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (a, b, op) in edits {
            let (a, b) = (a % lines.len().max(1), b % lines.len().max(1));
            if lines.is_empty() { break; }
            match op {
                0 => { lines.remove(a); }
                1 => { let l = lines[a].clone(); lines.insert(b, l); }
                2 => lines.swap(a, b),
                3 => lines[a] = noise.clone(),
                _ => { let keep: String = lines[a].chars().take(b % 40).collect(); lines[a] = keep; }
            }
        }
        if let Ok(corpus) = parse_bytes(lines.join("\n").as_bytes(), "mangled.txt") {
            let mut ids: Vec<String> = corpus.provisions.iter().map(|p| p.id.to_string()).collect();
            let n = ids.len();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), n);
        }
    }
}

/// Found by the `source` fuzz target: a meeting headed a second time made
/// two sections with one id.
#[test]
fn a_section_headed_twice_is_an_error() {
    let text = String::from_utf8(corpus_bytes()).unwrap();
    let heading = text
        .lines()
        .find(|l| l.starts_with("خامساً- الاجتماع الخامس"))
        .unwrap()
        .to_owned();
    // Meeting V headed again inside meeting VI.
    let twice = text.replacen(
        "\nسابعاً- الاجتماع السابع",
        &format!("\n{heading}\n\nسابعاً- الاجتماع السابع"),
        1,
    );
    let Err(e) = parse_bytes(twice.as_bytes(), "x.txt") else {
        panic!("parsed with meeting V headed twice");
    };
    assert_eq!(
        e.kind,
        ErrorKind::SectionTwice {
            section: "A.5".parse().unwrap(),
            first: 411
        }
    );
    assert_eq!(e.line, Some(510));
    assert_eq!(
        e.to_string(),
        "x.txt:510: section A.5 is headed a second time (first at line 411)"
    );
    assert_eq!(
        e.message_ar(),
        "القسم A.5 معنون مرة ثانية (أول مرة في السطر 411)"
    );
}
