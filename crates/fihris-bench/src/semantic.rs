//! Meaning search measured: the lexical ranking, the dense one
//! (EmbeddingGemma in Rust) and their fusion on several query sets — the
//! Arabic topic labels, their English renderings (the topic register's),
//! everyday questions in Arabic and English — judged by the thematic index's
//! filings, which ranking never sees.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Context;
use fihris_embed::{Embedder, Gemma, Precision, dot, fetch};
use fihris_meaning::{Vocabulary, clause_docs, provision_docs};
use fihris_search::dense::{Cut, DenseIndex, Pieces};
use fihris_search::weights;

use fihris_model::Corpus;
use fihris_search::{
    Meaning, Mode, Request, SearchIndex, Sort, docs_of, focused, meaning_focus, meaning_text,
};

use crate::eval::{self, DEPTH, Scores};

/// A named query set: each query with its relevant provisions.
pub struct QuerySet {
    /// Its name.
    pub name: String,
    /// Queries and judgments.
    pub queries: Vec<(String, HashSet<String>)>,
}

/// The query sets: Arabic labels, English labels, and the files in
/// `sets/` (`topic id<TAB>query`): everyday questions in Arabic, English,
/// French, Spanish, Russian and Chinese, search-box keywords in Arabic
/// and English, and a second and a third set of everyday questions in
/// Arabic and English (each written as a check on settings chosen on the
/// sets before it), and Arabic queries written «context، focus».
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
        ("questions-fr.tsv", "French everyday questions"),
        ("questions-es.tsv", "Spanish everyday questions"),
        ("questions-ru.tsv", "Russian everyday questions"),
        ("questions-zh.tsv", "Chinese everyday questions"),
        ("keywords-ar.tsv", "Arabic search-box keywords"),
        ("keywords-en.tsv", "English search-box keywords"),
        ("questions2-ar.tsv", "Arabic everyday questions, second set"),
        (
            "questions2-en.tsv",
            "English everyday questions, second set",
        ),
        ("questions3-ar.tsv", "Arabic everyday questions, third set"),
        ("questions3-en.tsv", "English everyday questions, third set"),
        (
            "structured-ar.tsv",
            "Arabic queries written «context، focus»",
        ),
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

/// The Python reference (sentence-transformers) on the same queries and
/// provisions: its vectors and its per-query time.
struct Reference {
    /// Query vectors, set by set.
    queries: Vec<Vec<Vec<f32>>>,
    /// The provisions' vectors.
    provisions: DenseIndex,
    /// The vectors of the clauses of provisions with several.
    clauses: Pieces,
    /// Milliseconds per query.
    query_ms: Vec<f64>,
}

/// Runs `peers/embed_peer.py` with `FIHRIS_REFERENCE_PYTHON` (a Python
/// with sentence-transformers); `None` when that is not set.
fn reference(
    corpus: &Corpus,
    sets: &[QuerySet],
    model_dir: &Path,
) -> anyhow::Result<Option<Reference>> {
    let Ok(python) = std::env::var("FIHRIS_REFERENCE_PYTHON") else {
        return Ok(None);
    };
    let queries: Vec<&str> = sets
        .iter()
        .flat_map(|s| s.queries.iter().map(|(q, _)| q.as_str()))
        .collect();
    // The focus of a query read as a focus in a context, embedded too and
    // added to the query's vector as the engine does.
    let focus: Vec<Option<String>> = queries.iter().map(|q| meaning_focus(q)).collect();
    let docs = provision_docs(corpus);
    let clause_docs = clause_docs(corpus);
    let job = serde_json::json!({
        "model": model_dir,
        "queries": queries,
        "focus": focus.iter().flatten().collect::<Vec<_>>(),
        "docs": docs.iter().chain(&clause_docs).map(|d| &d.1).collect::<Vec<_>>(),
    });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/embed_peer.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {python}"))?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(job.to_string().as_bytes())?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "{} failed", script.display());
    #[derive(serde::Deserialize)]
    struct Answer {
        queries: Vec<Vec<f32>>,
        focus: Vec<Vec<f32>>,
        docs: Vec<Vec<f32>>,
        query_ms: Vec<f64>,
    }
    let a: Answer = serde_json::from_slice(&out.stdout)?;
    let dim = a.docs.first().map_or(0, Vec::len);
    let ids = corpus.provisions.iter().map(|p| p.id.clone()).collect();
    anyhow::ensure!(
        a.docs.len() == docs.len() + clause_docs.len(),
        "the reference embedded {} texts of {}",
        a.docs.len(),
        docs.len() + clause_docs.len()
    );
    let (whole, parts) = a.docs.split_at(docs.len());
    let provisions =
        DenseIndex::new(ids, dim, whole.concat()).context("reference vectors of the wrong size")?;
    let clauses = Pieces::new(
        Cut::Clauses,
        dim,
        clause_docs
            .iter()
            .zip(parts)
            .map(|((key, _), v)| (key.as_str(), v.as_slice())),
    );
    let mut focus_vectors = a.focus.into_iter();
    let mut rest = a.queries.into_iter().zip(&focus).map(|(v, f)| {
        match f.as_ref().and_then(|_| focus_vectors.next()) {
            Some(fv) => focused(&v, &fv),
            None => v,
        }
    });
    let queries = sets
        .iter()
        .map(|s| rest.by_ref().take(s.queries.len()).collect())
        .collect();
    Ok(Some(Reference {
        queries,
        provisions,
        clauses,
        query_ms: a.query_ms,
    }))
}

