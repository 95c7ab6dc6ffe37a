//! The HTTP write API: the draft read (`GET /api/v1/editorial/draft`,
//! with its tag as `ETag`), a change recorded, a meeting imported, the
//! draft published. Every write needs a key (`Authorization: Bearer …`;
//! none or unknown → 401, a role too low → 403) and the draft's tag
//! (`If-Match`; absent → 428, stale → 409), and is checked against the
//! draft's record before it is stored (refused → 400, nothing stored).
//! Stored writes are audited by the store; a publication is served by
//! every server on the store within a second (they watch it).

use std::sync::Arc;

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use fihris_edit::Change;
use fihris_editorial::{DraftState, Editor, WriteError};
use fihris_store::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::json_error;
use crate::error::{Error, ErrorBody};
use crate::state::Served;

/// The largest body the write API takes: a meeting file at its largest,
/// with room for JSON escapes.
pub const MAX_WRITE_BODY: usize = 4 * fihris_editorial::MAX_MEETING_BYTES;

/// The editorial path, if this server has a store.
#[derive(Clone)]
pub struct Writes(pub Option<Arc<Editor>>);

impl axum::extract::FromRef<Served> for Writes {
    fn from_ref(served: &Served) -> Writes {
        Writes(served.editor())
    }
}

/// The write API's routes with their OpenAPI paths (the editor page's
/// are `html::editor_routes`, routed beside them under the same limit).
pub fn routes() -> (Router<Served>, utoipa::openapi::OpenApi) {
    let (api, doc) = OpenApiRouter::new()
        .routes(routes!(draft))
        .routes(routes!(change))
        .routes(routes!(meeting))
        .routes(routes!(publish))
        .split_for_parts();
    (api, doc)
}

/// A change to record.
#[derive(Deserialize, ToSchema)]
pub struct ChangeRequest {
    /// The change (`{"kind": "correct-text", "id": …, "text": …}`, `file`,
    /// `unfile`, `add-topic`).
    pub change: Change,
    /// Why (required).
    pub reason: String,
}

/// A meeting file to import.
#[derive(Deserialize, ToSchema)]
pub struct MeetingRequest {
    /// Its name, for errors and the record.
    pub file: String,
    /// Its text, header included.
    pub text: String,
    /// Why (default: «meeting N imported from FILE»).
    pub reason: Option<String>,
}

/// A publication.
#[derive(Deserialize, ToSchema)]
pub struct PublishRequest {
    /// The new edition's name, e.g. `2027`.
    pub name: String,
}

/// What a write answers.
#[derive(Serialize, ToSchema)]
pub struct Written {
    /// The draft's tag after the write (also the `ETag` header).
    pub tag: String,
    /// What was written: the change's kind and target, or the edition.
    pub written: String,
    /// For an imported meeting: what the parser worked around, with the
    /// file's lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<fihris_model::Finding>,
}

pub(crate) fn no_store() -> Error {
    Error::unavailable(
        "this server has no editorial store",
        "لا مخزن تحريري لهذا الخادم",
    )
}

/// A write refused, as an error (status and both languages).
pub(crate) fn refusal(e: WriteError) -> Error {
    let (status, en, ar) = match e {
        WriteError::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            "a key is needed: Authorization: Bearer fihris_… (made with `fihris keys create`)"
                .into(),
            "يلزم مفتاح صالح (يُنشأ بالأمر fihris keys create)".into(),
        ),
        WriteError::Forbidden { role, needed } => (
            StatusCode::FORBIDDEN,
            format!(
                "a {} key may not do this: it needs {}",
                role.as_str(),
                needed.as_str()
            ),
            format!(
                "مفتاح «{}» لا يكفي: يلزم دور «{}»",
                role.arabic(),
                needed.arabic()
            ),
        ),
        WriteError::Stale { current } => (
            StatusCode::CONFLICT,
            format!(
                "the draft has changed since your tag (now \"{current}\"): reload it and apply the change again"
            ),
            "تغيّرت المسودة منذ آخر قراءة لها: أعد تحميلها ثم أعد التعديل".into(),
        ),
        WriteError::Refused(e) => (StatusCode::BAD_REQUEST, e.message, e.message_ar),
        WriteError::Failed(e) => {
            tracing::error!(error = %e, "editorial write failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the store failed: {e}"),
                "تعذّرت الكتابة في المخزن".into(),
            )
        }
    };
    Error {
        status,
        message: en,
        message_ar: ar,
    }
}

/// An error as the API answers it: JSON, and a 401 says how to
/// authenticate.
fn api_error(e: Error) -> Response {
    let unauthorized = e.status == StatusCode::UNAUTHORIZED;
    let mut r = e.into_response();
    if unauthorized {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"fihris\""),
        );
    }
    r
}

/// The key of `headers` (`Authorization: Bearer …`).
fn key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim().to_owned())
}

/// The tag of `If-Match`, quotes and a weak `W/` taken off.
fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_owned()
        })
        .filter(|v| !v.is_empty())
}

