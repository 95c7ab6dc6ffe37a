//! The topic register (`topics.toml` beside the source): the stable id and
//! the English label of each topic of the thematic index, fixed against the
//! label as the source prints it (or, for a topic whose label the source
//! lost, the line of its first row). An erratum that corrects or supplies
//! a label therefore never changes an id.
//!
//! ```toml
//! [[topic]]
//! label = "الضحايا، التعويضات"
//! id = "victims.compensation"
//! en = "Victims: compensation"
//! ```

use std::collections::HashSet;

use fihris_model::TopicId;
use serde::Deserialize;

use crate::errata::read_toml;
use crate::error::{ErrorKind, ParseError};

/// The register in force.
#[derive(Debug, Clone, Default)]
pub struct TopicRegister {
    entries: Vec<Entry>,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    topic: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    /// The label as printed (without «(تابع)»).
    #[serde(default)]
    label: Option<String>,
    /// For a topic whose label the source lost: the line of its first row.
    #[serde(default)]
    line: Option<u32>,
    id: String,
    en: String,
}

/// One registered topic.
#[derive(Debug, Clone)]
struct Entry {
    key: Key,
    id: TopicId,
    en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Label(String),
    Line(u32),
}

impl TopicRegister {
    /// Reads a register; `path` names it in errors. Every entry needs an
    /// id of the topic-id form, an English label, and exactly one of
    /// `label` and `line`; ids and keys are unique.
    pub fn from_toml(text: &str, path: &str) -> Result<TopicRegister, ParseError> {
        let file: File = read_toml(text, path, ErrorKind::Register)?;
        let fail = |message: String| ParseError {
            path: path.to_owned(),
            line: None,
            kind: ErrorKind::Register(message),
        };
        let mut ids = HashSet::new();
        let mut keys = HashSet::new();
        let mut entries = Vec::with_capacity(file.topic.len());
        for (k, e) in file.topic.into_iter().enumerate() {
            let n = k + 1;
            let key = match (e.label, e.line) {
                (Some(l), None) if !l.trim().is_empty() => Key::Label(l.trim().to_owned()),
                (None, Some(line)) => Key::Line(line),
                _ => {
                    return Err(fail(format!(
                        "topic {n} ({}): give exactly one of label and line",
                        e.id
                    )));
                }
            };
            let id: TopicId =
                e.id.parse()
                    .map_err(|err: fihris_model::IdError| fail(format!("topic {n}: {err}")))?;
            if e.en.trim().is_empty() {
                return Err(fail(format!(
                    "topic {n} ({id}): the English label is empty"
                )));
            }
            if !ids.insert(id.clone()) {
                return Err(fail(format!("topic {n}: the id {id} is used twice")));
            }
            if !keys.insert(key.clone()) {
                return Err(fail(format!(
                    "topic {n} ({id}): its label or line is registered twice"
                )));
            }
            entries.push(Entry { key, id, en: e.en });
        }
        Ok(TopicRegister { entries })
    }

    /// Whether no register is in force (ids are then transliterations of
    /// the labels, as a source without a register has them).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id and English label registered for the topic printed as
    /// `label` (empty if lost) whose rows start at `first_line`.
    pub(crate) fn find(&self, label: &str, first_line: u32) -> Option<(&TopicId, &str)> {
        let key = if label.is_empty() {
            Key::Line(first_line)
        } else {
            Key::Label(label.to_owned())
        };
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| (&e.id, e.en.as_str()))
    }
}
