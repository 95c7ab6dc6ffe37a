//! The JSON API under `/api/v1`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::{Extension, Json, Router};
use fihris_edit::EditionDiff;
use fihris_model::cite::{Target, resolve};
use fihris_model::{Corpus, Finding, Footnote, ProvisionId, SectionId, Topic};
use fihris_view::{
    DraftView, EditionBrief, FoundTopic, HitView, MandateChain, PhrasesView, ProvisionView,
    SearchView, SectionSummary, SectionView, SimilarView, SuggestView, TopicSummary, find_topic,
    section_summaries, topic_summaries,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, ErrorBody, ErrorDetail};
use crate::params::SearchParams;
use crate::state::{App, ModelStatus, Served};

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
    components(schemas(ErrorBody, ErrorDetail, SearchView, HitView)),
    tags((name = "search"), (name = "record"), (name = "index"), (name = "editorial")),
    modifiers(&KeyScheme)
)]
struct ApiDoc;

/// The write API's key: `Authorization: Bearer fihris_…`.
struct KeyScheme;

impl utoipa::Modify for KeyScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "key",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("An API key made with `fihris keys create --role R`"))
                        .build(),
                ),
            );
    }
}

/// Routes of the API and its OpenAPI 3.1 document, built together.
pub fn routes() -> (Router<Served>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search))
        .routes(routes!(provision))
        .routes(routes!(similar))
        .routes(routes!(draft))
        .routes(routes!(phrases))
        .routes(routes!(cite))
        .routes(routes!(sections))
        .routes(routes!(section))
        .routes(routes!(mandate))
        .routes(routes!(editions))
        .routes(routes!(edition_diff))
        .routes(routes!(topics))
        .routes(routes!(topic))
        .routes(routes!(suggest_topics))
        .routes(routes!(footnotes))
        .routes(routes!(findings))
        .routes(routes!(export))
        .routes(routes!(akn))
        .routes(routes!(openapi))
        .routes(routes!(health))
        .split_for_parts()
}

/// Searches the provisions.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = String, Query, min_length = 1, description = "The query: words (all required), \"phrase\", -word, OR, prefix*, filters meeting:/اجتماع:, session:/دورة:, year:/سنة:, part:/جزء:, kind:/نوع:, topic:/موضوع:, section:/قسم:; or a citation such as II-55; or words in any language, searched by meaning once the model is loaded. At most 500 characters for the query language, 10,000 for meaning search."),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1 to 100 (default 10)."),
        ("offset" = Option<usize>, Query, description = "Hits to skip, 0 to 10000 (default 0)."),
        ("sort" = Option<String>, Query, pattern = r"^(relevance|date)$", description = "`relevance` (default) or `date`."),
        ("mode" = Option<String>, Query, pattern = r"^(hybrid|lexical|semantic)$", description = "`hybrid` (words and meaning fused: the default once the model is loaded), `lexical` (words only: the default before) or `semantic` (meaning only). Without the model, words only, with a notice. A query of up to 10,000 characters is searched by meaning only (the model reads its first 256 tokens, and a notice says so)."),
        ("repair" = Option<bool>, Query, description = "`true`: a query that does not parse (an unclosed quotation mark, a lone `*`, a dangling `-` or `OR`) is repaired and searched, with a `repaired` notice saying how, instead of a 400. Default `false` (the pages repair)."),
    ),
    responses(
        (status = 200, description = "A page of hits with facets", body = SearchView),
        (status = 400, description = "Malformed query or parameter", body = ErrorBody),
    )
)]
async fn search(
    State(app): State<Arc<App>>,
    Query(params): Params,
) -> Result<Json<SearchView>, Error> {
    SearchParams::read(&params)?.run(app).await.map(Json)
}

fn parse_id(raw: &str) -> Result<ProvisionId, Error> {
    raw.parse::<ProvisionId>()
        .map_err(|e| Error::bad(e.to_string(), format!("معرّف غير صالح: {raw}")))
}

/// The 404 of an id the record does not have.
fn no_provision(id: &ProvisionId) -> Error {
    Error::not_found(
        format!("no provision {id}"),
        format!("لا يوجد حكم بالمعرّف {id}"),
    )
}

