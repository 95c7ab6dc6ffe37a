//! The `fihris` binary run as a user would, from the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fihris(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(args)
        .current_dir(repo().join("docs"))
        .output()
        .expect("run fihris")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

#[test]
fn export_json_is_the_whole_record() {
    let o = fihris(&["export", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let provisions = v["provisions"].as_array().expect("provisions");
    assert_eq!(provisions.len(), 472);
    assert_eq!(v["sections"].as_array().map(Vec::len), Some(14));
    assert_eq!(v["footnotes"].as_array().map(Vec::len), Some(22));
    let findings = v["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "footnote-text-missing" && f["line"] == 851)
    );
    assert_eq!(v["topics"].as_array().map(Vec::len), Some(78));
    assert_eq!(v["reports"].as_array().map(Vec::len), Some(8));
    assert!(v["xrefs"].as_array().is_some_and(|x| !x.is_empty()));
    let tech = v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "التكنولوجيا")
        .unwrap();
    assert_eq!(tech["id"], "technology");
    assert_eq!(tech["label_en"], "Technology");
    assert_eq!(
        tech["provisions"],
        serde_json::json!(["A.4.33", "A.4.36", "A.5.29", "A.8.1.i", "A.9.24"])
    );
    let item = provisions
        .iter()
        .find(|p| p["id"] == "A.4.46.i.2")
        .expect("A.4.46.i.2");
    assert_eq!(item["parent"], "A.4.46.i");
    assert_eq!(item["kind"], "item");
    assert_eq!(item["label"], "'2'");
    assert_eq!(item["lines"]["start"], 393);
    assert_eq!(item["footnotes"], Value::Array(vec![]));
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .starts_with("وجود أحكام تتيح للمحاكم")
    );
    let pp = provisions
        .iter()
        .find(|p| p["id"] == "B.5.pp11")
        .expect("B.5.pp11");
    assert_eq!(
        (pp["kind"].as_str(), pp["label"].as_str()),
        (Some("preambular"), Some("ف.د. 11"))
    );
    let b1 = &v["sections"][9];
    assert_eq!(b1["id"], "B.1");
    assert_eq!(b1["session"]["instrument"]["canonical"], "decision 1/5");
    assert_eq!(b1["session"]["instrument"]["arabic"], "المقرر 5/1");
    assert_eq!(v["sections"][0]["meeting"]["start"], "2009-04-14");
    // Document order.
    assert_eq!(provisions[0]["id"], "A.1.1");
    assert_eq!(provisions[471]["id"], "B.5.18");
}

