//! The checked writes: who writes (a key and its role), whether the draft
//! is still as the writer saw it (its tag), and whether the change applies
//! to the draft's record — then the change stored, audited, in one
//! transaction. And what the draft is now.

use std::path::{Path, PathBuf};

use fihris_edit::{Change, EditError, EditionDiff, IndexCheck};
use fihris_store::postgres_error;
use fihris_store::{Edition, KeyHolder, Role, StoreError};
use serde::Serialize;

use crate::{Location, connect, record_of_edition, seeded};

/// The editorial path of one store.
pub struct Editor {
    at: Location,
    source: PathBuf,
}

/// Why a write was not made. Nothing is stored in any of these cases.
#[derive(Debug)]
pub enum WriteError {
    /// No key, or a key the store does not know.
    Unauthorized,
    /// A key whose role may not do this.
    Forbidden {
        /// The key's role.
        role: Role,
        /// The role needed.
        needed: Role,
    },
    /// The draft changed since the writer's tag.
    Stale {
        /// The draft's tag now.
        current: String,
    },
    /// The change does not apply (an unknown provision or topic, a
    /// malformed meeting file, …), in both languages.
    Refused(EditError),
    /// The store failed.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> WriteError {
        WriteError::Failed(e)
    }
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> WriteError {
        match e {
            StoreError::Stale { current } => WriteError::Stale { current },
            // Two writers at once on PostgreSQL: the one that lost is told
            // to reload, as with a stale tag.
            StoreError::Postgres(ref p)
                if p.code() == Some(&postgres_error::SqlState::T_R_SERIALIZATION_FAILURE)
                    || p.code() == Some(&postgres_error::SqlState::UNIQUE_VIOLATION) =>
            {
                WriteError::Stale {
                    current: "changed by a concurrent write".into(),
                }
            }
            StoreError::Exists(name) => WriteError::Refused(EditError {
                message: format!("edition {name:?} exists already"),
                message_ar: format!("النسخة «{name}» موجودة أصلاً"),
            }),
            StoreError::Missing(what) => WriteError::Refused(EditError {
                message: what,
                message_ar: "الطلب ناقص أو لا ينطبق على المخزن".into(),
            }),
            other => WriteError::Failed(other.into()),
        }
    }
}

/// One change of the draft, as listed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEntry {
    /// `correct-text`, `file`, `unfile`, `add-topic`, `import-meeting`.
    pub kind: String,
    /// The provision, topic or section it changes.
    pub target: String,
    /// Why.
    pub reason: String,
}

/// The draft as it is now.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftState {
    /// Its tag: send it back as `If-Match` with the next write.
    pub tag: String,
    /// The latest published edition, which the draft continues.
    pub base: String,
    /// Whether a draft is open (else the next change opens one).
    pub open: bool,
    /// Its changes, in order.
    pub changes: Vec<ChangeEntry>,
    /// What it changes from the latest edition.
    pub diff: EditionDiff,
    /// The cross-check of the thematic index against its text.
    pub checks: Vec<IndexCheck>,
    /// The provisions the draft adds (an imported meeting's), with their
    /// texts and the topics they are filed under so far.
    pub added: Vec<AddedProvision>,
}

/// A provision the draft adds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedProvision {
    /// Its id.
    pub id: fihris_model::ProvisionId,
    /// Its text.
    pub text: String,
    /// The topics it is filed under in the draft.
    pub topics: Vec<fihris_model::TopicId>,
}

impl Editor {
    /// The editorial path of the store at `at`, seeded from `source`.
    pub fn new(at: Location, source: &Path) -> Editor {
        Editor {
            at,
            source: source.to_path_buf(),
        }
    }

    /// The holder of `key`, if it may act as `needed`.
    pub fn holder(&self, key: Option<&str>, needed: Role) -> Result<KeyHolder, WriteError> {
        let key = key.ok_or(WriteError::Unauthorized)?;
        // Keys live in the store as it is: no seeding to check one.
        let store = connect(&self.at)?;
        let holder = store.key_holder(key)?.ok_or(WriteError::Unauthorized)?;
        if holder.role < needed {
            return Err(WriteError::Forbidden {
                role: holder.role,
                needed,
            });
        }
        Ok(holder)
    }

