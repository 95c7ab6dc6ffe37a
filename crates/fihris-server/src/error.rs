//! An error as the API and the pages show it: a status and a message in
//! English and Arabic; as JSON it is an [`ErrorBody`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error: a status and what went wrong, in English and Arabic.
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
    fn with(
        status: StatusCode,
        message: impl Into<String>,
        message_ar: impl Into<String>,
    ) -> Error {
        Error {
            status,
            message: message.into(),
            message_ar: message_ar.into(),
        }
    }

    /// A 400 Bad Request.
    pub fn bad(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::BAD_REQUEST, message, message_ar)
    }

    /// A 403 Forbidden.
    pub fn forbidden(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::FORBIDDEN, message, message_ar)
    }

    /// A 404 Not Found.
    pub fn not_found(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::NOT_FOUND, message, message_ar)
    }

    /// A 413 Payload Too Large.
    pub fn too_large(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::PAYLOAD_TOO_LARGE, message, message_ar)
    }

    /// A 503 Service Unavailable: too busy now, try again shortly.
    pub fn unavailable(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::SERVICE_UNAVAILABLE, message, message_ar)
    }

    /// A 429 Too Many Requests.
    pub fn too_many(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::TOO_MANY_REQUESTS, message, message_ar)
    }

    /// The error as a response telling the client to come back in
    /// `seconds` (`Retry-After`, at least 1).
    pub fn retry_after(self, seconds: u64) -> Response {
        let mut r = self.into_response();
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(seconds.max(1)),
        );
        r
    }

    /// A 500: something of ours failed.
    pub fn internal(message: impl Into<String>, message_ar: impl Into<String>) -> Error {
        Error::with(StatusCode::INTERNAL_SERVER_ERROR, message, message_ar)
    }
}

/// An error as JSON: what went wrong, in English and in Arabic.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error's status and messages.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// HTTP status code.
    pub status: u16,
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: self.message,
                message_ar: self.message_ar,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}
