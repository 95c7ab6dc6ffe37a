//! The record served from the editorial store: where the store lives, its
//! first seeding from the vendored compendium (edition 2021), and the
//! record of its latest published edition.

use std::path::{Path, PathBuf};

use fihris_edit::Change;
use fihris_editorial::{
    Editor, Location, WriteError, connect, edition_named, existing, record_of_edition, seeded,
};
use fihris_model::Corpus;
use fihris_store::{Edition, Role, Store};

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

/// Says why a write was refused (both languages) and exits 1; a store
/// failure is an error.
fn refused(e: WriteError) -> anyhow::Result<std::process::ExitCode> {
    match e {
        WriteError::Refused(e) => eprintln!("fihris: {} — {}", e.message, e.message_ar),
        WriteError::Stale { current } => {
            eprintln!("fihris: the draft has changed (now {current}) — تغيّرت المسودة")
        }
        WriteError::Unauthorized | WriteError::Forbidden { .. } => {
            eprintln!("fihris: not allowed — غير مسموح")
        }
        WriteError::Failed(e) => return Err(e),
    }
    Ok(std::process::ExitCode::from(1))
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
    match Editor::new(at.clone(), source).apply(actor, change, reason, None) {
        Ok(_) => {
            println!(
                "{} {}: recorded in the draft",
                change.kind(),
                change.target()
            );
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(e) => refused(e),
    }
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
    let e = match Editor::new(at.clone(), source).publish(actor, name, None) {
        Ok(e) => e,
        Err(e) => return refused(e),
    };
    let changes = seeded(at, source)?.changes(&e)?.len();
    println!("edition {} published: {changes} changes", e.name);
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris keys create --role R --name N`: a key, printed once.
pub fn create_key(
    (at, source): (&Location, &Path),
    actor: &str,
    (name, role): (&str, &str),
) -> anyhow::Result<std::process::ExitCode> {
    let role: Role = match role.parse() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fihris: {e} — الدور غير معروف (reader أو editor أو publisher)");
            return Ok(std::process::ExitCode::from(1));
        }
    };
    let key = Editor::new(at.clone(), source).create_key(actor, name, role)?;
    println!("{key}");
    eprintln!(
        "fihris: key made for {name} (role {}); it is shown this once and stored hashed — يُعرض المفتاح مرة واحدة فقط",
        role.as_str()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris keys list`: one line per key, never its secret.
pub fn list_keys(at: &Location) -> anyhow::Result<std::process::ExitCode> {
    for k in existing(at)?.keys()? {
        println!(
            "{}  {:<9}  {}  {}",
            k.prefix,
            k.role.as_str(),
            k.created_at,
            k.name
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `fihris keys revoke PREFIX`: exit 1 if there is no such key.
pub fn revoke_key(
    at: &Location,
    actor: &str,
    prefix: &str,
) -> anyhow::Result<std::process::ExitCode> {
    if existing(at)?.revoke_key(actor, prefix)? {
        println!("key revoked — أُبطل المفتاح");
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        eprintln!("fihris: no key {prefix:?} — لا يوجد مفتاح بهذه البادئة");
        Ok(std::process::ExitCode::from(1))
    }
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
