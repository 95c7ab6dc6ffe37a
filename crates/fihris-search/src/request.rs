//! The request and response of a search: what is asked (query, page,
//! order), what comes back (hits with typed ids, facets), and why a search
//! can fail.

use std::collections::BTreeMap;

use fihris_model::cite::Target;
use fihris_model::{Part, ProvisionId, ProvisionKind, SectionId, TopicId};
use serde::Serialize;

use crate::query::QueryError;

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Oldest meeting or session first, then document order.
    Date,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The query text.
    pub query: &'a str,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Whether to count facets (and rank the whole result set).
    pub facets: bool,
}

impl<'a> Request<'a> {
    /// The first `limit` hits by relevance, with facets.
    pub fn new(query: &'a str, limit: usize) -> Request<'a> {
        Request {
            query,
            limit,
            offset: 0,
            sort: Sort::Relevance,
            facets: true,
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Provision id.
    pub id: ProvisionId,
    /// Score (BM25 sum; hits matching every clause rank above the others).
    pub score: f32,
    /// Whether every clause matched.
    pub complete: bool,
    /// A passage of the text as printed around the matches.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// Facet counts over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By part.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub part: BTreeMap<Part, usize>,
    /// By section.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub section: BTreeMap<SectionId, usize>,
    /// By year.
    pub year: BTreeMap<u16, usize>,
    /// By kind.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub kind: BTreeMap<ProvisionKind, usize>,
    /// By topic id.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub topic: BTreeMap<TopicId, usize>,
}

/// A search response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The query as given.
    pub query: String,
    /// When the query was a citation: what it resolved to (written as its
    /// id, `A.2.55` or `B.4`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_id")]
    pub citation: Option<Target>,
    /// Number of matching provisions.
    pub total: usize,
    /// How many match every clause.
    pub complete: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facets (empty unless requested).
    pub facets: Facets,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is malformed.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

fn as_id<S: serde::Serializer>(target: &Option<Target>, s: S) -> Result<S::Ok, S::Error> {
    match target {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}
