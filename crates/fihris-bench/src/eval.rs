//! Retrieval quality on the compendium's own thematic index: each labelled
//! topic's full label is a query; the provisions filed under it (a filed
//! paragraph with everything inside it) are the relevant set. Ranking never
//! sees the index: the documents carry no topic. Every engine gets the same
//! queries and judgments in the same run.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::Context;
use fihris_model::Corpus;
use fihris_search::analyzer::{analyze, stemmed};
use fihris_search::{Request, SearchIndex, docs_of};
use rusqlite::Connection;
use serde_json::json;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, TantivyDocument, Term, doc};

/// How deep each engine's ranking goes.
pub const DEPTH: usize = 100;

/// A query with its judgments.
pub struct Topic {
    /// Topic id.
    pub id: fihris_model::TopicId,
    /// The query: the topic's full label.
    pub query: String,
    /// Relevant provision ids.
    pub relevant: HashSet<String>,
}

/// The labelled topics of the record as queries.
pub fn topics(corpus: &Corpus) -> Vec<Topic> {
    corpus
        .topics
        .iter()
        .filter(|t| !t.unlabelled)
        .map(|t| Topic {
            id: t.id.clone(),
            query: t.label.clone(),
            relevant: corpus
                .provisions
                .iter()
                .filter(|p| t.provisions.iter().any(|f| p.id.is_within(f)))
                .map(|p| p.id.to_string())
                .collect(),
        })
        .collect()
}

/// Metrics of one ranking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    /// nDCG@10, binary relevance.
    pub ndcg10: f64,
    /// Recall@20.
    pub recall20: f64,
    /// Average precision over the ranking.
    pub ap: f64,
}

/// Scores a ranking against a relevant set.
pub fn score(ranking: &[String], relevant: &HashSet<String>) -> Scores {
    if relevant.is_empty() {
        return Scores::default();
    }
    let gain = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, id)| relevant.contains(*id))
        .map(|(i, _)| gain(i))
        .sum();
    let idcg: f64 = (0..relevant.len().min(10)).map(gain).sum();
    let recall20 = ranking
        .iter()
        .take(20)
        .filter(|id| relevant.contains(*id))
        .count() as f64
        / relevant.len() as f64;
    let mut hits = 0.0;
    let mut sum = 0.0;
    for (i, id) in ranking.iter().enumerate() {
        if relevant.contains(id) {
            hits += 1.0;
            sum += hits / (i + 1) as f64;
        }
    }
    Scores {
        ndcg10: dcg / idcg,
        recall20,
        ap: sum / relevant.len() as f64,
    }
}

/// The documents every engine indexes: id and text only.
fn plain_docs(corpus: &Corpus) -> Vec<(String, String)> {
    corpus
        .provisions
        .iter()
        .map(|p| (p.id.to_string(), p.text.clone()))
        .collect()
}

/// fihris: our analyzer and query semantics, topics removed from the docs.
pub fn run_fihris(corpus: &Corpus, queries: &[String]) -> anyhow::Result<Vec<Vec<String>>> {
    let docs = docs_of(corpus).into_iter().map(|mut d| {
        d.topics.clear();
        d
    });
    let index = SearchIndex::build(docs, None, |_| {})?;
    queries
        .iter()
        .map(|q| {
            let req = Request {
                query: q,
                limit: DEPTH,
                offset: 0,
                sort: fihris_search::Sort::Relevance,
                facets: false,
            };
            let r = index
                .search(None, &req)
                .map_err(|e| anyhow::anyhow!("{q}: {e}"))?;
            Ok(r.hits.into_iter().map(|h| h.id.to_string()).collect())
        })
        .collect()
}

