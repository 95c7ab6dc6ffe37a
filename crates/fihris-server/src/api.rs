//! The JSON API under `/api/v1`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::{Extension, Json, Router};
use fihris_model::cite::{Target, resolve};
use fihris_model::{
    Corpus, CrossRef, Finding, Footnote, ProvisionId, SectionId, Topic, XrefTarget,
};
use fihris_search::{Request, SearchError, Sort};
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bodies::{
    CitationBody, CiteBody, ErrorBody, ErrorDetail, FootnoteText, HitBody, InstrumentCitation,
    ProvisionBody, ReportCitation, SearchBody, SectionBody, SectionBrief, SectionSummary,
    TopicBrief, TopicSummary,
};
use crate::{App, Error};

type Params = Query<HashMap<String, String>>;

/// The OpenAPI document's frame; the paths are added from the handlers'
/// own annotations as they are routed, so the two cannot drift apart.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "fihris API",
        description = "The UNODC Trafficking in Persons Compendium and Thematic Index (Arabic edition, 2021) as data: provisions with stable ids and citations, the thematic index, Arabic search. Errors are JSON with a message in English and in Arabic.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(ErrorBody, ErrorDetail, SearchBody, HitBody)),
    tags((name = "search"), (name = "record"), (name = "index"))
)]
struct ApiDoc;

/// Routes of the API and its OpenAPI 3.1 document, built together.
pub fn routes() -> (Router<Arc<App>>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search))
        .routes(routes!(provision))
        .routes(routes!(cite))
        .routes(routes!(sections))
        .routes(routes!(section))
        .routes(routes!(topics))
        .routes(routes!(topic))
        .routes(routes!(footnotes))
        .routes(routes!(findings))
        .routes(routes!(export))
        .routes(routes!(openapi))
        .split_for_parts()
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

/// Searches the provisions.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = String, Query, description = "The query: words (all required), \"phrase\", -word, OR, prefix*, filters meeting:/اجتماع:, session:/دورة:, year:/سنة:, part:/جزء:, kind:/نوع:, topic:/موضوع:, section:/قسم:; or a citation such as II-55. At most 500 characters."),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1 to 100 (default 10)."),
        ("offset" = Option<usize>, Query, description = "Hits to skip, 0 to 10000 (default 0)."),
        ("sort" = Option<String>, Query, description = "`relevance` (default) or `date`."),
    ),
    responses(
        (status = 200, description = "A page of hits with facets", body = SearchBody),
        (status = 400, description = "Malformed query or parameter", body = ErrorBody),
    )
)]
async fn search(
    State(app): State<Arc<App>>,
    Query(params): Params,
) -> Result<Json<SearchBody>, Error> {
    let r = run_search(&app, &params)?;
    let hits = r
        .hits
        .into_iter()
        .map(|h| {
            let id: Option<ProvisionId> = h.id.parse().ok();
            HitBody {
                citation_ar: id.as_ref().map(ProvisionId::cite_ar),
                citation_en: id.as_ref().map(ProvisionId::cite_en),
                id: h.id,
                score: h.score,
                complete: h.complete,
                snippet: h.snippet,
                highlights: h.highlights,
            }
        })
        .collect();
    Ok(Json(SearchBody {
        query: r.query,
        citation: r.citation,
        total: r.total,
        complete: r.complete,
        hits,
        facets: r.facets,
    }))
}

fn parse_id(raw: &str) -> Result<ProvisionId, Error> {
    raw.parse::<ProvisionId>()
        .map_err(|e| Error::bad(e.to_string(), format!("معرّف غير صالح: {raw}")))
}

