//! # fihris-search
//!
//! Arabic-first search over the record, on tantivy: our own Arabic analyzer
//! (`analyzer`), the index of provisions (`index`), the query language
//! (`query`), close spellings for typo tolerance (`spelling`), the request
//! and response types (`request`), query compilation into tiers
//! (`compile`) with the named weights of ranking (`weights`), a collector
//! of every match (`collector`), running a search with facets (`search`)
//! and its highlighted passages (`snippet`); meaning search over
//! provision vectors (`dense`) and its fusion with the words in hybrid,
//! lexical or semantic mode (`hybrid`), given the query's vector; the
//! Arabic words of a query no provision has, to be searched as the
//! record's closest words (`unknown`).
//!
//! Not here: parsing the source, HTTP, storage, embedding models.

pub mod analyzer;
mod collector;
mod compile;
pub mod dense;
mod hybrid;
pub mod index;
pub mod query;
mod request;
mod search;
mod snippet;
mod spelling;
mod unknown;
pub mod weights;

pub use hybrid::{
    MAX_MEANING_CHARS, Meaning, focused, has_arabic, lexical_weight, meaning_focus, meaning_text,
};
pub use index::{Doc, SearchIndex, docs_of};
pub use query::{MAX_QUERY_CHARS, QueryError, parse};
pub use request::{Facets, Hit, Mode, Notice, Request, Response, SearchError, Sort};
pub use unknown::replace_words;
