//! Pages of the record: home, provision, meeting/session, document symbol,
//! findings; and the interface-language switch.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use fihris_model::{Corpus, ProvisionId, SectionId, XrefTarget};

use super::search::search_form;
use super::{LANG_COOKIE, Lang, View, escape, url_encode};
use crate::App;

/// `/`: the search box, the meetings and sessions, the topics.
pub async fn home(State(app): State<Arc<App>>, v: View) -> Html<String> {
    let c = &app.corpus;
    let mut body = search_form(&v, "");
    let _ = write!(
        body,
        "<h2>{}</h2><ul class=\"sections\">",
        v.t("الاجتماعات والدورات", "Meetings and sessions")
    );
    for s in &c.sections {
        let n = c.provisions_in(s.id).count();
        let _ = write!(
            body,
            "<li><a href=\"/sections/{}\">{}</a> <span class=\"cite\">({})</span></li>",
            s.id,
            escape(&v.section_title(s)),
            escape(&match v.lang {
                Lang::Ar => format!("{n} أحكام"),
                Lang::En => format!("{n} provisions"),
            })
        );
    }
    let _ = write!(body, "</ul><h2>{}</h2>", v.t("المواضيع", "Topics"));
    body.push_str(&topic_tree(&v, c));
    let _ = write!(
        body,
        "<p><a href=\"/topics\">{}</a> · <a href=\"/documents\">{}</a> · <a href=\"/findings\">{}</a></p>",
        v.t("المواضيع حسب الاجتماعات", "Topics by meeting"),
        v.t("الوثائق الأصلية", "Source documents"),
        v.t("ما وجده المدقق في المصدر", "What the checker found"),
    );
    v.page(v.t("الصفحة الرئيسية", "Home"), &body)
}

