//! Parsing the whole compendium, measured beside two peers on the same
//! bytes in the same run: the floor (UTF-8 validation and line split, the
//! least any reader of this text must do) and loading the same record from
//! its own JSON export with serde_json (what a consumer of the export pays).
//!
//! Run: `cargo bench -p fihris-parse --bench parse`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};

fn corpus() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    std::fs::read(path).expect("vendored corpus")
}

fn bench(c: &mut Criterion) {
    let bytes = corpus();
    let record = fihris_parse::parse_bytes(&bytes, "corpus").expect("parse");
    let json = serde_json::to_string(&record).expect("json");
    let mut group = c.benchmark_group("compendium");
    group.bench_function("fihris parse (source text → record)", |b| {
        b.iter(|| {
            fihris_parse::parse_bytes(black_box(&bytes), "corpus").map(|c| c.provisions.len())
        })
    });
    group.bench_function("floor: utf-8 check + line split", |b| {
        b.iter(|| std::str::from_utf8(black_box(&bytes)).map(|t| t.lines().count()))
    });
    group.bench_function("peer: serde_json load of the export", |b| {
        b.iter(|| {
            serde_json::from_str::<serde_json::Value>(black_box(&json)).map(|v| v.is_object())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
