//! Agreed language: the time to list a provision's similar provisions
//! (with the word comparisons the API returns), through the shingles'
//! postings beside comparing with every provision one by one.

use std::time::Instant;

use fihris_agreed::similar::{Wording, shingles, similar};
use fihris_model::Corpus;
use fihris_view::SimilarView;

use crate::semantic::p50_p99;

/// Work done for one provision.
type Task<'a> = dyn Fn(&fihris_model::Provision) + 'a;

/// Times every provision's similar list, with and without the stored
/// vectors, and the wording scores by postings and by brute force.
pub fn run(corpus: &Corpus, vectors_dir: &std::path::Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let wording = Wording::new(corpus);
    println!(
        "shingles of {} provisions in {:.2} ms",
        corpus.provisions.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let dense = fihris_meaning::stored_provisions(corpus, &[vectors_dir]);
    println!(
        "| what (each of the {} provisions, 5 rounds) | p50 ms | p99 ms |",
        corpus.provisions.len()
    );
    println!("|---|---|---|");
    let time = |f: &Task| {
        let mut ms = Vec::new();
        for _ in 0..5 {
            for p in &corpus.provisions {
                let started = Instant::now();
                f(p);
                ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        p50_p99(ms)
    };
    let rows: [(&str, &Task); 4] = [
        (
            "similar list, 5, by wording and meaning, with comparisons",
            &|p| {
                SimilarView::of(corpus, &wording, dense.as_ref(), &p.id, 5);
            },
        ),
        ("similar list, 5, by wording only, with comparisons", &|p| {
            SimilarView::of(corpus, &wording, None, &p.id, 5);
        }),
        ("wording scores through the postings", &|p| {
            wording.scores(&shingles(&p.text));
        }),
        (
            "wording scores, every provision compared (baseline)",
            &|p| {
                wording.scores_brute_force(&shingles(&p.text));
            },
        ),
    ];
    for (name, f) in rows {
        let (p50, p99) = time(f);
        println!("| {name} | {p50:.3} | {p99:.3} |");
    }
    if dense.is_none() {
        println!("(no stored vectors: the first row ranks by wording only)");
    }
    precision(&wording, dense.as_ref())
}

/// P@5 on the judged set `sets/similar.tsv`: the list as served, by
/// wording alone, and by meaning alone (the vectors' nearest, the
/// provision's family left out as the list leaves it).
fn precision(
    wording: &Wording,
    dense: Option<&fihris_search::dense::DenseIndex>,
) -> anyhow::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sets/similar.tsv");
    let text = std::fs::read_to_string(&path)?;
    let mut judged = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (id, rel) = line
            .split_once('\t')
            .ok_or_else(|| anyhow::anyhow!("{}:{}: no tab", path.display(), n + 1))?;
        let id: fihris_model::ProvisionId = id
            .parse()
            .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), n + 1))?;
        let rel: std::collections::HashSet<&str> = rel.split_whitespace().collect();
        judged.push((id, rel));
    }
    let p_at_5 = |list: &dyn Fn(&fihris_model::ProvisionId) -> Vec<String>| {
        let total: f64 = judged
            .iter()
            .map(|(id, rel)| {
                let top = list(id);
                top.iter()
                    .take(5)
                    .filter(|i| rel.contains(i.as_str()))
                    .count() as f64
                    / 5.0
            })
            .sum();
        total / judged.len() as f64
    };
    let ids = |v: Vec<fihris_agreed::Similar>| v.into_iter().map(|s| s.id.to_string()).collect();
    println!();
    println!(
        "P@5 on {} judged provisions ({}):",
        judged.len(),
        path.display()
    );
    println!(
        "| served list (wording and meaning) | {:.3} |",
        p_at_5(&|id| dense.map_or_else(Vec::new, |d| ids(
            similar(wording, Some(d), id, 5).unwrap_or_default()
        )))
    );
    println!(
        "| wording alone | {:.3} |",
        p_at_5(&|id| ids(similar(wording, None, id, 5).unwrap_or_default()))
    );
    println!(
        "| meaning alone | {:.3} |",
        p_at_5(&|id| {
            dense.map_or_else(Vec::new, |d| {
                let own = id.to_string();
                d.vector(id)
                    .map(|v| d.nearest(v, 30))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(i, _)| i.to_string())
                    .filter(|i| {
                        i != &own
                            && !i.starts_with(&format!("{own}."))
                            && !own.starts_with(&format!("{i}."))
                    })
                    .collect()
            })
        })
    );
    Ok(())
}

/// Words of the benchmark's draft.
const DRAFT_WORDS: usize = 1000;

