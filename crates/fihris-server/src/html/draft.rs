//! The draft page: paste a draft, see each clause beside the agreed
//! provisions closest to it, what is verbatim and what is new, and
//! download the annotated draft as Markdown. A plain form post: no script
//! needed. Drafts are not kept.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_agreed::draft::{MAX_DRAFT, VERBATIM_WORDS};
use fihris_view::{DraftClause, DraftView, Lang};
use maud::{Markup, html};
use serde::Deserialize;

use super::agreed::{closeness, runs};
use super::layout::View;
use crate::draft::{DEFAULT_K, check};
use crate::error::Error;
use crate::state::App;

/// The form's fields.
#[derive(Deserialize)]
pub struct DraftForm {
    /// The draft.
    #[serde(default)]
    text: String,
}

/// The form, filled with `text`.
fn draft_form(v: &View, text: &str) -> Markup {
    html! {
        form.draft action=(v.href("/draft")) method="post" {
            label for="draft-text" {
                (v.t(
                    "الصق فقرة أو مشروعًا كاملًا، بأي لغة من لغات الأمم المتحدة (8 كيلوبايت على الأكثر):",
                    "Paste a paragraph or a whole draft, in any UN language (at most 8 KiB):",
                ))
            }
            textarea #draft-text name="text" rows="10" dir="auto" required
                maxlength=(MAX_DRAFT) { (text) }
            p.note { (v.t(
                "لا تُحفظ المشاريع: يُفحص النص ثم يُنسى.",
                "Drafts are not kept: the text is checked, then forgotten.",
            )) }
            div.buttons {
                button type="submit" { (v.t("افحص", "Check")) }
                " "
                button type="submit" formaction=(v.href("/draft.md")) {
                    (v.t("نزّل بصيغة Markdown", "Download as Markdown"))
                }
            }
        }
    }
}

fn title(v: &View) -> &'static str {
    v.t(
        "فحص مشروع باللغة المتفق عليها",
        "Check a draft against agreed language",
    )
}

/// `GET /draft`: the empty form.
pub async fn draft_page(v: View) -> Markup {
    let body = html! {
        h1 { (title(&v)) }
        p { (v.t(
            "يقسّم فهرس المشروع إلى جمل وفقرات، ويعرض لكلٍّ منها أقرب الأحكام المعتمدة مع مراجعها، وما هو متفق عليه حرفيًا وما هو جديد.",
            "fihris cuts the draft into sentences and clauses and shows, for each, the closest adopted provisions with their citations, what is agreed verbatim and what is new.",
        )) }
        (draft_form(&v, ""))
    };
    v.page(title(&v), body)
}

/// The form's text (empty if the body is not the form) and the draft
/// checked, or why not.
async fn run(
    app: Arc<App>,
    form: Result<Form<DraftForm>, FormRejection>,
) -> (String, Result<DraftView, Error>) {
    match form {
        Ok(Form(f)) => {
            let checked = check(app, f.text.clone(), DEFAULT_K).await;
            (f.text, checked)
        }
        Err(e) => {
            let err = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::too_large(e.body_text(), "المشروع أكبر من الحد المسموح")
            } else {
                Error::bad(e.body_text(), "تعذّرت قراءة النموذج")
            };
            (String::new(), Err(err))
        }
    }
}

fn error_page(v: &View, text: &str, e: &Error) -> Response {
    let body = html! {
        h1 { (title(v)) }
        p.error role="alert" { (v.both(&e.message_ar, &e.message)) }
        (draft_form(v, text))
    };
    (e.status, v.page(title(v), body)).into_response()
}

/// `POST /draft`: the draft checked, under the form filled with it.
pub async fn draft_post(
    State(app): State<Arc<App>>,
    v: View,
    form: Result<Form<DraftForm>, FormRejection>,
) -> Response {
    match run(app, form).await {
        (text, Ok(view)) => {
            let body = html! {
                h1 { (title(&v)) }
                (draft_form(&v, &text))
                (results(&v, &view))
            };
            v.page(title(&v), body).into_response()
        }
        (text, Err(e)) => error_page(&v, &text, &e),
    }
}

