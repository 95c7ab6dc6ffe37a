//! The downloads page: the record as data (JSON, CSV, SKOS, Akoma Ntoso)
//! and the compendium as a PDF, each with its size and licence note.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::layout::View;
use crate::publication::{downloads, pdf_bytes};
use crate::state::App;

/// A size as people read it, in the interface language (1,234 bytes → "1.2 KB").
fn size(v: &View, bytes: usize) -> String {
    let (n, ar, en) = if bytes >= 1 << 20 {
        (bytes as f64 / f64::from(1 << 20), "ميغابايت", "MB")
    } else {
        (bytes as f64 / 1024.0, "كيلوبايت", "KB")
    };
    format!("{n:.1} {}", v.t(ar, en))
}

/// The licence note of the record's text and of what fihris adds.
fn licence(v: &View, pdf: bool) -> Markup {
    html! {
        (v.t(
            "النص: © الأمم المتحدة (مكتب الأمم المتحدة المعني بالمخدرات والجريمة) 2021، يُستشهد بمصدره. البنية والمعرّفات والتسميات الإنكليزية من فهرس: Apache-2.0.",
            "Text: © United Nations (UNODC) 2021; cite the source. Structure, identifiers and English labels added by fihris: Apache-2.0.",
        ))
        @if pdf {
            " "
            (v.t("الخط أميري: SIL Open Font License 1.1.", "Typeface Amiri: SIL Open Font License 1.1."))
        }
    }
}

/// `GET /downloads`.
pub async fn downloads_page(State(app): State<Arc<App>>, v: View) -> Response {
    let files = match downloads(&app).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let pdf = match pdf_bytes(&app).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let title = v.t("التنزيلات", "Downloads");
    let body = html! {
        h1 { (title) }
        p { (v.t(
            "السجل كاملًا بصيغ مفتوحة، مأخوذًا من النسخة المعروضة الآن، والخلاصة مصفوفة من جديد بصيغة PDF.",
            "The whole record in open formats, made from the edition served now, and the compendium set anew as a PDF.",
        )) }
        ul.downloads-list {
            li {
                a href="/publication.pdf" type="application/pdf" { "fihris-compendium.pdf" }
                " — " (size(&v, pdf.len()))
                p { (v.t(
                    "الخلاصة كاملة مصفوفة من السجل: الجزءان ألف وباء والفهرس المواضيعي بأرقام صفحاته (PDF، بخط أميري، من اليمين إلى اليسار)",
                    "The whole compendium set from the record: Parts A and B and the thematic index with its page numbers (PDF, in Amiri, right to left)",
                )) }
                p.licence { (licence(&v, true)) }
            }
            @for d in files.iter() {
                li {
                    a href=(format!("/downloads/{}", d.file)) type=(d.content_type) download { (d.file) }
                    " — " (size(&v, d.bytes.len()))
                    p { (v.t(d.what_ar, d.what_en)) }
                    p.licence { (licence(&v, false)) }
                }
            }
        }
        p { (v.t(
            "وللبرامج: ",
            "For programs: ",
        )) a href="/api/v1/openapi.json" { "API (OpenAPI 3.1)" } }
    };
    v.page(title, body).into_response()
}
