//! Agreed language on the pages: a provision's similar provisions, each
//! with the wording it shares marked, and the Working Group's mandate
//! chain on section pages.

use fihris_agreed::Run;
use fihris_model::{ProvisionId, SectionId};
use fihris_search::dense::MatchedBy;
use fihris_view::{Lang, MandateChain, SimilarView};
use maud::{Markup, html};

use super::layout::View;
use super::search::matched_by;

/// Runs of a text, the shared ones marked.
pub(super) fn runs(runs: &[Run]) -> Markup {
    html! {
        @for r in runs {
            @if r.shared { mark { (r.text) } } @else { (r.text) }
        }
    }
}

/// A close provision named: its citation linked, how it was found, its
/// wording and meaning scores.
pub(super) fn closeness(
    v: &View,
    id: &ProvisionId,
    by: MatchedBy,
    wording: f32,
    meaning: Option<f32>,
) -> Markup {
    html! {
        a href=(v.provision_href(id)) { (v.cite(id)) }
        " " (matched_by(v, by))
        " "
        span.scores lang="en" dir="ltr" {
            "wording " (format!("{wording:.2}"))
            @if let Some(m) = meaning { " · meaning " (format!("{m:.2}")) }
        }
    }
}

/// The "similar provisions" section of a provision page.
pub(super) fn similar_section(v: &View, view: &SimilarView) -> Markup {
    html! {
        @if !view.similar.is_empty() {
            section.similar aria-labelledby="similar-h" {
                h2 #similar-h { (v.t("أحكام مشابهة", "Similar provisions")) }
                p.note {
                    @if view.by_meaning {
                        (v.t(
                            "الأقرب بالصياغة المشتركة وبالمعنى؛ الكلمات المشتركة مع هذا الحكم مظلّلة.",
                            "Closest by shared wording and by meaning; the words shared with this provision are highlighted.",
                        ))
                    } @else {
                        (v.t(
                            "الأقرب بالصياغة المشتركة وحدها (البحث بالمعنى غير متاح الآن)؛ الكلمات المشتركة مظلّلة.",
                            "Closest by shared wording only (meaning search is not available now); the shared words are highlighted.",
                        ))
                    }
                }
                ol.similar-list {
                    @for s in &view.similar {
                        li {
                            (closeness(v, &s.id, s.matched_by, s.wording, s.meaning))
                            div.text lang="ar" dir="rtl" { (runs(&s.text)) }
                        }
                    }
                }
            }
        }
    }
}

/// The Working Group's mandate chain on a section page: the establishing
/// decision and its paragraphs, every meeting (this one marked) with the
/// Conference paragraphs that welcomed its recommendations.
pub(super) fn mandate_section(v: &View, chain: &MandateChain, here: SectionId) -> Markup {
    html! {
        section.mandate aria-labelledby="mandate-h" {
            h2 #mandate-h { (v.t("سلسلة الولاية", "Mandate chain")) }
            ol.chain {
                @if let Some(e) = &chain.established_by {
                    li {
                        (v.t("أنشأ الفريقَ العامل وحدّد مهامه ", "The Working Group was established and given its tasks by "))
                        a href=(v.section_href(e.section)) aria-current=[(e.section == here).then_some("page")] {
                            @if v.lang == Lang::En { (e.instrument) } @else { (e.instrument_ar) }
                        }
                        ": "
                        @for (k, p) in e.paragraphs.iter().enumerate() {
                            @if k > 0 { ", " }
                            a href=(v.provision_href(p)) { (v.cite(p)) }
                        }
                    }
                }
                li {
                    (v.t("اجتماعاته وما رحّب بتوصياتها:", "Its meetings, and what welcomed their recommendations:"))
                    ol.meetings {
                        @for m in &chain.meetings {
                            li {
                                a href=(v.section_href(m.section)) aria-current=[(m.section == here).then_some("page")] {
                                    (v.cite_section(m.section))
                                }
                                @if let (Some(start), Some(end)) = (m.start, m.end) {
                                    " " span.dates lang="en" dir="ltr" {
                                        (start) @if end != start { " – " (end) }
                                    }
                                }
                                " → "
                                @if m.welcomed_by.is_empty() {
                                    span.note { (v.t(
                                        "لا ترحّب بها باسمها أيّ دورة في الخلاصة (دورات ما بعد 2010 ليست فيها)",
                                        "no session in the compendium welcomes them by name (sessions after 2010 are not in it)",
                                    )) }
                                } @else {
                                    (v.t("رحّب بها ", "welcomed by "))
                                    @for (k, p) in m.welcomed_by.iter().enumerate() {
                                        @if k > 0 { ", " }
                                        a href=(v.provision_href(p)) aria-current=[(p.section == here).then_some("page")] { (v.cite(p)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
