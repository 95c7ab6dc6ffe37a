//! Pages of the record: home, provision, meeting/session, document symbol,
//! findings; and the old interface-language switch.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_model::{Corpus, ProvisionId, Section, SectionId, XrefTarget};
use fihris_view::{
    Lang, MandateChain, PhrasesView, ProvisionView, SimilarView, citation_text, originals,
    section_cited_by,
};
use maud::{Markup, html};

use super::agreed::similar_section;
use super::layout::{View, href_in, site_path, url_encode};
use super::search::search_form;
use super::topics::{topic_label, topic_tree};
use crate::error::Error;
use crate::state::App;

/// `/`: the search box, the meetings and sessions, the topics.
pub async fn home(State(app): State<Arc<App>>, v: View) -> Markup {
    let c = &app.corpus;
    let body = html! {
        h1.visually-hidden { (v.t("فهرس: الخلاصة الوافية والفهرس المواضيعي", "fihris: the compendium and its thematic index")) }
        (search_form(&v, ""))
        h2 { (v.t("الاجتماعات والدورات", "Meetings and sessions")) }
        ul.sections {
            @for s in &c.sections {
                @let n = c.provisions_in(s.id).count();
                li {
                    a href=(v.section_href(s.id)) { (v.section_title(s)) }
                    " "
                    span.cite {
                        "(" (match v.lang { Lang::Ar => format!("{n} أحكام"), Lang::En => format!("{n} provisions") }) ")"
                    }
                }
            }
        }
        h2 { (v.t("المواضيع", "Topics")) }
        (topic_tree(&v, c))
        p {
            a href=(v.href("/topics")) { (v.t("المواضيع حسب الاجتماعات", "Topics by meeting")) }
            " · "
            a href=(v.href("/documents")) { (v.t("الوثائق الأصلية", "Source documents")) }
            " · "
            a href=(v.href("/findings")) { (v.t("ما وجده المدقق في المصدر", "What the checker found")) }
        }
    };
    v.page(v.t("الصفحة الرئيسية", "Home"), body)
}

/// A cross-reference's target: a link when the record has it.
fn link(v: &View, corpus: &Corpus, target: &XrefTarget) -> Markup {
    match target {
        XrefTarget::Provision { id } if corpus.provision(id).is_some() => {
            html! { a.xref href=(v.provision_href(id)) { (v.cite(id)) } }
        }
        XrefTarget::Provision { id } => html! { (v.cite(id)) },
        XrefTarget::Section { id } if corpus.section(*id).is_some() => {
            html! { a.xref href=(v.section_href(*id)) { (v.cite_section(*id)) } }
        }
        XrefTarget::Section { id } => html! { (id.cite_ar()) },
        XrefTarget::External { reference, .. } => {
            html! { span lang="en" dir="ltr" { (reference) } }
        }
    }
}

/// A heading and a list; nothing when there are no items.
fn titled_list(heading: &str, class: &str, items: &[Markup]) -> Markup {
    html! {
        @if !items.is_empty() {
            h2 { (heading) }
            ul class=(class) {
                @for item in items { li { (item) } }
            }
        }
    }
}

/// The link to a source document's page.
fn document_href(v: &View, symbol: &str) -> String {
    v.href(&format!("/documents/{}", url_encode(symbol)))
}

/// Where an imported section came from, and a plain warning when its text
/// is synthetic (made up for tests and demonstrations).
fn imported_note(v: &View, s: &Section) -> Markup {
    let Some(i) = &s.imported else {
        return html! {};
    };
    html! {
        @if i.synthetic {
            p.synthetic role="note" {
                strong { (v.t("نص اصطناعي للاختبار", "Synthetic test text")) } ": "
                (v.t(
                    "ليس توصيات اجتماع حقيقي؛ أُدرج لاختبار الاستيراد وعرضه.",
                    "not the recommendations of a real meeting; imported to test and show the import.",
                ))
            }
        }
        p.imported {
            (v.t("استورد من الملف", "Imported from the file")) " "
            code lang="en" dir="ltr" { (i.file) }
        }
    }
}

