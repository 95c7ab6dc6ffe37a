//! The topic tree, topic pages and the topic × meeting heatmap.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fihris_model::{Corpus, ProvisionId, Topic};
use fihris_view::{FoundTopic, Lang, find_topic};
use maud::{Markup, html};

use super::layout::View;
use crate::state::App;

/// A topic's name in the interface language, and that name's language:
/// the English label in the English interface (when the register gives
/// one), the Arabic label otherwise; `whole` gives heading › sub-topic, else
/// the label alone.
pub fn topic_label(v: &View, t: &Topic, whole: bool) -> (String, &'static str) {
    if t.unlabelled {
        return (
            format!("{} ({})", v.t("موضوع بلا تسمية", "Unlabelled topic"), t.id),
            v.lang.code(),
        );
    }
    match (v.lang, &t.label_en) {
        (Lang::En, Some(en)) => (en.replace(": ", " › "), "en"),
        _ if whole => (t.path.join(" › "), "ar"),
        _ => (t.label.clone(), "ar"),
    }
}

/// The name of a sub-topic under its heading, in the interface language.
fn sub_label(v: &View, t: &Topic) -> (String, &'static str) {
    match (v.lang, &t.label_en) {
        (Lang::En, Some(en)) => (
            en.split_once(": ")
                .map_or(en.as_str(), |(_, s)| s)
                .to_owned(),
            "en",
        ),
        _ => (t.path[1..].join(" › "), "ar"),
    }
}

/// The thematic index as a tree: each heading with its sub-topics, as the
/// printed index files them (a heading is a link when it is itself a
/// topic), with the number of provisions filed under each.
pub fn topic_tree(v: &View, c: &Corpus) -> Markup {
    let item = |t: &Topic, (label, lang): (String, &str)| {
        html! {
            a href=(v.href(&format!("/topics/{}", t.id))) lang=(lang) { (label) }
            " " span.cite { "(" (t.provisions.len()) ")" }
        }
    };
    let mut groups: Vec<&[Topic]> = Vec::new();
    let mut k = 0;
    while k < c.topics.len() {
        let head = c.topics[k].path.first();
        let mut end = k + 1;
        // Topics without a label (no path) stand alone.
        while end < c.topics.len() && head.is_some() && c.topics[end].path.first() == head {
            end += 1;
        }
        groups.push(&c.topics[k..end]);
        k = end;
    }
    html! {
        ul.topics {
            @for group in groups {
                @let (own, subs): (Vec<&Topic>, Vec<&Topic>) = group.iter().partition(|t| t.path.len() <= 1);
                li {
                    @match own.first() {
                        Some(t) => (item(t, topic_label(v, t, false))),
                        None => {
                            @let head = group.first().and_then(|t| t.path.first()).cloned().unwrap_or_default();
                            @let en_head = group.first().and_then(|t| t.label_en.as_deref()).and_then(|e| e.split_once(": ")).map(|(h, _)| h);
                            @match (v.lang, en_head) {
                                (Lang::En, Some(h)) => span lang="en" { (h) },
                                _ => span lang="ar" { (head) },
                            }
                        }
                    }
                    @if !subs.is_empty() {
                        ul {
                            @for t in subs { li { (item(t, sub_label(v, t))) } }
                        }
                    }
                }
            }
        }
    }
}