/// The thematic index as a tree: each heading with its sub-topics, as the
/// printed index files them (a heading is a link when it is itself a
/// topic), with the number of provisions filed under each.
fn topic_tree(v: &View, c: &Corpus) -> String {
    let item = |t: &fihris_model::Topic, label: &str| {
        let label = if t.unlabelled {
            format!("{} ({})", v.t("موضوع بلا تسمية", "Unlabelled topic"), t.id)
        } else {
            label.to_owned()
        };
        format!(
            "<a href=\"/topics/{}\" lang=\"ar\">{}</a> <span class=\"cite\">({})</span>",
            escape(&t.id),
            escape(&label),
            t.provisions.len()
        )
    };
    let mut out = String::from("<ul class=\"topics\">");
    let mut k = 0;
    while k < c.topics.len() {
        let head = c.topics[k].path.first().cloned().unwrap_or_default();
        let mut end = k;
        while end < c.topics.len() && c.topics[end].path.first() == Some(&head) {
            end += 1;
        }
        let group = &c.topics[k..end.max(k + 1)];
        let (own, subs): (Vec<_>, Vec<_>) = group.iter().partition(|t| t.path.len() <= 1);
        out.push_str("<li>");
        match own.first() {
            Some(t) => out.push_str(&item(t, &head)),
            None => {
                let _ = write!(out, "<span lang=\"ar\">{}</span>", escape(&head));
            }
        }
        if !subs.is_empty() {
            out.push_str("<ul>");
            for t in subs {
                let label = t.path[1..].join(" › ");
                let _ = write!(out, "<li>{}</li>", item(t, &label));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
        k = end.max(k + 1);
    }
    out.push_str("</ul>");
    out
}

fn link(v: &View, corpus: &Corpus, target: &XrefTarget) -> String {
    match target {
        XrefTarget::Provision { id } if corpus.provision(id).is_some() => {
            format!(
                "<a href=\"/provisions/{}\" class=\"xref\">{}</a>",
                escape(&id.to_string()),
                escape(&v.cite(id))
            )
        }
        XrefTarget::Provision { id } => escape(&v.cite(id)),
        XrefTarget::Section { id } if corpus.section(*id).is_some() => format!(
            "<a href=\"/sections/{id}\" class=\"xref\">{}</a>",
            escape(&match v.lang {
                Lang::Ar => id.cite_ar(),
                Lang::En => id.cite_en(),
            })
        ),
        XrefTarget::Section { id } => escape(&id.cite_ar()),
        XrefTarget::External { reference, .. } => {
            format!("<span lang=\"en\" dir=\"ltr\">{}</span>", escape(reference))
        }
    }
}

/// A heading and a list of already-escaped items; nothing when empty.
fn titled_list(heading: &str, class: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<h2>{heading}</h2><ul class=\"{class}\"><li>{}</li></ul>",
        items.join("</li><li>")
    )
}

/// The citation one copies: the display citation and, for Part A, the
/// report's symbol and paragraph; for Part B, the instrument's paragraph.
pub fn citation_text(c: &Corpus, id: &ProvisionId, lang: Lang) -> String {
    let source = c
        .report_citation(id)
        .map(|(symbol, para)| format!("{symbol}, {para}"))
        .or_else(|| {
            c.instrument_citation(id)
                .map(|(en, ar)| if lang == Lang::Ar { ar } else { en })
        });
    let cite = match lang {
        Lang::Ar => id.cite_ar(),
        Lang::En => id.cite_en(),
    };
    let book = match lang {
        Lang::Ar => {
            "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)"
        }
        Lang::En => "Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021)",
    };
    let sep = if lang == Lang::Ar { "، " } else { ", " };
    match source {
        Some(s) => format!("{book}{sep}{cite} ({s})"),
        None => format!("{book}{sep}{cite}"),
    }
}

/// `/provisions/{id}`: the full text, citations, original symbol and
/// paragraph, footnotes, topics, cross-references, previous and next.
pub async fn provision(State(app): State<Arc<App>>, v: View, Path(raw): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(p) = raw
        .parse::<ProvisionId>()
        .ok()
        .and_then(|id| c.provision(&id))
    else {
        return v.not_found(&raw);
    };
    let id = &p.id;
    let (main, other) = match v.lang {
        Lang::Ar => (id.cite_ar(), id.cite_en()),
        Lang::En => (id.cite_en(), id.cite_ar()),
    };
    let mut body = format!(
        "<h1>{}</h1><p class=\"cite\" {}>{}</p>",
        escape(&main),
        v.other_attrs(),
        escape(&other)
    );
    if let Some(s) = c.section(id.section) {
        let _ = write!(
            body,
            "<p><a href=\"/sections/{}\">{}</a></p>",
            s.id,
            escape(&v.section_title(s))
        );
    }
    if let Some((symbol, para)) = c.report_citation(id) {
        let _ = write!(
            body,
            "<p class=\"source\">{}: <span lang=\"en\" dir=\"ltr\"><a href=\"/documents/{}\">{}</a>, {}</span></p>",
            v.t("الوثيقة الأصلية", "Source document"),
            escape(&url_encode(&symbol)),
            escape(&symbol),
            escape(&para)
        );
    } else if let Some((en, ar)) = c.instrument_citation(id) {
        let symbol = c.section(id.section).and_then(|s| s.symbol.clone());
        let _ = write!(
            body,
            "<p class=\"source\">{}: {}{}</p>",
            v.t("الوثيقة الأصلية", "Source document"),
            v.both(&ar, &en),
            symbol
                .map(|s| format!(
                    " — <a href=\"/documents/{}\" lang=\"en\" dir=\"ltr\">{}</a>",
                    escape(&url_encode(&s)),
                    escape(&s)
                ))
                .unwrap_or_default()
        );
    }
    let _ = write!(
        body,
        "<p><button type=\"button\" class=\"copy\" hidden data-copy=\"{}\" data-done=\"{}\" data-failed=\"{}\" aria-controls=\"copy-status\">{}</button> <span id=\"copy-status\" role=\"status\"></span></p>",
        escape(&citation_text(c, id, v.lang)),
        v.t("نُسخ المرجع", "Citation copied"),
        v.t("تعذّر النسخ", "Could not copy"),
        v.t("نسخ المرجع", "Copy citation"),
    );
    body.push_str("<div class=\"text\" lang=\"ar\" dir=\"rtl\">");
    for para in p.text.lines() {
        let _ = write!(body, "<p>{}</p>", escape(para));
    }
    body.push_str("</div>");
    let children: Vec<&ProvisionId> = c.children(id).map(|k| &k.id).collect();
    if !children.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2>",
            v.t("الفقرات الفرعية", "Sub-provisions")
        );
        body.push_str(&v.provision_list(c, &children));
    }
    let topics: Vec<String> = c
        .topics_of(id)
        .map(|t| {
            format!(
                "<a href=\"/topics/{}\" lang=\"ar\">{}</a>",
                escape(&t.id),
                escape(&t.path.join(" › "))
            )
        })
        .collect();
    body.push_str(&titled_list(v.t("المواضيع", "Topics"), "topics", &topics));
    let xrefs: Vec<String> = c
        .xrefs
        .iter()
        .filter(|x| &x.from == id)
        .map(|x| link(&v, c, &x.target))
        .collect();
    body.push_str(&titled_list(
        v.t("إحالات", "Cross-references"),
        "xrefs",
        &xrefs,
    ));
    let cited_by: Vec<String> = c
        .xrefs
        .iter()
        .filter(|x| matches!(&x.target, XrefTarget::Provision { id: t } if t == id))
        .map(|x| {
            format!(
                "<a href=\"/provisions/{}\">{}</a>",
                escape(&x.from.to_string()),
                escape(&v.cite(&x.from))
            )
        })
        .collect();
    body.push_str(&titled_list(
        v.t("أحكام تحيل إلى هذا الحكم", "Cited by"),
        "cited-by",
        &cited_by,
    ));
    if !p.footnotes.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2><ol class=\"footnotes\" lang=\"ar\" dir=\"rtl\">",
            v.t("الحواشي", "Footnotes")
        );
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
            "<a rel=\"prev\" href=\"/provisions/{0}\">{1} {0}</a>",
            escape(&prev.id.to_string()),
            v.t("→ السابق", "← Previous")
        );
    }
    if let Some(next) = c.provisions.get(k + 1) {
        let _ = write!(
            body,
            "<a rel=\"next\" href=\"/provisions/{0}\">{1} {0}</a>",
            escape(&next.id.to_string()),
            v.t("التالي ←", "Next →")
        );
    }
    body.push_str("</nav>");
    v.page(&main, &body).into_response()
}

