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