/// Links to the document `symbol` in the six official languages (ODS);
/// nothing for a synthetic section (its symbol names no real document).
fn originals_links(v: &View, s: &Section, symbol: &str) -> Markup {
    if s.is_synthetic() {
        return html! {};
    }
    html! {
        p.originals {
            (v.t("الوثيقة بلغات الأمم المتحدة الست", "The document in the six UN languages")) ": "
            @for o in originals(symbol) {
                a href=(o.url) hreflang=(o.lang) lang=(o.lang) rel="external" title=(o.name_en) { (o.name) }
                " "
            }
        }
    }
}

/// The source document and paragraph of a provision.
fn source(v: &View, c: &Corpus, view: &ProvisionView) -> Markup {
    let label = v.t("الوثيقة الأصلية", "Source document");
    let Some(section) = c.section(view.provision.id.section) else {
        return html! {};
    };
    if let Some(r) = &view.citation.report {
        return html! {
            p.source {
                (label) ": "
                span lang="en" dir="ltr" {
                    a href=(document_href(v, &r.symbol)) { (r.symbol) } ", " (r.paragraph)
                }
            }
            (originals_links(v, section, &r.symbol))
            (imported_note(v, section))
        };
    }
    let symbol = section.symbol.as_deref();
    html! {
        @if let Some(i) = &view.citation.instrument {
            p.source {
                (label) ": " (v.both(&i.ar, &i.en))
                @if let Some(s) = symbol {
                    " — " a href=(document_href(v, s)) lang="en" dir="ltr" { (s) }
                }
            }
            @if let Some(s) = symbol { (originals_links(v, section, s)) }
        }
    }
}

