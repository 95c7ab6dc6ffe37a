//! # fihris-server
//!
//! The HTTP face of fihris: a JSON API under `/api/v1` and server-rendered,
//! Arabic-first HTML pages (`lang="ar" dir="rtl"`), with a strict
//! Content-Security-Policy, request size and time limits, and errors in
//! Arabic and English.
//!
//! It reads a parsed [`fihris_model::Corpus`], a built
//! [`fihris_search::SearchIndex`] and, once loaded in the background
//! ([`load_model`]), a [`fihris_meaning::Engine`] (`state`), and serves the views of
//! `fihris-view`: as JSON (`api`), as pages (`html`). Shared pieces are
//! leaf modules: `error` (bilingual errors), `params` (search
//! parameters). It does not parse sources itself.

mod api;
mod draft;
mod editorial;
mod error;
mod html;
mod limit;
mod listen;
mod params;
mod publication;
mod state;
mod suggest;

pub use error::Error;
pub use html::url_encode;
pub use limit::{DEFAULT_PER_SECOND, SearchLimit};
pub use listen::{Connections, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, runtime};
pub use state::{App, Model, ModelStatus, ProvisionVectors, Served};

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::IntoResponse;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Largest request body accepted, in bytes: a draft to check (at most
/// 8 KiB of text, which percent-encoding in a form or `\u` escapes in JSON
/// make up to three times longer), with room to spare.
pub const MAX_BODY: usize = 32 * 1024;
/// Longest time a request may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The Content-Security-Policy of every response: nothing from elsewhere,
/// no inline script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The whole application: API, pages, limits and security headers,
/// serving `app`.
pub fn router(app: Arc<App>) -> Router {
    served_router(Served::new(app))
}

/// As [`router`], serving whatever app `served` holds at each request,
/// searches limited per client as `fihris serve` does by default.
pub fn served_router(served: Served) -> Router {
    limited_router(served, SearchLimit::new(DEFAULT_PER_SECOND, false))
}

/// As [`served_router`], with searches limited per client by `limit`.
pub fn limited_router(served: Served, limit: SearchLimit) -> Router {
    let (writes, writes_doc) = editorial::routes();
    let routes = Router::new()
        .merge(api::router(writes_doc))
        .merge(html::routes())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .merge(
            writes
                .merge(html::editor_routes())
                .layer(DefaultBodyLimit::max(editorial::MAX_WRITE_BODY))
                .layer(RequestBodyLimitLayer::new(editorial::MAX_WRITE_BODY)),
        )
        .fallback(|uri: Uri| async move {
            if uri.path().starts_with("/api/") {
                Error::not_found(
                    "no such page or endpoint",
                    "لا توجد صفحة أو نقطة نهاية بهذا العنوان",
                )
                .into_response()
            } else {
                html::not_found(uri.path_and_query().map_or("/", |p| p.as_str()))
            }
        })
        .with_state(served)
        .layer(axum::middleware::from_fn_with_state(
            limit,
            limit::limit_searches,
        ));
    harden(routes)
}

/// The layers every response passes through, errors and static files
/// included: plain-text 413 and 405 made bilingual JSON, a panic in a
/// handler made a logged JSON 500 (the server keeps serving), request
/// logs, the request timeout and the security headers.
pub fn harden(routes: Router) -> Router {
    routes
        .layer(axum::middleware::map_response(bilingual_plain))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            TIMEOUT,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// A panic in a handler: logged, answered as a bilingual JSON 500.
fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(
        panic = what,
        "a handler panicked; the server goes on — خطأ داخلي"
    );
    Error::internal(
        "an internal error: it is logged, and the server goes on serving",
        "خطأ داخلي: سُجّل، ويواصل الخادم العمل",
    )
    .into_response()
}

/// A 413 from the body limit and a 405 from the router (plain text or
/// empty) as the bilingual error every other error is.
async fn bilingual_plain(response: axum::response::Response) -> axum::response::Response {
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.as_bytes().starts_with(b"text/plain"));
    if response.status() == StatusCode::METHOD_NOT_ALLOWED && plain {
        // The router adds `Allow` on the way out.
        return Error {
            status: StatusCode::METHOD_NOT_ALLOWED,
            message:
                "this address does not answer that method; the Allow header lists those it does"
                    .into(),
            message_ar: "هذا العنوان لا يقبل هذه الطريقة؛ ترويسة Allow تذكر ما يقبله".into(),
        }
        .into_response();
    }
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && plain {
        Error::too_large(
            format!(
                "the request body is larger than {} KiB (a draft is checked up to 8 KiB of text)",
                MAX_BODY / 1024
            ),
            format!(
                "حجم الطلب أكبر من {} كيلوبايت (يُفحص من المشروع 8 كيلوبايت على الأكثر)",
                MAX_BODY / 1024
            ),
        )
        .into_response()
    } else {
        response
    }
}