fn fts5(corpus: &Corpus, queries: &[String], analyse: bool) -> anyhow::Result<Vec<Vec<String>>> {
    let db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='unicode61');",
    )?;
    let mut an = stemmed();
    let prep = |text: &str, an: &mut TextAnalyzer| -> String {
        if analyse {
            crate::scale::analysed(an, text)
        } else {
            text.to_owned()
        }
    };
    {
        let mut ins = db.prepare("INSERT INTO t (id, body) VALUES (?1, ?2)")?;
        for (id, text) in plain_docs(corpus) {
            ins.execute((id, prep(&text, &mut an)))?;
        }
    }
    let mut stmt = db.prepare("SELECT id FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT ?2")?;
    queries
        .iter()
        .map(|q| {
            let words: Vec<String> = prep(q, &mut an)
                .split(|c: char| !(c.is_alphanumeric() || ('\u{064B}'..='\u{0652}').contains(&c)))
                .filter(|w| !w.is_empty())
                .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                .collect();
            if words.is_empty() {
                return Ok(Vec::new());
            }
            let rows = stmt.query_map((words.join(" OR "), DEPTH as i64), |r| {
                r.get::<_, String>(0)
            })?;
            rows.collect::<Result<Vec<_>, _>>().map_err(Into::into)
        })
        .collect()
}

/// SQLite FTS5 `unicode61` on the raw text.
pub fn run_fts5_raw(corpus: &Corpus, queries: &[String]) -> anyhow::Result<Vec<Vec<String>>> {
    fts5(corpus, queries, false)
}

/// SQLite FTS5 fed with our normalized and stemmed text.
pub fn run_fts5_stemmed(corpus: &Corpus, queries: &[String]) -> anyhow::Result<Vec<Vec<String>>> {
    fts5(corpus, queries, true)
}

/// tantivy with its built-in tokenizer and Snowball Arabic stemmer.
pub fn run_tantivy_snowball(
    corpus: &Corpus,
    queries: &[String],
) -> anyhow::Result<Vec<Vec<String>>> {
    let mut b = Schema::builder();
    let text = b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("snow")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let id = b.add_text_field("id", STRING | STORED);
    let index = Index::create_in_ram(b.build());
    let analyzer = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Arabic))
            .build()
    };
    index.tokenizers().register("snow", analyzer());
    let mut w = index.writer_with_num_threads(1, 50_000_000)?;
    for (i, t) in plain_docs(corpus) {
        w.add_document(doc!(id => i, text => t))?;
    }
    w.commit()?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut an = analyzer();
    queries
        .iter()
        .map(|q| {
            let terms: Vec<(Occur, Box<dyn Query>)> = analyze(&mut an, q)
                .into_iter()
                .map(|(t, _, _)| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(text, &t),
                            IndexRecordOption::WithFreqs,
                        )) as Box<dyn Query>,
                    )
                })
                .collect();
            let top = searcher.search(
                &BooleanQuery::new(terms),
                &TopDocs::with_limit(DEPTH).order_by_score(),
            )?;
            top.into_iter()
                .map(|(_, addr)| {
                    let d: TantivyDocument = searcher.doc(addr)?;
                    Ok(d.get_first(id)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned())
                })
                .collect()
        })
        .collect()
}

/// The Xapian peer script.
pub fn xapian_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/xapian_peer.py")
}

/// Runs docs and queries through Xapian (Debian's python3-xapian): the
/// rankings, the build time and per-query times in seconds.
pub fn run_xapian_docs(
    docs: &[(String, String)],
    queries: &[String],
    k: usize,
) -> anyhow::Result<(Vec<Vec<String>>, f64, Vec<f64>)> {
    let python = std::env::var("FIHRIS_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let mut child = Command::new(&python)
        .arg(xapian_script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {python} (install python3-xapian)"))?;
    let input = json!({
        "docs": docs.iter().map(|(i, t)| json!({"id": i, "text": t})).collect::<Vec<_>>(),
        "queries": queries,
        "k": k,
    });
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(input.to_string().as_bytes())?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(
        out.status.success(),
        "the Xapian peer failed ({})",
        out.status
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let results = serde_json::from_value(v["results"].clone())?;
    let build = v["build_s"].as_f64().unwrap_or(0.0);
    let times = serde_json::from_value(v["query_s"].clone())?;
    Ok((results, build, times))
}

/// Xapian with its Arabic Snowball stemmer.
pub fn run_xapian(corpus: &Corpus, queries: &[String]) -> anyhow::Result<Vec<Vec<String>>> {
    run_xapian_docs(&plain_docs(corpus), queries, DEPTH).map(|r| r.0)
}
