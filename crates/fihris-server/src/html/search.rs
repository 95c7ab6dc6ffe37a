//! The search page and its CSV download.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fihris_view::{HitView, search_csv};
use maud::{Markup, html};

use super::layout::{View, url_encode};
use crate::params::SearchParams;
use crate::state::App;

/// The search box, filled with `q`.
pub fn search_form(v: &View, q: &str) -> Markup {
    html! {
        form.search action=(v.href("/search")) method="get" role="search" aria-label=(v.t("البحث في الخلاصة", "Search the compendium")) {
            label.cite for="q" { (v.t("ابحث", "Search")) }
            input #q name="q" type="search" value=(q) maxlength="500" dir="auto"
                placeholder=(v.t(
                    "مثال: تعويض الضحايا، ثانياً-55، decision 4/4",
                    "e.g. تعويض الضحايا, II-55, decision 4/4"
                ));
            button type="submit" { (v.t("بحث", "Search")) }
        }
    }
}

/// A hit's passage with its matches marked, or the whole text when the
/// query was a citation.
fn passage(app: &App, h: &HitView) -> Markup {
    if h.snippet.is_empty() {
        return html! { (app.corpus.provision(&h.id).map(|p| p.text.as_str()).unwrap_or_default()) };
    }
    html! {
        @for (text, marked) in h.marked() {
            @if marked { mark { (text) } } @else { (text) }
        }
    }
}

/// `/search?q=…&sort=…&offset=…`: hits with highlighted snippets, facets,
/// paging and downloads.
pub async fn search(
    State(app): State<Arc<App>>,
    v: View,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    let asked = SearchParams::read(&params);
    let r = match asked
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|p| p.run(&app))
    {
        Ok(r) => r,
        Err(e) => {
            let body = html! {
                h1.visually-hidden { (v.t("خطأ في البحث", "Search error")) }
                (search_form(&v, &q))
                p.error role="alert" { (v.both(&e.message_ar, &e.message)) }
            };
            return (e.status, v.page(v.t("خطأ في البحث", "Search error"), body)).into_response();
        }
    };
    let offset = asked.map(|p| p.offset).unwrap_or(0);
    let by_date = params.get("sort").is_some_and(|s| s == "date");
    let qs = format!("q={}", url_encode(&q));
    let sort = if by_date { "&sort=date" } else { "" };
    let page_href = |o: usize| v.href(&format!("/search?{qs}{sort}&offset={o}"));
    let body = html! {
        h1.visually-hidden { (v.t("نتائج البحث", "Search results")) }
        (search_form(&v, &q))
        p.summary role="status" {
            (v.both(&format!("{} نتيجة", r.total), &format!("{} results", r.total)))
        }
        p.sort {
            (v.t("الترتيب", "Sort")) ": "
            @if by_date {
                a href=(v.href(&format!("/search?{qs}"))) { (v.t("حسب الصلة", "by relevance")) }
                " · " strong { (v.t("حسب التاريخ", "by date")) }
            } @else {
                strong { (v.t("حسب الصلة", "by relevance")) }
                " · " a href=(v.href(&format!("/search?{qs}&sort=date"))) { (v.t("حسب التاريخ", "by date")) }
            }
        }
        ol.hits start=(offset + 1) {
            @for h in &r.hits {
                li {
                    a href=(v.provision_href(&h.id)) { (v.cite(&h.id)) }
                    " "
                    span.cite lang=(v.other_lang()) dir=(v.other_dir()) { (v.cite_other(&h.id)) }
                    p lang="ar" dir="rtl" { (passage(&app, h)) }
                }
            }
        }
        nav.pager aria-label=(v.t("صفحات النتائج", "Result pages")) {
            @if offset > 0 {
                a rel="prev" href=(page_href(offset.saturating_sub(r.hits.len().max(10)))) { (v.t("→ السابق", "← Previous")) }
            }
            @if offset + r.hits.len() < r.total {
                a rel="next" href=(page_href(offset + r.hits.len())) { (v.t("التالي ←", "Next →")) }
            }
        }
        p {
            (v.t("تنزيل النتائج", "Download the results")) ": "
            a href={ "/search.csv?" (qs) } download { "CSV" }
            " · "
            a href={ "/api/v1/search?" (qs) "&limit=100" } { "JSON" }
        }
        div.facets {
            h2 { (v.t("حسب الاجتماع أو الدورة", "By meeting or session")) }
            @for (k, n) in &r.facets.section {
                a href=(v.href(&format!("/search?q={}", url_encode(&format!("{q} section:{k}"))))) { (k) " (" (n) ")" }
                " "
            }
        }
    };
    v.page(&format!("{}: {q}", v.t("بحث", "Search")), body)
        .into_response()
}

/// Search results as CSV (up to 100 hits).
pub async fn search_csv_download(
    State(app): State<Arc<App>>,
    Query(mut params): Query<HashMap<String, String>>,
) -> Response {
    params.entry("limit".into()).or_insert_with(|| "100".into());
    match SearchParams::read(&params).and_then(|p| Ok((p.run(&app)?, p.offset))) {
        Ok((r, offset)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"fihris-search.csv\"",
                ),
            ],
            search_csv(&r, offset),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
