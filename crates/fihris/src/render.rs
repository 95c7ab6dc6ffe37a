//! Text and JSON renderings of the record for the terminal.

use std::io::Write;
use std::process::ExitCode;

use fihris_model::{
    Corpus, Provision, ProvisionId, ProvisionKind, Section, SectionId, Severity, XrefTarget,
};
use fihris_view::{DraftView, ProvisionView, SectionView, SimilarView};
use serde_json::{Value, json};

/// One-line description of a section: meeting and dates, or session and
/// instrument.
pub fn section_summary(section: &Section) -> String {
    if let Some(m) = &section.meeting {
        let dates = match (m.start, m.end) {
            (Some(s), Some(e)) if s == e => s.to_string(),
            (Some(s), Some(e)) => format!("{s}/{e}"),
            _ => "dates unknown".into(),
        };
        format!("Working Group meeting {} ({dates})", m.number)
    } else if let Some(s) = &section.session {
        let year = s.year.map(|y| format!(", {y}")).unwrap_or_default();
        format!(
            "COP session {}{year}: {} ({})",
            s.session,
            s.instrument.canonical(),
            s.instrument.arabic()
        )
    } else {
        String::new()
    }
}

/// `fihris show <id>`.
pub fn show(
    out: &mut impl Write,
    corpus: &Corpus,
    id: &str,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    if let Ok(pid) = id.parse::<ProvisionId>()
        && let Some(view) = ProvisionView::of(corpus, &pid)
    {
        show_provision(out, corpus, &view, as_json)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Ok(sid) = id.parse::<SectionId>()
        && let Some(view) = SectionView::of(corpus, sid)
    {
        show_section(out, &view, as_json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let hint = nearest_hint(corpus, id);
    eprintln!(
        "fihris: not found: no provision or section {id:?}{hint} — لا يوجد حكم أو قسم بهذا المعرّف"
    );
    Ok(ExitCode::from(1))
}

/// Largest draft `fihris draft` reads, in bytes (the server takes 8 KiB).
const MAX_CLI_DRAFT: usize = 64 * 1024;

/// `fihris draft`: the draft checked, as Markdown (`en` frames it in
/// English) or as the API's JSON; a draft that cannot be checked is an
/// error in both languages and exit code 1.
pub fn draft(
    out: &mut impl Write,
    corpus: &Corpus,
    text: &str,
    engine: Option<&fihris_meaning::Engine>,
    k: usize,
    (en, as_json): (bool, bool),
) -> anyhow::Result<ExitCode> {
    let draft = match fihris_agreed::Draft::with_limit(text, MAX_CLI_DRAFT) {
        Ok(d) => d,
        Err(e) => {
            let (en_msg, ar_msg) = match e {
                fihris_agreed::DraftError::TooLarge { bytes } => (
                    format!(
                        "the draft is {bytes} bytes; at most {MAX_CLI_DRAFT} are read: split it"
                    ),
                    format!("حجم المشروع {bytes} بايت؛ يُقرأ {MAX_CLI_DRAFT} بايت على الأكثر: قسّمه"),
                ),
                other => (other.message(), other.message_ar()),
            };
            eprintln!("fihris: {en_msg} — {ar_msg}");
            return Ok(ExitCode::from(1));
        }
    };
    let wording = fihris_agreed::similar::Wording::new(corpus);
    let vectors = match engine {
        Some(e) => Some(e.model().embed_documents(&draft.clause_texts())?),
        None => None,
    };
    let meaning = engine
        .zip(vectors.as_deref())
        .map(|(e, v)| (e.provisions(), v));
    let view = DraftView::of(corpus, &wording, &draft, meaning, k);
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
    } else {
        write!(out, "{}", view.to_markdown(en))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `fihris similar <id>`: the provisions closest to one, by wording and
/// (with the stored vectors) by meaning; JSON as the API gives it.
pub fn similar(
    out: &mut impl Write,
    corpus: &Corpus,
    vectors: Option<&fihris_search::dense::DenseIndex>,
    id: &str,
    k: usize,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let wording = fihris_agreed::similar::Wording::new(corpus);
    let view = id
        .parse::<ProvisionId>()
        .ok()
        .and_then(|pid| SimilarView::of(corpus, &wording, vectors, &pid, k));
    let Some(view) = view else {
        let hint = nearest_hint(corpus, id);
        eprintln!("fihris: not found: no provision {id:?}{hint} — لا يوجد حكم بهذا المعرّف");
        return Ok(ExitCode::from(1));
    };
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !view.by_meaning {
        writeln!(
            out,
            "(by shared wording only: no stored vectors fit this record)"
        )?;
    }
    for s in &view.similar {
        let meaning = s
            .meaning
            .map_or(String::new(), |m| format!(" meaning {m:.2}"));
        writeln!(
            out,
            "{:<10} {:<8} wording {:.2}{meaning}  {}",
            s.id.to_string(),
            s.matched_by.as_str(),
            s.wording,
            s.citation.en
        )?;
        let text: String = s.text.iter().map(|r| r.text.as_str()).collect();
        writeln!(
            out,
            "           {}",
            text.chars().take(160).collect::<String>()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `; nearest: …` naming the ids closest to `id`, or nothing.
fn nearest_hint(corpus: &Corpus, id: &str) -> String {
    let near = nearest_ids(corpus, id);
    if near.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", near.join(", "))
    }
}

/// Up to five existing ids sharing the longest prefix with `id`.
fn nearest_ids(corpus: &Corpus, id: &str) -> Vec<String> {
    let all: Vec<String> = corpus
        .sections
        .iter()
        .map(|s| s.id.to_string())
        .chain(corpus.provisions.iter().map(|p| p.id.to_string()))
        .collect();
    let common = |s: &str| {
        s.chars()
            .zip(id.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    let best = all.iter().map(|s| common(s)).max().unwrap_or(0);
    if best == 0 {
        return Vec::new();
    }
    all.into_iter()
        .filter(|s| common(s) == best)
        .take(5)
        .collect()
}

/// One provision, from its view: JSON as the API gives it, or text.
fn show_provision(
    out: &mut impl Write,
    corpus: &Corpus,
    view: &ProvisionView,
    as_json: bool,
) -> anyhow::Result<()> {
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(view)?)?;
        return Ok(());
    }
    let p = &view.provision;
    writeln!(out, "{}  [{}]", p.id, p.id.kind().as_str())?;
    writeln!(out, "  {}", view.citation.ar)?;
    writeln!(out, "  {}", view.citation.en)?;
    if let Some(i) = &view.citation.instrument {
        writeln!(out, "  {}", i.ar)?;
        writeln!(out, "  {}", i.en)?;
    }
    if let Some(s) = corpus.section(p.id.section) {
        writeln!(out, "  section {}: {}", s.id, s.heading)?;
        writeln!(out, "    {}", section_summary(s))?;
    }
    if let Some(r) = &view.citation.report {
        writeln!(out, "  report {}, {}", r.symbol, r.paragraph)?;
    }
    writeln!(out, "  parent {} · lines {}", p.id.parent(), p.lines)?;
    writeln!(out)?;
    for para in p.text.lines() {
        writeln!(out, "  {para}")?;
    }
    if !view.children.is_empty() {
        let children: Vec<String> = view.children.iter().map(ToString::to_string).collect();
        writeln!(out)?;
        writeln!(out, "  contains: {}", children.join(", "))?;
    }
    if !view.topics.is_empty() {
        writeln!(out)?;
        writeln!(out, "  topics:")?;
        for t in &view.topics {
            let label = if t.label.is_empty() {
                "[unlabelled — بلا تسمية]"
            } else {
                t.label.as_str()
            };
            writeln!(out, "    {label}  ({})", t.id)?;
        }
    }
    if !view.cross_references.is_empty() || !view.cited_by.is_empty() {
        writeln!(out)?;
        writeln!(out, "  cross-references:")?;
        for x in &view.cross_references {
            writeln!(out, "    → {}  «{}»", describe(&x.target), x.text)?;
        }
        for x in &view.cited_by {
            writeln!(out, "    ← {}  «{}»", x.from, x.text)?;
        }
    }
    if !view.footnotes.is_empty() {
        writeln!(out)?;
        writeln!(out, "  footnotes:")?;
        for f in &view.footnotes {
            match &f.text {
                Some(text) => writeln!(out, "    ({}) {text}", f.number)?,
                None => writeln!(
                    out,
                    "    ({}) [text missing in the source — النص مفقود في المصدر]",
                    f.number
                )?,
            }
        }
    }
    writeln!(
        out,
        "\n  previous {} · next {}",
        view.previous
            .as_ref()
            .map_or("—".into(), ToString::to_string),
        view.next.as_ref().map_or("—".into(), ToString::to_string)
    )?;
    Ok(())
}

/// One section, from its view: JSON as the API gives it, or text.
fn show_section(out: &mut impl Write, view: &SectionView, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(view)?)?;
        return Ok(());
    }
    let s = &view.section;
    let top: Vec<String> = view
        .provisions
        .iter()
        .filter(|p| p.id.path.len() == 1)
        .map(|p| p.id.to_string())
        .collect();
    writeln!(out, "{}  {}", s.id, s.heading)?;
    writeln!(out, "  {} · {}", s.id.cite_ar(), s.id.cite_en())?;
    writeln!(out, "  {}", section_summary(s))?;
    if let Some(session) = &s.session {
        writeln!(out, "  title: {}", session.title)?;
        writeln!(out, "  chapeau: {}", session.chapeau)?;
    }
    if let Some(note) = &s.note {
        writeln!(out, "  note: {note}")?;
    }
    writeln!(
        out,
        "  lines {} · {} provisions, top level: {}",
        s.lines,
        view.provisions.len(),
        if top.is_empty() {
            "none".into()
        } else {
            top.join(" ")
        }
    )?;
    Ok(())
}

/// One line for a cross-reference target.
fn describe(target: &XrefTarget) -> String {
    match target {
        XrefTarget::Provision { id } => format!("{id} ({})", id.cite_en()),
        XrefTarget::Section { id } => format!("{id} ({})", id.cite_en()),
        XrefTarget::External { reference, .. } => format!("[outside] {reference}"),
    }
}

/// Counts of one section.
fn counts<'a>(provisions: impl Iterator<Item = &'a Provision>) -> [usize; 5] {
    let mut c = [0; 5];
    for p in provisions {
        c[0] += 1;
        let k = match p.id.kind() {
            ProvisionKind::Paragraph => 1,
            ProvisionKind::Subparagraph => 2,
            ProvisionKind::Item => 3,
            ProvisionKind::Preambular => 4,
        };
        c[k] += 1;
    }
    c
}

/// `fihris stats`.
pub fn stats(out: &mut impl Write, corpus: &Corpus, as_json: bool) -> anyhow::Result<()> {
    let total = counts(corpus.provisions.iter());
    let with_text = corpus.footnotes.len();
    let findings = |sev| corpus.findings.iter().filter(|f| f.severity == sev).count();
    if as_json {
        let sections: Vec<Value> = corpus
            .sections
            .iter()
            .map(|s| {
                let c = counts(corpus.provisions_in(s.id));
                json!({ "id": s.id, "summary": section_summary(s), "provisions": c[0],
                        "paragraphs": c[1], "subparagraphs": c[2], "items": c[3], "preambular": c[4] })
            })
            .collect();
        let v = json!({
            "source": corpus.source,
            "sections": sections,
            "provisions": total[0], "paragraphs": total[1], "subparagraphs": total[2],
            "items": total[3], "preambular": total[4],
            "footnotes": with_text,
            "findings": { "error": findings(Severity::Error), "warning": findings(Severity::Warning), "info": findings(Severity::Info) },
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "source    {} ({} bytes, {} lines, sha256 {})",
        corpus.source.path, corpus.source.bytes, corpus.source.lines, corpus.source.sha256
    )?;
    writeln!(
        out,
        "{:<8} {:>6} {:>6} {:>6} {:>6} {:>6}  section",
        "id", "total", "para", "sub", "item", "pream"
    )?;
    for s in &corpus.sections {
        let c = counts(corpus.provisions_in(s.id));
        writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>6} {:>6} {:>6}  {}",
            s.id.to_string(),
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            section_summary(s)
        )?;
    }
    writeln!(
        out,
        "{:<8} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "total", total[0], total[1], total[2], total[3], total[4]
    )?;
    writeln!(out, "footnotes {with_text} with text")?;
    writeln!(
        out,
        "findings  {} errors, {} warnings, {} info",
        findings(Severity::Error),
        findings(Severity::Warning),
        findings(Severity::Info)
    )?;
    Ok(())
}

/// `fihris validate`: findings with line numbers; non-zero exit only when
/// one of them is an error.
pub fn validate(out: &mut impl Write, corpus: &Corpus, as_json: bool) -> anyhow::Result<ExitCode> {
    let errors = corpus
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&corpus.findings)?)?;
    } else {
        for f in &corpus.findings {
            writeln!(
                out,
                "{}:{}: {}[{}]: {} — {}",
                corpus.source.path, f.line, f.severity, f.code, f.message, f.message_ar
            )?;
        }
        let warnings = corpus
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        writeln!(
            out,
            "{} findings: {errors} errors, {warnings} warnings, {} info",
            corpus.findings.len(),
            corpus.findings.len() - errors - warnings
        )?;
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
