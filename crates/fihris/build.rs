//! Lists the vendored corpus for `src/bundled.rs`: every file at the top
//! of `corpus/` (the source text, its errata, topic register and
//! provenance) and the committed vectors in `corpus/vectors/`, each built
//! into the binary with `include_bytes!`. The test texts in
//! `corpus/synthetic/` stay out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let corpus = manifest.join("../../corpus");
    let vectors = corpus.join("vectors");
    println!("cargo:rerun-if-changed={}", corpus.display());
    println!("cargo:rerun-if-changed={}", vectors.display());
    let mut out = String::from(
        "/// The vendored corpus: (path under `corpus/`, bytes), in path order.\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    let top = files_in(&corpus).into_iter().map(|p| (String::new(), p));
    let vecs = files_in(&vectors)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .map(|p| ("vectors/".to_owned(), p));
    for (prefix, path) in top.chain(vecs) {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        let _ = writeln!(
            out,
            "    ({:?}, include_bytes!({:?})),",
            format!("{prefix}{name}"),
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it")).join("bundled.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
