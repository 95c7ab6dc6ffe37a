//! The editor page: the draft as it stands (its changes, what it adds,
//! the cross-check of the thematic index against its text, shown before
//! publishing), topic suggestions for the provisions it adds (with how
//! often they were right on past meetings), and plain forms to import a
//! meeting, correct a text, file or unfile a provision, add a topic and
//! publish. No script: each form carries the editor's key (a password
//! field) and the draft's tag, and goes through the same checks as the
//! write API (401, 403, 409 on a stale tag, 400 on a refused change).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_edit::Change;
use fihris_editorial::DraftState;
use fihris_store::Role;
use fihris_view::SuggestView;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::View;
use crate::editorial::{Writes, check_key, draft_state, meeting_change, run_write};
use crate::error::Error;
use crate::state::App;

/// How many added provisions get topic suggestions on the page.
const SUGGESTED: usize = 30;

/// A form's fields (each form sends the ones it has).
#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    name: String,
}

fn title(v: &View) -> &'static str {
    v.t("المحرّر: المسودة والنشر", "Editor: the draft and publishing")
}

/// The key and tag fields every form carries.
fn credentials(v: &View, tag: &str) -> Markup {
    html! {
        input type="hidden" name="tag" value=(tag);
        label {
            (v.t("مفتاح المحرّر", "Editor's key")) " "
            input type="password" name="key" required autocomplete="current-password" dir="ltr";
        }
    }
}

/// A labelled input.
fn field(label: &str, name: &str, required: bool) -> Markup {
    html! {
        label { (label) " " input type="text" name=(name) required[required] dir="auto"; }
    }
}

/// A severity's name in the page's language.
fn severity(v: &View, s: fihris_model::Severity) -> &'static str {
    match s {
        fihris_model::Severity::Error => v.t("خطأ", "error"),
        fihris_model::Severity::Warning => v.t("تنبيه", "warning"),
        fihris_model::Severity::Info => v.t("ملاحظة", "note"),
    }
}

/// The draft's changes, the index cross-check and what it adds.
fn state_section(v: &View, s: &DraftState) -> Markup {
    html! {
        p {
            (v.t("المسودة تلي النسخة", "The draft continues edition")) " "
            strong { (s.base) } " — "
            @if s.open {
                (s.changes.len()) " " (v.t("تعديلاً", "changes"))
            } @else {
                (v.t("لا مسودة مفتوحة: أول تعديل يفتحها", "no draft open: the first change opens one"))
            }
            " — " (v.t("وسم المسودة", "the draft's tag")) " " code dir="ltr" { (s.tag) }
        }
        @if !s.changes.is_empty() {
            h2 { (v.t("تعديلات المسودة", "The draft's changes")) }
            ol.changes {
                @for c in &s.changes {
                    li { code dir="ltr" { (c.kind) " " (c.target) } " — " span dir="auto" { (c.reason) } }
                }
            }
        }
        h2 { (v.t("مراجعة الفهرس المواضيعي قبل النشر", "The thematic index checked before publishing")) }
        @if s.checks.is_empty() {
            p { (v.t("لا ملاحظات.", "Nothing to note.")) }
        } @else {
            ul.checks {
                @for c in &s.checks {
                    li class=(format!("check-{}", c.severity)) {
                        strong { (severity(v, c.severity)) } " " (v.both(&c.message_ar, &c.message))
                    }
                }
            }
        }
    }
}

/// Suggested topics for each added provision, each with a form to file it.
fn suggestions_section(
    v: &View,
    s: &DraftState,
    suggested: &[(usize, Result<SuggestView, Error>)],
) -> Markup {
    if s.added.is_empty() {
        return html! {};
    }
    let precision = suggested
        .iter()
        .find_map(|(_, r)| r.as_ref().ok())
        .map(|sv| sv.precision);
    html! {
        h2 { (v.t("الأحكام الجديدة والمواضيع المقترحة لها", "New provisions and the topics suggested for them")) }
        @if let Some(p) = precision {
            p.note {
                (v.t("كان الاقتراح الأول صحيحاً", "The first suggestion was right"))
                " " strong { ((p.p_at_1 * 10.0).round() as u32) } " "
                (v.t(
                    "مرات من كل 10 على الاجتماعات السابقة (يُتنبّأ بفهرسة كل اجتماع من فهرسة الاجتماعات الأخرى وحدها).",
                    "times in 10 on past meetings (each meeting's filings predicted from the other meetings' alone).",
                ))
            }
        }
        @for (k, result) in suggested {
            @let a = &s.added[*k];
            section.added {
                h3 { (v.cite(&a.id)) }
                p lang="ar" dir="rtl" { (a.text) }
                @if !a.topics.is_empty() {
                    p { (v.t("مفهرس تحت", "Filed under")) " " @for t in &a.topics { code dir="ltr" { (t) } " " } }
                }
                @match result {
                    Ok(sv) => {
                        ul.suggested {
                            @for t in &sv.suggestions {
                                li {
                                    form.inline action=(v.href("/editor/change")) method="post" {
                                        input type="hidden" name="action" value="file";
                                        input type="hidden" name="id" value=(a.id);
                                        input type="hidden" name="topic" value=(t.id);
                                        input type="hidden" name="reason" value="suggested topic accepted";
                                        span lang="ar" dir="rtl" { (t.label) } " "
                                        code dir="ltr" { (t.id) } " "
                                        (credentials(v, &s.tag))
                                        button type="submit" { (v.t("افهرس تحته", "File under it")) }
                                    }
                                }
                            }
                        }
                    }
                    Err(e) => { p.error { (v.both(&e.message_ar, &e.message)) } }
                }
            }
        }
    }
}