/// One provision: text, citations (Arabic, English, source report or
/// instrument), section, topics, cross-references both ways, footnotes,
/// children, previous and next.
#[utoipa::path(get, path = "/api/v1/provisions/{id}", tag = "record",
    params(("id" = String, Path, pattern = r"^[ABab]\.[1-9][0-9]{0,2}\.(pp[1-9][0-9]{0,3}|[1-9][0-9]{0,3}(\.[a-z](\.[1-9][0-9]{0,3})?)?|[a-z](\.[1-9][0-9]{0,3})?)$", description = "Provision id, e.g. `A.2.55`, `A.4.46.b`, `B.5.pp11`")),
    responses(
        (status = 200, description = "The provision", body = ProvisionView),
        (status = 400, description = "Not a provision id", body = ErrorBody),
        (status = 404, description = "No such provision", body = ErrorBody),
    )
)]
async fn provision(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<ProvisionView>, Error> {
    let id = parse_id(&raw)?;
    ProvisionView::of(&app.corpus, &id)
        .map(Json)
        .ok_or_else(|| no_provision(&id))
}

/// The provisions closest to one provision, by shared wording and (with
/// the provisions' stored vectors or the loaded model) by meaning, each with its citation, its scores and
/// a word-level comparison with it (shared runs marked on both sides).
#[utoipa::path(get, path = "/api/v1/provisions/{id}/similar", tag = "agreed language",
    params(
        ("id" = String, Path, pattern = r"^[ABab]\.[1-9][0-9]{0,2}\.(pp[1-9][0-9]{0,3}|[1-9][0-9]{0,3}(\.[a-z](\.[1-9][0-9]{0,3})?)?|[a-z](\.[1-9][0-9]{0,3})?)$", description = "Provision id, e.g. `A.2.55`"),
        ("k" = Option<usize>, Query, minimum = 1, maximum = 20, description = "How many (1–20; 5 if absent)"),
    ),
    responses(
        (status = 200, description = "The closest provisions", body = SimilarView),
        (status = 400, description = "Not a provision id, or k out of range", body = ErrorBody),
        (status = 404, description = "No such provision", body = ErrorBody),
    )
)]
async fn similar(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
    Query(params): Params,
) -> Result<Json<SimilarView>, Error> {
    let id = parse_id(&raw)?;
    let k = match params.get("k") {
        None => 5,
        Some(raw) => match raw.parse::<usize>() {
            Ok(k) if (1..=20).contains(&k) => k,
            _ => {
                return Err(Error::bad(
                    format!("k must be a whole number from 1 to 20, not {raw:?}"),
                    format!("يجب أن يكون k عدداً صحيحاً من 1 إلى 20، لا «{raw}»"),
                ));
            }
        },
    };
    let vectors = app.provision_vectors();
    SimilarView::of(
        &app.corpus,
        &app.wording,
        vectors.as_ref().map(|v| v.index()),
        &id,
        k,
    )
    .map(Json)
    .ok_or_else(|| no_provision(&id))
}

/// A body that is not the JSON asked for, in both languages (a 413 if it
/// is too long).
pub(crate) fn json_error(e: &JsonRejection) -> Error {
    let (en, ar) = (
        format!(
            "the body must be JSON such as {{\"text\": \"…\"}}: {}",
            e.body_text()
        ),
        "يجب أن يكون الطلب JSON مثل {\"text\": \"…\"}".to_owned(),
    );
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::too_large(en, ar)
    } else {
        Error::bad(en, ar)
    }
}

/// The `k` asked for in a body: `default` if absent, else from 1 to `max`.
fn k_of(asked: Option<usize>, default: usize, max: usize) -> Result<usize, Error> {
    match asked {
        None => Ok(default),
        Some(k) if (1..=max).contains(&k) => Ok(k),
        Some(k) => Err(Error::bad(
            format!("k must be a whole number from 1 to {max}, not {k}"),
            format!("يجب أن يكون k عدداً صحيحاً من 1 إلى {max}، لا {k}"),
        )),
    }
}

/// A draft to check.
#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    /// The draft: a paragraph or a whole text, in any UN language, at
    /// most 8 KiB of UTF-8.
    #[schema(min_length = 1)]
    pub text: String,
    /// Closest provisions per clause (1–10; 3 if absent).
    #[schema(minimum = 1, maximum = 10)]
    pub k: Option<usize>,
}

