//! The drafting basket: a reader collects provisions while browsing
//! ("add to the basket" on a provision's page), reorders them, and
//! downloads them as a Word document, Markdown or plain text, each
//! paragraph with its citation as a footnote. No script needed: the basket
//! lives in a cookie (ids only), changed by plain form posts; a download's
//! link carries the ids, so it can be shared.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_model::ProvisionId;
use fihris_view::{
    BasketError, BasketView, Lang, MAX_BASKET, basket_cookie_value, basket_query_value,
    parse_basket,
};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{View, site_path};
use crate::error::Error;
use crate::state::App;

/// Name of the cookie that holds the basket's ids (`A.4.46_B.4.3`).
pub const BASKET_COOKIE: &str = "fihris-basket";

/// What a form post does to the basket.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Put `id` at the end (if it is not there yet).
    Add,
    /// Take `id` out.
    Remove,
    /// Move `id` one place up.
    Up,
    /// Move `id` one place down.
    Down,
    /// Empty the basket.
    Clear,
}

/// A form post to `/basket`.
#[derive(Debug, Deserialize)]
pub struct BasketForm {
    action: Action,
    #[serde(default)]
    id: Option<String>,
    /// Where to go afterwards: a path on this site (default: the basket).
    #[serde(default)]
    back: Option<String>,
}

/// The query of a download.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    /// The ids, separated by commas.
    #[serde(default)]
    ids: String,
    /// `docx`, `md` or `txt`.
    #[serde(default)]
    format: Option<String>,
    /// Language of the citations: `ar` (default) or `en`.
    #[serde(default)]
    lang: Option<String>,
}

/// The basket's ids in the request's cookie (none if absent or spoilt).
pub fn cookie_ids(headers: &HeaderMap) -> Vec<ProvisionId> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == BASKET_COOKIE)
        .and_then(|(_, v)| parse_basket(v).ok())
        .unwrap_or_default()
}

/// The error of a refused basket: an unknown id is a 404, the rest 400.
fn refused(e: &BasketError) -> Error {
    match e {
        BasketError::Unknown(_) => Error::not_found(e.message(), e.message_ar()),
        _ => Error::bad(e.message(), e.message_ar()),
    }
}

/// Whether a form post comes from another site (the browser says so in
/// `Sec-Fetch-Site`, or its `Origin` names another host).
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|s| s == "cross-site");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok())
        .filter(|o| *o != "null")
        .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
    fetch_site || matches!((origin_host, host), (Some(o), Some(h)) if o != h)
}

/// `POST /basket`: the basket changed, kept in its cookie, then back to
/// the page the form was on.
pub async fn basket_post(
    State(app): State<Arc<App>>,
    v: View,
    headers: HeaderMap,
    form: Result<Form<BasketForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    if cross_site(&headers) {
        return Error::forbidden(
            "the basket is changed only from this site's pages",
            "لا تُعدَّل السلة إلا من صفحات هذا الموقع",
        )
        .into_response();
    }
    let Ok(Form(form)) = form else {
        return Error::bad(
            "a basket form needs action=add|remove|up|down|clear and, but for clear, id",
            "نموذج السلة يحتاج إلى action وإلى id",
        )
        .into_response();
    };
    let mut ids = cookie_ids(&headers);
    let id = match (
        form.action,
        form.id.as_deref().map(str::parse::<ProvisionId>),
    ) {
        (Action::Clear, _) => None,
        (_, Some(Ok(id))) if app.corpus.provision(&id).is_some() => Some(id),
        (_, Some(Ok(id))) => {
            return refused(&BasketError::Unknown(vec![id.to_string()])).into_response();
        }
        (_, Some(Err(_)) | None) => {
            let e = BasketError::Malformed(form.id.unwrap_or_default());
            return refused(&e).into_response();
        }
    };
    let at = id.as_ref().and_then(|id| ids.iter().position(|i| i == id));
    match (form.action, id, at) {
        (Action::Clear, ..) => ids.clear(),
        (Action::Add, Some(id), None) => {
            if ids.len() >= MAX_BASKET {
                return refused(&BasketError::TooMany(ids.len() + 1)).into_response();
            }
            ids.push(id);
        }
        (Action::Remove, _, Some(k)) => {
            ids.remove(k);
        }
        (Action::Up, _, Some(k)) if k > 0 => ids.swap(k, k - 1),
        (Action::Down, _, Some(k)) if k + 1 < ids.len() => ids.swap(k, k + 1),
        _ => {}
    }
    let back = form
        .back
        .filter(|b| site_path(b))
        .unwrap_or_else(|| v.href("/basket"));
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back),
            (
                header::SET_COOKIE,
                format!(
                    "{BASKET_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                    basket_cookie_value(&ids)
                ),
            ),
        ],
    )
        .into_response()
}