/// `POST /draft.md`: the annotated draft as a Markdown file.
pub async fn draft_markdown(
    State(app): State<Arc<App>>,
    v: View,
    form: Result<Form<DraftForm>, FormRejection>,
) -> Response {
    match run(app, form).await {
        (_, Ok(view)) => (
            [
                (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"draft-checked.md\"",
                ),
            ],
            view.to_markdown(v.lang == Lang::En),
        )
            .into_response(),
        (text, Err(e)) => error_page(&v, &text, &e),
    }
}

/// The summary and the clauses.
fn results(v: &View, view: &DraftView) -> Markup {
    html! {
        section.draft-results aria-labelledby="draft-results-h" {
            h2 #draft-results-h { (v.t("النتيجة", "Result")) }
            p.summary role="status" {
                @if let Some(c) = view.coverage {
                    (v.both(
                        &format!(
                            "التغطية الحرفية {:.0}٪: {} كلمة متفق عليها حرفيًا (تتابعات من {VERBATIM_WORDS} كلمات على الأقل، في الجمل العربية).",
                            c * 100.0, view.verbatim
                        ),
                        &format!(
                            "Verbatim coverage {:.0}%: {} words agreed verbatim (runs of at least {VERBATIM_WORDS} words, in the Arabic clauses).",
                            c * 100.0, view.verbatim
                        ),
                    ))
                } @else {
                    (v.both(
                        "المشروع ليس بالعربية، لغة السجل: تُقارن الجمل بالمعنى وحده، بلا تغطية حرفية.",
                        "The draft is not in Arabic, the record's language: clauses are compared by meaning only, with no verbatim coverage.",
                    ))
                }
                br;
                span.note {
                    @if view.by_meaning {
                        (v.t("رُتّبت الأحكام بالصياغة المشتركة وبالمعنى.", "Provisions ranked by shared wording and by meaning."))
                    } @else {
                        (v.t(
                            "رُتّبت الأحكام بالصياغة المشتركة وحدها (البحث بالمعنى غير متاح الآن).",
                            "Provisions ranked by shared wording only (meaning search is not available now).",
                        ))
                    }
                }
            }
            p.legend {
                mark { (v.t("متفق عليه حرفيًا", "agreed verbatim")) }
                " · "
                ins { (v.t("جديد", "new")) }
            }
            ol.clauses {
                @for c in &view.clauses { (clause(v, c)) }
            }
        }
    }
}

fn clause(v: &View, c: &DraftClause) -> Markup {
    html! {
        li.clause {
            div.clause-text dir="auto" {
                @for r in &c.runs {
                    @if r.shared { mark { (r.text) } }
                    @else if r.text.trim().is_empty() { (r.text) }
                    @else { ins { (r.text) } }
                }
            }
            @if c.closest.is_empty() {
                p.note { (v.t(
                    "لا حكم يشاركها صياغتها.",
                    "No provision shares its wording.",
                )) }
            } @else {
                @if let Some(id) = &c.compared {
                    div.compared {
                        p.note {
                            (v.t("قورنت كلمةً كلمة بـ", "Compared word by word with "))
                            a href=(v.provision_href(id)) { (v.cite(id)) }
                            " (" (c.verbatim) "/" (c.words) " " (v.t("كلمة متفق عليها", "words agreed")) ")"
                        }
                        div.text lang="ar" dir="rtl" { (runs(&c.provision_runs)) }
                    }
                }
                ol.similar-list {
                    @for m in &c.closest {
                        li {
                            (closeness(v, &m.id, m.matched_by, m.wording, m.meaning))
                            @if let Some(r) = &m.citation.report {
                                " " span.symbol lang="en" dir="ltr" { (r.symbol) ", " (r.paragraph) }
                            }
                        }
                    }
                }
            }
        }
    }
}
