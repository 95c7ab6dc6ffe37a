//! Meaning search on the real corpus with the real model: the committed
//! vectors are the ones the model makes (a sample recomputed), a question
//! in any of the six UN languages finds the provisions on its subject and
//! the topic it belongs to, and bad or long input gets the clear answers.
//!
//! Needs the model (`fihris model fetch`, or `FIHRIS_MODEL_DIR`); without
//! it the tests fail and say so, unless `FIHRIS_SKIP_MODEL=1` skips them on
//! purpose.

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::LazyLock;

use fihris_embed::dot;
use fihris_embed::vectors::{Vectors, content_hash, file_name};
use fihris_meaning::words::{record_words, word_docs};
use fihris_meaning::{Engine, Vocabulary, clause_docs, provision_docs, sentence_docs, topic_docs};
use fihris_model::{Corpus, ProvisionId, TopicId};
use fihris_search::dense::{MatchedBy, clauses};
use fihris_search::{Mode, Request, SearchError, SearchIndex, docs_of};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    fihris_parse::parse_file(&root().join("corpus/compendium-2021.ar.txt"))
        .unwrap_or_else(|e| panic!("{e}"))
});

static INDEX: LazyLock<SearchIndex> =
    LazyLock::new(|| SearchIndex::build(docs_of(&CORPUS), None, |_| {}).unwrap());

/// What loading said, and the engine.
static ENGINE: LazyLock<(Vec<String>, Engine)> = LazyLock::new(|| {
    let mut said = Vec::new();
    let dirs = [root().join("corpus/vectors")];
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let engine = fihris_meaning::open(&CORPUS, &dirs, &mut |s| said.push(s.to_owned()))
        .unwrap_or_else(|e| panic!("{e}"));
    (said, engine)
});

fn skip() -> bool {
    let skip = std::env::var_os("FIHRIS_SKIP_MODEL").is_some();
    if skip {
        eprintln!("FIHRIS_SKIP_MODEL is set: meaning test skipped");
    }
    skip
}

fn filed_under(topic: &str) -> HashSet<ProvisionId> {
    let id = TopicId::slug(topic);
    CORPUS
        .provisions
        .iter()
        .filter(|p| CORPUS.topics_of(&p.id).any(|t| t.id == id))
        .map(|p| p.id.clone())
        .collect()
}

#[test]
fn committed_vectors_are_the_models() {
    if skip() {
        return;
    }
    let (said, engine) = &*ENGINE;
    for kind in ["provisions", "sentences", "clauses", "topics", "words"] {
        assert!(
            said.iter()
                .any(|s| s.starts_with(&format!("{kind}: ")) && s.contains("read from")),
            "{kind} not read from corpus/vectors: {said:?}"
        );
    }
    let model = engine.model();
    for (kind, docs) in [
        ("provisions", provision_docs(&CORPUS)),
        ("sentences", sentence_docs(&CORPUS)),
        ("clauses", clause_docs(&CORPUS)),
        ("topics", topic_docs(&CORPUS)),
    ] {
        let content = content_hash(&docs);
        let path =
            root()
                .join("corpus/vectors")
                .join(file_name(kind, model.fingerprint(), &content));
        let stored = Vectors::load(&path, model.fingerprint(), &content).unwrap();
        // A sample: the first, the last and the longest.
        let longest = (0..docs.len()).max_by_key(|k| docs[*k].1.len()).unwrap();
        for k in [0, docs.len() - 1, longest] {
            let v = model.embed_documents(&[docs[k].1.as_str()]).unwrap();
            let cos = dot(&v[0], stored.get(k));
            assert!(cos >= 0.999, "{kind} {}: cosine {cos}", docs[k].0);
        }
    }
    // The words' vectors: the first 256 dimensions of each word's
    // document vector, at unit length.
    let words = record_words(&CORPUS);
    assert_eq!(words.len(), engine.vocabulary().len());
    let content = content_hash(&word_docs(&words));
    let path =
        root()
            .join("corpus/vectors")
            .join(file_name("words", model.fingerprint(), &content));
    let stored = Vectors::load(&path, model.fingerprint(), &content).unwrap();
    assert_eq!((stored.dim, stored.ids.len()), (256, words.len()));
    for k in [0, words.len() / 2, words.len() - 1] {
        let v = model.embed_documents(&[words[k].as_str()]).unwrap();
        let head = &v[0][..256];
        let norm = dot(head, head).sqrt();
        let cos = dot(head, stored.get(k)) / norm;
        assert!(cos >= 0.999, "word {}: cosine {cos}", words[k]);
    }
    // A query and its words in one pass: the vectors each makes alone.
    let (q, d) = model
        .embed_query_and_documents("victims compensation", &["victims", "compensation"])
        .unwrap();
    let alone = model.embed_queries(&["victims compensation"]).unwrap();
    assert!(dot(&q, &alone[0]) >= 0.999, "{}", dot(&q, &alone[0]));
    for (v, w) in d.iter().zip(["victims", "compensation"]) {
        let alone = model.embed_documents(&[w]).unwrap();
        assert!(dot(v, &alone[0]) >= 0.999, "{w}: {}", dot(v, &alone[0]));
    }
}

