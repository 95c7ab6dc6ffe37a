//! Agreed language: the time to list a provision's similar provisions
//! (with the word comparisons the API returns), through the shingles'
//! postings beside comparing with every provision one by one.

use std::time::Instant;

use fihris_agreed::similar::{Wording, shingles};
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
    Ok(())
}