/// A draft of [`DRAFT_WORDS`] words made from the record, the same every
/// run: the first sentence of every fifth provision, every second one cut
/// short and given a new ending, and a sentence of new wording after every
/// fourth; cut at the last whole sentence within the count.
pub fn benchmark_draft(corpus: &Corpus) -> String {
    let new = "وتشجع الدول على تبادل الخبرات في إطار شبكات إقليمية جديدة للتعاون القضائي.";
    let mut out = String::new();
    let mut words = 0;
    for (n, p) in corpus.provisions.iter().step_by(5).enumerate() {
        let first = fihris_search::dense::sentences(&p.text)
            .first()
            .copied()
            .unwrap_or_default();
        let mut sentence: Vec<&str> = first.split_whitespace().collect();
        if n % 2 == 1 && sentence.len() > 8 {
            sentence.truncate(sentence.len() - 3);
            sentence.push("وفقاً للتشريعات الوطنية.");
        }
        let mut piece = sentence.join(" ");
        if n % 4 == 3 {
            piece = format!("{piece} {new}");
        }
        let line = format!("{}. {piece}\n", n + 1);
        let count = fihris_agreed::words::words(&line).len();
        if words + count > DRAFT_WORDS {
            break;
        }
        words += count;
        out.push_str(&line);
    }
    out
}

