//! Akoma Ntoso from the real record: one document per source document,
//! each valid against the official Akoma Ntoso 3.0 schema (vendored in
//! `schema/akn/`, checked by `xmllint --schema`, Debian `libxml2-utils`),
//! with AKN4UN eIds, footnotes as `authorialNote`, cross-references as
//! `ref`, topics as `TLCConcept`.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use fihris_publish::{akn_document, akn_documents};

fn corpus() -> fihris_model::Corpus {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    fihris_parse::parse_file(&dir.join("compendium-2021.ar.txt")).unwrap()
}

#[test]
fn every_document_validates_against_the_akoma_ntoso_schema() {
    let corpus = corpus();
    let docs = akn_documents(&corpus);
    // Meeting III (no symbol: it adopted no recommendations) has none.
    assert_eq!(docs.len(), 13, "eight meetings, five sessions");
    let dir = std::env::temp_dir().join(format!("fihris-akn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for d in &docs {
        let path = dir.join(&d.file_name);
        std::fs::write(&path, &d.xml).unwrap();
        files.push(path);
    }
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/akn/akomantoso30.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("xmllint: {e} (apt-get install libxml2-utils)"));
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert_eq!(report.matches(" validates").count(), 13, "{report}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn documents_carry_eids_notes_references_and_topics() {
    let corpus = corpus();
    // Meeting IV's recommendations.
    let d = akn_document(&corpus, "ctoc/cop/wg.4/2011/8").unwrap();
    assert_eq!(d.symbol, "CTOC/COP/WG.4/2011/8");
    assert_eq!(d.file_name, "CTOC_COP_WG.4_2011_8.xml");
    assert_eq!(
        d.uri,
        "/akn/un/statement/recommendations/ctoc-cop-wg4/2011-10-12/4"
    );
    assert!(d.xml.contains("<statement name=\"recommendations\">"));
    assert!(d.xml.contains("<point eId=\"para_46__subpara_i__item_2\""));
    assert!(d.xml.contains(
        "<subparagraph eId=\"para_46__subpara_b\" refersTo=\"#topic_protocol.compliance-interpretation \
         #topic_victims.compensation #topic_victims.information-legal-assistance #topic_laws\">"
    ));
    assert!(
        d.xml
            .contains("<TLCConcept eId=\"topic_victims.compensation\"")
    );
    // Decision 4/4: the chapeau's footnotes, lettered paragraphs.
    let d = akn_document(&corpus, "CTOC/COP/2008/19").unwrap();
    assert_eq!(d.uri, "/akn/un/statement/decision/ctoc-cop/2008/4-4");
    assert!(d.xml.contains("<p><docNumber>المقرر 4/4</docNumber></p>"));
    assert!(d.xml.contains("<formula name=\"enactingFormula\"><p>"));
    assert!(d.xml.contains(
        "<authorialNote marker=\"14\" placement=\"bottom\" eId=\"preamble__authorialNote_14\">"
    ));
    assert!(d.xml.contains("<paragraph eId=\"para_a\""));
    // Resolution 5/2: eleven preambular paragraphs, then the operative
    // ones; it cites the meetings and decision 4/4 of the compendium.
    let d = akn_document(&corpus, "CTOC/COP/2010/17").unwrap();
    assert!(
        d.xml
            .contains("<container name=\"preambularParagraph\" eId=\"preambular_11\"")
    );
    assert!(!d.xml.contains("preambular_12"));
    assert!(
        d.xml
            .contains("<ref href=\"/akn/un/statement/decision/ctoc-cop/2008/4-4\">")
    );
    assert!(
        d.xml
            .contains("<ref href=\"/akn/un/statement/recommendations/ctoc-cop-wg4/2009-04-15/1\">")
    );
    // Every footnote of the record is in some document.
    let all: String = akn_documents(&corpus).into_iter().map(|d| d.xml).collect();
    for f in &corpus.footnotes {
        assert!(
            all.contains(&format!("<authorialNote marker=\"{}\"", f.number)),
            "footnote {}",
            f.number
        );
    }
    assert!(akn_document(&corpus, "CTOC/COP/1999/1").is_none());
}
