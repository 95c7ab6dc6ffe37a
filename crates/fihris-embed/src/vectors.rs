//! Document vectors on disk, keyed by the model that made them and the
//! texts they were made of: a cache that is only ever read back for the
//! same model fingerprint and the same texts ([`content_hash`]).
//!
//! Format (little-endian): `FIHRISV1`, the dimension and the count as u32,
//! the model fingerprint and the record hash as 64 hex bytes each, the ids
//! one per line (their byte length first, as u32), then the vectors as f32.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{EmbedError, Embedder};

/// SHA-256 (hex) of documents (id, text), in order: the key of their
/// vectors.
pub fn content_hash(docs: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (id, text) in docs {
        h.update(id.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The file name of the vectors of `kind` (`provisions`, `sentences`, …)
/// made by `model` of documents with `content` hash.
pub fn file_name(kind: &str, model: &str, content: &str) -> String {
    format!(
        "{kind}-{}-{}.bin",
        &model[..model.len().min(12)],
        &content[..content.len().min(12)]
    )
}

/// Where vectors came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Read from this file.
    Read(PathBuf),
    /// Computed, then cached in this file.
    Cached(PathBuf),
    /// Computed, but the cache could not be written (why).
    NotCached(String),
}

/// The vectors of `docs`: read from the first of `dirs` (then `write_to`)
/// that holds them (same model, same texts), else computed and written to
/// `write_to`. `progress` hears how many are done when computing.
pub fn load_or_compute(
    embedder: &dyn Embedder,
    kind: &str,
    docs: &[(String, String)],
    dirs: &[&Path],
    write_to: &Path,
    progress: impl FnMut(usize),
) -> Result<(Vectors, Origin), EmbedError> {
    if let Some((v, path)) = find(
        kind,
        embedder.fingerprint(),
        docs,
        &[dirs, &[write_to]].concat(),
    ) {
        return Ok((v, Origin::Read(path)));
    }
    let content = content_hash(docs);
    let v = Vectors::compute(embedder, &content, docs, progress)?;
    let path = write_to.join(file_name(kind, embedder.fingerprint(), &content));
    let origin = match fs::create_dir_all(write_to).and_then(|()| v.save(&path)) {
        Ok(()) => Origin::Cached(path),
        Err(e) => Origin::NotCached(format!("{}: {e}", path.display())),
    };
    Ok((v, origin))
}

/// The stored vectors of `docs` made by the model `model` (its
/// fingerprint), from the first of `dirs` that has them, with the file
/// they came from; no model is needed.
pub fn find(
    kind: &str,
    model: &str,
    docs: &[(String, String)],
    dirs: &[&Path],
) -> Option<(Vectors, PathBuf)> {
    let content = content_hash(docs);
    let name = file_name(kind, model, &content);
    dirs.iter().find_map(|dir| {
        let path = dir.join(&name);
        Vectors::load(&path, model, &content).map(|v| (v, path))
    })
}

const MAGIC: &[u8; 8] = b"FIHRISV1";

/// Vectors of documents by id, as one model made them from one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    /// SHA-256 of the model's weights.
    pub model: String,
    /// What they were made of: the [`content_hash`] of the documents.
    pub record: String,
    /// Length of each vector.
    pub dim: usize,
    /// Document ids, in order.
    pub ids: Vec<String>,
    /// The vectors, `dim` floats each, in the order of `ids`.
    pub data: Vec<f32>,
}

impl Vectors {
    /// Embeds `docs` (id, text) with `embedder`, `batch` at a time;
    /// `progress` hears how many are done.
    pub fn compute(
        embedder: &dyn Embedder,
        record: &str,
        docs: &[(String, String)],
        mut progress: impl FnMut(usize),
    ) -> Result<Vectors, EmbedError> {
        let mut data = Vec::with_capacity(docs.len() * embedder.dim());
        for (k, chunk) in docs.chunks(8).enumerate() {
            let texts: Vec<&str> = chunk.iter().map(|(_, t)| t.as_str()).collect();
            for v in embedder.embed_documents(&texts)? {
                data.extend(v);
            }
            progress((k * 8 + chunk.len()).min(docs.len()));
        }
        Ok(Vectors {
            model: embedder.fingerprint().to_owned(),
            record: record.to_owned(),
            dim: embedder.dim(),
            ids: docs.iter().map(|(id, _)| id.clone()).collect(),
            data,
        })
    }

    /// The vector of document `k`.
    pub fn get(&self, k: usize) -> &[f32] {
        &self.data[k * self.dim..(k + 1) * self.dim]
    }

    /// Writes the vectors to `path` (through a temporary file, renamed).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut out = Vec::with_capacity(self.data.len() * 4 + self.ids.len() * 16 + 160);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&u32::try_from(self.dim).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(
            &u32::try_from(self.ids.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for key in [&self.model, &self.record] {
            let mut k = key.as_bytes().to_vec();
            k.resize(64, b' ');
            out.extend_from_slice(&k[..64]);
        }
        for id in &self.ids {
            out.extend_from_slice(&u32::try_from(id.len()).unwrap_or(u32::MAX).to_le_bytes());
            out.extend_from_slice(id.as_bytes());
        }
        for x in &self.data {
            out.extend_from_slice(&x.to_le_bytes());
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("partial");
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&out)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    }

    /// Reads vectors written by [`Vectors::save`]; `None` if the file is
    /// missing, damaged, or made by another model or of another record.
    pub fn load(path: &Path, model: &str, record: &str) -> Option<Vectors> {
        let bytes = fs::read(path).ok()?;
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        if r.take(8)? != MAGIC {
            return None;
        }
        let dim = r.u32()? as usize;
        let count = r.u32()? as usize;
        let got_model = String::from_utf8(r.take(64)?.to_vec()).ok()?;
        let got_record = String::from_utf8(r.take(64)?.to_vec()).ok()?;
        if got_model.trim() != model || got_record.trim() != record || dim == 0 {
            return None;
        }
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            let n = r.u32()? as usize;
            ids.push(String::from_utf8(r.take(n)?.to_vec()).ok()?);
        }
        let floats = r.take(count.checked_mul(dim)?.checked_mul(4)?)?;
        if r.at != bytes.len() {
            return None;
        }
        let data = floats
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Vectors {
            model: model.to_owned(),
            record: record.to_owned(),
            dim,
            ids,
            data,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let v = Vectors {
            model: "m".repeat(64),
            record: "r".repeat(64),
            dim: 2,
            ids: vec!["A.1.1".into(), "B.5.pp11".into()],
            data: vec![0.5, -1.0, 0.25, 2.0],
        };
        let path = std::env::temp_dir().join(format!("fihris-vectors-{}.bin", std::process::id()));
        v.save(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Vectors::load(&path, &v.model, &v.record), Some(v.clone()));
        assert_eq!(v.get(1), &[0.25, 2.0]);
        assert_eq!(
            Vectors::load(&path, "other", &v.record),
            None,
            "another model"
        );
        assert_eq!(
            Vectors::load(&path, &v.model, "other"),
            None,
            "another record"
        );
        let mut bytes = fs::read(&path).unwrap_or_default();
        bytes.truncate(bytes.len() - 1);
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Vectors::load(&path, &v.model, &v.record), None, "truncated");
        fs::remove_file(&path).ok();
    }
}