#[test]
fn any_un_language_finds_compensation_of_victims() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    let compensation = filed_under("victims.compensation");
    // The Arabic question is the everyday wording, none of whose
    // words the provisions on compensation use: 2 of its first 5 are on
    // the topic (the words alone find none). A query in another language is
    // also searched by its words rendered in the record's Arabic (Chinese
    // cut into words first); Arabic is not rendered.
    for (q, least, rendered) in [
        ("victims compensation", 3, true),
        ("indemnisation des victimes de la traite", 3, true),
        ("indemnización a las víctimas de la trata", 3, true),
        ("компенсация жертвам торговли людьми", 3, true),
        ("对人口贩运受害者的赔偿", 3, true),
        ("جبر الضرر المالي لمن وقعوا فريسة للمتاجرين", 2, false),
    ] {
        let (r, topics) = engine
            .search(&INDEX, &CORPUS, &Request::new(q, 10), Mode::Hybrid)
            .unwrap();
        assert_eq!(topics[0].id.as_str(), "victims.compensation", "{q}");
        let on_topic = r
            .hits
            .iter()
            .take(5)
            .filter(|h| compensation.contains(&h.id))
            .count();
        assert!(
            on_topic >= least,
            "{q}: {on_topic} of the first 5 on compensation"
        );
        let notice = r.notices.iter().find(|n| n.code == "rendered");
        if rendered {
            // The rendering names the victims and their compensation in
            // the provisions' words; the words find the first hit, and
            // meaning agrees on at least two of the first five.
            let n = notice.unwrap_or_else(|| panic!("{q}: no rendering"));
            assert!(
                n.message_ar.contains("ضحايا") && n.message_ar.contains("تعويض"),
                "{q}: {}",
                n.message_ar
            );
            assert_ne!(r.hits[0].matched_by, MatchedBy::Meaning, "{q}");
            let both = r.hits[..5]
                .iter()
                .filter(|h| h.matched_by == MatchedBy::Both)
                .count();
            assert!(both >= 2, "{q}: {both} of the first 5 found both ways");
        } else {
            assert!(notice.is_none(), "{q}");
            assert!(
                r.hits.iter().all(|h| h.matched_by != MatchedBy::Words),
                "{q}: no words of it are the provisions'"
            );
        }
    }
}

#[test]
fn remembered_words_render_as_fresh_ones() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    // The second and third queries' words were all met before: their
    // vectors come from memory, in the new order, and render as the
    // model's own vectors of them do.
    for q in [
        "trafficking victims compensation",
        "compensation of trafficking victims",
        "victims compensation",
    ] {
        let got = engine.embed_query(q).unwrap().rendered;
        let words = Vocabulary::to_render(q).unwrap();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let fresh = engine.model().embed_documents(&refs).unwrap();
        assert_eq!(got, engine.vocabulary().closest(&fresh), "{q}");
    }
    assert!(engine.remembered().len() >= 3);
}