/// `/topics/{id}`: one topic, its provisions grouped by meeting or session;
/// a former id (an old link) moves permanently to the current one.
pub async fn topic(State(app): State<Arc<App>>, v: View, Path(id): Path<String>) -> Response {
    let c = &app.corpus;
    let t = match find_topic(c, &id) {
        Some(FoundTopic::Here(t)) => t,
        Some(FoundTopic::Moved(t)) => {
            let to = v.href(&format!("/topics/{}", t.id));
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
        }
        None => return v.not_found(&id),
    };
    let (title, lang) = topic_label(&v, t, true);
    let n = t.provisions.len();
    let body = html! {
        h1 lang=(lang) dir=(if lang == "ar" { "rtl" } else { "ltr" }) { (title) }
        @if v.lang == Lang::En && !t.unlabelled {
            p lang="ar" dir="rtl" { (t.path.join(" › ")) }
        }
        p {
            (v.both(
                &format!("{n} حكماً مصنفة تحت هذا الموضوع في الفهرس المواضيعي."),
                &format!("{n} provisions filed under this topic in the thematic index.")
            ))
        }
        @for s in &c.sections {
            @let ids: Vec<&ProvisionId> = t.provisions.iter().filter(|p| p.section == s.id).collect();
            @if !ids.is_empty() {
                h2 { a href=(v.section_href(s.id)) { (v.section_title(s)) } }
                (v.provision_list(c, &ids))
            }
        }
    };
    v.page(&title, body).into_response()
}

/// The topic × meeting heatmap: one row per topic, one column per section,
/// each cell the number of provisions, linking to the topic page.
fn heatmap(v: &View, c: &Corpus) -> Markup {
    let (label_w, cell, row_h) = (360, 44, 26);
    let width = label_w + cell * c.sections.len();
    let height = row_h * (c.topics.len() + 1);
    let count = |t: &Topic, s| t.provisions.iter().filter(|p| p.section == s).count();
    let max = c
        .topics
        .iter()
        .flat_map(|t| c.sections.iter().map(move |s| count(t, s.id)))
        .max()
        .unwrap_or(1)
        .max(1);
    let view_box = format!("0 0 {width} {height}");
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="heatmap-title"
            width=(width) height=(height) viewBox=(view_box) direction="ltr" {
            @for (j, s) in c.sections.iter().enumerate() {
                text x=(label_w + j * cell + cell / 2) y="18" text-anchor="middle" font-size="13" aria-hidden="true" { (s.id) }
            }
            @for (i, t) in c.topics.iter().enumerate() {
                @let y = row_h * (i + 1);
                @let (label, lang) = topic_label(v, t, false);
                @let short: String = label.chars().take(48).collect();
                @let href = v.href(&format!("/topics/{}", t.id));
                a href=(href) {
                    text x=(label_w - 6) y=(y + 17) text-anchor="start" font-size="13"
                        direction=(if lang == "ar" { "rtl" } else { "ltr" }) lang=(lang) { (short) }
                }
                @for (j, s) in c.sections.iter().enumerate() {
                    @let n = count(t, s.id);
                    @let alpha = if n == 0 { 0.0 } else { 0.15 + 0.85 * n as f64 / max as f64 };
                    @let x = label_w + j * cell;
                    a href=(href) aria-label={ (label) ", " (v.cite_section(s.id)) ": " (n) } {
                        rect x=(x) y=(y) width=(cell) height=(row_h) fill="rgb(11,92,173)"
                            fill-opacity=(format!("{alpha:.2}")) stroke="#d9dee5" {
                            title { (t.id) " " (s.id) ": " (n) }
                        }
                        @if n > 0 {
                            text x=(x + cell / 2) y=(y + 17) text-anchor="middle" font-size="12"
                                pointer-events="none" aria-hidden="true"
                                fill=(if alpha > 0.55 { "#ffffff" } else { "#1d2733" }) { (n) }
                        }
                    }
                }
            }
        }
    }
}

/// `/topics`: the topic × meeting heatmap.
pub async fn topics(State(app): State<Arc<App>>, v: View) -> Markup {
    let body = html! {
        h1 #heatmap-title { (v.t("المواضيع حسب الاجتماعات والدورات", "Topics by meeting and session")) }
        p {
            (v.t(
                "كل خانة عدد الأحكام المصنفة تحت الموضوع في ذلك الاجتماع أو تلك الدورة؛ والخانة رابط إلى الموضوع.",
                "Each cell counts the provisions filed under the topic in that meeting or session, and links to the topic."
            ))
        }
        div.heatmap tabindex="0" role="region" aria-labelledby="heatmap-title" { (heatmap(&v, &app.corpus)) }
    };
    v.page(v.t("المواضيع", "Topics"), body)
}
