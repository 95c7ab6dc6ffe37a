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
mod errata;
mod error;
mod headings;
pub mod index;
mod link;
mod text;

use std::collections::HashSet;
use std::path::Path;

use fihris_model::{Corpus, ProvisionId, Source};
use sha2::{Digest, Sha256};

pub use errata::Errata;
pub use error::{ErrorKind, Expected, ParseError};

/// Name of the errata file looked for beside the source.
pub const ERRATA_FILE: &str = "errata.toml";

fn read(path: &Path) -> Result<Vec<u8>, ParseError> {
    std::fs::read(path).map_err(|e| ParseError {
        path: path.display().to_string(),
        line: None,
        kind: ErrorKind::Io(e.to_string()),
    })
}

/// Reads and parses the file at `path`, applying the errata file beside it
/// (`errata.toml`) if there is one.
pub fn parse_file(path: &Path) -> Result<Corpus, ParseError> {
    let bytes = read(path)?;
    let errata_path = path.with_file_name(ERRATA_FILE);
    let errata = if errata_path.is_file() {
        let raw = read(&errata_path)?;
        let shown = errata_path.display().to_string();
        let text = decode::decode(&raw, &shown).or_else(|e| match e.kind {
            ErrorKind::Empty => Ok(""),
            _ => Err(e),
        })?;
        Errata::from_toml(text, &shown)?
    } else {
        Errata::default()
    };
    parse_with(&bytes, &path.display().to_string(), &errata)
}

/// Parses source bytes without errata; `path` names them in errors and in
/// the record.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<Corpus, ParseError> {
    parse_with(bytes, path, &Errata::default())
}

/// Parses source bytes with the given errata.
pub fn parse_with(bytes: &[u8], path: &str, errata: &Errata) -> Result<Corpus, ParseError> {
    let text = decode::decode(bytes, path)?;
    let mut body = body::read_body(text, path)?;
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    let existing: HashSet<&ProvisionId> = body.provisions.iter().map(|p| &p.id).collect();
    let (start, end) = (body.index_start, body.index_end);
    let index_lines = decode::numbered_lines(text).filter(|(n, _)| *n > start && *n < end);
    let mut index = index::read_index(index_lines, &existing, errata);
    let check = index::cross_check(&mut index.rows);
    for section in &mut body.sections {
        section.symbol = check.symbols.get(&section.id).cloned();
    }
    let xrefs = link::link(&body.provisions, &body.sections, &check.reports);
    let mut findings = body.findings;
    findings.extend(index.findings);
    findings.extend(check.findings);
    findings.sort_by_key(|f| f.line);
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
        topics: index.topics,
        index: index.rows.into_iter().map(|r| r.row).collect(),
        reports: check.reports,
        xrefs,
        findings,
    })
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
