//! Parity with the reference implementation: for ~45 fixed texts (queries in
//! the six UN languages and others, Arabic provisions short and long, a
//! text past the model's sliding window, emoji), the token ids and vectors
//! that sentence-transformers computed (`reference/reference.py`, committed
//! in `tests/fixtures/parity.json`) are what fihris-embed computes: the same
//! ids, cosine ≥ 0.999. Texts longer than [`fihris_embed::MAX_TOKENS`] are
//! cut there by both.
//!
//! Needs the model (`fihris model fetch`, or `FIHRIS_MODEL_DIR`); without it
//! the test fails and says so, unless `FIHRIS_SKIP_MODEL=1` skips it on
//! purpose.

#![allow(clippy::unwrap_used)]

use fihris_embed::{Embedder, Gemma, dot, fetch};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    prompts: std::collections::HashMap<String, String>,
    texts: Vec<Text>,
}

#[derive(Deserialize)]
struct Text {
    kind: String,
    text: String,
    ids: Vec<u32>,
    vector: Vec<f32>,
}

#[test]
fn the_same_tokens_and_vectors_as_sentence_transformers() {
    if std::env::var_os("FIHRIS_SKIP_MODEL").is_some() {
        eprintln!("FIHRIS_SKIP_MODEL is set: parity test skipped");
        return;
    }
    let dir = fetch::model_dir(&fetch::cache_dir());
    assert!(
        dir.join("model.safetensors").is_file(),
        "no model in {}: run `fihris model fetch` (or set FIHRIS_MODEL_DIR, or FIHRIS_SKIP_MODEL=1)",
        dir.display()
    );
    let fixture: Fixture = serde_json::from_str(include_str!("fixtures/parity.json")).unwrap();
    assert!(fixture.texts.len() >= 45);
    let model = Gemma::load(&dir, &fetch::fingerprint(&dir).unwrap()).unwrap();
    let tokenizer = tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
    let mut worst = 1.0f32;
    let mut low = Vec::new();
    for t in &fixture.texts {
        let prompt = &fixture.prompts[if t.kind == "query" {
            "query"
        } else {
            "document"
        }];
        let enc = tokenizer
            .encode(format!("{prompt}{}", t.text), true)
            .unwrap();
        let mut ids = enc.get_ids().to_vec();
        ids.truncate(model.max_tokens());
        if ids.len() == model.max_tokens() {
            // Truncation keeps the end-of-sequence token, as the reference does.
            if let (Some(last), Some(eos)) = (ids.last_mut(), enc.get_ids().last()) {
                *last = *eos;
            }
        }
        assert_eq!(ids, t.ids, "token ids of {:?}", short(&t.text));
        let v = if t.kind == "query" {
            model.embed_queries(&[&t.text]).unwrap()
        } else {
            model.embed_documents(&[&t.text]).unwrap()
        };
        assert_eq!(v[0].len(), 768);
        let cos = dot(&v[0], &t.vector);
        worst = worst.min(cos);
        eprintln!("{cos:.6} {:>5} tokens  {:?}", ids.len(), short(&t.text));
        if cos < 0.999 {
            low.push(format!(
                "cosine {cos} for {:?} ({} tokens)",
                short(&t.text),
                ids.len()
            ));
        }
    }
    eprintln!("{} texts, lowest cosine {worst:.6}", fixture.texts.len());
    assert!(low.is_empty(), "{low:#?}");
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}