/// Everything about one provision.
pub fn provision_body(corpus: &Corpus, id: &ProvisionId) -> Option<ProvisionBody> {
    let p = corpus.provision(id)?;
    let index = corpus.provisions.iter().position(|q| &q.id == id);
    let neighbour = |k: Option<usize>| {
        k.and_then(|k| corpus.provisions.get(k))
            .map(|q| q.id.clone())
    };
    let xrefs = |keep: &dyn Fn(&CrossRef) -> bool| {
        corpus.xrefs.iter().filter(|x| keep(x)).cloned().collect()
    };
    Some(ProvisionBody {
        provision: p.clone(),
        citation: CitationBody {
            ar: id.cite_ar(),
            en: id.cite_en(),
            report: corpus
                .report_citation(id)
                .map(|(symbol, paragraph)| ReportCitation { symbol, paragraph }),
            instrument: corpus
                .instrument_citation(id)
                .map(|(en, ar)| InstrumentCitation { en, ar }),
        },
        section: corpus.section(id.section).map(|s| SectionBrief {
            id: s.id,
            heading: s.heading.clone(),
            symbol: s.symbol.clone(),
        }),
        topics: corpus
            .topics_of(id)
            .map(|t| TopicBrief {
                id: t.id.clone(),
                label: t.label.clone(),
                path: t.path.clone(),
            })
            .collect(),
        cross_references: xrefs(&|x| &x.from == id),
        cited_by: xrefs(&|x| matches!(&x.target, XrefTarget::Provision { id: t } if t == id)),
        footnotes: p
            .footnotes
            .iter()
            .map(|n| FootnoteText {
                number: *n,
                text: corpus.footnote(*n).map(|f| f.text.clone()),
            })
            .collect(),
        children: corpus.children(id).map(|c| c.id.clone()).collect(),
        previous: neighbour(index.and_then(|k| k.checked_sub(1))),
        next: neighbour(index.map(|k| k + 1)),
    })
}

/// One provision: text, citations (Arabic, English, source report or
/// instrument), section, topics, cross-references both ways, footnotes,
/// children, previous and next.
#[utoipa::path(get, path = "/api/v1/provisions/{id}", tag = "record",
    params(("id" = String, Path, description = "Provision id, e.g. `A.2.55`, `A.4.46.b`, `B.5.pp11`")),
    responses(
        (status = 200, description = "The provision", body = ProvisionBody),
        (status = 400, description = "Not a provision id", body = ErrorBody),
        (status = 404, description = "No such provision", body = ErrorBody),
    )
)]
async fn provision(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<ProvisionBody>, Error> {
    let id = parse_id(&raw)?;
    provision_body(&app.corpus, &id).map(Json).ok_or_else(|| {
        Error::not_found(
            format!("no provision {id}"),
            format!("لا يوجد حكم بالمعرّف {id}"),
        )
    })
}

/// Resolves a citation as people write it (`II-55`, «ثانياً-55»,
/// `CTOC/COP/WG.4/2010/6 62`, `decision 4/4`, …) to a provision or section.
#[utoipa::path(get, path = "/api/v1/cite", tag = "record",
    params(("q" = String, Query, description = "The citation")),
    responses(
        (status = 200, description = "The target and its citations", body = CiteBody),
        (status = 400, description = "Missing q", body = ErrorBody),
        (status = 404, description = "Nothing matches; the message names the nearest ids", body = ErrorBody),
    )
)]
async fn cite(State(app): State<Arc<App>>, Query(params): Params) -> Result<Json<CiteBody>, Error> {
    let q = params
        .get("q")
        .ok_or_else(|| Error::bad("missing q: the citation", "المرجع q مفقود"))?;
    match resolve(&app.corpus, q) {
        Ok(target) => {
            let (ar, en) = match &target {
                Target::Provision(p) => (p.cite_ar(), p.cite_en()),
                Target::Section(s) => (s.cite_ar(), s.cite_en()),
            };
            Ok(Json(CiteBody {
                input: q.clone(),
                target,
                citation_ar: ar,
                citation_en: en,
            }))
        }
        Err(e) => Err(Error::not_found(
            format!("{}; nearest: {}", e.reason, e.candidates.join(", ")),
            "لم يُعثر على المرجع",
        )),
    }
}

