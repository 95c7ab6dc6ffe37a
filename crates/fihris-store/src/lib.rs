//! # fihris-store
//!
//! The editorial store: what the record is made from, kept so that it can
//! grow. The store holds the *inputs* of the record, never its derived
//! data: the source texts (the vendored compendium, by its SHA-256), the
//! editions (each names its source; a published edition is immutable, the
//! one draft takes the changes), the changes of each edition in order
//! (kind, body, reason, author), and an append-only audit log in which
//! every entry is chained to the one before by a SHA-256 hash, so that a
//! changed or deleted entry is found by [`Store::verify_audit`]. The
//! record of an edition is its source parsed, then its changes applied:
//! parsing takes milliseconds, and the record can never drift from what
//! it was made of.
//!
//! On SQLite (bundled, write-ahead log, foreign keys on, the embedded
//! default) or PostgreSQL (the shared server): one set of statements, a
//! schema per database with the same tables (`src/schema/`), migrated by
//! version. Triggers refuse to change a published edition, its changes or
//! any audit entry, whoever writes.
//!
//! API keys with roles (`keys`) are kept here too, hashed with argon2id.
//! Every write that changes the draft or publishes it can be made
//! conditional on the draft being as the writer last saw it
//! ([`Store::tag`]: optimistic concurrency, checked inside the write's
//! transaction).
//!
//! Not here: parsing (fihris-parse), HTTP.

use std::path::Path;

use std::cell::RefCell;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::db::{Db, Value};

mod db;
mod keys;

pub use keys::{KeyEntry, KeyHolder, Role};
/// PostgreSQL's error codes, to tell a lost concurrent write from a failure.
pub use postgres::error as postgres_error;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (or refused: a trigger protecting published editions
    /// and the audit log).
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    /// PostgreSQL failed (or refused, likewise).
    #[error("store: {}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    /// The store was written by a newer fihris.
    #[error("store schema version {found} is newer than this fihris knows ({known})")]
    TooNew {
        /// The version in the file.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// Something asked of the store that it does not hold.
    #[error("{0}")]
    Missing(String),
    /// A backup that cannot be restored.
    #[error("backup: {0}")]
    Backup(String),
    /// An edition name already in use.
    #[error("edition {0:?} exists already")]
    Exists(String),
    /// The draft changed since the writer last saw it.
    #[error("the draft has changed (now {current}); reload it and apply the change again")]
    Stale {
        /// The draft's tag now.
        current: String,
    },
}

/// A PostgreSQL error with the server's own message, when it sent one.
fn postgres_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_owned())
}

/// The hash an empty audit log starts from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An edition of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Its number in the store.
    pub id: i64,
    /// Its name, e.g. `2021`.
    pub name: String,
    /// The SHA-256 of its source text.
    pub source: String,
    /// The SHA-256 of its errata file, if any.
    pub errata: Option<String>,
    /// The SHA-256 of its topic register, if any.
    pub register: Option<String>,
    /// The edition it continues, if any.
    pub parent: Option<i64>,
    /// Whether it is published (immutable) or the draft.
    pub published: bool,
    /// When it was made (UTC, RFC 3339).
    pub created_at: String,
    /// When it was published.
    pub published_at: Option<String>,
}

/// A text the record is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name (path) it was stored under.
    pub name: String,
    /// The text.
    pub text: String,
}

impl Input {
    /// (name, text), as the parser takes a text held elsewhere.
    pub fn as_pair(&self) -> (&str, &str) {
        (&self.name, &self.text)
    }
}

/// What an edition is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// The compendium's text.
    pub source: Input,
    /// The errata file, if any.
    pub errata: Option<Input>,
    /// The topic register, if any.
    pub register: Option<Input>,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its place in the log, from 1.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who: a key's name, or `fihris` for the store itself.
    pub actor: String,
    /// What was done, e.g. `seed`, `publish`.
    pub action: String,
    /// What it was done to, e.g. `edition 2021`.
    pub target: String,
    /// The state before (JSON or text; empty if none).
    pub before: String,
    /// The state after.
    pub after: String,
    /// The hash of the entry before (zeros for the first).
    pub prev: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should have: SHA-256 over the previous hash and
    /// every field, each length-prefixed so that no two entries hash alike.
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        for field in [
            self.prev.as_str(),
            &self.id.to_string(),
            &self.at,
            &self.actor,
            &self.action,
            &self.target,
            &self.before,
            &self.after,
        ] {
            h.update((field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        hex(&h.finalize())
    }
}

/// Where the audit chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first entry that does not verify.
    pub id: i64,
    /// Why.
    pub reason: String,
}

