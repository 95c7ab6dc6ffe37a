//! `fihris search`: ranked hits with citations, highlighted snippets and
//! facets.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use fihris_model::{Corpus, ProvisionId};
use fihris_search::{Request, SearchError, SearchIndex, Sort, docs_of};
use serde_json::json;

/// Marks a highlighted word: bold on a terminal, asterisks otherwise.
fn mark(out: &mut String, word: &str, tty: bool) {
    if tty {
        out.push_str("\x1b[1m");
        out.push_str(word);
        out.push_str("\x1b[0m");
    } else {
        out.push('*');
        out.push_str(word);
        out.push('*');
    }
}

/// Runs one search and prints it.
pub fn search(
    out: &mut impl Write,
    corpus: &Corpus,
    query: &str,
    limit: usize,
    offset: usize,
    sort: Sort,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let index = SearchIndex::build(docs_of(corpus), None, |_| {})?;
    let req = Request {
        query,
        limit,
        offset,
        sort,
        facets: true,
    };
    let resp = match index.search(Some(corpus), &req) {
        Ok(r) => r,
        Err(SearchError::Query(e)) => {
            eprintln!("fihris: query error: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if as_json {
        let hits: Vec<_> = resp
            .hits
            .iter()
            .map(|h| {
                let id: Option<ProvisionId> = h.id.parse().ok();
                json!({
                    "id": h.id,
                    "score": h.score,
                    "complete": h.complete,
                    "citation_ar": id.as_ref().map(ProvisionId::cite_ar),
                    "citation_en": id.as_ref().map(ProvisionId::cite_en),
                    "snippet": h.snippet,
                    "highlights": h.highlights,
                })
            })
            .collect();
        let v = json!({
            "query": resp.query, "citation": resp.citation, "total": resp.total,
            "complete": resp.complete, "hits": hits, "facets": resp.facets,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let tty = std::io::stdout().is_terminal();
    match &resp.citation {
        Some(c) => writeln!(out, "citation «{query}» → {c}")?,
        None => writeln!(
            out,
            "{} results for «{query}» ({} match every word) — {} نتيجة",
            resp.total, resp.complete, resp.total
        )?,
    }
    for (k, h) in resp.hits.iter().enumerate() {
        let id: Option<ProvisionId> = h.id.parse().ok();
        let cites = id
            .as_ref()
            .map(|i| format!("{}  ·  {}", i.cite_ar(), i.cite_en()))
            .unwrap_or_default();
        let report = id
            .as_ref()
            .and_then(|i| {
                corpus
                    .report_citation(i)
                    .map(|(s, p)| format!("  [{s}, {p}]"))
            })
            .unwrap_or_default();
        writeln!(out, "{:>3}. {:<12} {cites}{report}", offset + k + 1, h.id)?;
        let text = if h.snippet.is_empty() {
            id.as_ref()
                .and_then(|i| corpus.provision(i))
                .map(|p| p.text.clone())
                .unwrap_or_default()
        } else {
            let mut s = String::new();
            let mut at = 0;
            for (a, b) in &h.highlights {
                s.push_str(&h.snippet[at..*a]);
                mark(&mut s, &h.snippet[*a..*b], tty);
                at = *b;
            }
            s.push_str(&h.snippet[at..]);
            s
        };
        writeln!(out, "     {}", text.replace('\n', " "))?;
    }
    let f = &resp.facets;
    let list = |m: Vec<(String, usize)>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "facets:")?;
    writeln!(
        out,
        "  part     {}",
        list(f.part.iter().map(|(k, v)| (k.clone(), *v)).collect())
    )?;
    writeln!(
        out,
        "  section  {}",
        list(f.section.iter().map(|(k, v)| (k.clone(), *v)).collect())
    )?;
    writeln!(
        out,
        "  year     {}",
        list(f.year.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    )?;
    writeln!(
        out,
        "  kind     {}",
        list(f.kind.iter().map(|(k, v)| (k.clone(), *v)).collect())
    )?;
    let mut topics: Vec<(String, usize)> = f.topic.iter().map(|(k, v)| (k.clone(), *v)).collect();
    topics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    topics.truncate(8);
    writeln!(out, "  topics   {}", list(topics))?;
    Ok(ExitCode::SUCCESS)
}
