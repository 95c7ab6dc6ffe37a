//! Speed at scale: a deterministic synthetic corpus of N provisions made by
//! recombining the compendium's own clauses, indexed and queried by fihris
//! and by SQLite FTS5 (fed the same normalized and stemmed text), each in a
//! child process of its own so that peak memory is its own.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fihris_model::{Corpus, ProvisionId, SectionId, Segment};
use fihris_search::analyzer::{analyze, stemmed};
use fihris_search::{Doc, Request, SearchIndex, Sort};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

/// What one engine measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measurement {
    /// Engine name.
    pub engine: String,
    /// Documents indexed.
    pub docs: usize,
    /// Build time, seconds.
    pub build_s: f64,
    /// Queries run (all rounds).
    pub queries: usize,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Queries per second, one thread.
    pub qps: f64,
    /// Peak resident memory of the process, MiB.
    pub peak_mib: f64,
    /// Size of the index on disk, MiB.
    pub index_mib: f64,
}

/// A small deterministic generator (SplitMix64).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The compendium's clauses (split at «،», «؛» and «.»), the pieces the
/// synthetic provisions are made of.
fn clauses(corpus: &Corpus) -> Vec<String> {
    corpus
        .provisions
        .iter()
        .flat_map(|p| {
            p.text
                .split(['،', '؛', '.', '\n'])
                .map(str::trim)
                .filter(|c| c.split_whitespace().count() >= 3)
        })
        .map(str::to_owned)
        .collect()
}

/// The `n` synthetic provisions (deterministic for a given corpus).
pub fn synthetic(corpus: &Corpus, n: usize) -> impl Iterator<Item = Doc> {
    let pieces = clauses(corpus);
    let sections: Vec<(SectionId, u16)> = corpus
        .sections
        .iter()
        .map(|s| {
            let year = s
                .meeting
                .as_ref()
                .and_then(|m| m.year)
                .or(s.session.as_ref().and_then(|c| c.year))
                .unwrap_or(0);
            (s.id, year)
        })
        .collect();
    let mut rng = Rng(0x00F1_4815);
    (0..n).map(move |i| {
        let k = 1 + rng.below(4);
        let text = (0..k)
            .map(|_| pieces[rng.below(pieces.len())].as_str())
            .collect::<Vec<_>>()
            .join("، ")
            + ".";
        let (section, year) = sections[rng.below(sections.len())];
        // Paragraph i of a section: a provision id like the real ones, each
        // its own paragraph family.
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        Doc {
            id: ProvisionId {
                section,
                path: vec![Segment::Para(number)],
            },
            text,
            context: String::new(),
            year,
            topics: Vec::new(),
        }
    })
}

/// The fixed query set: the focus of each labelled topic's label (after
/// its last comma), as a user would type it.
pub fn queries(corpus: &Corpus) -> Vec<String> {
    corpus
        .topics
        .iter()
        .filter(|t| !t.unlabelled)
        .map(|t| {
            t.path
                .last()
                .cloned()
                .unwrap_or_default()
                .replace(['(', ')', '،'], " ")
        })
        .collect()
}

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_mib(path: &Path) -> f64 {
    let mut total = 0u64;
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            total += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    } else if let Ok(m) = std::fs::metadata(path) {
        total = m.len();
    }
    total as f64 / (1024.0 * 1024.0)
}

/// A progress line on standard error once a build has run a second.
struct Progress {
    start: Instant,
    total: usize,
    shown: bool,
}

impl Progress {
    fn tick(&mut self, done: usize) {
        let elapsed = self.start.elapsed();
        if elapsed < Duration::from_secs(1) && done < self.total {
            return;
        }
        if !self.shown && done >= self.total {
            return;
        }
        self.shown = true;
        let width = 30;
        let filled = width * done / self.total.max(1);
        let rate = done as f64 / elapsed.as_secs_f64().max(1e-9);
        eprint!(
            "\r  [{}{}] {done}/{} ({:.0} docs/s)",
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.total,
            rate
        );
        if done >= self.total {
            eprintln!();
        }
        let _ = std::io::stderr().flush();
    }
}

fn latencies(
    mut times: Vec<f64>,
    engine: &str,
    docs: usize,
    build_s: f64,
    index_mib: f64,
) -> Measurement {
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    Measurement {
        engine: engine.into(),
        docs,
        build_s,
        queries: times.len(),
        p50_ms: pct(0.50) * 1e3,
        p99_ms: pct(0.99) * 1e3,
        qps: 1.0 / mean,
        peak_mib: peak_mib(),
        index_mib,
    }
}