/// `/sections/{id}`: a meeting or session with its provisions.
pub async fn section(State(app): State<Arc<App>>, v: View, Path(raw): Path<String>) -> Response {
    let c = &app.corpus;
    let Some(s) = raw.parse::<SectionId>().ok().and_then(|id| c.section(id)) else {
        return v.not_found(&raw);
    };
    let title = v.section_title(s);
    let mut body = format!("<h1>{}</h1>", escape(&title));
    if v.lang == Lang::En {
        let _ = write!(
            body,
            "<p lang=\"ar\" dir=\"rtl\">{}</p>",
            escape(&s.heading)
        );
    }
    if let Some(symbol) = &s.symbol {
        let _ = write!(
            body,
            "<p class=\"source\">{}: <a href=\"/documents/{}\" lang=\"en\" dir=\"ltr\">{}</a></p>",
            v.t("الوثيقة الأصلية", "Source document"),
            escape(&url_encode(symbol)),
            escape(symbol)
        );
    }
    if let Some(cs) = &s.session {
        let _ = write!(
            body,
            "<div lang=\"ar\" dir=\"rtl\"><p><strong>{}</strong> — {}</p><p>{}</p></div>",
            escape(&cs.instrument.arabic()),
            escape(&cs.title),
            escape(&cs.chapeau)
        );
    }
    if let Some(note) = &s.note {
        let _ = write!(body, "<p lang=\"ar\" dir=\"rtl\">{}</p>", escape(note));
    }
    let ids: Vec<&ProvisionId> = c.provisions_in(s.id).map(|p| &p.id).collect();
    body.push_str(&v.provision_list(c, &ids));
    v.page(&title, &body).into_response()
}

