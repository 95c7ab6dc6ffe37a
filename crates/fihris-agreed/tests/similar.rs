//! Similar provisions on the real compendium, with and without the
//! committed provision vectors.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_agreed::similar::{Wording, similar};
use fihris_agreed::{Similar, compare};
use fihris_embed::vectors::{Vectors, content_hash, file_name};
use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, MatchedBy};

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
});

/// The committed vectors of the provisions (no model needed).
fn dense() -> DenseIndex {
    let docs = fihris_meaning::provision_docs(&CORPUS);
    let model = fihris_embed::fetch::WEIGHTS_SHA256;
    let record = content_hash(&docs);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/vectors")
        .join(file_name("provisions", model, &record));
    let v = Vectors::load(&path, model, &record).unwrap();
    let ids = CORPUS.provisions.iter().map(|p| p.id.clone()).collect();
    DenseIndex::new(ids, v.dim, v.data.clone()).unwrap()
}

fn ids(found: &[Similar]) -> Vec<String> {
    found.iter().map(|s| s.id.to_string()).collect()
}

fn id(s: &str) -> ProvisionId {
    s.parse().unwrap()
}

static WORDING: LazyLock<Wording> = LazyLock::new(|| Wording::new(&CORPUS));
static DENSE: LazyLock<DenseIndex> = LazyLock::new(dense);

#[test]
fn a_paragraph_repeated_verbatim_comes_first_with_every_word_shared() {
    for dense in [None, Some(&*DENSE)] {
        let found = similar(&WORDING, dense, &id("A.1.5"), 5).unwrap();
        assert_eq!(found[0].id, id("A.1.23"));
        assert_eq!(found[0].wording, 1.0);
    }
    let (a, b) = compare(
        &CORPUS.provision(&id("A.1.5")).unwrap().text,
        &CORPUS.provision(&id("A.1.23")).unwrap().text,
    );
    assert!(a.iter().chain(&b).all(|r| r.shared), "{a:?}");
}

#[test]
fn a_decision_recalled_in_a_later_resolution_is_found_by_both() {
    let found = similar(&WORDING, Some(&DENSE), &id("B.4.d"), 5).unwrap();
    assert_eq!(found[0].id, id("B.5.pp5"));
    assert!(
        (found[0].wording - 0.856).abs() < 0.001,
        "{}",
        found[0].wording
    );
    assert_eq!(found[0].matched_by, MatchedBy::Both);
}

#[test]
fn paraphrases_come_by_meaning_and_only_with_the_vectors() {
    // A.2.55 (training for criminal justice practitioners): A.2.54 and
    // A.2.48 say the same in other words.
    let with = similar(&WORDING, Some(&DENSE), &id("A.2.55"), 5).unwrap();
    assert_eq!(ids(&with)[..3], ["A.2.54", "A.2.48", "A.2.13"]);
    assert_eq!(with[1].matched_by, MatchedBy::Meaning);
    // By wording alone, the rare shared phrase «الممارسين في مجال العدالة
    // الجنائية» puts A.7.1.h first; the opening formula shared by most
    // recommendations weighs little.
    let without = similar(&WORDING, None, &id("A.2.55"), 5).unwrap();
    assert_eq!(
        ids(&without),
        ["A.7.1.h", "A.2.46", "A.2.54", "A.2.52", "A.4.31"]
    );
    assert!(without.iter().all(|s| s.meaning.is_none()));
}

#[test]
fn the_provisions_own_family_is_left_out() {
    for (of, family) in [("A.4.46", "A.4.46."), ("A.7.2.b", "A.7.2")] {
        for dense in [None, Some(&*DENSE)] {
            let found = similar(&WORDING, dense, &id(of), 20).unwrap();
            match dense {
                Some(_) => assert_eq!(found.len(), 20),
                // By wording alone, only those that share a shingle.
                None => assert!(!found.is_empty() && found.iter().all(|s| s.wording > 0.0)),
            }
            assert!(
                found
                    .iter()
                    .all(|s| s.id.to_string() != family.trim_end_matches('.')
                        && !s.id.to_string().starts_with(&format!("{of}."))),
                "{of}: {:?}",
                ids(&found)
            );
        }
    }
    assert!(similar(&WORDING, None, &id("A.9.99"), 5).is_none());
}

#[test]
fn postings_score_as_comparing_with_every_provision() {
    for p in &CORPUS.provisions {
        let own = WORDING.of(&p.id).unwrap();
        let mut a = WORDING.scores(own);
        let mut b = WORDING.scores_brute_force(own);
        a.sort_by(|x, y| x.0.cmp(&y.0));
        b.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(a, b, "{}", p.id);
    }
}
