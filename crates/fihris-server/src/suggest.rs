//! Topics suggested for a text (a new provision, a draft paragraph): by
//! the filings of the nearest filed provisions, by meaning once the model
//! is loaded, by shared wording before; with how often that way was right
//! on the record, measured once per way and kept.

use std::sync::Arc;

use fihris_agreed::words::words;
use fihris_suggest::{Filings, Nearness, Suggester};
use fihris_view::SuggestView;

use crate::error::Error;
use crate::state::App;

/// Largest text accepted, in bytes.
pub const MAX_TEXT: usize = 8 * 1024;

/// Suggests `k` topics for `text`, on a thread that may block.
pub async fn suggest(app: Arc<App>, text: String, k: usize) -> Result<SuggestView, Error> {
    tokio::task::spawn_blocking(move || suggest_here(&app, &text, k))
        .await
        .map_err(|e| Error::internal(e.to_string(), "تعذّر اقتراح المواضيع"))?
}

fn suggest_here(app: &App, text: &str, k: usize) -> Result<SuggestView, Error> {
    if text.len() > MAX_TEXT {
        return Err(Error::too_large(
            format!(
                "the text is {} bytes; at most {MAX_TEXT} (8 KiB)",
                text.len()
            ),
            format!(
                "حجم النص {} بايت؛ الحد الأقصى {MAX_TEXT} بايت (8 كيلوبايت)",
                text.len()
            ),
        ));
    }
    if words(text).is_empty() {
        return Err(Error::bad(
            "the text has no words: give the provision's text",
            "لا كلمات في النص: أدخل نص الحكم",
        ));
    }
    let engine = app.engine();
    let vector = match &engine {
        Some(e) => e
            .model()
            .embed_documents(&[text])
            .map_err(|e| Error::internal(e.to_string(), "تعذّر حساب متجه النص"))?
            .pop(),
        None => None,
    };
    let store = &app.suggestions;
    let filings = store.filings.get_or_init(|| Filings::of(&app.corpus));
    let dense = engine.as_ref().map(|e| e.provisions());
    let suggester = Suggester::new(filings, &app.wording, dense);
    let (nearness, cell) = match vector {
        Some(_) => (Nearness::Meaning, &store.by_meaning),
        None => (Nearness::Wording, &store.by_wording),
    };
    let precision = *cell.get_or_init(|| suggester.precision(&app.corpus, nearness));
    let found = suggester.suggest(text, vector.as_deref(), nearness, |_| true);
    Ok(SuggestView::of(
        &app.corpus,
        found,
        k,
        nearness == Nearness::Meaning,
        precision,
    ))
}
