//! The JSON API under `/api/v1`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use fihris_model::cite::{Target, resolve};
use fihris_model::{Corpus, ProvisionId, SectionId, XrefTarget};
use fihris_search::{Request, SearchError, Sort};
use serde_json::{Value, json};

use crate::{App, Error};

type Params = Query<HashMap<String, String>>;

/// Routes of the API.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/provisions/{id}", get(provision))
        .route("/api/v1/cite", get(cite))
        .route("/api/v1/sections", get(sections))
        .route("/api/v1/sections/{id}", get(section))
        .route("/api/v1/topics", get(topics))
        .route("/api/v1/topics/{id}", get(topic))
        .route("/api/v1/footnotes", get(footnotes))
        .route("/api/v1/findings", get(findings))
        .route("/api/v1/export", get(export))
}

/// Largest page of hits.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset.
pub const MAX_OFFSET: usize = 10_000;

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

/// Runs a search from query parameters: `q`, `limit`, `offset`, `sort`.
pub fn run_search(
    app: &App,
    params: &HashMap<String, String>,
) -> Result<fihris_search::Response, Error> {
    let q = params
        .get("q")
        .map(String::as_str)
        .ok_or_else(|| Error::bad("missing q: the query", "الاستعلام q مفقود"))?;
    let limit = number(params, "limit", 10, MAX_LIMIT)?.max(1);
    let offset = number(params, "offset", 0, MAX_OFFSET)?;
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
    let req = Request {
        query: q,
        limit,
        offset,
        sort,
        facets: true,
    };
    app.index
        .search(Some(&app.corpus), &req)
        .map_err(|e| match e {
            SearchError::Query(q) => Error::bad(q.message, q.message_ar),
            other => Error {
                status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                message: other.to_string(),
                message_ar: "خطأ في فهرس البحث".into(),
            },
        })
}

async fn search(State(app): State<Arc<App>>, Query(params): Params) -> Result<Json<Value>, Error> {
    let r = run_search(&app, &params)?;
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            let id: Option<ProvisionId> = h.id.parse().ok();
            json!({
                "id": h.id, "score": h.score, "complete": h.complete,
                "citation_ar": id.as_ref().map(ProvisionId::cite_ar),
                "citation_en": id.as_ref().map(ProvisionId::cite_en),
                "snippet": h.snippet, "highlights": h.highlights,
            })
        })
        .collect();
    Ok(Json(json!({
        "query": r.query, "citation": r.citation, "total": r.total, "complete": r.complete,
        "hits": hits, "facets": r.facets,
    })))
}

fn parse_id(raw: &str) -> Result<ProvisionId, Error> {
    raw.parse::<ProvisionId>()
        .map_err(|e| Error::bad(e.to_string(), format!("معرّف غير صالح: {raw}")))
}

/// Everything about one provision.
pub fn provision_json(corpus: &Corpus, id: &ProvisionId) -> Option<Value> {
    let p = corpus.provision(id)?;
    let report = corpus
        .report_citation(id)
        .map(|(symbol, para)| json!({ "symbol": symbol, "paragraph": para }));
    let instrument = corpus
        .instrument_citation(id)
        .map(|(en, ar)| json!({ "en": en, "ar": ar }));
    let index = corpus.provisions.iter().position(|q| &q.id == id);
    let neighbour = |k: Option<usize>| {
        k.and_then(|k| corpus.provisions.get(k))
            .map(|q| q.id.to_string())
    };
    Some(json!({
        "provision": p,
        "citation": { "ar": id.cite_ar(), "en": id.cite_en(), "report": report, "instrument": instrument },
        "section": corpus.section(id.section).map(|s| json!({ "id": s.id, "heading": s.heading, "symbol": s.symbol })),
        "topics": corpus.topics_of(id).map(|t| json!({ "id": t.id, "label": t.label, "path": t.path })).collect::<Vec<_>>(),
        "cross_references": corpus.xrefs.iter().filter(|x| &x.from == id).collect::<Vec<_>>(),
        "cited_by": corpus.xrefs.iter().filter(|x| matches!(&x.target, XrefTarget::Provision { id: t } if t == id)).collect::<Vec<_>>(),
        "footnotes": p.footnotes.iter().map(|n| json!({ "number": n, "text": corpus.footnote(*n).map(|f| f.text.clone()) })).collect::<Vec<_>>(),
        "children": corpus.children(id).map(|c| c.id.to_string()).collect::<Vec<_>>(),
        "previous": neighbour(index.and_then(|k| k.checked_sub(1))),
        "next": neighbour(index.map(|k| k + 1)),
    }))
}

async fn provision(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&raw)?;
    provision_json(&app.corpus, &id).map(Json).ok_or_else(|| {
        Error::not_found(
            format!("no provision {id}"),
            format!("لا يوجد حكم بالمعرّف {id}"),
        )
    })
}

async fn cite(State(app): State<Arc<App>>, Query(params): Params) -> Result<Json<Value>, Error> {
    let q = params
        .get("q")
        .ok_or_else(|| Error::bad("missing q: the citation", "المرجع q مفقود"))?;
    match resolve(&app.corpus, q) {
        Ok(target) => {
            let (ar, en) = match &target {
                Target::Provision(p) => (p.cite_ar(), p.cite_en()),
                Target::Section(s) => (s.cite_ar(), s.cite_en()),
            };
            Ok(Json(
                json!({ "input": q, "target": target, "citation_ar": ar, "citation_en": en }),
            ))
        }
        Err(e) => Err(Error::not_found(
            format!("{}; nearest: {}", e.reason, e.candidates.join(", ")),
            "لم يُعثر على المرجع",
        )),
    }
}

async fn sections(State(app): State<Arc<App>>) -> Json<Value> {
    let list: Vec<Value> = app
        .corpus
        .sections
        .iter()
        .map(|s| json!({ "section": s, "provisions": app.corpus.provisions_in(s.id).count() }))
        .collect();
    Json(json!(list))
}

async fn section(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, Error> {
    let id: SectionId = raw.parse().map_err(|e: fihris_model::IdError| {
        Error::bad(e.to_string(), format!("معرّف قسم غير صالح: {raw}"))
    })?;
    let s = app.corpus.section(id).ok_or_else(|| {
        Error::not_found(format!("no section {id}"), format!("لا يوجد القسم {id}"))
    })?;
    let provisions: Vec<_> = app.corpus.provisions_in(id).collect();
    Ok(Json(json!({ "section": s, "provisions": provisions })))
}

async fn topics(State(app): State<Arc<App>>) -> Json<Value> {
    let list: Vec<Value> = app
        .corpus
        .topics
        .iter()
        .map(|t| json!({ "id": t.id, "label": t.label, "path": t.path, "unlabelled": t.unlabelled, "provisions": t.provisions.len() }))
        .collect();
    Json(json!(list))
}

async fn topic(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Json<Value>, Error> {
    let t = app
        .corpus
        .topics
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::not_found(format!("no topic {id:?}"), "لا يوجد موضوع بهذا المعرّف"))?;
    Ok(Json(json!(t)))
}

async fn footnotes(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.corpus.footnotes))
}

async fn findings(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.corpus.findings))
}

async fn export(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.corpus))
}
