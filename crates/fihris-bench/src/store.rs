//! The editorial store: making it on first start (seeding edition 2021)
//! and opening it as `fihris serve` does (the edition's texts read back,
//! parsed, indexed), on SQLite and on PostgreSQL, beside parsing and
//! indexing the files directly as before the store; importing a
//! 50-recommendation meeting with the index refreshed; publishing until
//! the new edition is searchable; and opening a store grown to 100,000
//! synthetic provisions by imported meetings.

use std::path::Path;
use std::time::Instant;

use fihris_edit::Change;
use fihris_editorial::{Editor, Location, record_of_edition};
use fihris_model::Corpus;
use fihris_model::numerals::{Letter, ordinal_ar};
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

/// A synthetic meeting file (marked so in its header): meeting `n`,
/// `paras` paragraphs each with `letters` sub-paragraphs, their texts the
/// first words of the record's provisions in turn, numbered.
pub fn synthetic_meeting(corpus: &Corpus, n: u32, paras: u32, letters: usize) -> String {
    let year = 2020 + n;
    let mut out = format!(
        "+++\nsynthetic = true\nmeeting = {n}\nstart = \"{year}-07-05\"\nend = \"{year}-07-07\"\nplace = \"فيينا\"\nsymbol = \"CTOC/COP/WG.4/{year}/{n}\"\noffset = 0\n+++\n{}- الاجتماع الاصطناعي، من 5 إلى 7 تموز/يوليه {year}\n\n",
        ordinal_ar(n).unwrap_or("?")
    );
    let mut k = 0usize;
    let mut text = || {
        k += 1;
        let p = &corpus.provisions[k % corpus.provisions.len()];
        let words: Vec<&str> = p.text.split_whitespace().take(6).collect();
        format!("{} (نص اصطناعي {k})", words.join(" "))
    };
    for para in 1..=paras {
        out.push_str(&format!("{para}- {}\n", text()));
        for l in (0..letters).filter_map(Letter::from_index) {
            out.push_str(&format!("({}) {}\n", l.arabic(), text()));
        }
    }
    out
}

/// The stores measured: SQLite in a fresh directory, and PostgreSQL in a
/// fresh schema when `postgres` is given. Each as (name, location, clean-up).
type Fresh = (&'static str, Location, Box<dyn FnOnce()>);

fn fresh(tag: &str, postgres: Option<&str>) -> anyhow::Result<Vec<Fresh>> {
    let dir = std::env::temp_dir().join(format!("fihris-bench-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut out: Vec<Fresh> = vec![(
        "SQLite",
        Location::Sqlite(dir.clone()),
        Box::new(move || {
            let _ = std::fs::remove_dir_all(&dir);
        }),
    )];
    if let Some(url) = postgres {
        let schema = format!("fihris_bench_{tag}_{}", std::process::id());
        let mut admin = postgres::Client::connect(url, postgres::NoTls)?;
        admin.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))?;
        out.push((
            "PostgreSQL",
            Location::Postgres(format!("{url} options='-c search_path={schema}'")),
            Box::new(move || {
                let _ = admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }),
        ));
    }
    Ok(out)
}

/// The draft's record rebuilt and indexed, as the page and the watcher do.
fn refresh(at: &Location, source: &Path, edition: &str) -> anyhow::Result<usize> {
    let store = fihris_editorial::seeded(at, source)?;
    let e = fihris_editorial::edition_named(&store, edition)?;
    let record = record_of_edition(&store, &e)?;
    SearchIndex::build(docs_of(&record), None, |_| {})?;
    Ok(record.provisions.len())
}

