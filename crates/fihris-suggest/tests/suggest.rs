//! Topic suggestions on the real compendium, with the committed provision
//! vectors (no model needed).

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fihris_agreed::similar::Wording;
use fihris_model::Corpus;
use fihris_suggest::{
    Filings, Nearness, Suggester, leave_one_meeting_out, most_frequent, unit_text,
};

fn corpus() -> Corpus {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn suggestions_beat_the_most_frequent_topics_leave_one_meeting_out() {
    let c = corpus();
    let filings = Filings::of(&c);
    assert_eq!(filings.units().len(), 409);
    let wording = Wording::new(&c);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/vectors");
    let dense = fihris_meaning::stored_provisions(&c, &[dir.as_path()]).unwrap();
    let s = Suggester::new(&filings, &wording, Some(&dense));
    let baseline = leave_one_meeting_out(&filings, |_, held| most_frequent(&filings, held));
    let by_meaning = s.precision(&c, Nearness::Meaning);
    let rounded = |x: f32| (x * 1000.0).round() / 1000.0;
    assert_eq!(
        (
            rounded(baseline.p_at_1),
            rounded(baseline.p_at_3),
            rounded(baseline.r_at_5)
        ),
        (0.088, 0.154, 0.352)
    );
    assert_eq!(
        (
            rounded(by_meaning.p_at_1),
            rounded(by_meaning.p_at_3),
            rounded(by_meaning.r_at_5)
        ),
        (0.623, 0.37, 0.576)
    );
    // A held-out recommendation on training criminal justice practitioners
    // gets training first, from the other meetings' filings alone.
    let id: fihris_model::ProvisionId = "A.2.55".parse().unwrap();
    let top = s.suggest(
        &unit_text(&c, &id),
        dense.vector(&id),
        Nearness::Meaning,
        |v| v.id.section != id.section,
    );
    let unit = filings.units().iter().find(|u| u.id == id).unwrap();
    assert!(
        unit.topics.contains(&top[0].topic),
        "{top:?} vs {:?}",
        unit.topics
    );
    // Without vectors, by wording.
    let words = Suggester::new(&filings, &wording, None);
    let top = words.suggest(&unit_text(&c, &id), None, Nearness::Meaning, |_| true);
    assert!(!top.is_empty());
}