/// Gets meaning search ready on a thread of its own while the server
/// answers by words: fetches the model if it is not there, loads it and
/// the record's vectors (from `dirs`, else the cache, else computed), then
/// switches searches to hybrid. Each step is logged and shown by
/// `/api/v1/health`; a failure is logged and leaves the words serving.
pub fn load_model(app: Arc<App>, dirs: Vec<std::path::PathBuf>) -> std::thread::JoinHandle<()> {
    load_model_served(Served::new(app), dirs)
}

/// As [`load_model`], for the app `served` holds at each step (an app
/// replaced meanwhile gets the model too).
pub fn load_model_served(
    served: Served,
    dirs: Vec<std::path::PathBuf>,
) -> std::thread::JoinHandle<()> {
    let app = served.clone();
    let corpus = served.current();
    app.set_model(Model::Loading("starting".into()));
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let dirs: Vec<&std::path::Path> = dirs.iter().map(|d| d.as_path()).collect();
        let mut log = |step: &str| {
            tracing::info!(step, "meaning search — البحث بالمعنى");
            app.set_model(Model::Loading(step.to_owned()));
        };
        match fihris_meaning::start(&corpus.corpus, &dirs, &mut log) {
            Ok(engine) => {
                app.set_model(Model::Ready(Arc::new(engine)));
                tracing::info!(
                    ready_ms = started.elapsed().as_millis() as u64,
                    "meaning search ready: searches are hybrid — البحث بالمعنى جاهز"
                );
            }
            Err(e) => {
                tracing::error!(
                    error = %e,
                    "meaning search unavailable, searching by words only — البحث بالمعنى غير متاح"
                );
                app.set_model(Model::Failed(e.to_string()));
            }
        }
    })
}

/// Structured logs, one line per event (requests among them, with method,
/// path, status and latency): key=value text, or JSON objects when `json`,
/// written to `writer` and filtered by `FIHRIS_LOG` (default `info`).
pub fn init_logs<W>(json: bool, writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_from_env("FIHRIS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    if json {
        builder
            .json()
            .flatten_event(true)
            .with_span_list(false)
            .init();
    } else {
        builder.init();
    }
}

/// Serves on `addr` until Ctrl-C (or SIGTERM), then finishes the requests
/// in flight; searches limited per client address by `limit`, connections
/// accepted as `connections` says (header-read and idle timeout, cap).
pub async fn serve(
    served: Served,
    addr: &str,
    limit: SearchLimit,
    connections: Connections,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(
        url = %format!("http://{}", listener.local_addr()?),
        max_connections = connections.max,
        header_timeout_s = connections.header_timeout.as_secs_f32(),
        "serving — يعمل الخادم"
    );
    listen::accept(
        listener,
        limited_router(served, limit),
        connections,
        shutdown(),
    )
    .await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down, finishing requests in flight — إيقاف الخادم");
}