/// The form that adds `id` to the basket, or says it is there.
pub fn add_form(v: &View, headers: &HeaderMap, id: &ProvisionId) -> Markup {
    let held = cookie_ids(headers).contains(id);
    html! {
        @if held {
            p.basket-state {
                (v.t("هذا الحكم في ", "This provision is in "))
                a href=(v.href("/basket")) { (v.t("سلة الصياغة", "the drafting basket")) }
            }
        } @else {
            form.basket-add method="post" action=(v.href("/basket")) {
                input type="hidden" name="action" value="add";
                input type="hidden" name="id" value=(id);
                input type="hidden" name="back" value=(v.href(&v.here));
                button type="submit" { (v.t("أضف إلى سلة الصياغة", "Add to the drafting basket")) }
            }
        }
    }
}

/// The compact form that adds a search hit to the basket (its button
/// named with the hit's citation), or a mark that it is there.
pub fn add_button(v: &View, held: &[ProvisionId], id: &ProvisionId) -> Markup {
    html! {
        @if held.contains(id) {
            span.basket-state { (v.t("في السلة", "in the basket")) }
        } @else {
            form.basket-add.inline method="post" action=(v.href("/basket")) {
                input type="hidden" name="action" value="add";
                input type="hidden" name="id" value=(id);
                input type="hidden" name="back" value=(v.href(&v.here));
                button type="submit"
                    aria-label=(format!("{} {} {}", v.t("أضف", "Add"), v.cite(id), v.t("إلى سلة الصياغة", "to the drafting basket"))) {
                    (v.t("+ السلة", "+ basket"))
                }
            }
        }
    }
}

/// One button of a basket row.
fn row_button(v: &View, action: &str, id: &ProvisionId, label: &str, disabled: bool) -> Markup {
    html! {
        form.inline method="post" action=(v.href("/basket")) {
            input type="hidden" name="action" value=(action);
            input type="hidden" name="id" value=(id);
            button type="submit" disabled[disabled] { (label) }
        }
    }
}

