//! Meaning search at scale: N synthetic provision vectors searched exactly
//! (every vector, by dot product) and through an approximate index (HNSW,
//! usearch, vectors stored as f16) in the same run: recall@10 of the
//! approximate against the exact, latency percentiles per query, build
//! time and memory.
//!
//! The synthetic vectors are made of the real ones: each is two of the
//! compendium's provision vectors mixed with random weights, plus Gaussian
//! noise, scaled to unit length — clustered as real provisions are, not
//! uniform noise (on which every index looks bad or good for the wrong
//! reasons). The queries are the real query sets' vectors.

use std::time::Instant;

use fihris_model::Corpus;
use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use crate::scale::Rng;
use crate::semantic::{p50_p99, query_sets};

/// Neighbours compared.
const K: usize = 10;
/// Candidates the approximate index brings for exact re-ranking.
const RERANK: usize = 100;

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut Rng) -> f32 {
    let u = ((rng.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let v = ((rng.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    ((-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()) as f32
}

/// `n` synthetic unit vectors of the real ones' dimension.
fn synthetic(real: &[&[f32]], n: usize, noise: f32) -> Vec<f32> {
    let dim = real[0].len();
    let mut rng = Rng(42);
    let mut out = Vec::with_capacity(n * dim);
    let mut v = vec![0.0f32; dim];
    for _ in 0..n {
        let (a, b) = (real[rng.below(real.len())], real[rng.below(real.len())]);
        let w = (rng.below(1000) as f32) / 1000.0;
        let sd = noise / (dim as f32).sqrt();
        for (i, x) in v.iter_mut().enumerate() {
            *x = w * a[i] + (1.0 - w) * b[i] + sd * gaussian(&mut rng);
        }
        let norm = v
            .iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON);
        out.extend(v.iter().map(|x| x / norm));
    }
    out
}

/// The `K` nearest by dot product, exactly.
fn exact(data: &[f32], dim: usize, q: &[f32]) -> Vec<u64> {
    let mut best: Vec<(f32, u64)> = Vec::with_capacity(K + 1);
    for (i, v) in data.chunks_exact(dim).enumerate() {
        let s: f32 = v.iter().zip(q).map(|(a, b)| a * b).sum();
        if best.len() < K || s > best[best.len() - 1].0 {
            let at = best.partition_point(|b| b.0 >= s);
            best.insert(at, (s, i as u64));
            best.truncate(K);
        }
    }
    best.into_iter().map(|b| b.1).collect()
}

/// Resident memory of this process now, MiB (Linux).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// How the HNSW graph is built.
#[derive(Debug, Clone, Copy)]
pub struct Graph {
    /// Links per node (M).
    pub m: usize,
    /// Search expansion while building.
    pub ef_construction: usize,
}

/// Builds both, runs the queries through both, prints the table.
pub fn run(
    corpus: &Corpus,
    sets: &std::path::Path,
    n: usize,
    efs: &[usize],
    graph: Graph,
) -> anyhow::Result<()> {
    let dirs = [std::path::Path::new(&corpus.source.path)
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("vectors")];
    let engine = fihris_meaning::open(corpus, &[dirs[0].as_path()], &mut |_| {})?;
    let real: Vec<&[f32]> = engine.provisions().vectors().collect();
    let dim = real[0].len();
    let mut queries = Vec::new();
    for set in query_sets(corpus, sets)? {
        for (q, _) in &set.queries {
            queries.push(engine.embed_query(q)?.vector);
        }
    }
    let before = rss_mib();
    let started = Instant::now();
    let data = synthetic(&real, n, 0.35);
    eprintln!(
        "{n} synthetic vectors of {dim} in {:.1} s ({:.0} MiB as f32)",
        started.elapsed().as_secs_f64(),
        rss_mib() - before
    );
    // Exact: every vector, one thread per query (as a server would).
    let mut exact_ms = Vec::new();
    let mut truth = Vec::new();
    for q in &queries {
        let started = Instant::now();
        truth.push(exact(&data, dim, q));
        exact_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (e50, e99) = p50_p99(exact_ms);
    // Approximate: HNSW over f16 copies, built on both cores.
    let options = IndexOptions {
        dimensions: dim,
        metric: MetricKind::IP,
        quantization: ScalarKind::F16,
        connectivity: graph.m,
        expansion_add: graph.ef_construction,
        expansion_search: 64,
        multi: false,
    };
    let index = Index::new(&options).map_err(|e| anyhow::anyhow!("usearch: {e}"))?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    index
        .reserve_capacity_and_threads(n, threads)
        .map_err(|e| anyhow::anyhow!("usearch: {e}"))?;
    let before = rss_mib();
    let started = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (index, data) = (&index, &data);
            s.spawn(move || {
                for (i, v) in data.chunks_exact(dim).enumerate().skip(t).step_by(threads) {
                    if let Err(e) = index.add(i as u64, v) {
                        eprintln!("usearch add {i}: {e}");
                    }
                }
            });
        }
    });
    let build = started.elapsed().as_secs_f64();
    let index_mib = index.memory_usage() as f64 / (1 << 20) as f64;
    println!(
        "{n} vectors × {dim} dims; exact search (f32, {:.0} MiB): p50 {e50:.1} ms, p99 {e99:.1} ms per query",
        (n * dim * 4) as f64 / (1 << 20) as f64
    );
    println!(
        "HNSW (usearch {}, f16, M={}, ef_construction={}, {threads} threads): built in {build:.0} s ({:.0} vectors/s), {index_mib:.0} MiB by its count, resident memory +{:.0} MiB",
        index.hardware_acceleration(),
        graph.m,
        graph.ef_construction,
        n as f64 / build,
        rss_mib() - before
    );
    println!();
    println!(
        "| ef_search | recall@10 | p50 ms | p99 ms | recall@10, {RERANK} re-ranked exactly | p50 ms | p99 ms | exact p99 / this p99 |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &ef in efs {
        index.change_expansion_search(ef);
        let (mut plain_ms, mut rerank_ms) = (Vec::new(), Vec::new());
        let (mut plain, mut reranked) = (0usize, 0usize);
        for (q, want) in queries.iter().zip(&truth) {
            let started = Instant::now();
            let m = index
                .search(q.as_slice(), K)
                .map_err(|e| anyhow::anyhow!("usearch: {e}"))?;
            plain_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            plain += m.keys.iter().filter(|k| want.contains(k)).count();
            // The approximate index's first hundred, re-ranked by the exact
            // f32 dot product.
            let started = Instant::now();
            let m = index
                .search(q.as_slice(), RERANK)
                .map_err(|e| anyhow::anyhow!("usearch: {e}"))?;
            let mut scored: Vec<(f32, u64)> = m
                .keys
                .iter()
                .map(|&k| {
                    let v = &data[k as usize * dim..(k as usize + 1) * dim];
                    (v.iter().zip(q).map(|(a, b)| a * b).sum(), k)
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            rerank_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            reranked += scored
                .iter()
                .take(K)
                .filter(|(_, k)| want.contains(k))
                .count();
        }
        let total = (queries.len() * K) as f64;
        let (p50, p99) = p50_p99(plain_ms);
        let (r50, r99) = p50_p99(rerank_ms);
        println!(
            "| {ef} | {:.4} | {p50:.2} | {p99:.2} | {:.4} | {r50:.2} | {r99:.2} | {:.0}× |",
            plain as f64 / total,
            reranked as f64 / total,
            e99 / r99
        );
    }
    println!();
    println!(
        "{} queries: the real query sets' vectors (EmbeddingGemma, Rust)",
        queries.len()
    );
    Ok(())
}
