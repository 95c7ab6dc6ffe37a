//! EmbeddingGemma-300M from a local sentence-transformers folder: its
//! tokenizer and prompts, and the network of [`crate::encoder`].

use std::path::Path;

use tokenizers::{Tokenizer, TruncationParams};

use crate::encoder::{Encoder, Precision};
use crate::{EmbedError, Embedder};

/// The prompt before a search query (the model's `query` prompt).
pub const QUERY_PROMPT: &str = "task: search result | query: ";
/// The prompt before a document (the model's `document` prompt).
pub const DOCUMENT_PROMPT: &str = "title: none | text: ";

/// Most tokens of a text (its prompt and the begin and end tokens
/// included). The model reads 2,048, but fihris reads no further than the
/// local layers' window, inside which every token sees every other one:
/// every provision of the compendium fits (the longest is 247 tokens with
/// its prompt), and a longer query is cut here, which the caller reports.
pub const MAX_TOKENS: usize = 256;

/// EmbeddingGemma-300M, loaded from a sentence-transformers folder
/// (`config.json`, `model.safetensors`, `tokenizer.json`, `2_Dense/`,
/// `3_Dense/`, …).
pub struct Gemma {
    tokenizer: Tokenizer,
    encoder: Encoder,
    fingerprint: String,
}

impl Gemma {
    /// Loads the model from `dir` at the default precision (bfloat16 on
    /// the AMX tile unit where there is one, else f32 as published);
    /// `weights` names its weights (see [`crate::fetch::fingerprint`]).
    pub fn load(dir: &Path, weights: &str) -> Result<Gemma, EmbedError> {
        Gemma::load_as(dir, weights, Precision::default())
    }

    /// Loads the model from `dir` with its weights held as `precision`.
    pub fn load_as(dir: &Path, weights: &str, precision: Precision) -> Result<Gemma, EmbedError> {
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            if !dir.join(file).is_file() {
                return Err(EmbedError::Missing {
                    dir: dir.to_owned(),
                    reason: format!("no {file}"),
                });
            }
        }
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| EmbedError::Model(format!("tokenizer.json: {e}")))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| EmbedError::Model(format!("tokenizer.json: {e}")))?;
        tokenizer.with_padding(None);
        let encoder = Encoder::load(dir, precision)?;
        Ok(Gemma {
            tokenizer,
            encoder,
            // Vectors are keyed by this: a change to how a precision
            // computes (q8's Dense layers went back to f32) gets a new key,
            // so vectors cached before it are not read back.
            fingerprint: match precision {
                Precision::F32 | Precision::Bf16 => weights.to_owned(),
                Precision::Q8 => format!("q8v2-{weights}"),
            },
        })
    }

    /// The token ids of `text` after `prompt`, cut at [`MAX_TOKENS`] (the
    /// end token kept).
    pub fn tokens(&self, prompt: &str, text: &str) -> Result<Vec<u32>, EmbedError> {
        self.tokenizer
            .encode(format!("{prompt}{text}"), true)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| EmbedError::Model(format!("tokenizer: {e}")))
    }

    /// The vectors of texts, each after its prompt, as one pack.
    fn embed(&self, texts: &[(&str, &str)]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|(prompt, t)| self.tokens(prompt, t))
            .collect::<Result<_, _>>()?;
        let ids: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        self.encoder.embed(&ids)
    }

    /// The vectors of texts, all after one prompt.
    fn embed_as(&self, prompt: &str, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let texts: Vec<(&str, &str)> = texts.iter().map(|t| (prompt, *t)).collect();
        self.embed(&texts)
    }
}

impl Embedder for Gemma {
    fn name(&self) -> &str {
        "embeddinggemma-300m"
    }

    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn dim(&self) -> usize {
        self.encoder.dim()
    }

    fn max_tokens(&self) -> usize {
        MAX_TOKENS
    }

    fn embed_queries(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_as(QUERY_PROMPT, texts)
    }

    fn embed_documents(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_as(DOCUMENT_PROMPT, texts)
    }

    /// One pack: the weights are read once for the query and the
    /// documents (for a query and its words, about half what a second
    /// pass for the words costs; docs/benchmarks.md).
    fn embed_query_and_documents(
        &self,
        query: &str,
        documents: &[&str],
    ) -> Result<(Vec<f32>, Vec<Vec<f32>>), EmbedError> {
        let texts: Vec<(&str, &str)> = std::iter::once((QUERY_PROMPT, query))
            .chain(documents.iter().map(|d| (DOCUMENT_PROMPT, *d)))
            .collect();
        let mut all = self.embed(&texts)?.into_iter();
        let q = all
            .next()
            .ok_or_else(|| EmbedError::Model("no vector for the query".into()))?;
        Ok((q, all.collect()))
    }

    fn query_tokens(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError> {
        texts
            .iter()
            .map(|t| self.tokens(QUERY_PROMPT, t).map(|ids| ids.len()))
            .collect()
    }
}
