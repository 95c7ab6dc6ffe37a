//! # fihris-agreed
//!
//! Agreed language: wording a body has already adopted, which drafters
//! reuse because it is easier to have accepted again than new text.
//!
//! - [`words`]: a text as words, each with its place in the text and its
//!   normalised form (Lucene's Arabic normalisation, digits folded), so
//!   that spelling variants of one word compare equal.
//! - [`compare`]: a word-level comparison of two texts, marking the runs of
//!   each that the other shares.
//! - [`similar`]: the provisions closest to a provision, by shared wording
//!   (three-word shingles) and, given the provisions' vectors, by meaning.
//! - [`phrases`]: formulations reused from one meeting or session to
//!   another, each traced to where it first appeared.
//! - [`draft`]: a draft cut into clauses, each with its closest provisions
//!   and what of it is agreed verbatim.
//!
//! Not here: HTTP, pages, the model (vectors are handed in).

pub mod compare;
pub mod draft;
pub mod phrases;
pub mod similar;
pub mod words;

pub use compare::{Run, compare};
pub use draft::{CheckedClause, Draft, DraftError};
pub use similar::{Similar, Wording};
