//! Exports of the real corpus, read back with real parsers.

use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_model::Corpus;

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
});

#[test]
fn skos_is_valid_turtle_with_every_topic() {
    let mut out = Vec::new();
    fihris_publish::write_skos(&mut out, &CORPUS).unwrap();
    let mut triples = Vec::new();
    for t in oxttl::TurtleParser::new().for_slice(&out) {
        triples.push(t.unwrap_or_else(|e| panic!("invalid Turtle: {e}")));
    }
    let concepts: Vec<String> = triples
        .iter()
        .filter(|t| {
            t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                && t.object.to_string() == "<http://www.w3.org/2004/02/skos/core#Concept>"
        })
        .map(|t| t.subject.to_string())
        .collect();
    // 78 topics and the 6 shared heads that become broader concepts.
    assert_eq!(concepts.len(), 78 + 6);
    let refs = triples
        .iter()
        .filter(|t| t.predicate.as_str() == "http://purl.org/dc/terms/references")
        .count();
    let filed: usize = CORPUS.topics.iter().map(|t| t.provisions.len()).sum();
    assert_eq!(refs, filed);
    assert!(triples.iter().any(|t| {
        t.subject.to_string() == "<urn:fihris:topic:technology>"
            && t.object.to_string() == "<urn:fihris:provision:A.8.1.i>"
    }));
    assert!(triples.iter().any(|t| {
        t.subject.to_string() == "<urn:fihris:topic:victims.compensation>"
            && t.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#broader"
            && t.object.to_string() == "<urn:fihris:topic:victims>"
    }));
}

#[test]
fn csv_has_one_row_per_filing() {
    let mut out = Vec::new();
    fihris_publish::write_topic_csv(&mut out, &CORPUS).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "provision");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let filed: usize = CORPUS.topics.iter().map(|t| t.provisions.len()).sum();
    assert_eq!(rows.len(), filed);
    let tech: Vec<&str> = rows
        .iter()
        .filter(|r| &r[5] == "technology")
        .map(|r| r.get(0).unwrap())
        .collect();
    assert_eq!(tech, ["A.4.33", "A.4.36", "A.5.29", "A.8.1.i", "A.9.24"]);
    let one = rows.iter().find(|r| &r[0] == "A.8.1.i").unwrap();
    assert_eq!(&one[4], "Part A, VIII-1 (i)");
}
