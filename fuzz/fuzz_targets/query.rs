//! Arbitrary text as a search query: parsed, repaired as the pages repair
//! it, compiled and run against the compendium's index. A repaired query
//! always parses; a query that parses is answered or refused as a query,
//! never a failure of the index, never more hits than asked; never a panic.
//! Its words no provision has are words of it, and the query with them
//! replaced by a record word parses whenever the query does.
#![no_main]

use fihris_search::{Request, SearchError, Sort, query, replace_words};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some((repaired, done)) = query::repair(text) {
        assert!(!done.is_empty(), "repaired {text:?} without saying how");
        if let Err(e) = query::parse(&repaired) {
            panic!("{text:?} repaired to {repaired:?}, which does not parse: {e}");
        }
    }
    let corpus = fihris_fuzz::corpus();
    let index = fihris_fuzz::index();
    let unknown = index.unknown_words(text);
    for w in &unknown {
        assert!(!w.is_empty() && text.contains(w.as_str()), "{text:?}: {w:?}");
    }
    let pairs: Vec<(String, String)> = unknown
        .into_iter()
        .map(|w| (w, "الضحايا".to_owned()))
        .collect();
    let (replaced, used) = replace_words(text, &pairs);
    assert!(used.len() <= pairs.len());
    if query::parse(text).is_ok() && query::parse(&replaced).is_err() {
        panic!("{text:?} parses, {replaced:?} (its words replaced) does not");
    }
    for sort in [Sort::Relevance, Sort::Date] {
        let req = Request {
            sort,
            ..Request::new(text, 5)
        };
        match index.search(Some(corpus), &req) {
            Ok(r) => assert!(r.hits.len() <= 5),
            Err(SearchError::Query(_)) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
});
