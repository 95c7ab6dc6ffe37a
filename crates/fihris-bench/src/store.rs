//! The editorial store: making it on first start (seeding edition 2021)
//! and opening it as `fihris serve` does (the edition's texts read back,
//! parsed, indexed), on SQLite and on PostgreSQL, beside parsing and
//! indexing the files directly as before the store.

use std::path::Path;
use std::time::Instant;

use fihris_search::{SearchIndex, docs_of};
use fihris_store::{Input, Inputs, Store};

use crate::semantic::p50_p99;

/// The compendium's texts as the store takes them.
fn inputs(source: &Path) -> anyhow::Result<Inputs> {
    let read = |p: &Path| -> anyhow::Result<Input> {
        Ok(Input {
            name: p.display().to_string(),
            text: std::fs::read_to_string(p)?,
        })
    };
    Ok(Inputs {
        source: read(source)?,
        errata: Some(read(&source.with_file_name(fihris_parse::ERRATA_FILE))?),
        register: Some(read(&source.with_file_name(fihris_parse::REGISTER_FILE))?),
    })
}

/// Opens the latest edition as `serve` does: texts, parse, index.
fn serve_open(store: &Store) -> anyhow::Result<()> {
    let e = store
        .latest()?
        .ok_or_else(|| anyhow::anyhow!("no edition"))?;
    let i = store.inputs(&e)?;
    let corpus = fihris_parse::parse_texts(
        i.source.as_pair(),
        i.errata.as_ref().map(Input::as_pair),
        i.register.as_ref().map(Input::as_pair),
    )?;
    SearchIndex::build(docs_of(&corpus), None, |_| {})?;
    Ok(())
}

/// Prints the table (`postgres`: a connection string, or none to leave
/// PostgreSQL out).
pub fn run(source: &Path, rounds: usize, postgres: Option<&str>) -> anyhow::Result<()> {
    let texts = inputs(source)?;
    println!("| what ({rounds} rounds) | p50 ms | max ms |");
    println!("|---|---|---|");
    let row = |name: &str, ms: Vec<f64>| {
        let (p50, max) = p50_p99(ms);
        println!("| {name} | {p50:.1} | {max:.1} |");
    };
    let mut ms = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let corpus = fihris_parse::parse_file(source)?;
        SearchIndex::build(docs_of(&corpus), None, |_| {})?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    row("files: parse + index (before the store; the peer)", ms);
    let dir = std::env::temp_dir().join(format!("fihris-bench-store-{}", std::process::id()));
    let (mut first, mut open) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        let path = dir.join(format!("store-{r}.sqlite"));
        std::fs::create_dir_all(&dir)?;
        let started = Instant::now();
        Store::open(&path)?.seed("2021", &texts)?;
        first.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        serve_open(&Store::open(&path)?)?;
        open.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&dir);
    row("SQLite: first start (create, seed edition 2021)", first);
    row("SQLite: open + parse the edition + index", open);
    let Some(url) = postgres else {
        println!("PostgreSQL: skipped (set FIHRIS_TEST_POSTGRES to a connection string)");
        return Ok(());
    };
    let (mut first, mut open) = (Vec::new(), Vec::new());
    let mut admin = postgres::Client::connect(url, postgres::NoTls)?;
    for r in 0..rounds {
        let schema = format!("fihris_bench_{}_{r}", std::process::id());
        admin.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
        let at = format!("{url} options='-c search_path={schema}'");
        let started = Instant::now();
        Store::open_postgres(&at)?.seed("2021", &texts)?;
        first.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        serve_open(&Store::open_postgres(&at)?)?;
        open.push(started.elapsed().as_secs_f64() * 1000.0);
        admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))?;
    }
    row("PostgreSQL: first start (create, seed edition 2021)", first);
    row("PostgreSQL: connect + parse the edition + index", open);
    Ok(())
}
