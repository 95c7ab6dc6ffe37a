//! The source documents in the six official languages of the United
//! Nations, in its Official Document System (ODS): a reader who cannot
//! read Arabic opens the same report or decision in their own language.
//!
//! The link form is the ODS's own access by symbol,
//! `https://documents.un.org/api/symbol/access?s=<symbol>&l=<language>&t=pdf`,
//! with the symbol percent-encoded and the language one of `ar`, `zh`,
//! `en`, `fr`, `ru`, `es`.

use serde::Serialize;

/// The official languages: ODS code, name in that language, name in
/// English.
const LANGUAGES: [(&str, &str, &str); 6] = [
    ("ar", "العربية", "Arabic"),
    ("zh", "中文", "Chinese"),
    ("en", "English", "English"),
    ("fr", "Français", "French"),
    ("ru", "Русский", "Russian"),
    ("es", "Español", "Spanish"),
];

/// One source document in one official language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Original {
    /// Language code (`ar`, `zh`, `en`, `fr`, `ru`, `es`).
    pub lang: &'static str,
    /// The language's name in that language.
    pub name: &'static str,
    /// The language's name in English.
    pub name_en: &'static str,
    /// The document in the Official Document System.
    pub url: String,
}

/// The document `symbol` in the six languages, Arabic first.
pub fn originals(symbol: &str) -> Vec<Original> {
    let s: String = symbol
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    LANGUAGES
        .iter()
        .map(|(lang, name, name_en)| Original {
            lang,
            name,
            name_en,
            url: format!("https://documents.un.org/api/symbol/access?s={s}&l={lang}&t=pdf"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_languages() {
        let o = originals("CTOC/COP/WG.4/2010/6");
        assert_eq!(
            o.iter().map(|x| x.lang).collect::<Vec<_>>(),
            ["ar", "zh", "en", "fr", "ru", "es"]
        );
        assert_eq!(
            o[2].url,
            "https://documents.un.org/api/symbol/access?s=CTOC/COP/WG.4/2010/6&l=en&t=pdf"
        );
        assert!(
            originals("A B&c")
                .iter()
                .all(|x| x.url.contains("s=A%20B%26c&"))
        );
    }
}
