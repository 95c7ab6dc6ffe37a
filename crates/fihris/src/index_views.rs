//! Terminal views of the thematic index: the topic tree, one topic, the
//! citation resolver, the cross-check report.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use fihris_model::FindingCode;
use fihris_model::cite::{Target, resolve};
use fihris_model::{Corpus, Part, ProvisionId, SectionId, Severity, Topic};
use fihris_view::{topic_by_name, topic_summaries};
use serde_json::json;

use crate::render::section_summary;

/// `fihris topics`: heads shared by several topics group them.
pub fn topics(out: &mut impl Write, corpus: &Corpus, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&topic_summaries(corpus))?
        )?;
        return Ok(());
    }
    let mut groups: BTreeMap<String, Vec<&Topic>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for t in &corpus.topics {
        let key = t
            .path
            .first()
            .cloned()
            .unwrap_or_else(|| format!("~{}", t.id.as_str()));
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(t);
    }
    for key in order {
        let members = &groups[&key];
        match members.as_slice() {
            [t] if t.path.len() <= 1 => {
                let label = if t.unlabelled {
                    "[unlabelled — بلا تسمية]"
                } else {
                    t.label.as_str()
                };
                writeln!(out, "{:>4}  {label}  ({})", t.provisions.len(), t.id)?;
            }
            _ => {
                let mut union: Vec<&ProvisionId> =
                    members.iter().flat_map(|t| &t.provisions).collect();
                union.sort();
                union.dedup();
                writeln!(out, "{:>4}  {key}", union.len())?;
                for t in members {
                    let name = t.path.get(1).map_or(t.label.as_str(), String::as_str);
                    writeln!(out, "{:>8}  › {name}  ({})", t.provisions.len(), t.id)?;
                }
            }
        }
    }
    let labelled = corpus.topics.iter().filter(|t| !t.unlabelled).count();
    writeln!(
        out,
        "{} topics: {labelled} labelled, {} unlabelled",
        corpus.topics.len(),
        corpus.topics.len() - labelled
    )?;
    Ok(())
}

fn report_cite(corpus: &Corpus, id: &ProvisionId) -> Option<String> {
    corpus
        .report_citation(id)
        .map(|(symbol, para)| format!("{symbol}, {para}"))
        .or_else(|| corpus.instrument_citation(id).map(|(en, _)| en))
}

