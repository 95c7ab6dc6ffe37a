//! The editions: their list, what changed between two, and on a
//! provision page its history.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fihris_model::ProvisionId;
use fihris_view::{EditionBrief, HistoryEntry};
use maud::{Markup, html};

use super::agreed::runs;
use super::layout::View;
use crate::state::App;

fn when(e: &EditionBrief) -> String {
    e.published_at.as_deref().map_or_else(
        || "draft".to_owned(),
        |t| t.get(..10).unwrap_or(t).to_owned(),
    )
}

/// `/editions`: the editions, each linked to what changed since the one
/// before.
pub async fn editions(State(app): State<Arc<App>>, v: View) -> Markup {
    let list = app.editions.briefs();
    let title = v.t("النسخ", "Editions");
    let body = html! {
        h1 { (title) }
        @if list.len() < 2 {
            p { (v.both(
                "نسخة واحدة فقط: الخلاصة كما نُشرت.",
                "One edition only: the compendium as published.",
            )) }
        }
        ol.editions {
            @for (k, e) in list.iter().enumerate() {
                li {
                    strong lang="en" dir="ltr" { (e.name) } " "
                    span.when lang="en" dir="ltr" { "(" (when(e)) ")" }
                    @if k > 0 {
                        " — " a href=(v.href(&format!("/editions/{}...{}", list[k - 1].name, e.name))) {
                            (v.t("ما تغيّر منذ ", "what changed since ")) (list[k - 1].name)
                        }
                    }
                }
            }
        }
    };
    v.page(title, body)
}

/// `/editions/{a}...{b}`: what changed from edition a to edition b.
pub async fn edition_diff(
    State(app): State<Arc<App>>,
    v: View,
    Path(range): Path<String>,
) -> Response {
    let Some((a, b)) = range.split_once("...") else {
        return v.not_found(&range);
    };
    let Some(d) = app.editions.diff(a, b) else {
        return v.not_found(&range);
    };
    let title = format!("{a} → {b}");
    let body = html! {
        h1 lang="en" dir="ltr" { (title) }
        @if d.is_empty() {
            p { (v.both("لا فرق بين النسختين.", "No differences between the two editions.")) }
        }
        @if !d.changed.is_empty() {
            h2 { (v.t("أحكام عُدّل نصها", "Provisions whose text changed")) }
            ul.changed {
                @for c in &d.changed {
                    li {
                        a href=(v.provision_href(&c.id)) { (v.cite(&c.id)) }
                        div.text.diff lang="ar" dir="rtl" {
                            @for r in &c.before {
                                @if r.shared || r.text.trim().is_empty() { (r.text) } @else { del { (r.text) } }
                            }
                            br;
                            @for r in &c.after {
                                @if r.shared || r.text.trim().is_empty() { (r.text) } @else { ins { (r.text) } }
                            }
                        }
                    }
                }
            }
        }
        @if !d.sections_added.is_empty() {
            h2 { (v.t("اجتماعات أُضيفت", "Meetings added")) }
            ul {
                @for id in &d.sections_added {
                    li { a href=(v.section_href(*id)) { (v.cite_section(*id)) } }
                }
            }
        }
        @for (heading, ids) in [
            (v.t("أحكام أُضيفت", "Provisions added"), &d.added),
            (v.t("أحكام حُذفت", "Provisions removed"), &d.removed),
        ] {
            @if !ids.is_empty() {
                h2 { (heading) }
                ul { @for id in ids { li { a href=(v.provision_href(id)) { (v.cite(id)) } } } }
            }
        }
        @if !d.topics_added.is_empty() {
            h2 { (v.t("مواضيع أُضيفت", "Topics added")) }
            ul {
                @for t in &d.topics_added {
                    li { a href=(v.href(&format!("/topics/{t}"))) lang="en" dir="ltr" { (t) } }
                }
            }
        }
        @for (heading, filings) in [
            (v.t("فهرسة جديدة", "Filed"), &d.filed),
            (v.t("فهرسة أُلغيت", "Taken off"), &d.unfiled),
        ] {
            @if !filings.is_empty() {
                h2 { (heading) }
                ul {
                    @for f in filings {
                        li {
                            a href=(v.provision_href(&f.provision)) { (v.cite(&f.provision)) }
                            " → "
                            a href=(v.href(&format!("/topics/{}", f.topic))) lang="en" dir="ltr" { (f.topic) }
                        }
                    }
                }
            }
        }
    };
    v.page(&title, body).into_response()
}

/// A provision page's history across editions (nothing when it never
/// changed).
pub(super) fn history_section(v: &View, history: &[HistoryEntry]) -> Markup {
    html! {
        @if !history.is_empty() {
            section.history aria-labelledby="history-h" {
                h2 #history-h { (v.t("تاريخ الحكم", "History")) }
                ol {
                    @for e in history {
                        li {
                            strong lang="en" dir="ltr" { (e.edition.name) } " "
                            span.when lang="en" dir="ltr" { "(" (when(&e.edition)) ")" } " — "
                            (match e.status {
                                "added" => v.t("أُضيف", "added"),
                                "changed" => v.t("عُدّل نصه", "text changed"),
                                "removed" => v.t("حُذف", "removed"),
                                _ => v.t("دون تغيير", "unchanged"),
                            })
                            @if !e.runs.is_empty() {
                                div.text lang="ar" dir="rtl" { (runs(&e.runs)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The page of a provision the latest edition removed: when, not a bare
/// 404.
pub(super) fn removed(app: &App, v: &View, id: &ProvisionId) -> Option<Response> {
    let e = app.editions.removed_in(id)?;
    let body = html! {
        h1 { (v.cite(id)) }
        p.notice role="status" {
            (v.both(
                &format!("حُذف هذا الحكم في النسخة {}.", e.name),
                &format!("This provision was removed in edition {}.", e.name),
            ))
            " " a href=(v.href("/editions")) { (v.t("النسخ", "Editions")) }
        }
    };
    Some((StatusCode::GONE, v.page(&v.cite(id), body)).into_response())
}