/// Checks a draft against agreed language: cut into clauses (sentences,
/// lines), each with its closest provisions (by the wording it contains
/// and, once the model is loaded, by meaning) and, for an Arabic draft, a
/// word-level comparison with the closest sharing most wording and the
/// verbatim coverage of the whole. The draft is not stored.
#[utoipa::path(post, path = "/api/v1/draft", tag = "agreed language",
    request_body = DraftRequest,
    responses(
        (status = 200, description = "The draft, clause by clause", body = DraftView),
        (status = 400, description = "Empty draft, no words, k out of range, or not JSON", body = ErrorBody),
        (status = 413, description = "More than 8 KiB", body = ErrorBody),
    )
)]
async fn draft(
    State(app): State<Arc<App>>,
    body: Result<Json<DraftRequest>, JsonRejection>,
) -> Result<Json<DraftView>, Error> {
    let Json(req) = body.map_err(|e| json_error(&e))?;
    let k = k_of(req.k, crate::draft::DEFAULT_K, crate::draft::MAX_K)?;
    crate::draft::check(app, req.text, k).await.map(Json)
}

/// Formulations reused from one meeting or session to another (at least
/// eight words in common, exactly or with small changes), each with where
/// it first appeared and every later reuse compared word by word with it;
/// the most widely reused first.
#[utoipa::path(get, path = "/api/v1/phrases", tag = "agreed language",
    params(("provision" = Option<String>, Query, pattern = r"^[ABab]\.[1-9][0-9]{0,2}\.(pp[1-9][0-9]{0,3}|[1-9][0-9]{0,3}(\.[a-z](\.[1-9][0-9]{0,3})?)?|[a-z](\.[1-9][0-9]{0,3})?)$", description = "Only the formulations this provision has, first or reused (e.g. `A.8.1.c`)")),
    responses(
        (status = 200, description = "The formulations", body = PhrasesView),
        (status = 400, description = "Not a provision id", body = ErrorBody),
        (status = 404, description = "No such provision", body = ErrorBody),
    )
)]
async fn phrases(
    State(app): State<Arc<App>>,
    Query(params): Params,
) -> Result<Json<PhrasesView>, Error> {
    let id = match params.get("provision") {
        Some(raw) => {
            let id = parse_id(raw)?;
            if app.corpus.provision(&id).is_none() {
                return Err(no_provision(&id));
            }
            Some(id)
        }
        None => None,
    };
    Ok(Json(PhrasesView::of(
        &app.corpus,
        &app.phrases,
        id.as_ref(),
    )))
}

/// Resolves a citation as people write it (`II-55`, «ثانياً-55»,
/// `CTOC/COP/WG.4/2010/6 62`, `decision 4/4`, …) to a provision or section.
#[utoipa::path(get, path = "/api/v1/cite", tag = "record",
    params(("q" = String, Query, description = "The citation", example = "II-55")),
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
    Json(section_summaries(&app.corpus))
}

/// One meeting or session with its provisions.
#[utoipa::path(get, path = "/api/v1/sections/{id}", tag = "record",
    params(("id" = String, Path, pattern = r"^[ABab]\.[1-9][0-9]{0,2}$", description = "Section id, e.g. `A.4`, `B.5`")),
    responses(
        (status = 200, description = "The section and its provisions", body = SectionView),
        (status = 400, description = "Not a section id", body = ErrorBody),
        (status = 404, description = "No such section", body = ErrorBody),
    )
)]
async fn section(
    State(app): State<Arc<App>>,
    Path(raw): Path<String>,
) -> Result<Json<SectionView>, Error> {
    let id: SectionId = raw.parse().map_err(|e: fihris_model::IdError| {
        Error::bad(e.to_string(), format!("معرّف قسم غير صالح: {raw}"))
    })?;
    SectionView::of(&app.corpus, id)
        .map(Json)
        .ok_or_else(|| Error::not_found(format!("no section {id}"), format!("لا يوجد القسم {id}")))
}

/// The Working Group's mandate chain: the decision that established it
/// and set its tasks, every meeting, and the Conference paragraphs that
/// welcomed each meeting's recommendations.
#[utoipa::path(get, path = "/api/v1/mandate", tag = "record",
    responses((status = 200, description = "The chain", body = MandateChain))
)]
async fn mandate(State(app): State<Arc<App>>) -> Json<MandateChain> {
    Json(MandateChain::of(&app.corpus))
}