/// Import → refreshed index, and publish → searchable, on each store (a
/// fresh one per round: a meeting is imported once).
fn growth(source: &Path, rounds: usize, postgres: Option<&str>) -> anyhow::Result<()> {
    let corpus = fihris_parse::parse_file(source)?;
    // 50 recommendations: 35 paragraphs, 15 of them with two
    // sub-paragraphs (65 provisions).
    let mut meeting = synthetic_meeting(&corpus, 10, 20, 0);
    for para in 21..=35 {
        meeting.push_str(&format!(
            "{para}- ينبغي للدول الأطراف أن تنظر فيما يلي:\n(أ) نص اصطناعي {para} أ\n(ب) نص اصطناعي {para} ب\n"
        ));
    }
    let (change, parsed) = Change::import_meeting("bench-meeting.txt", &meeting)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let provisions = parsed.provisions.len();
    let mut times: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
    for r in 0..rounds {
        for (k, (name, at, clean)) in fresh(&format!("growth{r}"), postgres)?
            .into_iter()
            .enumerate()
        {
            fihris_editorial::seeded(&at, source)?;
            let ed = Editor::new(at.clone(), source);
            let started = Instant::now();
            ed.apply("bench", &change, "bench", None)
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            refresh(&at, source, "draft")?;
            let import = started.elapsed().as_secs_f64() * 1000.0;
            let started = Instant::now();
            ed.publish("bench", "2022", None)
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            refresh(&at, source, "2022")?;
            let publish = started.elapsed().as_secs_f64() * 1000.0;
            if times.len() <= k {
                times.push((name, Vec::new(), Vec::new()));
            }
            times[k].1.push(import);
            times[k].2.push(publish);
            clean();
        }
    }
    for (name, import, publish) in times {
        row(
            &format!(
                "{name}: import a 50-recommendation meeting ({provisions} provisions) + the draft re-indexed"
            ),
            import,
        );
        row(
            &format!("{name}: publish + the new edition rebuilt and indexed"),
            publish,
        );
    }
    Ok(())
}

/// A store grown to 100,000 provisions by eleven imported meetings
/// (stored directly, as changes), then opened as `serve` opens an
/// edition: the record rebuilt and indexed.
fn hundred_thousand(source: &Path, rounds: usize, postgres: Option<&str>) -> anyhow::Result<()> {
    let corpus = fihris_parse::parse_file(source)?;
    let bodies: Vec<(String, String)> = (10..=20)
        .map(|n| {
            let text = synthetic_meeting(&corpus, n, 350, 25);
            let change = Change::ImportMeeting {
                section: format!("A.{n}"),
                file: format!("synthetic-{n}.txt"),
                text,
            };
            Ok((format!("A.{n}"), serde_json::to_string(&change)?))
        })
        .collect::<anyhow::Result<_>>()?;
    for (name, at, clean) in fresh("large", postgres)? {
        let mut store = fihris_editorial::seeded(&at, source)?;
        let started = Instant::now();
        for (target, body) in &bodies {
            store.change(
                "bench",
                ("import-meeting", target),
                ("", body),
                "bench",
                None,
            )?;
        }
        let stored = started.elapsed().as_secs_f64() * 1000.0;
        drop(store);
        let mut ms = Vec::new();
        let mut count = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            count = refresh(&at, source, "draft")?;
            ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        row(
            &format!(
                "{name}: store 11 meetings (~100,000 provisions, {:.0} MB of text)",
                bodies.iter().map(|b| b.1.len()).sum::<usize>() as f64 / 1e6
            ),
            vec![stored],
        );
        row(
            &format!("{name}: open {count} provisions: parse, apply 11 imports, index"),
            ms,
        );
        clean();
    }
    Ok(())
}

fn row(name: &str, ms: Vec<f64>) {
    let (p50, max) = p50_p99(ms);
    println!("| {name} | {p50:.1} | {max:.1} |");
}

/// Prints the table (`postgres`: a connection string, or none to leave
/// PostgreSQL out).
pub fn run(source: &Path, rounds: usize, postgres: Option<&str>) -> anyhow::Result<()> {
    let texts = inputs(source)?;
    println!("| what ({rounds} rounds) | p50 ms | max ms |");
    println!("|---|---|---|");
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
        growth(source, rounds, None)?;
        return hundred_thousand(source, rounds.min(2), None);
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
    growth(source, rounds, Some(url))?;
    hundred_thousand(source, rounds.min(2), Some(url))
}
