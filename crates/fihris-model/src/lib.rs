//! # fihris-model
//!
//! The compendium as data: sections (Working Group meetings, COP sessions),
//! provisions with stable ids, footnotes and findings, plus the id scheme,
//! the Arabic numbering systems and the display citations derived from ids.
//!
//! This crate is *only* types and pure functions over them: it does no I/O,
//! knows nothing of the source text's layout (that is `fihris-parse`), nor
//! of search, storage or HTTP.

pub mod cite;
pub mod finding;
pub mod id;
pub mod index;
pub mod instrument;
pub mod location;
pub mod numerals;
#[cfg(feature = "openapi")]
mod openapi;
pub mod record;
pub mod translit;
pub mod xref;

pub use finding::{Finding, FindingCode, Severity};
pub use id::{IdError, Parent, Part, ProvisionId, ProvisionKind, SectionId, Segment};
pub use index::{IndexRow, ReportOffset, ReportRef, Topic, TopicId};
pub use instrument::{Instrument, InstrumentKind};
pub use numerals::Letter;
pub use record::{
    Anchor, CopSession, Corpus, Footnote, Imported, IsoDate, LineSpan, Meeting, Provision, Section,
    Source,
};
pub use xref::{CrossRef, ExternalKind, XrefTarget};
