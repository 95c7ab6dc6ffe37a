//! `fihris search`: ranked hits with citations, highlighted snippets and
//! facets.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use std::path::{Path, PathBuf};

use fihris_meaning::Error as MeaningError;
use fihris_model::Corpus;
use fihris_search::dense::MatchedBy;
use fihris_search::{Mode, Notice, Request, SearchError, SearchIndex, docs_of};
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

/// Runs one search and prints it: in `mode`, or hybrid when the model is
/// there and lexical (saying why) when not.
pub fn search(
    out: &mut impl Write,
    corpus: &Corpus,
    req: &Request,
    mode: Option<Mode>,
    dirs: &[PathBuf],
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let index = SearchIndex::build(docs_of(corpus), None, |_| {})?;
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let engine = match mode {
        Some(Mode::Lexical) => Err(None),
        _ => fihris_meaning::open(corpus, &dirs, &mut |step| {
            if step.starts_with("embedding") {
                eprintln!("fihris: {step}");
            }
        })
        .map_err(|e| Some(e.to_string())),
    };
    let answer = match &engine {
        Ok(engine) => engine
            .search(&index, corpus, req, mode.unwrap_or_default())
            .map(|(r, topics)| {
                let near = topics.into_iter().map(|t| (t.id, t.score));
                SearchView::of(r).with_topics(corpus, near)
            }),
        Err(why) => index
            .search(Some(corpus), req)
            .map(|mut r| {
                r.notices.extend(why.as_deref().map(Notice::no_model));
                SearchView::of(r)
            })
            .map_err(MeaningError::from),
    };
    let view = match answer {
        Ok(v) => v,
        Err(MeaningError::Search(SearchError::Query(e))) => {
            eprintln!("fihris: query error: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let (query, offset) = (req.query, req.offset);
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let tty = std::io::stdout().is_terminal();
    match &view.citation {
        Some(c) => writeln!(out, "citation «{query}» → {c}")?,
        None => writeln!(
            out,
            "{} results for «{query}» ({} match every word; {} search) — {} نتيجة",
            view.total,
            view.complete,
            view.mode.as_str(),
            view.total
        )?,
    }
    for n in &view.notices {
        writeln!(out, "note: {} — {}", n.message, n.message_ar)?;
    }
    if !view.topics.is_empty() {
        let names: Vec<String> = view
            .topics
            .iter()
            .map(|t| match &t.label_en {
                Some(en) => format!("{} «{}» ({en})", t.id, t.label),
                None => format!("{} «{}»", t.id, t.label),
            })
            .collect();
        writeln!(
            out,
            "topics close to the query — مواضيع قريبة: {}",
            names.join("; ")
        )?;
    }
    for (k, h) in view.hits.iter().enumerate() {
        let report = corpus
            .report_citation(&h.id)
            .map(|(s, p)| format!("  [{s}, {p}]"))
            .unwrap_or_default();
        let by = match h.matched_by {
            MatchedBy::Words => "",
            MatchedBy::Meaning => "  (by meaning — بالمعنى)",
            MatchedBy::Both => "  (by words and meaning — بالكلمات والمعنى)",
        };
        writeln!(
            out,
            "{:>3}. {:<12} {}  ·  {}{report}{by}",
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