/// The forms: import, correct, file/unfile, add a topic, publish.
fn forms(v: &View, tag: &str) -> Markup {
    html! {
        h2 #import { (v.t("استيراد اجتماع", "Import a meeting")) }
        p.note { (v.t(
            "ترويسة بين سطري +++ (meeting, start, end, place, symbol, offset) ثم نص الاجتماع كما في الخلاصة. يُقبل الملف كله أو يُرفض كله.",
            "A header between +++ lines (meeting, start, end, place, symbol, offset), then the meeting laid out as in the compendium. All of it is taken, or none.",
        )) }
        form.editor action=(v.href("/editor/meeting")) method="post" {
            (field(v.t("اسم الملف", "File name"), "file", true))
            label { (v.t("نص الملف", "The file's text")) textarea name="text" rows="12" dir="auto" required {} }
            (field(v.t("السبب (اختياري)", "Reason (optional)"), "reason", false))
            (credentials(v, tag))
            button type="submit" { (v.t("استورد", "Import")) }
        }
        h2 #correct { (v.t("تصويب نص", "Correct a text")) }
        form.editor action=(v.href("/editor/change")) method="post" {
            input type="hidden" name="action" value="correct";
            (field(v.t("المعرّف", "Id"), "id", true))
            label { (v.t("النص المصوَّب", "Corrected text")) textarea name="text" rows="4" dir="rtl" required {} }
            (field(v.t("السبب", "Reason"), "reason", true))
            (credentials(v, tag))
            button type="submit" { (v.t("صوّب", "Correct")) }
        }
        h2 #file { (v.t("فهرسة حكم أو رفعها", "File or unfile a provision")) }
        form.editor action=(v.href("/editor/change")) method="post" {
            label { (v.t("العملية", "Action")) " "
                select name="action" {
                    option value="file" { (v.t("افهرس", "File")) }
                    option value="unfile" { (v.t("ارفع الفهرسة", "Unfile")) }
                }
            }
            (field(v.t("المعرّف", "Id"), "id", true))
            (field(v.t("الموضوع", "Topic"), "topic", true))
            (field(v.t("السبب", "Reason"), "reason", true))
            (credentials(v, tag))
            button type="submit" { (v.t("نفّذ", "Apply")) }
        }
        h2 #topic { (v.t("إضافة موضوع", "Add a topic")) }
        form.editor action=(v.href("/editor/change")) method="post" {
            input type="hidden" name="action" value="add-topic";
            (field(v.t("معرّف الموضوع", "Topic id"), "topic", true))
            (field(v.t("العنوان بالعربية", "Arabic label"), "label", true))
            (field(v.t("العنوان بالإنكليزية", "English label"), "label_en", false))
            (field(v.t("السبب", "Reason"), "reason", true))
            (credentials(v, tag))
            button type="submit" { (v.t("أضف", "Add")) }
        }
        h2 #publish { (v.t("نشر المسودة", "Publish the draft")) }
        form.editor action=(v.href("/editor/publish")) method="post" {
            (field(v.t("اسم النسخة (مثلاً 2027)", "Edition name (e.g. 2027)"), "name", true))
            (credentials(v, tag))
            button type="submit" { (v.t("انشر", "Publish")) }
        }
    }
}

/// The page, with a notice (done or refused) on top.
async fn page(
    app: Arc<App>,
    writes: Writes,
    v: &View,
    notice: Option<(StatusCode, Markup)>,
) -> Response {
    let state = match draft_state(writes.0).await {
        Ok(s) => s,
        Err(e) => {
            let body = html! { h1 { (title(v)) } p.error role="alert" { (v.both(&e.message_ar, &e.message)) } };
            return (e.status, v.page(title(v), body)).into_response();
        }
    };
    let mut suggested = Vec::new();
    for (k, a) in state.added.iter().enumerate().take(SUGGESTED) {
        suggested.push((
            k,
            crate::suggest::suggest(app.clone(), a.text.clone(), 3).await,
        ));
    }
    let (status, banner) = notice.unwrap_or((StatusCode::OK, html! {}));
    let body = html! {
        h1 { (title(v)) }
        (banner)
        (state_section(v, &state))
        (suggestions_section(v, &state, &suggested))
        (forms(v, &state.tag))
    };
    (status, v.page(title(v), body)).into_response()
}

