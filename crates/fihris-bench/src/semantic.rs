//! Meaning search measured: the lexical ranking, the dense one
//! (EmbeddingGemma in Rust) and their fusion on several query sets — the
//! Arabic topic labels, their English renderings (the topic register's),
//! everyday questions in Arabic and English — judged by the thematic index's
//! filings, which ranking never sees.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use fihris_model::Corpus;
use fihris_search::{Meaning, Mode, Request, SearchIndex, Sort, docs_of};

use crate::eval::{self, DEPTH, Scores};

/// A named query set: each query with its relevant provisions.
pub struct QuerySet {
    /// Its name.
    pub name: String,
    /// Queries and judgments.
    pub queries: Vec<(String, HashSet<String>)>,
}

/// The query sets: Arabic labels, English labels, and the question files
/// in `sets/` (`topic id<TAB>query`).
pub fn query_sets(corpus: &Corpus, sets: &Path) -> anyhow::Result<Vec<QuerySet>> {
    let topics = eval::topics(corpus);
    let labelled: Vec<_> = corpus.topics.iter().filter(|t| !t.unlabelled).collect();
    let mut out = vec![
        QuerySet {
            name: "Arabic topic labels".into(),
            queries: topics
                .iter()
                .map(|t| (t.query.clone(), t.relevant.clone()))
                .collect(),
        },
        QuerySet {
            name: "English topic labels".into(),
            queries: labelled
                .iter()
                .zip(&topics)
                .filter_map(|(t, e)| t.label_en.clone().map(|en| (en, e.relevant.clone())))
                .collect(),
        },
    ];
    for (file, name) in [
        ("questions-ar.tsv", "Arabic everyday questions"),
        ("questions-en.tsv", "English everyday questions"),
    ] {
        let text = std::fs::read_to_string(sets.join(file))?;
        let mut queries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            // Judged by the filings of the named topic; a line that names
            // no topic is an error, not an empty judgment.
            let judged = line.split_once('\t').and_then(|(topic, q)| {
                let t = topics.iter().find(|t| t.id.as_str() == topic)?;
                Some((q.trim().to_owned(), t.relevant.clone()))
            });
            queries.push(judged.ok_or_else(|| {
                anyhow::anyhow!(
                    "{file}:{}: expected a known topic id, a tab, a query",
                    n + 1
                )
            })?);
        }
        out.push(QuerySet {
            name: name.into(),
            queries,
        });
    }
    Ok(out)
}

/// Mean nDCG@10, Recall@20 and MAP of rankings against judgments.
fn mean(rankings: &[Vec<String>], set: &QuerySet) -> (f64, f64, f64) {
    let scores: Vec<Scores> = rankings
        .iter()
        .zip(&set.queries)
        .map(|(r, (_, rel))| eval::score(r, rel))
        .collect();
    let n = scores.len().max(1) as f64;
    (
        scores.iter().map(|s| s.ndcg10).sum::<f64>() / n,
        scores.iter().map(|s| s.recall20).sum::<f64>() / n,
        scores.iter().map(|s| s.ap).sum::<f64>() / n,
    )
}

/// Runs every set through lexical, dense and hybrid ranking and prints the
/// table; also the query-embedding latency.
pub fn run(corpus: &Corpus, sets_dir: &Path, weights: &[f32]) -> anyhow::Result<()> {
    let dirs = [Path::new(&corpus.source.path)
        .parent()
        .unwrap_or(Path::new("."))
        .join("vectors")];
    let started = Instant::now();
    let engine = fihris_meaning::open(corpus, &[dirs[0].as_path()], &mut |step| {
        eprintln!("{step}")
    })?;
    eprintln!(
        "meaning search ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let docs = docs_of(corpus).into_iter().map(|mut d| {
        d.topics.clear();
        d
    });
    let index = SearchIndex::build(docs, None, |_| {})?;
    let mut latencies = Vec::new();
    println!(
        "| set | queries | lexical nDCG@10 | dense | {} |",
        weights
            .iter()
            .map(|w| format!("hybrid w={w}"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|---|---|---|{}", "---|".repeat(weights.len()));
    for set in query_sets(corpus, sets_dir)? {
        let mut vectors = Vec::new();
        for (q, _) in &set.queries {
            let started = Instant::now();
            vectors.push(engine.embed_query(q)?.vector);
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        // The rankings of one mode (and lexical weight) for the whole set,
        // by the search that ships (`SearchIndex::search_in`).
        let ranked = |mode: Mode, lexical: f32| -> anyhow::Result<(f64, f64, f64)> {
            let mut rankings = Vec::new();
            for ((q, _), v) in set.queries.iter().zip(&vectors) {
                let req = Request {
                    query: q,
                    limit: DEPTH,
                    offset: 0,
                    sort: Sort::Relevance,
                    facets: false,
                };
                let meaning = Meaning {
                    lexical,
                    ..engine.meaning(v)
                };
                let hits = match index.search_in(corpus, &req, mode, Some(meaning)) {
                    Ok(r) => r.hits.into_iter().map(|h| h.id.to_string()).collect(),
                    Err(_) => Vec::new(),
                };
                rankings.push(hits);
            }
            Ok(mean(&rankings, &set))
        };
        let lex = ranked(Mode::Lexical, 1.0)?;
        let den = ranked(Mode::Semantic, 0.0)?;
        let mut cells = Vec::new();
        for w in weights {
            cells.push(format!("{:.4}", ranked(Mode::Hybrid, *w)?.0));
        }
        println!(
            "| {} | {} | {:.4} | {:.4} | {} |",
            set.name,
            set.queries.len(),
            lex.0,
            den.0,
            cells.join(" | ")
        );
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!();
    println!(
        "query embedding in Rust (2 threads): p50 {:.1} ms, p99 {:.1} ms over {} queries",
        pct(0.5),
        pct(0.99),
        latencies.len()
    );
    Ok(())
}
