//! Editorial changes on the real compendium.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fihris_edit::{Change, apply, diff};
use fihris_model::{Corpus, ProvisionId, XrefTarget};

fn corpus() -> Corpus {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn id(s: &str) -> ProvisionId {
    s.parse().unwrap()
}

#[test]
fn corrections_and_filings_apply_and_show_in_the_diff() {
    let before = corpus();
    let mut after = before.clone();
    // A correction that now cites the first meeting's report: the
    // cross-reference pass runs again and finds it.
    let text = "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية، على نحو ما ورد في مقرّر المؤتمر 4/4.";
    apply(
        &mut after,
        &Change::CorrectText {
            id: "A.2.55".into(),
            text: text.into(),
        },
    )
    .unwrap();
    assert_eq!(after.provision(&id("A.2.55")).unwrap().text, text);
    assert!(after.xrefs.iter().any(|x| x.from == id("A.2.55")
        && x.target
            == XrefTarget::Section {
                id: "B.4".parse().unwrap()
            }));
    apply(
        &mut after,
        &Change::File {
            id: "A.2.55".into(),
            topic: "victims.compensation".into(),
        },
    )
    .unwrap();
    let filed_before = before
        .topics
        .iter()
        .find(|t| t.provisions.contains(&id("A.2.55")))
        .unwrap()
        .id
        .to_string();
    apply(
        &mut after,
        &Change::Unfile {
            id: "A.2.55".into(),
            topic: filed_before.clone(),
        },
    )
    .unwrap();
    let d = diff(&before, &after);
    assert!(d.added.is_empty() && d.removed.is_empty());
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].id, id("A.2.55"));
    let new: Vec<&str> = d.changed[0]
        .after
        .iter()
        .filter(|r| !r.shared)
        .map(|r| r.text.trim())
        .collect();
    assert_eq!(new, ["، على نحو ما ورد في مقرّر المؤتمر 4/4."]);
    assert_eq!(d.filed.len(), 1);
    assert_eq!(d.filed[0].topic.to_string(), "victims.compensation");
    assert_eq!(
        d.unfiled,
        [fihris_edit::Filing {
            provision: id("A.2.55"),
            topic: filed_before.parse().unwrap()
        }]
    );
    assert!(diff(&before, &before).is_empty());
    // A new topic, then a provision filed under it.
    apply(
        &mut after,
        &Change::AddTopic {
            topic: "technology.online-recruitment".into(),
            label: "التكنولوجيا، التجنيد عبر الإنترنت".into(),
            label_en: Some("Technology, online recruitment".into()),
        },
    )
    .unwrap();
    apply(
        &mut after,
        &Change::File {
            id: "A.9.9".into(),
            topic: "technology.online-recruitment".into(),
        },
    )
    .unwrap();
    let d = diff(&before, &after);
    assert_eq!(d.topics_added.len(), 1);
    assert_eq!(
        d.topics_added[0].to_string(),
        "technology.online-recruitment"
    );
    assert_eq!(d.filed.len(), 2);
}