/// `"tag"` as a header value.
fn etag(tag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Runs a blocking editorial call off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WriteError> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| refusal(WriteError::Failed(anyhow::anyhow!("{e}"))))?
        .map_err(refusal)
}

/// The draft now, or why not.
pub(crate) async fn draft_state(editor: Option<Arc<Editor>>) -> Result<DraftState, Error> {
    let editor = editor.ok_or_else(no_store)?;
    blocking(move || editor.draft().map_err(WriteError::Failed)).await
}

/// The draft as it stands: its changes, what it changes from the latest
/// edition, the thematic index checked against its text, the provisions
/// it adds; its tag as `ETag`, to send back as `If-Match` with a write.
#[utoipa::path(get, path = "/api/v1/editorial/draft", tag = "editorial",
    responses(
        (status = 200, description = "The draft; its tag in the ETag header", body = DraftState,
            headers(("ETag" = String, description = "The draft's tag, to send back as If-Match")),
            links(
                ("change" = (operation_id = "change", parameters(("If-Match" = "$response.header.ETag")))),
                ("meeting" = (operation_id = "meeting", parameters(("If-Match" = "$response.header.ETag")))),
                ("publish" = (operation_id = "publish", parameters(("If-Match" = "$response.header.ETag")))),
            )),
        (status = 503, description = "This server has no editorial store", body = ErrorBody),
    )
)]
async fn draft(State(Writes(editor)): State<Writes>) -> Response {
    match draft_state(editor).await {
        Ok(state) => draft_response(state),
        Err(e) => api_error(e),
    }
}

fn draft_response(state: DraftState) -> Response {
    let tag = etag(&state.tag);
    let mut r = Json(state).into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

/// A write answered: 201 with the new tag.
fn written(tag: String, what: String, findings: Vec<fihris_model::Finding>) -> Response {
    let e = etag(&tag);
    let mut r = (
        StatusCode::CREATED,
        Json(Written {
            tag,
            written: what,
            findings,
        }),
    )
        .into_response();
    r.headers_mut().insert(header::ETAG, e);
    r
}

/// Whether `key` may act as `needed` (401, 403), before any work is done
/// for its holder.
pub(crate) async fn check_key(
    editor: Option<Arc<Editor>>,
    key: Option<String>,
    needed: Role,
) -> Result<(), Error> {
    let editor = editor.ok_or_else(no_store)?;
    blocking(move || editor.holder(key.as_deref(), needed).map(|_| ())).await
}

/// Checks `key` (for `needed`: 401, 403), then that a tag is given
/// (428), then runs `write` with the holder's name and the tag.
pub(crate) async fn run_write<T: Send + 'static>(
    editor: Option<Arc<Editor>>,
    (key, tag): (Option<String>, Option<String>),
    needed: Role,
    write: impl FnOnce(&Editor, &str, &str) -> Result<T, WriteError> + Send + 'static,
) -> Result<T, Error> {
    let editor = editor.ok_or_else(no_store)?;
    let checking = editor.clone();
    let holder = blocking(move || checking.holder(key.as_deref(), needed)).await?;
    let tag = tag.ok_or_else(|| Error {
        status: StatusCode::PRECONDITION_REQUIRED,
        message: "writes need the draft's tag: If-Match: \"<ETag of GET /api/v1/editorial/draft>\""
            .into(),
        message_ar: "يلزم وسم المسودة في ترويسة If-Match".into(),
    })?;
    blocking(move || write(&editor, &holder.name, &tag)).await
}

/// The change importing meeting file `text` (named `file`), its reason
/// (`reason`, else «meeting N imported from FILE») and the parser's
/// findings; or why not (413 over the size limit, 400 with the file's
/// line).
pub(crate) fn meeting_change(
    file: &str,
    text: &str,
    reason: Option<String>,
) -> Result<(Change, String, Vec<fihris_model::Finding>), Error> {
    if text.len() > fihris_editorial::MAX_MEETING_BYTES {
        return Err(Error::too_large(
            format!(
                "a meeting file may hold {} bytes at most",
                fihris_editorial::MAX_MEETING_BYTES
            ),
            "ملف الاجتماع أكبر من الحد المسموح به",
        ));
    }
    let file = Some(file.trim())
        .filter(|f| !f.is_empty())
        .unwrap_or("meeting.txt");
    let (change, meeting) =
        Change::import_meeting(file, text).map_err(|e| refusal(WriteError::Refused(e)))?;
    let reason = reason.filter(|r| !r.trim().is_empty()).unwrap_or_else(|| {
        format!(
            "meeting {} imported from {file}",
            meeting.section.id.ordinal
        )
    });
    Ok((change, reason, meeting.findings))
}

