//! # fihris-edit
//!
//! Editorial changes to the record and what they make of it: a
//! [`Change`] (a text corrected, a provision filed under a topic or taken
//! off one, a topic added) is checked against the record it applies to
//! ([`apply`]: an unknown provision or topic, an empty text, a filing
//! already there, a topic id taken are errors, in English and Arabic), and
//! two records are compared ([`diff`]: provisions added, removed and
//! changed, with a word-level comparison of the Arabic text, topics added,
//! filings made and taken off, meetings imported).
//!
//! The source text itself is never edited: an edition's record is its
//! texts parsed, then its changes applied, in order.
//!
//! Not here: storing changes (fihris-store), HTTP.

mod check;
mod import;

pub use check::{IndexCheck, index_check};

use fihris_agreed::{Run, compare};
use fihris_model::{Corpus, ProvisionId, SectionId, TopicId};
use fihris_parse::MeetingFile;
use serde::{Deserialize, Serialize};

/// One editorial change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// A provision's text corrected (the reason is kept with the change).
    CorrectText {
        /// The provision.
        id: String,
        /// Its new text.
        text: String,
    },
    /// A provision filed under a topic.
    File {
        /// The provision.
        id: String,
        /// The topic.
        topic: String,
    },
    /// A provision taken off a topic.
    Unfile {
        /// The provision.
        id: String,
        /// The topic.
        topic: String,
    },
    /// A topic added to the thematic index (no provision filed yet).
    AddTopic {
        /// Its id, e.g. `technology.online-recruitment`.
        topic: String,
        /// Its Arabic label.
        label: String,
        /// Its English label, if any.
        label_en: Option<String>,
    },
    /// A later meeting's recommendations, imported from a meeting file
    /// (see `fihris_parse::parse_meeting`): a new Part A section.
    ImportMeeting {
        /// The meeting's section, e.g. `A.10`.
        section: String,
        /// The file's name as given.
        file: String,
        /// The file's text, header included, as given.
        text: String,
    },
}

impl Change {
    /// The change's kind, as stored: `correct-text`, `file`, `unfile`.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::CorrectText { .. } => "correct-text",
            Change::File { .. } => "file",
            Change::Unfile { .. } => "unfile",
            Change::AddTopic { .. } => "add-topic",
            Change::ImportMeeting { .. } => "import-meeting",
        }
    }

    /// What it changes: the provision's id (a new topic's, for
    /// `add-topic`; the new section's, for `import-meeting`).
    pub fn target(&self) -> &str {
        match self {
            Change::CorrectText { id, .. }
            | Change::File { id, .. }
            | Change::Unfile { id, .. } => id,
            Change::AddTopic { topic, .. } => topic,
            Change::ImportMeeting { section, .. } => section,
        }
    }

    /// Whether the change alters provision texts (their cross-references
    /// must then be found again).
    pub fn changes_text(&self) -> bool {
        matches!(
            self,
            Change::CorrectText { .. } | Change::ImportMeeting { .. }
        )
    }

    /// The change that imports the meeting file `text` (named `file`), or
    /// why the file cannot be read (with its line), in both languages.
    pub fn import_meeting(file: &str, text: &str) -> Result<(Change, MeetingFile), EditError> {
        let meeting = fihris_parse::parse_meeting(text, file).map_err(|e| {
            error(
                format!("{}: {}", e.location(), e.message_en()),
                format!("{}: {}", e.location(), e.message_ar()),
            )
        })?;
        let change = Change::ImportMeeting {
            section: meeting.section.id.to_string(),
            file: file.to_owned(),
            text: text.to_owned(),
        };
        Ok((change, meeting))
    }
}

/// Why a change cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EditError {
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

pub(crate) fn error(message: String, message_ar: String) -> EditError {
    EditError {
        message,
        message_ar,
    }
}