/// Lucene 9 (ArabicAnalyzer, BM25) through `peers/LucenePeer.java` and
/// the jar `FIHRIS_LUCENE_JAR`: each set's rankings; `None` when that is
/// not set.
fn lucene(corpus: &Corpus, sets: &[QuerySet]) -> anyhow::Result<Option<Vec<Vec<Vec<String>>>>> {
    let Ok(jar) = std::env::var("FIHRIS_LUCENE_JAR") else {
        return Ok(None);
    };
    let dir = std::env::temp_dir().join(format!("fihris-lucene-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let docs: String = corpus
        .provisions
        .iter()
        .map(|p| format!("{}\t{}\n", p.id, p.text.replace(['\t', '\n'], " ")))
        .collect();
    std::fs::write(dir.join("docs.tsv"), docs)?;
    let queries: String = sets
        .iter()
        .flat_map(|s| {
            s.queries
                .iter()
                .map(|(q, _)| format!("{}\n", q.replace('\n', " ")))
        })
        .collect();
    std::fs::write(dir.join("queries.txt"), queries)?;
    let peer = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/LucenePeer.java");
    let out = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg(&peer)
        .arg(dir.join("docs.tsv"))
        .arg(dir.join("queries.txt"))
        .output()
        .context("cannot run java (Java 17)")?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(
        out.status.success(),
        "LucenePeer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?;
    let mut lines = text.lines().map(|l| {
        l.split('\t')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    Ok(Some(
        sets.iter()
            .map(|s| lines.by_ref().take(s.queries.len()).collect())
            .collect(),
    ))
}

/// Percentiles 50 and 99 of milliseconds (0 when there are none).
pub(crate) fn p50_p99(mut ms: Vec<f64>) -> (f64, f64) {
    if ms.is_empty() {
        return (0.0, 0.0);
    }
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99))
}

/// What the words' side of a hybrid search reads of one query besides
/// it: its rendering in Arabic words (a query with no Arabic) and its
/// words no provision has, with the record's closest (an Arabic query).
struct WordsSide {
    rendered: Option<String>,
    close: Vec<(String, String)>,
}

/// Rankings of one set by `search_in` in `mode` with these query vectors
/// (and renderings in Arabic words) and the provision vectors (and lexical
/// weight) of `meaning`.
fn rankings<'a>(
    index: &SearchIndex,
    corpus: &Corpus,
    set: &QuerySet,
    (vectors, said): (&'a [Vec<f32>], &'a [WordsSide]),
    meaning: Meaning<'a>,
    mode: Mode,
) -> Vec<Vec<String>> {
    set.queries
        .iter()
        .zip(vectors.iter().zip(said))
        .map(|((q, _), (v, w))| {
            let req = Request {
                query: q,
                limit: DEPTH,
                offset: 0,
                sort: Sort::Relevance,
                facets: false,
            };
            let meaning = Meaning {
                query: v,
                rendered: w.rendered.as_deref(),
                close: &w.close,
                ..meaning
            };
            match index.search_in(corpus, &req, mode, Some(meaning)) {
                Ok(r) => r.hits.into_iter().map(|h| h.id.to_string()).collect(),
                Err(_) => Vec::new(),
            }
        })
        .collect()
}

/// Runs every set through fihris lexical, Lucene 9, dense and hybrid
/// ranking (and the Python reference's dense and hybrid when it is there)
/// and prints the table; then the losses against lexical, the latencies
/// beside the reference's, and the embedding throughput.
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
    let sets = query_sets(corpus, sets_dir)?;
    // Another precision timed query by query beside the default, and how
    // far its vectors fall from the default's: the published f32 weights
    // where the default is bf16 (AMX), else the 8-bit option.
    let model_dir = fetch::model_dir(&fetch::cache_dir());
    let precision = fihris_meaning::precision_from_env()?;
    let other_precision = if precision == Precision::F32 {
        Precision::Q8
    } else {
        Precision::F32
    };
    let other = Gemma::load_as(
        &model_dir,
        &fetch::fingerprint(&model_dir)?,
        other_precision,
    )?;
    let (mut rust_ms, mut other_ms, mut other_cos) = (Vec::new(), Vec::new(), Vec::new());
    let mut render_ms = Vec::new();
    let mut vectors: Vec<Vec<Vec<f32>>> = Vec::new();
    let mut rendered: Vec<Vec<WordsSide>> = Vec::new();
    for set in &sets {
        let mut v = Vec::new();
        let mut r = Vec::new();
        for (q, _) in &set.queries {
            let embedded = engine.embed_query_in(q, &index)?;
            // The query as typed through both precisions, timed one
            // beside the other as the Python reference is (the engine
            // embeds the query's words without operators: `/`, quotes,
            // filters).
            let started = Instant::now();
            let same_text = engine.model().embed_queries(&[q])?.remove(0);
            rust_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let other_vector = other.embed_queries(&[q])?.remove(0);
            other_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            other_cos.push(dot(&same_text, &other_vector));
            // A query with no Arabic as the engine embeds it: with its
            // words to render, in one pass, then rendered.
            let text = meaning_text(q)?;
            if let Some(words) = Vocabulary::to_render(&text) {
                let refs: Vec<&str> = words.iter().map(String::as_str).collect();
                let started = Instant::now();
                let (_, vectors) = engine.model().embed_query_and_documents(&text, &refs)?;
                engine.vocabulary().closest(&vectors);
                render_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            v.push(embedded.vector);
            r.push(WordsSide {
                rendered: embedded.rendered,
                close: embedded.close,
            });
        }
        vectors.push(v);
        rendered.push(r);
    }
    drop(other);
    let reference = reference(corpus, &sets, &model_dir)?;
    let lucene = lucene(corpus, &sets)?;
    println!(
        "| set | queries | fihris lexical | Lucene 9 BM25 | dense (Rust) | dense (Python) | {} | hybrid (Python vectors) |",
        weights
            .iter()
            .map(|w| format!("hybrid w={w}"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!(
        "|---|---|---|---|---|---|{}---|",
        "---|".repeat(weights.len())
    );
    let mut losses = Vec::new();
    for (k, set) in sets.iter().enumerate() {
        let ours = engine.meaning(&[]);
        let queries = (vectors[k].as_slice(), rendered[k].as_slice());
        let run = |meaning, mode| rankings(&index, corpus, set, queries, meaning, mode);
        let lex = run(ours, Mode::Lexical);
        let den = run(ours, Mode::Semantic);
        let cell = |r: Option<(f64, f64, f64)>| {
            r.map_or("—".to_owned(), |m| format!("{:.4}", m.0 + 0.0))
        }; // + 0.0: no "-0.0000"
        let mut hybrid = Vec::new();
        for w in weights {
            let with = Meaning {
                lexical: *w,
                ..ours
            };
            let h = run(with, Mode::Hybrid);
            if k == 0 && (*w - weights::HYBRID_LEXICAL).abs() < 1e-6 {
                losses = per_query_losses(&lex, &h, set);
            }
            hybrid.push(cell(Some(mean(&h, set))));
        }
        let (py_dense, py_hybrid) = match &reference {
            Some(r) => {
                let theirs = Meaning {
                    provisions: &r.provisions,
                    sentences: None,
                    clauses: Some(&r.clauses),
                    query: &[],
                    lexical: weights::HYBRID_LEXICAL,
                    rendered: None,
                    close: &[],
                };
                let q = (r.queries[k].as_slice(), rendered[k].as_slice());
                let d = rankings(&index, corpus, set, q, theirs, Mode::Semantic);
                let h = rankings(&index, corpus, set, q, theirs, Mode::Hybrid);
                (Some(mean(&d, set)), Some(mean(&h, set)))
            }
            None => (None, None),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            set.name,
            set.queries.len(),
            cell(Some(mean(&lex, set))),
            cell(lucene.as_ref().map(|l| mean(&l[k], set))),
            cell(Some(mean(&den, set))),
            cell(py_dense),
            hybrid.join(" | "),
            cell(py_hybrid),
        );
    }
    println!();
    let worst = losses.iter().fold(0.0f64, |a, l| a.max(l.1));
    println!(
        "Arabic labels, hybrid (w={}) against lexical: {} of {} topics lose more than 0.10 nDCG@10 (worst loss {worst:.3}){}",
        weights::HYBRID_LEXICAL,
        losses.iter().filter(|l| l.1 > 0.10).count(),
        sets.first().map_or(0, |s| s.queries.len()),
        losses
            .iter()
            .filter(|l| l.1 > 0.10)
            .map(|l| format!("; «{}» −{:.3}", l.0, l.1))
            .collect::<String>()
    );
    let (r50, r99) = p50_p99(rust_ms);
    println!(
        "query embedding, Rust (fihris-embed, {precision:?}, 2 threads): p50 {r50:.1} ms, p99 {r99:.1} ms"
    );
    let (w50, w99) = p50_p99(render_ms);
    println!(
        "a query with no Arabic embedded with its words in one pass and rendered in the record's words ({} words' vectors, {} dimensions): p50 {w50:.1} ms, p99 {w99:.1} ms",
        engine.vocabulary().len(),
        fihris_meaning::words::DIMS
    );
    let (q50, q99) = p50_p99(other_ms);
    println!(
        "query embedding, Rust {other_precision:?}, timed beside it: p50 {q50:.1} ms, p99 {q99:.1} ms → {other_precision:?}/{precision:?} p50 {:.2}, p99 {:.2}; cosine to the default's vector: lowest {:.4}",
        q50 / r50,
        q99 / r99,
        other_cos.iter().fold(1.0f32, |a, &c| a.min(c))
    );
    match &reference {
        Some(r) => {
            let (p50, p99) = p50_p99(r.query_ms.clone());
            println!(
                "query embedding, Python reference (sentence-transformers, PyTorch, 2 threads): p50 {p50:.1} ms, p99 {p99:.1} ms → Rust/Python p50 {:.2}, p99 {:.2}",
                r50 / p50,
                r99 / p99
            );
        }
        None => println!(
            "query embedding, Python reference: skipped (set FIHRIS_REFERENCE_PYTHON to a Python with sentence-transformers)"
        ),
    }
    if lucene.is_none() {
        println!("Lucene 9: skipped (set FIHRIS_LUCENE_JAR to anserini-0.22.1-fatjar.jar)");
    }
    // End to end as the server runs it: the index with its topic facets,
    // the query embedded, both sides searched and fused, a page of 10 with
    // snippets, facets and topics; then its second page (the query's
    // vector remembered). A fresh engine: nothing embedded before.
    let engine = fihris_meaning::open(corpus, &[dirs[0].as_path()], &mut |_| {})?;
    let served = SearchIndex::build(docs_of(corpus), None, |_| {})?;
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for set in &sets {
        for (q, _) in &set.queries {
            let mut req = Request::new(q, 10);
            let started = Instant::now();
            engine.search(&served, corpus, &req, Mode::Hybrid)?;
            first.push(started.elapsed().as_secs_f64() * 1000.0);
            req.offset = 10;
            let started = Instant::now();
            engine.search(&served, corpus, &req, Mode::Hybrid)?;
            second.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let (e50, e99) = p50_p99(first);
    let (s50, s99) = p50_p99(second);
    println!(
        "hybrid search end to end (embedding, both sides, fusion, page of 10 with facets and topics): p50 {e50:.1} ms, p99 {e99:.1} ms; its second page: p50 {s50:.2} ms, p99 {s99:.2} ms"
    );
    let sample: Vec<&str> = corpus
        .provisions
        .iter()
        .take(24)
        .map(|p| p.text.as_str())
        .collect();
    let started = Instant::now();
    for chunk in sample.chunks(8) {
        engine.model().embed_documents(chunk)?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "provision embedding, Rust: {:.2} provisions/s (the first 24, batches of 8)",
        sample.len() as f64 / secs
    );
    Ok(())
}

/// Each query's nDCG@10 loss of `hybrid` against `lexical` (positive =
/// worse), worst first.
fn per_query_losses(
    lexical: &[Vec<String>],
    hybrid: &[Vec<String>],
    set: &QuerySet,
) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = lexical
        .iter()
        .zip(hybrid)
        .zip(&set.queries)
        .map(|((l, h), (q, rel))| {
            (
                q.clone(),
                eval::score(l, rel).ndcg10 - eval::score(h, rel).ndcg10,
            )
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}
