//! Phrase reuse across meetings and sessions, on the real compendium.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fihris_agreed::phrases::{MIN_WORDS, Phrases, chronology};
use fihris_model::{Corpus, ProvisionId};

fn corpus() -> Corpus {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn id(s: &str) -> ProvisionId {
    s.parse().unwrap()
}

#[test]
fn reused_formulations_are_traced_to_their_first_appearance() {
    let c = corpus();
    let found = Phrases::find(&c);
    assert_eq!(found.formulations.len(), 13);
    assert_eq!(found.reuse_count(), 15);
    let text =
        |o: &fihris_agreed::phrases::Occurrence| &c.provision(&o.id).unwrap().text[o.bytes.clone()];
    // The most widely reused: the non-punishment wording of the first
    // meeting (2009), taken up by the seventh and the eighth.
    let top = &found.formulations[0];
    assert_eq!(top.first.id, id("A.1.11.b"));
    assert_eq!(top.sections, 3);
    let later: Vec<String> = top.reuses.iter().map(|r| r.at.id.to_string()).collect();
    assert_eq!(later, ["A.7.2.b", "A.8.1.c"]);
    assert!(top.reuses.iter().all(|r| r.exact));
    assert_eq!(
        text(&top.first),
        "في عدم معاقبة أو مقاضاة الأشخاص المتجر بهم على الأفعال غير المشروعة التي"
    );
    // The eighth meeting took a longer stretch from the seventh: a
    // formulation of its own, first in A.7.2.b.
    let reused: Vec<(String, usize)> = found
        .reused_by(&id("A.8.1.c"))
        .iter()
        .map(|(f, r)| (f.first.id.to_string(), r.at.words))
        .collect();
    assert_eq!(
        reused,
        [("A.1.11.b".to_owned(), 13), ("A.7.2.b".to_owned(), 31)]
    );
    assert_eq!(found.first_in(&id("A.7.2.b")).len(), 1);
    // A near-exact reuse: the second session asked the secretariat again,
    // «البروتوكول» for «بروتوكول الاتجار بالأشخاص».
    let (f, r) = found.reused_by(&id("B.2.n"))[0];
    assert_eq!(
        (f.first.id.to_string(), r.exact, r.at.words),
        ("B.1.c".to_owned(), false, 17)
    );
    // Names of instruments and citations are not formulations: the
    // Protocol's title, shared by a dozen provisions, is not reported.
    assert!(found.reused_by(&id("B.3.a")).is_empty());
    assert!(found.reused_by(&id("A.4.46.d")).is_empty());
    // Every reuse is in another section, and not earlier than its source.
    let when = chronology(&c);
    for f in &found.formulations {
        for r in &f.reuses {
            assert_ne!(r.at.id.section, f.first.id.section);
            assert!(
                when[&r.at.id.section] >= when[&f.first.id.section],
                "{}",
                r.at.id
            );
            assert!(r.at.words >= MIN_WORDS);
        }
    }
}
