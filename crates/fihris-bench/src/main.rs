//! `fihris-bench`: fihris search measured against real peers in one run.
//!
//! - `eval`: retrieval quality (nDCG@10, Recall@20, MAP) on the thematic
//!   index, beside SQLite FTS5 (raw and fed our stems), Xapian's Arabic
//!   stemmer and tantivy's built-in Snowball Arabic.
//! - `latency`: in-process search latency on the compendium.
//! - `scale`: build rate, query latency, throughput, peak memory and index
//!   size on a synthetic corpus, fihris beside SQLite FTS5.

#[cfg(feature = "ann")]
use fihris_bench::ann;
use fihris_bench::{agreed, eval, load, oha, scale, semantic, store, suggest};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "fihris-bench", about)]
struct Cli {
    /// Source text (default: the vendored corpus).
    #[arg(long, global = true)]
    source: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Retrieval quality of every engine on the topic labels.
    Eval {
        /// Also print each topic's scores.
        #[arg(long)]
        per_topic: bool,
        /// Skip the Xapian peer (when python3-xapian is not installed).
        #[arg(long)]
        no_xapian: bool,
    },
    /// Speed at scale: fihris and SQLite FTS5 on N synthetic provisions.
    Scale {
        /// Number of synthetic provisions.
        #[arg(long, default_value_t = 1_000_000)]
        n: usize,
        /// Where the indexes are built (removed afterwards).
        #[arg(long, default_value = "target/fihris-bench-scale")]
        dir: PathBuf,
    },
    /// In-process search latency on the compendium, beside SQLite FTS5.
    Latency,
    /// Meaning search: lexical, dense and hybrid on several query sets
    /// (needs the model: `fihris model fetch`).
    Semantic {
        /// Lexical weights of the hybrid ranking to try.
        #[arg(long, value_delimiter = ',', default_value = "0.85")]
        weights: Vec<f32>,
    },
    /// Meaning search at scale: N synthetic provision vectors, exact search
    /// beside an approximate index (HNSW, usearch): recall@10, latency,
    /// build time, memory (needs the model for the query vectors, and
    /// `--features ann`: usearch is C++).
    Ann {
        /// Number of synthetic vectors.
        #[arg(long, default_value_t = 1_000_000)]
        n: usize,
        /// Search expansions (ef) to measure.
        #[arg(long, value_delimiter = ',', default_value = "128,256,512,1024,2048")]
        ef: Vec<usize>,
        /// Links per node of the graph (HNSW's M).
        #[arg(long, default_value_t = 16)]
        m: usize,
        /// Search expansion while building (ef_construction).
        #[arg(long, default_value_t = 128)]
        ef_construction: usize,
    },
    /// Similar provisions: each provision's list, with and without the
    /// stored vectors, and the wording scores beside brute force.
    Similar,
    /// Checking a 1,000-word draft made from the record: by wording, the
    /// clauses' embedding, the whole check (needs the model).
    Draft {
        /// Rounds to time.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The editorial store: first start and opening as `serve` does, on
    /// SQLite and PostgreSQL (FIHRIS_TEST_POSTGRES), beside the files.
    Store {
        /// Rounds to time.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Topic suggestions: precision leave-one-meeting-out, beside the
    /// most frequent topics.
    Suggest,
    /// Phrase reuse: the pass over the whole record beside a brute-force
    /// diff of every pair, and a sample of the reuses to read.
    Phrases {
        /// Rounds to time.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Print every N-th reuse (0: none).
        #[arg(long, default_value_t = 0)]
        sample_every: usize,
    },
    /// HTTP load on loopback: `fihris serve`'s app in a child process,
    /// searches scheduled at fixed rates (open loop), beside a static file
    /// at the same rates.
    Load {
        /// Scheduled requests per second (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "1000,2000")]
        rates: Vec<f64>,
        /// Seconds per run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Keep-alive connections.
        #[arg(long, default_value_t = 32)]
        connections: usize,
    },
    /// Load, idle connections and soak with oha (not our generator) against
    /// the `fihris serve` release binary: mixed real queries beside a
    /// static file, the same beside idle keep-alive connections, then a
    /// long run with the server's memory sampled.
    Oha {
        /// Requests per second of the load runs.
        #[arg(long, default_value_t = 2000)]
        rate: u32,
        /// Seconds of each load run.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Idle keep-alive connections held during the second run.
        #[arg(long, default_value_t = 1000)]
        idle: usize,
        /// Requests per second of the soak.
        #[arg(long, default_value_t = 500)]
        soak_rate: u32,
        /// Seconds of the soak (0: none).
        #[arg(long, default_value_t = 600)]
        soak_seconds: u64,
        /// Seconds of the soak counted as warm-up.
        #[arg(long, default_value_t = 60)]
        warm_up: u64,
    },
    /// The server of `load`, in its own process.
    #[command(hide = true)]
    LoadServer,
    /// One engine of `scale`, in its own process (prints JSON).
    #[command(hide = true)]
    ScaleChild {
        /// fihris or fts5.
        engine: String,
        /// Number of synthetic provisions.
        #[arg(long)]
        n: usize,
        /// Index directory.
        #[arg(long)]
        dir: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let source = cli.source.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt")
    });
    let corpus = fihris_parse::parse_file(&source).map_err(|e| anyhow::anyhow!("{e}"))?;
    match cli.command {
        Cmd::Eval {
            per_topic,
            no_xapian,
        } => eval_table(&corpus, per_topic, no_xapian),
        Cmd::Scale { n, dir } => scale_table(&source, n, &dir),
        Cmd::Semantic { weights } => semantic::run(
            &corpus,
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sets"),
            &weights,
        ),
        #[cfg(feature = "ann")]
        Cmd::Ann {
            n,
            ef,
            m,
            ef_construction,
        } => ann::run(
            &corpus,
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sets"),
            n,
            &ef,
            ann::Graph { m, ef_construction },
        ),
        #[cfg(not(feature = "ann"))]
        Cmd::Ann { .. } => Err(anyhow::anyhow!(
            "built without the approximate index: cargo run --release -p fihris-bench --features ann -- ann"
        )),
        Cmd::Similar => agreed::run(
            &corpus,
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/vectors"),
        ),
        Cmd::Store { rounds } => store::run(
            &source,
            rounds,
            std::env::var("FIHRIS_TEST_POSTGRES").ok().as_deref(),
        ),
        Cmd::Suggest => suggest::run(
            &corpus,
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/vectors"),
        ),
        Cmd::Phrases {
            rounds,
            sample_every,
        } => agreed::phrases(&corpus, rounds, sample_every),
        Cmd::Draft { rounds } => agreed::draft(&corpus, rounds),
        Cmd::Latency => {
            let rows = scale::compendium_latency(&corpus)?;
            println!(
                "{} provisions, {} queries × 20 rounds, in process, one thread",
                corpus.provisions.len(),
                79
            );
            println!("| engine | p50 (ms) | p99 (ms) | queries/s |");
            println!("|---|---|---|---|");
            for m in &rows {
                println!(
                    "| {} | {:.3} | {:.3} | {:.0} |",
                    m.engine, m.p50_ms, m.p99_ms, m.qps
                );
            }
            Ok(())
        }
        Cmd::Load {
            rates,
            seconds,
            connections,
        } => load_table(&source, &corpus, &rates, seconds, connections),
        Cmd::Oha {
            rate,
            seconds,
            idle,
            soak_rate,
            soak_seconds,
            warm_up,
        } => oha_tables(
            &corpus,
            (rate, seconds, idle),
            (soak_rate, soak_seconds, warm_up),
        ),
        Cmd::LoadServer => load::serve(corpus),
        Cmd::ScaleChild { engine, n, dir } => {
            let m = match engine.as_str() {
                "fihris" => scale::measure_fihris(&corpus, n, &dir)?,
                "fts5" => scale::measure_fts5(&corpus, n, &dir)?,
                other => anyhow::bail!("unknown engine {other}"),
            };
            println!("{}", serde_json::to_string(&m)?);
            Ok(())
        }
    }
}

fn oha_tables(
    corpus: &fihris_model::Corpus,
    (rate, seconds, idle): (u32, u64, usize),
    (soak_rate, soak_seconds, warm_up): (u32, u64, u64),
) -> anyhow::Result<()> {
    let sets = semantic::query_sets(
        corpus,
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sets"),
    )?;
    let queries: Vec<String> = sets
        .iter()
        .flat_map(|s| s.queries.iter().map(|(q, _)| q.clone()))
        .collect();
    let names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
    println!(
        "oha against `fihris serve` (release, words only, no rate limit) on loopback, latency corrected for coordinated omission; search = /api/v1/search over {} real queries in turn ({})",
        queries.len(),
        names.join(", ")
    );
    if seconds > 0 {
        oha_load(&queries, rate, seconds, idle)?;
    }
    if soak_seconds == 0 {
        return Ok(());
    }
    eprintln!("soak at {soak_rate} req/s for {soak_seconds} s …");
    let server = oha::Server::start(&[])?;
    let searches = oha::search_urls(&server.addr, &queries);
    let (run, samples) = oha::soak(
        &server,
        &searches,
        soak_rate,
        soak_seconds,
        std::time::Duration::from_secs(10),
    )?;
    let warm = samples
        .iter()
        .find(|(t, _, _)| *t >= warm_up as f64)
        .map_or(f64::NAN, |s| s.1);
    let last = samples.last().map_or(f64::NAN, |s| s.1);
    let peak = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    println!("{}", oha::HEADER);
    println!("{}", oha::row(&run));
    println!(
        "resident memory (MiB): at start {:.1}, after {warm_up} s warm-up {warm:.1}, peak {peak:.1}, at the end {last:.1}; growth after warm-up **{:+.1} %**",
        samples[0].1,
        (last - warm) / warm * 100.0
    );
    println!(
        "samples (s: MiB, threads): {}",
        samples
            .iter()
            .map(|(t, m, n)| format!("{t:.0}: {m:.1}, {n}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}

/// The load runs of `oha`: search and the static file at `rate`, then
/// search again beside `idle` idle keep-alive connections.
fn oha_load(queries: &[String], rate: u32, seconds: u64, idle: usize) -> anyhow::Result<()> {
    // Idle connections stay open through the run (the default header
    // timeout would close them after 10 s, as it should).
    let hold = (seconds + 60).to_string();
    let server = oha::Server::start(&["--header-timeout", &hold])?;
    let searches = oha::search_urls(&server.addr, queries);
    let floor = vec![format!("http://{}/assets/app.css", server.addr)];
    let mut rows = Vec::new();
    for (label, urls) in [("search", &searches), ("static file", &floor)] {
        eprintln!("{label} at {rate} req/s for {seconds} s …");
        rows.push(oha::oha(label, urls, rate, seconds, 32)?);
    }
    eprintln!("{idle} idle keep-alive connections …");
    let held = oha::idle_connections(&server.addr, idle)?;
    let label = format!("search beside {idle} idle connections");
    rows.push(oha::oha(&label, &searches, rate, seconds, 32)?);
    let open = oha::still_open(&held);
    drop(held);
    println!("32 keep-alive connections");
    println!("{}", oha::HEADER);
    for r in &rows {
        println!("{}", oha::row(r));
    }
    println!("idle connections still open after the run beside them: {open} of {idle}");
    Ok(())
}

fn load_table(
    source: &std::path::Path,
    corpus: &fihris_model::Corpus,
    rates: &[f64],
    seconds: u64,
    connections: usize,
) -> anyhow::Result<()> {
    let (mut child, addr) = load::start_server(source)?;
    let searches = std::sync::Arc::new(load::search_paths(&scale::queries(corpus)));
    let floor = std::sync::Arc::new(vec!["/assets/app.css".to_owned()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut rows = Vec::new();
    for &rate in rates {
        for (label, paths) in [("search", &searches), ("static file", &floor)] {
            eprintln!("{label} at {rate} req/s for {seconds} s …");
            let dur = std::time::Duration::from_secs(seconds);
            rows.push(rt.block_on(load::run(
                label,
                addr,
                paths.clone(),
                rate,
                dur,
                connections,
            )));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "`fihris serve`'s app in a second process on loopback; {connections} keep-alive connections; open loop (latency from each request's scheduled time); {seconds} s per row; search = /api/v1/search over {} queries (top 10 with facets)",
        searches.len()
    );
    println!(
        "| target | rate (req/s) | achieved (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            r.target, r.rate, r.achieved, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms, r.errors
        );
    }
    for pair in rows.chunks(2) {
        if let [s, f] = pair {
            println!(
                "at {:.0} req/s: search p99 ÷ static-file p99 = {:.2}",
                s.rate,
                s.p99_ms / f.p99_ms
            );
        }
    }
    Ok(())
}

fn scale_table(source: &std::path::Path, n: usize, base: &std::path::Path) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for (engine, name) in [("fihris", "fihris"), ("fts5", "fts5")] {
        eprintln!("{name}: building {n} synthetic provisions …");
        let dir = scale::fresh_dir(base, name)?;
        rows.push(scale::in_child(source, engine, n, &dir)?);
        std::fs::remove_dir_all(&dir).ok();
    }
    println!(
        "{n} synthetic provisions (the compendium's clauses recombined), 74 queries × 5 rounds, top 10, one thread"
    );
    println!(
        "| engine | build (s) | docs/s | p50 (ms) | p99 (ms) | queries/s | peak RSS (MiB) | index (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for m in &rows {
        println!(
            "| {} | {:.1} | {:.0} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} |",
            m.engine,
            m.build_s,
            m.docs as f64 / m.build_s,
            m.p50_ms,
            m.p99_ms,
            m.qps,
            m.peak_mib,
            m.index_mib
        );
    }
    if let [a, b] = rows.as_slice() {
        println!("throughput ratio fihris ÷ FTS5: {:.2}", a.qps / b.qps);
    }
    Ok(())
}

type Runner = fn(&fihris_model::Corpus, &[String]) -> anyhow::Result<Vec<Vec<String>>>;

fn eval_table(
    corpus: &fihris_model::Corpus,
    per_topic: bool,
    no_xapian: bool,
) -> anyhow::Result<()> {
    let topics = eval::topics(corpus);
    let queries: Vec<String> = topics.iter().map(|t| t.query.clone()).collect();
    let mut engines: Vec<(&str, Runner)> = vec![
        ("fihris", eval::run_fihris),
        ("SQLite FTS5 unicode61, raw text", eval::run_fts5_raw),
        (
            "SQLite FTS5, fihris-normalized+stemmed text",
            eval::run_fts5_stemmed,
        ),
        (
            "tantivy built-in Snowball Arabic",
            eval::run_tantivy_snowball,
        ),
    ];
    if !no_xapian {
        engines.push(("Xapian 1.4 Arabic Snowball", eval::run_xapian));
    }
    let mut rows = Vec::new();
    for (name, run) in engines {
        let rankings = run(corpus, &queries)?;
        let scores: Vec<eval::Scores> = rankings
            .iter()
            .zip(&topics)
            .map(|(r, t)| eval::score(r, &t.relevant))
            .collect();
        let n = scores.len() as f64;
        let mean = |f: fn(&eval::Scores) -> f64| scores.iter().map(f).sum::<f64>() / n;
        rows.push((
            name,
            mean(|s| s.ndcg10),
            mean(|s| s.recall20),
            mean(|s| s.ap),
            scores,
        ));
    }
    println!(
        "{} labelled topics as queries (full label), relevant = provisions filed under the topic and what they contain",
        topics.len()
    );
    let base = rows
        .iter()
        .find(|r| r.0.ends_with("raw text"))
        .map_or(1.0, |r| r.1);
    let xapian = rows.iter().find(|r| r.0.starts_with("Xapian")).map(|r| r.1);
    println!("| engine | nDCG@10 | Recall@20 | MAP | nDCG ÷ FTS5 raw | nDCG ÷ Xapian |");
    println!("|---|---|---|---|---|---|");
    for (name, ndcg, recall, map, _) in &rows {
        let vx = xapian.map_or("–".to_owned(), |x| format!("{:.3}", ndcg / x));
        println!(
            "| {name} | {ndcg:.4} | {recall:.3} | {map:.3} | {:.3} | {vx} |",
            ndcg / base
        );
    }
    if per_topic {
        println!();
        print!("| topic |");
        for r in &rows {
            print!(" {} |", r.0);
        }
        println!();
        for (i, t) in topics.iter().enumerate() {
            print!("| {} ({}) |", t.id, t.relevant.len());
            for r in &rows {
                print!(" {:.2} |", r.4[i].ndcg10);
            }
            println!();
        }
    }
    Ok(())
}
