//! The record served from the editorial store: where the store lives, its
//! first seeding from the vendored compendium (edition 2021), and the
//! record of its latest published edition.

use std::path::{Path, PathBuf};

use fihris_model::Corpus;
use fihris_parse::{ERRATA_FILE, Errata, REGISTER_FILE, TopicRegister};
use fihris_store::{Edition, Input, Inputs, Store};

/// The name of the edition seeded from the vendored compendium.
pub const FIRST_EDITION: &str = "2021";
/// The store's file inside the data directory.
const STORE_FILE: &str = "store.sqlite";

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
fn inputs_at(source: &Path) -> anyhow::Result<Inputs> {
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
    let bilingual =
        |e: fihris_parse::ParseError| anyhow::anyhow!("{e} — {}: {}", e.location(), e.message_ar());
    let errata = match &inputs.errata {
        Some(i) => Errata::from_toml(&i.text, &i.name).map_err(bilingual)?,
        None => Errata::default(),
    };
    let register = match &inputs.register {
        Some(i) => TopicRegister::from_toml(&i.text, &i.name).map_err(bilingual)?,
        None => TopicRegister::default(),
    };
    fihris_parse::parse_with(
        inputs.source.text.as_bytes(),
        &inputs.source.name,
        &errata,
        &register,
    )
    .map_err(bilingual)
}

/// Opens the store in `data` (creating it), seeds it from `source` as
/// edition 2021 when it is new — or when it holds nothing but a seed of
/// other texts (a newer checkout: no editorial work is lost) — and returns
/// the store's path, the latest published edition and its record.
pub fn open(data: &Path, source: &Path) -> anyhow::Result<(PathBuf, Edition, Corpus)> {
    std::fs::create_dir_all(data)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", data.display()))?;
    let path = data.join(STORE_FILE);
    let vendored = inputs_at(source)?;
    let mut store = Store::open(&path)?;
    if let Err(fihris_store::StoreError::Exists(_)) = store.seed(FIRST_EDITION, &vendored) {
        if store.only_seed()? {
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            store = Store::open(&path)?;
            store.seed(FIRST_EDITION, &vendored)?;
        } else {
            tracing::warn!(
                store = %path.display(),
                "the store's edition 2021 was made from other texts than the vendored ones; serving the store — النسخة المخزنة تختلف عن النص المرفق"
            );
        }
    }
    let edition = store
        .latest()?
        .ok_or_else(|| anyhow::anyhow!("{}: no published edition", path.display()))?;
    let corpus = record_of(&store.inputs(&edition)?)?;
    Ok((path, edition, corpus))
}

/// Opens the store of `data` (or the default data directory) as it is,
/// refusing when there is none.
fn existing(data: Option<&Path>) -> anyhow::Result<Store> {
    let path = data_dir(data)?.join(STORE_FILE);
    if !path.is_file() {
        anyhow::bail!(
            "no store at {}: `fihris serve` makes it on first start — لا مخزن في هذا المجلد",
            path.display()
        );
    }
    Ok(Store::open(&path)?)
}

/// `fihris audit verify`: the chain checked; exit 1 at a break.
pub fn audit_verify(data: Option<&Path>) -> anyhow::Result<std::process::ExitCode> {
    let store = existing(data)?;
    match store.verify_audit()? {
        Ok(n) => {
            println!("audit log verified: {n} entries, chain unbroken — سجل التدقيق سليم");
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(b) => {
            eprintln!(
                "fihris: audit log broken at entry {}: {} — سجل التدقيق مكسور عند المدخل {}",
                b.id, b.reason, b.id
            );
            Ok(std::process::ExitCode::from(1))
        }
    }
}

/// `fihris editions`: one line per edition.
pub fn editions(data: Option<&Path>) -> anyhow::Result<std::process::ExitCode> {
    let store = existing(data)?;
    for e in store.editions()? {
        println!(
            "{:<8} {:<9} {}  source {}",
            e.name,
            if e.published { "published" } else { "draft" },
            e.published_at.as_deref().unwrap_or(&e.created_at),
            &e.source[..12]
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}
