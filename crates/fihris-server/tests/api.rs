//! The API and pages, requested through the router (no network).

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use fihris_server::{App, router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

static APP: LazyLock<Arc<App>> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    let corpus = fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"));
    Arc::new(App::new(corpus).expect("index"))
});

fn encode(s: &str) -> String {
    fihris_server::url_encode(s)
}

async fn get(uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    get_with(uri, "").await
}

/// A GET with a `Cookie` header (none when empty).
async fn get_with(uri: &str, cookie: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let (status, bytes, headers) = get_bytes(uri, cookie).await;
    (
        status,
        String::from_utf8(bytes.to_vec()).expect("utf-8"),
        headers,
    )
}

/// A GET with a `Cookie` header (none when empty), its body as bytes.
async fn get_bytes(
    uri: &str,
    cookie: &str,
) -> (StatusCode, axum::body::Bytes, axum::http::HeaderMap) {
    let mut req = Request::get(uri);
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let resp = router(APP.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, bytes, headers)
}

async fn json(uri: &str) -> (StatusCode, Value) {
    let (s, body, h) = get(uri).await;
    assert_eq!(h["content-type"], "application/json", "{uri}");
    (s, serde_json::from_str(&body).expect("json"))
}

#[tokio::test]
async fn search_endpoint() {
    let (s, v) = json(&format!(
        "/api/v1/search?q={}&limit=10",
        encode("تعويض الضحايا")
    ))
    .await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"A.2.49") && ids.contains(&"A.5.22"),
        "{ids:?}"
    );
    assert!(v["facets"]["section"]["A.4"].as_u64().unwrap() > 0);
    let (_, v) = json("/api/v1/search?q=II-55").await;
    assert_eq!(v["hits"][0]["id"], "A.2.55");
    assert_eq!(v["citation"], "A.2.55");
    let (_, v) = json(&format!(
        "/api/v1/search?q={}&sort=date&limit=3",
        encode("التعويضات")
    ))
    .await;
    assert_eq!(v["hits"][0]["id"], "A.1.13");
    let (_, v) = json(&format!(
        "/api/v1/search?q={}&offset=2&limit=2",
        encode("الضحايا")
    ))
    .await;
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_requests_are_4xx_json_in_both_languages() {
    for uri in [
        "/api/v1/search".to_owned(),
        "/api/v1/search?q=".to_owned(),
        format!("/api/v1/search?q={}", encode("\"مفتوح")),
        format!("/api/v1/search?q={}&limit=1000", encode("الضحايا")),
        format!("/api/v1/search?q={}&limit=abc", encode("الضحايا")),
        format!("/api/v1/search?q={}&sort=size", encode("الضحايا")),
        format!("/api/v1/search?q={}", "%D8%A8".repeat(600)),
        "/api/v1/provisions/not-an-id".to_owned(),
        "/api/v1/sections/C.9".to_owned(),
        "/api/v1/cite".to_owned(),
    ] {
        let (s, v) = json(&uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
        assert!(
            v["error"]["message_ar"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
    for uri in [
        "/api/v1/provisions/A.9.99",
        "/api/v1/sections/A.12",
        "/api/v1/topics/nope",
        "/api/v1/nope",
        "/api/v1/cite?q=II-99",
    ] {
        let (s, v) = json(uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(v["error"]["message_ar"].is_string());
    }
}

#[tokio::test]
async fn oversize_request_is_refused() {
    // On a route without that method and on one with it.
    for req in [
        Request::post("/api/v1/search?q=x"),
        Request::get("/api/v1/search?q=x"),
    ] {
        let body = vec![b'x'; fihris_server::MAX_BODY + 1];
        let req = req
            .header("content-length", body.len())
            .body(Body::from(body))
            .unwrap();
        let resp = router(APP.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn record_endpoints() {
    let (s, v) = json("/api/v1/provisions/A.4.46.i.2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["provision"]["id"], "A.4.46.i.2");
    assert_eq!(v["citation"]["en"], "Part A, IV-46 (i) (ii)");
    assert_eq!(v["citation"]["report"]["symbol"], "CTOC/COP/WG.4/2011/8");
    assert_eq!(v["previous"], "A.4.46.i.1");
    assert!(
        v["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "victims.compensation" && t["label_en"] == "Victims: compensation")
    );
    let (_, v) = json("/api/v1/provisions/A.2.8").await;
    assert_eq!(v["cross_references"][0]["target"]["id"], "A.1.16");
    let (_, v) = json(&format!(
        "/api/v1/cite?q={}",
        encode("القرار 2/5، الفقرة 7 (ب)")
    ))
    .await;
    assert_eq!(v["target"]["id"], "B.5.7.b");
    let (_, v) = json("/api/v1/sections").await;
    assert_eq!(v.as_array().unwrap().len(), 14);
    let (_, v) = json("/api/v1/sections/B.5").await;
    assert_eq!(v["provisions"].as_array().unwrap().len(), 41);
    let (_, v) = json("/api/v1/topics").await;
    assert_eq!(v.as_array().unwrap().len(), 78);
    let (_, v) = json("/api/v1/topics/technology").await;
    assert_eq!(v["provisions"].as_array().unwrap().len(), 5);
    let (_, v) = json("/api/v1/footnotes").await;
    assert_eq!(v.as_array().unwrap().len(), 22);
    let (_, v) = json("/api/v1/findings").await;
    assert!(v.as_array().unwrap().iter().any(|f| f["line"] == 851));
    let (_, v) = json("/api/v1/export").await;
    assert_eq!(v["provisions"].as_array().unwrap().len(), 472);
}

#[tokio::test]
async fn pages_are_rtl_escaped_and_under_csp() {
    let (s, body, h) = get("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    // The one script is the site's own file: nothing inline.
    assert_eq!(body.matches("<script").count(), 1);
    assert!(body.contains("<script src=\"/assets/app.js\" defer></script>"));
    assert!(
        body.contains("href=\"/sections/A.4\"") && body.contains("href=\"/topics/technology\"")
    );
    assert!(body.contains("href=\"/topics\"") && body.contains("href=\"/findings\""));
    let (s, body, _) = get(&format!(
        "/search?q={}",
        encode("<script>alert(1)</script>")
    ))
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!body.contains("<script>alert(1)"), "query must be escaped");
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (_, body, _) = get(&format!("/search?q={}", encode("تعويض الضحايا"))).await;
    assert!(body.contains("<mark>"), "highlights");
    assert!(body.contains("href=\"/provisions/A.2.49\""));
    let (s, body, _) = get("/provisions/A.2.8").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("href=\"/provisions/A.1.16\""),
        "cross-reference link"
    );
    assert!(body.contains("rel=\"next\" href=\"/provisions/A.2.9\""));
    let (s, _, _) = get("/provisions/A.9.99").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, h) = get("/assets/app.css").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn topic_section_findings_heatmap_and_downloads() {
    let (s, body, _) = get("/topics/technology").await;
    assert_eq!(s, StatusCode::OK);
    for id in ["A.4.33", "A.4.36", "A.5.29", "A.8.1.i", "A.9.24"] {
        assert!(body.contains(&format!("href=\"/provisions/{id}\"")), "{id}");
    }
    assert!(
        body.contains("href=\"/sections/A.4\""),
        "grouped by meeting"
    );
    let (s, body, _) = get("/sections/B.5").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("CTOC/COP/2010/17") && body.contains("القرار 2/5"));
    assert!(body.contains("href=\"/provisions/B.5.pp11\""));
    let (s, body, _) = get("/findings").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("السطر 851") && body.contains("footnote-text-missing"));
    let (s, body, _) = get("/topics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<svg") && body.contains("href=\"/topics/victims.compensation\""));
    // Compensation of victims: IV-46 (b)–(e) and (g)–(j) in meeting IV, V-22 in V.
    assert!(
        body.contains("<title>victims.compensation A.4: 8</title>"),
        "heatmap cell"
    );
    assert!(body.contains("<title>victims.compensation A.5: 1</title>"));
    assert!(body.contains("<title>victims.compensation A.6: 0</title>"));
    let (s, csv, h) = get(&format!("/search.csv?q={}", encode("تعويض الضحايا"))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "text/csv; charset=utf-8");
    assert!(csv.starts_with("rank,id,citation_ar,citation_en,score,matched_by\n1,"));
    assert!(csv.contains(",A.2.49,"));
    let (s, _, _) = get("/topics/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = get("/sections/Z.1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_publication_is_set_once_and_served_as_pdf() {
    // Two at once: one build, the same bytes to both.
    let ((s1, pdf1, h1), (s2, pdf2, _)) = tokio::join!(
        get_bytes("/publication.pdf", ""),
        get_bytes("/publication.pdf", "")
    );
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(h1["content-type"], "application/pdf");
    assert!(pdf1.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf1.len() > 300_000, "{} bytes", pdf1.len());
    assert_eq!(pdf1, pdf2);
    // And the downloads page links to it, with its size.
    let (_, body, _) = get("/downloads").await;
    let kb = format!("{:.1} كيلوبايت", pdf1.len() as f64 / 1024.0);
    assert!(
        body.contains(&format!("fihris-compendium.pdf</a> — {kb}")),
        "{kb}: {body}"
    );
}

#[tokio::test]
async fn the_downloads_page_serves_every_file_with_its_size_and_licence() {
    let (_, home, _) = get("/en/").await;
    assert!(home.contains("href=\"/en/downloads\""));
    let (s, page, _) = get("/en/downloads").await;
    assert_eq!(s, StatusCode::OK);
    let corpus = &APP.corpus;
    let mut json = Vec::new();
    fihris_publish::write_json(&mut json, corpus).unwrap();
    let mut csv = Vec::new();
    fihris_publish::write_topic_csv(&mut csv, corpus).unwrap();
    let mut ttl = Vec::new();
    fihris_publish::write_skos(&mut ttl, corpus).unwrap();
    let akn = fihris_publish::akn_zip(corpus);
    for (file, expected, content_type) in [
        ("fihris-record.json", json, "application/json"),
        ("fihris-filings.csv", csv, "text/csv; charset=utf-8"),
        ("fihris-topics.ttl", ttl, "text/turtle; charset=utf-8"),
        ("fihris-akn.zip", akn, "application/zip"),
    ] {
        let (s, bytes, h) = get_bytes(&format!("/downloads/{file}"), "").await;
        assert_eq!(
            (s, h["content-type"].to_str().unwrap()),
            (StatusCode::OK, content_type)
        );
        assert_eq!(
            h["content-disposition"].to_str().unwrap(),
            format!("attachment; filename=\"{file}\"")
        );
        assert!(bytes == expected, "{file}: the same bytes as the writer's");
        let shown = format!("{file}</a> — {:.1} KB", bytes.len() as f64 / 1024.0);
        assert!(page.contains(&shown), "{shown}");
    }
    assert_eq!(page.matches("cite the source. Structure, identifiers and English labels added by fihris: Apache-2.0.").count(), 5);
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(fihris_publish::akn_zip(corpus))).unwrap();
    assert_eq!(zip.len(), 13, "one document per symbol");
    assert!(zip.by_name("CTOC_COP_2008_19.xml").is_ok());
    let (s, body, _) = get("/downloads/passwd").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("لا ملف للتنزيل"));
}

#[tokio::test]
async fn akoma_ntoso_by_symbol() {
    for uri in [
        "/api/v1/akn/CTOC%2FCOP%2F2008%2F19",
        "/api/v1/akn/CTOC_COP_2008_19",
        "/api/v1/akn/ctoc_cop_2008_19",
    ] {
        let (s, xml, h) = get(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert_eq!(h["content-type"], "application/xml; charset=utf-8");
        assert!(xml.contains("<statement name=\"decision\">"), "{uri}");
        assert!(xml.contains("<FRBRuri value=\"/akn/un/statement/decision/ctoc-cop/2008/4-4\"/>"));
    }
    let (s, v) = json("/api/v1/akn/CTOC_COP_1999_1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        v["error"]["message_ar"]
            .as_str()
            .unwrap()
            .contains("CTOC_COP_1999_1")
    );
}

/// Checks `value` against an OpenAPI 3.1 `schema` of `doc` (the keywords
/// utoipa writes: `$ref`, `type`, `properties`, `required`, `items`,
/// `prefixItems`, `additionalProperties`, `oneOf`/`anyOf`/`allOf`, `enum`);
/// an object with `properties` may hold no other field.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            errors.push(format!("{at}: {r} is not in the document"));
        }
        return conforms(doc, target, value, at, errors);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            conforms(doc, s, value, at, errors);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema[key].as_array() {
            let fits = alts.iter().any(|s| {
                let mut e = Vec::new();
                conforms(doc, s, value, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: fits none of {key} {value}"));
            }
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} not in {options:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !ok {
            errors.push(format!("{at}: {actual}, documented as {types:?}"));
            return;
        }
    }
    match value {
        Value::Object(fields) => {
            if let Some(props) = schema["properties"].as_object() {
                for (k, v) in fields {
                    match props.get(k) {
                        Some(s) => conforms(doc, s, v, &format!("{at}.{k}"), errors),
                        None => errors.push(format!("{at}.{k}: not in the schema")),
                    }
                }
            }
            if let Some(req) = schema["required"].as_array() {
                for k in req.iter().filter_map(Value::as_str) {
                    if !fields.contains_key(k) {
                        errors.push(format!("{at}.{k}: required, missing"));
                    }
                }
            }
            if schema["additionalProperties"].is_object() {
                for (k, v) in fields {
                    conforms(
                        doc,
                        &schema["additionalProperties"],
                        v,
                        &format!("{at}.{k}"),
                        errors,
                    );
                }
            }
        }
        Value::Array(items) => {
            let prefix = schema["prefixItems"].as_array();
            for (i, item) in items.iter().enumerate() {
                let s = prefix.and_then(|p| p.get(i)).unwrap_or(&schema["items"]);
                if s.is_object() {
                    conforms(doc, s, item, &format!("{at}[{i}]"), errors);
                }
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn openapi_document_lists_every_endpoint_and_each_answers() {
    let (s, v) = json("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"], "3.1.0");
    let paths: Vec<&str> = v["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/akn/{symbol}",
            "/api/v1/cite",
            "/api/v1/draft",
            "/api/v1/editions",
            "/api/v1/editions/{range}",
            "/api/v1/editorial/changes",
            "/api/v1/editorial/draft",
            "/api/v1/editorial/meetings",
            "/api/v1/editorial/publish",
            "/api/v1/export",
            "/api/v1/findings",
            "/api/v1/footnotes",
            "/api/v1/health",
            "/api/v1/mandate",
            "/api/v1/openapi.json",
            "/api/v1/phrases",
            "/api/v1/provisions/{id}",
            "/api/v1/provisions/{id}/similar",
            "/api/v1/search",
            "/api/v1/sections",
            "/api/v1/sections/{id}",
            "/api/v1/topics",
            "/api/v1/topics/suggest",
            "/api/v1/topics/{id}",
        ]
    );
    // Each documented path answers 200 with example values, and each
    // response status it returns is one the document lists.
    // (The write API needs a store: `the_write_api_answers_as_documented`.)
    for path in paths.into_iter().filter(|p| {
        ![
            "/api/v1/draft",
            "/api/v1/topics/suggest",
            "/api/v1/editions/{range}",
            "/api/v1/akn/{symbol}",
        ]
        .contains(p)
            && !p.starts_with("/api/v1/editorial/")
    }) {
        let uri = path.replace(
            "{id}",
            if path.contains("provisions") {
                "A.2.55"
            } else if path.contains("sections") {
                "A.4"
            } else {
                "technology"
            },
        );
        let uri = match path {
            "/api/v1/search" | "/api/v1/cite" => format!("{uri}?q=II-55"),
            _ => uri,
        };
        let (s, _) = json(&uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(
            v["paths"][path]["get"]["responses"]["200"].is_object(),
            "{path}"
        );
    }
    // Each answer has the shape the document gives it: every field the
    // schema requires, of its type, and no field the schema does not name.
    for (path, uri) in [
        (
            "/api/v1/search",
            "/api/v1/search?q=%D8%AA%D8%B9%D9%88%D9%8A%D8%B6%20%D8%A7%D9%84%D8%B6%D8%AD%D8%A7%D9%8A%D8%A7",
        ),
        ("/api/v1/search", "/api/v1/search?q=II-55"),
        ("/api/v1/cite", "/api/v1/cite?q=II-55"),
        ("/api/v1/cite", "/api/v1/cite?q=decision%204%2F4"),
        ("/api/v1/provisions/{id}", "/api/v1/provisions/A.2.55"),
        ("/api/v1/provisions/{id}", "/api/v1/provisions/A.2.8"),
        ("/api/v1/provisions/{id}", "/api/v1/provisions/A.1.16"),
        ("/api/v1/provisions/{id}", "/api/v1/provisions/B.1.c"),
        ("/api/v1/provisions/{id}", "/api/v1/provisions/B.5.pp11"),
        (
            "/api/v1/provisions/{id}/similar",
            "/api/v1/provisions/A.1.5/similar",
        ),
        (
            "/api/v1/provisions/{id}/similar",
            "/api/v1/provisions/B.4.d/similar?k=20",
        ),
        ("/api/v1/sections", "/api/v1/sections"),
        ("/api/v1/mandate", "/api/v1/mandate"),
        ("/api/v1/phrases", "/api/v1/phrases"),
        ("/api/v1/phrases", "/api/v1/phrases?provision=B.2.n"),
        ("/api/v1/sections/{id}", "/api/v1/sections/A.4"),
        ("/api/v1/sections/{id}", "/api/v1/sections/B.1"),
        ("/api/v1/sections/{id}", "/api/v1/sections/B.5"),
        ("/api/v1/topics", "/api/v1/topics"),
        ("/api/v1/topics/{id}", "/api/v1/topics/technology"),
        ("/api/v1/footnotes", "/api/v1/footnotes"),
        ("/api/v1/findings", "/api/v1/findings"),
        ("/api/v1/export", "/api/v1/export"),
    ] {
        let (s, body) = json(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        let schema =
            &v["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        let mut errors = Vec::new();
        conforms(&v, schema, &body, "$", &mut errors);
        assert!(errors.is_empty(), "{uri}: {errors:#?}");
    }
    // The draft, posted.
    let (s, body) = post_json("/api/v1/draft", &serde_json::json!({ "text": DRAFT })).await;
    assert_eq!(s, StatusCode::OK);
    let schema = &v["paths"]["/api/v1/draft"]["post"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut errors = Vec::new();
    conforms(&v, schema, &body, "$", &mut errors);
    assert!(errors.is_empty(), "draft: {errors:#?}");
    assert!(v["paths"]["/api/v1/draft"]["post"]["responses"]["413"].is_object());
    // The check itself finds an extra field, a missing one, a wrong type.
    let (_, good) = json("/api/v1/provisions/A.2.55").await;
    let schema = &v["paths"]["/api/v1/provisions/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut bad = [good.clone(), good.clone(), good.clone()];
    bad[0]["provision"]["extra"] = Value::from(1);
    bad[1]["citation"].as_object_mut().unwrap().remove("en");
    bad[2]["provision"]["lines"]["start"] = Value::from("12");
    for (b, want) in bad.iter().zip([
        "$.provision.extra: not in the schema",
        "$.citation.en: required, missing",
        "$.provision.lines.start: string, documented as [\"integer\"]",
    ]) {
        let mut errors = Vec::new();
        conforms(&v, schema, b, "$", &mut errors);
        assert_eq!(errors, [want]);
    }
    // And an error.
    let (s, body) = json("/api/v1/provisions/nonsense").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let schema = &v["paths"]["/api/v1/provisions/{id}"]["get"]["responses"]["400"]["content"]["application/json"]
        ["schema"];
    let mut errors = Vec::new();
    conforms(&v, schema, &body, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        v["paths"]["/api/v1/search"]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/ErrorBody"
    );
    let params: Vec<&str> = v["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["q", "limit", "offset", "sort", "mode", "repair"]);
    // 404s documented where the API gives them.
    for path in [
        "/api/v1/provisions/{id}",
        "/api/v1/sections/{id}",
        "/api/v1/topics/{id}",
        "/api/v1/cite",
    ] {
        assert!(
            v["paths"][path]["get"]["responses"]["404"].is_object(),
            "{path}"
        );
    }
}

#[tokio::test]
async fn similar_provisions_by_wording_without_the_model() {
    let (s, v) = json("/api/v1/provisions/B.4.d/similar?k=3").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["of"], "B.4.d");
    assert_eq!(v["by_meaning"], false);
    let items = v["similar"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    // Decision 4/4 (d) is recalled in resolution 5/2's preamble.
    assert_eq!(items[0]["id"], "B.5.pp5");
    assert_eq!(items[0]["matched_by"], "words");
    assert_eq!(
        items[0]["citation"]["instrument"]["en"],
        "resolution 5/2, para. PP 5"
    );
    assert!(items[0]["meaning"].is_null());
    // The runs give the texts back, shared words marked.
    let text: String = items[0]["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    let (_, p) = json("/api/v1/provisions/B.5.pp5").await;
    assert_eq!(text, p["provision"]["text"].as_str().unwrap());
    assert!(
        items[0]["text"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["shared"] == true)
    );
    // Bad input: unknown id, malformed id, k out of range.
    for (uri, status) in [
        ("/api/v1/provisions/A.9.99/similar", StatusCode::NOT_FOUND),
        (
            "/api/v1/provisions/nonsense/similar",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/provisions/A.2.55/similar?k=0",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/provisions/A.2.55/similar?k=abc",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/provisions/A.2.55/similar?k=21",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (s, body) = json(uri).await;
        assert_eq!(s, status, "{uri}");
        assert!(body["error"]["message_ar"].is_string(), "{uri}: {body}");
    }
    // The provision page lists them, shared words marked.
    let (s, html, _) = get("/en/provisions/B.4.d").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Similar provisions"), "{html}");
    assert!(html.contains("Closest by shared wording only"));
    assert!(html.contains("href=\"/en/provisions/B.5.pp5\""));
    assert!(html.contains("<mark>"));
}

#[tokio::test]
async fn a_meeting_is_cited_by_the_session_that_welcomed_it() {
    // Resolution 5/2, para. 5 names meetings I–III by their dates.
    let (s, v) = json("/api/v1/sections/A.2").await;
    assert_eq!(s, StatusCode::OK);
    let cited: Vec<(&str, &str)> = v["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["from"].as_str().unwrap(), x["text"].as_str().unwrap()))
        .collect();
    assert_eq!(cited, [("B.5.5", "27 و29 كانون الثاني/يناير 2010")]);
    let (s, html, _) = get("/en/sections/A.2").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Cited by"), "{html}");
    assert!(html.contains("href=\"/en/provisions/B.5.5\""));
}

#[tokio::test]
async fn document_symbol_pages() {
    let (s, body, _) = get("/documents").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        body.matches("<tr><td><a href=\"/documents/").count(),
        13,
        "8 reports + 5 COP sessions"
    );
    let (s, body, _) = get("/documents/CTOC/COP/WG.4/2010/6").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("href=\"/sections/A.2\""));
    // Compendium II-55 is paragraph 62 of the report.
    assert!(body.contains("<td><a href=\"/provisions/A.2.55\">الجزء ألف، ثانياً-55</a></td><td lang=\"en\" dir=\"ltr\">para. 62</td>"));
    let (s, _, _) = get("/documents/ctoc/cop/wg.4/2010/6").await;
    assert_eq!(s, StatusCode::OK, "symbols match whatever the case");
    let (s, body, _) = get("/documents/CTOC/COP/2008/19").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("decision 4/4, para. (a)"));
    let (s, _, _) = get("/documents/CTOC/COP/WG.4/2099/1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The provision page links its source document, and the document in
    // the six UN languages (ODS).
    let (_, body, _) = get("/provisions/A.2.55").await;
    assert!(body.contains("href=\"/documents/CTOC/COP/WG.4/2010/6\""));
    assert!(body.contains("para. 62"));
    for (lang, name) in [
        ("ar", "العربية"),
        ("zh", "中文"),
        ("en", "English"),
        ("fr", "Français"),
        ("ru", "Русский"),
        ("es", "Español"),
    ] {
        let link = format!(
            "<a href=\"https://documents.un.org/api/symbol/access?s=CTOC/COP/WG.4/2010/6&amp;l={lang}&amp;t=pdf\" hreflang=\"{lang}\" lang=\"{lang}\" rel=\"external\""
        );
        assert!(body.contains(&link), "{lang}");
        assert!(body.contains(&format!(">{name}</a>")), "{name}");
    }
    let (_, v) = json("/api/v1/provisions/B.5.7.b").await;
    assert_eq!(v["section"]["originals"][4]["lang"], "ru");
    assert_eq!(
        v["section"]["originals"][4]["url"],
        "https://documents.un.org/api/symbol/access?s=CTOC/COP/2010/17&l=ru&t=pdf"
    );
}

#[tokio::test]
async fn without_the_model_search_is_by_words_and_says_so() {
    let (s, v) = json("/api/v1/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["search"], "lexical");
    assert_eq!(v["model"]["state"], "off");
    assert_eq!(v["provisions"], 472);
    // By default: words, no notice (the server was started without it).
    let q = encode("تعويض الضحايا");
    let (_, v) = json(&format!("/api/v1/search?q={q}")).await;
    assert_eq!(v["mode"], "lexical");
    assert_eq!(v["notices"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["hits"][0]["matched_by"], "words");
    // Asked for meaning: words, with a notice in both languages.
    let (s, v) = json(&format!("/api/v1/search?q={q}&mode=semantic")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["mode"], "lexical");
    assert_eq!(v["notices"][0]["code"], "no-model");
    assert!(
        v["notices"][0]["message_ar"]
            .as_str()
            .is_some_and(|m| m.contains("بالكلمات"))
    );
    let (s, v) = json(&format!("/api/v1/search?q={q}&mode=fuzzy")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("hybrid, lexical or semantic"))
    );
    // The page offers the modes and shows the notice.
    let (_, body, _) = get(&format!("/en/search?q={q}&mode=semantic")).await;
    assert!(body.contains("meaning search is not available"), "{body}");
    assert!(body.contains("<a href=\"/en/search?q="), "mode links");
}

#[tokio::test]
async fn english_interface_under_en() {
    // The English page has an address of its own; the record's text stays
    // Arabic, marked as such.
    let (s, body, _) = get("/en/provisions/A.2.55").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(body.contains("<h1>Part A, II-55</h1>"));
    assert!(body.contains("Copy citation") && body.contains("Source document"));
    assert!(body.contains("<div class=\"text\" lang=\"ar\" dir=\"rtl\">"));
    // Its links stay in English; each page names both alternates.
    assert!(body.contains("rel=\"next\" href=\"/en/provisions/A.2.56\""));
    assert!(body.contains("<link rel=\"alternate\" hreflang=\"ar\" href=\"/provisions/A.2.55\">"));
    assert!(
        body.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"/en/provisions/A.2.55\">")
    );
    for home in ["/en", "/en/"] {
        let (s, body, _) = get(home).await;
        assert_eq!(s, StatusCode::OK, "{home}");
        assert!(
            body.contains("Meetings and sessions")
                && body.contains("href=\"/\" lang=\"ar\" hreflang=\"ar\"")
        );
        assert!(
            body.contains("href=\"/en/topics/victims.compensation\" lang=\"en\">compensation</a>"),
            "English topic labels"
        );
    }
    let (_, body, _) = get("/").await;
    assert!(
        body.contains("الاجتماعات والدورات")
            && body.contains("href=\"/en/\" lang=\"en\" hreflang=\"en\"")
    );
    let (s, body, _) = get(&format!("/en/search?q={}", encode("تعويض الضحايا"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("href=\"/en/provisions/A.2.49\"") && body.contains("results"));
    // The cookie no longer decides: the address does.
    let (_, body, _) = get_with("/provisions/A.2.55", "fihris-lang=en").await;
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    // The old switch goes to the page in the asked language.
    let (s, _, h) = get("/lang/en?back=/provisions/A.2.55").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/en/provisions/A.2.55");
    assert!(
        h["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("fihris-lang=en; Path=/;")
    );
    let (_, _, h) = get("/lang/ar?back=/en/topics").await;
    assert_eq!(h["location"], "/topics");
    // Only paths on this site are followed back.
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\r\nSet-Cookie: x=1",
    ] {
        let (s, _, h) = get(&format!("/lang/en?back={}", encode(evil))).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(h["location"], "/en/", "{evil}");
    }
    let (s, v) = json("/lang/fr").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"]["message_ar"].as_str().unwrap().contains("لغة"));
}

#[tokio::test]
async fn former_topic_ids_move_to_the_new_ones() {
    for (old, new) in [
        ("/topics/dhaya--twydat", "/topics/victims.compensation"),
        ("/en/topics/tknwlwjya", "/en/topics/technology"),
        (
            "/api/v1/topics/dhaya--twydat",
            "/api/v1/topics/victims.compensation",
        ),
    ] {
        let (s, _, h) = get(old).await;
        assert_eq!(s, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(h["location"], new, "{old}");
    }
    // The unlabelled topics kept their ids.
    let (s, _, _) = get("/topics/unlabelled-974").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn unknown_pages_are_html_404s_and_unknown_endpoints_json() {
    let (s, body, h) = get("/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(body.contains("<h1>غير موجود</h1>") && body.contains("/no/such/page"));
    let (s, body, _) = get("/en/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("<h1>Not found</h1>") && body.contains("Not found: /no/such/page"));
    let (s, v) = json("/api/v1/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"]["message_ar"].is_string());
}

#[tokio::test]
async fn provision_page_has_copy_citation_and_source() {
    let (s, body, _) = get("/provisions/A.2.55").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<button class=\"copy\" type=\"button\" hidden"));
    assert!(body.contains(" data-copy=\"الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)، الجزء ألف، ثانياً-55 (CTOC/COP/WG.4/2010/6، الفقرة 62)\""));
    let resp = router(APP.clone())
        .oneshot(
            Request::get("/assets/fonts/Amiri-Regular.ttf")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "font/ttf");
    let font = resp.into_body().collect().await.expect("body").to_bytes();
    assert!(font.starts_with(&[0, 1, 0, 0]), "a TrueType font");
    let (s, _, _) = get("/assets/fonts/nope.ttf").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, css, _) = get("/assets/app.css").await;
    assert_eq!(s, StatusCode::OK);
    assert!(css.contains("url(\"/assets/fonts/Amiri-Regular.ttf\")"));
    let (s, js, h) = get("/assets/app.js").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert!(js.contains("button.copy[data-copy]"));
}

#[tokio::test]
async fn every_page_type_escapes_what_it_echoes() {
    let payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let p = encode(payload);
    for lang in ["", "/en"] {
        for uri in [
            format!("{lang}/search?q={p}"),
            format!("{lang}/search?q={p}&sort=date&offset=10"),
            format!("{lang}/provisions/{p}"),
            format!("{lang}/sections/{p}"),
            format!("{lang}/topics/{p}"),
            format!("{lang}/documents/{p}"),
            format!("{lang}/no/such/{p}"),
        ] {
            let (s, body, h) = get(&uri).await;
            assert!(s == StatusCode::OK || s.is_client_error(), "{uri}: {s}");
            assert!(
                h["content-type"].to_str().unwrap().starts_with("text/html"),
                "{uri}"
            );
            assert_eq!(
                body.matches("<script").count(),
                1,
                "{uri}: only the site's script"
            );
            assert!(!body.contains("<img"), "{uri}");
            assert!(
                body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{uri}: echoed, escaped"
            );
        }
    }
}

/// A draft of three clauses: a recommendation's first sentence with a new
/// ending, a new Arabic sentence, an English one.
const DRAFT: &str = "1. ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية، بما في ذلك القضاة والمدعون العامون.
2. وتدعو الدول إلى إنشاء صناديق وطنية لتعويض ضحايا الاتجار بالأشخاص.
3. Encourages States to strengthen cooperation between countries of origin, transit and destination.
";

/// A POST with a body of `content_type`.
async fn post(
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let req = Request::post(uri)
        .header("content-type", content_type)
        .header("content-length", body.len())
        .body(Body::from(body))
        .expect("request");
    let resp = router(APP.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        String::from_utf8(bytes.to_vec()).expect("utf-8"),
        headers,
    )
}

async fn post_json(uri: &str, body: &Value) -> (StatusCode, Value) {
    let (s, text, h) = post(uri, "application/json", body.to_string().into_bytes()).await;
    assert_eq!(h["content-type"], "application/json", "{uri}");
    (s, serde_json::from_str(&text).expect("json"))
}

/// A form post of `text`.
async fn post_form(uri: &str, text: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let body = format!("text={}", encode(text));
    post(uri, "application/x-www-form-urlencoded", body.into_bytes()).await
}

#[tokio::test]
async fn a_draft_is_checked_clause_by_clause_by_wording_without_the_model() {
    let (s, v) = post_json("/api/v1/draft", &serde_json::json!({ "text": DRAFT })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["arabic"], true);
    assert_eq!(v["by_meaning"], false);
    assert_eq!(
        (v["words"].as_u64(), v["verbatim"].as_u64()),
        (Some(44), Some(13))
    );
    // 13 of the 31 words of the two Arabic clauses.
    let coverage = v["coverage"].as_f64().unwrap();
    assert!((coverage - 13.0 / 31.0).abs() < 1e-6, "{coverage}");
    let clauses = v["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 3);
    let c = &clauses[0];
    assert_eq!(c["compared"], "A.2.55");
    let closest: Vec<&str> = c["closest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(closest, ["A.2.55", "A.8.1.d", "A.4.46.e"]);
    assert_eq!(
        c["closest"][0]["citation"]["report"]["symbol"],
        "CTOC/COP/WG.4/2010/6"
    );
    let marked: String = c["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let t = r["text"].as_str().unwrap();
            if r["shared"] == true {
                format!("[{t}]")
            } else {
                t.to_owned()
            }
        })
        .collect();
    assert_eq!(
        marked,
        "1. [ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية]، بما في ذلك القضاة والمدعون العامون."
    );
    // A new sentence shares no wording; the English one is not compared by
    // words at all, and without the model has no closest.
    assert_eq!(clauses[1]["closest"].as_array().unwrap().len(), 0);
    assert_eq!(clauses[2]["arabic"], false);
    assert_eq!(clauses[2]["closest"].as_array().unwrap().len(), 0);
    // k is honoured.
    let (_, v) = post_json(
        "/api/v1/draft",
        &serde_json::json!({ "text": DRAFT, "k": 1 }),
    )
    .await;
    assert_eq!(v["clauses"][0]["closest"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_drafts_are_4xx_in_both_languages() {
    let big = "ينبغي للدول ".repeat(400);
    assert!(big.len() > 8 * 1024 && big.len() < 16 * 1024);
    let cases: [(Value, StatusCode, &str); 6] = [
        (
            serde_json::json!({ "text": "" }),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            serde_json::json!({ "text": " \n\t " }),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            serde_json::json!({ "text": "؟!... — «»" }),
            StatusCode::BAD_REQUEST,
            "no words",
        ),
        (
            serde_json::json!({ "text": big }),
            StatusCode::PAYLOAD_TOO_LARGE,
            "at most 8192 bytes",
        ),
        (
            serde_json::json!({ "text": "abc", "k": 11 }),
            StatusCode::BAD_REQUEST,
            "from 1 to 10",
        ),
        (
            serde_json::json!({ "words": "abc" }),
            StatusCode::BAD_REQUEST,
            "must be JSON",
        ),
    ];
    for (body, status, says) in cases {
        let (s, v) = post_json("/api/v1/draft", &body).await;
        assert_eq!(s, status, "{body}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(says),
            "{v}"
        );
        assert!(
            !v["error"]["message_ar"].as_str().unwrap().is_empty(),
            "{v}"
        );
    }
    // Beyond the body limit, still the bilingual JSON error.
    let huge = vec![b'x'; fihris_server::MAX_BODY + 1];
    let (s, text, _) = post("/api/v1/draft", "application/json", huge).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = serde_json::from_str(&text).expect("json");
    assert!(
        v["error"]["message_ar"]
            .as_str()
            .unwrap()
            .contains("كيلوبايت"),
        "{v}"
    );
    // The page: an error shown above the form, which keeps the text.
    let (s, html, _) = post_form("/draft", "؟!").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("لا كلمات في المشروع"), "{html}");
    assert!(html.contains(">؟!</textarea>"), "{html}");
    let (s, html, _) = post_form("/en/draft", &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("at most 8192 bytes"));
}

#[tokio::test]
async fn the_draft_page_works_as_a_form_and_downloads_markdown() {
    let (s, html, _) = get("/draft").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<form class=\"draft\" action=\"/draft\" method=\"post\">"),
        "{html}"
    );
    assert!(html.contains("formaction=\"/draft.md\""));
    assert!(html.contains("لا تُحفظ المشاريع"));
    let (s, html, _) = post_form("/en/draft", DRAFT).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Drafts are not kept"));
    assert!(
        html.contains("Verbatim coverage 42%: 13 words agreed verbatim"),
        "{html}"
    );
    assert!(html.contains("<mark>ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية</mark><ins>، بما في ذلك القضاة والمدعون العامون.</ins>"), "{html}");
    assert!(html.contains("Compared word by word with <a href=\"/en/provisions/A.2.55\">"));
    let (s, md, h) = post_form("/en/draft.md", DRAFT).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "text/markdown; charset=utf-8");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"draft-checked.md\""
    );
    assert!(
        md.starts_with(
            "# Draft checked against agreed language\n\nVerbatim coverage: 42% (13 words"
        ),
        "{md}"
    );
    assert!(md.contains("1. **ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية**، بما في ذلك القضاة والمدعون العامون.[^1][^2][^3]\n"), "{md}");
    assert!(md.contains("\n[^1]: Part A, II-55 (A.2.55); CTOC/COP/WG.4/2010/6, para. 62 — wording 0.60 — compared word by word\n"), "{md}");
    assert!(md.contains("Encourages States to strengthen cooperation between countries of origin, transit and destination. _(no close provision)_"), "{md}");
}

#[tokio::test]
async fn the_mandate_chain_runs_from_decision_4_4_through_the_meetings_to_resolution_5_2() {
    let (s, v) = json("/api/v1/mandate").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["established_by"]["section"], "B.4");
    assert_eq!(v["established_by"]["instrument"], "decision 4/4");
    assert_eq!(
        v["established_by"]["paragraphs"],
        serde_json::json!([
            "B.4.n", "B.4.o", "B.4.p", "B.4.q", "B.4.r", "B.4.s", "B.4.t"
        ])
    );
    let meetings = v["meetings"].as_array().unwrap();
    let chain: Vec<(&str, Vec<&str>)> = meetings
        .iter()
        .map(|m| {
            (
                m["section"].as_str().unwrap(),
                m["welcomed_by"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(chain.len(), 9);
    assert_eq!(
        &chain[..4],
        &[
            ("A.1", vec!["B.5.5"]),
            ("A.2", vec!["B.5.5"]),
            ("A.3", vec!["B.5.5"]),
            ("A.4", vec![]),
        ]
    );
    assert!(chain[3..].iter().all(|(_, w)| w.is_empty()));
    // On the sections of the chain, not on the others.
    for (id, has) in [
        ("A.2", true),
        ("B.4", true),
        ("B.5", true),
        ("A.9", true),
        ("B.1", false),
    ] {
        let (_, v) = json(&format!("/api/v1/sections/{id}")).await;
        assert_eq!(v["mandate"].is_object(), has, "{id}");
    }
    // On the pages: the meeting marked, the welcoming paragraph linked.
    let (_, html, _) = get("/en/sections/A.2").await;
    assert!(
        html.contains("<section class=\"mandate\" aria-labelledby=\"mandate-h\">"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/en/sections/B.4\">decision 4/4</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/en/sections/A.2\" aria-current=\"page\">Part A, II</a>"),
        "{html}"
    );
    assert!(
        html.contains("welcomed by <a href=\"/en/provisions/B.5.5\">Part B, V-5</a>"),
        "{html}"
    );
    let (_, html, _) = get("/sections/A.4").await;
    assert!(html.contains("لا ترحّب بها باسمها أيّ دورة في الخلاصة"));
    let (_, html, _) = get("/sections/B.1").await;
    assert!(!html.contains("class=\"mandate\""));
}

#[tokio::test]
async fn reused_formulations_with_their_first_appearance() {
    let (s, v) = json("/api/v1/phrases").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["formulations"].as_array().unwrap().len(), 13);
    assert_eq!(v["reuses"], 15);
    assert_eq!(v["formulations"][0]["first"]["id"], "A.1.11.b");
    assert_eq!(v["formulations"][0]["first"]["when"], "2009-04-14");
    // One provision: B.2.n took the first session's request, changed.
    let (_, v) = json("/api/v1/phrases?provision=B.2.n").await;
    assert_eq!(v["provision"], "B.2.n");
    let f = &v["formulations"][0];
    assert_eq!(
        (f["first"]["id"].as_str(), f["first"]["when"].as_str()),
        (Some("B.1.c"), Some("2004"))
    );
    let r = &f["reuses"][0];
    assert_eq!(
        (r["at"]["id"].as_str(), r["exact"].as_bool()),
        (Some("B.2.n"), Some(false))
    );
    let changed: Vec<&str> = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["shared"] == false)
        .map(|r| r["text"].as_str().unwrap().trim())
        .collect();
    assert_eq!(changed, ["البروتوكول"]);
    // Bad and unknown ids.
    let (s, v) = json("/api/v1/phrases?provision=nonsense").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(!v["error"]["message_ar"].as_str().unwrap().is_empty());
    let (s, _) = json("/api/v1/phrases?provision=A.99.1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The page, and the provision pages on both sides.
    let (s, html, _) = get("/en/phrases").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("13 formulations reused 15 times"));
    assert!(
        html.contains("<del> بروتوكول الاتجار بالأشخاص </del>"),
        "{html}"
    );
    let (_, html, _) = get("/en/provisions/A.8.1.c").await;
    assert!(html.contains("This wording first appeared in <a href=\"/en/provisions/A.1.11.b\">Part A, I-11 (b)</a> <span class=\"when\" lang=\"en\" dir=\"ltr\">(2009-04-14)</span>"), "{html}");
    let (_, html, _) = get("/provisions/A.1.11.b").await;
    assert!(html.contains("أُعيد استعمال هذه الصياغة في "));
}

#[tokio::test]
async fn topics_suggested_for_a_text_with_their_measured_precision() {
    let text = APP
        .corpus
        .provision(&"A.2.55".parse().unwrap())
        .unwrap()
        .text
        .clone();
    let (s, v) = post_json(
        "/api/v1/topics/suggest",
        &serde_json::json!({ "text": text, "k": 3 }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["by_meaning"], false);
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 3);
    // By wording, leave-one-meeting-out on the record.
    let p1 = v["precision"]["p_at_1"].as_f64().unwrap();
    assert!((p1 - 0.372).abs() < 0.0005, "{p1}");
    assert_eq!(v["precision"]["units"], 409);
    let filed: Vec<String> = APP
        .corpus
        .topics
        .iter()
        .filter(|t| t.provisions.iter().any(|p| p.to_string() == "A.2.55"))
        .map(|t| t.id.to_string())
        .collect();
    let first = v["suggestions"][0]["id"].as_str().unwrap();
    assert!(filed.iter().any(|t| t == first), "{first} not in {filed:?}");
    assert!(!v["suggestions"][0]["label"].as_str().unwrap().is_empty());
    // Bad requests.
    for (body, status) in [
        (serde_json::json!({ "text": "؟!" }), StatusCode::BAD_REQUEST),
        (
            serde_json::json!({ "text": "abc", "k": 0 }),
            StatusCode::BAD_REQUEST,
        ),
        (
            serde_json::json!({ "text": "حكم ".repeat(1200) }),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ] {
        let (s, v) = post_json("/api/v1/topics/suggest", &body).await;
        assert_eq!(s, status, "{v}");
        assert!(!v["error"]["message_ar"].as_str().unwrap().is_empty());
    }
    // The answer has the documented shape.
    let (_, doc) = json("/api/v1/openapi.json").await;
    let schema = &doc["paths"]["/api/v1/topics/suggest"]["post"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut errors = Vec::new();
    conforms(&doc, schema, &v_ok(&text).await, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
}

async fn v_ok(text: &str) -> Value {
    post_json(
        "/api/v1/topics/suggest",
        &serde_json::json!({ "text": text }),
    )
    .await
    .1
}

#[tokio::test]
async fn editions_their_differences_and_a_provisions_history() {
    use fihris_view::{EditionBrief, Editions};
    let first = APP.corpus.clone();
    let mut later = first.clone();
    fihris_edit::apply(
        &mut later,
        &fihris_edit::Change::CorrectText {
            id: "A.2.55".into(),
            text: "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للقضاة والممارسين في مجال العدالة الجنائية.".into(),
        },
    )
    .unwrap();
    later.provisions.retain(|p| p.id.to_string() != "A.9.9");
    let brief = |name: &str| EditionBrief {
        name: name.to_owned(),
        published: true,
        published_at: Some(format!("{name}-01-01T00:00:00.000Z")),
    };
    let editions = Editions::new(vec![
        (brief("2021"), Arc::new(first)),
        (brief("2027"), Arc::new(later.clone())),
    ]);
    let app = Arc::new(App::new(later).unwrap().with_editions(editions));
    let get_app = |uri: &str| {
        let app = app.clone();
        let uri = uri.to_owned();
        async move {
            let resp = router(app)
                .oneshot(Request::get(uri.as_str()).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = resp.status();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };
    let (s, body) = get_app("/api/v1/editions").await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[1]["name"], "2027");
    let (s, body) = get_app("/api/v1/editions/2021...2027").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["changed"][0]["id"], "A.2.55");
    assert_eq!(v["removed"], serde_json::json!(["A.9.9"]));
    let (s, _) = get_app("/api/v1/editions/2021..2027").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = get_app("/api/v1/editions/2021...1999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The pages.
    let (s, html) = get_app("/en/editions/2021...2027").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<ins> للقضاة والممارسين </ins>"), "{html}");
    assert!(html.contains("Provisions removed"));
    let (_, html) = get_app("/en/editions").await;
    assert!(
        html.contains("<a href=\"/en/editions/2021...2027\">what changed since 2021</a>"),
        "{html}"
    );
    let (_, html) = get_app("/en/provisions/A.2.55").await;
    assert!(html.contains("<h2 id=\"history-h\">History</h2>"), "{html}");
    assert!(html.contains("text changed"));
    // A removed provision's address says when, with 410 Gone.
    let (s, html) = get_app("/en/provisions/A.9.9").await;
    assert_eq!(s, StatusCode::GONE);
    assert!(
        html.contains("This provision was removed in edition 2027."),
        "{html}"
    );
    let (s, _) = get_app("/en/provisions/A.9.99").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// A request to `router` with a JSON body (or none) and headers.
async fn send(
    router: axum::Router,
    (method, uri): (&str, &str),
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let resp = router
        .oneshot(req.body(body).expect("request"))
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).expect("json"),
    )
}

#[tokio::test]
async fn the_write_api_answers_as_documented() {
    // Without a store, the write API says so.
    let (s, _, body) = send(
        router(APP.clone()),
        ("GET", "/api/v1/editorial/draft"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body["error"]["message_ar"].is_string());
    // With one (SQLite, fresh): each answer has its documented shape.
    let source =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    let dir = std::env::temp_dir().join(format!("fihris-api-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let editor =
        fihris_editorial::Editor::new(fihris_editorial::Location::Sqlite(dir.clone()), &source);
    let key = editor
        .create_key("test", "amina", fihris_store::Role::Publisher)
        .unwrap();
    let app =
        fihris_server::served_router(fihris_server::Served::new(APP.clone()).with_editor(editor));
    let (_, doc) = json("/api/v1/openapi.json").await;
    let check = |path: &str, method: &str, status: &str, body: &Value| {
        let schema = &doc["paths"][path][method]["responses"][status]["content"]["application/json"]
            ["schema"];
        assert!(schema.is_object(), "{method} {path} {status} undocumented");
        let mut errors = Vec::new();
        conforms(&doc, schema, body, "$", &mut errors);
        assert!(errors.is_empty(), "{method} {path} {status}: {errors:#?}");
    };
    let (s, h, body) = send(app.clone(), ("GET", "/api/v1/editorial/draft"), &[], None).await;
    assert_eq!(s, StatusCode::OK);
    check("/api/v1/editorial/draft", "get", "200", &body);
    let tag = h["etag"].to_str().unwrap().to_owned();
    let bearer = format!("Bearer {key}");
    let auth = [
        ("authorization", bearer.as_str()),
        ("if-match", tag.as_str()),
    ];
    let change = serde_json::json!({
        "change": { "kind": "file", "id": "A.2.55", "topic": "victims.compensation" },
        "reason": "it concerns compensation"
    });
    let (s, _, body) = send(
        app.clone(),
        ("POST", "/api/v1/editorial/changes"),
        &auth[..1],
        Some(&change),
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
    check("/api/v1/editorial/changes", "post", "428", &body);
    let (s, _, body) = send(
        app.clone(),
        ("POST", "/api/v1/editorial/changes"),
        &auth,
        Some(&change),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    check("/api/v1/editorial/changes", "post", "201", &body);
    let (s, _, body) = send(
        app.clone(),
        ("POST", "/api/v1/editorial/changes"),
        &auth,
        Some(&change),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    check("/api/v1/editorial/changes", "post", "409", &body);
    let (_, h, body) = send(app.clone(), ("GET", "/api/v1/editorial/draft"), &[], None).await;
    check("/api/v1/editorial/draft", "get", "200", &body);
    assert_eq!(body["diff"]["filed"][0]["provision"], "A.2.55");
    let tag = h["etag"].to_str().unwrap().to_owned();
    let meeting = serde_json::json!({
        "file": "meeting-10.ar.txt",
        "text": std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/synthetic/meeting-10.ar.txt")
        ).unwrap(),
    });
    let auth = [
        ("authorization", bearer.as_str()),
        ("if-match", tag.as_str()),
    ];
    let (s, _, body) = send(
        app.clone(),
        ("POST", "/api/v1/editorial/meetings"),
        &auth,
        Some(&meeting),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    check("/api/v1/editorial/meetings", "post", "201", &body);
    let (s, _, body) = send(
        app.clone(),
        ("POST", "/api/v1/editorial/publish"),
        &[auth[0], ("if-match", body["tag"].as_str().unwrap())],
        Some(&serde_json::json!({ "name": "2022" })),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    check("/api/v1/editorial/publish", "post", "201", &body);
    assert_eq!(body["written"], "edition 2022");
    let (s, _, body) = send(
        app,
        ("POST", "/api/v1/editorial/publish"),
        &[("authorization", "Bearer nope"), ("if-match", "x")],
        Some(&serde_json::json!({ "name": "2023" })),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    check("/api/v1/editorial/publish", "post", "401", &body);
    assert_eq!(
        doc["components"]["securitySchemes"]["key"]["scheme"],
        "bearer"
    );
    // Without a key, a meeting file is not even read: 401, not its 400.
    let (s, _, _) = send(
        fihris_server::served_router(fihris_server::Served::new(APP.clone()).with_editor(
            fihris_editorial::Editor::new(fihris_editorial::Location::Sqlite(dir.clone()), &source),
        )),
        ("POST", "/api/v1/editorial/meetings"),
        &[("if-match", "x")],
        Some(&serde_json::json!({ "file": "", "text": "" })),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_panic_is_a_logged_json_500_and_the_server_goes_on() {
    use axum::routing::get;
    let app = fihris_server::harden(
        axum::Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("boom");
                    }
                    "never"
                }),
            )
            .route("/fine", get(|| async { "fine" })),
    );
    for _ in 0..2 {
        let (s, h, body) = send(app.clone(), ("GET", "/boom"), &[], None).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(h["content-type"], "application/json");
        assert!(h.contains_key("content-security-policy"));
        assert!(
            body["error"]["message_ar"]
                .as_str()
                .unwrap()
                .contains("خطأ داخلي")
        );
        let resp = app
            .clone()
            .oneshot(Request::get("/fine").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_answer_is_a_bilingual_405_with_allow() {
    for (method, uri, allow) in [
        ("TRACE", "/api/v1/health", "GET,HEAD"),
        ("DELETE", "/api/v1/provisions/A.2.55", "GET,HEAD"),
        ("PUT", "/api/v1/draft", "POST"),
        ("TRACE", "/provisions/A.2.55", "GET,HEAD"),
    ] {
        let resp = router(APP.clone())
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
        let h = resp.headers().clone();
        assert_eq!(h["allow"], allow, "{method} {uri}");
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["error"]["status"], 405);
        assert!(
            v["error"]["message_ar"].as_str().unwrap().contains("Allow"),
            "{v}"
        );
    }
    // HEAD where GET works.
    let resp = router(APP.clone())
        .oneshot(
            Request::head("/api/v1/provisions/A.2.55")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_pasted_query_is_repaired_by_the_pages_and_on_request_by_the_api() {
    let q = encode("\"تعويض الضحايا");
    // The API is strict unless asked.
    let (s, v) = json(&format!("/api/v1/search?q={q}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("unclosed"),
        "{v}"
    );
    let (s, v) = json(&format!("/api/v1/search?q={q}&repair=true&mode=lexical")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["notices"][0]["code"], "repaired");
    assert_eq!(
        v["notices"][0]["message"],
        "searched for «\"تعويض الضحايا\"»: closed the quotation mark at the end"
    );
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    let (s, _) = json(&format!("/api/v1/search?q={q}&repair=maybe")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // The page repairs and says how; a lone operator too.
    let (s, page, _) = get(&format!("/search?q={q}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("أُغلقت علامة التنصيص في آخر الاستعلام"), "{page}");
    let (s, page, _) = get(&format!("/en/search?q={}", encode("الضحايا OR *"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("left out a lone *; left out OR without a word on each side"),
        "{page}"
    );
    // What cannot be repaired stays an error on the page.
    let (s, _, _) = get(&format!("/search?q={}", encode("* - OR"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_document_says_what_the_api_enforces() {
    let (_, doc) = json("/api/v1/openapi.json").await;
    let param = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["schema"]
            .clone()
    };
    assert_eq!(param("/api/v1/search", "q")["minLength"], 1);
    let provision = param("/api/v1/provisions/{id}", "id")["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    let section = param("/api/v1/sections/{id}", "id")["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    let matches = |pattern: &str, s: &str| regex::Regex::new(pattern).unwrap().is_match(s);
    // What the patterns allow, the API takes (200 or 404); what they
    // refuse, it refuses (400).
    for (id, allowed) in [
        ("A.2.55", true),
        ("B.5.pp11", true),
        ("A.4.46.b", true),
        ("A.4", false),
        ("A.0.1", false),
        ("X.1.2", false),
    ] {
        assert_eq!(matches(&provision, id), allowed, "{id}");
        let (s, _) = json(&format!("/api/v1/provisions/{id}")).await;
        assert_eq!(s == StatusCode::BAD_REQUEST, !allowed, "{id}: {s}");
    }
    for (id, allowed) in [
        ("A.4", true),
        ("B.9", true),
        ("A.0", false),
        ("A.4.1", false),
    ] {
        assert_eq!(matches(&section, id), allowed, "{id}");
        let (s, _) = json(&format!("/api/v1/sections/{id}")).await;
        assert_eq!(s == StatusCode::BAD_REQUEST, !allowed, "{id}: {s}");
    }
    let (s, _) = json("/api/v1/search?q=").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn searches_past_a_clients_quota_are_a_429_with_retry_after() {
    use axum::extract::ConnectInfo;
    let app = fihris_server::limited_router(
        fihris_server::Served::new(APP.clone()),
        fihris_server::SearchLimit::new(2, false),
    );
    let from = |ip: &str, uri: &str| {
        let mut req = Request::get(uri).body(Body::empty()).unwrap();
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        req
    };
    let q = format!("/api/v1/search?q={}&mode=lexical", encode("الضحايا"));
    // A burst of twice the quota, then 429.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let resp = app.clone().oneshot(from("203.0.113.7", &q)).await.unwrap();
        statuses.push(resp.status().as_u16());
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            let h = resp.headers().clone();
            assert!(h["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
            assert_eq!(h["content-type"], "application/json");
            assert!(h.contains_key("content-security-policy"));
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            let v: Value = serde_json::from_slice(&bytes).unwrap();
            assert!(
                v["error"]["message_ar"]
                    .as_str()
                    .unwrap()
                    .contains("أعد المحاولة")
            );
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
    // Another client is not held back, nor the same one elsewhere, nor a
    // loopback client, nor a page search by another address.
    let ok = |r: Response<Body>| r.status() == StatusCode::OK;
    assert!(ok(app
        .clone()
        .oneshot(from("203.0.113.8", &q))
        .await
        .unwrap()));
    assert!(ok(app
        .clone()
        .oneshot(from("203.0.113.7", "/api/v1/provisions/A.2.55"))
        .await
        .unwrap()));
    assert!(ok(app
        .clone()
        .oneshot(from("127.0.0.1", &q))
        .await
        .unwrap()));
    let page = format!("/search?q={}", encode("الضحايا"));
    assert_eq!(
        app.clone()
            .oneshot(from("203.0.113.7", &page))
            .await
            .unwrap()
            .status(),
        StatusCode::TOO_MANY_REQUESTS,
        "pages share the client's quota"
    );
    // Loopback limited when asked.
    let strict = fihris_server::limited_router(
        fihris_server::Served::new(APP.clone()),
        fihris_server::SearchLimit::new(1, true),
    );
    let mut last = StatusCode::OK;
    for _ in 0..4 {
        last = strict
            .clone()
            .oneshot(from("127.0.0.1", &q))
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// The draft's tag is linked to the writes' `If-Match`, as OpenAPI spells
/// links (`operationId`, which utoipa 5.5 alone would write in snake case),
/// and each link names an operation of the document.
#[tokio::test]
async fn the_drafts_tag_is_linked_to_the_writes() {
    let (_, doc) = json("/api/v1/openapi.json").await;
    let ok = &doc["paths"]["/api/v1/editorial/draft"]["get"]["responses"]["200"];
    assert_eq!(ok["headers"]["ETag"]["schema"]["type"], "string");
    let links = ok["links"].as_object().unwrap();
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let mut linked: Vec<&str> = Vec::new();
    for link in links.values() {
        assert!(link.get("operation_id").is_none(), "{link}");
        let id = link["operationId"].as_str().unwrap();
        assert!(ids.contains(&id), "{id} is no operation of the document");
        assert_eq!(link["parameters"]["If-Match"], "$response.header.ETag");
        linked.push(id);
    }
    assert_eq!(linked, ["change", "meeting", "publish"]);
}

/// A form post of `body` to the basket with `headers` (a cookie, an
/// origin …); the status, the basket cookie it sets and where it goes.
async fn basket_post(body: &str, headers: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut req = Request::post("/basket")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "fihris.test");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = router(APP.clone())
        .oneshot(req.body(Body::from(body.to_owned())).expect("request"))
        .await
        .unwrap();
    let h = resp.headers();
    let cookie = h
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let to = h
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (resp.status(), cookie, to)
}

#[tokio::test]
async fn the_drafting_basket_is_collected_ordered_and_downloaded_without_script() {
    let (s, page, _) = get("/provisions/A.2.44").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(r#"<form class="basket-add" method="post" action="/basket"><input type="hidden" name="action" value="add"><input type="hidden" name="id" value="A.2.44"><input type="hidden" name="back" value="/provisions/A.2.44">"#), "{page}");

    let (s, cookie, to) =
        basket_post("action=add&id=A.2.44&back=%2Fprovisions%2FA.2.44", &[]).await;
    assert_eq!(
        (s, cookie.as_str(), to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "fihris-basket=A.2.44",
            "/provisions/A.2.44"
        )
    );
    let (_, page, _) = get_with("/en/provisions/A.2.44", &cookie).await;
    assert!(page.contains("This provision is in <a href=\"/en/basket\">the drafting basket</a>"));

    let (_, cookie, to) = basket_post("action=add&id=B.5.1", &[("cookie", &cookie)]).await;
    assert_eq!(
        (cookie.as_str(), to.as_str()),
        ("fihris-basket=A.2.44_B.5.1", "/basket")
    );
    let (_, cookie, _) = basket_post("action=add&id=A.4.46.i", &[("cookie", &cookie)]).await;
    let (_, cookie, _) = basket_post("action=up&id=B.5.1", &[("cookie", &cookie)]).await;
    assert_eq!(cookie, "fihris-basket=B.5.1_A.2.44_A.4.46.i");
    let (_, cookie, _) = basket_post("action=down&id=A.4.46.i", &[("cookie", &cookie)]).await;
    assert_eq!(
        cookie, "fihris-basket=B.5.1_A.2.44_A.4.46.i",
        "the last stays last"
    );
    let (_, removed, _) = basket_post("action=remove&id=A.2.44", &[("cookie", &cookie)]).await;
    assert_eq!(removed, "fihris-basket=B.5.1_A.4.46.i");
    let (_, cleared, _) = basket_post("action=clear", &[("cookie", &cookie)]).await;
    assert_eq!(cleared, "fihris-basket=");

    let (s, page, _) = get_with("/basket", &format!("{cookie}; fihris-lang=ar")).await;
    assert_eq!(s, StatusCode::OK);
    let order: Vec<usize> = [
        "/provisions/B.5.1",
        "/provisions/A.2.44",
        "/provisions/A.4.46.i\"",
    ]
    .iter()
    .map(|p| page.find(p).unwrap_or_else(|| panic!("{p} on the page")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        page.contains("/basket/download?ids=B.5.1,A.2.44,A.4.46.i&amp;format=docx&amp;lang=ar")
    );
    // Search hits carry the same form, or say they are in the basket.
    let (_, hits, _) = get_with(
        &format!("/en/search?q={}", encode("تعويض الضحايا")),
        &cookie,
    )
    .await;
    assert!(
        hits.contains("aria-label=\"Add Part A, II-49 to the drafting basket\""),
        "{hits}"
    );
    let (_, hits, _) = get_with(
        &format!("/en/search?q={}", encode("تعويض الضحايا")),
        "fihris-basket=A.2.49",
    )
    .await;
    assert!(!hits.contains("aria-label=\"Add Part A, II-49 to the drafting basket\""));
    assert!(hits.contains("in the basket"));
    let (_, empty, _) = get("/en/basket").await;
    assert!(empty.contains("The basket is empty."));

    let (s, docx, h) =
        get_bytes("/basket/download?ids=B.5.1,A.2.44,A.4.46.i&format=docx", "").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        h["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"fihris-basket.docx\""
    );
    assert_eq!(&docx[..2], b"PK");
    let (s, md, h) = get("/basket/download?ids=A.2.44&format=md&lang=en").await;
    assert_eq!(
        (s, h["content-type"].to_str().unwrap()),
        (StatusCode::OK, "text/markdown; charset=utf-8")
    );
    assert!(md.ends_with("[^2]: Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part A, II-44 (CTOC/COP/WG.4/2010/6, para. 51)\n"), "{md}");

    let too_many: Vec<String> = (1..=51).map(|n| format!("A.1.{n}")).collect();
    for (uri, status, ar) in [
        (
            "/basket/download?ids=A.2.44,A.2.999&format=docx".to_owned(),
            StatusCode::NOT_FOUND,
            "لا يوجد في السجل حكم A.2.999",
        ),
        (
            "/basket/download?ids=A.2.44,x&format=docx".to_owned(),
            StatusCode::BAD_REQUEST,
            "ليس رمز حكم",
        ),
        (
            "/basket/download?ids=".to_owned(),
            StatusCode::BAD_REQUEST,
            "السلة فارغة",
        ),
        (
            "/basket/download?ids=A.2.44&format=pdf".to_owned(),
            StatusCode::BAD_REQUEST,
            "الصيغة إما",
        ),
        (
            format!("/basket/download?ids={}", too_many.join(",")),
            StatusCode::BAD_REQUEST,
            "لا تتسع السلة لأكثر من 50",
        ),
    ] {
        let (s, body, h) = get(&uri).await;
        assert_eq!(
            (s, h["content-type"].to_str().unwrap()),
            (status, "application/json"),
            "{uri}"
        );
        assert!(body.contains(ar), "{uri}: {body}");
    }
    let (s, cookie, _) = basket_post("action=add&id=A.2.999", &[]).await;
    assert_eq!(
        (s, cookie.as_str()),
        (StatusCode::NOT_FOUND, ""),
        "nothing set"
    );
    let (s, cookie, _) = basket_post(
        "action=add&id=A.2.44",
        &[("origin", "https://elsewhere.example")],
    )
    .await;
    assert_eq!(
        (s, cookie.as_str()),
        (StatusCode::FORBIDDEN, ""),
        "a post from another site"
    );
    let (s, _, _) = basket_post("action=add&id=A.2.44", &[("origin", "http://fihris.test")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "a post from this site");
    let (s, _, _) = basket_post("action=fly&id=A.2.44", &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