/// `/provisions/{id}`: the full text, citations, original symbol and
/// paragraph, footnotes, topics, cross-references, previous and next.
pub async fn provision(
    State(app): State<Arc<App>>,
    v: View,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Response {
    let c = &app.corpus;
    let asked = raw.parse::<ProvisionId>().ok();
    let Some(view) = asked.as_ref().and_then(|id| ProvisionView::of(c, id)) else {
        if let Some(gone) = asked.and_then(|id| super::editions::removed(&app, &v, &id)) {
            return gone;
        }
        return v.not_found(&raw);
    };
    let id = &view.provision.id;
    let title = v.cite(id);
    let children: Vec<&ProvisionId> = view.children.iter().collect();
    let topics: Vec<Markup> = c
        .topics_of(id)
        .map(|t| {
            let (label, lang) = topic_label(&v, t, true);
            html! { a href=(v.href(&format!("/topics/{}", t.id))) lang=(lang) { (label) } }
        })
        .collect();
    let xrefs: Vec<Markup> = view
        .cross_references
        .iter()
        .map(|x| link(&v, c, &x.target))
        .collect();
    let cited_by: Vec<Markup> = view
        .cited_by
        .iter()
        .map(|x| html! { a href=(v.provision_href(&x.from)) { (v.cite(&x.from)) } })
        .collect();
    let vectors = app.provision_vectors();
    let similar = SimilarView::of(c, &app.wording, vectors.as_ref().map(|v| v.index()), id, 5);
    let phrases = PhrasesView::of(c, &app.phrases, Some(id));
    let body = html! {
        h1 { (title) }
        p.cite lang=(v.other_lang()) dir=(v.other_dir()) { (v.cite_other(id)) }
        @if let Some(s) = c.section(id.section) {
            p { a href=(v.section_href(s.id)) { (v.section_title(s)) } }
        }
        (source(&v, c, &view))
        p {
            button.copy type="button" hidden
                data-copy=(citation_text(c, id, v.lang))
                data-done=(v.t("نُسخ المرجع", "Citation copied"))
                data-failed=(v.t("تعذّر النسخ", "Could not copy"))
                aria-controls="copy-status" { (v.t("نسخ المرجع", "Copy citation")) }
            " "
            span #copy-status role="status" {}
        }
        (super::basket::add_form(&v, &headers, id))
        div.text lang="ar" dir="rtl" {
            @for para in view.provision.text.lines() { p { (para) } }
        }
        @if !children.is_empty() {
            h2 { (v.t("الفقرات الفرعية", "Sub-provisions")) }
            (v.provision_list(c, &children))
        }
        (titled_list(v.t("المواضيع", "Topics"), "topics", &topics))
        (titled_list(v.t("إحالات", "Cross-references"), "xrefs", &xrefs))
        (titled_list(v.t("أحكام تحيل إلى هذا الحكم", "Cited by"), "cited-by", &cited_by))
        (super::phrases::provision_section(&v, &phrases, id))
        (super::editions::history_section(&v, &app.editions.history(id)))
        @if let Some(similar) = &similar {
            (similar_section(&v, similar))
        }
        @if !view.footnotes.is_empty() {
            h2 { (v.t("الحواشي", "Footnotes")) }
            ol.footnotes lang="ar" dir="rtl" {
                @for f in &view.footnotes {
                    li value=(f.number) {
                        (f.text.as_deref().unwrap_or("(النص مفقود في المصدر)"))
                    }
                }
            }
        }
        nav.pager aria-label=(v.t("الحكم السابق والتالي", "Previous and next provision")) {
            @if let Some(prev) = &view.previous {
                a rel="prev" href=(v.provision_href(prev)) { (v.t("→ السابق", "← Previous")) " " (prev) }
            }
            @if let Some(next) = &view.next {
                a rel="next" href=(v.provision_href(next)) { (v.t("التالي ←", "Next →")) " " (next) }
            }
        }
    };
    v.page(&title, body).into_response()
}

/// `/sections/{id}`: a meeting or session with its provisions.
pub async fn section(State(app): State<Arc<App>>, v: View, Path(raw): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(s) = raw.parse::<SectionId>().ok().and_then(|id| c.section(id)) else {
        return v.not_found(&raw);
    };
    let title = v.section_title(s);
    let chain = MandateChain::of(c);
    let ids: Vec<&ProvisionId> = c.provisions_in(s.id).map(|p| &p.id).collect();
    // Who cites the section (a meeting by its dates, a session by its
    // instrument), from outside it.
    let cited_by: Vec<Markup> = section_cited_by(c, s.id)
        .iter()
        .map(|x| {
            html! {
                a href=(v.provision_href(&x.from)) { (v.cite(&x.from)) }
                " — " span lang="ar" dir="rtl" { "«" (x.text) "»" }
            }
        })
        .collect();
    let body = html! {
        h1 { (title) }
        @if v.lang == Lang::En {
            p lang="ar" dir="rtl" { (s.heading) }
        }
        @if let Some(symbol) = &s.symbol {
            p.source {
                (v.t("الوثيقة الأصلية", "Source document")) ": "
                a href=(document_href(&v, symbol)) lang="en" dir="ltr" { (symbol) }
            }
        }
        (imported_note(&v, s))
        @if let Some(cs) = &s.session {
            div lang="ar" dir="rtl" {
                p { strong { (cs.instrument.arabic()) } " — " (cs.title) }
                p { (cs.chapeau) }
            }
        }
        @if let Some(note) = &s.note {
            p lang="ar" dir="rtl" { (note) }
        }
        (v.provision_list(c, &ids))
        (titled_list(v.t("أحكام تحيل إلى هذا القسم", "Cited by"), "cited-by", &cited_by))
        @if chain.involves(s.id) {
            (super::agreed::mandate_section(&v, &chain, s.id))
        }
    };
    v.page(&title, body).into_response()
}

/// `/documents`: every source document symbol the record cites.
pub async fn documents(State(app): State<Arc<App>>, v: View) -> Markup {
    let c = &app.corpus;
    let title = v.t("الوثائق الأصلية", "Source documents");
    let body = html! {
        h1 #documents-title { (title) }
        (table("documents-title", [
            v.t("رمز الوثيقة", "Document symbol"),
            v.t("القسم", "Section"),
            v.t("الأحكام", "Provisions"),
        ], html! {
            @for s in &c.sections {
                @if let Some(symbol) = &s.symbol {
                    tr {
                        td { a href=(document_href(&v, symbol)) lang="en" dir="ltr" { (symbol) } }
                        td { a href=(v.section_href(s.id)) { (v.section_title(s)) } }
                        td { (c.provisions_in(s.id).count()) }
                    }
                }
            }
        }))
    };
    v.page(title, body)
}

/// `/documents/{symbol}`: one source document — its section, and each of
/// its paragraphs as the compendium numbers it, beside the original
/// paragraph number.
pub async fn document(
    State(app): State<Arc<App>>,
    v: View,
    Path(symbol): Path<String>,
) -> Response {
    let c = &app.corpus;
    let wanted = symbol.trim().trim_end_matches('/');
    let Some((s, sym)) = c.sections.iter().find_map(|s| {
        s.symbol
            .as_deref()
            .filter(|x| x.eq_ignore_ascii_case(wanted))
            .map(|x| (s, x))
    }) else {
        return v.not_found(&symbol);
    };
    let body = html! {
        h1 #document-title lang="en" dir="ltr" { (sym) }
        p { a href=(v.section_href(s.id)) { (v.section_title(s)) } }
        (originals_links(&v, s, sym))
        (table("document-title", [
            v.t("في الخلاصة", "In the compendium"),
            v.t("في الوثيقة الأصلية", "In the source document"),
            v.t("النص", "Text"),
        ], html! {
            @for p in c.provisions_in(s.id).filter(|p| p.id.path.len() == 1) {
                tr {
                    td { a href=(v.provision_href(&p.id)) { (v.cite(&p.id)) } }
                    td lang="en" dir="ltr" {
                        (c.report_citation(&p.id)
                            .map(|(_, para)| para)
                            .or_else(|| c.instrument_citation(&p.id).map(|(en, _)| en))
                            .unwrap_or_default())
                    }
                    td lang="ar" dir="rtl" { (p.text.chars().take(120).collect::<String>()) "…" }
                }
            }
        }))
    };
    v.page(sym, body).into_response()
}

/// A table of three columns under the heading `title_id`, scrolling
/// sideways inside its own region on a narrow screen.
fn table(title_id: &str, heads: [&str; 3], rows: Markup) -> Markup {
    html! {
        div.table-wrap tabindex="0" role="region" aria-labelledby=(title_id) {
            table.symbols {
                thead { tr { @for h in heads { th scope="col" { (h) } } } }
                tbody { (rows) }
            }
        }
    }
}

/// `/findings`: what the checker found in the source, for editors.
pub async fn findings(State(app): State<Arc<App>>, v: View) -> Markup {
    let n = app.corpus.findings.len();
    let body = html! {
        h1 { (v.t("ما وجده المدقق في المصدر", "What the checker found in the source")) }
        p {
            (v.both(
                &format!("{n} ملاحظة، لكل منها سطرها في المصدر."),
                &format!("{n} findings, each with its line in the source.")
            ))
        }
        ul.findings {
            @for f in &app.corpus.findings {
                li {
                    strong { (v.t("السطر", "Line")) " " (f.line) }
                    " [" code { (f.code) } "] "
                    (v.both(&f.message_ar, &f.message))
                }
            }
        }
    };
    v.page(v.t("ما وجده المدقق", "Findings"), body)
}

/// `/lang/{ar|en}?back=/path`: the switch of earlier releases, which kept
/// the language in a cookie. The language is now in the address: this
/// goes to the page in the asked language (only paths on this site are
/// followed) and keeps the cookie as a remembered preference.
pub async fn set_lang(
    Path(code): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return Error::bad(
            format!("unknown interface language {code:?}: ar or en"),
            "لغة الواجهة إما ar أو en",
        )
        .into_response();
    };
    let back = params
        .get("back")
        .filter(|b| site_path(b))
        .map_or("/", String::as_str);
    let back = View::at(back).here;
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, href_in(lang, &back)),
            (
                header::SET_COOKIE,
                format!(
                    "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    lang.code()
                ),
            ),
        ],
    )
        .into_response()
}

/// Name of the cookie that remembers the interface language last chosen.
pub const LANG_COOKIE: &str = "fihris-lang";
