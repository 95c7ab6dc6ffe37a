//! Agreed language on the pages: a provision's similar provisions, each
//! with the wording it shares marked.

use fihris_agreed::Run;
use fihris_view::SimilarView;
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
                            a href=(v.provision_href(&s.id)) { (v.cite(&s.id)) }
                            " " (matched_by(v, s.matched_by))
                            " "
                            span.scores lang="en" dir="ltr" {
                                "wording " (format!("{:.2}", s.wording))
                                @if let Some(m) = s.meaning { " · meaning " (format!("{m:.2}")) }
                            }
                            div.text lang="ar" dir="rtl" { (runs(&s.text)) }
                        }
                    }
                }
            }
        }
    }
}
