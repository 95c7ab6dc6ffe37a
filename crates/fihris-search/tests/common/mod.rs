//! What the search tests share: the real corpus and its index, built once
//! per test binary.

use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_model::Corpus;
use fihris_search::{SearchIndex, docs_of};

/// The vendored compendium, parsed.
pub static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
});

/// Its search index, in memory.
pub static INDEX: LazyLock<SearchIndex> =
    LazyLock::new(|| SearchIndex::build(docs_of(&CORPUS), None, |_| {}).expect("index"));