/// The store.
pub struct Store {
    db: RefCell<Db>,
    path: Option<PathBuf>,
}

/// `SELECT` of every column of a table (as [`TABLES`] lists them), then
/// `rest`.
fn select((table, columns): (&str, &[&str]), rest: &str) -> String {
    format!("SELECT {} FROM {table} {rest}", columns.join(", "))
}

impl Store {
    /// Opens (creating if absent) the SQLite store at `path`, and
    /// migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::with(Db::sqlite(path)?, Some(path.to_path_buf()))
    }

    /// Connects to the PostgreSQL store at `url` (`postgres://…` or
    /// `host=… user=… dbname=…`), and migrates it.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Store::with(Db::postgres(url)?, None)
    }

    fn with(db: Db, path: Option<PathBuf>) -> Result<Store, StoreError> {
        let store = Store {
            db: RefCell::new(db),
            path,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The SQLite file the store lives in (`None` on PostgreSQL).
    pub fn path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    /// The schema version.
    pub fn version(&self) -> Result<i64, StoreError> {
        self.db.borrow_mut().version()
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut db = self.db.borrow_mut();
        let migrations = db.migrations();
        let known = migrations.len() as i64;
        // The version is read under the schema lock: two processes opening
        // a fresh store at once migrate it once, one after the other.
        db.begin_schema()?;
        let done = (|| {
            let found = db.version()?;
            if found > known {
                return Err(StoreError::TooNew { found, known });
            }
            for (n, sql) in migrations.iter().enumerate().skip(found as usize) {
                db.batch(sql)?;
                db.set_version(n as i64 + 1)?;
            }
            Ok(())
        })();
        finish(&mut db, done)
    }

    /// Runs `f` in a write transaction: committed if it succeeds, rolled
    /// back if not.
    fn write<T>(&self, f: impl FnOnce(&mut Db) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut db = self.db.borrow_mut();
        db.begin()?;
        let done = f(&mut db);
        finish(&mut db, done)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, StoreError> {
        self.db.borrow_mut().query(sql, params)
    }

    /// The editions, oldest first.
    pub fn editions(&self) -> Result<Vec<Edition>, StoreError> {
        self.query(&select(TABLES[1], "ORDER BY id"), &[])?
            .iter()
            .map(|r| edition_of(r))
            .collect()
    }

    /// The edition named `name`.
    pub fn edition(&self, name: &str) -> Result<Option<Edition>, StoreError> {
        self.query(&select(TABLES[1], "WHERE name = ?1"), &[Value::text(name)])?
            .first()
            .map(|r| edition_of(r))
            .transpose()
    }

    /// What `edition` is made of: its source text, errata and register,
    /// each with the name it was stored under.
    pub fn inputs(&self, edition: &Edition) -> Result<Inputs, StoreError> {
        let get = |sha: &str| -> Result<Input, StoreError> {
            let rows = self.query(
                "SELECT name, text FROM sources WHERE sha256 = ?1",
                &[Value::text(sha)],
            )?;
            let r = rows
                .first()
                .ok_or_else(|| StoreError::Missing(format!("no stored text {sha}")))?;
            Ok(Input {
                name: text(r, 0)?,
                text: text(r, 1)?,
            })
        };
        Ok(Inputs {
            source: get(&edition.source)?,
            errata: edition.errata.as_deref().map(get).transpose()?,
            register: edition.register.as_deref().map(get).transpose()?,
        })
    }

    /// Seeds the store with edition `name` made of `inputs`, published;
    /// recorded in the audit log. Seeding again with the same inputs does
    /// nothing and returns the edition; with other inputs is an error.
    pub fn seed(&mut self, name: &str, inputs: &Inputs) -> Result<Edition, StoreError> {
        let sha = |i: &Input| hex(&Sha256::digest(i.text.as_bytes()));
        let source = sha(&inputs.source);
        let errata = inputs.errata.as_ref().map(sha);
        let register = inputs.register.as_ref().map(sha);
        if let Some(e) = self.edition(name)? {
            return if (&e.source, &e.errata, &e.register) == (&source, &errata, &register) {
                Ok(e)
            } else {
                Err(StoreError::Exists(name.to_owned()))
            };
        }
        self.write(|db| {
            let now = db.now()?;
            for input in std::iter::once(&inputs.source)
                .chain(inputs.errata.as_ref())
                .chain(inputs.register.as_ref())
            {
                db.exec(
                    "INSERT INTO sources (sha256, name, text) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    &[Value::text(&sha(input)), Value::text(&input.name), Value::text(&input.text)],
                )?;
            }
            db.exec(
                "INSERT INTO editions (name, source, errata, register, parent, state, created_at, published_at) VALUES (?1, ?2, ?3, ?4, NULL, 'published', ?5, ?5)",
                &[
                    Value::text(name),
                    Value::text(&source),
                    Value::Text(errata.clone()),
                    Value::Text(register.clone()),
                    Value::text(&now),
                ],
            )?;
            let after = serde_json::json!({
                "source": [inputs.source.name, source],
                "errata": errata,
                "register": register,
            })
            .to_string();
            append_audit(db, ("fihris", "seed", &format!("edition {name}")), ("", &after))
        })?;
        self.edition(name)?
            .ok_or_else(|| StoreError::Missing(format!("edition {name}")))
    }

    /// The draft: the one open, or a new one continuing the latest
    /// published edition (recorded in the audit log). An error if nothing
    /// is published yet.
    pub fn draft(&mut self, actor: &str) -> Result<Edition, StoreError> {
        if let Some(d) = self.editions()?.into_iter().find(|e| !e.published) {
            return Ok(d);
        }
        let last = self
            .latest()?
            .ok_or_else(|| StoreError::Missing("no published edition to continue".into()))?;
        self.write(|db| {
            // Another writer may have opened it meanwhile.
            let open = db.query("SELECT count(*) FROM editions WHERE state = 'draft'", &[])?;
            if open.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0) > 0 {
                return Ok(());
            }
            let now = db.now()?;
            db.exec(
                "INSERT INTO editions (name, source, errata, register, parent, state, created_at) VALUES ('draft', ?1, ?2, ?3, ?4, 'draft', ?5)",
                &[
                    Value::text(&last.source),
                    Value::Text(last.errata.clone()),
                    Value::Text(last.register.clone()),
                    Value::Int(Some(last.id)),
                    Value::text(&now),
                ],
            )?;
            append_audit(
                db,
                (actor, "open draft", &format!("after edition {}", last.name)),
                ("", ""),
            )
        })?;
        self.edition("draft")?
            .ok_or_else(|| StoreError::Missing("the draft".into()))
    }

    /// Records a change in the draft: its `kind` (e.g. `correct-text`), its
    /// `target` (a provision or topic id), its `body` (JSON) and the
    /// required `reason`; audited with the state before.
    ///
    /// With `expected` (a [`Store::tag`]), only if the draft is still as
    /// tagged, checked in the same transaction: else [`StoreError::Stale`].
    pub fn change(
        &mut self,
        actor: &str,
        (kind, target): (&str, &str),
        (before, body): (&str, &str),
        reason: &str,
        expected: Option<&str>,
    ) -> Result<i64, StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::Missing("a change needs a reason".into()));
        }
        if let Some(tag) = expected {
            self.write(|db| still(db, tag))?;
        }
        let draft = self.draft(actor)?;
        self.write(|db| {
            if let Some(tag) = expected {
                still(db, tag)?;
            }
            let now = db.now()?;
            let rows = db.query(
                "INSERT INTO changes (edition, kind, target, body, reason, author, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &[
                    Value::Int(Some(draft.id)),
                    Value::text(kind),
                    Value::text(target),
                    Value::text(body),
                    Value::text(reason),
                    Value::text(actor),
                    Value::text(&now),
                ],
            )?;
            let id = rows.first().and_then(|r| r.first()).and_then(Value::int).unwrap_or(0);
            append_audit(db, (actor, kind, target), (before, body))?;
            Ok(id)
        })
    }

    /// The changes of `edition`, in order: (kind, target, body, reason).
    pub fn changes(
        &self,
        edition: &Edition,
    ) -> Result<Vec<(String, String, String, String)>, StoreError> {
        self.query(
            "SELECT kind, target, body, reason FROM changes WHERE edition = ?1 ORDER BY id",
            &[Value::Int(Some(edition.id))],
        )?
        .iter()
        .map(|r| Ok((text(r, 0)?, text(r, 1)?, text(r, 2)?, text(r, 3)?)))
        .collect()
    }

    /// Publishes the draft as edition `name`: from then on it is
    /// immutable. Audited.
    /// With `expected`, only if the draft is still as tagged.
    pub fn publish(
        &mut self,
        actor: &str,
        name: &str,
        expected: Option<&str>,
    ) -> Result<Edition, StoreError> {
        if self.edition(name)?.is_some() {
            return Err(StoreError::Exists(name.to_owned()));
        }
        let draft = self
            .editions()?
            .into_iter()
            .find(|e| !e.published)
            .ok_or_else(|| StoreError::Missing("no draft to publish".into()))?;
        self.write(|db| {
            if let Some(tag) = expected {
                still(db, tag)?;
            }
            let now = db.now()?;
            db.exec(
                "UPDATE editions SET name = ?1, state = 'published', published_at = ?2 WHERE id = ?3",
                &[Value::text(name), Value::text(&now), Value::Int(Some(draft.id))],
            )?;
            append_audit(db, (actor, "publish", &format!("edition {name}")), ("draft", name))
        })?;
        self.edition(name)?
            .ok_or_else(|| StoreError::Missing(format!("edition {name}")))
    }

    /// The draft's tag (an HTTP entity tag): the latest published edition,
    /// the number of the draft's changes and the last of them. It changes
    /// with every change and publication, and not when a draft is merely
    /// opened.
    pub fn tag(&self) -> Result<String, StoreError> {
        tag_of(&mut self.db.borrow_mut())
    }

    /// Whether the store holds nothing but a seed: one edition, no change,
    /// no draft, no key, nothing audited but the seeding (then it can be
    /// made again from newer inputs without losing any editorial work).
    pub fn only_seed(&self) -> Result<bool, StoreError> {
        let rows = self.query(
            "SELECT (SELECT count(*) FROM editions), (SELECT count(*) FROM changes), (SELECT count(*) FROM keys), (SELECT count(*) FROM audit)",
            &[],
        )?;
        let count = |i: usize| {
            rows.first()
                .and_then(|r| r.get(i))
                .and_then(Value::int)
                .unwrap_or(0)
        };
        Ok(count(0) <= 1 && count(1) == 0 && count(2) == 0 && count(3) <= 1)
    }

    /// The latest published edition, if any.
    pub fn latest(&self) -> Result<Option<Edition>, StoreError> {
        Ok(self.editions()?.into_iter().rev().find(|e| e.published))
    }

    /// The audit log, in order.
    pub fn audit(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.query(&select(TABLES[3], "ORDER BY id"), &[])?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: int(r, 0)?,
                    at: text(r, 1)?,
                    actor: text(r, 2)?,
                    action: text(r, 3)?,
                    target: text(r, 4)?,
                    before: text(r, 5)?,
                    after: text(r, 6)?,
                    prev: text(r, 7)?,
                    hash: text(r, 8)?,
                })
            })
            .collect()
    }

    /// Checks the audit chain: ids 1, 2, 3… with no gap, each entry's
    /// `prev` the hash before it, each hash its fields' own. The number of
    /// entries, or the first break.
    pub fn verify_audit(&self) -> Result<Result<usize, ChainBreak>, StoreError> {
        let entries = self.audit()?;
        let mut prev = GENESIS.to_owned();
        for (n, e) in entries.iter().enumerate() {
            let broken = |reason: &str| {
                Ok(Err(ChainBreak {
                    id: e.id,
                    reason: reason.to_owned(),
                }))
            };
            if e.id != n as i64 + 1 {
                return broken(&format!("entry {} is missing", n + 1));
            }
            if e.prev != prev {
                return broken("it does not follow the entry before it");
            }
            if e.hash != e.expected_hash() {
                return broken("its content does not match its hash");
            }
            prev = e.hash.clone();
        }
        Ok(Ok(entries.len()))
    }

    /// The database's own integrity check: `ok` when sound (SQLite's
    /// `integrity_check`; on PostgreSQL, whether the tables answer).
    pub fn integrity(&self) -> Result<String, StoreError> {
        let mut db = self.db.borrow_mut();
        match &*db {
            Db::Sqlite(_) => db.text("PRAGMA integrity_check"),
            Db::Postgres(_) => {
                db.query("SELECT count(*) FROM editions", &[])?;
                Ok("ok".to_owned())
            }
        }
    }
}