/// The meetings (Part A) and sessions (Part B), with provision counts.
#[utoipa::path(get, path = "/api/v1/sections", tag = "record",
    responses((status = 200, description = "Every section", body = [SectionSummary]))
)]
async fn sections(State(app): State<Arc<App>>) -> Json<Vec<SectionSummary>> {
    let list = app
        .corpus
        .sections
        .iter()
        .map(|s| SectionSummary {
            section: s.clone(),
            provisions: app.corpus.provisions_in(s.id).count(),
        })
        .collect();
    Json(list)
}

/// One meeting or session with its provisions.
#[utoipa::path(get, path = "/api/v1/sections/{id}", tag = "record",
    params(("id" = String, Path, description = "Section id, e.g. `A.4`, `B.5`")),
    responses(
        (status = 200, description = "The section and its provisions", body = SectionBody),
        (status = 400, description = "Not a section id", body = ErrorBody),
        (status = 404, description = "No such section", body = ErrorBody),
    )
)]
async fn section(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<SectionBody>, Error> {
    let id: SectionId = raw.parse().map_err(|e: fihris_model::IdError| {
        Error::bad(e.to_string(), format!("معرّف قسم غير صالح: {raw}"))
    })?;
    let s = app.corpus.section(id).ok_or_else(|| {
        Error::not_found(format!("no section {id}"), format!("لا يوجد القسم {id}"))
    })?;
    Ok(Json(SectionBody {
        section: s.clone(),
        provisions: app.corpus.provisions_in(id).cloned().collect(),
    }))
}

/// The thematic index's topics (label, path, number of provisions).
#[utoipa::path(get, path = "/api/v1/topics", tag = "index",
    responses((status = 200, description = "Every topic", body = [TopicSummary]))
)]
async fn topics(State(app): State<Arc<App>>) -> Json<Vec<TopicSummary>> {
    let list = app
        .corpus
        .topics
        .iter()
        .map(|t| TopicSummary {
            id: t.id.clone(),
            label: t.label.clone(),
            path: t.path.clone(),
            unlabelled: t.unlabelled,
            provisions: t.provisions.len(),
        })
        .collect();
    Json(list)
}

/// One topic with its rows and the provisions filed under it.
#[utoipa::path(get, path = "/api/v1/topics/{id}", tag = "index",
    params(("id" = String, Path, description = "Topic id, e.g. `tknwlwjya`")),
    responses(
        (status = 200, description = "The topic", body = Topic),
        (status = 404, description = "No such topic", body = ErrorBody),
    )
)]
async fn topic(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Json<Topic>, Error> {
    let t = app
        .corpus
        .topics
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::not_found(format!("no topic {id:?}"), "لا يوجد موضوع بهذا المعرّف"))?;
    Ok(Json(t.clone()))
}

/// The footnotes with their texts.
#[utoipa::path(get, path = "/api/v1/footnotes", tag = "record",
    responses((status = 200, description = "Every footnote", body = [Footnote]))
)]
async fn footnotes(State(app): State<Arc<App>>) -> Json<Vec<Footnote>> {
    Json(app.corpus.footnotes.clone())
}

/// What the parser and the index checker found in the source (with lines).
#[utoipa::path(get, path = "/api/v1/findings", tag = "index",
    responses((status = 200, description = "Every finding", body = [Finding]))
)]
async fn findings(State(app): State<Arc<App>>) -> Json<Vec<Finding>> {
    Json(app.corpus.findings.clone())
}

/// The whole record, as `fihris export --format json` writes it.
#[utoipa::path(get, path = "/api/v1/export", tag = "record",
    responses((status = 200, description = "The record", body = Corpus))
)]
async fn export(State(app): State<Arc<App>>) -> axum::response::Response {
    // Serialized from the shared record, not from a copy of it.
    Json(&app.corpus).into_response()
}

/// This document: the API in OpenAPI 3.1.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "record",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
async fn openapi(Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>) -> Json<Value> {
    Json(serde_json::to_value(&*doc).unwrap_or_else(|e| json!({ "error": e.to_string() })))
}

/// The API's routes, serving their own OpenAPI document.
pub fn router() -> Router<Arc<App>> {
    let (routes, doc) = routes();
    routes.layer(Extension(Arc::new(doc)))
}
