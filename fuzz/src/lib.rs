//! What the fuzz targets share: the real record, parsed once, and its
//! search index, built once in memory; and the invariants a record read
//! from any input must keep.

use std::collections::HashSet;
use std::sync::OnceLock;

use fihris_model::Corpus;
use fihris_search::{SearchIndex, docs_of};

const SOURCE: &str = include_str!("../../corpus/compendium-2021.ar.txt");
const ERRATA: &str = include_str!("../../corpus/errata.toml");
const TOPICS: &str = include_str!("../../corpus/topics.toml");

/// The compendium as `fihris` reads it (with its errata and topic register).
pub fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        fihris_parse::parse_texts(
            ("compendium-2021.ar.txt", SOURCE),
            Some(("errata.toml", ERRATA)),
            Some(("topics.toml", TOPICS)),
        )
        .expect("the compendium parses")
    })
}

/// The compendium's search index, in memory.
pub fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        SearchIndex::build(docs_of(corpus()), None, |_| ()).expect("the index builds")
    })
}

/// Panics unless `corpus` keeps what every record must: provision,
/// section and footnote ids unique, every provision in a section of the
/// record, every cross-reference from a provision of the record and
/// standing where it says in its text.
pub fn check_record(corpus: &Corpus) {
    let mut ids = HashSet::new();
    for p in &corpus.provisions {
        assert!(ids.insert(&p.id), "provision {} twice", p.id);
        assert!(
            corpus.section(p.id.section).is_some(),
            "provision {} outside the record's sections",
            p.id
        );
    }
    let mut sections = HashSet::new();
    for s in &corpus.sections {
        assert!(sections.insert(s.id), "section {} twice", s.id);
    }
    let mut notes = HashSet::new();
    for f in &corpus.footnotes {
        assert!(notes.insert(f.number), "footnote {} twice", f.number);
    }
    for x in &corpus.xrefs {
        let from = corpus
            .provision(&x.from)
            .unwrap_or_else(|| panic!("cross-reference from {}, not a provision", x.from));
        assert_eq!(
            from.text.get(x.start..x.start + x.text.len()),
            Some(x.text.as_str()),
            "cross-reference {:?} not where it says in {}",
            x.text,
            x.from
        );
    }
}