/// The record's editions, oldest first (edition 2021 is the compendium as
/// published; later ones add the editors' changes).
#[utoipa::path(get, path = "/api/v1/editions", tag = "record",
    responses((status = 200, description = "The editions", body = [EditionBrief]))
)]
async fn editions(State(app): State<Arc<App>>) -> Json<Vec<EditionBrief>> {
    Json(app.editions.briefs())
}

/// What changed from one edition to another: provisions added, removed
/// and changed (the text before and after in runs, what both share
/// marked), filings made and taken off.
#[utoipa::path(get, path = "/api/v1/editions/{range}", tag = "record",
    params(("range" = String, Path, pattern = r"^[^/.]+\.\.\.[^/.]+$", description = "Two editions, `A...B`, e.g. `2021...2027`", example = "2021...2021")),
    responses(
        (status = 200, description = "The differences", body = EditionDiff),
        (status = 400, description = "Not `A...B`", body = ErrorBody),
        (status = 404, description = "No such edition", body = ErrorBody),
    )
)]
async fn edition_diff(
    State(app): State<Arc<App>>,
    Path(range): Path<String>,
) -> Result<Json<EditionDiff>, Error> {
    let (a, b) = range.split_once("...").ok_or_else(|| {
        Error::bad(
            format!("{range:?}: two editions are written A...B, e.g. 2021...2027"),
            "يُكتب النطاق بين نسختين هكذا: 2021...2027",
        )
    })?;
    app.editions.diff(a, b).map(Json).ok_or_else(|| {
        Error::not_found(format!("no edition {a:?} or {b:?}"), "لا توجد إحدى النسختين")
    })
}

/// The thematic index's topics (label, path, number of provisions).
#[utoipa::path(get, path = "/api/v1/topics", tag = "index",
    responses((status = 200, description = "Every topic", body = [TopicSummary]))
)]
async fn topics(State(app): State<Arc<App>>) -> Json<Vec<TopicSummary>> {
    Json(topic_summaries(&app.corpus))
}

/// One topic with its rows and the provisions filed under it. A former id
/// (the transliterated slugs of earlier releases) moves permanently to the
/// current one.
#[utoipa::path(get, path = "/api/v1/topics/{id}", tag = "index",
    params(("id" = String, Path, description = "Topic id, e.g. `victims.compensation`")),
    responses(
        (status = 200, description = "The topic", body = Topic),
        (status = 301, description = "A former id: the topic's current address is in `Location`"),
        (status = 404, description = "No such topic", body = ErrorBody),
    )
)]
async fn topic(State(app): State<Arc<App>>, Path(id): Path<String>) -> axum::response::Response {
    match find_topic(&app.corpus, &id) {
        Some(FoundTopic::Here(t)) => Json(t).into_response(),
        Some(FoundTopic::Moved(t)) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/api/v1/topics/{}", t.id))],
        )
            .into_response(),
        None => {
            Error::not_found(format!("no topic {id:?}"), "لا يوجد موضوع بهذا المعرّف").into_response()
        }
    }
}

/// A text whose topics are asked for.
#[derive(Deserialize, ToSchema)]
pub struct SuggestRequest {
    /// The text: a new provision, a paragraph of a draft (at most 8 KiB).
    #[schema(min_length = 1)]
    pub text: String,
    /// How many topics (1–20; 5 if absent).
    #[schema(minimum = 1, maximum = 20)]
    pub k: Option<usize>,
}