#[test]
fn changes_that_cannot_apply_say_why_in_both_languages() {
    let mut c = corpus();
    let cases = [
        (
            Change::CorrectText {
                id: "A.99.1".into(),
                text: "x".into(),
            },
            "no provision A.99.1",
        ),
        (
            Change::CorrectText {
                id: "nonsense".into(),
                text: "x".into(),
            },
            "nonsense",
        ),
        (
            Change::CorrectText {
                id: "A.2.55".into(),
                text: "  ".into(),
            },
            "empty",
        ),
        (
            Change::File {
                id: "A.2.55".into(),
                topic: "no.such.topic".into(),
            },
            "no topic",
        ),
        (
            Change::Unfile {
                id: "A.2.55".into(),
                topic: "victims.compensation".into(),
            },
            "not filed",
        ),
        (
            Change::AddTopic {
                topic: "victims.compensation".into(),
                label: "x".into(),
                label_en: None,
            },
            "exists already",
        ),
        (
            Change::AddTopic {
                topic: "Not An Id!".into(),
                label: "x".into(),
                label_en: None,
            },
            "not a topic id",
        ),
        (
            Change::AddTopic {
                topic: "new.topic".into(),
                label: " ".into(),
                label_en: None,
            },
            "label",
        ),
    ];
    let original = c.clone();
    for (change, says) in cases {
        let e = apply(&mut c, &change).unwrap_err();
        assert!(e.message.contains(says), "{change:?}: {e:?}");
        assert!(!e.message_ar.is_empty());
    }
    assert_eq!(c, original, "a refused change leaves the record as it was");
    // Stored as JSON, read back the same.
    let change = Change::File {
        id: "A.2.55".into(),
        topic: "x".into(),
    };
    let json = serde_json::to_string(&change).unwrap();
    assert_eq!(json, r#"{"kind":"file","id":"A.2.55","topic":"x"}"#);
    assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), change);
}

fn meeting_file() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/synthetic/meeting-10.ar.txt");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn an_imported_meeting_joins_the_record_in_its_place() {
    let before = corpus();
    let mut after = before.clone();
    let (change, _) = Change::import_meeting("meeting-10.ar.txt", &meeting_file()).unwrap();
    assert_eq!((change.kind(), change.target()), ("import-meeting", "A.10"));
    apply(&mut after, &change).unwrap();
    assert_eq!(after.provisions.len(), before.provisions.len() + 9);
    // After the ninth meeting, before Part B.
    let order: Vec<String> = after.sections.iter().map(|s| s.id.to_string()).collect();
    let at = order.iter().position(|s| s == "A.10").unwrap();
    assert_eq!((&order[at - 1][..], &order[at + 1][..]), ("A.9", "B.1"));
    let k = after
        .provisions
        .iter()
        .position(|p| p.id == id("A.10.1"))
        .unwrap();
    assert_eq!(after.provisions[k - 1].id.section.to_string(), "A.9");
    assert_eq!(after.provisions[k + 9].id.section.to_string(), "B.1");
    // Cited to its report, through the header's offset.
    assert_eq!(
        after.report_citation(&id("A.10.2.b")),
        Some(("CTOC/COP/WG.4/2021/4".into(), "para. 6 (b)".into()))
    );
    // Its cross-reference to the second meeting's report is resolved.
    assert!(
        after
            .xrefs
            .iter()
            .any(|x| x.from == id("A.10.3")
                && x.target == XrefTarget::Provision { id: id("A.2.55") })
    );
    // Footnotes are the record's.
    assert_eq!(
        after
            .footnote(24)
            .unwrap()
            .anchor
            .as_ref()
            .unwrap()
            .to_string(),
        "A.10.2.c"
    );
    let d = diff(&before, &after);
    assert_eq!(d.sections_added, ["A.10".parse().unwrap()]);
    assert_eq!(d.added.len(), 9);
    assert!(d.removed.is_empty() && d.changed.is_empty());
    // Twice is refused, and so is a footnote number the record has.
    let e = apply(&mut after, &change).unwrap_err();
    assert!(
        e.message.contains("meeting 10 is in the record already"),
        "{e}"
    );
    let taken = meeting_file().replace("⁽²³⁾", "⁽⁵⁾");
    let (change, _) = Change::import_meeting("m.txt", &taken).unwrap();
    let e = apply(&mut before.clone(), &change).unwrap_err();
    assert!(e.message.starts_with("m.txt:34: footnote 5"), "{e}");
    assert!(e.message_ar.contains("ابتداءً من 23"), "{}", e.message_ar);
    // A malformed file says where, in both languages.
    let e = Change::import_meeting("m.txt", "+++\nmeeting = 10\n").unwrap_err();
    assert!(e.message.starts_with("m.txt:1: meeting header"), "{e}");
    assert!(
        e.message_ar.starts_with("m.txt:1: ترويسة"),
        "{}",
        e.message_ar
    );
}
