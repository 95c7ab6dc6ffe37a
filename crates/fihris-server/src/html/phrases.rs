//! Reused formulations: the `/phrases` page, and on a provision page where
//! its wording first appeared and where it was reused.

use std::sync::Arc;

use axum::extract::State;
use fihris_agreed::Run;
use fihris_agreed::phrases::MIN_WORDS;
use fihris_model::ProvisionId;
use fihris_view::{FormulationView, PhraseOccurrence, PhrasesView};
use maud::{Markup, html};

use super::layout::View;
use crate::state::App;

/// Runs of a reuse's text: what the other side lacks marked with `tag`
/// (`ins` for the later text, `del` for the first).
fn changes(runs: &[Run], ins: bool) -> Markup {
    html! {
        @for r in runs {
            @if r.shared || r.text.trim().is_empty() { (r.text) }
            @else if ins { ins { (r.text) } }
            @else { del { (r.text) } }
        }
    }
}

/// An occurrence named: its citation linked, and when.
fn place(v: &View, o: &PhraseOccurrence) -> Markup {
    html! {
        a href=(v.provision_href(&o.id)) { (v.cite(&o.id)) }
        " " span.when lang="en" dir="ltr" { "(" (o.when) ")" }
    }
}

fn formulation(v: &View, f: &FormulationView) -> Markup {
    html! {
        li.formulation {
            div.text lang="ar" dir="rtl" { "«" (f.first.text) "»" }
            p.first {
                (v.t("ظهرت أولاً في ", "First appeared in ")) (place(v, &f.first))
                " · " (v.both(
                    &format!("{} قسم", f.sections),
                    &format!("{} meetings or sessions", f.sections),
                ))
            }
            ul.reuses {
                @for r in &f.reuses {
                    li {
                        (place(v, &r.at)) " — "
                        @if r.exact {
                            span.exact { (v.t("بالنص نفسه", "word for word")) }
                        } @else {
                            span.changed { (v.t("مع تغيير", "with changes")) }
                            div.text.diff lang="ar" dir="rtl" {
                                (changes(&r.first_runs, false)) br; (changes(&r.runs, true))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/phrases`: the formulations reused across meetings and sessions.
pub async fn phrases(State(app): State<Arc<App>>, v: View) -> Markup {
    let view = PhrasesView::of(&app.corpus, &app.phrases, None);
    let title = v.t(
        "صياغات تكرّرت من اجتماع أو دورة إلى أخرى",
        "Formulations reused from one meeting or session to another",
    );
    let body = html! {
        h1 { (title) }
        p {
            (v.both(
                &format!(
                    "{} صياغة أُعيد استعمالها {} مرة: {MIN_WORDS} كلمات مشتركة على الأقل، حرفيًا أو بتغيير يسير، لا تُحسب فيها أسماء الصكوك والهيئات ولا الإحالات. تُنسب كل صياغة إلى أقدم اجتماع أو دورة ظهرت فيه.",
                    view.formulations.len(), view.reuses
                ),
                &format!(
                    "{} formulations reused {} times: at least {MIN_WORDS} words in common, word for word or with small changes, names of instruments and bodies and citations not counted. Each is traced to the earliest meeting or session it appeared in.",
                    view.formulations.len(), view.reuses
                ),
            ))
        }
        ol.formulations {
            @for f in &view.formulations { (formulation(&v, f)) }
        }
    };
    v.page(title, body)
}

/// A provision page's "where its wording first appeared" and "where it
/// was reused", when it has either.
pub(super) fn provision_section(v: &View, view: &PhrasesView, id: &ProvisionId) -> Markup {
    let from: Vec<(&FormulationView, &fihris_view::ReuseView)> = view
        .formulations
        .iter()
        .flat_map(|f| {
            f.reuses
                .iter()
                .filter(|r| r.at.id == *id)
                .map(move |r| (f, r))
        })
        .collect();
    let first: Vec<&FormulationView> = view
        .formulations
        .iter()
        .filter(|f| f.first.id == *id)
        .collect();
    html! {
        @if !from.is_empty() || !first.is_empty() {
            section.phrases aria-labelledby="phrases-h" {
                h2 #phrases-h { (v.t("صياغة متكرّرة", "Reused wording")) }
                ul {
                    @for (f, r) in &from {
                        li {
                            div.text lang="ar" dir="rtl" { "«" (r.at.text) "»" }
                            (v.t("ظهرت هذه الصياغة أولاً في ", "This wording first appeared in "))
                            (place(v, &f.first))
                            @if !r.exact { " " span.changed { (v.t("(مع تغيير)", "(with changes)")) } }
                        }
                    }
                    @for f in &first {
                        li {
                            div.text lang="ar" dir="rtl" { "«" (f.first.text) "»" }
                            (v.t("أُعيد استعمال هذه الصياغة في ", "This wording was reused in "))
                            @for (k, r) in f.reuses.iter().enumerate() {
                                @if k > 0 { ", " }
                                (place(v, &r.at))
                            }
                        }
                    }
                }
                p { a href=(v.href("/phrases")) { (v.t("كل الصياغات المتكرّرة", "All reused formulations")) } }
            }
        }
    }
}