/// Topics of the thematic index suggested for a text, from how the
/// nearest filed provisions are filed (by meaning once the model is
/// loaded, by shared wording before), with how often this way of
/// suggesting was right on the record: P@1, P@3 and R@5 leave-one-meeting-
/// out (each meeting's filings predicted from the other meetings').
#[utoipa::path(post, path = "/api/v1/topics/suggest", tag = "index",
    request_body = SuggestRequest,
    responses(
        (status = 200, description = "The suggested topics", body = SuggestView),
        (status = 400, description = "No words, k out of range, or not JSON", body = ErrorBody),
        (status = 413, description = "More than 8 KiB", body = ErrorBody),
    )
)]
async fn suggest_topics(
    State(app): State<Arc<App>>,
    body: Result<Json<SuggestRequest>, JsonRejection>,
) -> Result<Json<SuggestView>, Error> {
    let Json(req) = body.map_err(|e| json_error(&e))?;
    let k = k_of(req.k, 5, 20)?;
    crate::suggest::suggest(app, req.text, k).await.map(Json)
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

/// One source document of the record as Akoma Ntoso 3.0 XML, as
/// `fihris export --format akn` writes it: a meeting's recommendations or
/// a decision or resolution of the Conference of the Parties.
#[utoipa::path(get, path = "/api/v1/akn/{symbol}", tag = "record",
    params(("symbol" = String, Path,
        description = "The document symbol, its `/` percent-encoded or written `_`",
        example = "CTOC_COP_2008_19")),
    responses(
        (status = 200, description = "The document (Akoma Ntoso 3.0)", content_type = "application/xml", body = String),
        (status = 404, description = "No source document of the record has this symbol", body = ErrorBody),
    )
)]
async fn akn(State(app): State<Arc<App>>, Path(symbol): Path<String>) -> axum::response::Response {
    let wanted = symbol.replace('_', "/");
    match fihris_publish::akn_document(&app.corpus, &wanted) {
        Some(doc) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/xml; charset=utf-8",
            )],
            doc.xml,
        )
            .into_response(),
        None => Error::not_found(
            format!("no source document {symbol}"),
            format!("لا وثيقة مصدر بالرمز {symbol}"),
        )
        .into_response(),
    }
}

/// Whether the server is up, and where meaning search stands.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: &'static str,
    /// The default search mode now: `hybrid` once the model is loaded,
    /// `lexical` before or without it.
    pub search: &'static str,
    /// The meaning model.
    pub model: ModelStatus,
    /// Provisions served.
    pub provisions: usize,
}

/// The server's health: up, with the default search mode and the state of
/// the meaning model (`off`, `loading`, `ready`, `failed`).
#[utoipa::path(get, path = "/api/v1/health", tag = "record",
    responses((status = 200, description = "Up", body = Health))
)]
async fn health(State(app): State<Arc<App>>) -> Json<Health> {
    let model = app.model_status();
    Json(Health {
        status: "ok",
        search: if app.engine().is_some() {
            "hybrid"
        } else {
            "lexical"
        },
        model,
        provisions: app.corpus.provisions.len(),
    })
}

/// This document: the API in OpenAPI 3.1.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "record",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
async fn openapi(Extension(doc): Extension<Arc<Value>>) -> Json<Value> {
    Json(Value::clone(&doc))
}

/// The document as served: JSON, its links spelled as OpenAPI reads them.
fn served_document(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_else(|e| json!({ "error": e.to_string() }));
    camel_case_links(&mut doc);
    doc
}

/// utoipa 5.5 writes the fields of a response's links in snake case
/// (`operation_id`: its `Link` lacks serde's camelCase renaming), which
/// OpenAPI tools do not read; they are renamed as the document is served.
fn camel_case_links(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let links = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|operations| operations.values_mut())
        .filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut))
        .flat_map(|responses| responses.values_mut())
        .filter_map(|r| r.get_mut("links").and_then(Value::as_object_mut))
        .flat_map(|links| links.values_mut())
        .filter_map(Value::as_object_mut);
    for link in links {
        for (snake, camel) in [
            ("operation_id", "operationId"),
            ("operation_ref", "operationRef"),
            ("request_body", "requestBody"),
        ] {
            if let Some(v) = link.remove(snake) {
                link.insert(camel.to_owned(), v);
            }
        }
    }
}

/// The API's routes, serving their own OpenAPI document with the paths of
/// `also` (the write API, routed apart for its body limit).
pub fn router(also: utoipa::openapi::OpenApi) -> Router<Served> {
    let (routes, mut doc) = routes();
    doc.merge(also);
    routes.layer(Extension(Arc::new(served_document(&doc))))
}

/// A citation resolved.
#[derive(Serialize, ToSchema)]
pub struct CiteBody {
    /// The citation as given.
    pub input: String,
    /// What it names.
    pub target: Target,
    /// Its Arabic citation.
    pub citation_ar: String,
    /// Its English citation.
    pub citation_en: String,
}