#[test]
fn arabic_words_no_provision_has_are_read_as_close_ones() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    let pairs = |q: &str| engine.embed_query_in(q, &INDEX).unwrap().close;
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    // «المعلمون» (teachers) is in no provision; «التعليم» (education) is
    // the record's closest word.
    let q = "جهات الاستجابة، المعلمون والمربون";
    assert_eq!(pairs(q), [pair("المعلمون", "التعليم")]);
    assert!(engine.embed_query(q).unwrap().close.is_empty());
    // «هل», the question's particle, is in no provision either, but its
    // closest word is a function word: left out.
    assert_eq!(
        pairs("هل يحق للضحية الحصول على محامٍ ومعرفة ما يجري في قضيتها؟"),
        [pair("يحق", "بحقوق"), pair("قضيتها", "قضية")]
    );
    // Words no record word is close enough to: none.
    let q = "العمل القسري في المصانع والمزارع";
    assert_eq!(INDEX.unknown_words(q), ["المصانع", "والمزارع"]);
    assert!(pairs(q).is_empty());
    // Searched: the words' side finds «مناهج التعليم العام» (A.1.7.a) by
    // «التعليم», and says so; lexical mode stays with the words as typed.
    let q = "جهات الاستجابة، المعلمون والمربون";
    let (r, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(q, 10), Mode::Hybrid)
        .unwrap();
    assert_eq!(
        r.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        ["close-words"]
    );
    let a17a = ProvisionId::from_str("A.1.7.a").unwrap();
    let hit = r.hits.iter().find(|h| h.id == a17a).expect("A.1.7.a");
    assert_eq!(hit.matched_by, MatchedBy::Both);
    let (lexical, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(q, 500), Mode::Lexical)
        .unwrap();
    assert!(lexical.notices.is_empty());
    assert!(lexical.hits.iter().all(|h| h.id != a17a));
}

#[test]
fn an_arabic_focus_is_read_in_its_context() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    // «المعلمون والمربون» (teachers and educators) in the context of «جهات
    // الاستجابة» (responders), as the query language reads it: the
    // focus's vector is added to the whole's.
    let q = "جهات الاستجابة، المعلمون والمربون";
    let got = engine.embed_query(q).unwrap().vector;
    let parts = engine
        .model()
        .embed_queries(&[q, "المعلمون والمربون"])
        .unwrap();
    let want = fihris_search::focused(&parts[0], &parts[1]);
    assert!(dot(&got, &want) > 0.9999, "{}", dot(&got, &want));
    assert!(dot(&got, &parts[0]) < 0.99);
    // The first hit is filed under the label's topic, and three of its six
    // filings are on the first page (the first hit of the whole's vector
    // alone, A.7.2.i on first responders, is not filed there).
    let filed = filed_under("responders.educators");
    assert_eq!(filed.len(), 6);
    let (r, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(q, 10), Mode::Hybrid)
        .unwrap();
    assert!(filed.contains(&r.hits[0].id), "{}", r.hits[0].id);
    let on_page = r.hits.iter().filter(|h| filed.contains(&h.id)).count();
    assert_eq!(on_page, 3);
}

#[test]
fn arabic_keeps_its_words() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    // A query whose words the provisions use: the first hits of the words
    // stay first, now also found by meaning.
    let q = "تعويض الضحايا";
    let words = INDEX.search(Some(&CORPUS), &Request::new(q, 3)).unwrap();
    let (r, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(q, 10), Mode::Hybrid)
        .unwrap();
    assert_eq!(r.hits[0].id, words.hits[0].id);
    assert_eq!(r.hits[0].matched_by, MatchedBy::Both);
    assert_eq!(r.mode, Mode::Hybrid);
    // Lexical mode is the words' ranking, whatever the model.
    let (lexical, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(q, 3), Mode::Lexical)
        .unwrap();
    assert_eq!(
        lexical.hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
        words.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
}

#[test]
fn long_and_bad_input() {
    if skip() {
        return;
    }
    let (_, engine) = &*ENGINE;
    let long = "ينبغي للدول الأطراف أن تكفل حصول ضحايا الاتجار بالأشخاص على تعويض. ".repeat(140);
    assert!(long.chars().count() > 9_000);
    let (r, _) = engine
        .search(&INDEX, &CORPUS, &Request::new(&long, 10), Mode::Hybrid)
        .unwrap();
    assert_eq!(
        r.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        ["words-skipped", "truncated"]
    );
    assert!(r.notices[1].message.contains("first 256"));
    assert!(!r.hits.is_empty());
    // A query longer than the query language reads is not rendered in
    // Arabic words (the words' side skips it); a short one is.
    let long_en = "victims of trafficking should receive compensation ".repeat(12);
    assert!(long_en.chars().count() > 500);
    assert_eq!(engine.embed_query(&long_en).unwrap().rendered, None);
    let short = engine.embed_query(&long_en[..51]).unwrap().rendered;
    assert!(
        short.is_some_and(|r| r.split(' ').count() == 4),
        "{long_en}"
    );
    for (q, why) in [
        ("🙂🙂🙂", "nothing to find"),
        ("", "empty query"),
        ("\"victims", "unclosed quotation mark"),
        ("victims meeting:abc", "expected a meeting number"),
    ] {
        match engine.search(&INDEX, &CORPUS, &Request::new(q, 10), Mode::Hybrid) {
            Err(fihris_meaning::Error::Search(SearchError::Query(e))) => {
                assert!(e.message.contains(why), "{q}: {e}")
            }
            Err(e) => panic!("{q}: {e}"),
            Ok(r) => panic!("{q}: {} hits", r.0.total),
        }
    }
    // Words of a script the model hardly knows still get an answer.
    let (r, _) = engine
        .search(
            &INDEX,
            &CORPUS,
            &Request::new("ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", 10),
            Mode::Hybrid,
        )
        .unwrap();
    assert_eq!(r.hits.len(), 10);
}

