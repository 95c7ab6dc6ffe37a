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
//! The thematic index is read here too (`index`): its rows become topics
//! with the provisions they file, checked against the report columns.
//! Topic ids and English labels come from the reviewed topic register
//! (`topics.toml`), corrections from the errata file (`errata.toml`), both
//! beside the source.
//!
//! A later meeting's recommendations, in a file of their own behind a
//! small header, are read by the same rules (`parse_meeting`), to be
//! imported into a later edition.
//!
//! Not here: search, output formats, HTTP.

mod body;
mod decode;
mod errata;
mod error;
mod headings;
mod index;
mod link;
mod meeting;
mod register;
mod text;

use std::collections::HashSet;
use std::path::Path;

use fihris_model::{Corpus, ProvisionId, Source};
use sha2::{Digest, Sha256};

pub use errata::Errata;
pub use error::{ErrorKind, Expected, ParseError};
pub use meeting::{MAX_MEETING_BYTES, MeetingFile, parse_meeting};
pub use register::TopicRegister;

/// Name of the errata file looked for beside the source.
pub const ERRATA_FILE: &str = "errata.toml";
/// Name of the topic register looked for beside the source.
pub const REGISTER_FILE: &str = "topics.toml";

fn read(path: &Path) -> Result<Vec<u8>, ParseError> {
    std::fs::read(path).map_err(|e| ParseError {
        path: path.display().to_string(),
        line: None,
        kind: ErrorKind::Io(e.to_string()),
    })
}

/// Reads a TOML file of ours beside the source, if there is one (an empty
/// file counts as none).
fn beside<T: Default>(
    source: &Path,
    name: &str,
    read_toml: impl FnOnce(&str, &str) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    let path = source.with_file_name(name);
    if !path.is_file() {
        return Ok(T::default());
    }
    let raw = read(&path)?;
    let shown = path.display().to_string();
    match decode::decode(&raw, &shown) {
        Ok(text) => read_toml(text, &shown),
        Err(e) if matches!(e.kind, ErrorKind::Empty) => Ok(T::default()),
        Err(e) => Err(e),
    }
}

/// Reads and parses the file at `path`, applying the errata file
/// (`errata.toml`) and the topic register (`topics.toml`) beside it if
/// they are there.
pub fn parse_file(path: &Path) -> Result<Corpus, ParseError> {
    let bytes = read(path)?;
    let errata = beside(path, ERRATA_FILE, Errata::from_toml)?;
    let register = beside(path, REGISTER_FILE, TopicRegister::from_toml)?;
    parse_with(&bytes, &path.display().to_string(), &errata, &register)
}

/// Finds the cross-references of `corpus` again, after its texts changed
/// (an editorial correction): the same pass the parser runs.
pub fn relink(corpus: &mut Corpus) {
    corpus.xrefs = link::link(&corpus.provisions, &corpus.sections, &corpus.reports);
}

/// Parses texts held elsewhere (the editorial store): the source, and the
/// errata and topic register if any, each as (name, text); the names
/// stand in errors and in the record as paths would.
pub fn parse_texts(
    source: (&str, &str),
    errata: Option<(&str, &str)>,
    register: Option<(&str, &str)>,
) -> Result<Corpus, ParseError> {
    let errata = match errata {
        Some((name, text)) => Errata::from_toml(text, name)?,
        None => Errata::default(),
    };
    let register = match register {
        Some((name, text)) => TopicRegister::from_toml(text, name)?,
        None => TopicRegister::default(),
    };
    parse_with(source.1.as_bytes(), source.0, &errata, &register)
}

/// Parses source bytes without errata or register (topic ids are then
/// transliterations of the labels); `path` names them in errors and in the
/// record.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<Corpus, ParseError> {
    parse_with(bytes, path, &Errata::default(), &TopicRegister::default())
}

/// Parses source bytes with the given errata and topic register.
pub fn parse_with(
    bytes: &[u8],
    path: &str,
    errata: &Errata,
    register: &TopicRegister,
) -> Result<Corpus, ParseError> {
    let text = decode::decode(bytes, path)?;
    let mut body = body::read_body(text, path)?;
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    let existing: HashSet<&ProvisionId> = body.provisions.iter().map(|p| &p.id).collect();
    let (start, end) = (body.index_start, body.index_end);
    let index_lines = decode::numbered_lines(text).filter(|(n, _)| *n > start && *n < end);
    let mut index = index::read_index(index_lines, &existing, errata, register);
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