/// The tables, in the order a backup restores them, each with its
/// columns (in the order [`edition_of`] and the audit reader take them).
const TABLES: [(&str, &[&str]); 5] = [
    ("sources", &["sha256", "name", "text"]),
    (
        "editions",
        &[
            "id",
            "name",
            "source",
            "errata",
            "register",
            "parent",
            "state",
            "created_at",
            "published_at",
        ],
    ),
    (
        "changes",
        &[
            "id", "edition", "kind", "target", "body", "reason", "author", "at",
        ],
    ),
    (
        "audit",
        &[
            "id", "at", "actor", "action", "target", "before", "after", "prev", "hash",
        ],
    ),
    ("keys", &["prefix", "name", "role", "hash", "created_at"]),
];

/// The backup format's version.
const BACKUP_VERSION: i64 = 1;

impl Store {
    /// The whole store as one JSON document: every row of every table, in
    /// key order, the same on SQLite and PostgreSQL. [`Store::restore`]
    /// reads it back; a backup of the restored store is the same bytes.
    pub fn backup(&self) -> Result<String, StoreError> {
        let mut doc = serde_json::Map::new();
        doc.insert("fihris_store_backup".into(), BACKUP_VERSION.into());
        for (table, columns) in TABLES {
            let order = columns[0];
            let rows = self.query(
                &format!(
                    "SELECT {} FROM {table} ORDER BY {order}",
                    columns.join(", ")
                ),
                &[],
            )?;
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let mut o = serde_json::Map::new();
                    for (c, v) in columns.iter().zip(r) {
                        o.insert(
                            (*c).to_owned(),
                            match v {
                                Value::Int(Some(n)) => (*n).into(),
                                Value::Text(Some(t)) => t.clone().into(),
                                _ => serde_json::Value::Null,
                            },
                        );
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            doc.insert(table.to_owned(), rows.into());
        }
        Ok(serde_json::to_string_pretty(&doc).unwrap_or_default())
    }

    /// Restores a [`Store::backup`] into this store, which must be empty:
    /// all of it in one transaction, or nothing. Published editions are
    /// written as drafts, given their changes, then published, so the
    /// triggers that guard them stay on.
    pub fn restore(&mut self, backup: &str) -> Result<(), StoreError> {
        let doc: serde_json::Value = serde_json::from_str(backup)
            .map_err(|e| StoreError::Backup(format!("not a backup: {e}")))?;
        if doc["fihris_store_backup"] != BACKUP_VERSION {
            return Err(StoreError::Backup(
                "not a fihris store backup of version 1".into(),
            ));
        }
        if !self.editions()?.is_empty() || !self.audit()?.is_empty() {
            return Err(StoreError::Backup("the store is not empty".into()));
        }
        let rows = |table: &str| -> Result<Vec<serde_json::Value>, StoreError> {
            doc[table]
                .as_array()
                .cloned()
                .ok_or_else(|| StoreError::Backup(format!("no {table} in the backup")))
        };
        let (sources, editions, changes, audit) = (
            rows("sources")?,
            rows("editions")?,
            rows("changes")?,
            rows("audit")?,
        );
        // Backups made before keys existed have none.
        let keys = doc["keys"].as_array().cloned().unwrap_or_default();
        self.write(|db| {
            insert(db, TABLES[0], &sources)?;
            for e in &editions {
                let published = e["state"] == "published";
                let mut draft = e.clone();
                draft["state"] = "draft".into();
                draft["published_at"] = serde_json::Value::Null;
                insert(db, TABLES[1], std::slice::from_ref(&draft))?;
                let own: Vec<serde_json::Value> = changes
                    .iter()
                    .filter(|c| c["edition"] == e["id"])
                    .cloned()
                    .collect();
                insert(db, TABLES[2], &own)?;
                if published {
                    db.exec(
                        "UPDATE editions SET state = 'published', published_at = ?1 WHERE id = ?2",
                        &[value(&e["published_at"]), value(&e["id"])],
                    )?;
                }
            }
            insert(db, TABLES[3], &audit)?;
            insert(db, TABLES[4], &keys)?;
            db.after_restore()
        })
    }
}

/// Inserts backup rows into one table.
fn insert(
    db: &mut Db,
    (table, columns): (&str, &[&str]),
    rows: &[serde_json::Value],
) -> Result<(), StoreError> {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    );
    for r in rows {
        let params: Vec<Value> = columns
            .iter()
            .map(|c| match (&r[*c], *c) {
                (v, "id" | "parent" | "edition") => Value::Int(v.as_i64()),
                (v, _) => value(v),
            })
            .collect();
        db.exec(&sql, &params)?;
    }
    Ok(())
}

fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Number(n) => Value::Int(n.as_i64()),
        serde_json::Value::String(s) => Value::Text(Some(s.clone())),
        _ => Value::Text(None),
    }
}

/// The draft's tag, read in `db`'s transaction.
fn tag_of(db: &mut Db) -> Result<String, StoreError> {
    let rows = db.query(
        "SELECT (SELECT coalesce(max(id), 0) FROM editions WHERE state = 'published'), \
         (SELECT count(*) FROM changes JOIN editions ON changes.edition = editions.id WHERE editions.state = 'draft'), \
         (SELECT coalesce(max(changes.id), 0) FROM changes JOIN editions ON changes.edition = editions.id WHERE editions.state = 'draft')",
        &[],
    )?;
    let r = rows.first().map(Vec::as_slice).unwrap_or_default();
    Ok(format!("{}.{}.{}", int(r, 0)?, int(r, 1)?, int(r, 2)?))
}

/// [`StoreError::Stale`] unless the draft's tag is `tag`.
fn still(db: &mut Db, tag: &str) -> Result<(), StoreError> {
    let current = tag_of(db)?;
    if current == tag {
        Ok(())
    } else {
        Err(StoreError::Stale { current })
    }
}

/// Commits if `done` succeeded, rolls back if not; `done`'s result.
fn finish<T>(db: &mut Db, done: Result<T, StoreError>) -> Result<T, StoreError> {
    match done {
        Ok(v) => {
            db.commit()?;
            Ok(v)
        }
        Err(e) => {
            db.rollback();
            Err(e)
        }
    }
}

