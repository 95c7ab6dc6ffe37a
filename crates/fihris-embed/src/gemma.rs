//! EmbeddingGemma-300M from a local sentence-transformers folder.

use std::path::Path;

use candding::TextEmbedding;

use crate::{EmbedError, Embedder};

/// The registry id whose descriptor (prompts, Dense layers, pooling) the
/// local folder is loaded with: without it the prompts would be dropped.
const REGISTRY_ID: &str = "google/embeddinggemma-300m";

/// Most tokens of a text (its prompt included). The model reads 2,048, but
/// past its 257-token attention window candle's forward pass drifts from
/// the reference (cosine 0.997 at 310–321 tokens, measured by the parity
/// test before this cap), so fihris reads no further: every provision of the
/// compendium fits (the longest is 247 tokens with its prompt), and a longer
/// query is cut here, which the caller reports.
pub const MAX_TOKENS: usize = 256;

/// EmbeddingGemma-300M, loaded from a sentence-transformers folder
/// (`config.json`, `model.safetensors`, `tokenizer.json`, `2_Dense/`,
/// `3_Dense/`, …).
pub struct Gemma {
    model: TextEmbedding,
    fingerprint: String,
}

impl Gemma {
    /// Loads the model from `dir`; `fingerprint` names its weights (see
    /// [`crate::fetch::fingerprint`]).
    pub fn load(dir: &Path, fingerprint: &str) -> Result<Gemma, EmbedError> {
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            if !dir.join(file).is_file() {
                return Err(EmbedError::Missing {
                    dir: dir.to_owned(),
                    reason: format!("no {file}"),
                });
            }
        }
        let descriptor = candding::registry::dense::lookup(REGISTRY_ID)
            .ok_or_else(|| EmbedError::Model(format!("candding does not know {REGISTRY_ID}")))?;
        let model = TextEmbedding::builder(dir.display().to_string())
            .descriptor(descriptor)
            .max_length(MAX_TOKENS)
            .batch_size(8)
            .build()
            .map_err(|e| EmbedError::Model(e.to_string()))?;
        Ok(Gemma {
            model,
            fingerprint: fingerprint.to_owned(),
        })
    }
}

fn model_error(e: candding::CanddingError) -> EmbedError {
    EmbedError::Model(e.to_string())
}

impl Embedder for Gemma {
    fn name(&self) -> &str {
        "embeddinggemma-300m"
    }

    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn dim(&self) -> usize {
        self.model.dim()
    }

    fn max_tokens(&self) -> usize {
        self.model.max_length()
    }

    fn embed_queries(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.model.query_embed(texts, None).map_err(model_error)
    }

    fn embed_documents(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.model.passage_embed(texts, None).map_err(model_error)
    }

    fn query_tokens(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError> {
        self.model.query_token_count(texts).map_err(model_error)
    }
}