/// What `change` replaces in `corpus` (the text before, the filing's
/// absence), for the audit log.
pub fn before(corpus: &Corpus, change: &Change) -> String {
    match change {
        Change::CorrectText { id, .. } => id
            .parse::<ProvisionId>()
            .ok()
            .and_then(|id| corpus.provision(&id))
            .map(|p| p.text.clone())
            .unwrap_or_default(),
        Change::File { .. }
        | Change::Unfile { .. }
        | Change::AddTopic { .. }
        | Change::ImportMeeting { .. } => String::new(),
    }
}

/// Applies `change` to `corpus`, or says why it cannot.
pub fn apply(corpus: &mut Corpus, change: &Change) -> Result<(), EditError> {
    apply_unlinked(corpus, change)?;
    if change.changes_text() {
        fihris_parse::relink(corpus);
    }
    Ok(())
}

/// Applies `changes` in order, finding the cross-references again once at
/// the end (not after each: an edition with many imported meetings is
/// rebuilt in one pass); on failure, the index of the change that failed
/// and why.
pub fn apply_all<'a>(
    corpus: &mut Corpus,
    changes: impl IntoIterator<Item = &'a Change>,
) -> Result<(), (usize, EditError)> {
    let mut relink = false;
    for (k, change) in changes.into_iter().enumerate() {
        apply_unlinked(corpus, change).map_err(|e| (k, e))?;
        relink |= change.changes_text();
    }
    if relink {
        fihris_parse::relink(corpus);
    }
    Ok(())
}

