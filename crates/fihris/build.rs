//! Lists the vendored corpus for `src/bundled.rs`: every file at the top
//! of `corpus/` (the source text, its errata, topic register and
//! provenance) and the committed vectors in `corpus/vectors/`, each built
//! into the binary with `include_bytes!`, and a digest of them all (FNV-1a,
//! 64 bits: it names the directory they are unpacked into, so it is
//! computed here once rather than by every command). The test texts in
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

/// FNV-1a over `bytes`, continuing from `hash`.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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
    let mut digest = 0xcbf2_9ce4_8422_2325_u64;
    for (prefix, path) in top.chain(vecs) {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        digest = fnv1a(digest, format!("{prefix}{name}").as_bytes());
        digest = fnv1a(digest, &[0]);
        digest = fnv1a(digest, &bytes);
        let _ = writeln!(
            out,
            "    ({:?}, include_bytes!({:?})),",
            format!("{prefix}{name}"),
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "/// A digest of [`FILES`], names and bytes (FNV-1a, 64 bits, hex).\npub const DIGEST: &str = \"{digest:016x}\";"
    );
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it")).join("bundled.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