/// `GET /basket`: the basket, its order, and its downloads.
pub async fn basket_page(State(app): State<Arc<App>>, v: View, headers: HeaderMap) -> Markup {
    let c = &app.corpus;
    let ids = cookie_ids(&headers);
    let (known, gone): (Vec<ProvisionId>, Vec<ProvisionId>) =
        ids.into_iter().partition(|id| c.provision(id).is_some());
    let title = v.t("سلة الصياغة", "Drafting basket");
    // Every id is known here, and there are at most MAX_BASKET.
    let basket = BasketView::new(c, &known).unwrap_or(BasketView { items: Vec::new() });
    let query = basket_query_value(&known);
    let n = basket.items.len();
    let body = html! {
        h1 { (title) }
        p { (v.t(
            "اجمع الفقرات أثناء التصفح (زر «أضف إلى سلة الصياغة» في صفحة كل حكم)، ورتّبها، ثم نزّلها مع مراجعها حواشيَ: رمز الوثيقة والفقرة، وموضعها في الخلاصة.",
            "Collect paragraphs while you browse (the “Add to the drafting basket” button on each provision's page), order them, then download them with their citations as footnotes: document symbol and paragraph, place in the compendium.",
        )) }
        @if !gone.is_empty() {
            p.error role="status" {
                (v.both(
                    &format!("لم يعد في السجل: {}", gone.iter().map(ToString::to_string).collect::<Vec<_>>().join("، ")),
                    &format!("No longer in the record: {}", gone.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
                ))
            }
        }
        @if basket.items.is_empty() {
            p.empty { (v.t("السلة فارغة.", "The basket is empty.")) }
        } @else {
            p { (v.t("الأحكام في السلة: ", "Provisions in the basket: ")) (n) " / " (MAX_BASKET) }
            ol.basket {
                @for (k, item) in basket.items.iter().enumerate() {
                    li {
                        a href=(v.provision_href(&item.id)) { (v.cite(&item.id)) }
                        div.text lang="ar" dir="rtl" {
                            @for p in &item.paragraphs {
                                p class={ "depth-" (p.depth.min(3)) } {
                                    (p.label) " "
                                    @for piece in &p.pieces {
                                        @match piece {
                                            fihris_view::Piece::Text { text } => (text),
                                            fihris_view::Piece::Footnote { number, .. } => sup { "(" (number) ")" },
                                        }
                                    }
                                }
                            }
                        }
                        p.cite { (item.source(v.lang)) }
                        div.buttons {
                            (row_button(&v, "up", &item.id, v.t("إلى الأعلى", "Move up"), k == 0))
                            (row_button(&v, "down", &item.id, v.t("إلى الأسفل", "Move down"), k + 1 == n))
                            (row_button(&v, "remove", &item.id, v.t("أزل", "Remove"), false))
                        }
                    }
                }
            }
            h2 { (v.t("التنزيل", "Download")) }
            ul.downloads {
                @for (format, label) in [
                    ("docx", v.t("مستند Word (‏.docx)، من اليمين إلى اليسار، بخط أميري", "Word document (.docx), right to left, in Amiri")),
                    ("md", v.t("Markdown، والمراجع حواشٍ", "Markdown, citations as footnotes")),
                    ("txt", v.t("نص عادي، والمراجع في آخره", "Plain text, citations at the end")),
                ] {
                    li { a href=(format!("/basket/download?ids={query}&format={format}&lang={}", v.lang.code())) download { (label) } }
                }
            }
            form.inline method="post" action=(v.href("/basket")) {
                input type="hidden" name="action" value="clear";
                button type="submit" { (v.t("أفرغ السلة", "Empty the basket")) }
            }
        }
    };
    v.page(title, body)
}

/// `GET /basket/download?ids=A.4.46,B.4.3&format=docx|md|txt&lang=ar|en`:
/// the basket as a file; an unknown id is a 404, a malformed or empty
/// list, too many ids or an unknown format a 400, and nothing is served in
/// part.
pub async fn download(
    State(app): State<Arc<App>>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, Error> {
    let lang = match q.lang.as_deref() {
        None => Lang::Ar,
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            Error::bad(
                format!("unknown language {code:?}: ar or en"),
                "اللغة إما ar أو en",
            )
        })?,
    };
    let ids = parse_basket(&q.ids).map_err(|e| refused(&e))?;
    if ids.is_empty() {
        return Err(refused(&BasketError::Empty));
    }
    let basket = BasketView::new(&app.corpus, &ids).map_err(|e| refused(&e))?;
    let (body, content_type, ext) = match q.format.as_deref().unwrap_or("docx") {
        "docx" => (
            basket.to_docx(lang),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "md" => (
            basket.to_markdown(lang).into_bytes(),
            "text/markdown; charset=utf-8",
            "md",
        ),
        "txt" => (
            basket.to_text(lang).into_bytes(),
            "text/plain; charset=utf-8",
            "txt",
        ),
        other => {
            return Err(Error::bad(
                format!("unknown format {other:?}: docx, md or txt"),
                "الصيغة إما docx أو md أو txt",
            ));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"fihris-basket.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}
