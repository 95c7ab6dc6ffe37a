//! What the server serves: the record and its search index.

use fihris_model::Corpus;
use fihris_search::{SearchIndex, docs_of};

/// What the server serves.
pub struct App {
    /// The record.
    pub corpus: Corpus,
    /// Its search index.
    pub index: SearchIndex,
}

impl App {
    /// Builds the search index of a record.
    pub fn new(corpus: Corpus) -> Result<App, fihris_search::index::IndexError> {
        let index = SearchIndex::build(docs_of(&corpus), None, |_| {})?;
        Ok(App { corpus, index })
    }
}