/// Times checking the benchmark's draft: cutting and ranking by wording
/// alone, embedding its clauses, and the whole check with meaning, beside
/// the wording ranked by brute force.
pub fn draft(corpus: &Corpus, rounds: usize) -> anyhow::Result<()> {
    use fihris_agreed::Draft;
    use fihris_view::DraftView;
    let text = benchmark_draft(corpus);
    let draft = Draft::with_limit(&text, usize::MAX).map_err(|e| anyhow::anyhow!(e.message()))?;
    let wording = Wording::new(corpus);
    let clauses = draft.clause_texts();
    let words: usize = clauses
        .iter()
        .map(|c| fihris_agreed::words::words(c).len())
        .sum();
    println!(
        "draft: {} bytes ({} KiB: above the 8 KiB a request takes, checked here whole), {words} words, {} clauses",
        text.len(),
        text.len() / 1024,
        clauses.len()
    );
    let dirs = [std::path::Path::new(&corpus.source.path)
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("vectors")];
    let engine = fihris_meaning::open(corpus, &[dirs[0].as_path()], &mut |step| {
        eprintln!("{step}")
    })?;
    let tokens: usize = engine.model().query_tokens(&clauses)?.iter().sum();
    println!("about {tokens} tokens (counted with the query prompt)");
    let time = |f: &dyn Fn()| {
        let mut ms = Vec::new();
        for _ in 0..rounds {
            let started = Instant::now();
            f();
            ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        p50_p99(ms)
    };
    println!("| what ({rounds} rounds) | p50 ms | max ms |");
    println!("|---|---|---|");
    let (p50, max) = time(&|| {
        let d = Draft::with_limit(&text, usize::MAX).expect("checked above");
        DraftView::of(corpus, &wording, &d, None, 3);
    });
    println!("| cut and rank by wording, with comparisons | {p50:.1} | {max:.1} |");
    let (p50, max) = time(&|| {
        for c in &clauses {
            wording.scores_brute_force(&shingles(c));
        }
    });
    println!("| wording scores of every clause, brute force (baseline) | {p50:.1} | {max:.1} |");
    let (p50, max) = time(&|| {
        engine
            .model()
            .embed_documents(&clauses)
            .expect("the model embeds");
    });
    let precision = fihris_meaning::precision_from_env()?;
    println!("| embed the clauses, Rust ({precision:?}, the default here) | {p50:.1} | {max:.1} |");
    let vectors = engine
        .model()
        .embed_documents(&clauses)
        .expect("the model embeds");
    let (p50, max) = time(&|| {
        let d = Draft::with_limit(&text, usize::MAX).expect("checked above");
        DraftView::of(
            corpus,
            &wording,
            &d,
            Some((engine.provisions(), &vectors)),
            3,
        );
    });
    println!(
        "| cut, rank by wording and meaning, compare (the clauses' vectors given) | {p50:.1} | {max:.1} |"
    );
    let check = || {
        let d = Draft::with_limit(&text, usize::MAX).expect("checked above");
        let v = engine
            .model()
            .embed_documents(&d.clause_texts())
            .expect("the model embeds");
        let view = DraftView::of(corpus, &wording, &d, Some((engine.provisions(), &v)), 3);
        assert_eq!(view.clauses.len(), clauses.len());
    };
    let (p50, max) = time(&check);
    println!("| whole check: cut, embed, rank, compare (target ≤ 2,000) | {p50:.1} | {max:.1} |");
    // A server's check comes after a pause, with the CPU's caches and
    // matrix unit gone cold.
    let mut cold = Vec::new();
    for _ in 0..rounds {
        std::thread::sleep(std::time::Duration::from_secs(3));
        let started = Instant::now();
        check();
        cold.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, max) = p50_p99(cold);
    println!("| the same, each after 3 s idle | {p50:.1} | {max:.1} |");
    if precision != fihris_embed::Precision::F32 {
        // The published f32 weights in the same run, for the ratio.
        use fihris_embed::{Embedder, Gemma, Precision, fetch};
        let dir = fetch::model_dir(&fetch::cache_dir());
        let f32 = Gemma::load_as(&dir, &fetch::fingerprint(&dir)?, Precision::F32)?;
        let (p50, max) = time(&|| {
            f32.embed_documents(&clauses).expect("the model embeds");
        });
        println!("| embed the clauses, Rust (F32) | {p50:.1} | {max:.1} |");
    }
    if let Ok(python) = std::env::var("FIHRIS_REFERENCE_PYTHON") {
        let ms = reference_embedding(&python, &clauses, rounds)?;
        let (p50, max) = p50_p99(ms);
        println!(
            "| embed the clauses, Python reference (sentence-transformers, torch, 2 threads, batches of 16) | {p50:.1} | {max:.1} |"
        );
    }
    Ok(())
}

/// Times the reuse pass over the whole record beside a brute-force
/// baseline (a word diff of every pair of provisions of different
/// sections, keeping equal stretches of at least eight words), and prints
/// every `sample_every`-th reuse for reading.
pub fn phrases(corpus: &Corpus, rounds: usize, sample_every: usize) -> anyhow::Result<()> {
    use fihris_agreed::phrases::{MIN_WORDS, Phrases, SEED_WORDS};
    let mut ms = Vec::new();
    let mut found = Phrases::default();
    for _ in 0..rounds {
        let started = Instant::now();
        found = Phrases::find(corpus);
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, max) = p50_p99(ms);
    let exact = found
        .formulations
        .iter()
        .flat_map(|f| &f.reuses)
        .filter(|r| r.exact)
        .count();
    println!(
        "{} formulations reused across sections, {} reuses ({exact} exact)",
        found.formulations.len(),
        found.reuse_count()
    );
    println!("| what ({rounds} rounds) | p50 ms | max ms |");
    println!("|---|---|---|");
    println!(
        "| reuse pass: {SEED_WORDS}-word seeds, runs, near-exact joins, formulations | {p50:.1} | {max:.1} |"
    );
    let started = Instant::now();
    let norms: Vec<Vec<String>> = corpus
        .provisions
        .iter()
        .map(|p| {
            fihris_agreed::words::words(&p.text)
                .into_iter()
                .map(|w| w.norm)
                .collect()
        })
        .collect();
    let mut pairs = 0usize;
    for (a, pa) in corpus.provisions.iter().enumerate() {
        for (b, pb) in corpus.provisions.iter().enumerate().skip(a + 1) {
            if pa.id.section == pb.id.section {
                continue;
            }
            let shared =
                similar::capture_diff_slices(similar::Algorithm::Myers, &norms[a], &norms[b])
                    .into_iter()
                    .any(|op| matches!(op, similar::DiffOp::Equal { len, .. } if len >= MIN_WORDS));
            pairs += usize::from(shared);
        }
    }
    println!(
        "| baseline: word diff of every pair of provisions of different sections (once) | {:.1} | |",
        started.elapsed().as_secs_f64() * 1000.0
    );
    println!("(baseline: {pairs} pairs share a run of {MIN_WORDS}+ words)");
    if sample_every > 0 {
        println!();
        let text = |o: &fihris_agreed::phrases::Occurrence| {
            corpus
                .provision(&o.id)
                .map(|p| p.text[o.bytes.clone()].to_owned())
                .unwrap_or_default()
        };
        let all: Vec<_> = found
            .formulations
            .iter()
            .flat_map(|f| f.reuses.iter().map(move |r| (f, r)))
            .collect();
        for (n, (f, r)) in all.iter().enumerate().step_by(sample_every) {
            println!(
                "#{n}\t{} → {}\t{}\t{} words\n  first: {}\n  reuse: {}",
                f.first.id,
                r.at.id,
                if r.exact { "exact" } else { "changed" },
                r.at.words,
                text(&f.first),
                text(&r.at)
            );
        }
    }
    Ok(())
}

/// Times `peers/draft_peer.py` embedding `texts` with the reference
/// implementation.
fn reference_embedding(python: &str, texts: &[&str], rounds: usize) -> anyhow::Result<Vec<f64>> {
    use std::io::Write;
    let model = fihris_embed::fetch::model_dir(&fihris_embed::fetch::cache_dir());
    let job = serde_json::json!({ "model": model, "texts": texts, "rounds": rounds });
    let script = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/draft_peer.py");
    let mut child = std::process::Command::new(python)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("stdin"))?
        .write_all(job.to_string().as_bytes())?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "{} failed", script.display());
    #[derive(serde::Deserialize)]
    struct Answer {
        ms: Vec<f64>,
    }
    Ok(serde_json::from_slice::<Answer>(&out.stdout)?.ms)
}
