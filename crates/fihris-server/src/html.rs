//! Server-rendered pages, Arabic first: right to left, Arabic typefaces,
//! every text escaped, no script.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use fihris_model::{Corpus, ProvisionId, XrefTarget};

use crate::App;
use crate::api::run_search;

/// Routes of the pages.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/provisions/{id}", get(provision))
        .route("/sections/{id}", get(section))
        .route("/topics", get(topics))
        .route("/topics/{id}", get(topic))
        .route("/findings", get(findings))
        .route("/search.csv", get(search_csv))
        .route("/assets/app.css", get(css))
}

/// Percent-encodes a query-string value.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1d2733; --muted: #5b6776; --line: #d9dee5; --accent: #0b5cad; --mark: #fff1a8; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Amiri", "Noto Naskh Arabic", "Noto Sans Arabic", "Arial", serif;
       font-size: 1.15rem; line-height: 1.8; color: var(--ink); background: #fbfbfa; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid var(--line); }
header a.brand { font-size: 1.6rem; font-weight: bold; color: var(--ink); text-decoration: none; }
a { color: var(--accent); }
a:focus, button:focus, input:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
form.search { display: flex; gap: 0.5rem; margin: 1rem 0; }
form.search input { flex: 1; font: inherit; padding: 0.4rem 0.6rem; border: 1px solid var(--muted); border-radius: 4px; }
form.search button { font: inherit; padding: 0.4rem 1rem; }
mark { background: var(--mark); }
.cite { color: var(--muted); font-size: 0.95rem; }
.en { direction: ltr; unicode-bidi: isolate; }
ol.hits > li { margin-bottom: 1rem; }
.facets { font-size: 0.95rem; color: var(--muted); }
.error { border: 1px solid #c0392b; padding: 0.5rem 1rem; background: #fdecea; }
nav.pager { display: flex; justify-content: space-between; margin-top: 1rem; }
.heatmap { overflow-x: auto; direction: ltr; }
.heatmap svg a:focus rect { stroke: #f2a900; stroke-width: 3; }
@media (max-width: 40rem) { body { font-size: 1.05rem; } header { flex-direction: column; } }
"#;

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — فهرس</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header><a class="brand" href="/">فهرس</a><span>الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي</span></header>
<main>
{body}
</main>
<footer class="cite">fihris — <span class="en" lang="en">Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021)</span></footer>
</body>
</html>"#,
        title = escape(title)
    ))
}

fn search_form(q: &str) -> String {
    format!(
        r#"<form class="search" action="/search" method="get" role="search">
<label for="q" class="cite">ابحث</label>
<input id="q" name="q" type="search" value="{}" maxlength="500" placeholder="مثال: تعويض الضحايا، ثانياً-55، decision 4/4">
<button type="submit">بحث</button>
</form>"#,
        escape(q)
    )
}

async fn home(State(app): State<Arc<App>>) -> Html<String> {
    let c = &app.corpus;
    let mut body = search_form("");
    body.push_str("<h2>الاجتماعات والدورات</h2><ul>");
    for s in &c.sections {
        let _ = write!(
            body,
            "<li><a href=\"/sections/{}\">{}</a> <span class=\"cite\">({} أحكام)</span></li>",
            s.id,
            escape(&s.heading),
            c.provisions_in(s.id).count()
        );
    }
    body.push_str("</ul><h2>المواضيع</h2><ul>");
    for t in &c.topics {
        let label = if t.unlabelled {
            "موضوع بلا تسمية".to_owned()
        } else {
            t.label.clone()
        };
        let _ = write!(
            body,
            "<li><a href=\"/topics/{}\">{}</a> <span class=\"cite\">({})</span></li>",
            escape(&t.id),
            escape(&label),
            t.provisions.len()
        );
    }
    body.push_str(
        "</ul><p><a href=\"/topics\">المواضيع حسب الاجتماعات</a> · <a href=\"/findings\">ما وجده المدقق في المصدر</a></p>",
    );
    page("الصفحة الرئيسية", &body)
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

async fn search(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    let mut body = search_form(&q);
    match run_search(&app, &params) {
        Ok(r) => {
            let _ = write!(
                body,
                "<p>{} نتيجة <span class=\"en\" lang=\"en\">({} results)</span></p><ol class=\"hits\">",
                r.total, r.total
            );
            for h in &r.hits {
                let id: Option<ProvisionId> = h.id.parse().ok();
                let (ar, en) = id
                    .as_ref()
                    .map(|i| (i.cite_ar(), i.cite_en()))
                    .unwrap_or_default();
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
                    "<li><a href=\"/provisions/{id}\">{ar}</a> <span class=\"cite en\" lang=\"en\">{en}</span><p>{text}</p></li>",
                    id = escape(&h.id),
                    ar = escape(&ar),
                    en = escape(&en),
                );
            }
            let qs = escape(&format!("q={}", url_encode(&q)));
            let _ = write!(
                body,
                "</ol><p><a href=\"/search.csv?{qs}\" download>CSV</a> · <a href=\"/api/v1/search?{qs}&amp;limit=100\">JSON</a></p><div class=\"facets\">"
            );
            for (k, v) in &r.facets.section {
                let _ = write!(body, "<span>{} ({v})</span> ", escape(k));
            }
            body.push_str("</div>");
            page(&format!("بحث: {q}"), &body).into_response()
        }
        Err(e) => {
            let _ = write!(
                body,
                "<p class=\"error\" role=\"alert\">{} <span class=\"en\" lang=\"en\">{}</span></p>",
                escape(&e.message_ar),
                escape(&e.message)
            );
            (e.status, page("خطأ في البحث", &body)).into_response()
        }
    }
}