/// Records a change and its reason in the draft (editor key, the
/// request's tag): 201 with the new tag and `findings`, or the refusal.
async fn record(
    editor: Option<Arc<Editor>>,
    headers: &HeaderMap,
    (change, reason): (Change, String),
    findings: Vec<fihris_model::Finding>,
) -> Response {
    let what = format!("{} {}", change.kind(), change.target());
    match guarded(editor, headers, Role::Editor, move |ed, who, tag| {
        ed.apply(who, &change, &reason, Some(tag))
    })
    .await
    {
        Ok(tag) => written(tag, what, findings),
        Err(r) => r,
    }
}

/// [`run_write`] with the key and tag of an API request's headers.
async fn guarded<T: Send + 'static>(
    editor: Option<Arc<Editor>>,
    headers: &HeaderMap,
    needed: Role,
    write: impl FnOnce(&Editor, &str, &str) -> Result<T, WriteError> + Send + 'static,
) -> Result<T, Response> {
    run_write(editor, (key(headers), if_match(headers)), needed, write)
        .await
        .map_err(api_error)
}

/// Records a change in the draft (editor key): a text corrected, a
/// provision filed or unfiled, a topic added; with its reason, audited.
#[utoipa::path(post, path = "/api/v1/editorial/changes", tag = "editorial",
    request_body = ChangeRequest,
    params(("If-Match" = String, Header, description = "The draft's tag (ETag of GET /api/v1/editorial/draft)")),
    security(("key" = [])),
    responses(
        (status = 201, description = "Recorded; the draft's new tag", body = Written),
        (status = 400, description = "Refused: it does not apply to the draft (nothing stored)", body = ErrorBody),
        (status = 401, description = "No key, or a key the store does not know", body = ErrorBody),
        (status = 403, description = "The key's role may not do this", body = ErrorBody),
        (status = 409, description = "The draft has changed since the tag given", body = ErrorBody),
        (status = 428, description = "No If-Match tag", body = ErrorBody),
    )
)]
async fn change(
    State(Writes(editor)): State<Writes>,
    headers: HeaderMap,
    body: Result<Json<ChangeRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(req)) => req,
        Err(e) => return json_error(&e).into_response(),
    };
    record(editor, &headers, (req.change, req.reason), Vec::new()).await
}

/// Imports a meeting file into the draft (editor key), all of it or
/// nothing: errors name the file's line.
#[utoipa::path(post, path = "/api/v1/editorial/meetings", tag = "editorial",
    request_body = MeetingRequest,
    params(("If-Match" = String, Header, description = "The draft's tag")),
    security(("key" = [])),
    responses(
        (status = 201, description = "Imported; the draft's new tag and the parser's findings", body = Written),
        (status = 400, description = "Refused: it does not apply to the draft (nothing stored)", body = ErrorBody),
        (status = 401, description = "No key, or a key the store does not know", body = ErrorBody),
        (status = 403, description = "The key's role may not do this", body = ErrorBody),
        (status = 409, description = "The draft has changed since the tag given", body = ErrorBody),
        (status = 428, description = "No If-Match tag", body = ErrorBody),
        (status = 413, description = "A meeting file over 1 MiB", body = ErrorBody),
    )
)]
async fn meeting(
    State(Writes(editor)): State<Writes>,
    headers: HeaderMap,
    body: Result<Json<MeetingRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(req)) => req,
        Err(e) => return json_error(&e).into_response(),
    };
    // The key first: a file is read for its holder only.
    if let Err(e) = check_key(editor.clone(), key(&headers), Role::Editor).await {
        return api_error(e);
    }
    let (change, reason, findings) = match meeting_change(&req.file, &req.text, req.reason) {
        Ok(found) => found,
        Err(e) => return api_error(e),
    };
    record(editor, &headers, (change, reason), findings).await
}

/// Publishes the draft as an edition (publisher key); every server on the
/// store serves it within a second.
#[utoipa::path(post, path = "/api/v1/editorial/publish", tag = "editorial",
    request_body = PublishRequest,
    params(("If-Match" = String, Header, description = "The draft's tag")),
    security(("key" = [])),
    responses(
        (status = 201, description = "Published; the new tag", body = Written),
        (status = 400, description = "Refused: it does not apply to the draft (nothing stored)", body = ErrorBody),
        (status = 401, description = "No key, or a key the store does not know", body = ErrorBody),
        (status = 403, description = "The key's role may not do this", body = ErrorBody),
        (status = 409, description = "The draft has changed since the tag given", body = ErrorBody),
        (status = 428, description = "No If-Match tag", body = ErrorBody),
    )
)]
async fn publish(
    State(Writes(editor)): State<Writes>,
    headers: HeaderMap,
    body: Result<Json<PublishRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(req)) => req,
        Err(e) => return json_error(&e).into_response(),
    };
    match guarded(editor, &headers, Role::Publisher, move |ed, who, tag| {
        let e = ed.publish(who, &req.name, Some(tag))?;
        Ok((e.name, ed.tag()?))
    })
    .await
    {
        Ok((name, tag)) => written(tag, format!("edition {name}"), Vec::new()),
        Err(r) => r,
    }
}
