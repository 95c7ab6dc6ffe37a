//! Server-rendered pages, Arabic first: right to left, Arabic typefaces,
//! no inline script, every text escaped by the templates (maud). The
//! English interface is the same pages under `/en/…`; the record's own
//! text stays Arabic and keeps `lang="ar" dir="rtl"` in both.
//!
//! `layout` is what every page shares; `record`, `search` and `topics`
//! are the pages, `agreed` the pieces of agreed language on them, `draft` the draft checker, `basket` the drafting basket, `downloads` the downloads page, `phrases` the reused formulations, `editions` the editions and a provision's history; `editor` the editor's page (`editor_routes`, routed beside the write API under its larger body limit); `assets` the static files. Pages import `layout` (and
//! each other's pieces), never this module.

mod agreed;
mod assets;
mod basket;
mod downloads;
mod draft;
mod editions;
mod editor;
mod layout;
mod phrases;
mod record;
mod search;
mod topics;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};

pub use layout::{View, url_encode};

use crate::state::Served;

/// The pages, in one language.
fn pages() -> Router<Served> {
    Router::new()
        .route("/", get(record::home))
        .route("/search", get(search::search))
        .route("/provisions/{id}", get(record::provision))
        .route("/sections/{id}", get(record::section))
        .route("/documents", get(record::documents))
        .route("/documents/{*symbol}", get(record::document))
        .route("/topics", get(topics::topics))
        .route("/topics/{id}", get(topics::topic))
        .route("/findings", get(record::findings))
        .route("/phrases", get(phrases::phrases))
        .route("/editions", get(editions::editions))
        .route("/editions/{range}", get(editions::edition_diff))
        .route("/draft", get(draft::draft_page).post(draft::draft_post))
        .route("/draft.md", axum::routing::post(draft::draft_markdown))
        .route(
            "/basket",
            get(basket::basket_page).post(basket::basket_post),
        )
        .route("/downloads", get(downloads::downloads_page))
}

/// Routes of the pages (Arabic at the root, English under `/en`), their
/// downloads and static files.
pub fn routes() -> Router<Served> {
    Router::new()
        .merge(pages())
        .nest("/en", pages())
        .route("/en/", get(record::home))
        .route("/search.csv", get(search::search_csv_download))
        .route("/publication.pdf", get(crate::publication::pdf))
        .route("/basket/download", get(basket::download))
        .route("/downloads/{file}", get(crate::publication::file))
        .route("/lang/{code}", get(record::set_lang))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/app.js", get(assets::js))
        .route("/assets/fonts/{name}", get(assets::font))
}

/// The editor's page and its form posts, in both languages (routed apart
/// from [`routes`]: a pasted meeting file needs the write API's body
/// limit).
pub fn editor_routes() -> Router<Served> {
    let pages = || {
        Router::new()
            .route("/editor", get(editor::editor_page))
            .route("/editor/change", post(editor::change_post))
            .route("/editor/meeting", post(editor::meeting_post))
            .route("/editor/publish", post(editor::publish_post))
    };
    Router::new().merge(pages()).nest("/en", pages())
}

/// The 404 page of a path no route knows, in the language of its address.
pub fn not_found(path_and_query: &str) -> Response {
    let v = View::at(path_and_query);
    let path = v.here.split('?').next().unwrap_or("/");
    v.not_found(&layout::url_decode(path))
}
