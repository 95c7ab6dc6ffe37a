//! The query parameters of a search (`q`, `limit`, `offset`, `sort`),
//! shared by the JSON API and the pages, and the search they ask for.

use std::collections::HashMap;

use fihris_search::{Request, SearchError, Sort};
use fihris_view::SearchView;

use crate::error::Error;
use crate::state::App;

/// Largest page of hits.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset.
pub const MAX_OFFSET: usize = 10_000;

/// A whole number parameter from 0 to `max`, `default` when absent.
fn number(
    params: &HashMap<String, String>,
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, Error> {
    match params.get(key) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                Error::bad(
                    format!("{key} must be a whole number from 0 to {max}, not {v:?}"),
                    format!("يجب أن تكون قيمة {key} عدداً صحيحاً من 0 إلى {max}"),
                )
            }),
    }
}

/// A search as asked for by its parameters.
#[derive(Debug, Clone)]
pub struct SearchParams {
    /// The query.
    pub q: String,
    /// Hits per page, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
}

impl SearchParams {
    /// Reads `q`, `limit` (default 10), `offset` and `sort`.
    pub fn read(params: &HashMap<String, String>) -> Result<SearchParams, Error> {
        let q = params
            .get("q")
            .ok_or_else(|| Error::bad("missing q: the query", "الاستعلام q مفقود"))?;
        let sort = match params.get("sort").map(String::as_str) {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(other) => {
                return Err(Error::bad(
                    format!("sort must be relevance or date, not {other:?}"),
                    "الترتيب إما relevance أو date",
                ));
            }
        };
        Ok(SearchParams {
            q: q.clone(),
            limit: number(params, "limit", 10, MAX_LIMIT)?.max(1),
            offset: number(params, "offset", 0, MAX_OFFSET)?,
            sort,
        })
    }

    /// Runs the search, with facets.
    pub fn run(&self, app: &App) -> Result<SearchView, Error> {
        let req = Request {
            query: &self.q,
            limit: self.limit,
            offset: self.offset,
            sort: self.sort,
            facets: true,
        };
        app.index
            .search(Some(&app.corpus), &req)
            .map(SearchView::of)
            .map_err(|e| match e {
                SearchError::Query(q) => Error::bad(q.message, q.message_ar),
                other => Error::internal(other.to_string(), "خطأ في فهرس البحث"),
            })
    }
}
