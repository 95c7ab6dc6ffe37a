//! The static files of the pages: the style sheet, the one script, and the
//! Amiri typeface.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

/// `/assets/app.css`.
pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/app.css"),
    )
        .into_response()
}

/// `/assets/app.js`.
pub async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/app.js"),
    )
        .into_response()
}

/// The Amiri typeface (SIL Open Font License 1.1, unmodified; see
/// `assets/fonts/OFL.txt`), served so that pages are set in it on machines
/// that do not have it installed.
pub async fn font(Path(name): Path<String>) -> Response {
    let bytes: &'static [u8] = match name.as_str() {
        "Amiri-Regular.ttf" => include_bytes!("../../assets/fonts/Amiri-Regular.ttf"),
        "Amiri-Bold.ttf" => include_bytes!("../../assets/fonts/Amiri-Bold.ttf"),
        "OFL.txt" => include_bytes!("../../assets/fonts/OFL.txt"),
        _ => {
            return Error::not_found(format!("no font {name:?}"), "لا يوجد خط بهذا الاسم")
                .into_response();
        }
    };
    let kind = if name.ends_with(".ttf") {
        "font/ttf"
    } else {
        "text/plain; charset=utf-8"
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response()
}
