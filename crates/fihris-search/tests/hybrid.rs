//! Hybrid search on the real corpus, with vectors whose nearest neighbours
//! are known: each provision gets its own axis (an identity matrix), so a
//! query vector on a provision's axis finds exactly that provision by
//! meaning. What is tested is the fusion, the filters on the meaning side,
//! the snippets of meaning-only hits and the notices — not a model.

mod common;

use std::sync::LazyLock;

use common::{CORPUS, INDEX};
use fihris_model::ProvisionId;
use fihris_search::dense::{Cut, DenseIndex, MatchedBy, Pieces, clauses, sentences};
use fihris_search::{Meaning, Mode, Request, Response, SearchError, Sort, weights};

/// One axis per provision.
static AXES: LazyLock<DenseIndex> = LazyLock::new(|| {
    let n = CORPUS.provisions.len();
    let mut data = vec![0.0f32; n * n];
    for k in 0..n {
        data[k * n + k] = 1.0;
    }
    let ids = CORPUS.provisions.iter().map(|p| p.id.clone()).collect();
    DenseIndex::new(ids, n, data).expect("sizes")
});

fn id(s: &str) -> ProvisionId {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A query vector near the provisions `near` (weights falling by rank).
fn toward(near: &[&str]) -> Vec<f32> {
    let mut v = vec![0.0f32; CORPUS.provisions.len()];
    for (rank, want) in near.iter().enumerate() {
        let k = CORPUS
            .provisions
            .iter()
            .position(|p| p.id == id(want))
            .unwrap_or_else(|| panic!("{want}"));
        v[k] = 1.0 - rank as f32 * 0.1;
    }
    v
}

/// The vectors of `count` pieces of provision `id`: piece `which` along
/// `v`, the others nowhere (zero).
fn along(cut: Cut, id: &ProvisionId, count: usize, which: usize, v: &[f32]) -> Pieces {
    let keyed: Vec<(String, Vec<f32>)> = (0..count)
        .map(|k| {
            let x = if k == which {
                v.to_vec()
            } else {
                vec![0.0; v.len()]
            };
            (format!("{id}#{k}"), x)
        })
        .collect();
    Pieces::new(
        cut,
        v.len(),
        keyed.iter().map(|(k, x)| (k.as_str(), x.as_slice())),
    )
}

fn run(q: &str, mode: Mode, vector: &[f32], sentences: Option<&Pieces>) -> Response {
    run_n(q, 10, mode, vector, sentences)
}

/// [`run`] with `limit` hits.
fn run_n(
    q: &str,
    limit: usize,
    mode: Mode,
    vector: &[f32],
    sentences: Option<&Pieces>,
) -> Response {
    run_with(q, limit, mode, vector, (sentences, None))
}

/// [`run_n`] with the vectors of the provisions' sentences and clauses.
fn run_with(
    q: &str,
    limit: usize,
    mode: Mode,
    vector: &[f32],
    (sentences, clauses): (Option<&Pieces>, Option<&Pieces>),
) -> Response {
    let meaning = Meaning {
        provisions: &AXES,
        sentences,
        clauses,
        query: vector,
        lexical: weights::HYBRID_LEXICAL,
        rendered: None,
        close: &[],
    };
    INDEX
        .search_in(&CORPUS, &Request::new(q, limit), mode, Some(meaning))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// A search of ten hits whose words' side reads the caller's rendering of
/// a query with no Arabic, or its close words for an Arabic one.
fn run_words(
    q: &str,
    mode: Mode,
    vector: &[f32],
    (rendered, close): (Option<&str>, &[(String, String)]),
) -> Response {
    let meaning = Meaning {
        provisions: &AXES,
        sentences: None,
        clauses: None,
        query: vector,
        lexical: weights::HYBRID_LEXICAL,
        rendered,
        close,
    };
    INDEX
        .search_in(&CORPUS, &Request::new(q, 10), mode, Some(meaning))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn english_finds_by_meaning_alone() {
    // No Arabic: the words do not rank; the meaning side decides.
    let v = toward(&["A.2.49", "A.5.22"]);
    let r = run("victims compensation", Mode::Hybrid, &v, None);
    assert_eq!(r.mode, Mode::Hybrid);
    assert_eq!(r.hits[0].id, id("A.2.49"));
    assert_eq!(r.hits[1].id, id("A.5.22"));
    assert!(r.hits.iter().all(|h| h.matched_by == MatchedBy::Meaning));
    // A meaning-only hit shows its text (no sentence vectors here), cut.
    assert!(!r.hits[0].snippet.is_empty());
    assert!(r.hits[0].highlights.is_empty());
}

#[test]
fn arabic_fuses_words_and_meaning() {
    // «تعويض الضحايا» matches A.4.46.i.2 best by its words; the meaning
    // side points at it too, and at a provision the words miss.
    let lexical = INDEX
        .search(Some(&CORPUS), &Request::new("تعويض الضحايا", 100))
        .expect("lexical");
    assert_eq!(lexical.hits[0].id, id("A.4.46.i.2"));
    let missed = CORPUS
        .provisions
        .iter()
        .find(|p| !lexical.hits.iter().any(|h| h.id == p.id))
        .expect("a provision the words miss");
    let v = toward(&["A.4.46.i.2", &missed.id.to_string()]);
    let r = run_n("تعويض الضحايا", 200, Mode::Hybrid, &v, None);
    assert_eq!(r.hits[0].id, id("A.4.46.i.2"));
    assert_eq!(r.hits[0].matched_by, MatchedBy::Both);
    assert!((r.hits[0].score - 1.0).abs() < 1e-6, "first on both sides");
    let found = r.hits.iter().find(|h| h.id == missed.id).expect("missed");
    assert_eq!(found.matched_by, MatchedBy::Meaning);
    // Every word hit stays, found by words alone or by both.
    for h in &lexical.hits {
        assert!(r.hits.iter().any(|x| x.id == h.id), "{} lost", h.id);
    }
    // Lexical mode is the plain search, semantic mode the meaning alone.
    let words = run("تعويض الضحايا", Mode::Lexical, &v, None);
    assert_eq!(
        words.hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
        lexical
            .hits
            .iter()
            .take(10)
            .map(|h| &h.id)
            .collect::<Vec<_>>()
    );
    let meaning = run("تعويض الضحايا", Mode::Semantic, &v, None);
    assert_eq!(meaning.hits[0].id, id("A.4.46.i.2"));
    assert_eq!(meaning.hits[1].id, missed.id);
    assert_eq!(meaning.complete, 0);
}

#[test]
fn filters_and_exclusions_hold_on_the_meaning_side() {
    let v = toward(&["A.2.49", "A.5.22", "B.5.7.b"]);
    let r = run("compensation part:B", Mode::Semantic, &v, None);
    assert_eq!(r.hits[0].id, id("B.5.7.b"));
    assert!(r.hits.iter().all(|h| h.id.section.part.latin() == 'B'));
    let r = run("compensation year:2010", Mode::Semantic, &v, None);
    assert_eq!(r.hits[0].id, id("A.2.49"), "meeting II was in 2010");
    let year = |h: &fihris_search::Hit| {
        CORPUS.section(h.id.section).and_then(|s| {
            s.meeting
                .as_ref()
                .and_then(|m| m.year)
                .or(s.session.as_ref().and_then(|c| c.year))
        })
    };
    assert!(r.hits.iter().all(|h| year(h) == Some(2010)));
}

#[test]
fn a_meaning_only_hit_shows_its_closest_sentence() {
    let p = CORPUS
        .provisions
        .iter()
        .find(|p| sentences(&p.text).len() >= 2)
        .expect("a provision of several sentences");
    let parts = sentences(&p.text);
    // The query points along the provision's axis; of its sentences, the
    // second does too.
    let axes = toward(&[&p.id.to_string()]);
    let s = along(Cut::Sentences, &p.id, parts.len(), 1, &axes);
    assert_eq!(s.closest(&p.id, &p.text, &axes), Some(parts[1]));
    let r = run("anything", Mode::Semantic, &axes, Some(&s));
    assert_eq!(r.hits[0].id, p.id);
    let want: Vec<&str> = parts[1].split_whitespace().take(5).collect();
    let shown: Vec<&str> = r.hits[0].snippet.split_whitespace().take(5).collect();
    assert_eq!(shown, want);
}

#[test]
fn a_closer_clause_lifts_its_provision() {
    // Meaning alone puts A.2.49 first, A.1.16.b second; one clause of
    // A.1.16.b lies along the query, so it rises half way to that
    // clause's score and passes A.2.49 — in meaning and in hybrid search.
    let b = CORPUS
        .provisions
        .iter()
        .find(|p| p.id == id("A.1.16.b"))
        .expect("A.1.16.b");
    assert!(clauses(&b.text).len() >= 2, "{}", b.text);
    let v = toward(&["A.2.49", "A.1.16.b"]);
    let c = along(Cut::Clauses, &b.id, 2, 1, &v);
    let first = |mode, clauses| {
        let r = run_with("compensation", 10, mode, &v, (None, clauses));
        r.hits
            .iter()
            .map(|h| h.id.to_string())
            .take(2)
            .collect::<Vec<_>>()
    };
    assert_eq!(first(Mode::Semantic, None), ["A.2.49", "A.1.16.b"]);
    assert_eq!(first(Mode::Semantic, Some(&c)), ["A.1.16.b", "A.2.49"]);
    assert_eq!(first(Mode::Hybrid, Some(&c)), ["A.1.16.b", "A.2.49"]);
    // Whole-text scores 1 and 0.9; the clause scores 1.81 (its vector is
    // the query's): 0.9 + 0.5 × (1.81 − 0.9) = 1.355.
    let scored = AXES.scored(&v, Some(&c));
    assert_eq!(scored.ranked[0].0, id("A.1.16.b"));
    assert!(
        (scored.ranked[0].1 - 1.355).abs() < 1e-5,
        "{:?}",
        scored.ranked[0]
    );
}

#[test]
fn a_fourth_hit_of_one_recommendation_yields_only_to_a_close_one() {
    // Four sub-paragraphs of recommendation A.4.46, then A.2.49 of another
    // family: the fourth yields to A.2.49 when A.2.49 scores more than
    // half of it, not when it scores less.
    let family = ["A.4.46.b", "A.4.46.c", "A.4.46.d", "A.4.46.e"];
    let order = |other: f32| {
        let mut v = toward(&family);
        let k = CORPUS
            .provisions
            .iter()
            .position(|p| p.id == id("A.2.49"))
            .expect("A.2.49");
        v[k] = other;
        let r = run("anything", Mode::Semantic, &v, None);
        r.hits
            .iter()
            .take(5)
            .map(|h| h.id.to_string())
            .collect::<Vec<_>>()
    };
    // A.4.46.e scores about 0.7, so it counts 0.35 against other families.
    assert_eq!(
        order(0.6),
        ["A.4.46.b", "A.4.46.c", "A.4.46.d", "A.2.49", "A.4.46.e"]
    );
    assert_eq!(
        order(0.3),
        ["A.4.46.b", "A.4.46.c", "A.4.46.d", "A.4.46.e", "A.2.49"]
    );
}

#[test]
fn a_meaning_only_hit_is_shown_from_its_closest_clause() {
    // A provision of one long sentence, its last clause past the words a
    // snippet shows: when that clause is the closest, the snippet starts
    // there.
    let p = CORPUS
        .provisions
        .iter()
        .find(|p| {
            let c = clauses(&p.text);
            sentences(&p.text).len() == 1
                && c.len() >= 3
                && p.text.split_whitespace().count() > 60
                && c[c.len() - 1].split_whitespace().count() < 40
        })
        .expect("a long provision of several clauses");
    let parts = clauses(&p.text);
    let last = parts.len() - 1;
    let v = toward(&[&p.id.to_string()]);
    let c = along(Cut::Clauses, &p.id, parts.len(), last, &v);
    let r = run_with("anything", 10, Mode::Semantic, &v, (None, Some(&c)));
    assert_eq!(r.hits[0].id, p.id);
    let want = format!("… {}", parts[last]);
    assert_eq!(r.hits[0].snippet, want);
    // Without the clauses' vectors: from the start.
    let r = run("anything", Mode::Semantic, &v, None);
    let first: Vec<&str> = p.text.split_whitespace().take(5).collect();
    let shown: Vec<&str> = r.hits[0].snippet.split_whitespace().take(5).collect();
    assert_eq!(shown, first);
}

#[test]
fn long_and_bad_queries() {
    let v = toward(&["A.2.49"]);
    // A draft paragraph longer than the query language takes: meaning only.
    let long = "تعويض الضحايا ".repeat(100);
    let r = run(&long, Mode::Hybrid, &v, None);
    assert_eq!(r.hits[0].id, id("A.2.49"));
    assert_eq!(
        r.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        ["words-skipped"]
    );
    let meaning = Meaning {
        provisions: &AXES,
        sentences: None,
        clauses: None,
        query: &v,
        lexical: 0.85,
        rendered: None,
        close: &[],
    };
    let too_long = "ا".repeat(10_001);
    for (q, why) in [
        (too_long.as_str(), "too long"),
        ("\"unclosed", "unclosed quotation mark"),
        ("🙂🙂", "nothing to find"),
        ("", "empty query"),
        ("year:abc victims", "expected a year"),
    ] {
        match INDEX.search_in(&CORPUS, &Request::new(q, 10), Mode::Hybrid, Some(meaning)) {
            Err(SearchError::Query(e)) => assert!(e.message.contains(why), "{q}: {e}"),
            other => panic!("{q}: {:?}", other.map(|r| r.total)),
        }
    }
    // A citation jumps to what it names in every mode.
    let r = run("II-49", Mode::Semantic, &v, None);
    assert_eq!(r.hits[0].id, id("A.2.49"));
    assert!(r.citation.is_some());
    // Date order holds on fused hits.
    let req = Request {
        sort: Sort::Date,
        ..Request::new("victims", 10)
    };
    let r = INDEX
        .search_in(&CORPUS, &req, Mode::Semantic, Some(meaning))
        .expect("date order");
    assert!(!r.hits.is_empty());
}

#[test]
fn a_rendering_serves_the_words_side_under_the_querys_filters() {
    // The caller renders «victims compensation year:2011» as «الضحايا
    // التعويضات»: the words' side searches that, under the query's own
    // filter, and says so; the first hit is found both ways.
    let v = toward(&["A.4.46.g"]);
    let search =
        |q: &str, rendered: Option<&str>, mode: Mode| run_words(q, mode, &v, (rendered, &[]));
    let words = INDEX
        .search(
            Some(&CORPUS),
            &Request::new("الضحايا التعويضات year:2011", 500),
        )
        .expect("lexical");
    let in_2011: Vec<&ProvisionId> = words.hits.iter().map(|h| &h.id).collect();
    let r = search(
        "victims compensation year:2011",
        Some("الضحايا التعويضات"),
        Mode::Hybrid,
    );
    assert_eq!(
        r.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        ["rendered"]
    );
    assert!(r.notices[0].message_ar.contains("«الضحايا التعويضات»"));
    assert_eq!(r.hits[0].id, id("A.4.46.g"));
    assert_eq!(r.hits[0].matched_by, MatchedBy::Both);
    assert!(!r.hits[0].highlights.is_empty());
    assert_eq!(r.complete, words.complete);
    assert!(r.hits.iter().all(|h| in_2011.contains(&&h.id)));
    // Without the rendering the words do not rank: nothing is said, and
    // no hit is found by words alone.
    let alone = search("victims compensation year:2011", None, Mode::Hybrid);
    assert!(alone.notices.is_empty());
    assert!(alone.hits.iter().all(|h| h.matched_by != MatchedBy::Words));
    // An Arabic query, and semantic mode, ignore a rendering.
    let ids = |r: &Response| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let ar = search("تعويض الضحايا", Some("الإرهاب"), Mode::Hybrid);
    assert!(ar.notices.is_empty());
    assert_eq!(ids(&ar), ids(&search("تعويض الضحايا", None, Mode::Hybrid)));
    let sem = search("victims compensation", Some("الضحايا"), Mode::Semantic);
    assert!(sem.notices.is_empty());
    assert!(sem.hits.iter().all(|h| h.matched_by == MatchedBy::Meaning));
}

#[test]
fn arabic_words_no_provision_has_are_searched_as_close_ones() {
    // «المعلمون» (teachers) is in no provision; «والمربون» (educators)
    // only in A.6.9. Paired with «التعليم» (education), the words' side
    // searches the query with it in its place, under the query's filter,
    // and says so.
    assert_eq!(
        INDEX.unknown_words("جهات الاستجابة، المعلمون والمربون سنة:2009"),
        ["المعلمون"]
    );
    // Function words, a quoted phrase, an exclusion and known words are
    // not unknown; each unknown word once, by its letters.
    assert_eq!(
        INDEX.unknown_words("اللاجئون؟ في \"المعلمون\" -المعلمون اللاجئون الضحايا ٢٠٩٩"),
        ["اللاجئون"]
    );
    let v = toward(&["A.6.9"]);
    let close = [("المعلمون".to_owned(), "التعليم".to_owned())];
    let search =
        |q: &str, close: &[(String, String)], mode: Mode| run_words(q, mode, &v, (None, close));
    let by_words = |r: &Response| {
        r.hits
            .iter()
            .filter(|h| h.matched_by != MatchedBy::Meaning)
            .map(|h| h.id.to_string())
            .collect::<Vec<_>>()
    };
    let q = "جهات الاستجابة، المعلمون والمربون";
    let without = search(q, &[], Mode::Hybrid);
    assert!(without.notices.is_empty());
    assert!(!by_words(&without).contains(&"A.1.7.a".to_owned()));
    let with = search(q, &close, Mode::Hybrid);
    assert_eq!(
        with.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        ["close-words"]
    );
    assert!(with.notices[0].message.contains("«المعلمون» → «التعليم»"));
    assert!(
        with.notices[0]
            .message_ar
            .contains("«المعلمون» ← «التعليم»")
    );
    // «النظر في إدراج الاتجار بالأشخاص في مناهج التعليم العام»: found by
    // its word «التعليم», highlighted.
    let a17a = with
        .hits
        .iter()
        .find(|h| h.id == id("A.1.7.a"))
        .expect("A.1.7.a among the first ten");
    assert_ne!(a17a.matched_by, MatchedBy::Meaning);
    assert!(
        a17a.highlights
            .iter()
            .any(|&(a, b)| a17a.snippet[a..b].contains("التعليم"))
    );
    // The query's filter holds: only 2009 (meeting I) by words.
    let filtered = search(&format!("{q} سنة:2009"), &close, Mode::Hybrid);
    assert!(
        by_words(&filtered).iter().all(|i| i.starts_with("A.1.")),
        "{:?}",
        by_words(&filtered)
    );
    // Semantic mode and a query with no Arabic ignore the pairs.
    assert!(search(q, &close, Mode::Semantic).notices.is_empty());
    assert!(search("teachers", &close, Mode::Hybrid).notices.is_empty());
}

#[test]
fn a_partial_match_counts_a_share_beside_complete_ones() {
    // «حماية الشهود»: some provisions have both words, others one. The
    // meaning side points at a provision the words miss, so every word
    // hit's fused score is its words' share alone.
    let lexical = INDEX
        .search(Some(&CORPUS), &Request::new("حماية الشهود", 400))
        .expect("lexical");
    assert!(lexical.complete > 0);
    let partial = lexical
        .hits
        .iter()
        .find(|h| !h.complete)
        .expect("a partial match");
    let missed = CORPUS
        .provisions
        .iter()
        .find(|p| !lexical.hits.iter().any(|h| h.id == p.id))
        .expect("a provision the words miss");
    let v = toward(&[&missed.id.to_string()]);
    let r = run_n("حماية الشهود", 400, Mode::Hybrid, &v, None);
    let best = lexical
        .hits
        .iter()
        .map(|h| {
            h.score
                * if h.complete {
                    1.0
                } else {
                    weights::HYBRID_PARTIAL
                }
        })
        .fold(0.0f32, f32::max);
    let fused = r
        .hits
        .iter()
        .find(|h| h.id == partial.id)
        .expect("the partial match stays");
    let want = weights::HYBRID_LEXICAL * weights::HYBRID_PARTIAL * partial.score / best;
    assert!(
        (fused.score - want).abs() < 1e-5,
        "{}: {} against {want}",
        partial.id,
        fused.score
    );
    // And a complete match keeps its whole share.
    let whole = &lexical.hits[0];
    assert!(whole.complete);
    let fused = r.hits.iter().find(|h| h.id == whole.id).expect("kept");
    assert!((fused.score - weights::HYBRID_LEXICAL * whole.score / best).abs() < 1e-5);
}
