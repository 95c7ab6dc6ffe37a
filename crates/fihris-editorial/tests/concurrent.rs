//! Optimistic concurrency on both databases: writers holding the same tag
//! race; exactly one change is stored, the others are told to reload.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::{Arc, Barrier};

use fihris_edit::Change;
use fihris_editorial::{Editor, Location, WriteError, seeded};

fn source() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt")
}

/// A fresh SQLite directory and, through `FIHRIS_TEST_POSTGRES`, a fresh
/// PostgreSQL schema (never skipped silently: `FIHRIS_SKIP_POSTGRES=1`).
fn locations(name: &str) -> Vec<Location> {
    let dir = std::env::temp_dir().join(format!("fihris-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = vec![Location::Sqlite(dir)];
    match std::env::var("FIHRIS_TEST_POSTGRES") {
        Ok(url) => {
            let schema = format!("fihris_{name}_{}", std::process::id());
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin
                .batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
                ))
                .unwrap();
            out.push(Location::Postgres(format!(
                "{url} options='-c search_path={schema}'"
            )));
        }
        Err(_) if std::env::var("FIHRIS_SKIP_POSTGRES").as_deref() == Ok("1") => {}
        Err(_) => panic!(
            "FIHRIS_TEST_POSTGRES is not set (.ci/run starts PostgreSQL); FIHRIS_SKIP_POSTGRES=1 skips on purpose"
        ),
    }
    out
}

#[test]
fn writers_racing_on_one_tag_store_one_change() {
    for at in locations("race") {
        let tag = seeded(&at, &source()).unwrap().tag().unwrap();
        let editor = Arc::new(Editor::new(at.clone(), &source()));
        let writers = 4;
        let barrier = Arc::new(Barrier::new(writers));
        let handles: Vec<_> = (0..writers)
            .map(|k| {
                let (editor, barrier, tag) = (editor.clone(), barrier.clone(), tag.clone());
                std::thread::spawn(move || {
                    let change = Change::CorrectText {
                        id: format!("A.2.{}", 50 + k),
                        text: format!("نص مصحح {k} في مجال العدالة الجنائية."),
                    };
                    barrier.wait();
                    editor.apply(&format!("editor{k}"), &change, "race", Some(&tag))
                })
            })
            .collect();
        let results: Vec<Result<String, WriteError>> =
            handles.into_iter().map(|h| h.join().unwrap()).collect();
        let stored = results.iter().filter(|r| r.is_ok()).count();
        let stale = results
            .iter()
            .filter(|r| matches!(r, Err(WriteError::Stale { .. })))
            .count();
        assert_eq!((stored, stale), (1, writers - 1), "{at}: {results:?}");
        let state = editor.draft().unwrap();
        assert_eq!(state.changes.len(), 1, "{at}");
        assert_eq!(
            results.iter().find_map(|r| r.as_ref().ok()),
            Some(&state.tag)
        );
        let store = seeded(&at, &source()).unwrap();
        assert!(store.verify_audit().unwrap().is_ok());
        assert_eq!(store.integrity().unwrap(), "ok");
        drop(store);
        match &at {
            Location::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Location::Postgres(url) => {
                let base = url.split(" options=").next().unwrap();
                let schema = format!("fihris_race_{}", std::process::id());
                let mut admin = postgres::Client::connect(base, postgres::NoTls).unwrap();
                admin
                    .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                    .unwrap();
            }
        }
    }
}
