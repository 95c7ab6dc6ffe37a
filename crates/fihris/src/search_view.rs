//! `fihris search`: ranked hits with citations, highlighted snippets and
//! facets.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use fihris_model::Corpus;
use fihris_search::{Request, SearchError, SearchIndex, Sort, docs_of};
use fihris_view::SearchView;

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
    let view = SearchView::of(resp);
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let tty = std::io::stdout().is_terminal();
    match &view.citation {
        Some(c) => writeln!(out, "citation «{query}» → {c}")?,
        None => writeln!(
            out,
            "{} results for «{query}» ({} match every word) — {} نتيجة",
            view.total, view.complete, view.total
        )?,
    }
    for (k, h) in view.hits.iter().enumerate() {
        let report = corpus
            .report_citation(&h.id)
            .map(|(s, p)| format!("  [{s}, {p}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>3}. {:<12} {}  ·  {}{report}",
            offset + k + 1,
            h.id.to_string(),
            h.citation_ar,
            h.citation_en
        )?;
        let text = if h.snippet.is_empty() {
            corpus
                .provision(&h.id)
                .map(|p| p.text.clone())
                .unwrap_or_default()
        } else {
            let mut s = String::new();
            for (run, marked) in h.marked() {
                if marked {
                    mark(&mut s, run, tty);
                } else {
                    s.push_str(run);
                }
            }
            s
        };
        writeln!(out, "     {}", text.replace('\n', " "))?;
    }
    print_facets(out, &view.facets)?;
    Ok(ExitCode::SUCCESS)
}

/// The facets: counts by part, section, year, kind, and the 8 commonest
/// topics.
fn print_facets(out: &mut impl Write, f: &fihris_search::Facets) -> anyhow::Result<()> {
    fn list<K: std::fmt::Display>(m: impl IntoIterator<Item = (K, usize)>) -> String {
        m.into_iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
    writeln!(out, "facets:")?;
    writeln!(
        out,
        "  part     {}",
        list(f.part.iter().map(|(k, v)| (k.latin(), *v)))
    )?;
    writeln!(
        out,
        "  section  {}",
        list(f.section.iter().map(|(k, v)| (k, *v)))
    )?;
    writeln!(
        out,
        "  year     {}",
        list(f.year.iter().map(|(k, v)| (k, *v)))
    )?;
    writeln!(
        out,
        "  kind     {}",
        list(f.kind.iter().map(|(k, v)| (k.as_str(), *v)))
    )?;
    let mut topics: Vec<(&fihris_model::TopicId, usize)> =
        f.topic.iter().map(|(k, v)| (k, *v)).collect();
    topics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    topics.truncate(8);
    writeln!(out, "  topics   {}", list(topics))?;
    Ok(())
}
