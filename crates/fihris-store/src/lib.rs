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
//! SQLite (bundled, write-ahead log, foreign keys on); the schema is
//! migrated by `PRAGMA user_version`. Triggers refuse to change a
//! published edition's changes or any audit entry, whoever writes.
//!
//! Not here: parsing (fihris-parse), HTTP, keys and roles.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed (or refused: a trigger protecting published
    /// editions and the audit log).
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
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
    /// An edition name already in use.
    #[error("edition {0:?} exists already")]
    Exists(String),
}

/// The schema, one migration per version, in order.
const MIGRATIONS: [&str; 1] = [r#"
CREATE TABLE sources (
    sha256 TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    text   TEXT NOT NULL
);
CREATE TABLE editions (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL REFERENCES sources(sha256),
    errata       TEXT REFERENCES sources(sha256),
    register     TEXT REFERENCES sources(sha256),
    parent       INTEGER REFERENCES editions(id),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    created_at   TEXT NOT NULL,
    published_at TEXT
);
CREATE UNIQUE INDEX one_draft ON editions(state) WHERE state = 'draft';
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY,
    edition INTEGER NOT NULL REFERENCES editions(id),
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    body    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    author  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after  TEXT NOT NULL,
    prev   TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER published_no_update BEFORE UPDATE ON editions
    WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_no_delete BEFORE DELETE ON editions
    WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_insert BEFORE INSERT ON changes
    WHEN (SELECT state FROM editions WHERE id = NEW.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_update BEFORE UPDATE ON changes
    WHEN (SELECT state FROM editions WHERE id = OLD.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_delete BEFORE DELETE ON changes
    WHEN (SELECT state FROM editions WHERE id = OLD.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
"#];

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
    conn: Connection,
}

impl Store {
    /// Opens (creating if absent) the store at `path`, and migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::with(Connection::open(path)?)
    }

    /// A store in memory (for tests and one-off runs).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::with(Connection::open_in_memory()?)
    }

    fn with(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    /// The file the store lives in (`None` in memory).
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// The schema version.
    pub fn version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = MIGRATIONS.len() as i64;
        let found = self.version()?;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        let tx = self.conn.transaction()?;
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", n as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The editions, oldest first.
    pub fn editions(&self) -> Result<Vec<Edition>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, name, source, errata, register, parent, state, created_at, published_at FROM editions ORDER BY id",
        )?;
        let rows = st.query_map([], edition_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The edition named `name`.
    pub fn edition(&self, name: &str) -> Result<Option<Edition>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, source, errata, register, parent, state, created_at, published_at FROM editions WHERE name = ?1",
                [name],
                edition_row,
            )
            .optional()?)
    }

    /// What `edition` is made of: its source text, errata and register,
    /// each with the name it was stored under.
    pub fn inputs(&self, edition: &Edition) -> Result<Inputs, StoreError> {
        let get = |sha: &str| -> Result<Input, StoreError> {
            self.conn
                .query_row(
                    "SELECT name, text FROM sources WHERE sha256 = ?1",
                    [sha],
                    |r| {
                        Ok(Input {
                            name: r.get(0)?,
                            text: r.get(1)?,
                        })
                    },
                )
                .optional()?
                .ok_or_else(|| StoreError::Missing(format!("no stored text {sha}")))
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
        let tx = self.conn.transaction()?;
        let now = now(&tx)?;
        for input in std::iter::once(&inputs.source)
            .chain(inputs.errata.as_ref())
            .chain(inputs.register.as_ref())
        {
            tx.execute(
                "INSERT OR IGNORE INTO sources (sha256, name, text) VALUES (?1, ?2, ?3)",
                params![sha(input), input.name, input.text],
            )?;
        }
        tx.execute(
            "INSERT INTO editions (name, source, errata, register, parent, state, created_at, published_at) VALUES (?1, ?2, ?3, ?4, NULL, 'published', ?5, ?5)",
            params![name, source, errata, register, now],
        )?;
        append_audit(
            &tx,
            "fihris",
            "seed",
            &format!("edition {name}"),
            "",
            &serde_json::json!({
                "source": [inputs.source.name, source],
                "errata": errata,
                "register": register,
            })
            .to_string(),
        )?;
        tx.commit()?;
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
            .editions()?
            .into_iter()
            .rev()
            .find(|e| e.published)
            .ok_or_else(|| StoreError::Missing("no published edition to continue".into()))?;
        let tx = self.conn.transaction()?;
        let now = now(&tx)?;
        tx.execute(
            "INSERT INTO editions (name, source, errata, register, parent, state, created_at) VALUES ('draft', ?1, ?2, ?3, ?4, 'draft', ?5)",
            params![last.source, last.errata, last.register, last.id, now],
        )?;
        append_audit(
            &tx,
            actor,
            "open draft",
            &format!("after edition {}", last.name),
            "",
            "",
        )?;
        tx.commit()?;
        self.edition("draft")?
            .ok_or_else(|| StoreError::Missing("the draft".into()))
    }

    /// Records a change in the draft: its `kind` (e.g. `correct-text`), its
    /// `target` (a provision or topic id), its `body` (JSON) and the
    /// required `reason`; audited with the state before.
    pub fn change(
        &mut self,
        actor: &str,
        kind: &str,
        target: &str,
        (before, body): (&str, &str),
        reason: &str,
    ) -> Result<i64, StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::Missing("a change needs a reason".into()));
        }
        let draft = self.draft(actor)?;
        let tx = self.conn.transaction()?;
        let now = now(&tx)?;
        tx.execute(
            "INSERT INTO changes (edition, kind, target, body, reason, author, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![draft.id, kind, target, body, reason, actor, now],
        )?;
        let id = tx.last_insert_rowid();
        append_audit(&tx, actor, kind, target, before, body)?;
        tx.commit()?;
        Ok(id)
    }

    /// The changes of `edition`, in order: (kind, target, body, reason).
    pub fn changes(
        &self,
        edition: &Edition,
    ) -> Result<Vec<(String, String, String, String)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT kind, target, body, reason FROM changes WHERE edition = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([edition.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Publishes the draft as edition `name`: from then on it is
    /// immutable. Audited.
    pub fn publish(&mut self, actor: &str, name: &str) -> Result<Edition, StoreError> {
        if self.edition(name)?.is_some() {
            return Err(StoreError::Exists(name.to_owned()));
        }
        let draft = self
            .editions()?
            .into_iter()
            .find(|e| !e.published)
            .ok_or_else(|| StoreError::Missing("no draft to publish".into()))?;
        let tx = self.conn.transaction()?;
        let now = now(&tx)?;
        tx.execute(
            "UPDATE editions SET name = ?1, state = 'published', published_at = ?2 WHERE id = ?3",
            params![name, now, draft.id],
        )?;
        append_audit(
            &tx,
            actor,
            "publish",
            &format!("edition {name}"),
            "draft",
            name,
        )?;
        tx.commit()?;
        self.edition(name)?
            .ok_or_else(|| StoreError::Missing(format!("edition {name}")))
    }

    /// Whether the store holds nothing but a seed: one edition, no change,
    /// no draft (then it can be made again from newer inputs without
    /// losing any editorial work).
    pub fn only_seed(&self) -> Result<bool, StoreError> {
        let (editions, changes): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM editions), (SELECT count(*) FROM changes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(editions <= 1 && changes == 0)
    }

    /// The latest published edition, if any.
    pub fn latest(&self) -> Result<Option<Edition>, StoreError> {
        Ok(self.editions()?.into_iter().rev().find(|e| e.published))
    }

    /// The audit log, in order.
    pub fn audit(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, at, actor, action, target, before, after, prev, hash FROM audit ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                before: r.get(5)?,
                after: r.get(6)?,
                prev: r.get(7)?,
                hash: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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

    /// The integrity check of the database file (`ok` when sound).
    pub fn integrity(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

fn edition_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Edition> {
    Ok(Edition {
        id: r.get(0)?,
        name: r.get(1)?,
        source: r.get(2)?,
        errata: r.get(3)?,
        register: r.get(4)?,
        parent: r.get(5)?,
        published: r.get::<_, String>(6)? == "published",
        created_at: r.get(7)?,
        published_at: r.get(8)?,
    })
}

/// Now, as the database tells it (UTC, RFC 3339 with milliseconds).
fn now(tx: &Transaction<'_>) -> rusqlite::Result<String> {
    tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| {
        r.get(0)
    })
}

/// Appends an entry to the audit log, chained to the last.
fn append_audit(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    target: &str,
    before: &str,
    after: &str,
) -> rusqlite::Result<()> {
    let (last_id, prev): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let mut e = AuditEntry {
        id: last_id + 1,
        at: now(tx)?,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
        prev,
        hash: String::new(),
    };
    e.hash = e.expected_hash();
    tx.execute(
        "INSERT INTO audit (id, at, actor, action, target, before, after, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![e.id, e.at, e.actor, e.action, e.target, e.before, e.after, e.prev, e.hash],
    )?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
