//! The record served from the editorial store: where the store lives, its
//! first seeding from the vendored compendium (edition 2021), and the
//! record of its latest published edition.

use std::path::{Path, PathBuf};

use fihris_edit::Change;
use fihris_model::Corpus;
use fihris_parse::{ERRATA_FILE, REGISTER_FILE};
use fihris_store::{Edition, Input, Inputs, Store};

/// The name of the edition seeded from the vendored compendium.
pub const FIRST_EDITION: &str = "2021";
/// The store's file inside the data directory.
const STORE_FILE: &str = "store.sqlite";

/// Where the store is.
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
    fihris_parse::parse_texts(
        inputs.source.as_pair(),
        inputs.errata.as_ref().map(Input::as_pair),
        inputs.register.as_ref().map(Input::as_pair),
    )
    .map_err(|e| anyhow::anyhow!("{e} — {}: {}", e.location(), e.message_ar()))
}

/// Opens the store in `data` (creating it), seeds it from `source` as
/// edition 2021 when it is new — or when it holds nothing but a seed of
/// other texts (a newer checkout: no editorial work is lost) — and returns
/// the store's path, the latest published edition, its record and every
/// published edition's.
pub fn open(at: &Location, source: &Path) -> anyhow::Result<Opened> {
    opened(at, &seeded(at, source)?)
}

/// The latest published edition of `store` and every published edition's
/// record.
fn opened(at: &Location, store: &Store) -> anyhow::Result<Opened> {
    let mut editions = Vec::new();
    for e in store.editions()?.into_iter().filter(|e| e.published) {
        let record = std::sync::Arc::new(record_of_edition(store, &e)?);
        let brief = fihris_view::EditionBrief {
            name: e.name.clone(),
            published: true,
            published_at: e.published_at.clone(),
        };
        editions.push((e, brief, record));
    }
    let (edition, _, record) = editions
        .last()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{at}: no published edition"))?;
    Ok(Opened {
        edition,
        corpus: (*record).clone(),
        editions: fihris_view::Editions::new(
            editions.into_iter().map(|(_, b, r)| (b, r)).collect(),
        ),
    })
}

