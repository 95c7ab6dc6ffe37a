//! `/publication.pdf`: the compendium set as a PDF (fihris-typeset) from
//! the record being served. Built on the first request, on a blocking
//! thread, once however many ask at the same time, and kept with the app:
//! publishing an edition brings a new app, whose PDF is built anew.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::state::App;

/// `GET /publication.pdf`.
pub async fn pdf(State(app): State<Arc<App>>) -> Response {
    let built = app
        .publication
        .get_or_try_init(|| {
            let app = Arc::clone(&app);
            async move {
                let set = tokio::task::spawn_blocking(move || {
                    fihris_typeset::compendium_pdf(&app.corpus)
                })
                .await;
                match set {
                    Ok(Ok(p)) => Ok(Arc::from(p.pdf)),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(e.to_string()),
                }
            }
        })
        .await;
    match built {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"fihris-compendium.pdf\"",
                ),
            ],
            axum::body::Bytes::from_owner(Arc::clone(pdf)),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the publication could not be set");
            Error::internal(
                format!("the publication could not be set: {e}"),
                "تعذّر إعداد المنشور",
            )
            .into_response()
        }
    }
}