/// `fihris topic <id|label>`.
pub fn topic(
    out: &mut impl Write,
    corpus: &Corpus,
    query: &str,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let t = match topic_by_name(corpus, query) {
        Ok(t) => t,
        Err(hits) => {
            let names: Vec<String> = hits
                .iter()
                .take(8)
                .map(|t| format!("{} ({})", t.label, t.id))
                .collect();
            let hint = if names.is_empty() {
                String::new()
            } else {
                format!("; matches: {}", names.join(", "))
            };
            eprintln!(
                "fihris: not found: no single topic {query:?}{hint} — لا يوجد موضوع واحد بهذا الاسم"
            );
            return Ok(ExitCode::from(1));
        }
    };
    if as_json {
        // The topic as the API gives it (`GET /api/v1/topics/{id}`).
        writeln!(out, "{}", serde_json::to_string_pretty(t)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut by_section: BTreeMap<SectionId, Vec<&ProvisionId>> = BTreeMap::new();
    for p in &t.provisions {
        by_section.entry(p.section).or_default().push(p);
    }
    let title = if t.unlabelled {
        "[unlabelled — بلا تسمية]".to_owned()
    } else {
        t.path.join(" › ")
    };
    writeln!(out, "{title}  ({})", t.id)?;
    writeln!(
        out,
        "  {} provisions · index rows {:?}",
        t.provisions.len(),
        t.rows
    )?;
    let mut part = None;
    for (s, ids) in &by_section {
        if part != Some(s.part) {
            part = Some(s.part);
            let name = match s.part {
                Part::A => "Part A — Working Group recommendations — الجزء ألف",
                Part::B => "Part B — COP decisions and resolutions — الجزء باء",
            };
            writeln!(out, "\n{name}")?;
        }
        let summary = corpus.section(*s).map(section_summary).unwrap_or_default();
        writeln!(out, "  {s}  {summary}")?;
        for id in ids {
            let report = report_cite(corpus, id)
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "    {:<12} {}  ·  {}{report}",
                id.to_string(),
                id.cite_ar(),
                id.cite_en()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `fihris cite "<text>"`.
pub fn cite(
    out: &mut impl Write,
    corpus: &Corpus,
    citation: &str,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    match resolve(corpus, citation) {
        Ok(target) => {
            if as_json {
                let v = match &target {
                    Target::Provision(id) => {
                        json!({ "input": citation, "target": target, "citation_ar": id.cite_ar(), "citation_en": id.cite_en(), "report": report_cite(corpus, id) })
                    }
                    Target::Section(s) => {
                        json!({ "input": citation, "target": target, "citation_ar": s.cite_ar(), "citation_en": s.cite_en() })
                    }
                };
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            match &target {
                Target::Provision(id) => {
                    writeln!(out, "{id}  {}  ·  {}", id.cite_ar(), id.cite_en())?;
                    if let Some(r) = report_cite(corpus, id) {
                        writeln!(out, "  {r}")?;
                    }
                    if let Some(p) = corpus.provision(id) {
                        writeln!(out, "  {}", p.text.lines().next().unwrap_or_default())?;
                    }
                }
                Target::Section(s) => {
                    let summary = corpus.section(*s).map(section_summary).unwrap_or_default();
                    writeln!(
                        out,
                        "{s}  {}  ·  {}  ·  {summary}",
                        s.cite_ar(),
                        s.cite_en()
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if as_json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&json!({ "input": citation, "error": e }))?
                )?;
            } else {
                eprintln!("fihris: {e} — لم يُعثر على المرجع");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// `fihris index-report`.
pub fn index_report(out: &mut impl Write, corpus: &Corpus, as_json: bool) -> anyhow::Result<()> {
    let count = |code: FindingCode| corpus.findings.iter().filter(|f| f.code == code).count();
    let resolved: usize = corpus.index.iter().map(|r| r.provisions.len()).sum();
    let unknown = count(FindingCode::IndexLocationUnknown);
    let unreadable = count(FindingCode::IndexLocationUnreadable);
    let read = resolved + unknown;
    let disagreements: Vec<u32> = corpus
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexColumnsDisagree)
        .map(|f| f.line)
        .collect();
    let labelled = corpus.topics.iter().filter(|t| !t.unlabelled).count();
    if as_json {
        let v = json!({
            "reports": corpus.reports,
            "topics": { "labelled": labelled, "unlabelled": corpus.topics.len() - labelled },
            "rows": corpus.index.len(),
            "references": { "read": read, "resolved": resolved, "unknown": unknown, "unreadable": unreadable },
            "disagreements": disagreements,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "report                  section  offset  pairs agreeing  (report para = compendium para + offset)"
    )?;
    for r in &corpus.reports {
        let unit = if r.recommendations {
            "  (recommendation numbers)"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<23} {:<8} {:>+6}  {:>5}/{:<5}{unit}",
            r.symbol,
            r.section.to_string(),
            r.offset,
            r.agreeing,
            r.pairs
        )?;
    }
    for s in corpus.sections.iter().filter(|s| s.id.part == Part::B) {
        writeln!(
            out,
            "{:<23} {:<8}  (COP session report)",
            s.symbol.as_deref().unwrap_or("?"),
            s.id.to_string()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "topics        {labelled} labelled, {} unlabelled",
        corpus.topics.len() - labelled
    )?;
    writeln!(out, "index rows    {}", corpus.index.len())?;
    let rate = if read == 0 {
        100.0
    } else {
        100.0 * resolved as f64 / read as f64
    };
    writeln!(
        out,
        "references    {read} read, {resolved} resolved ({rate:.1} %), {unknown} name no provision, {unreadable} unreadable (all findings)"
    )?;
    let lost = corpus
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexLabelLost && f.severity >= Severity::Warning)
        .count();
    writeln!(
        out,
        "labels lost   {lost} topics (name them in corpus/errata.toml)"
    )?;
    writeln!(
        out,
        "disagreements {} findings between the location and report columns, lines {:?}",
        disagreements.len(),
        disagreements
    )?;
    Ok(())
}
