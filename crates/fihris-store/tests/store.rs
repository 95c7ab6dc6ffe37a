//! The store on a real SQLite file: seeded from the vendored compendium,
//! reopened, its editions immutable once published, its audit chain
//! verified and found out when tampered with.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use fihris_parse::{Errata, TopicRegister};
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

/// A fresh store file in a directory of its own.
fn temp_store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fihris-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("store.sqlite")
}

#[test]
fn seeded_from_the_compendium_the_record_comes_back_the_same() {
    let path = temp_store("seed");
    let edition = {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.version().unwrap(), 1);
        let e = store.seed("2021", &inputs()).unwrap();
        // Seeding again with the same texts is a no-op.
        assert_eq!(store.seed("2021", &inputs()).unwrap(), e);
        e
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.editions().unwrap(), std::slice::from_ref(&edition));
    assert!(edition.published);
    let stored = store.inputs(&edition).unwrap();
    assert_eq!(stored, inputs());
    // Parsed from the store, the record is the record parsed from the files.
    let errata = stored.errata.as_ref().unwrap();
    let register = stored.register.as_ref().unwrap();
    let from_store = fihris_parse::parse_with(
        stored.source.text.as_bytes(),
        &stored.source.name,
        &Errata::from_toml(&errata.text, &errata.name).unwrap(),
        &TopicRegister::from_toml(&register.text, &register.name).unwrap(),
    )
    .unwrap();
    let from_files =
        fihris_parse::parse_file(&corpus_dir().join("compendium-2021.ar.txt")).unwrap();
    assert_eq!(from_store, from_files);
    assert_eq!(from_store.provisions.len(), 472);
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

#[test]
fn a_published_edition_is_immutable_and_the_draft_publishes_once() {
    let mut store = Store::open(&temp_store("editions")).unwrap();
    let first = store.seed("2021", &inputs()).unwrap();
    // A change without a reason is refused; with one it goes to the draft.
    assert!(
        store
            .change("editor", "correct-text", "A.2.55", ("old", "{}"), " ")
            .is_err()
    );
    store
        .change(
            "editor",
            "correct-text",
            "A.2.55",
            ("old", "{\"text\":\"new\"}"),
            "typo in the source",
        )
        .unwrap();
    let draft = store.draft("editor").unwrap();
    assert!(!draft.published);
    assert_eq!(draft.parent, Some(first.id));
    assert_eq!(store.changes(&draft).unwrap().len(), 1);
    let second = store.publish("publisher", "2027").unwrap();
    assert!(second.published);
    assert_eq!(second.id, draft.id);
    assert!(matches!(
        store.publish("publisher", "2028"),
        Err(StoreError::Missing(_))
    ));
    assert!(matches!(
        store.publish("publisher", "2027"),
        Err(StoreError::Exists(_))
    ));
    // Whoever writes, SQL itself refuses to touch a published edition or
    // its changes.
    let raw = rusqlite::Connection::open(store_path(&store)).unwrap();
    for sql in [
        "UPDATE editions SET name = 'x' WHERE name = '2021'",
        "DELETE FROM editions WHERE name = '2027'",
        "UPDATE changes SET body = '{}'",
        "DELETE FROM changes",
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit WHERE id = 1",
    ] {
        let e = raw.execute(sql, []).unwrap_err().to_string();
        assert!(
            e.contains("immutable") || e.contains("append-only"),
            "{sql}: {e}"
        );
    }
    // A new change opens a new draft after 2027.
    store
        .change(
            "editor",
            "file",
            "A.2.55",
            ("", "{\"topic\":\"training\"}"),
            "belongs there",
        )
        .unwrap();
    assert_eq!(store.draft("editor").unwrap().parent, Some(second.id));
    assert_eq!(store.verify_audit().unwrap(), Ok(6));
}

/// The path of a store's file.
fn store_path(store: &Store) -> PathBuf {
    store.path().unwrap()
}

#[test]
fn a_tampered_or_deleted_audit_entry_is_found() {
    let path = temp_store("audit");
    {
        let mut store = Store::open(&path).unwrap();
        store.seed("2021", &inputs()).unwrap();
        for n in 0..3 {
            store
                .change(
                    "editor",
                    "correct-text",
                    &format!("A.1.{n}"),
                    ("a", "b"),
                    "reason",
                )
                .unwrap();
        }
        assert_eq!(store.verify_audit().unwrap(), Ok(5));
    }
    // Someone with the file drops the guard and rewrites entry 3.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    raw.execute("UPDATE audit SET after = 'c' WHERE id = 3", [])
        .unwrap();
    let store = Store::open(&path).unwrap();
    let broken = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(broken.id, 3);
    assert!(broken.reason.contains("hash"), "{broken:?}");
    // Or rehashes it too: the next entry no longer follows it.
    let mut e = store.audit().unwrap()[2].clone();
    e.hash = e.expected_hash();
    raw.execute("UPDATE audit SET hash = ?1 WHERE id = 3", [&e.hash])
        .unwrap();
    let broken = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(broken.id, 4);
    // Or deletes an entry.
    raw.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
    let broken = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(
        (broken.id, broken.reason.as_str()),
        (3, "entry 2 is missing")
    );
}