    /// The draft now: its tag, changes, differences and index checks.
    pub fn draft(&self) -> anyhow::Result<DraftState> {
        let store = seeded(&self.at, &self.source)?;
        let tag = store.tag()?;
        let base = store
            .latest()?
            .ok_or_else(|| anyhow::anyhow!("no published edition"))?;
        let before = record_of_edition(&store, &base)?;
        let draft = store.edition("draft")?;
        let (after, changes) = match &draft {
            Some(d) => (
                record_of_edition(&store, d)?,
                store
                    .changes(d)?
                    .into_iter()
                    .map(|(kind, target, _, reason)| ChangeEntry {
                        kind,
                        target,
                        reason,
                    })
                    .collect(),
            ),
            None => (before.clone(), Vec::new()),
        };
        let diff = fihris_edit::diff(&before, &after);
        let added = diff
            .added
            .iter()
            .filter_map(|id| after.provision(id))
            .map(|p| AddedProvision {
                id: p.id.clone(),
                text: p.text.clone(),
                topics: after.topics_of(&p.id).map(|t| t.id.clone()).collect(),
            })
            .collect();
        Ok(DraftState {
            tag,
            base: base.name,
            open: draft.is_some(),
            changes,
            checks: fihris_edit::index_check(&before, &after),
            diff,
            added,
        })
    }

    /// Records `change` in the draft for `actor` with `reason`: checked
    /// against the draft's record first, then stored if the draft is still
    /// as `expected` (its tag). Returns the draft's new tag.
    pub fn apply(
        &self,
        actor: &str,
        change: &Change,
        reason: &str,
        expected: Option<&str>,
    ) -> Result<String, WriteError> {
        if reason.trim().is_empty() {
            return Err(WriteError::Refused(EditError {
                message: "a change needs a reason".into(),
                message_ar: "يلزم ذكر سبب التعديل".into(),
            }));
        }
        let mut store = seeded(&self.at, &self.source)?;
        if let Some(tag) = expected {
            let current = store.tag()?;
            if current != tag {
                return Err(WriteError::Stale { current });
            }
        }
        let draft = store.draft(actor)?;
        let mut record = record_of_edition(&store, &draft)?;
        let before = fihris_edit::before(&record, change);
        fihris_edit::apply(&mut record, change).map_err(WriteError::Refused)?;
        let body = serde_json::to_string(change).map_err(anyhow::Error::from)?;
        store.change(
            actor,
            (change.kind(), change.target()),
            (&before, &body),
            reason,
            expected,
        )?;
        Ok(store.tag()?)
    }

    /// Publishes the draft as edition `name` for `actor`, if it is still
    /// as `expected`.
    pub fn publish(
        &self,
        actor: &str,
        name: &str,
        expected: Option<&str>,
    ) -> Result<Edition, WriteError> {
        let name = name.trim();
        if name.is_empty() || name == "draft" || name.contains(['/', '.', ' ']) {
            return Err(WriteError::Refused(EditError {
                message: format!("{name:?} cannot name an edition (e.g. 2027)"),
                message_ar: "اسم النسخة غير صالح (مثلاً 2027)".into(),
            }));
        }
        let mut store = seeded(&self.at, &self.source)?;
        Ok(store.publish(actor, name, expected)?)
    }

    /// The draft's tag now.
    pub fn tag(&self) -> Result<String, WriteError> {
        Ok(connect(&self.at)?.tag()?)
    }

    /// Makes a key for `name` with `role` (audited as made by `actor`);
    /// returns it, the only time it is seen.
    pub fn create_key(&self, actor: &str, name: &str, role: Role) -> anyhow::Result<String> {
        let mut store = seeded(&self.at, &self.source)?;
        Ok(store.create_key(actor, name, role)?)
    }
}
