//! # fihris-search
//!
//! Arabic-first search over the record, on tantivy: our own Arabic analyzer
//! (`analyzer`), the index of provisions (`index`), the query language
//! (`query`), close spellings for typo tolerance (`spelling`), search with
//! facets (`search`) and its highlighted passages (`snippet`).
//!
//! Not here: parsing the source, HTTP, storage.

pub mod analyzer;
pub mod index;
pub mod query;
pub mod search;
pub mod snippet;
pub mod spelling;

pub use index::{Doc, SearchIndex, docs_of};
pub use query::{QueryError, parse};
pub use search::{Facets, Hit, Request, Response, SearchError, Sort};
