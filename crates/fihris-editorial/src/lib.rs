//! # fihris-editorial
//!
//! The editorial path, shared by the command line and the HTTP API:
//! where the store is ([`Location`]: a SQLite file in a data directory, or
//! PostgreSQL), its first seeding from the vendored compendium (edition
//! 2021), the record of any edition (its texts parsed, then the changes of
//! its lineage applied), and [`Editor`]: the checked writes — a key and
//! its role, the draft's tag (optimistic concurrency), the change checked
//! against the draft's record before it is stored — and what the draft
//! is now (its changes, its differences from the latest edition, the
//! cross-check of the thematic index against its text).
//!
//! Not here: printing (the `fihris` binary), HTTP (fihris-server).

mod editor;

use std::path::{Path, PathBuf};

use fihris_edit::Change;
use fihris_model::Corpus;
use fihris_parse::{ERRATA_FILE, REGISTER_FILE};
use fihris_store::{Edition, Input, Inputs, Store};

pub use editor::{AddedProvision, ChangeEntry, DraftState, Editor, WriteError};
pub use fihris_parse::MAX_MEETING_BYTES;

/// The name of the edition seeded from the vendored compendium.
pub const FIRST_EDITION: &str = "2021";
/// The store's file inside the data directory.
pub const STORE_FILE: &str = "store.sqlite";

/// Where the store is.
#[derive(Debug, Clone)]
pub enum Location {
    /// A SQLite file in this data directory.
    Sqlite(PathBuf),
    /// A PostgreSQL database (its connection string).
    Postgres(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(dir) => write!(f, "{}", dir.join(STORE_FILE).display()),
            Location::Postgres(url) => write!(f, "PostgreSQL {}", redacted(url)),
        }
    }
}

/// A connection string without its password, for the log.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or(user);
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url
            .split_whitespace()
            .filter(|kv| !kv.starts_with("password="))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Where the store is: `--store` (a PostgreSQL connection string), else a
/// SQLite file in the data directory ([`data_dir`]).
pub fn location(data: Option<&Path>, store: Option<&str>) -> anyhow::Result<Location> {
    match store {
        Some(url) => Ok(Location::Postgres(url.to_owned())),
        None => Ok(Location::Sqlite(data_dir(data)?)),
    }
}

/// The data directory: `--data`, else `FIHRIS_DATA`, else
/// `$XDG_DATA_HOME/fihris`, else `~/.local/share/fihris`.
pub fn data_dir(asked: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = asked {
        return Ok(d.to_path_buf());
    }
    if let Some(d) = std::env::var_os("FIHRIS_DATA") {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return Ok(PathBuf::from(d).join("fihris"));
    }
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".local/share/fihris"))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no data directory: pass --data DIR or set FIHRIS_DATA — لا مجلد للبيانات: حدّد --data"
            )
        })
}

/// The texts the record is made of, read from `source` and the errata and
/// register beside it.
pub fn inputs_at(source: &Path) -> anyhow::Result<Inputs> {
    let read = |p: &Path| -> anyhow::Result<Input> {
        Ok(Input {
            name: p.display().to_string(),
            text: std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?,
        })
    };
    let beside = |name: &str| {
        let p = source.with_file_name(name);
        p.is_file().then(|| read(&p)).transpose()
    };
    Ok(Inputs {
        source: read(source)?,
        errata: beside(ERRATA_FILE)?,
        register: beside(REGISTER_FILE)?,
    })
}

/// The record made of `inputs`: the source parsed with its errata and
/// register.
pub fn record_of(inputs: &Inputs) -> anyhow::Result<Corpus> {
    fihris_parse::parse_texts(
        inputs.source.as_pair(),
        inputs.errata.as_ref().map(Input::as_pair),
        inputs.register.as_ref().map(Input::as_pair),
    )
    .map_err(|e| anyhow::anyhow!("{e} — {}: {}", e.location(), e.message_ar()))
}

/// The store at `at` (created), seeded from `source` as edition 2021
/// when it is new, or — a SQLite file that holds nothing but a seed of
/// other texts — made again (no editorial work is lost).
pub fn seeded(at: &Location, source: &Path) -> anyhow::Result<Store> {
    let vendored = inputs_at(source)?;
    let mut store = connect(at)?;
    match store.seed(FIRST_EDITION, &vendored) {
        Ok(_) => {}
        Err(fihris_store::StoreError::Exists(_)) => match at {
            Location::Sqlite(dir) if store.only_seed()? => {
                drop(store);
                let path = dir.join(STORE_FILE);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                store = connect(at)?;
                store.seed(FIRST_EDITION, &vendored)?;
            }
            _ => tracing::warn!(
                store = %at,
                "the store's edition 2021 was made from other texts than the vendored ones; serving the store — النسخة المخزنة تختلف عن النص المرفق"
            ),
        },
        Err(e) => return Err(e.into()),
    }
    Ok(store)
}

/// Opens (creating) the store at `at`.
pub fn connect(at: &Location) -> anyhow::Result<Store> {
    match at {
        Location::Sqlite(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            Ok(Store::open(&dir.join(STORE_FILE))?)
        }
        Location::Postgres(url) => Store::open_postgres(url)
            .map_err(|e| anyhow::anyhow!("{}: {e} — تعذّر الاتصال بقاعدة البيانات", redacted(url))),
    }
}

/// The record of `edition`: its texts parsed, then the changes of every
/// edition from the first to it, in order.
pub fn record_of_edition(store: &Store, edition: &Edition) -> anyhow::Result<Corpus> {
    let mut corpus = record_of(&store.inputs(edition)?)?;
    let editions = store.editions()?;
    let mut lineage = vec![edition.clone()];
    while let Some(parent) = lineage.last().and_then(|e| e.parent) {
        let e = editions
            .iter()
            .find(|e| e.id == parent)
            .ok_or_else(|| anyhow::anyhow!("edition {parent} is missing"))?;
        lineage.push(e.clone());
    }
    let mut changes = Vec::new();
    let mut from = Vec::new();
    for e in lineage.iter().rev() {
        for (kind, target, body, _) in store.changes(e)? {
            let change: Change = serde_json::from_str(&body).map_err(|err| {
                anyhow::anyhow!("change {kind} of {target} in edition {}: {err}", e.name)
            })?;
            changes.push(change);
            from.push(e.name.clone());
        }
    }
    fihris_edit::apply_all(&mut corpus, &changes)
        .map_err(|(k, err)| anyhow::anyhow!("edition {}: {err} — {}", from[k], err.message_ar))?;
    Ok(corpus)
}

/// The store of `data` and its edition `name` (`draft`: the open draft).
pub fn edition_named(store: &Store, name: &str) -> anyhow::Result<Edition> {
    store
        .edition(name)?
        .ok_or_else(|| anyhow::anyhow!("no edition {name:?} in the store — لا توجد نسخة بهذا الاسم"))
}

/// Opens the store at `at` as it is, refusing when a SQLite store is not
/// there yet.
pub fn existing(at: &Location) -> anyhow::Result<Store> {
    if let Location::Sqlite(dir) = at
        && !dir.join(STORE_FILE).is_file()
    {
        anyhow::bail!(
            "no store at {at}: `fihris serve` makes it on first start — لا مخزن في هذا المجلد"
        );
    }
    connect(at)
}