#[test]
fn export_to_a_file() {
    let out = std::env::temp_dir().join(format!("fihris-export-{}.json", std::process::id()));
    let o = fihris(&["export", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["provisions"].as_array().map(Vec::len), Some(472));
    std::fs::remove_file(out).ok();
}

#[test]
fn exports_the_pdf_and_akoma_ntoso() {
    let dir = std::env::temp_dir().join(format!("fihris-publish-{}", std::process::id()));
    let pdf = dir.join("compendium.pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let o = fihris(&["export", "--format", "pdf", "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let akn = dir.join("akn");
    let o = fihris(&["export", "--format", "akn", "-o", akn.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        format!("13 documents written to {}", akn.display())
    );
    let xml = std::fs::read_to_string(akn.join("CTOC_COP_2010_17.xml")).unwrap();
    assert!(xml.contains("<statement name=\"resolution\">"));
    assert_eq!(std::fs::read_dir(&akn).unwrap().count(), 13);
    // Without a directory: a clear error, nothing written.
    let o = fihris(&["export", "--format", "akn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("give a directory with -o DIR"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn show_a_provision_with_citations_and_footnotes() {
    let o = fihris(&["show", "A.4.46.i.2"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("الجزء ألف، رابعاً-46 (ط) '2'"), "{s}");
    assert!(s.contains("Part A, IV-46 (i) (ii)"));
    assert!(s.contains("section A.4: رابعاً- الاجتماع الرابع"));
    let o = fihris(&["show", "B.5.5"]);
    let s = stdout(&o);
    assert!(s.contains("resolution 5/2, para. 5"));
    assert!(s.contains("القرار 2/5، الفقرة 5"));
    assert!(s.contains("(23) [text missing in the source"));
    let o = fihris(&["show", "A.1.2", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["citation"]["en"], "Part A, I-2");
    assert_eq!(v["footnotes"][0]["number"], 1);
    assert_eq!(
        v["footnotes"][1]["text"],
        "المرجع نفسه، vol. 2225, No. 39574"
    );
    assert_eq!(v["section"]["id"], "A.1");
}

#[test]
fn show_a_section() {
    let s = stdout(&fihris(&["show", "A.3"]));
    assert!(s.contains("0 provisions"), "{s}");
    assert!(s.contains("note: التوصيات التي اقترحت"));
    let s = stdout(&fihris(&["show", "B.1"]));
    assert!(s.contains("decision 1/5 (المقرر 5/1)"), "{s}");
}

#[test]
fn show_unknown_id_suggests_neighbours() {
    let o = fihris(&["show", "A.4.46.i.9"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("not found"), "{e}");
    assert!(e.contains("A.4.46.i.1"), "{e}");
    let o = fihris(&["show", "nonsense"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn stats_counts() {
    let o = fihris(&["stats", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["provisions"], 472);
    assert_eq!(v["preambular"], 11);
    assert_eq!(v["items"], 21);
    assert_eq!(v["sections"][3]["id"], "A.4");
    assert_eq!(v["sections"][3]["provisions"], 76);
    let text = stdout(&fihris(&["stats"]));
    assert!(text.contains("total       472"), "{text}");
}

#[test]
fn validate_lists_findings_and_exits_zero_on_warnings() {
    let o = fihris(&["validate"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains("compendium-2021.ar.txt:851: warning[footnote-text-missing]"),
        "{s}"
    );
    assert!(
        s.contains("compendium-2021.ar.txt:974: warning[index-label-lost]"),
        "{s}"
    );
    assert!(s.contains(" findings: 0 errors, "));
}

#[test]
fn bad_sources_give_one_error_line_and_a_nonzero_exit() {
    let dir = std::env::temp_dir().join(format!("fihris-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let corpus = std::fs::read(repo().join("corpus/compendium-2021.ar.txt")).unwrap();
    let cut: Vec<u8> = corpus
        .split(|b| *b == b'\n')
        .take(500)
        .collect::<Vec<_>>()
        .join(&b'\n');
    let cases = [
        (
            dir.join("missing.txt").to_str().unwrap().to_owned(),
            "cannot read the file",
        ),
        (write("empty.txt", b""), "the file is empty"),
        (write("binary.bin", b"\x00\x01\x02"), ":1: binary data"),
        (write("latin1.txt", b"abc\n\xe9t\xe9"), ":2: invalid UTF-8"),
        (
            write("cut.txt", &cut),
            ":500: unexpected end of file: expected the heading of Part B",
        ),
    ];
    for (path, want) in cases {
        let o = fihris(&["--source", &path, "stats"]);
        assert_eq!(o.status.code(), Some(2), "{path}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.starts_with(&format!("fihris: error: {path}")), "{e}");
        assert!(e.contains(want), "{e}");
        assert!(
            e.contains("—"),
            "Arabic message beside the English one: {e}"
        );
        assert!(o.stdout.is_empty());
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn show_lists_topics_and_cross_references() {
    let s = stdout(&fihris(&["show", "A.2.8"]));
    assert!(s.contains("report CTOC/COP/WG.4/2010/6, para. 15"), "{s}");
    assert!(s.contains("جهات الاستجابة، إنفاذ القانون  (responders.law-enforcement)"));
    assert!(s.contains("→ A.1.16 (Part A, I-16)"));
    let s = stdout(&fihris(&["show", "A.1.16"]));
    assert!(s.contains("← A.2.8"), "{s}");
}

#[test]
fn topics_tree_and_one_topic() {
    let s = stdout(&fihris(&["topics"]));
    assert!(s.contains("› التعويضات  (victims.compensation)"), "{s}");
    assert!(s.contains("78 topics: 74 labelled, 4 unlabelled"));
    // The topic as the API gives it, found by its Arabic or English label.
    for name in ["التكنولوجيا", "technology", "Technology"] {
        let o = fihris(&["topic", name, "--json"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["id"], "technology", "{name}");
        assert_eq!(
            v["provisions"],
            serde_json::json!(["A.4.33", "A.4.36", "A.5.29", "A.8.1.i", "A.9.24"])
        );
    }
    let s = stdout(&fihris(&["topic", "technology"]));
    assert!(s.contains("[CTOC/COP/WG.4/2011/8, para. 38]"), "{s}");
    // A former id (the transliterated slug of earlier releases) still works.
    let s = stdout(&fihris(&["topic", "dhaya--twydat"]));
    assert!(
        s.contains("A.2.49") && s.contains("[CTOC/COP/WG.4/2010/6, para. 56]"),
        "{s}"
    );
    assert!(s.contains("[resolution 5/2, para. 7 (b)]"));
    assert_eq!(
        fihris(&["topic", "لا يوجد موضوع كهذا"]).status.code(),
        Some(1)
    );
}

#[test]
fn cite_resolves_and_reports_not_found() {
    for (input, id) in [
        ("ثانياً-55", "A.2.55"),
        ("II-55", "A.2.55"),
        ("CTOC/COP/WG.4/2010/6, para. 62", "A.2.55"),
        ("القرار 2/5، الفقرة 7 (ب)", "B.5.7.b"),
        ("5/2 PP 11", "B.5.pp11"),
    ] {
        let o = fihris(&["cite", input, "--json"]);
        assert!(o.status.success(), "{input}");
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["target"]["id"], id, "{input}");
    }
    let o = fihris(&["cite", "II-99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nearest: A.2.58"), "{}", stderr(&o));
}

#[test]
fn index_report_prints_offsets_and_resolution() {
    let s = stdout(&fihris(&["index-report"]));
    assert!(s.contains("CTOC/COP/WG.4/2010/6    A.2          +7"), "{s}");
    assert!(s.contains("1178 read, 1178 resolved (100.0 %)"), "{s}");
}

#[test]
fn exports_skos_and_csv() {
    let o = fihris(&["export", "--format", "skos"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("<urn:fihris:topic:technology> a skos:Concept"));
    let o = fihris(&["export", "--format", "csv"]);
    let s = stdout(&o);
    assert!(s.starts_with(
        "provision,section,kind,citation_ar,citation_en,topic,topic_label,topic_path\n"
    ));
    assert!(s.contains("A.8.1.i,A.8,subparagraph,"));
}

#[test]
fn search_ranks_highlights_and_refuses_bad_queries() {
    let o = fihris(&["search", "تعويض الضحايا", "--json", "--mode", "lexical"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10);
    for want in ["A.2.49", "A.5.22"] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    assert!(ids.iter().any(|i| i.starts_with("A.4.46")));
    let o = fihris(&["search", "II-55", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["hits"][0]["id"], "A.2.55");
    let s = stdout(&fihris(&[
        "search",
        "التعويضات",
        "--limit",
        "3",
        "--mode",
        "lexical",
    ]));
    assert!(s.contains("*"), "{s}");
    let o = fihris(&["search", "\"مفتوح", "--mode", "lexical"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unclosed quotation mark"),
        "{}",
        stderr(&o)
    );
    let random: String = (0..10_000u32)
        .map(|i| char::from_u32(0x20 + (i * 7919) % 0x2000).unwrap_or('x'))
        .collect();
    let o = fihris(&["search", &random, "--mode", "lexical"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("query too long"));
    let o = fihris(&["search", "victims", "--mode", "fuzzy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hybrid, lexical or semantic"));
}

#[test]
fn search_without_the_model_says_so() {
    let o = Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(["search", "تعويض الضحايا", "--limit", "2"])
        .env("FIHRIS_MODEL_DIR", repo().join("no-such-model"))
        .current_dir(repo().join("docs"))
        .output()
        .expect("run fihris");
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("lexical search"), "{s}");
    assert!(
        s.contains("note: meaning search is not available (no model in"),
        "{s}"
    );
    assert!(s.contains("run `fihris model fetch`"), "{s}");
}

#[test]
fn search_by_meaning_in_english() {
    if std::env::var_os("FIHRIS_SKIP_MODEL").is_some() {
        return;
    }
    let o = fihris(&["search", "victims compensation", "--limit", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("hybrid search"), "{s}");
    // Its words rendered in the record's Arabic, said and highlighted.
    assert!(
        s.contains(
            "note: the query's words were also searched as the record's closest Arabic words: «"
        ),
        "{s}"
    );
    assert!(
        s.contains("(by words and meaning — بالكلمات والمعنى)"),
        "{s}"
    );
    assert!(s.contains("*التعويضات*"), "{s}");
    let o = fihris(&[
        "search",
        "victims compensation",
        "--limit",
        "3",
        "--mode",
        "semantic",
    ]);
    assert!(
        stdout(&o).contains("(by meaning — بالمعنى)"),
        "{}",
        stdout(&o)
    );
    assert!(
        s.contains("topics close to the query — مواضيع قريبة: victims.compensation"),
        "{s}"
    );
}

/// The API's JSON answer for `uri`.
async fn api(app: &axum::Router, uri: &str) -> Value {
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("answer");
    assert_eq!(res.status(), axum::http::StatusCode::OK, "{uri}");
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test]
async fn show_json_is_the_api_answer_for_every_provision_section_and_topic() {
    let corpus = fihris_parse::parse_file(&repo().join("corpus/compendium-2021.ar.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    let provisions: Vec<String> = corpus.provisions.iter().map(|p| p.id.to_string()).collect();
    let sections: Vec<String> = corpus.sections.iter().map(|s| s.id.to_string()).collect();
    let topics: Vec<String> = corpus.topics.iter().map(|t| t.id.to_string()).collect();
    let app = fihris_server::router(std::sync::Arc::new(
        fihris_server::App::new(corpus).expect("index"),
    ));
    let mut args = vec!["show", "--json"];
    args.extend(provisions.iter().chain(&sections).map(String::as_str));
    let o = fihris(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: Vec<Value> = serde_json::Deserializer::from_slice(&o.stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("one JSON document per id");
    assert_eq!(shown.len(), 472 + 14);
    for (k, doc) in shown.iter().enumerate() {
        let uri = match provisions.get(k) {
            Some(id) => format!("/api/v1/provisions/{id}"),
            None => format!("/api/v1/sections/{}", sections[k - provisions.len()]),
        };
        assert_eq!(doc, &api(&app, &uri).await, "{uri}");
    }
    let listed: Value = serde_json::from_str(&stdout(&fihris(&["topics", "--json"]))).unwrap();
    assert_eq!(listed, api(&app, "/api/v1/topics").await);
    // Each topic (the four unlabelled ones among them).
    for id in &topics {
        let one: Value = serde_json::from_str(&stdout(&fihris(&["topic", id, "--json"]))).unwrap();
        assert_eq!(
            one,
            api(&app, &format!("/api/v1/topics/{id}")).await,
            "{id}"
        );
    }
}

#[test]
fn model_fetch_without_pip_fails_clearly_and_leaves_nothing() {
    let cache = std::env::temp_dir().join(format!("fihris-fetch-{}", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(["model", "fetch"])
        .env("FIHRIS_CACHE_DIR", &cache)
        .env("FIHRIS_PIP", "/nonexistent/pip")
        .env_remove("FIHRIS_MODEL_DIR")
        .output()
        .expect("run fihris");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("cannot run pip") && e.contains("FIHRIS_MODEL_DIR"),
        "{e}"
    );
    assert!(e.contains("يبقى البحث المعجمي متاحاً"), "{e}");
    let left: Vec<_> = std::fs::read_dir(&cache)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing half-written is left: {left:?}");
    std::fs::remove_dir_all(&cache).ok();
}

/// One GET over plain HTTP/1.1: the status line and the body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("read");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    )
}

#[test]
fn serve_answers_at_once_and_keeps_the_words_when_the_model_fails() {
    use std::io::BufRead;
    let data = std::env::temp_dir().join(format!("fihris-serve-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--data",
            data.to_str().unwrap(),
        ])
        .env("FIHRIS_MODEL_DIR", repo().join("no-such-model"))
        .env("NO_COLOR", "1")
        .current_dir(repo().join("docs"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fihris serve");
    let log = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(log).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut addr = None;
    let mut failed = false;
    let mut from_store = false;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline && (addr.is_none() || !failed) {
        let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(1)) else {
            continue;
        };
        if let Some(at) = line.split("url=http://").nth(1) {
            addr = at.split_whitespace().next().map(str::to_owned);
        }
        failed |= line.contains("meaning search unavailable");
        from_store |=
            line.contains("serving from the editorial store") && line.contains("edition=2021");
    }
    assert!(from_store, "the store and its edition are logged");
    assert!(data.join("store.sqlite").is_file());
    let addr = addr.expect("the serving line");
    assert!(failed, "the failure is logged");
    let (status, body) = http_get(&addr, "/api/v1/health");
    assert!(status.contains("200"), "{status}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["model"]["state"], "failed");
    assert!(
        v["model"]["detail"]
            .as_str()
            .unwrap()
            .contains("no model in")
    );
    let (status, body) = http_get(&addr, "/api/v1/search?q=II-55");
    assert!(status.contains("200"), "{status}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["hits"][0]["id"], "A.2.55");
    let _ = child.kill();
    let _ = child.wait();
    // The store was seeded once, from the vendored compendium.
    let o = fihris(&["audit", "verify", "--data", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 entries"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn similar_provisions_from_the_stored_vectors() {
    // The committed vectors are enough: no model is loaded.
    let o = fihris(&["similar", "A.2.55", "--json", "-k", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["by_meaning"], true);
    let ids: Vec<&str> = v["similar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["A.2.54", "A.2.48", "A.2.13"]);
    let o = fihris(&["similar", "B.4.d", "-k", "1"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).starts_with("B.5.pp5    both     wording 0.86"),
        "{}",
        stdout(&o)
    );
    let o = fihris(&["similar", "A.9.99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nearest: A.9.9"), "{}", stderr(&o));
    let o = fihris(&["similar", "A.2.55", "-k", "21"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `fihris` with `input` on standard input.
fn fihris_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(args)
        .current_dir(repo().join("docs"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fihris");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn a_draft_checked_from_standard_input_or_a_file() {
    let draft = "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية، بما في ذلك القضاة.\n";
    let o = fihris_with_input(&["draft", "--en"], draft);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.starts_with(
            "# Draft checked against agreed language\n\nVerbatim coverage: 76% (13 words"
        ),
        "{md}"
    );
    assert!(md.contains("\n**ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للممارسين في مجال العدالة الجنائية**، بما في ذلك القضاة.[^1][^2][^3]\n"), "{md}");
    assert!(
        md.contains("[^1]: Part A, II-55 (A.2.55); CTOC/COP/WG.4/2010/6, para. 62"),
        "{md}"
    );
    // A file, as JSON with one provision per clause.
    let path = std::env::temp_dir().join(format!("fihris-draft-{}.txt", std::process::id()));
    std::fs::write(&path, draft).unwrap();
    let o = fihris(&["draft", path.to_str().unwrap(), "--json", "-k", "1"]);
    std::fs::remove_file(&path).ok();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["clauses"][0]["closest"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["clauses"][0]["compared"], "A.2.55");
    // Bad drafts: a clear error in both languages, exit 1; a missing file
    // names itself.
    let o = fihris_with_input(&["draft"], "؟!...");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no words") && stderr(&o).contains("لا كلمات"),
        "{}",
        stderr(&o)
    );
    let o = fihris(&["draft", "/nonexistent/draft.txt"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("/nonexistent/draft.txt"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn editions_and_a_tampered_audit_log_from_the_command_line() {
    let data = std::env::temp_dir().join(format!("fihris-audit-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let d = data.to_str().unwrap();
    // No store yet: a clear error.
    let o = fihris(&["editions", "--data", d]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("no store at"), "{}", stderr(&o));
    // `fihris serve` makes it; here its first start is enough.
    let mut child = Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-model", "--data", d])
        .current_dir(repo().join("docs"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let store = data.join("store.sqlite");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let o = fihris(&["editions", "--data", d]);
        if o.status.success() && stdout(&o).starts_with("2021") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    let o = fihris(&["editions", "--data", d]);
    assert!(
        stdout(&o).starts_with("2021     published"),
        "{}",
        stdout(&o)
    );
    let o = fihris(&["audit", "verify", "--data", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Someone rewrites the seed's entry behind the store's back.
    let raw = rusqlite::Connection::open(&store).unwrap();
    raw.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone' WHERE id = 1;",
    )
    .unwrap();
    drop(raw);
    let o = fihris(&["audit", "verify", "--data", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("audit log broken at entry 1: its content does not match its hash"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&data);
}

/// The stores to run a test on: a SQLite data directory and, through
/// `FIHRIS_TEST_POSTGRES`, a fresh PostgreSQL schema (never skipped
/// silently: `FIHRIS_SKIP_POSTGRES=1` skips it on purpose). Each as the
/// arguments that name it, and what to clean up after.
/// A store named by its arguments, and its clean-up.
type StoreArgs = (Vec<String>, Box<dyn FnOnce()>);

fn stores(name: &str) -> Vec<StoreArgs> {
    let data = std::env::temp_dir().join(format!("fihris-{name}-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let d = data.display().to_string();
    let mut out: Vec<StoreArgs> = vec![(
        vec!["--data".into(), d],
        Box::new(move || {
            let _ = std::fs::remove_dir_all(&data);
        }),
    )];
    match std::env::var("FIHRIS_TEST_POSTGRES") {
        Ok(url) => {
            let schema = format!("fihris_cli_{name}_{}", std::process::id());
            let mut admin = postgres::Client::connect(&url, postgres::NoTls)
                .unwrap_or_else(|e| panic!("FIHRIS_TEST_POSTGRES={url}: {e}"));
            admin
                .batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
                ))
                .expect("a fresh schema");
            out.push((
                vec![
                    "--store".into(),
                    format!("{url} options='-c search_path={schema}'"),
                ],
                Box::new(move || {
                    let _ = admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
                }),
            ));
        }
        Err(_) if std::env::var("FIHRIS_SKIP_POSTGRES").as_deref() == Ok("1") => {}
        Err(_) => panic!(
            "FIHRIS_TEST_POSTGRES is not set (.ci/run starts PostgreSQL); FIHRIS_SKIP_POSTGRES=1 skips on purpose"
        ),
    }
    out
}

#[test]
fn an_edition_made_from_the_command_line() {
    for (at, clean) in stores("edit") {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let run = |args: &[&str]| fihris(&[args, &at].concat());
        let text = "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للقضاة والممارسين في مجال العدالة الجنائية.";
        let o = run(&[
            "edit",
            "correct",
            "A.2.55",
            "--text",
            text,
            "--reason",
            "checked against the printed edition",
            "--as",
            "editor",
        ]);
        assert!(o.status.success(), "{at:?}: {}", stderr(&o));
        let o = run(&[
            "edit",
            "file",
            "A.2.55",
            "victims.compensation",
            "--reason",
            "it concerns compensation",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        // Refused: no reason, an unknown topic — in both languages, exit 1.
        let o = run(&["edit", "file", "A.2.54", "victims.compensation"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("needs a reason") && stderr(&o).contains("سبب"),
            "{}",
            stderr(&o)
        );
        let o = run(&["edit", "file", "A.2.54", "no.such", "--reason", "r"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("no topic \"no.such\""),
            "{}",
            stderr(&o)
        );
        // The draft against 2021, then published.
        let o = run(&["diff", "2021", "draft", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["changed"][0]["id"], "A.2.55");
        assert_eq!(
            v["filed"],
            serde_json::json!([{ "provision": "A.2.55", "topic": "victims.compensation" }])
        );
        let o = run(&["publish", "2027"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), "edition 2027 published: 2 changes");
        let o = run(&["publish", "2028"]);
        assert_ne!(o.status.code(), Some(0), "no draft to publish");
        let o = run(&["editions"]);
        let listing = stdout(&o);
        let names: Vec<&str> = listing
            .lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(names, ["2021", "2027"], "{listing}");
        let o = run(&["diff", "2021", "2027"]);
        assert!(
            stdout(&o).contains("~ A.2.55") && stdout(&o).contains("[ للقضاة والممارسين ]"),
            "{}",
            stdout(&o)
        );
        // Seed, draft opened, correction, filing, publication: five entries.
        let o = run(&["audit", "verify"]);
        assert!(stdout(&o).contains("5 entries"), "{at:?}: {}", stdout(&o));
        // Backed up, restored into an empty SQLite store: the same bytes.
        let dir = std::env::temp_dir().join(format!("fihris-restore-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (one, two) = (dir.join("one.json"), dir.join("two.json"));
        std::fs::create_dir_all(&dir).unwrap();
        let o = run(&["backup", one.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let into = ["--data", dir.to_str().unwrap()];
        let o = fihris(&[&["restore", one.to_str().unwrap()][..], &into].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let o = fihris(&[&["backup", two.to_str().unwrap()][..], &into].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
        // Not into a store that holds something.
        let o = fihris(&[&["restore", one.to_str().unwrap()][..], &into].concat());
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
        let _ = std::fs::remove_dir_all(&dir);
        clean();
    }
}

fn meeting_file() -> PathBuf {
    repo().join("corpus/synthetic/meeting-10.ar.txt")
}

#[test]
fn a_meeting_imported_from_the_command_line() {
    for (at, clean) in stores("import") {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let run = |args: &[&str]| fihris(&[args, &at].concat());
        let file = meeting_file();
        let dir = std::env::temp_dir().join(format!("fihris-import-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Refused, storing nothing: an error in the file, at its line …
        let bad = dir.join("bad.txt");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&bad, text.replace("4- ينبغي للأمانة", "3- ينبغي للأمانة")).unwrap();
        let o = run(&["import", "meeting", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let shown = format!(
            "{}:32: meeting: a second provision with id A.10.3",
            bad.display()
        );
        assert!(stderr(&o).contains(&shown), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("تعذّر قبول نص الاجتماع"),
            "{}",
            stderr(&o)
        );
        // … too big, or not text.
        std::fs::write(&bad, vec![b'a'; fihris_parse::MAX_MEETING_BYTES + 1]).unwrap();
        let o = run(&["import", "meeting", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("at most"), "{}", stderr(&o));
        std::fs::write(&bad, [0xff, 0xfe, b'+']).unwrap();
        let o = run(&["import", "meeting", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));
        let o = run(&["diff", "2021", "draft", "--json"]);
        assert_ne!(o.status.code(), Some(0), "no draft yet: {}", stdout(&o));
        // Imported whole.
        let o = run(&[
            "import",
            "meeting",
            file.to_str().unwrap(),
            "--as",
            "editor",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "import-meeting A.10: recorded in the draft\n9 provisions, 2 footnotes, 0 findings\n"
        );
        let o = run(&["import", "meeting", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("in the record already"),
            "{}",
            stderr(&o)
        );
        let o = run(&["diff", "2021", "draft", "--json"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["sections_added"], serde_json::json!(["A.10"]));
        assert_eq!(v["added"].as_array().unwrap().len(), 9);
        let o = run(&["publish", "2022"]);
        assert_eq!(stdout(&o).trim(), "edition 2022 published: 1 changes");
        let o = run(&["audit", "verify"]);
        assert!(stdout(&o).contains("4 entries"), "{}", stdout(&o));
        let _ = std::fs::remove_dir_all(&dir);
        clean();
    }
}

/// For a PostgreSQL trial of the kill test: an admin connection, the
/// trial's schema and the connection string without options.
fn trial_schema(at: &[String], n: u64) -> (postgres::Client, String, String) {
    let base = at[1]
        .split(" options=")
        .next()
        .expect("a connection string")
        .to_owned();
    let admin = postgres::Client::connect(&base, postgres::NoTls).expect("PostgreSQL");
    (
        admin,
        format!("fihris_kill_{}_{n}", std::process::id()),
        base,
    )
}

/// The store a trial of the kill test runs on: a fresh SQLite directory,
/// or a fresh schema beside the one `at` names.
fn trial_store(at: &[String], n: u64) -> Vec<String> {
    if at[0] != "--store" {
        return vec!["--data".into(), format!("{}-{n}", at[1])];
    }
    let (mut admin, schema, base) = trial_schema(at, n);
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .expect("a fresh schema");
    vec![
        "--store".into(),
        format!("{base} options='-c search_path={schema}'"),
    ]
}

/// Drops what [`trial_store`] made.
fn drop_trial_store(at: &[String], n: u64) {
    if at[0] != "--store" {
        let _ = std::fs::remove_dir_all(format!("{}-{n}", at[1]));
        return;
    }
    let (mut admin, schema, _) = trial_schema(at, n);
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .expect("schema dropped");
}

#[test]
fn imports_killed_at_random_moments_leave_the_store_whole() {
    use std::time::{Duration, Instant};
    for (at, clean) in stores("kill") {
        let postgres = at[0] == "--store";
        let trials = if postgres { 20 } else { 100 };
        let import = |store: &[String]| {
            Command::new(env!("CARGO_BIN_EXE_fihris"))
                .args(["import", "meeting", meeting_file().to_str().unwrap()])
                .args(store)
                .current_dir(repo().join("docs"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("run fihris import")
        };
        // Each trial on a fresh store: first started (seeded from the
        // compendium), then the meeting imported, killed at a random moment
        // of the whole run.
        let started = Instant::now();
        let first = trial_store(&at, 0);
        assert!(import(&first).wait().unwrap().success());
        drop_trial_store(&at, 0);
        let span = started.elapsed().as_micros() as u64;
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let (mut finished, mut whole, mut absent) = (0, 0, 0);
        for n in 1..=trials {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let store_args = trial_store(&at, n);
            let mut child = import(&store_args);
            std::thread::sleep(Duration::from_micros(seed % (span + span / 10).max(1)));
            let _ = child.kill(); // SIGKILL
            if child.wait().unwrap().success() {
                finished += 1;
            }
            // Reopened: sound, the chain whole, and the import wholly there
            // (with its audit entry and every provision) or wholly absent.
            let file = Path::new(&store_args[1]).join("store.sqlite");
            if !postgres && !file.exists() {
                // Killed before the store was made.
                absent += 1;
                drop_trial_store(&at, n);
                continue;
            }
            let store = if postgres {
                fihris_store::Store::open_postgres(&store_args[1]).unwrap()
            } else {
                fihris_store::Store::open(&file).unwrap()
            };
            assert_eq!(store.integrity().unwrap(), "ok");
            store
                .verify_audit()
                .unwrap()
                .expect("the audit chain verifies");
            let changes = match store.edition("draft").unwrap() {
                Some(draft) => store.changes(&draft).unwrap(),
                None => Vec::new(),
            };
            let audited = store
                .audit()
                .unwrap()
                .iter()
                .filter(|e| e.action == "import-meeting")
                .count();
            assert_eq!(changes.len(), audited, "trial {n}");
            match changes.as_slice() {
                [] => absent += 1,
                [(kind, target, body, _)] => {
                    assert_eq!((kind.as_str(), target.as_str()), ("import-meeting", "A.10"));
                    let change: fihris_edit::Change = serde_json::from_str(body).unwrap();
                    let fihris_edit::Change::ImportMeeting { text, .. } = change else {
                        panic!("trial {n}: {body}");
                    };
                    assert_eq!(text, std::fs::read_to_string(meeting_file()).unwrap());
                    whole += 1;
                }
                more => panic!("trial {n}: {} changes", more.len()),
            }
            drop(store);
            drop_trial_store(&at, n);
        }
        assert!(
            whole >= finished,
            "{whole} imports stored, {finished} finished"
        );
        eprintln!(
            "{}: {trials} kills, {finished} imports finished, {whole} stored whole, {absent} absent",
            at[0]
        );
        clean();
    }
}

/// Starts `fihris serve` with `args` (and `--no-model`); the child and
/// its address, once it listens.
fn start_serve(args: &[&str]) -> (std::process::Child, String) {
    start_serve_as(&[&["--no-model"][..], args].concat())
}

/// Starts `fihris serve` with `args`; the child and its address, once it
/// listens.
fn start_serve_as(args: &[&str]) -> (std::process::Child, String) {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_fihris"));
    serve
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(repo().join("docs"));
    serving(serve)
}

/// Runs `serve` (a `fihris serve` command); the child and its address,
/// once it listens.
fn serving(mut serve: Command) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = serve
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fihris serve");
    let log = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(log).lines().map_while(Result::ok) {
            if let Some(at) = line.split("url=http://").nth(1) {
                let _ = tx.send(at.split_whitespace().next().unwrap_or("").to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the serving line");
    (child, addr)
}

#[test]
fn a_publication_is_served_by_every_running_server_without_restart() {
    for (at, clean) in stores("publish") {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        // Two servers on one store.
        let (mut one, a1) = start_serve(&at);
        let (mut two, a2) = start_serve(&at);
        let text_of = |addr: &str| {
            let (_, body) = http_get(addr, "/api/v1/provisions/A.2.55");
            let v: Value = serde_json::from_str(&body).unwrap();
            v["provision"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        let before = text_of(&a1);
        let text =
            "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للقضاة في مجال العدالة الجنائية.";
        let o = fihris(
            &[
                &["edit", "correct", "A.2.55", "--text", text, "--reason", "r"][..],
                &at,
            ]
            .concat(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(text_of(&a1), before, "a draft is not served");
        // Published through the first server's write API; both serve it.
        let o = fihris(&[&["keys", "create", "--role", "publisher"][..], &at].concat());
        let bearer = format!("Bearer {}", stdout(&o).trim());
        let (_, head, _) = http(&a1, ("GET", "/api/v1/editorial/draft"), &[], "");
        let tag = header_of(&head, "etag");
        let (status, _, body) = http(
            &a1,
            ("POST", "/api/v1/editorial/publish"),
            &[("Authorization", &bearer), ("If-Match", &tag)],
            r#"{"name": "2027"}"#,
        );
        assert_eq!(status, 201, "{body}");
        let published = std::time::Instant::now();
        let mut seen = [None, None];
        while published.elapsed() < std::time::Duration::from_secs(10)
            && seen.iter().any(Option::is_none)
        {
            for (k, addr) in [&a1, &a2].into_iter().enumerate() {
                if seen[k].is_none() && text_of(addr) == text {
                    seen[k] = Some(published.elapsed());
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = one.kill();
        let _ = two.kill();
        let _ = one.wait();
        let _ = two.wait();
        eprintln!("{}: served by both after {seen:?}", at[0]);
        // Within a second here (0.4–0.7 s, debug build); three allowed
        // for a busy machine.
        assert!(
            seen.iter()
                .all(|d| d.is_some_and(|d| d < std::time::Duration::from_secs(3))),
            "{at:?}: {seen:?}"
        );
        clean();
    }
}

/// An HTTP request with `headers` and a JSON `body`: (status code, the
/// response's headers, its body).
fn http(
    addr: &str,
    (method, path): (&str, &str),
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("send");
    let _ = s.write_all(body.as_bytes());
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// The value of header `name` in `head`.
fn header_of(head: &str, name: &str) -> String {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
        .unwrap_or_default()
}

#[test]
fn the_write_api_checks_keys_roles_and_tags() {
    for (at, clean) in stores("writes") {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let key = |role: &str, name: &str| {
            let o =
                fihris(&[&["keys", "create", "--role", role, "--name", name][..], &at].concat());
            assert!(o.status.success(), "{}", stderr(&o));
            stdout(&o).trim().to_owned()
        };
        let (reader, editor, publisher) = (
            key("reader", "rania"),
            key("editor", "amina"),
            key("publisher", "pablo"),
        );
        assert!(editor.starts_with("fihris_") && editor.len() > 40);
        let (mut server, addr) = start_serve(&at);
        let (status, head, body) = http(&addr, ("GET", "/api/v1/editorial/draft"), &[], "");
        assert_eq!(status, 200, "{body}");
        let tag = header_of(&head, "etag");
        assert_eq!(tag, "\"1.0.0\"");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (v["base"].as_str(), v["open"].as_bool()),
            (Some("2021"), Some(false))
        );
        let correct = serde_json::json!({
            "change": { "kind": "correct-text", "id": "A.2.55",
                        "text": "ينبغي للدول الأطراف أن تضمن توفير التدريب الخاص للقضاة." },
            "reason": "checked against the printed edition"
        })
        .to_string();
        let post = |path: &str, auth: Option<&str>, if_match: Option<&str>, body: &str| {
            let bearer = auth.map(|k| format!("Bearer {k}"));
            let mut h: Vec<(&str, &str)> = Vec::new();
            if let Some(b) = &bearer {
                h.push(("Authorization", b));
            }
            if let Some(t) = if_match {
                h.push(("If-Match", t));
            }
            http(&addr, ("POST", path), &h, body)
        };
        let changes = "/api/v1/editorial/changes";
        // No key, an unknown key, a reader's: 401, 401, 403.
        let (s, head, body) = post(changes, None, Some(&tag), &correct);
        assert_eq!(s, 401, "{body}");
        assert_eq!(
            header_of(&head, "www-authenticate"),
            "Bearer realm=\"fihris\""
        );
        assert!(body.contains("message_ar"), "{body}");
        let (s, _, _) = post(
            changes,
            Some("fihris_000000000000_00"),
            Some(&tag),
            &correct,
        );
        assert_eq!(s, 401);
        let (s, _, body) = post(changes, Some(&reader), Some(&tag), &correct);
        assert_eq!(s, 403, "{body}");
        assert!(body.contains("needs editor"), "{body}");
        // An editor without a tag: 428; with a stale one: 409.
        let (s, _, _) = post(changes, Some(&editor), None, &correct);
        assert_eq!(s, 428);
        let (s, _, body) = post(changes, Some(&editor), Some("\"1.9.9\""), &correct);
        assert_eq!(s, 409, "{body}");
        // Refused changes store nothing: 400 in both languages.
        let unknown = correct.replace("A.2.55", "A.2.99");
        let (s, _, body) = post(changes, Some(&editor), Some(&tag), &unknown);
        assert_eq!(s, 400, "{body}");
        assert!(
            body.contains("no provision A.2.99") && body.contains("لا يوجد حكم"),
            "{body}"
        );
        // Accepted: 201 with the new tag; the old one is stale now.
        let (s, head, body) = post(changes, Some(&editor), Some(&tag), &correct);
        assert_eq!(s, 201, "{body}");
        let tag2 = header_of(&head, "etag");
        assert_ne!(tag2, tag);
        let (s, _, _) = post(changes, Some(&editor), Some(&tag), &correct);
        assert_eq!(s, 409);
        // A meeting imported; a malformed one refused at its line; too big.
        let text = std::fs::read_to_string(meeting_file()).unwrap();
        let meeting =
            |t: &str| serde_json::json!({ "file": "meeting-10.ar.txt", "text": t }).to_string();
        let meetings = "/api/v1/editorial/meetings";
        let bad = meeting(&text.replace("4- ينبغي للأمانة", "3- ينبغي للأمانة"));
        let (s, _, body) = post(meetings, Some(&editor), Some(&tag2), &bad);
        assert_eq!(s, 400, "{body}");
        assert!(body.contains("meeting-10.ar.txt:32"), "{body}");
        let big = meeting(&"ا".repeat(fihris_parse::MAX_MEETING_BYTES / 2 + 1));
        let (s, _, _) = post(meetings, Some(&editor), Some(&tag2), &big);
        assert_eq!(s, 413);
        let (s, head, body) = post(meetings, Some(&editor), Some(&tag2), &meeting(&text));
        assert_eq!(s, 201, "{body}");
        let tag3 = header_of(&head, "etag");
        let (_, _, body) = http(&addr, ("GET", "/api/v1/editorial/draft"), &[], "");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["diff"]["sections_added"], serde_json::json!(["A.10"]));
        // The index cross-check: the new paragraphs are under no topic.
        let unfiled: Vec<&str> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["message"]
                    .as_str()
                    .unwrap()
                    .contains("filed under no topic")
            })
            .map(|c| c["target"].as_str().unwrap())
            .collect();
        assert_eq!(unfiled, ["A.10.1", "A.10.2", "A.10.3", "A.10.4"]);
        // Publishing needs a publisher; then the edition is served.
        let publish = r#"{"name": "2022"}"#;
        let (s, _, _) = post(
            "/api/v1/editorial/publish",
            Some(&editor),
            Some(&tag3),
            publish,
        );
        assert_eq!(s, 403);
        let (s, _, body) = post(
            "/api/v1/editorial/publish",
            Some(&publisher),
            Some(&tag3),
            publish,
        );
        assert_eq!(s, 201, "{body}");
        let published = std::time::Instant::now();
        let mut served = None;
        while published.elapsed() < std::time::Duration::from_secs(10) && served.is_none() {
            if http_get(
                &addr,
                "/api/v1/search?q=%D8%A7%D9%84%D9%85%D8%B4%D9%81%D8%B1%D8%A9",
            )
            .1
            .contains("A.10.2.b.1")
            {
                served = Some(published.elapsed());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // Keys listed without secrets; a revoked key opens nothing.
        let o = fihris(&[&["keys", "list"][..], &at].concat());
        let listing = stdout(&o);
        assert_eq!(listing.lines().count(), 3, "{listing}");
        assert!(!listing.contains(editor.rsplit('_').next().unwrap()));
        let prefix = editor.split('_').nth(1).unwrap();
        let o = fihris(&[&["keys", "revoke", prefix][..], &at].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let o = fihris(&[&["keys", "revoke", prefix][..], &at].concat());
        assert_eq!(o.status.code(), Some(1));
        let (_, head, _) = http(&addr, ("GET", "/api/v1/editorial/draft"), &[], "");
        let now = header_of(&head, "etag");
        let (s, _, _) = post(changes, Some(&editor), Some(&now), &correct);
        assert_eq!(s, 401);
        let (_, page) = http_get(&addr, "/editions/2021...2022");
        assert!(
            page.contains("اجتماعات أُضيفت") && page.contains("href=\"/sections/A.10\""),
            "{page}"
        );
        let _ = server.kill();
        let _ = server.wait();
        eprintln!("{}: published and searchable after {served:?}", at[0]);
        assert!(
            served.is_some_and(|d| d < std::time::Duration::from_secs(3)),
            "{served:?}"
        );
        // Audited under the keys' holders.
        let store = match at[0] {
            "--store" => fihris_store::Store::open_postgres(at[1]).unwrap(),
            _ => fihris_store::Store::open(&Path::new(at[1]).join("store.sqlite")).unwrap(),
        };
        let actors: Vec<(String, String)> = store
            .audit()
            .unwrap()
            .into_iter()
            .filter(|e| ["correct-text", "import-meeting", "publish"].contains(&e.action.as_str()))
            .map(|e| (e.actor, e.action))
            .collect();
        assert_eq!(
            actors,
            [
                ("amina".to_owned(), "correct-text".to_owned()),
                ("amina".to_owned(), "import-meeting".to_owned()),
                ("pablo".to_owned(), "publish".to_owned())
            ]
        );
        assert!(store.verify_audit().unwrap().is_ok());
        clean();
    }
}

#[test]
fn a_published_meeting_is_found_by_meaning_without_restart() {
    if std::env::var_os("FIHRIS_SKIP_MODEL").is_some() {
        return;
    }
    let data = std::env::temp_dir().join(format!("fihris-meaning-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let at = ["--data", data.to_str().unwrap()];
    let (mut server, addr) = start_serve_as(&at);
    let english = "/api/v1/search?q=fake%20job%20advertisements%20online&mode=semantic&limit=5";
    let ready = |addr: &str| http_get(addr, "/api/v1/health").1.contains("\"ready\"");
    let waited = std::time::Instant::now();
    while !ready(&addr) {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(300),
            "the model did not load"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(!http_get(&addr, english).1.contains("A.10."));
    let file = meeting_file();
    let o = fihris(&[&["import", "meeting", file.to_str().unwrap()][..], &at].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fihris(&[&["publish", "2022"][..], &at].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let published = std::time::Instant::now();
    let mut found = None;
    while published.elapsed() < std::time::Duration::from_secs(60) && found.is_none() {
        if http_get(&addr, english).1.contains("\"A.10.1\"") {
            found = Some(published.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
    eprintln!("found by meaning {found:?} after publishing");
    assert!(found.is_some(), "the new meeting was not found by meaning");
}

/// Reads from `s` until the server closes it; how long that took, or
/// `None` if it was still open after `within`.
fn closed_within(
    s: &mut std::net::TcpStream,
    within: std::time::Duration,
) -> Option<std::time::Duration> {
    use std::io::Read;
    let start = std::time::Instant::now();
    s.set_read_timeout(Some(within)).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(start.elapsed());
            }
            Err(_) => return None,
        }
        if start.elapsed() > within {
            return None;
        }
    }
}

#[test]
fn slow_and_idle_connections_are_closed_and_connections_are_capped() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;
    let data = std::env::temp_dir().join(format!("fihris-conns-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let d = data.to_str().unwrap();
    let (mut server, addr) = start_serve(&[
        "--data",
        d,
        "--header-timeout",
        "1",
        "--max-connections",
        "3",
    ]);
    // A client that connects and sends nothing, one that stops halfway
    // through its headers (slowloris), and one idle on a keep-alive
    // connection after its request: each closed after the header timeout.
    let mut silent = TcpStream::connect(&addr).unwrap();
    let mut halfway = TcpStream::connect(&addr).unwrap();
    halfway
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 12];
    idle.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    // All three connections are taken: a fourth client is told to come
    // back, with the security headers of every response.
    let (status, head, body) = http(&addr, ("GET", "/api/v1/health"), &[], "");
    assert_eq!(status, 503, "{head}");
    assert_eq!(header_of(&head, "retry-after"), "1");
    assert_eq!(header_of(&head, "x-content-type-options"), "nosniff");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["error"]["message"],
        "too many connections: try again in a second"
    );
    assert_eq!(
        v["error"]["message_ar"],
        "عدد الاتصالات أكثر من الحد: أعد المحاولة بعد ثانية"
    );
    for (name, s) in [
        ("silent", &mut silent),
        ("halfway", &mut halfway),
        ("idle", &mut idle),
    ] {
        let took = closed_within(s, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("the {name} connection is still open after 5 s"));
        assert!(
            took < Duration::from_secs(3),
            "{name}: closed after {took:?}"
        );
    }
    // Their places are free again.
    let (status, _, body) = http(&addr, ("GET", "/api/v1/health"), &[], "");
    assert_eq!(status, 200, "{body}");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_thousand_idle_keep_alive_connections_do_not_stop_new_clients() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let data = std::env::temp_dir().join(format!("fihris-idle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let (mut server, addr) = start_serve(&["--data", data.to_str().unwrap()]);
    // A thousand clients, each after one request on a keep-alive
    // connection, left idle (within the 10 s header timeout).
    let mut idle = Vec::new();
    for _ in 0..1000 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut answer = [0u8; 12];
        s.read_exact(&mut answer).unwrap();
        assert_eq!(&answer, b"HTTP/1.1 200");
        idle.push(s);
    }
    // A new client is served, at once.
    let started = std::time::Instant::now();
    let (status, _, body) = http(&addr, ("GET", "/api/v1/search?q=II-55"), &[], "");
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("A.2.55"));
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    drop(idle);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
}

/// The binary installed alone (copied into an empty directory, as `cargo
/// install` does), run from another empty directory with an empty home:
/// every command reads the corpus built into it, and `fihris serve`
/// serves the pages, their typefaces and the API.
#[test]
fn the_installed_binary_works_from_any_directory() {
    let root = std::env::temp_dir().join(format!("fihris-installed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (bin, work, home) = (root.join("bin"), root.join("work"), root.join("home"));
    for d in [&bin, &work, &home] {
        std::fs::create_dir_all(d).unwrap();
    }
    let exe = bin.join("fihris");
    std::fs::copy(env!("CARGO_BIN_EXE_fihris"), &exe).unwrap();
    let run = |args: &[&str]| {
        Command::new(&exe)
            .args(args)
            .current_dir(&work)
            .env_clear()
            .env("HOME", &home)
            .env("NO_COLOR", "1")
            .output()
            .expect("run the installed fihris")
    };
    let o = run(&["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .contains("sha256 2b39c2edfc1ce835c1087c5907e21a4c810f3ad0291e4636cbf35b10182afeb5"),
        "{}",
        stdout(&o)
    );
    // Unpacked once into the cache, byte for byte the vendored files.
    let unpacked: Vec<PathBuf> = std::fs::read_dir(home.join(".cache/fihris"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(unpacked.len(), 1, "{unpacked:?}");
    for name in ["compendium-2021.ar.txt", "errata.toml", "topics.toml"] {
        assert_eq!(
            std::fs::read(unpacked[0].join(name)).unwrap(),
            std::fs::read(repo().join("corpus").join(name)).unwrap(),
            "{name}"
        );
    }
    let vectors = std::fs::read_dir(repo().join("corpus/vectors"))
        .unwrap()
        .count();
    assert_eq!(
        std::fs::read_dir(unpacked[0].join("vectors"))
            .unwrap()
            .count(),
        vectors
    );
    let o = run(&["show", "A.2.44"]);
    assert!(
        stdout(&o).contains("report CTOC/COP/WG.4/2010/6, para. 51"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "search",
        "تعويض الضحايا",
        "--mode",
        "lexical",
        "--limit",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "basket",
        "A.2.44",
        "B.5.1",
        "--format",
        "docx",
        "-o",
        "basket.docx",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(work.join("basket.docx"))
            .unwrap()
            .starts_with(b"PK")
    );
    let o = run(&["validate"]);
    assert!(o.status.success(), "{}", stderr(&o));

    /// The server, stopped however the test ends.
    struct Stopped(std::process::Child);
    impl Drop for Stopped {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut serve = Command::new(&exe);
    serve
        .args(["serve", "--addr", "127.0.0.1:0", "--no-model"])
        .current_dir(&work)
        .env_clear()
        .env("HOME", &home)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null());
    let (child, addr) = serving(serve);
    let child = Stopped(child);
    for (path, expect) in [
        ("/provisions/A.2.44", "أضف إلى سلة الصياغة"),
        ("/assets/app.css", "font-family"),
        ("/api/v1/provisions/B.5.1", "\"B.5.1\""),
    ] {
        let (status, body) = http_get(&addr, path);
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert!(body.contains(expect), "{path}");
    }
    // The typeface, byte for byte the one in the repository.
    let font = {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        write!(s, "GET /assets/fonts/Amiri-Regular.ttf HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).expect("read");
        let at = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers")
            + 4;
        bytes.split_off(at)
    };
    assert_eq!(
        font,
        std::fs::read(repo().join("crates/fihris-server/assets/fonts/Amiri-Regular.ttf")).unwrap()
    );
    drop(child);
    // The store was made in the home's data directory, nowhere else.
    assert!(home.join(".local/share/fihris/store.sqlite").is_file());
    assert_eq!(
        std::fs::read_dir(&work).unwrap().count(),
        1,
        "only basket.docx"
    );
    std::fs::remove_dir_all(&root).ok();
}
