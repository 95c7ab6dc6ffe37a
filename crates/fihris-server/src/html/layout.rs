//! What every page shares: the request's [`View`] (interface language from
//! the address — `/en/…` is English, anything else Arabic — and the page's
//! own path), links in that language, the frame around each page, messages
//! in both languages, and the 404 page.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use fihris_model::{Corpus, ProvisionId, Section, SectionId};
use fihris_view::Lang;
use maud::{DOCTYPE, Markup, html};

/// The path prefix of the English interface.
pub const EN_PREFIX: &str = "/en";

/// What every page needs to know about its request: the interface
/// language and its own path in that language's terms (without `/en`).
#[derive(Debug, Clone)]
pub struct View {
    /// Interface language.
    pub lang: Lang,
    /// Path and query of the page, without the language prefix.
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for View {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<View, Infallible> {
        // Nested under `/en`, the router sees the path without the prefix;
        // the original address says which language was asked for.
        let original = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(&parts.uri, |o| &o.0);
        let full = original
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Ok(View::at(&full))
    }
}

impl View {
    /// The view of a page at `path_and_query` (with its `/en` prefix, if any).
    pub fn at(path_and_query: &str) -> View {
        match path_and_query.strip_prefix(EN_PREFIX) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') => {
                let here = if rest.starts_with('/') {
                    rest.to_owned()
                } else {
                    format!("/{rest}")
                };
                View {
                    lang: Lang::En,
                    here,
                }
            }
            _ => View {
                lang: Lang::Ar,
                here: path_and_query.to_owned(),
            },
        }
    }

    /// The string for the interface language.
    pub fn t<'a>(&self, ar: &'a str, en: &'a str) -> &'a str {
        self.lang.t(ar, en)
    }

    /// A site path (`/provisions/A.2.55`) in this page's language.
    pub fn href(&self, path: &str) -> String {
        href_in(self.lang, path)
    }

    /// This page's address in the other language.
    pub fn other_href(&self) -> String {
        href_in(self.lang.other(), &self.here)
    }

    /// A whole page around `body`.
    pub fn page(&self, title: &str, body: Markup) -> Markup {
        let other = self.lang.other();
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) dir=(self.lang.dir()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " — " (self.t("فهرس", "fihris")) }
                    link rel="alternate" hreflang="ar" href=(href_in(Lang::Ar, &self.here));
                    link rel="alternate" hreflang="en" href=(href_in(Lang::En, &self.here));
                    link rel="stylesheet" href="/assets/app.css";
                    script src="/assets/app.js" defer {}
                }
                body {
                    a.skip href="#main" { (self.t("انتقل إلى المحتوى", "Skip to content")) }
                    header {
                        a.brand href=(self.href("/")) { (self.t("فهرس", "fihris")) }
                        span.subtitle {
                            (self.t(
                                "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي",
                                "Trafficking in Persons: Compendium and Thematic Index"
                            ))
                        }
                        form.quick action=(self.href("/search")) method="get" role="search"
                            aria-label=(self.t("بحث سريع", "Quick search")) {
                            input #hq name="q" type="search" maxlength="500" dir="auto"
                                aria-label=(self.t("ابحث", "Search"))
                                placeholder=(self.t("ابحث", "Search"));
                        }
                        nav.main aria-label=(self.t("الأقسام", "Sections of the site")) {
                            a href=(self.href("/topics")) { (self.t("الموضوعات", "Topics")) }
                            " "
                            a href=(self.href("/phrases")) { (self.t("صياغات متكرّرة", "Reused wording")) }
                            " "
                            a href=(self.href("/draft")) { (self.t("فحص مشروع", "Check a draft")) }
                            " "
                            a href=(self.href("/basket")) { (self.t("سلة الصياغة", "Drafting basket")) }
                        }
                        nav.lang aria-label=(self.t("لغة الواجهة", "Interface language")) {
                            a href=(self.other_href()) lang=(other.code()) hreflang=(other.code()) {
                                (other.t("العربية", "English"))
                            }
                        }
                    }
                    main #main tabindex="-1" { (body) }
                    footer.cite {
                        "fihris — "
                        span lang="en" dir="ltr" {
                            "Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021)"
                        }
                        " · "
                        a href=(self.href("/editions")) { (self.t("النسخ", "Editions")) }
                        " · "
                        a href=(self.href("/editor")) { (self.t("المحرّر", "Editor")) }
                        " · "
                        a href=(self.href("/downloads")) {
                            (self.t("التنزيلات (PDF وJSON وCSV وSKOS وAkoma Ntoso)", "Downloads (PDF, JSON, CSV, SKOS, Akoma Ntoso)"))
                        }
                        " · "
                        a href="/api/v1/openapi.json" { "API" }
                    }
                }
            }
        }
    }

    /// A message in the interface language, the other beside it.
    pub fn both(&self, ar: &str, en: &str) -> Markup {
        match self.lang {
            Lang::Ar => html! { (ar) " " span.en lang="en" dir="ltr" { (en) } },
            Lang::En => html! { (en) " " span lang="ar" dir="rtl" { (ar) } },
        }
    }

    /// A 404 page.
    pub fn not_found(&self, what: &str) -> Response {
        let body = html! {
            h1 { (self.t("غير موجود", "Not found")) }
            p.error role="alert" {
                (self.both(&format!("غير موجود: {what}"), &format!("Not found: {what}")))
            }
        };
        (
            StatusCode::NOT_FOUND,
            self.page(self.t("غير موجود", "Not found"), body),
        )
            .into_response()
    }

    /// The section's title: its printed heading, or in English its
    /// citation and meeting or instrument.
    pub fn section_title(&self, s: &Section) -> String {
        match self.lang {
            Lang::Ar => s.heading.clone(),
            Lang::En => match (&s.meeting, &s.session) {
                (Some(m), _) => format!(
                    "{}: Working Group meeting {}{}",
                    s.id.cite_en(),
                    m.number,
                    m.year.map(|y| format!(" ({y})")).unwrap_or_default()
                ),
                (_, Some(cs)) => format!(
                    "{}: Conference of the Parties, session {}, {}",
                    s.id.cite_en(),
                    cs.session,
                    cs.instrument.canonical()
                ),
                _ => s.id.cite_en(),
            },
        }
    }

    /// The language of text in the other language.
    pub fn other_lang(&self) -> &'static str {
        self.lang.other().code()
    }

    /// The direction of text in the other language.
    pub fn other_dir(&self) -> &'static str {
        self.lang.other().dir()
    }

    /// A provision's citation in the interface language.
    pub fn cite(&self, id: &ProvisionId) -> String {
        match self.lang {
            Lang::Ar => id.cite_ar(),
            Lang::En => id.cite_en(),
        }
    }

    /// A provision's citation in the other language.
    pub fn cite_other(&self, id: &ProvisionId) -> String {
        match self.lang {
            Lang::Ar => id.cite_en(),
            Lang::En => id.cite_ar(),
        }
    }

    /// A section's citation in the interface language.
    pub fn cite_section(&self, id: SectionId) -> String {
        match self.lang {
            Lang::Ar => id.cite_ar(),
            Lang::En => id.cite_en(),
        }
    }

    /// The link to a provision's page.
    pub fn provision_href(&self, id: &ProvisionId) -> String {
        self.href(&format!("/provisions/{id}"))
    }

    /// The link to a section's page.
    pub fn section_href(&self, id: SectionId) -> String {
        self.href(&format!("/sections/{id}"))
    }

    /// A list of provisions as links with their citations and the start of
    /// their text.
    pub fn provision_list(&self, c: &Corpus, ids: &[&ProvisionId]) -> Markup {
        html! {
            ul.provisions {
                @for id in ids {
                    li {
                        a href=(self.provision_href(id)) { (self.cite(id)) }
                        " "
                        span.cite lang=(self.other_lang()) dir=(self.other_dir()) {
                            (self.cite_other(id))
                        }
                        br;
                        span lang="ar" dir="rtl" {
                            (c.provision(id).map(|p| p.text.chars().take(160).collect::<String>()).unwrap_or_default())
                            "…"
                        }
                    }
                }
            }
        }
    }
}

