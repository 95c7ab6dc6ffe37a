//! The store on both of its databases — a real SQLite file and a real
//! PostgreSQL server — through the same tests: seeded from the vendored
//! compendium and reopened, its editions immutable once published, its
//! audit chain verified and found out when tampered with.
//!
//! PostgreSQL is reached through `FIHRIS_TEST_POSTGRES` (a connection
//! string, e.g. `host=/var/run/postgresql user=root dbname=postgres`;
//! `.ci/run` starts a server and sets it). Without it these tests fail —
//! they are never skipped silently; `FIHRIS_SKIP_POSTGRES=1` skips the
//! PostgreSQL half on purpose.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use fihris_store::{Input, Inputs, Store, StoreError};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn input(path: &Path) -> Input {
    Input {
        name: path.display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

fn inputs() -> Inputs {
    let dir = corpus_dir();
    Inputs {
        source: input(&dir.join("compendium-2021.ar.txt")),
        errata: Some(input(&dir.join(fihris_parse::ERRATA_FILE))),
        register: Some(input(&dir.join(fihris_parse::REGISTER_FILE))),
    }
}

/// One of the two databases, fresh for one test, with a raw connection
/// beside the store (what someone with the database in hand could do).
enum Fresh {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl Fresh {
    /// Both databases, fresh, for the test `name`.
    fn both(name: &str) -> Vec<Fresh> {
        let dir = std::env::temp_dir().join(format!("fihris-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut out = vec![Fresh::Sqlite(dir.join("store.sqlite"))];
        match std::env::var("FIHRIS_TEST_POSTGRES") {
            Ok(url) => {
                let schema = format!("fihris_test_{name}_{}", std::process::id());
                let mut admin = postgres::Client::connect(&url, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("FIHRIS_TEST_POSTGRES={url}: {e}"));
                admin
                    .batch_execute(&format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
                    ))
                    .unwrap();
                out.push(Fresh::Postgres { url, schema });
            }
            Err(_) if std::env::var("FIHRIS_SKIP_POSTGRES").as_deref() == Ok("1") => {
                eprintln!("FIHRIS_SKIP_POSTGRES=1: the PostgreSQL half is skipped");
            }
            Err(_) => panic!(
                "FIHRIS_TEST_POSTGRES is not set: give a PostgreSQL connection string (.ci/run starts one), or FIHRIS_SKIP_POSTGRES=1 to skip on purpose"
            ),
        }
        out
    }

    fn name(&self) -> &'static str {
        match self {
            Fresh::Sqlite(_) => "sqlite",
            Fresh::Postgres { .. } => "postgres",
        }
    }

    fn url(&self) -> String {
        match self {
            Fresh::Sqlite(p) => p.display().to_string(),
            Fresh::Postgres { url, schema } => {
                format!("{url} options='-c search_path={schema}'")
            }
        }
    }

    /// The store (opened again each time: a new connection).
    fn open(&self) -> Store {
        match self {
            Fresh::Sqlite(p) => Store::open(p).unwrap(),
            Fresh::Postgres { .. } => Store::open_postgres(&self.url()).unwrap(),
        }
    }

    /// Runs raw SQL beside the store; the database's error message if it
    /// refuses.
    fn raw(&self, sql: &str) -> Result<(), String> {
        match self {
            Fresh::Sqlite(p) => rusqlite::Connection::open(p)
                .unwrap()
                .execute_batch(sql)
                .map_err(|e| e.to_string()),
            Fresh::Postgres { .. } => postgres::Client::connect(&self.url(), postgres::NoTls)
                .unwrap()
                .batch_execute(sql)
                .map_err(|e| {
                    e.as_db_error()
                        .map_or_else(|| e.to_string(), |d| d.message().to_owned())
                }),
        }
    }

    /// The statement that drops the guard of the audit log.
    fn drop_audit_guard(&self) -> &'static str {
        match self {
            Fresh::Sqlite(_) => "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
            Fresh::Postgres { .. } => {
                "DROP TRIGGER audit_no_update ON audit; DROP TRIGGER audit_no_delete ON audit;"
            }
        }
    }
}

impl Drop for Fresh {
    /// Leaves nothing behind: the file's directory, the schema.
    fn drop(&mut self) {
        match self {
            Fresh::Sqlite(p) => {
                if let Some(dir) = p.parent() {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            Fresh::Postgres { url, schema } => {
                if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}

#[test]
fn seeded_from_the_compendium_the_record_comes_back_the_same() {
    let from_files =
        fihris_parse::parse_file(&corpus_dir().join("compendium-2021.ar.txt")).unwrap();
    for db in Fresh::both("seed") {
        let edition = {
            let mut store = db.open();
            assert_eq!(store.version().unwrap(), 2, "{}", db.name());
            let e = store.seed("2021", &inputs()).unwrap();
            // Seeding again with the same texts is a no-op.
            assert_eq!(store.seed("2021", &inputs()).unwrap(), e);
            e
        };
        let store = db.open();
        assert_eq!(store.version().unwrap(), 2);
        assert_eq!(store.editions().unwrap(), std::slice::from_ref(&edition));
        assert!(edition.published);
        let stored = store.inputs(&edition).unwrap();
        assert_eq!(stored, inputs(), "{}", db.name());
        // Parsed from the store, the record is the record parsed from the
        // files.
        let from_store = fihris_parse::parse_texts(
            stored.source.as_pair(),
            stored.errata.as_ref().map(Input::as_pair),
            stored.register.as_ref().map(Input::as_pair),
        )
        .unwrap();
        assert_eq!(from_store, from_files, "{}", db.name());
        assert_eq!(edition.source, from_files.source.sha256);
        assert_eq!(store.integrity().unwrap(), "ok");
        assert_eq!(store.verify_audit().unwrap(), Ok(1));
        // Other texts under the same edition name are refused.
        let mut store = store;
        let mut other = inputs();
        other.source.text.push('\n');
        assert!(matches!(
            store.seed("2021", &other),
            Err(StoreError::Exists(_))
        ));
    }
}

#[test]
fn a_fresh_store_opened_by_many_at_once_is_migrated_once() {
    for db in Fresh::both("race") {
        let url = db.url();
        let sqlite = matches!(db, Fresh::Sqlite(_));
        let opened: Vec<Result<i64, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        let store = if sqlite {
                            Store::open(Path::new(&url))
                        } else {
                            Store::open_postgres(&url)
                        };
                        store.and_then(|s| s.version()).map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(opened, vec![Ok(2); 8], "{}", db.name());
        assert_eq!(db.open().integrity().unwrap(), "ok", "{}", db.name());
    }
}

#[test]
fn a_published_edition_is_immutable_and_the_draft_publishes_once() {
    for db in Fresh::both("editions") {
        let mut store = db.open();
        let first = store.seed("2021", &inputs()).unwrap();
        // A change without a reason is refused; with one it goes to the
        // draft.
        assert!(
            store
                .change(
                    "editor",
                    ("correct-text", "A.2.55"),
                    ("old", "{}"),
                    " ",
                    None
                )
                .is_err()
        );
        store
            .change(
                "editor",
                ("correct-text", "A.2.55"),
                ("old", "{\"text\":\"new\"}"),
                "typo in the source",
                None,
            )
            .unwrap();
        let draft = store.draft("editor").unwrap();
        assert!(!draft.published);
        assert_eq!(draft.parent, Some(first.id));
        assert_eq!(store.changes(&draft).unwrap().len(), 1);
        let second = store.publish("publisher", "2027", None).unwrap();
        assert!(second.published);
        assert_eq!(second.id, draft.id);
        assert!(matches!(
            store.publish("publisher", "2028", None),
            Err(StoreError::Missing(_))
        ));
        assert!(matches!(
            store.publish("publisher", "2027", None),
            Err(StoreError::Exists(_))
        ));
        // Whoever writes, the database itself refuses to touch a published
        // edition or its changes, or the audit log.
        for sql in [
            "UPDATE editions SET name = 'x' WHERE name = '2021'",
            "DELETE FROM editions WHERE name = '2027'",
            "UPDATE changes SET body = '{}'",
            "DELETE FROM changes",
            "UPDATE audit SET actor = 'someone else'",
            "DELETE FROM audit WHERE id = 1",
        ] {
            let e = db.raw(sql).unwrap_err();
            assert!(
                e.contains("immutable") || e.contains("append-only"),
                "{}: {sql}: {e}",
                db.name()
            );
        }
        // A new change opens a new draft after 2027.
        store
            .change(
                "editor",
                ("file", "A.2.55"),
                ("", "{\"topic\":\"training\"}"),
                "belongs there",
                None,
            )
            .unwrap();
        assert_eq!(store.draft("editor").unwrap().parent, Some(second.id));
        assert_eq!(store.verify_audit().unwrap(), Ok(6), "{}", db.name());
    }
}

#[test]
fn a_tampered_or_deleted_audit_entry_is_found() {
    for db in Fresh::both("audit") {
        {
            let mut store = db.open();
            store.seed("2021", &inputs()).unwrap();
            for n in 0..3 {
                store
                    .change(
                        "editor",
                        ("correct-text", &format!("A.1.{n}")),
                        ("a", "b"),
                        "reason",
                        None,
                    )
                    .unwrap();
            }
            assert_eq!(store.verify_audit().unwrap(), Ok(5));
        }
        // Someone with the database drops the guard and rewrites entry 3.
        db.raw(db.drop_audit_guard()).unwrap();
        db.raw("UPDATE audit SET after = 'c' WHERE id = 3").unwrap();
        let store = db.open();
        let broken = store.verify_audit().unwrap().unwrap_err();
        assert_eq!(broken.id, 3, "{}", db.name());
        assert!(broken.reason.contains("hash"), "{broken:?}");
        // Or rehashes it too: the next entry no longer follows it.
        let mut e = store.audit().unwrap()[2].clone();
        e.hash = e.expected_hash();
        db.raw(&format!(
            "UPDATE audit SET hash = '{}' WHERE id = 3",
            e.hash
        ))
        .unwrap();
        let broken = store.verify_audit().unwrap().unwrap_err();
        assert_eq!(broken.id, 4);
        // Or deletes an entry.
        db.raw("DELETE FROM audit WHERE id = 2").unwrap();
        let broken = store.verify_audit().unwrap().unwrap_err();
        assert_eq!(
            (broken.id, broken.reason.as_str()),
            (3, "entry 2 is missing")
        );
    }
}

#[test]
fn a_backup_restores_to_the_same_bytes_on_either_database() {
    let dbs = Fresh::both("backup");
    let targets = Fresh::both("restore");
    let mut backups = Vec::new();
    let mut keys = Vec::new();
    for db in &dbs {
        let mut store = db.open();
        store.seed("2021", &inputs()).unwrap();
        store
            .change(
                "editor",
                ("correct-text", "A.2.55"),
                ("old", "{\"text\":\"new\"}"),
                "why",
                None,
            )
            .unwrap();
        store.publish("publisher", "2027", None).unwrap();
        store
            .change("editor", ("file", "A.2.55"), ("", "{}"), "why not", None)
            .unwrap();
        let key = store
            .create_key("admin", "amina", fihris_store::Role::Editor)
            .unwrap();
        backups.push(store.backup().unwrap());
        keys.push(key);
    }
    // The same content on both databases, but for the clock.
    let shape = |b: &str| {
        let mut v: serde_json::Value = serde_json::from_str(b).unwrap();
        for t in ["editions", "changes", "audit", "keys"] {
            for r in v[t].as_array_mut().unwrap() {
                let random_key = r["action"] == "create key";
                let r = r.as_object_mut().unwrap();
                for k in ["created_at", "published_at", "at", "hash", "prev", "prefix"] {
                    r.remove(k);
                }
                if random_key {
                    r.remove("target");
                }
            }
        }
        v
    };
    for b in &backups[1..] {
        assert_eq!(shape(b), shape(&backups[0]));
    }
    // Each backup restored into each database: the same bytes back, the
    // chain verifying, a published edition still guarded.
    for (backup, key) in backups.iter().zip(&keys) {
        for target in &targets {
            let schema_fresh = match target {
                Fresh::Sqlite(p) => {
                    let _ = std::fs::remove_file(p);
                    let _ = std::fs::remove_file(p.with_extension("sqlite-wal"));
                    let _ = std::fs::remove_file(p.with_extension("sqlite-shm"));
                    None
                }
                Fresh::Postgres { url, schema } => Some((url.clone(), schema.clone())),
            };
            if let Some((url, schema)) = schema_fresh {
                postgres::Client::connect(&url, postgres::NoTls)
                    .unwrap()
                    .batch_execute(&format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
                    ))
                    .unwrap();
            }
            let mut store = target.open();
            store.restore(backup).unwrap();
            assert_eq!(&store.backup().unwrap(), backup, "into {}", target.name());
            assert_eq!(store.verify_audit().unwrap(), Ok(7));
            // The key still opens the restored store.
            assert_eq!(
                store.key_holder(key).unwrap().map(|h| h.name),
                Some("amina".to_owned())
            );
            assert!(target.raw("DELETE FROM changes").is_err());
            // The restored store goes on: a new change lands in the draft.
            store
                .change("editor", ("unfile", "A.2.55"), ("", "{}"), "again", None)
                .unwrap();
            assert_eq!(store.verify_audit().unwrap(), Ok(8));
            // A second restore into a store that is not empty is refused,
            // and a document that is not a backup too.
            assert!(matches!(store.restore(backup), Err(StoreError::Backup(_))));
        }
    }
    let mut empty = targets[0].open();
    assert!(matches!(empty.restore("{}"), Err(StoreError::Backup(_))));
}

#[test]
fn keys_are_stored_hashed_and_checked() {
    use fihris_store::Role;
    for db in Fresh::both("keys") {
        let mut store = db.open();
        store.seed("2021", &inputs()).unwrap();
        assert!(store.only_seed().unwrap());
        let key = store.create_key("admin", "amina", Role::Editor).unwrap();
        // A store with a key is no longer a bare seed: it is never made
        // again from newer texts.
        assert!(!store.only_seed().unwrap());
        let holder = store.key_holder(&key).unwrap().unwrap();
        assert_eq!((holder.name.as_str(), holder.role), ("amina", Role::Editor));
        // The secret is nowhere in the store, not even in a backup.
        let secret = key.rsplit('_').next().unwrap();
        let backup = store.backup().unwrap();
        assert!(!backup.contains(secret), "{}", db.name());
        assert!(backup.contains("$argon2id$"));
        // A wrong secret, an unknown prefix, not a key at all: nobody.
        let mut wrong = key.clone();
        wrong.pop();
        wrong.push(if key.ends_with('0') { '1' } else { '0' });
        assert_eq!(store.key_holder(&wrong).unwrap(), None);
        assert_eq!(store.key_holder("fihris_ffffffffffff_00").unwrap(), None);
        assert_eq!(store.key_holder("Bearer nothing").unwrap(), None);
        assert!(store.create_key("admin", " ", Role::Reader).is_err());
        assert!("owner".parse::<Role>().is_err());
        assert!(Role::Publisher > Role::Editor && Role::Editor > Role::Reader);
        // Made keys are audited, without the key.
        let last = store.audit().unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.after.as_str()),
            ("create key", "amina (editor)")
        );
        assert!(!last.target.contains(secret));
        // Listed without secrets; revoked, it opens nothing (audited).
        let listed = store.keys().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].name.as_str(), listed[0].role),
            ("amina", Role::Editor)
        );
        assert!(key.starts_with(&format!("fihris_{}_", listed[0].prefix)));
        assert!(store.revoke_key("admin", &listed[0].prefix).unwrap());
        assert!(!store.revoke_key("admin", &listed[0].prefix).unwrap());
        assert_eq!(store.key_holder(&key).unwrap(), None);
        assert!(store.keys().unwrap().is_empty());
        let last = store.audit().unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.before.as_str()),
            ("revoke key", "amina (editor)")
        );
        assert!(store.verify_audit().unwrap().is_ok());
        // Revoked, the key still stands in the audit log: not a bare seed.
        assert!(!store.only_seed().unwrap());
    }
}
