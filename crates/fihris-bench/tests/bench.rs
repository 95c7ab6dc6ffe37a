//! The benchmark harnesses run, and fihris keeps its lead over the peers.

use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_bench::{eval, load, scale};
use fihris_model::Corpus;

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
});

fn mean_ndcg(rankings: &[Vec<String>], topics: &[eval::Topic]) -> f64 {
    let sum: f64 = rankings
        .iter()
        .zip(topics)
        .map(|(r, t)| eval::score(r, &t.relevant).ndcg10)
        .sum();
    sum / topics.len() as f64
}

#[test]
fn metrics_are_right_on_a_small_case() {
    let relevant = ["a", "b"].map(String::from).into_iter().collect();
    let s = eval::score(&["a".into(), "x".into(), "b".into()], &relevant);
    let idcg = 1.0 + 1.0 / 3f64.log2();
    assert!((s.ndcg10 - (1.0 + 1.0 / 4f64.log2()) / idcg).abs() < 1e-9);
    assert!((s.recall20 - 1.0).abs() < 1e-9);
    assert!((s.ap - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-9);
}

#[test]
fn fihris_leads_the_peers_on_the_topic_labels() {
    let topics = eval::topics(&CORPUS);
    assert_eq!(topics.len(), 74);
    let queries: Vec<String> = topics.iter().map(|t| t.query.clone()).collect();
    let fihris = mean_ndcg(&eval::run_fihris(&CORPUS, &queries).unwrap(), &topics);
    let raw = mean_ndcg(&eval::run_fts5_raw(&CORPUS, &queries).unwrap(), &topics);
    let snowball = mean_ndcg(
        &eval::run_tantivy_snowball(&CORPUS, &queries).unwrap(),
        &topics,
    );
    eprintln!("nDCG@10: fihris {fihris:.3}, FTS5 raw {raw:.3}, tantivy Snowball {snowball:.3}");
    assert!(
        fihris >= 1.5 * raw,
        "fihris {fihris:.3} vs FTS5 raw {raw:.3}"
    );
    assert!(
        fihris >= 1.2 * snowball,
        "fihris {fihris:.3} vs Snowball {snowball:.3}"
    );
    // Xapian when its Python binding is installed (CI installs it).
    match eval::run_xapian(&CORPUS, &queries) {
        Ok(r) => {
            let xapian = mean_ndcg(&r, &topics);
            eprintln!("nDCG@10: Xapian {xapian:.3}");
            assert!(
                fihris >= 1.2 * xapian,
                "fihris {fihris:.3} vs Xapian {xapian:.3}"
            );
        }
        Err(e) => eprintln!("Xapian peer skipped: {e}"),
    }
}

#[test]
fn scale_harness_runs_both_engines() {
    let base = std::env::temp_dir().join(format!("fihris-scale-{}", std::process::id()));
    let n = 3_000;
    let docs: Vec<_> = scale::synthetic(&CORPUS, n).collect();
    assert_eq!(docs.len(), n);
    assert_eq!(
        docs[7],
        scale::synthetic(&CORPUS, n).nth(7).unwrap(),
        "deterministic"
    );
    let f = scale::measure_fihris(&CORPUS, n, &scale::fresh_dir(&base, "fihris").unwrap()).unwrap();
    let s = scale::measure_fts5(&CORPUS, n, &scale::fresh_dir(&base, "fts5").unwrap()).unwrap();
    for m in [&f, &s] {
        assert_eq!(m.docs, n);
        assert!(
            m.queries >= 300 && m.p50_ms > 0.0 && m.p99_ms >= m.p50_ms && m.index_mib > 0.0,
            "{m:?}"
        );
    }
    std::fs::remove_dir_all(base).ok();
}

#[test]
fn load_generator_counts_every_request_and_every_error() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let app = std::sync::Arc::new(fihris_server::App::new(CORPUS.clone()).expect("index"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, fihris_server::router(app)).await });
        let paths = load::search_paths(&scale::queries(&CORPUS));
        assert_eq!(paths.len(), 74);
        let second = std::time::Duration::from_secs(1);
        let r = load::run("search", addr, std::sync::Arc::new(paths), 200.0, second, 4).await;
        assert_eq!((r.sent, r.ok, r.errors), (200, 200, 0));
        assert!(r.p50_ms <= r.p99_ms && r.p99_ms <= r.max_ms);
        // A 404 counts as an error, not a success.
        let missing = std::sync::Arc::new(vec!["/api/v1/provisions/A.9.999".to_owned()]);
        let r = load::run("missing", addr, missing, 50.0, second, 2).await;
        assert_eq!((r.sent, r.ok, r.errors), (50, 0, 50));
    });
}
