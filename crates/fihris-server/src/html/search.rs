//! The search page and its CSV download.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fihris_search::Mode;
use fihris_search::dense::MatchedBy;
use fihris_view::{HitView, Lang, search_csv};
use maud::{Markup, html};

use super::layout::{View, url_encode};
use crate::params::SearchParams;
use crate::state::App;

/// The search box, filled with `q`.
pub fn search_form(v: &View, q: &str) -> Markup {
    html! {
        form.search action=(v.href("/search")) method="get" role="search" aria-label=(v.t("البحث في الخلاصة", "Search the compendium")) {
            label.cite for="q" { (v.t("ابحث", "Search")) }
            input #q name="q" type="search" value=(q) maxlength="10000" dir="auto"
                placeholder=(v.t(
                    "مثال: تعويض الضحايا، ثانياً-55، victims compensation",
                    "e.g. victims compensation, تعويض الضحايا, II-55, decision 4/4"
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

/// How a hit was found, as a small label (none for words alone, the
/// common case of a lexical search).
pub(super) fn matched_by(v: &View, by: MatchedBy) -> Markup {
    html! {
        @match by {
            MatchedBy::Words => {},
            MatchedBy::Meaning => span.by-meaning { (v.t("بالمعنى", "by meaning")) },
            MatchedBy::Both => span.by-both { (v.t("بالكلمات والمعنى", "by words and meaning")) },
        }
    }
}

/// Links to the same search in the other modes.
fn mode_switch(v: &View, qs: &str, sort: &str, now: Mode) -> Markup {
    let modes = [
        (Mode::Hybrid, v.t("بالكلمات والمعنى", "words and meaning")),
        (Mode::Lexical, v.t("بالكلمات", "words")),
        (Mode::Semantic, v.t("بالمعنى", "meaning")),
    ];
    html! {
        p.modes {
            (v.t("البحث", "Search by")) ": "
            @for (k, (m, name)) in modes.iter().enumerate() {
                @if k > 0 { " · " }
                @if *m == now { strong { (name) } }
                @else { a href=(v.href(&format!("/search?{qs}{sort}&mode={}", m.as_str()))) { (name) } }
            }
        }
    }
}

/// `/search?q=…&sort=…&mode=…&offset=…`: hits with highlighted snippets, facets,
/// paging and downloads.
pub async fn search(
    State(app): State<Arc<App>>,
    v: View,
    headers: axum::http::HeaderMap,
    Query(mut params): Query<HashMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    // The search box forgives what people paste: a query that does not
    // parse is repaired, and the page says how.
    params
        .entry("repair".into())
        .or_insert_with(|| "true".into());
    let asked = SearchParams::read(&params);
    let result = match asked.clone() {
        Ok(p) => p.run(app.clone()).await,
        Err(e) => Err(e),
    };
    let r = match result {
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
    let held = super::basket::cookie_ids(&headers);
    let by_date = params.get("sort").is_some_and(|s| s == "date");
    let mode = params
        .get("mode")
        .map(|m| format!("&mode={}", url_encode(m)));
    let mode = mode.as_deref().unwrap_or("");
    let qs = format!("q={}", url_encode(&q));
    let sort = if by_date { "&sort=date" } else { "" };
    let page_href = |o: usize| v.href(&format!("/search?{qs}{sort}{mode}&offset={o}"));
    let body = html! {
        h1.visually-hidden { (v.t("نتائج البحث", "Search results")) }
        (search_form(&v, &q))
        p.summary role="status" {
            (v.both(&format!("{} نتيجة", r.total), &format!("{} results", r.total)))
            @for n in &r.notices {
                br; span.notice { (v.both(&n.message_ar, &n.message)) }
            }
        }
        (mode_switch(&v, &qs, sort, r.mode))
        p.sort {
            (v.t("الترتيب", "Sort")) ": "
            @if by_date {
                a href=(v.href(&format!("/search?{qs}{mode}"))) { (v.t("حسب الصلة", "by relevance")) }
                " · " strong { (v.t("حسب التاريخ", "by date")) }
            } @else {
                strong { (v.t("حسب الصلة", "by relevance")) }
                " · " a href=(v.href(&format!("/search?{qs}{mode}&sort=date"))) { (v.t("حسب التاريخ", "by date")) }
            }
        }
        @if !r.topics.is_empty() {
            section.near-topics aria-labelledby="near-topics" {
                h2 #near-topics { (v.t("مواضيع الفهرس القريبة من سؤالك", "Topics of the index close to your query")) }
                ul {
                    @for t in &r.topics {
                        @let (label, lang) = match (v.lang, &t.label_en) {
                            (Lang::En, Some(en)) => (en.as_str(), "en"),
                            _ => (t.label.as_str(), "ar"),
                        };
                        li { a href=(v.href(&format!("/topics/{}", t.id))) lang=(lang) { (label) } }
                    }
                }
            }
        }
        ol.hits start=(offset + 1) {
            @for h in &r.hits {
                li {
                    a href=(v.provision_href(&h.id)) { (v.cite(&h.id)) }
                    " "
                    span.cite lang=(v.other_lang()) dir=(v.other_dir()) { (v.cite_other(&h.id)) }
                    " " (matched_by(&v, h.matched_by))
                    " " (super::basket::add_button(&v, &held, &h.id))
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
            a href={ "/search.csv?" (qs) (mode) } download { "CSV" }
            " · "
            a href={ "/api/v1/search?" (qs) (mode) "&limit=100" } { "JSON" }
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
    params
        .entry("repair".into())
        .or_insert_with(|| "true".into());
    let result = match SearchParams::read(&params) {
        Ok(p) => {
            let offset = p.offset;
            p.run(app).await.map(|r| (r, offset))
        }
        Err(e) => Err(e),
    };
    match result {
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
