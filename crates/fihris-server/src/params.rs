//! The query parameters of a search (`q`, `limit`, `offset`, `sort`,
//! `mode`), shared by the JSON API and the pages, and the search they ask
//! for: hybrid by default once the model is loaded, by words before (or
//! without) it, saying so.

use std::collections::HashMap;

use std::sync::Arc;

use fihris_meaning::Error as MeaningError;
use fihris_search::{Mode, Notice, Request, SearchError, Sort};
use fihris_view::SearchView;

use crate::error::Error;
use crate::state::{App, Model};

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
    /// The mode asked for; `None`: hybrid when the model is loaded.
    pub mode: Option<Mode>,
    /// Whether a query that does not parse is repaired (an unclosed quote
    /// closed, a lone operator left out) and searched, with a notice; the
    /// pages do, the API when asked (`repair=true`).
    pub repair: bool,
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
        let mode = match params.get("mode") {
            None => None,
            Some(m) => Some(
                m.parse::<Mode>()
                    .map_err(|e| Error::bad(e, "الوضع إما hybrid أو lexical أو semantic"))?,
            ),
        };
        let repair = match params.get("repair").map(String::as_str) {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => {
                return Err(Error::bad(
                    format!("repair must be true or false, not {other:?}"),
                    "قيمة repair إما true أو false",
                ));
            }
        };
        Ok(SearchParams {
            mode,
            repair,
            q: q.clone(),
            limit: number(params, "limit", 10, MAX_LIMIT)?.max(1),
            offset: number(params, "offset", 0, MAX_OFFSET)?,
            sort,
        })
    }

    /// Runs the search, with facets, on a thread that may block (the
    /// query's embedding takes a tenth of a second of CPU).
    pub async fn run(self, app: Arc<App>) -> Result<SearchView, Error> {
        tokio::task::spawn_blocking(move || self.run_here(&app))
            .await
            .map_err(|e| Error::internal(e.to_string(), "تعذّر تنفيذ البحث"))?
    }

    /// Runs the search on this thread.
    fn run_here(&self, app: &App) -> Result<SearchView, Error> {
        let repaired = if self.repair {
            fihris_search::query::repair(&self.q)
        } else {
            None
        };
        let mut view = self.search(app, repaired.as_ref().map_or(&self.q, |(q, _)| q))?;
        if let Some((q, done)) = &repaired {
            view.notices.insert(0, Notice::repaired(q, done));
        }
        Ok(view)
    }

    /// Searches for `query` with these parameters.
    fn search(&self, app: &App, query: &str) -> Result<SearchView, Error> {
        let req = Request {
            query,
            limit: self.limit,
            offset: self.offset,
            sort: self.sort,
            facets: true,
        };
        // Why meaning search could not serve this query, when it was
        // wanted (asked for, or expected once the model is loaded).
        let unavailable = match (app.model(), self.mode) {
            (Model::Ready(engine), mode) => {
                match engine.search(&app.index, &app.corpus, &req, mode.unwrap_or_default()) {
                    Ok((r, topics)) => {
                        let near = topics.into_iter().map(|t| (t.id, t.score));
                        return Ok(SearchView::of(r).with_topics(&app.corpus, near));
                    }
                    Err(MeaningError::Search(e)) => return Err(search_error(e)),
                    Err(e) => Some(e.to_string()),
                }
            }
            (_, Some(Mode::Lexical)) | (Model::Off, None) => None,
            (_, _) => {
                let s = app.model_status();
                Some(format!("model {}: {}", s.state, s.detail))
            }
        };
        let mut r = app
            .index
            .search(Some(&app.corpus), &req)
            .map_err(search_error)?;
        r.notices
            .extend(unavailable.map(|why| Notice::no_model(&why)));
        Ok(SearchView::of(r))
    }
}

/// A search error as an HTTP error: a malformed query is the asker's.
fn search_error(e: SearchError) -> Error {
    match e {
        SearchError::Query(q) => Error::bad(q.message, q.message_ar),
        other => Error::internal(other.to_string(), "خطأ في فهرس البحث"),
    }
}
