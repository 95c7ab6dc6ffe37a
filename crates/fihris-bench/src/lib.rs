//! # fihris-bench
//!
//! fihris search measured against real peers in one run: retrieval quality
//! on the compendium's thematic index (`eval`), in-process latency and
//! speed at scale on a synthetic corpus (`scale`). The `fihris-bench`
//! binary prints the tables recorded in docs/benchmarks.md.
//!
//! Not part of the product: nothing here is used by the `fihris` binary.

pub mod eval;
pub mod load;
pub mod scale;
pub mod semantic;
