//! # fihris-parse
//!
//! Reads the compendium's source text (the Arabic edition as extracted from
//! the PDF) into a [`fihris_model::Corpus`]: sections, provisions with
//! stable ids, footnotes attached where their markers stand, and
//! *findings* for everything the parser worked around or could not place.
//!
//! The source is never edited. A problem that makes the structure
//! unreadable (not text, truncated, a heading out of place) is a
//! [`ParseError`] with path and line; everything smaller is a finding.
//!
//! Not here: the thematic index (only its start is recognised), search,
//! storage, output formats.

mod body;
mod decode;
mod error;
mod headings;
mod text;

use std::path::Path;

use fihris_model::{Corpus, Source};
use sha2::{Digest, Sha256};

pub use error::{ErrorKind, Expected, ParseError};

/// Reads and parses the file at `path`.
pub fn parse_file(path: &Path) -> Result<Corpus, ParseError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ParseError {
        path: shown.clone(),
        line: None,
        kind: ErrorKind::Io(e.to_string()),
    })?;
    parse_bytes(&bytes, &shown)
}

/// Parses source bytes; `path` names them in errors and in the record.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<Corpus, ParseError> {
    let text = decode::decode(bytes, path)?;
    let body = body::read_body(text, path)?;
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    Ok(Corpus {
        source: Source {
            path: path.to_owned(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
            lines,
            index_start: body.index_start,
        },
        sections: body.sections,
        provisions: body.provisions,
        footnotes: body.footnotes,
        findings: body.findings,
    })
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
