//! Topic pages and the topic × meeting heatmap.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use fihris_model::{Corpus, ProvisionId};

use super::{View, escape};
use crate::App;

/// `/topics/{id}`: one topic, its provisions grouped by meeting or session.
pub async fn topic(State(app): State<Arc<App>>, v: View, Path(id): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(t) = c.topics.iter().find(|t| t.id == id) else {
        return v.not_found(&id);
    };
    let title = if t.unlabelled {
        format!("{} ({})", v.t("موضوع بلا تسمية", "Unlabelled topic"), t.id)
    } else {
        t.path.join(" › ")
    };
    let mut body = format!("<h1 lang=\"ar\" dir=\"rtl\">{}</h1>", escape(&title));
    let _ = write!(
        body,
        "<p>{}</p>",
        v.both(
            &format!(
                "{} حكماً مصنفة تحت هذا الموضوع في الفهرس المواضيعي.",
                t.provisions.len()
            ),
            &format!(
                "{} provisions filed under this topic in the thematic index.",
                t.provisions.len()
            )
        )
    );
    for s in &c.sections {
        let ids: Vec<&ProvisionId> = t.provisions.iter().filter(|p| p.section == s.id).collect();
        if !ids.is_empty() {
            let _ = write!(
                body,
                "<h2><a href=\"/sections/{}\">{}</a></h2>",
                s.id,
                escape(&v.section_title(s))
            );
            body.push_str(&v.provision_list(c, &ids));
        }
    }
    v.page(&title, &body).into_response()
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
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" pointer-events=\"none\">{n}</text>",
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

/// `/topics`: the topic × meeting heatmap.
pub async fn topics(State(app): State<Arc<App>>, v: View) -> Html<String> {
    let body = format!(
        "<h1>{}</h1><p>{}</p><div class=\"heatmap\">{}</div>",
        v.t("المواضيع حسب الاجتماعات والدورات", "Topics by meeting and session"),
        v.t(
            "كل خانة عدد الأحكام المصنفة تحت الموضوع في ذلك الاجتماع أو تلك الدورة؛ والخانة رابط إلى الموضوع.",
            "Each cell counts the provisions filed under the topic in that meeting or session, and links to the topic."
        ),
        heatmap(&app.corpus)
    );
    v.page(v.t("المواضيع", "Topics"), &body)
}
