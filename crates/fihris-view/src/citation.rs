//! The citation a reader copies: the book, the compendium location and the
//! source document's paragraph.

use fihris_model::{Corpus, ProvisionId};

use crate::Lang;

/// The citation one copies: the book, the display citation and, for Part
/// A, the report's symbol and paragraph; for Part B, the instrument's
/// paragraph.
pub fn citation_text(c: &Corpus, id: &ProvisionId, lang: Lang) -> String {
    let report = match lang {
        Lang::Ar => c.report_citation_ar(id),
        Lang::En => c.report_citation(id),
    };
    let source = report
        .map(|(symbol, para)| format!("{symbol}{}{para}", lang.t("، ", ", ")))
        .or_else(|| {
            c.instrument_citation(id)
                .map(|(en, ar)| if lang == Lang::Ar { ar } else { en })
        });
    let cite = match lang {
        Lang::Ar => id.cite_ar(),
        Lang::En => id.cite_en(),
    };
    let book = lang.t(
        "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)",
        "Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021)",
    );
    let sep = lang.t("، ", ", ");
    match source {
        Some(s) => format!("{book}{sep}{cite} ({s})"),
        None => format!("{book}{sep}{cite}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_text_has_book_citation_and_source() {
        let c = fihris_parse::parse_bytes(
            include_bytes!("../../../corpus/compendium-2021.ar.txt"),
            "compendium-2021.ar.txt",
        )
        .expect("the corpus parses");
        let id: ProvisionId = "A.2.55".parse().expect("id");
        assert_eq!(
            citation_text(&c, &id, Lang::En),
            "Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part A, II-55 (CTOC/COP/WG.4/2010/6, para. 62)"
        );
        assert_eq!(
            citation_text(&c, &id, Lang::Ar),
            "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)، الجزء ألف، ثانياً-55 (CTOC/COP/WG.4/2010/6، الفقرة 62)"
        );
        let b: ProvisionId = "B.4.3".parse().expect("id");
        assert_eq!(
            citation_text(&c, &b, Lang::Ar),
            "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)، الجزء باء، رابعاً-3 (المقرر 4/4، الفقرة 3)"
        );
    }
}
