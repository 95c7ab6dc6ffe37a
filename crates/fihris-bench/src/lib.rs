//! # fihris-bench
//!
//! fihris search measured against real peers in one run: retrieval quality
//! on the compendium's thematic index (`eval`), in-process latency and
//! speed at scale on a synthetic corpus (`scale`), HTTP load (`load`),
//! meaning search beside Lucene 9 and the Python reference (`semantic`),
//! dense search at a million vectors (`ann`, with `--features ann`), and
//! similar provisions (`agreed`).
//! The `fihris-bench` binary prints the tables recorded in
//! docs/benchmarks.md.
//!
//! Not part of the product: nothing here is used by the `fihris` binary.

pub mod agreed;
#[cfg(feature = "ann")]
pub mod ann;
pub mod eval;
pub mod load;
pub mod oha;
pub mod scale;
pub mod semantic;
pub mod store;
pub mod suggest;
