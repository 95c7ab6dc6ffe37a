//! The search page and its CSV download.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fihris_model::ProvisionId;

use super::{View, escape, url_encode};
use crate::App;
use crate::api::run_search;

/// The search box, filled with `q`.
pub fn search_form(v: &View, q: &str) -> String {
    format!(
        r#"<form class="search" action="/search" method="get" role="search">
<label for="q" class="cite">{label}</label>
<input id="q" name="q" type="search" value="{q}" maxlength="500" dir="auto" placeholder="{hint}">
<button type="submit">{go}</button>
</form>"#,
        label = v.t("ابحث", "Search"),
        q = escape(q),
        hint = v.t(
            "مثال: تعويض الضحايا، ثانياً-55، decision 4/4",
            "e.g. تعويض الضحايا, II-55, decision 4/4"
        ),
        go = v.t("بحث", "Search"),
    )
}

/// The snippet with its highlights as `<mark>`, everything escaped.
fn marked(snippet: &str, highlights: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (a, b) in highlights {
        if *a < at
            || *b > snippet.len()
            || !snippet.is_char_boundary(*a)
            || !snippet.is_char_boundary(*b)
        {
            continue;
        }
        out.push_str(&escape(&snippet[at..*a]));
        out.push_str("<mark>");
        out.push_str(&escape(&snippet[*a..*b]));
        out.push_str("</mark>");
        at = *b;
    }
    out.push_str(&escape(&snippet[at..]));
    out
}

/// `/search?q=…&sort=…&offset=…`: hits with highlighted snippets, facets,
/// paging and downloads.
pub async fn search(
    State(app): State<Arc<App>>,
    v: View,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    let mut body = search_form(&v, &q);
    let r = match run_search(&app, &params) {
        Ok(r) => r,
        Err(e) => {
            let _ = write!(
                body,
                "<p class=\"error\" role=\"alert\">{}</p>",
                v.both(&e.message_ar, &e.message)
            );
            return (e.status, v.page(v.t("خطأ في البحث", "Search error"), &body)).into_response();
        }
    };
    let by_date = params.get("sort").is_some_and(|s| s == "date");
    let qs = format!("q={}", url_encode(&q));
    let _ = write!(
        body,
        "<p class=\"summary\" role=\"status\">{}</p>",
        v.both(
            &format!("{} نتيجة", r.total),
            &format!("{} results", r.total)
        )
    );
    let _ = write!(
        body,
        "<p class=\"sort\">{}: {} · {}</p>",
        v.t("الترتيب", "Sort"),
        if by_date {
            format!(
                "<a href=\"/search?{}\">{}</a>",
                escape(&qs),
                v.t("حسب الصلة", "by relevance")
            )
        } else {
            format!("<strong>{}</strong>", v.t("حسب الصلة", "by relevance"))
        },
        if by_date {
            format!("<strong>{}</strong>", v.t("حسب التاريخ", "by date"))
        } else {
            format!(
                "<a href=\"/search?{}&amp;sort=date\">{}</a>",
                escape(&qs),
                v.t("حسب التاريخ", "by date")
            )
        },
    );
    let offset = params
        .get("offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    let _ = write!(body, "<ol class=\"hits\" start=\"{}\">", offset + 1);
    for h in &r.hits {
        let id: Option<ProvisionId> = h.id.parse().ok();
        let (ar, en) = id
            .as_ref()
            .map(|i| (i.cite_ar(), i.cite_en()))
            .unwrap_or_default();
        let (main, other) = match v.lang {
            super::Lang::Ar => (ar, en),
            super::Lang::En => (en, ar),
        };
        let text = if h.snippet.is_empty() {
            id.as_ref()
                .and_then(|i| app.corpus.provision(i))
                .map(|p| escape(&p.text))
                .unwrap_or_default()
        } else {
            marked(&h.snippet, &h.highlights)
        };
        let _ = write!(
            body,
            "<li><a href=\"/provisions/{id}\">{main}</a> <span class=\"cite\" {attrs}>{other}</span><p lang=\"ar\" dir=\"rtl\">{text}</p></li>",
            id = escape(&h.id),
            main = escape(&main),
            other = escape(&other),
            attrs = v.other_attrs(),
        );
    }
    body.push_str("</ol>");
    let sort = if by_date { "&sort=date" } else { "" };
    body.push_str("<nav class=\"pager\">");
    if offset > 0 {
        let _ = write!(
            body,
            "<a rel=\"prev\" href=\"/search?{}\">{}</a>",
            escape(&format!(
                "{qs}{sort}&offset={}",
                offset.saturating_sub(r.hits.len().max(10))
            )),
            v.t("→ السابق", "← Previous")
        );
    }
    if offset + r.hits.len() < r.total {
        let _ = write!(
            body,
            "<a rel=\"next\" href=\"/search?{}\">{}</a>",
            escape(&format!("{qs}{sort}&offset={}", offset + r.hits.len())),
            v.t("التالي ←", "Next →")
        );
    }
    body.push_str("</nav>");
    let _ = write!(
        body,
        "<p>{}: <a href=\"/search.csv?{qs}\" download>CSV</a> · <a href=\"/api/v1/search?{qs}&amp;limit=100\">JSON</a></p><div class=\"facets\"><h2>{}</h2>",
        v.t("تنزيل النتائج", "Download the results"),
        v.t("حسب الاجتماع أو الدورة", "By meeting or session"),
        qs = escape(&qs),
    );
    for (k, n) in &r.facets.section {
        let _ = write!(
            body,
            "<a href=\"/search?{}\">{} ({n})</a> ",
            escape(&format!("q={}", url_encode(&format!("{q} section:{k}")))),
            escape(k)
        );
    }
    body.push_str("</div>");
    v.page(&format!("{}: {q}", v.t("بحث", "Search")), &body)
        .into_response()
}

/// Search results as CSV (up to 100 hits).
pub async fn search_csv(
    State(app): State<Arc<App>>,
    Query(mut params): Query<HashMap<String, String>>,
) -> Response {
    params.entry("limit".into()).or_insert_with(|| "100".into());
    match run_search(&app, &params) {
        Ok(r) => {
            let mut out = String::from("rank,id,citation_ar,citation_en,score\n");
            let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            for (k, h) in r.hits.iter().enumerate() {
                let id: Option<ProvisionId> = h.id.parse().ok();
                let (ar, en) = id
                    .as_ref()
                    .map(|i| (i.cite_ar(), i.cite_en()))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{},{},{},{},{:.4}",
                    k + 1,
                    h.id,
                    quote(&ar),
                    quote(&en),
                    h.score
                );
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"fihris-search.csv\"",
                    ),
                ],
                out,
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_escaped() {
        assert_eq!(marked("أ <b> ج", &[(0, 2)]), "<mark>أ</mark> &lt;b&gt; ج");
        // Out-of-order or out-of-range highlights are skipped, not panicked on.
        assert_eq!(marked("ab", &[(1, 2), (0, 1), (1, 9)]), "a<mark>b</mark>");
    }
}