/// `GET /editor`.
pub async fn editor_page(
    State(app): State<Arc<App>>,
    State(writes): State<Writes>,
    v: View,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let notice = q.get("done").map(|done| {
        (
            StatusCode::OK,
            html! { p.done role="status" { (v.t("تم:", "Done:")) " " code dir="ltr" { (done) } } },
        )
    });
    page(app, writes, &v, notice).await
}

/// After a write: back to the page (303), or the page with why not.
async fn answer(app: Arc<App>, writes: Writes, v: &View, done: Result<String, Error>) -> Response {
    match done {
        Ok(what) => {
            let to = format!(
                "{}?done={}",
                v.href("/editor"),
                super::layout::url_encode(&what)
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err(e) => {
            let banner = html! { p.error role="alert" { (v.both(&e.message_ar, &e.message)) } };
            page(app, writes, v, Some((e.status, banner))).await
        }
    }
}

/// The form's fields, or a 400.
fn fields(form: Result<Form<EditForm>, FormRejection>) -> Result<EditForm, Error> {
    form.map(|Form(f)| f).map_err(|e| {
        let too_large = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
        let err = Error::bad(
            format!("not the editor's form: {}", e.body_text()),
            "ليس نموذج المحرّر",
        );
        if too_large {
            Error::too_large(err.message, err.message_ar)
        } else {
            err
        }
    })
}

/// Non-empty `s`, trimmed.
fn given(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Records `change` with `reason` in the draft as the holder of the
/// form's key, if the form's tag is still the draft's; what was done.
async fn record(
    writes: &Writes,
    (key, tag): (&str, &str),
    change: Change,
    reason: String,
) -> Result<String, Error> {
    let what = format!("{} {}", change.kind(), change.target());
    run_write(
        writes.0.clone(),
        (given(key), given(tag)),
        Role::Editor,
        move |ed, who, tag| ed.apply(who, &change, &reason, Some(tag)),
    )
    .await?;
    Ok(what)
}

/// `POST /editor/change`: a correction, a filing, an unfiling or a topic.
pub async fn change_post(
    State(app): State<Arc<App>>,
    State(writes): State<Writes>,
    v: View,
    form: Result<Form<EditForm>, FormRejection>,
) -> Response {
    let done = async {
        let f = fields(form)?;
        let change = match f.action.as_str() {
            "correct" => Change::CorrectText {
                id: f.id.trim().into(),
                text: f.text,
            },
            "file" => Change::File {
                id: f.id.trim().into(),
                topic: f.topic.trim().into(),
            },
            "unfile" => Change::Unfile {
                id: f.id.trim().into(),
                topic: f.topic.trim().into(),
            },
            "add-topic" => Change::AddTopic {
                topic: f.topic.trim().into(),
                label: f.label,
                label_en: given(&f.label_en),
            },
            other => {
                return Err(Error::bad(
                    format!("no action {other:?} (correct, file, unfile, add-topic)"),
                    "عملية غير معروفة",
                ));
            }
        };
        record(&writes, (&f.key, &f.tag), change, f.reason).await
    }
    .await;
    answer(app, writes, &v, done).await
}

/// `POST /editor/meeting`: a meeting file imported into the draft.
pub async fn meeting_post(
    State(app): State<Arc<App>>,
    State(writes): State<Writes>,
    v: View,
    form: Result<Form<EditForm>, FormRejection>,
) -> Response {
    let done = async {
        let f = fields(form)?;
        // The key first: a file is read for its holder only.
        check_key(writes.0.clone(), given(&f.key), Role::Editor).await?;
        // Browsers send text areas with CRLF line ends.
        let text = f.text.replace("\r\n", "\n");
        let (change, reason, _) = meeting_change(&f.file, &text, given(&f.reason))?;
        record(&writes, (&f.key, &f.tag), change, reason).await
    }
    .await;
    answer(app, writes, &v, done).await
}

/// `POST /editor/publish`: the draft published (publisher's key).
pub async fn publish_post(
    State(app): State<Arc<App>>,
    State(writes): State<Writes>,
    v: View,
    form: Result<Form<EditForm>, FormRejection>,
) -> Response {
    let done = async {
        let f = fields(form)?;
        let name = f.name;
        let e = run_write(
            writes.0.clone(),
            (given(&f.key), given(&f.tag)),
            Role::Publisher,
            move |ed, who, tag| ed.publish(who, &name, Some(tag)),
        )
        .await?;
        Ok(format!("edition {}", e.name))
    }
    .await;
    answer(app, writes, &v, done).await
}
