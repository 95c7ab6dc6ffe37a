//! Reviewed errata: explicit corrections applied on top of the source
//! text, which itself is never edited. Read from `errata.toml` beside the
//! source. Each entry names the source line it applies to.
//!
//! ```toml
//! # The topic of the index rows starting at line 974 lost its label.
//! [[index_label]]
//! line = 974
//! label = "…"
//! note = "who reviewed it and on what evidence"
//! ```

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ErrorKind, ParseError};

/// Reads a TOML file of ours; an error names `path` and the line, and is
/// made by `kind` from the message.
pub(crate) fn read_toml<T: DeserializeOwned>(
    text: &str,
    path: &str,
    kind: fn(String) -> ErrorKind,
) -> Result<T, ParseError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .and_then(|l| u32::try_from(l).ok());
        ParseError {
            path: path.to_owned(),
            line,
            kind: kind(e.message().to_owned()),
        }
    })
}

/// The errata in force.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errata {
    /// Names for index topics whose labels the extraction lost.
    #[serde(default)]
    index_label: Vec<IndexLabel>,
}

/// A name for an unlabelled index topic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexLabel {
    /// First source line of the topic's rows.
    line: u32,
    /// The label to give it.
    label: String,
    /// Why (reviewer, evidence).
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

impl Errata {
    /// Reads an errata file; `path` names it in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<Errata, ParseError> {
        read_toml(text, path, ErrorKind::Errata)
    }

    /// The label an erratum gives the unlabelled topic starting at `line`.
    pub fn index_label(&self, line: u32) -> Option<&str> {
        self.index_label
            .iter()
            .find(|e| e.line == line)
            .map(|e| e.label.as_str())
    }
}