/// Rounds of the query set.
const ROUNDS: usize = 5;

/// Builds and queries fihris on `n` synthetic docs in `dir`.
pub fn measure_fihris(corpus: &Corpus, n: usize, dir: &Path) -> anyhow::Result<Measurement> {
    let mut progress = Progress {
        start: Instant::now(),
        total: n,
        shown: false,
    };
    let start = Instant::now();
    let index = SearchIndex::build(synthetic(corpus, n), Some(dir), |d| progress.tick(d))?;
    let build_s = start.elapsed().as_secs_f64();
    let qs = queries(corpus);
    let mut times = Vec::new();
    let mut per_query = vec![0.0; qs.len()];
    for _ in 0..ROUNDS {
        for (k, q) in qs.iter().enumerate() {
            let req = Request {
                query: q,
                limit: 10,
                offset: 0,
                sort: Sort::Relevance,
                facets: false,
            };
            let t = Instant::now();
            let r = index
                .search(None, &req)
                .map_err(|e| anyhow::anyhow!("{q}: {e}"))?;
            let dt = t.elapsed().as_secs_f64();
            times.push(dt);
            per_query[k] += dt / ROUNDS as f64;
            std::hint::black_box(r.hits.len());
        }
    }
    if std::env::var_os("FIHRIS_BENCH_SLOWEST").is_some() {
        print_slowest(&qs, &per_query);
    }
    Ok(latencies(
        times,
        "fihris (tantivy)",
        n,
        build_s,
        dir_mib(dir),
    ))
}

/// Builds and queries SQLite FTS5 on the same docs, fed the same
/// normalized and stemmed text, in `dir`/fts5.db.
pub fn measure_fts5(corpus: &Corpus, n: usize, dir: &Path) -> anyhow::Result<Measurement> {
    let path = dir.join("fts5.db");
    let db = Connection::open(&path)?;
    db.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='unicode61');",
    )?;
    let mut an = stemmed();
    let mut progress = Progress {
        start: Instant::now(),
        total: n,
        shown: false,
    };
    let start = Instant::now();
    db.execute_batch("BEGIN")?;
    {
        let mut ins = db.prepare("INSERT INTO t (id, body) VALUES (?1, ?2)")?;
        for (i, d) in synthetic(corpus, n).enumerate() {
            ins.execute((d.id.to_string(), analysed(&mut an, &d.text)))?;
            if (i + 1) % 10_000 == 0 {
                progress.tick(i + 1);
            }
        }
    }
    db.execute_batch("COMMIT; INSERT INTO t(t) VALUES('optimize');")?;
    progress.tick(n);
    let build_s = start.elapsed().as_secs_f64();
    let mut stmt = db.prepare("SELECT id FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 10")?;
    let qs = fts5_all_of(&mut an, &queries(corpus));
    let times = time_fts5(&mut stmt, &qs, ROUNDS)?;
    Ok(latencies(
        times,
        "SQLite FTS5 (same analysed text)",
        n,
        build_s,
        dir_mib(&path),
    ))
}

/// The analysed text FTS5 is fed: our stems, separated by spaces.
pub fn analysed(an: &mut TextAnalyzer, text: &str) -> String {
    analyze(an, text)
        .into_iter()
        .map(|t| t.0)
        .collect::<Vec<_>>()
        .join(" ")
}

/// FTS5 queries requiring every stem of each query (empty ones dropped).
fn fts5_all_of(an: &mut TextAnalyzer, queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .map(|q| {
            analyze(an, q)
                .into_iter()
                .map(|t| format!("\"{}\"", t.0))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|q| !q.is_empty())
        .collect()
}

/// Seconds per run of each query, over `rounds` rounds.
fn time_fts5(
    stmt: &mut rusqlite::Statement<'_>,
    queries: &[String],
    rounds: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut times = Vec::new();
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            let ids: Vec<String> = stmt
                .query_map([q], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            times.push(t.elapsed().as_secs_f64());
            std::hint::black_box(ids.len());
        }
    }
    Ok(times)
}

