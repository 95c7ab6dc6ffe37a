//! The vendored corpus built into the binary (listed by `build.rs`): the
//! source text, its errata, topic register and provenance, and the
//! committed vectors. So that every command works from any directory, it
//! is unpacked once — all of it, then renamed into place — into the cache
//! directory under a name made of its digest (`corpus-<hash>/`, computed
//! by `build.rs`), and read from there like any source; `--source PATH`
//! reads another.

use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The source text's file name.
pub const SOURCE_FILE: &str = "compendium-2021.ar.txt";

/// The path of the built-in source text, unpacked if it is not yet (into
/// the cache directory, else the temporary directory).
pub fn source() -> anyhow::Result<PathBuf> {
    let name = format!("corpus-{DIGEST}");
    let mut tried = Vec::new();
    for base in [
        fihris_embed::fetch::cache_dir(),
        std::env::temp_dir().join("fihris"),
    ] {
        let dir = base.join(&name);
        match unpacked(&dir) {
            Ok(()) => return Ok(dir.join(SOURCE_FILE)),
            Err(e) => tried.push(format!("{}: {e}", dir.display())),
        }
    }
    anyhow::bail!(
        "cannot unpack the built-in corpus ({}): set FIHRIS_CACHE_DIR to a writable directory or pass --source PATH — تعذّر فك النص المدمج",
        tried.join("; ")
    )
}

/// Whether `dir` holds every built-in file at its size.
fn complete(dir: &Path) -> bool {
    FILES.iter().all(|(name, bytes)| {
        std::fs::metadata(dir.join(name)).is_ok_and(|m| m.len() == bytes.len() as u64)
    })
}

/// Makes sure `dir` holds the built-in files: written into a directory of
/// this process, then renamed to `dir`, so no reader sees a part of them.
fn unpacked(dir: &Path) -> std::io::Result<()> {
    if complete(dir) {
        return Ok(());
    }
    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
    for (name, bytes) in FILES {
        let path = partial.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)?;
    }
    // A directory left incomplete by a killed process is replaced.
    if dir.exists() && !complete(dir) {
        std::fs::remove_dir_all(dir)?;
    }
    match std::fs::rename(&partial, dir) {
        Ok(()) => Ok(()),
        // Another process put it in place first.
        Err(_) if complete(dir) => std::fs::remove_dir_all(&partial),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Err(e)
        }
    }
}
