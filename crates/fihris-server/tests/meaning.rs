//! The server with meaning search: the model loads on a thread of its own
//! while the words serve, the health endpoint follows it, and then
//! searches turn hybrid — in English as in Arabic, on the API and the
//! pages.
//!
//! Needs the model (`fihris model fetch`); `FIHRIS_SKIP_MODEL=1` skips.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fihris_server::{App, load_model, router, url_encode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, String) {
    let resp = router(app.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn json(app: &Arc<App>, uri: &str) -> Value {
    let (s, body) = get(app, uri).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// A JSON POST that must answer 200; its JSON.
async fn post_json(app: &Arc<App>, uri: &str, body: &Value) -> Value {
    let resp = router(app.clone())
        .oneshot(
            Request::post(uri)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{uri}");
    serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

#[tokio::test]
async fn the_model_loads_in_the_background_then_searches_turn_hybrid() {
    if std::env::var_os("FIHRIS_SKIP_MODEL").is_some() {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = fihris_parse::parse_file(&root.join("corpus/compendium-2021.ar.txt")).unwrap();
    let app = Arc::new(App::new(corpus).unwrap());
    let loading = load_model(app.clone(), vec![root.join("corpus/vectors")]);
    // At once: the words serve, and the health endpoint says the model is
    // on its way.
    let v = json(&app, "/api/v1/health").await;
    assert_eq!(v["model"]["state"], "loading");
    assert_eq!(v["search"], "lexical");
    let q = url_encode("victims compensation");
    let v = json(&app, &format!("/api/v1/search?q={q}")).await;
    assert_eq!(v["mode"], "lexical");
    assert_eq!(v["notices"][0]["code"], "no-model");
    tokio::task::spawn_blocking(move || loading.join().unwrap())
        .await
        .unwrap();
    let v = json(&app, "/api/v1/health").await;
    assert_eq!(v["model"]["state"], "ready", "{v}");
    assert_eq!(v["model"]["detail"], "embeddinggemma-300m");
    assert_eq!(v["search"], "hybrid");
    // English: found by meaning and by its words rendered in the record's
    // Arabic (said in a notice), with the topic beside the hits.
    let v = json(&app, &format!("/api/v1/search?q={q}")).await;
    assert_eq!(v["mode"], "hybrid");
    assert_eq!(v["notices"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["notices"][0]["code"], "rendered");
    let rendered = v["notices"][0]["message_ar"].as_str().unwrap();
    assert!(
        rendered.contains("ضحايا") && rendered.contains("تعويض"),
        "{rendered}"
    );
    assert_eq!(v["hits"][0]["matched_by"], "both");
    assert!(!v["hits"][0]["highlights"].as_array().unwrap().is_empty());
    assert_eq!(v["topics"][0]["id"], "victims.compensation");
    assert_eq!(v["topics"][0]["label_en"], "Victims: compensation");
    // Arabic words keep their first hit, now found both ways.
    let ar = url_encode("تعويض الضحايا");
    let words = json(&app, &format!("/api/v1/search?q={ar}&mode=lexical")).await;
    let both = json(&app, &format!("/api/v1/search?q={ar}")).await;
    assert_eq!(both["hits"][0]["id"], words["hits"][0]["id"]);
    assert_eq!(both["hits"][0]["matched_by"], "both");
    // Meaning only, and a draft paragraph too long for the words.
    let v = json(&app, &format!("/api/v1/search?q={q}&mode=semantic")).await;
    assert_eq!(v["mode"], "semantic");
    assert_eq!(v["hits"][0]["matched_by"], "meaning");
    assert_eq!(v["notices"].as_array().map(Vec::len), Some(0));
    let long = url_encode(&"victims of trafficking should receive compensation ".repeat(60));
    let v = json(&app, &format!("/api/v1/search?q={long}")).await;
    let codes: Vec<&str> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["words-skipped", "truncated"]);
    // The English page: the hit's label, the topics box, the notice-free
    // summary.
    let (s, body) = get(&app, &format!("/en/search?q={q}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<span class=\"by-both\">by words and meaning</span>"));
    let (_, by_meaning) = get(&app, &format!("/en/search?q={q}&mode=semantic")).await;
    assert!(by_meaning.contains("<span class=\"by-meaning\">by meaning</span>"));
    assert!(body.contains("Topics of the index close to your query"));
    assert!(body.contains(
        "href=\"/en/topics/victims.compensation\" lang=\"en\">Victims: compensation</a>"
    ));
    assert!(body.contains("<strong>words and meaning</strong>"));
    // The rendering is said on the page, in English there and in Arabic on
    // the Arabic page, with the words marked in the hits.
    assert!(body.contains(
        "the query's words were also searched as the record's closest Arabic words: «الضحايا"
    ));
    assert!(body.contains("<mark>"));
    let (_, body_ar) = get(&app, &format!("/search?q={q}")).await;
    assert!(body_ar.contains("بُحث أيضاً عن كلمات الاستعلام بأقرب كلمات السجل العربية إليها: «"));
    // An Arabic word no provision has («المعلمون», teachers) is searched
    // as the record's closest («التعليم», education): said in the API and
    // on the page in both languages, and «مناهج التعليم العام» (A.1.7.a)
    // is among the hits; lexical mode keeps the word as typed.
    let teachers = url_encode("جهات الاستجابة، المعلمون والمربون");
    let v = json(&app, &format!("/api/v1/search?q={teachers}&limit=20")).await;
    assert_eq!(v["notices"][0]["code"], "close-words");
    let ids = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(ids(&v).contains(&"A.1.7.a".to_owned()), "{:?}", ids(&v));
    let words = json(
        &app,
        &format!("/api/v1/search?q={teachers}&mode=lexical&limit=100"),
    )
    .await;
    assert_eq!(words["notices"].as_array().map(Vec::len), Some(0));
    assert!(!ids(&words).contains(&"A.1.7.a".to_owned()));
    let (_, page_ar) = get(&app, &format!("/search?q={teachers}")).await;
    assert!(
        page_ar.contains(
            "بُحث عن كلمات لا ترد في أي حكم بأقرب كلمات السجل إليها: «المعلمون» ← «التعليم»"
        )
    );
    let (_, page_en) = get(&app, &format!("/en/search?q={teachers}")).await;
    assert!(page_en.contains(
        "words no provision has were searched as the record's closest words: «المعلمون» → «التعليم»"
    ));
    // Similar provisions now rank by meaning too: A.2.55 (training for
    // criminal justice practitioners) finds its paraphrases A.2.54, A.2.48.
    let v = json(&app, "/api/v1/provisions/A.2.55/similar").await;
    assert_eq!(v["by_meaning"], true);
    let ids: Vec<&str> = v["similar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[..2], ["A.2.54", "A.2.48"]);
    assert_eq!(v["similar"][1]["matched_by"], "meaning");
    // A draft: its clauses embedded, an English one answered by meaning
    // (cooperation between countries of origin, transit and destination).
    let draft = serde_json::json!({ "text": "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية، بما في ذلك القضاة.\nEncourages States to strengthen cooperation between countries of origin, transit and destination." });
    let v = post_json(&app, "/api/v1/draft", &draft).await;
    assert_eq!(v["by_meaning"], true);
    let closest = |n: usize| -> Vec<(String, String)> {
        v["clauses"][n]["closest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["id"].as_str().unwrap().to_owned(),
                    m["matched_by"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(closest(0)[0], ("A.2.55".to_owned(), "both".to_owned()));
    assert_eq!(v["clauses"][0]["compared"], "A.2.55");
    let english = closest(1);
    assert_eq!(english.len(), 3);
    assert!(english.iter().all(|(_, by)| by == "meaning"), "{english:?}");
    assert_eq!(english[0].0, "A.7.2.e");
    // Topics for a text in English, by meaning, with the precision of
    // suggesting by meaning on past meetings.
    let ask = serde_json::json!({ "text": "Training for judges, prosecutors and police on identifying victims of trafficking" });
    let v = post_json(&app, "/api/v1/topics/suggest", &ask).await;
    assert_eq!(v["by_meaning"], true);
    let p1 = v["precision"]["p_at_1"].as_f64().unwrap();
    assert!((p1 - 0.623).abs() < 0.0005, "{p1}");
    let ids: Vec<&str> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .any(|t| t.contains("training") || t.contains("capacity")),
        "{ids:?}"
    );
}