/// Prints the eight queries with the largest `seconds` (one per query).
fn print_slowest(qs: &[String], seconds: &[f64]) {
    let mut order: Vec<usize> = (0..qs.len()).collect();
    order.sort_by(|a, b| seconds[*b].total_cmp(&seconds[*a]));
    for k in order.into_iter().take(8) {
        eprintln!("  {:.2} ms  {}", seconds[k] * 1e3, qs[k]);
    }
}

/// Runs one engine in a child process and reads its measurement.
pub fn in_child(source: &Path, engine: &str, n: usize, dir: &Path) -> anyhow::Result<Measurement> {
    let exe = std::env::current_exe()?;
    let out = std::process::Command::new(exe)
        .args([
            "--source",
            &source.display().to_string(),
            "scale-child",
            engine,
            "--n",
            &n.to_string(),
            "--dir",
        ])
        .arg(dir)
        .stderr(std::process::Stdio::inherit())
        .output()?;
    anyhow::ensure!(out.status.success(), "{engine} failed ({})", out.status);
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// A fresh directory for one engine's index.
pub fn fresh_dir(base: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let d = base.join(name);
    if d.exists() {
        std::fs::remove_dir_all(&d)?;
    }
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

/// In-process latency on the compendium itself: fihris (with facets, as
/// the CLI and web app ask) and SQLite FTS5 on the same analysed text, the
/// same queries, in the same run.
pub fn compendium_latency(corpus: &Corpus) -> anyhow::Result<Vec<Measurement>> {
    let docs = fihris_search::docs_of(corpus);
    let start = Instant::now();
    let index = SearchIndex::build(docs, None, |_| {})?;
    let build_s = start.elapsed().as_secs_f64();
    let mut qs = queries(corpus);
    qs.extend(
        [
            "تعويض الضحايا",
            "حماية الشهود",
            "العمل القسري",
            "التكنولوجيا",
            "الأطفال",
        ]
        .map(String::from),
    );
    let mut out = Vec::new();
    for facets in [true, false] {
        let mut times = Vec::new();
        let mut slowest = vec![0f64; qs.len()];
        let mut fastest = vec![f64::MAX; qs.len()];
        let mut first_round = 0f64;
        for round in 0..ROUNDS * 4 {
            for (k, q) in qs.iter().enumerate() {
                let req = Request {
                    query: q,
                    limit: 10,
                    offset: 0,
                    sort: Sort::Relevance,
                    facets,
                };
                let t = Instant::now();
                let r = index
                    .search(Some(corpus), &req)
                    .map_err(|e| anyhow::anyhow!("{q}: {e}"))?;
                let took = t.elapsed().as_secs_f64();
                slowest[k] = slowest[k].max(took);
                fastest[k] = fastest[k].min(took);
                if round == 0 {
                    first_round += took;
                }
                times.push(took);
                std::hint::black_box(r.total);
            }
        }
        if std::env::var_os("FIHRIS_BENCH_SLOWEST").is_some() {
            // Each query's best time is steady when the machine is not:
            // their sum and maximum compare two versions of the code.
            let sum: f64 = fastest.iter().sum();
            let max = fastest.iter().copied().fold(0.0, f64::max);
            eprintln!(
                "best times (facets: {facets}): sum {:.2} ms, slowest query {:.3} ms; first round (snippet words not yet cached when facets: true): sum {:.2} ms",
                sum * 1e3,
                max * 1e3,
                first_round * 1e3
            );
            eprintln!("slowest (facets: {facets}), worst time of each query:");
            print_slowest(&qs, &slowest);
        }
        let name = if facets {
            "fihris, with facets"
        } else {
            "fihris, top 10 only"
        };
        out.push(latencies(
            times,
            name,
            corpus.provisions.len(),
            build_s,
            0.0,
        ));
    }
    let db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='unicode61');",
    )?;
    let mut an = stemmed();
    let start = Instant::now();
    for p in &corpus.provisions {
        db.execute(
            "INSERT INTO t (id, body) VALUES (?1, ?2)",
            (p.id.to_string(), analysed(&mut an, &p.text)),
        )?;
    }
    let build_s = start.elapsed().as_secs_f64();
    let mut stmt = db.prepare("SELECT id FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 10")?;
    let fq = fts5_all_of(&mut an, &qs);
    let times = time_fts5(&mut stmt, &fq, ROUNDS * 4)?;
    out.push(latencies(
        times,
        "SQLite FTS5 (same analysed text)",
        corpus.provisions.len(),
        build_s,
        0.0,
    ));
    Ok(out)
}
