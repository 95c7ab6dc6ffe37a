//! Checking a draft, shared by the JSON API and the page: the draft read
//! and cut into clauses, the clauses embedded when the model is loaded,
//! the view built. Nothing of a draft is stored or logged.

use std::sync::Arc;

use fihris_agreed::{Draft, DraftError};
use fihris_view::DraftView;

use crate::error::Error;
use crate::state::App;

/// Closest provisions shown per clause when not asked.
pub const DEFAULT_K: usize = 3;
/// Most closest provisions per clause.
pub const MAX_K: usize = 10;

/// A draft error as an HTTP error: an oversize draft is a 413, the rest
/// 400s.
pub fn draft_error(e: &DraftError) -> Error {
    match e {
        DraftError::TooLarge { .. } => Error::too_large(e.message(), e.message_ar()),
        _ => Error::bad(e.message(), e.message_ar()),
    }
}

/// Checks `text` with `k` provisions per clause, on a thread that may
/// block (embedding the clauses takes CPU): by meaning too when the model
/// is loaded.
pub async fn check(app: Arc<App>, text: String, k: usize) -> Result<DraftView, Error> {
    tokio::task::spawn_blocking(move || check_here(&app, &text, k))
        .await
        .map_err(|e| Error::internal(e.to_string(), "تعذّر فحص المشروع"))?
}

fn check_here(app: &App, text: &str, k: usize) -> Result<DraftView, Error> {
    let draft = Draft::new(text).map_err(|e| draft_error(&e))?;
    let engine = app.engine();
    let vectors = match &engine {
        Some(e) => Some(
            e.model()
                .embed_documents(&draft.clause_texts())
                .map_err(|e| Error::internal(e.to_string(), "تعذّر حساب متجهات المشروع"))?,
        ),
        None => None,
    };
    let meaning = engine
        .as_ref()
        .zip(vectors.as_deref())
        .map(|(e, v)| (e.provisions(), v));
    Ok(DraftView::of(&app.corpus, &app.wording, &draft, meaning, k))
}