/// [`apply`] without finding the cross-references again.
fn apply_unlinked(corpus: &mut Corpus, change: &Change) -> Result<(), EditError> {
    if let Change::AddTopic {
        topic,
        label,
        label_en,
    } = change
    {
        return add_topic(corpus, topic, label, label_en.as_deref());
    }
    if let Change::ImportMeeting { file, text, .. } = change {
        let (_, meeting) = Change::import_meeting(file, text)?;
        return import::join(corpus, meeting);
    }
    let id: ProvisionId = change
        .target()
        .parse()
        .map_err(|e: fihris_model::IdError| {
            error(
                format!("{}: {}", e.input, e.reason),
                format!("معرّف غير صالح: {}", e.input),
            )
        })?;
    let Some(k) = corpus.provisions.iter().position(|p| p.id == id) else {
        return Err(error(
            format!("no provision {id}"),
            format!("لا يوجد حكم بالمعرّف {id}"),
        ));
    };
    match change {
        Change::CorrectText { text, .. } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(error(
                    format!("the new text of {id} is empty"),
                    format!("النص الجديد للحكم {id} فارغ"),
                ));
            }
            if corpus.provisions[k].text == text {
                return Err(error(
                    format!("the new text of {id} is the text it has"),
                    format!("النص الجديد للحكم {id} هو نصه الحالي"),
                ));
            }
            corpus.provisions[k].text = text.to_owned();
        }
        Change::AddTopic { .. } | Change::ImportMeeting { .. } => {}
        Change::File { topic, .. } | Change::Unfile { topic, .. } => {
            let topic_id: TopicId = topic.parse().map_err(|_| unknown_topic(topic))?;
            let t = corpus
                .topics
                .iter_mut()
                .find(|t| t.id == topic_id)
                .ok_or_else(|| unknown_topic(topic))?;
            let filed = t.provisions.iter().position(|p| *p == id);
            match (change, filed) {
                (Change::File { .. }, None) => t.provisions.push(id),
                (Change::Unfile { .. }, Some(at)) => {
                    t.provisions.remove(at);
                }
                (Change::File { .. }, Some(_)) => {
                    return Err(error(
                        format!("{id} is filed under {topic} already"),
                        format!("الحكم {id} مفهرس تحت هذا الموضوع أصلاً"),
                    ));
                }
                _ => {
                    return Err(error(
                        format!("{id} is not filed under {topic}"),
                        format!("الحكم {id} غير مفهرس تحت هذا الموضوع"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Adds topic `id` labelled `label`, unless its id is taken, not an id, or
/// the label is empty.
fn add_topic(
    corpus: &mut Corpus,
    id: &str,
    label: &str,
    label_en: Option<&str>,
) -> Result<(), EditError> {
    let topic: TopicId = id.parse().map_err(|_| {
        error(
            format!("{id:?} is not a topic id (lower-case letters, digits, - and .)"),
            format!("«{id}» ليس معرّف موضوع صالحاً"),
        )
    })?;
    if topic.to_string() != id {
        return Err(error(
            format!("{id:?} is not a topic id (lower-case letters, digits, - and .)"),
            format!("«{id}» ليس معرّف موضوع صالحاً"),
        ));
    }
    if corpus.topics.iter().any(|t| t.id == topic) {
        return Err(error(
            format!("topic {id} exists already"),
            format!("الموضوع {id} موجود أصلاً"),
        ));
    }
    let label = label.trim();
    if label.is_empty() {
        return Err(error(
            format!("topic {id} needs an Arabic label"),
            format!("يلزم عنوان عربي للموضوع {id}"),
        ));
    }
    corpus.topics.push(fihris_model::Topic {
        id: topic,
        label: label.to_owned(),
        label_en: label_en
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        former_ids: Vec::new(),
        path: vec![label.to_owned()],
        provisions: Vec::new(),
        rows: Vec::new(),
        unlabelled: false,
    });
    Ok(())
}

fn unknown_topic(topic: &str) -> EditError {
    error(
        format!("no topic {topic:?}"),
        format!("لا يوجد موضوع بالمعرّف «{topic}»"),
    )
}

/// What changed from one record to another.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditionDiff {
    /// Sections only in the second (an imported meeting).
    pub sections_added: Vec<SectionId>,
    /// Provisions only in the second.
    pub added: Vec<ProvisionId>,
    /// Provisions only in the first.
    pub removed: Vec<ProvisionId>,
    /// Provisions whose text changed, each with its text before and after
    /// in runs, what both share marked.
    pub changed: Vec<ChangedText>,
    /// Topics only in the second.
    pub topics_added: Vec<TopicId>,
    /// Filings only in the second.
    pub filed: Vec<Filing>,
    /// Filings only in the first.
    pub unfiled: Vec<Filing>,
}

/// A provision filed under a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filing {
    /// The provision.
    pub provision: ProvisionId,
    /// The topic.
    pub topic: TopicId,
}

/// A provision whose text changed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedText {
    /// The provision.
    pub id: ProvisionId,
    /// Its text before, in runs (shared with the text after marked).
    pub before: Vec<Run>,
    /// Its text after, in runs.
    pub after: Vec<Run>,
}

impl EditionDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.sections_added.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.topics_added.is_empty()
            && self.filed.is_empty()
            && self.unfiled.is_empty()
    }
}

/// The differences from record `a` to record `b`.
pub fn diff(a: &Corpus, b: &Corpus) -> EditionDiff {
    let mut out = EditionDiff {
        sections_added: b
            .sections
            .iter()
            .filter(|s| a.section(s.id).is_none())
            .map(|s| s.id)
            .collect(),
        ..EditionDiff::default()
    };
    for p in &b.provisions {
        match a.provision(&p.id) {
            None => out.added.push(p.id.clone()),
            Some(old) if old.text != p.text => {
                let (before, after) = compare(&old.text, &p.text);
                out.changed.push(ChangedText {
                    id: p.id.clone(),
                    before,
                    after,
                });
            }
            Some(_) => {}
        }
    }
    out.removed = a
        .provisions
        .iter()
        .filter(|p| b.provision(&p.id).is_none())
        .map(|p| p.id.clone())
        .collect();
    let filings = |c: &Corpus| -> Vec<Filing> {
        c.topics
            .iter()
            .flat_map(|t| {
                t.provisions.iter().map(|p| Filing {
                    provision: p.clone(),
                    topic: t.id.clone(),
                })
            })
            .collect()
    };
    out.topics_added = b
        .topics
        .iter()
        .filter(|t| !a.topics.iter().any(|o| o.id == t.id))
        .map(|t| t.id.clone())
        .collect();
    let (fa, fb) = (filings(a), filings(b));
    out.filed = fb.iter().filter(|f| !fa.contains(f)).cloned().collect();
    out.unfiled = fa.iter().filter(|f| !fb.contains(f)).cloned().collect();
    out
}
