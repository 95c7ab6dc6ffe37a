//! Server-rendered pages, Arabic first: right to left, Arabic typefaces,
//! every text escaped, no inline script. An English interface is one click
//! away (a cookie set by `/lang/{ar|en}`); the record's own text stays
//! Arabic and keeps `lang="ar" dir="rtl"` in both.

mod record;
mod search;
mod topics;

use std::convert::Infallible;
use std::fmt::Write;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use fihris_model::{Corpus, ProvisionId, Section};

use crate::App;

/// Routes of the pages.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(record::home))
        .route("/search", get(search::search))
        .route("/search.csv", get(search::search_csv))
        .route("/provisions/{id}", get(record::provision))
        .route("/sections/{id}", get(record::section))
        .route("/documents", get(record::documents))
        .route("/documents/{*symbol}", get(record::document))
        .route("/topics", get(topics::topics))
        .route("/topics/{id}", get(topics::topic))
        .route("/findings", get(record::findings))
        .route("/lang/{code}", get(record::set_lang))
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
        .route("/assets/fonts/{name}", get(font))
}

/// The interface language of a page. The record's text is Arabic in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Arabic, right to left: the default.
    #[default]
    Ar,
    /// English, left to right.
    En,
}

/// Name of the cookie that keeps the interface language.
pub const LANG_COOKIE: &str = "fihris-lang";

impl Lang {
    /// The string for this language.
    pub fn t<'a>(self, ar: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ar => ar,
            Lang::En => en,
        }
    }

    /// BCP 47 code.
    pub fn code(self) -> &'static str {
        self.t("ar", "en")
    }

    /// Writing direction.
    pub fn dir(self) -> &'static str {
        self.t("rtl", "ltr")
    }

    /// Reads the language from a `Cookie` header value.
    pub fn from_cookies(cookies: &str) -> Lang {
        let en = cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .any(|(k, v)| k == LANG_COOKIE && v == "en");
        if en { Lang::En } else { Lang::Ar }
    }
}

/// What every page needs to know about its request: the interface
/// language and its own address (for the language toggle to come back to).
#[derive(Debug, Clone)]
pub struct View {
    /// Interface language.
    pub lang: Lang,
    /// Path and query of the request.
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for View {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<View, Infallible> {
        let lang = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(Lang::from_cookies)
            .find(|l| *l == Lang::En)
            .unwrap_or_default();
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(View { lang, here })
    }
}

impl View {
    /// The string for the interface language.
    pub fn t<'a>(&self, ar: &'a str, en: &'a str) -> &'a str {
        self.lang.t(ar, en)
    }

    /// A whole page around `body`.
    pub fn page(&self, title: &str, body: &str) -> Html<String> {
        let (other, other_name, other_lang) = match self.lang {
            Lang::Ar => ("en", "English", "en"),
            Lang::En => ("ar", "العربية", "ar"),
        };
        Html(format!(
            r##"<!doctype html>
<html lang="{code}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — {brand}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{skip}</a>
<header><a class="brand" href="/">{brand}</a><span>{subtitle}</span>
<form class="quick" action="/search" method="get" role="search"><input id="hq" name="q" type="search" maxlength="500" dir="auto" aria-label="{search}" placeholder="{search}"></form>
<nav class="lang"><a href="/lang/{other}?back={back}" lang="{other_lang}" hreflang="{other_lang}">{other_name}</a></nav></header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="cite">fihris — <span lang="en" dir="ltr">Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021)</span> · <a href="/api/v1/openapi.json">API</a></footer>
</body>
</html>"##,
            code = self.lang.code(),
            dir = self.lang.dir(),
            title = escape(title),
            brand = self.t("فهرس", "fihris"),
            subtitle = self.t(
                "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي",
                "Trafficking in Persons: Compendium and Thematic Index"
            ),
            back = escape(&url_encode(&self.here)),
            search = self.t("ابحث", "Search"),
            skip = self.t("انتقل إلى المحتوى", "Skip to content"),
        ))
    }

    /// A message in the interface language, the other beside it.
    pub fn both(&self, ar: &str, en: &str) -> String {
        match self.lang {
            Lang::Ar => format!(
                "{} <span class=\"en\" lang=\"en\" dir=\"ltr\">{}</span>",
                escape(ar),
                escape(en)
            ),
            Lang::En => format!(
                "{} <span lang=\"ar\" dir=\"rtl\">{}</span>",
                escape(en),
                escape(ar)
            ),
        }
    }

    /// A 404 page.
    pub fn not_found(&self, what: &str) -> Response {
        let body = format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            self.both(&format!("غير موجود: {what}"), &format!("Not found: {what}"))
        );
        (
            StatusCode::NOT_FOUND,
            self.page(self.t("غير موجود", "Not found"), &body),
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

    /// `lang` and `dir` attributes of text in the other language.
    pub fn other_attrs(&self) -> &'static str {
        self.t("lang=\"en\" dir=\"ltr\"", "lang=\"ar\" dir=\"rtl\"")
    }

    /// A provision's citation in the interface language.
    pub fn cite(&self, id: &ProvisionId) -> String {
        match self.lang {
            Lang::Ar => id.cite_ar(),
            Lang::En => id.cite_en(),
        }
    }

    /// A list of provisions as links with their citations and the start of
    /// their text.
    pub fn provision_list(&self, c: &Corpus, ids: &[&ProvisionId]) -> String {
        let mut out = String::from("<ul class=\"provisions\">");
        for id in ids {
            let text = c
                .provision(id)
                .map(|p| p.text.chars().take(160).collect::<String>())
                .unwrap_or_default();
            let other = match self.lang {
                Lang::Ar => id.cite_en(),
                Lang::En => id.cite_ar(),
            };
            let _ = write!(
                out,
                "<li><a href=\"/provisions/{0}\">{1}</a> <span class=\"cite\" {4}>{2}</span><br><span lang=\"ar\" dir=\"rtl\">{3}…</span></li>",
                escape(&id.to_string()),
                escape(&self.cite(id)),
                escape(&other),
                escape(&text),
                self.other_attrs(),
            );
        }
        out.push_str("</ul>");
        out
    }
}

/// Percent-encodes a query-string value.
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

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/app.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/app.js"),
    )
        .into_response()
}

/// The Amiri typeface (SIL Open Font License 1.1, unmodified; see
/// `assets/fonts/OFL.txt`), served so that pages are set in it on machines
/// that do not have it installed.
async fn font(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let bytes: &'static [u8] = match name.as_str() {
        "Amiri-Regular.ttf" => include_bytes!("../../assets/fonts/Amiri-Regular.ttf"),
        "Amiri-Bold.ttf" => include_bytes!("../../assets/fonts/Amiri-Bold.ttf"),
        "OFL.txt" => include_bytes!("../../assets/fonts/OFL.txt"),
        _ => {
            return crate::Error::not_found(format!("no font {name:?}"), "لا يوجد خط بهذا الاسم")
                .into_response();
        }
    };
    let kind = if name.ends_with(".ttf") {
        "font/ttf"
    } else {
        "text/plain; charset=utf-8"
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(url_encode("/search?q=أ b"), "/search%3Fq%3D%D8%A3%20b");
    }

    #[test]
    fn language_from_cookies() {
        assert_eq!(Lang::from_cookies("a=b; fihris-lang=en"), Lang::En);
        assert_eq!(Lang::from_cookies("fihris-lang=ar"), Lang::Ar);
        assert_eq!(Lang::from_cookies("xfihris-lang=en"), Lang::Ar);
        assert_eq!(Lang::from_cookies(""), Lang::Ar);
    }
}