pub(crate) fn text(r: &[Value], i: usize) -> Result<String, StoreError> {
    opt_text(r, i)?.ok_or_else(|| StoreError::Missing(format!("column {i} is empty")))
}

fn opt_text(r: &[Value], i: usize) -> Result<Option<String>, StoreError> {
    match r.get(i) {
        Some(Value::Text(t)) => Ok(t.clone()),
        Some(Value::Int(Some(n))) => Ok(Some(n.to_string())),
        Some(Value::Int(None)) => Ok(None),
        None => Err(StoreError::Missing(format!("no column {i}"))),
    }
}

fn int(r: &[Value], i: usize) -> Result<i64, StoreError> {
    r.get(i)
        .and_then(Value::int)
        .ok_or_else(|| StoreError::Missing(format!("column {i} is not a number")))
}

fn opt_int(r: &[Value], i: usize) -> Result<Option<i64>, StoreError> {
    match r.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Text(None)) => Ok(None),
        _ => Err(StoreError::Missing(format!("column {i} is not a number"))),
    }
}

fn edition_of(r: &[Value]) -> Result<Edition, StoreError> {
    Ok(Edition {
        id: int(r, 0)?,
        name: text(r, 1)?,
        source: text(r, 2)?,
        errata: opt_text(r, 3)?,
        register: opt_text(r, 4)?,
        parent: opt_int(r, 5)?,
        published: text(r, 6)? == "published",
        created_at: text(r, 7)?,
        published_at: opt_text(r, 8)?,
    })
}

/// Appends an entry to the audit log, chained to the last:
/// (actor, action, target) and (before, after).
pub(crate) fn append_audit(
    db: &mut Db,
    (actor, action, target): (&str, &str, &str),
    (before, after): (&str, &str),
) -> Result<(), StoreError> {
    let last = db.query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])?;
    let (last_id, prev) = match last.first() {
        Some(r) => (int(r, 0)?, text(r, 1)?),
        None => (0, GENESIS.to_owned()),
    };
    let mut e = AuditEntry {
        id: last_id + 1,
        at: db.now()?,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
        prev,
        hash: String::new(),
    };
    e.hash = e.expected_hash();
    db.exec(
        "INSERT INTO audit (id, at, actor, action, target, before, after, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            Value::Int(Some(e.id)),
            Value::text(&e.at),
            Value::text(&e.actor),
            Value::text(&e.action),
            Value::text(&e.target),
            Value::text(&e.before),
            Value::text(&e.after),
            Value::text(&e.prev),
            Value::text(&e.hash),
        ],
    )?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