/// The store opened for `serve`.
pub struct Opened {
    /// The latest published edition.
    pub edition: Edition,
    /// Its record.
    pub corpus: Corpus,
    /// Every published edition with its record.
    pub editions: fihris_view::Editions,
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
fn connect(at: &Location) -> anyhow::Result<Store> {
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
    for e in lineage.iter().rev() {
        for (kind, target, body, _) in store.changes(e)? {
            let change: Change = serde_json::from_str(&body).map_err(|err| {
                anyhow::anyhow!("change {kind} of {target} in edition {}: {err}", e.name)
            })?;
            fihris_edit::apply(&mut corpus, &change)
                .map_err(|err| anyhow::anyhow!("edition {}: {err} — {}", e.name, err.message_ar))?;
        }
    }
    Ok(corpus)
}

/// The store of `data` and its edition `name` (`draft`: the open draft).
fn edition_named(store: &Store, name: &str) -> anyhow::Result<Edition> {
    store
        .edition(name)?
        .ok_or_else(|| anyhow::anyhow!("no edition {name:?} in the store — لا توجد نسخة بهذا الاسم"))
}

/// `fihris edit …`: checks `change` against the draft's record (opening a
/// draft after the latest edition if none is open) and records it with its
/// reason. Exit 1 with both languages if it cannot apply.
pub fn edit(
    (at, source): (&Location, &Path),
    actor: &str,
    change: &Change,
    reason: &str,
) -> anyhow::Result<std::process::ExitCode> {
    let mut store = seeded(at, source)?;
    if reason.trim().is_empty() {
        eprintln!("fihris: a change needs a reason (--reason) — يلزم ذكر سبب التعديل");
        return Ok(std::process::ExitCode::from(1));
    }
    let draft = store.draft(actor)?;
    let mut record = record_of_edition(&store, &draft)?;
    let before = fihris_edit::before(&record, change);
    if let Err(e) = fihris_edit::apply(&mut record, change) {
        eprintln!("fihris: {} — {}", e.message, e.message_ar);
        return Ok(std::process::ExitCode::from(1));
    }
    let body = serde_json::to_string(change)?;
    store.change(
        actor,
        change.kind(),
        change.target(),
        (&before, &body),
        reason,
    )?;
    println!(
        "{} {}: recorded in the draft",
        change.kind(),
        change.target()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris import meeting FILE`: the meeting file read (findings printed
/// with their lines, an error refuses it all) and recorded in the draft as
/// one change.
pub fn import_meeting(
    (at, source): (&Location, &Path),
    actor: &str,
    file: &Path,
    reason: &str,
) -> anyhow::Result<std::process::ExitCode> {
    let shown = file.display().to_string();
    let refuse = |en: String, ar: String| {
        eprintln!("fihris: {en} — {ar}");
        Ok(std::process::ExitCode::from(1))
    };
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("cannot read {shown}: {e} — تعذّرت قراءة الملف"))?
        .len();
    if size > fihris_parse::MAX_MEETING_BYTES as u64 {
        return refuse(
            format!(
                "{shown}: {size} bytes; a meeting file may hold {} at most",
                fihris_parse::MAX_MEETING_BYTES
            ),
            "الملف أكبر من الحد المسموح به لملف اجتماع".into(),
        );
    }
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("cannot read {shown}: {e} — تعذّرت قراءة الملف"))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return refuse(
            format!("{shown}: not UTF-8 text"),
            "الملف ليس نصاً بترميز UTF-8".into(),
        );
    };
    let (change, meeting) = match Change::import_meeting(&shown, &text) {
        Ok(found) => found,
        Err(e) => return refuse(e.message, e.message_ar),
    };
    for f in &meeting.findings {
        eprintln!(
            "{shown}:{}: {}: {} — {}",
            f.line, f.severity, f.message, f.message_ar
        );
    }
    let reason = if reason.trim().is_empty() {
        format!(
            "meeting {} imported from {shown}",
            meeting.section.id.ordinal
        )
    } else {
        reason.to_owned()
    };
    let done = edit((at, source), actor, &change, &reason)?;
    if done == std::process::ExitCode::SUCCESS {
        println!(
            "{} provisions, {} footnotes, {} findings",
            meeting.provisions.len(),
            meeting.footnotes.len(),
            meeting.findings.len()
        );
    }
    Ok(done)
}

/// `fihris publish NAME`: the draft becomes edition NAME.
pub fn publish(
    (at, source): (&Location, &Path),
    actor: &str,
    name: &str,
) -> anyhow::Result<std::process::ExitCode> {
    let mut store = seeded(at, source)?;
    let e = store.publish(actor, name)?;
    let changes = store.changes(&e)?.len();
    println!("edition {} published: {changes} changes", e.name);
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris diff A B`: what changed from edition A to edition B (or the
/// draft), as text or JSON.
pub fn diff(
    (at, source): (&Location, &Path),
    (a, b): (&str, &str),
    json: bool,
) -> anyhow::Result<std::process::ExitCode> {
    let store = seeded(at, source)?;
    let ra = record_of_edition(&store, &edition_named(&store, a)?)?;
    let rb = record_of_edition(&store, &edition_named(&store, b)?)?;
    let d = fihris_edit::diff(&ra, &rb);
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if d.is_empty() {
        println!("no differences from {a} to {b}");
    }
    for id in &d.sections_added {
        println!("+ section {id}");
    }
    for id in &d.added {
        println!("+ {id}");
    }
    for id in &d.removed {
        println!("- {id}");
    }
    let marked = |runs: &[fihris_agreed::Run]| -> String {
        runs.iter()
            .map(|r| {
                if r.shared {
                    r.text.clone()
                } else {
                    format!("[{}]", r.text)
                }
            })
            .collect()
    };
    for c in &d.changed {
        println!(
            "~ {}
  before: {}
  after:  {}",
            c.id,
            marked(&c.before),
            marked(&c.after)
        );
    }
    for t in &d.topics_added {
        println!("+ topic {t}");
    }
    for f in &d.filed {
        println!("+ {} under {}", f.provision, f.topic);
    }
    for f in &d.unfiled {
        println!("- {} under {}", f.provision, f.topic);
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Opens the store at `at` as it is, refusing when a SQLite store is not
/// there yet.
fn existing(at: &Location) -> anyhow::Result<Store> {
    if let Location::Sqlite(dir) = at
        && !dir.join(STORE_FILE).is_file()
    {
        anyhow::bail!(
            "no store at {at}: `fihris serve` makes it on first start — لا مخزن في هذا المجلد"
        );
    }
    connect(at)
}

/// `fihris audit verify`: the chain checked; exit 1 at a break.
pub fn audit_verify(at: &Location) -> anyhow::Result<std::process::ExitCode> {
    let store = existing(at)?;
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
pub fn editions(at: &Location) -> anyhow::Result<std::process::ExitCode> {
    let store = existing(at)?;
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

/// `fihris backup FILE`: the whole store as JSON, written atomically.
pub fn backup(at: &Location, file: &Path) -> anyhow::Result<std::process::ExitCode> {
    let store = existing(at)?;
    let json = store.backup()?;
    let tmp = file.with_extension("partial");
    std::fs::write(&tmp, &json)
        .and_then(|()| std::fs::rename(&tmp, file))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    println!("{} bytes written to {}", json.len(), file.display());
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris restore FILE`: a backup into an empty store; exit 1, saying
/// why in both languages, if it cannot be.
pub fn restore(at: &Location, file: &Path) -> anyhow::Result<std::process::ExitCode> {
    let json = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let mut store = connect(at)?;
    match store.restore(&json) {
        Ok(()) => {
            println!("restored into {at}");
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("fihris: {}: {e} — تعذّرت الاستعادة", file.display());
            Ok(std::process::ExitCode::from(1))
        }
    }
}

/// The app serving an opened store's latest edition: its record indexed,
/// the committed vectors if they fit it, every published edition.
pub fn app_of(
    opened: Opened,
    vector_dirs: &[PathBuf],
) -> anyhow::Result<std::sync::Arc<fihris_server::App>> {
    let dirs: Vec<&Path> = vector_dirs.iter().map(PathBuf::as_path).collect();
    let stored = fihris_meaning::stored_provisions(&opened.corpus, &dirs);
    Ok(std::sync::Arc::new(
        fihris_server::App::new(opened.corpus)?
            .with_vectors(stored)
            .with_editions(opened.editions),
    ))
}

/// How often the store is asked whether an edition was published.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Watches the store on a thread of its own: when another process (or
/// another server on the same PostgreSQL) publishes an edition, the new
/// edition's record is built and served from the next request on,
/// without restart. Failures are logged and the current edition served.
pub fn watch(at: Location, vector_dirs: Vec<PathBuf>, served: fihris_server::Served) {
    std::thread::spawn(move || {
        let mut serving = served
            .current()
            .editions
            .briefs()
            .last()
            .map(|b| b.name.clone());
        let mut store = None;
        loop {
            std::thread::sleep(WATCH_EVERY);
            if store.is_none() {
                store = connect(&at).ok();
            }
            let Some(s) = store.as_ref() else { continue };
            let latest = match s.latest() {
                Ok(e) => e.map(|e| e.name),
                Err(e) => {
                    tracing::warn!(error = %e, "store unreachable — تعذّر الوصول إلى المخزن");
                    store = None;
                    continue;
                }
            };
            if latest.is_none() || latest == serving {
                continue;
            }
            let started = std::time::Instant::now();
            match opened(&at, s).and_then(|o| app_of(o, &vector_dirs)) {
                Ok(app) => {
                    served.replace(app);
                    tracing::info!(
                        edition = latest.as_deref().unwrap_or_default(),
                        ready_ms = started.elapsed().as_millis() as u64,
                        "new edition published: serving it — نُشرت نسخة جديدة"
                    );
                    serving = latest;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the new edition could not be built — تعذّر بناء النسخة الجديدة");
                    serving = latest;
                }
            }
        }
    });
}
