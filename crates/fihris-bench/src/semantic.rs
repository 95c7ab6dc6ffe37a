//! Meaning search measured: the lexical ranking, the dense one
//! (EmbeddingGemma in Rust) and their fusion on several query sets — the
//! Arabic topic labels, their English renderings (the topic register's),
//! everyday questions in Arabic and English — judged by the thematic index's
//! filings, which ranking never sees.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use fihris_embed::{Embedder, Gemma, Vectors, fetch};
use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, fuse};
use fihris_search::{Request, SearchIndex, Sort, docs_of};

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

/// Whether a query has Arabic letters.
fn arabic(q: &str) -> bool {
    q.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The lexical weight of the fusion for one query: none for a query the
/// words cannot serve (no Arabic, or no lexical hit); `weight` when some
/// provision has every word of the query; a third of it when the words
/// only partly match (everyday wording, which meaning serves better).
pub fn hybrid_weight(query: &str, lexical_hits: usize, complete: usize, weight: f32) -> f32 {
    if !arabic(query) || lexical_hits == 0 {
        0.0
    } else if complete > 0 {
        weight
    } else {
        weight / 3.0
    }
}

/// The provision vectors of the record: from the cache when the same model
/// made them of the same record, else computed (and cached).
pub fn provision_vectors(corpus: &Corpus, model: &Gemma, cache: &Path) -> anyhow::Result<Vectors> {
    let path = cache.join(format!(
        "vectors/{}-{}.bin",
        &model.fingerprint()[..12],
        &corpus.source.sha256[..12]
    ));
    if let Some(v) = Vectors::load(&path, model.fingerprint(), &corpus.source.sha256) {
        return Ok(v);
    }
    let docs: Vec<(String, String)> = corpus
        .provisions
        .iter()
        .map(|p| (p.id.to_string(), p.text.clone()))
        .collect();
    let started = Instant::now();
    let v = Vectors::compute(model, &corpus.source.sha256, &docs, |n| {
        if n % 80 == 0 || n == docs.len() {
            eprintln!("embedded {n}/{} provisions", docs.len());
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} provisions embedded in {secs:.1} s ({:.2}/s)",
        docs.len(),
        docs.len() as f64 / secs
    );
    v.save(&path)?;
    Ok(v)
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
    let cache = fetch::cache_dir();
    let dir = fetch::model_dir(&cache);
    let model = Gemma::load(&dir, &fetch::fingerprint(&dir)?)?;
    let vectors = provision_vectors(corpus, &model, &cache)?;
    let ids: Vec<ProvisionId> = vectors
        .ids
        .iter()
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    let dense = DenseIndex::new(ids, vectors.dim, vectors.data.clone())
        .ok_or_else(|| anyhow::anyhow!("vectors of the wrong size"))?;
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
        let mut lexical = Vec::new();
        let mut near = Vec::new();
        let mut completes = Vec::new();
        for (q, _) in &set.queries {
            let req = Request {
                query: q,
                limit: DEPTH,
                offset: 0,
                sort: Sort::Relevance,
                facets: false,
            };
            let (hits, complete): (Vec<(ProvisionId, f32)>, usize) = match index.search(None, &req)
            {
                Ok(r) => (
                    r.hits.into_iter().map(|h| (h.id, h.score)).collect(),
                    r.complete,
                ),
                Err(_) => (Vec::new(), 0),
            };
            lexical.push(hits);
            completes.push(complete);
            let started = Instant::now();
            let qv = model.embed_queries(&[q.as_str()])?;
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            near.push(dense.nearest(&qv[0], DEPTH));
        }
        let as_ids =
            |r: &[(ProvisionId, f32)]| r.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>();
        let lex = mean(&lexical.iter().map(|r| as_ids(r)).collect::<Vec<_>>(), &set);
        let den = mean(&near.iter().map(|r| as_ids(r)).collect::<Vec<_>>(), &set);
        let mut cells = Vec::new();
        for w in weights {
            let fused: Vec<Vec<String>> = lexical
                .iter()
                .zip(&near)
                .zip(&set.queries)
                .zip(&completes)
                .map(|(((l, d), (q, _)), complete)| {
                    let w = hybrid_weight(q, l.len(), *complete, *w);
                    fuse(l, d, w)
                        .into_iter()
                        .take(DEPTH)
                        .map(|(id, _, _)| id.to_string())
                        .collect()
                })
                .collect();
            let h = mean(&fused, &set);
            cells.push(format!("{:.4}", h.0));
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