fn link(corpus: &Corpus, target: &XrefTarget) -> String {
    match target {
        XrefTarget::Provision { id } if corpus.provision(id).is_some() => {
            format!(
                "<a href=\"/provisions/{}\">{}</a>",
                escape(&id.to_string()),
                escape(&id.cite_ar())
            )
        }
        XrefTarget::Provision { id } => escape(&id.cite_ar()),
        XrefTarget::Section { id } => escape(&id.cite_ar()),
        XrefTarget::External { reference, .. } => format!(
            "<span class=\"en\" lang=\"en\">{}</span>",
            escape(reference)
        ),
    }
}

async fn provision(State(app): State<Arc<App>>, Path(raw): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(p) = raw
        .parse::<ProvisionId>()
        .ok()
        .and_then(|id| c.provision(&id))
    else {
        let body = format!(
            "<p class=\"error\" role=\"alert\">لا يوجد حكم بالمعرّف {} <span class=\"en\" lang=\"en\">No provision {}</span></p>",
            escape(&raw),
            escape(&raw)
        );
        return (StatusCode::NOT_FOUND, page("غير موجود", &body)).into_response();
    };
    let id = &p.id;
    let mut body = format!(
        "<h1>{}</h1><p class=\"cite en\" lang=\"en\">{}</p>",
        escape(&id.cite_ar()),
        escape(&id.cite_en())
    );
    if let Some((symbol, para)) = c.report_citation(id) {
        let _ = write!(
            body,
            "<p class=\"cite en\" lang=\"en\">{}, {}</p>",
            escape(&symbol),
            escape(&para)
        );
    }
    for para in p.text.lines() {
        let _ = write!(body, "<p>{}</p>", escape(para));
    }
    let topics: Vec<String> = c.topics_of(id).map(|t| escape(&t.label)).collect();
    if !topics.is_empty() {
        let _ = write!(
            body,
            "<h2>المواضيع</h2><ul><li>{}</li></ul>",
            topics.join("</li><li>")
        );
    }
    let xrefs: Vec<String> = c
        .xrefs
        .iter()
        .filter(|x| &x.from == id)
        .map(|x| link(c, &x.target))
        .collect();
    if !xrefs.is_empty() {
        let _ = write!(
            body,
            "<h2>إحالات</h2><ul><li>{}</li></ul>",
            xrefs.join("</li><li>")
        );
    }
    if !p.footnotes.is_empty() {
        body.push_str("<h2>الحواشي</h2><ol>");
        for n in &p.footnotes {
            let text = c
                .footnote(*n)
                .map_or("(النص مفقود في المصدر)".to_owned(), |f| {
                    f.text.clone()
                });
            let _ = write!(body, "<li value=\"{n}\">{}</li>", escape(&text));
        }
        body.push_str("</ol>");
    }
    let k = c.provisions.iter().position(|q| &q.id == id).unwrap_or(0);
    body.push_str("<nav class=\"pager\">");
    if let Some(prev) = k.checked_sub(1).and_then(|k| c.provisions.get(k)) {
        let _ = write!(
            body,
            "<a rel=\"prev\" href=\"/provisions/{0}\">→ {0}</a>",
            escape(&prev.id.to_string())
        );
    }
    if let Some(next) = c.provisions.get(k + 1) {
        let _ = write!(
            body,
            "<a rel=\"next\" href=\"/provisions/{0}\">{0} ←</a>",
            escape(&next.id.to_string())
        );
    }
    body.push_str("</nav>");
    page(&id.cite_ar(), &body).into_response()
}

/// A list of provisions as links with their citations.
fn provision_list(c: &Corpus, ids: &[&ProvisionId]) -> String {
    let mut out = String::from("<ul>");
    for id in ids {
        let text = c
            .provision(id)
            .map(|p| p.text.chars().take(160).collect::<String>())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li><a href=\"/provisions/{0}\">{1}</a> <span class=\"cite en\" lang=\"en\">{2}</span><br><span>{3}…</span></li>",
            escape(&id.to_string()),
            escape(&id.cite_ar()),
            escape(&id.cite_en()),
            escape(&text)
        );
    }
    out.push_str("</ul>");
    out
}

fn not_found(what: &str) -> Response {
    let body = format!(
        "<p class=\"error\" role=\"alert\">غير موجود: {0} <span class=\"en\" lang=\"en\">Not found: {0}</span></p>",
        escape(what)
    );
    (StatusCode::NOT_FOUND, page("غير موجود", &body)).into_response()
}

