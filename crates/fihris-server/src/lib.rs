//! # fihris-server
//!
//! The HTTP face of fihris: a JSON API under `/api/v1` and server-rendered,
//! Arabic-first HTML pages (`lang="ar" dir="rtl"`), with a strict
//! Content-Security-Policy, request size and time limits, and errors in
//! Arabic and English.
//!
//! It reads a parsed [`fihris_model::Corpus`] and a built
//! [`fihris_search::SearchIndex`]; it does not parse sources itself.

mod api;
mod bodies;
mod html;

pub use html::url_encode;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_model::Corpus;
use fihris_search::{SearchIndex, docs_of};
use tower_http::LatencyUnit;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

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

/// Largest request body accepted, in bytes (the API takes no bodies).
pub const MAX_BODY: usize = 16 * 1024;
/// Longest time a request may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The Content-Security-Policy of every response: nothing from elsewhere,
/// no inline script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// An error as the API and the pages show it: a status and a message in
/// English and Arabic.
#[derive(Debug, Clone)]
pub struct Error {
    /// HTTP status.
    pub status: StatusCode,
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

impl Error {
    /// A 400 Bad Request.
    pub fn bad(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            message_ar: message_ar.into(),
        }
    }

    /// A 404 Not Found.
    pub fn not_found(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            message_ar: message_ar.into(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let body = bodies::ErrorBody {
            error: bodies::ErrorDetail {
                status: self.status.as_u16(),
                message: self.message,
                message_ar: self.message_ar,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The whole application: API, pages, limits and security headers.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(api::router())
        .merge(html::routes())
        .fallback(|| async {
            Error::not_found(
                "no such page or endpoint",
                "لا توجد صفحة أو نقطة نهاية بهذا العنوان",
            )
        })
        .with_state(app)
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
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
/// in flight.
pub async fn serve(app: Arc<App>, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(
        url = %format!("http://{}", listener.local_addr()?),
        "serving — يعمل الخادم"
    );
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown())
        .await
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