/// `/documents`: every source document symbol the record cites.
pub async fn documents(State(app): State<Arc<App>>, v: View) -> Html<String> {
    let c = &app.corpus;
    let mut body = format!(
        "<h1>{}</h1><table class=\"symbols\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        v.t("الوثائق الأصلية", "Source documents"),
        v.t("رمز الوثيقة", "Document symbol"),
        v.t("القسم", "Section"),
        v.t("الأحكام", "Provisions"),
    );
    for s in &c.sections {
        let Some(symbol) = &s.symbol else { continue };
        let _ = write!(
            body,
            "<tr><td><a href=\"/documents/{}\" lang=\"en\" dir=\"ltr\">{}</a></td><td><a href=\"/sections/{}\">{}</a></td><td>{}</td></tr>",
            escape(&url_encode(symbol)),
            escape(symbol),
            s.id,
            escape(&v.section_title(s)),
            c.provisions_in(s.id).count()
        );
    }
    body.push_str("</tbody></table>");
    v.page(v.t("الوثائق الأصلية", "Source documents"), &body)
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
    let Some(s) = c.sections.iter().find(|s| {
        s.symbol
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(wanted))
    }) else {
        return v.not_found(&symbol);
    };
    let Some(sym) = s.symbol.as_deref() else {
        return v.not_found(&symbol);
    };
    let mut body = format!(
        "<h1 lang=\"en\" dir=\"ltr\">{}</h1><p><a href=\"/sections/{}\">{}</a></p>",
        escape(sym),
        s.id,
        escape(&v.section_title(s))
    );
    let _ = write!(
        body,
        "<table class=\"symbols\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        v.t("في الخلاصة", "In the compendium"),
        v.t("في الوثيقة الأصلية", "In the source document"),
        v.t("النص", "Text"),
    );
    for p in c.provisions_in(s.id).filter(|p| p.id.path.len() == 1) {
        let original = c
            .report_citation(&p.id)
            .map(|(_, para)| para)
            .or_else(|| c.instrument_citation(&p.id).map(|(en, _)| en))
            .unwrap_or_default();
        let text: String = p.text.chars().take(120).collect();
        let _ = write!(
            body,
            "<tr><td><a href=\"/provisions/{}\">{}</a></td><td lang=\"en\" dir=\"ltr\">{}</td><td lang=\"ar\" dir=\"rtl\">{}…</td></tr>",
            escape(&p.id.to_string()),
            escape(&v.cite(&p.id)),
            escape(&original),
            escape(&text)
        );
    }
    body.push_str("</tbody></table>");
    v.page(sym, &body).into_response()
}

/// `/findings`: what the checker found in the source, for editors.
pub async fn findings(State(app): State<Arc<App>>, v: View) -> Html<String> {
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><ul class=\"findings\">",
        v.t(
            "ما وجده المدقق في المصدر",
            "What the checker found in the source"
        ),
        v.both(
            &format!(
                "{} ملاحظة، لكل منها سطرها في المصدر.",
                app.corpus.findings.len()
            ),
            &format!(
                "{} findings, each with its line in the source.",
                app.corpus.findings.len()
            )
        )
    );
    for f in &app.corpus.findings {
        let _ = write!(
            body,
            "<li><strong>{} {}</strong> [<code>{}</code>] {}</li>",
            v.t("السطر", "Line"),
            f.line,
            escape(f.code),
            v.both(&f.message_ar, &f.message)
        );
    }
    body.push_str("</ul>");
    v.page(v.t("ما وجده المدقق", "Findings"), &body)
}

/// `/lang/{ar|en}?back=/path`: keeps the interface language in a cookie and
/// goes back to the page (only paths on this site are followed).
pub async fn set_lang(
    Path(code): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let lang = match code.as_str() {
        "ar" => Lang::Ar,
        "en" => Lang::En,
        _ => {
            return crate::Error::bad(
                format!("unknown interface language {code:?}: ar or en"),
                "لغة الواجهة إما ar أو en",
            )
            .into_response();
        }
    };
    let back = params
        .get("back")
        .filter(|b| {
            b.starts_with('/')
                && !b.starts_with("//")
                && !b.contains('\\')
                && !b.chars().any(char::is_control)
        })
        .map_or("/", String::as_str);
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back.to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_text_has_book_citation_and_source() {
        let c = fihris_parse::parse_bytes(
            include_bytes!("../../../../corpus/compendium-2021.ar.txt"),
            "compendium-2021.ar.txt",
        )
        .expect("the corpus parses");
        let id: ProvisionId = "A.2.55".parse().expect("id");
        assert_eq!(
            citation_text(&c, &id, Lang::En),
            "Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part A, II-55 (CTOC/COP/WG.4/2010/6, para. 62)"
        );
        let b: ProvisionId = "B.4.3".parse().expect("id");
        assert_eq!(
            citation_text(&c, &b, Lang::Ar),
            "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)، الجزء باء، رابعاً-3 (المقرر 4/4، الفقرة 3)"
        );
    }
}