async fn section(State(app): State<Arc<App>>, Path(raw): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(s) = raw
        .parse::<fihris_model::SectionId>()
        .ok()
        .and_then(|id| c.section(id))
    else {
        return not_found(&raw);
    };
    let mut body = format!("<h1>{}</h1>", escape(&s.heading));
    if let Some(symbol) = &s.symbol {
        let _ = write!(
            body,
            "<p class=\"cite en\" lang=\"en\">{}</p>",
            escape(symbol)
        );
    }
    if let Some(cs) = &s.session {
        let _ = write!(
            body,
            "<p><strong>{}</strong> — {}</p><p>{}</p>",
            escape(&cs.instrument.arabic()),
            escape(&cs.title),
            escape(&cs.chapeau)
        );
    }
    if let Some(note) = &s.note {
        let _ = write!(body, "<p>{}</p>", escape(note));
    }
    let ids: Vec<&ProvisionId> = c.provisions_in(s.id).map(|p| &p.id).collect();
    body.push_str(&provision_list(c, &ids));
    page(&s.heading, &body).into_response()
}

async fn topic(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(t) = c.topics.iter().find(|t| t.id == id) else {
        return not_found(&id);
    };
    let title = if t.unlabelled {
        format!("موضوع بلا تسمية ({})", t.id)
    } else {
        t.path.join(" › ")
    };
    let mut body = format!("<h1>{}</h1>", escape(&title));
    for s in &c.sections {
        let ids: Vec<&ProvisionId> = t.provisions.iter().filter(|p| p.section == s.id).collect();
        if !ids.is_empty() {
            let _ = write!(
                body,
                "<h2><a href=\"/sections/{}\">{}</a></h2>",
                s.id,
                escape(&s.heading)
            );
            body.push_str(&provision_list(c, &ids));
        }
    }
    page(&title, &body).into_response()
}

/// The topic × meeting heatmap: one row per topic, one column per section,
/// each cell the number of provisions, linking to the topic page.
pub fn heatmap(c: &Corpus) -> String {
    let (label_w, cell, row_h) = (360, 44, 26);
    let width = label_w + cell * c.sections.len();
    let height = row_h * (c.topics.len() + 1);
    let max = c
        .topics
        .iter()
        .flat_map(|t| {
            c.sections
                .iter()
                .map(move |s| t.provisions.iter().filter(|p| p.section == s.id).count())
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"المواضيع حسب الاجتماعات\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" direction=\"ltr\">"
    );
    for (j, s) in c.sections.iter().enumerate() {
        let x = label_w + j * cell + cell / 2;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">{}</text>",
            s.id
        );
    }
    for (i, t) in c.topics.iter().enumerate() {
        let y = row_h * (i + 1);
        let label = if t.unlabelled {
            format!("بلا تسمية {}", t.id)
        } else {
            t.label.clone()
        };
        let short: String = label.chars().take(48).collect();
        let _ = write!(
            svg,
            "<a href=\"/topics/{id}\"><text x=\"{x}\" y=\"{ty}\" text-anchor=\"start\" font-size=\"13\" direction=\"rtl\">{label}</text></a>",
            id = escape(&t.id),
            x = label_w - 6,
            ty = y + 17,
            label = escape(&short)
        );
        for (j, s) in c.sections.iter().enumerate() {
            let n = t.provisions.iter().filter(|p| p.section == s.id).count();
            let alpha = if n == 0 {
                0.0
            } else {
                0.15 + 0.85 * n as f64 / max as f64
            };
            let x = label_w + j * cell;
            let _ = write!(
                svg,
                "<a href=\"/topics/{id}\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"rgb(11,92,173)\" fill-opacity=\"{alpha:.2}\" stroke=\"#d9dee5\"><title>{id} {sec}: {n}</title></rect>{num}</a>",
                id = escape(&t.id),
                w = cell,
                h = row_h,
                sec = s.id,
                num = if n > 0 {
                    format!(
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{n}</text>",
                        x + cell / 2,
                        y + 17
                    )
                } else {
                    String::new()
                },
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

async fn topics(State(app): State<Arc<App>>) -> Html<String> {
    let body = format!(
        "<h1>المواضيع حسب الاجتماعات والدورات</h1><div class=\"heatmap\">{}</div>",
        heatmap(&app.corpus)
    );
    page("المواضيع", &body)
}

async fn findings(State(app): State<Arc<App>>) -> Html<String> {
    let mut body = String::from(
        "<h1>ما وجده المدقق في المصدر</h1><p class=\"en\" lang=\"en\">What the checker found in the source text, for editors.</p><ul>",
    );
    for f in &app.corpus.findings {
        let _ = write!(
            body,
            "<li><strong>السطر {}</strong> [{}] {} <span class=\"en\" lang=\"en\">{}</span></li>",
            f.line,
            escape(f.code),
            escape(&f.message_ar),
            escape(&f.message)
        );
    }
    body.push_str("</ul>");
    page("ما وجده المدقق", &body)
}

/// Search results as CSV (all pages up to 100 hits).
async fn search_csv(
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
    fn escapes_and_marks() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(marked("أ <b> ج", &[(0, 2)]), "<mark>أ</mark> &lt;b&gt; ج");
    }
}
