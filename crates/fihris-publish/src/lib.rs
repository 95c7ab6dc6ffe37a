//! # fihris-publish
//!
//! Standard exports of the record: the whole record as JSON, the thematic
//! index as a SKOS concept scheme in Turtle, a CSV table with one row per
//! (provision, topic) filing, each source document as Akoma Ntoso 3.0
//! XML, and right-to-left Word documents with footnotes (`.docx`).
//!
//! Only writers over [`fihris_model::Corpus`]: no parsing, no I/O beyond
//! the `Write` it is handed.

mod akn;
mod docx;
mod package;
mod skos;
mod table;
mod xml;

pub use akn::{AKN_NAMESPACE, AknDocument, akn_document, akn_documents, akn_zip};
pub use docx::{DOCX_FONT, Docx, DocxParagraph, DocxStyle, Inline, write_docx};
pub use skos::write_skos;
pub use table::write_topic_csv;

/// Writes the whole record as pretty-printed JSON.
pub fn write_json(
    out: &mut impl std::io::Write,
    corpus: &fihris_model::Corpus,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, corpus)?;
    writeln!(out)
}