/// A site path in a language: English paths carry the `/en` prefix.
pub fn href_in(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Ar => path.to_owned(),
        Lang::En if path == "/" => format!("{EN_PREFIX}/"),
        Lang::En => format!("{EN_PREFIX}{path}"),
    }
}

/// Percent-encodes a query-string or path value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether `path` is a path on this site, safe to redirect to: absolute,
/// not `//host`, no backslash, no control characters.
pub fn site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD; a `%` not followed
/// by two hex digits stays as it is).
pub fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        let hex = bytes
            .get(k + 1..k + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[k], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                k += 3;
            }
            (b, _) => {
                out.push(b);
                k += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_address() {
        let v = View::at("/en/provisions/A.2.55");
        assert_eq!((v.lang, v.here.as_str()), (Lang::En, "/provisions/A.2.55"));
        assert_eq!(View::at("/en").here, "/");
        assert_eq!(View::at("/en?x=1").here, "/?x=1");
        let v = View::at("/english");
        assert_eq!((v.lang, v.here.as_str()), (Lang::Ar, "/english"));
        assert_eq!(View::at("/en/search?q=a").other_href(), "/search?q=a");
        assert_eq!(View::at("/search?q=a").other_href(), "/en/search?q=a");
        assert_eq!(href_in(Lang::En, "/"), "/en/");
    }

    #[test]
    fn encodes() {
        assert_eq!(url_encode("/search?q=أ b"), "/search%3Fq%3D%D8%A3%20b");
        assert_eq!(url_decode("/x%3Cy%3E%D8%A3%zz%"), "/x<y>أ%zz%");
        assert_eq!(url_decode("%FF"), "\u{FFFD}");
    }
}