#[test]
fn a_new_edition_gets_vectors_for_what_changed_only() {
    if skip() {
        return;
    }
    let engine = &ENGINE.1;
    // The 2021 record with a text corrected and the synthetic tenth
    // meeting imported.
    let mut next = CORPUS.clone();
    let corrected = "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للقضاة والمدعين العامين على التعامل مع الأدلة الرقمية.";
    fihris_edit::apply(
        &mut next,
        &fihris_edit::Change::CorrectText {
            id: "A.2.55".into(),
            text: corrected.into(),
        },
    )
    .unwrap();
    let meeting =
        std::fs::read_to_string(root().join("corpus/synthetic/meeting-10.ar.txt")).unwrap();
    let (import, _) = fihris_edit::Change::import_meeting("meeting-10.ar.txt", &meeting).unwrap();
    fihris_edit::apply(&mut next, &import).unwrap();
    let started = std::time::Instant::now();
    let derived = engine.for_record(&CORPUS, &next).unwrap();
    eprintln!("derived in {:?}", started.elapsed());
    let ids: Vec<ProvisionId> = next.provisions.iter().map(|p| p.id.clone()).collect();
    assert_eq!(derived.provisions().ids(), ids.as_slice());
    // The new meeting's words join the vocabulary.
    assert_eq!(derived.vocabulary().len(), record_words(&next).len());
    assert!(derived.vocabulary().len() > engine.vocabulary().len());
    let id = |s: &str| s.parse::<ProvisionId>().unwrap();
    // Unchanged provisions keep their vectors, bit for bit.
    for unchanged in ["A.1.1", "B.5.7.b", "A.9.1"] {
        assert_eq!(
            derived.provisions().vector(&id(unchanged)),
            engine.provisions().vector(&id(unchanged)),
            "{unchanged}"
        );
    }
    // The corrected one is the model's vector of its new text.
    let fresh = engine
        .model()
        .embed_documents(&[corrected])
        .unwrap()
        .remove(0);
    let new = derived.provisions().vector(&id("A.2.55")).unwrap();
    assert!(dot(new, &fresh) > 0.9999, "{}", dot(new, &fresh));
    assert!(dot(new, engine.provisions().vector(&id("A.2.55")).unwrap()) < 0.999);
    // Clauses: carried over for an unchanged provision, embedded for the
    // imported meeting's provisions of several.
    let kept = clause_docs(&CORPUS)[0]
        .0
        .split_once('#')
        .unwrap()
        .0
        .to_owned();
    assert!(derived.clauses().of(&id(&kept)).is_some(), "{kept}");
    assert_eq!(
        derived.clauses().of(&id(&kept)),
        engine.clauses().of(&id(&kept))
    );
    let imported = next
        .provisions
        .iter()
        .filter(|p| p.id.to_string().starts_with("A.10.") && clauses(&p.text).len() > 1)
        .collect::<Vec<_>>();
    assert!(!imported.is_empty());
    for p in imported {
        let v = derived.clauses().of(&p.id).unwrap_or_default();
        assert_eq!(
            v.len(),
            clauses(&p.text).len() * engine.model().dim(),
            "{}",
            p.id
        );
    }
    // The imported meeting is found by meaning, in English.
    let index = SearchIndex::build(docs_of(&next), None, |_| {}).unwrap();
    let r = derived
        .search(
            &index,
            &next,
            &Request::new(
                "investigating trafficking recruited online through fake job advertisements",
                5,
            ),
            Mode::Semantic,
        )
        .unwrap();
    let top: Vec<String> = r.0.hits.iter().map(|h| h.id.to_string()).collect();
    assert!(top.iter().any(|h| h.starts_with("A.10.")), "{top:?}");
}
