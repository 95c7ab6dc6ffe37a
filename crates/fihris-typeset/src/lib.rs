//! # fihris-typeset
//!
//! The compendium set from the record as a PDF: typst, used as a library
//! (no package downloads, no system fonts), sets it in Amiri, right to
//! left — a cover, the contents, Part A by meeting and Part B by session,
//! every provision with its printed label, footnotes at the foot of their
//! page, and the thematic index, whose page numbers the typesetter resolves
//! from the provisions' own positions.
//!
//! [`compendium_markup`] is the typst source; [`compendium_pdf`] sets it.
//! The same record gives the same bytes: the document carries no date.
//!
//! Not here: serving, caching or writing files (the server and the command
//! line do that).

mod markup;

use std::collections::BTreeMap;

use fihris_model::{Corpus, ProvisionId};
use typst::introspection::Introspector;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

/// The typefaces embedded in the PDF (SIL Open Font Licence; the same
/// files the web pages serve).
static FONTS: [&[u8]; 2] = [
    include_bytes!("../../fihris-server/assets/fonts/Amiri-Regular.ttf"),
    include_bytes!("../../fihris-server/assets/fonts/Amiri-Bold.ttf"),
];

/// Why the publication could not be set.
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    /// typst refused the markup (a fault of fihris-typeset, with typst's
    /// messages).
    #[error("typesetting failed: {0}")]
    Typst(String),
    /// The PDF could not be written.
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// A set publication.
pub struct Publication {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// The number printed on each page, in order (`None` on the cover and
    /// the contents).
    pub page_numbers: Vec<Option<u32>>,
    /// The printed page number on which each provision begins.
    pub provision_pages: BTreeMap<ProvisionId, u32>,
}

/// The typst source of the publication of `corpus`.
pub fn compendium_markup(corpus: &Corpus) -> String {
    markup::compendium(corpus)
}

/// Sets the publication of `corpus` as a PDF.
pub fn compendium_pdf(corpus: &Corpus) -> Result<Publication, TypesetError> {
    let engine = TypstEngine::builder()
        .main_file(compendium_markup(corpus))
        .fonts(FONTS)
        .build();
    let doc: PagedDocument = engine
        .compile()
        .output
        .map_err(|e| TypesetError::Typst(e.to_string()))?;
    let provision_pages = provision_pages(&doc, corpus);
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        TypesetError::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(Publication {
        pdf,
        page_numbers: doc
            .pages()
            .iter()
            .map(|p| p.numbering.as_ref().map(|_| p.number as u32))
            .collect(),
        provision_pages,
    })
}

/// Where each provision landed: the printed number of its first page.
fn provision_pages(doc: &PagedDocument, corpus: &Corpus) -> BTreeMap<ProvisionId, u32> {
    let introspector = doc.introspector();
    corpus
        .provisions
        .iter()
        .filter_map(|p| {
            let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(
                &markup::provision_label(&p.id),
            ))?;
            let element = introspector.query_label(label).ok()?;
            let location = element.location()?;
            let page = introspector.page(location)?.get();
            Some((p.id.clone(), printed_page(doc, page)))
        })
        .collect()
}

/// The number printed on physical page `page` (1-based).
fn printed_page(doc: &PagedDocument, page: usize) -> u32 {
    doc.pages()
        .get(page - 1)
        .map_or(page as u32, |p| p.number as u32)
}
