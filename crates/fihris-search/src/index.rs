//! The search index: one tantivy document per provision, with the text
//! analysed twice (stemmed for ranking, normalized for phrases and
//! prefixes), the text of its enclosing provisions as context, and facets
//! (part, section, year, kind, topics, instrument) kept beside it.

use std::path::Path;

use fihris_model::{Corpus, Parent, Provision, ProvisionId, TopicId};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::analyzer::{NORMALIZED, ROOTED, STEMMED, normalized, rooted, stemmed};

/// What one searchable document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Provision id (its section, part and kind are facets).
    pub id: ProvisionId,
    /// Its text as printed.
    pub text: String,
    /// Text of the enclosing provisions (a sub-paragraph's chapeau).
    pub context: String,
    /// Year of the meeting or session.
    pub year: u16,
    /// Topic ids it is filed under (used only for the `topic:` filter and
    /// facets, never for ranking).
    pub topics: Vec<TopicId>,
}

/// Facet data kept in memory, by document ordinal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Meta {
    /// Id.
    pub id: ProvisionId,
    /// Year.
    pub year: u16,
    /// Topic ids.
    pub topics: Vec<TopicId>,
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Stemmed text.
    pub stem: Field,
    /// Normalized text (phrases, prefixes).
    pub norm: Field,
    /// Stemmed context (enclosing provisions).
    pub context: Field,
    /// Clitic-stripped text.
    pub root: Field,
    /// The text as printed (stored only).
    pub raw: Field,
    /// Document ordinal (fast).
    pub ord: Field,
    /// Id.
    pub id: Field,
    /// Section id.
    pub section: Field,
    /// Part.
    pub part: Field,
    /// Year.
    pub year: Field,
    /// Kind.
    pub kind: Field,
    /// Topic ids.
    pub topic: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |name: &str, positions: bool| {
        let record = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(name)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        stem: b.add_text_field("stem", text(STEMMED, true)),
        norm: b.add_text_field("norm", text(NORMALIZED, true)),
        context: b.add_text_field("context", text(STEMMED, false)),
        root: b.add_text_field("root", text(ROOTED, true)),
        raw: b.add_text_field("raw", STORED),
        ord: b.add_u64_field("ord", FAST | STORED),
        id: b.add_text_field("id", STRING | STORED),
        section: b.add_text_field("section", STRING),
        part: b.add_text_field("part", STRING),
        year: b.add_u64_field("year", INDEXED | FAST),
        kind: b.add_text_field("kind", STRING),
        topic: b.add_text_field("topic", STRING),
    };
    (b.build(), fields)
}

/// Errors of building or opening an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy refused.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A built index with its in-memory facet table.
pub struct SearchIndex {
    /// The tantivy index.
    pub(crate) index: Index,
    /// Its reader.
    pub(crate) reader: IndexReader,
    /// Its fields.
    pub(crate) fields: Fields,
    /// Facets by ordinal.
    pub(crate) meta: Vec<Meta>,
    /// Close spellings of the indexed stems (typo tolerance).
    pub(crate) spellings: crate::spelling::Spellings,
    /// The analysed forms of printed words, for snippets.
    pub(crate) printed: crate::snippet::PrintedForms,
}

/// The documents of a record: each provision with its context and facets.
pub fn docs_of(corpus: &Corpus) -> Vec<Doc> {
    // Looked up once: a record grown to 100,000 provisions must not be
    // searched linearly for each parent and each filing.
    let by_id: std::collections::HashMap<&ProvisionId, &Provision> =
        corpus.provisions.iter().map(|p| (&p.id, p)).collect();
    let mut filed: std::collections::HashMap<&ProvisionId, Vec<usize>> =
        std::collections::HashMap::new();
    for (k, t) in corpus.topics.iter().enumerate() {
        for p in &t.provisions {
            filed.entry(p).or_default().push(k);
        }
    }
    let context_of = |p: &Provision| {
        let mut parts = Vec::new();
        let mut parent = p.id.parent();
        while let Parent::Provision(id) = parent {
            if let Some(q) = by_id.get(&id) {
                parts.push(q.text.as_str());
            }
            parent = id.parent();
        }
        parts.join("\n")
    };
    // The topics filing the provision or one that contains it, in index
    // order (as `Corpus::topics_of`).
    let topics_of = |p: &Provision| {
        let mut found: Vec<usize> = filed.get(&p.id).cloned().unwrap_or_default();
        let mut parent = p.id.parent();
        while let Parent::Provision(id) = parent {
            if let Some(ks) = filed.get(&id) {
                found.extend(ks);
            }
            parent = id.parent();
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|k| corpus.topics[k].id.clone())
            .collect()
    };
    let sections: std::collections::HashMap<_, _> =
        corpus.sections.iter().map(|s| (s.id, s)).collect();
    corpus
        .provisions
        .iter()
        .map(|p| {
            let section = sections.get(&p.id.section);
            let year = section
                .and_then(|s| {
                    s.meeting
                        .as_ref()
                        .and_then(|m| m.year)
                        .or(s.session.as_ref().and_then(|c| c.year))
                })
                .unwrap_or(0);
            Doc {
                id: p.id.clone(),
                text: p.text.clone(),
                context: context_of(p),
                year,
                topics: topics_of(p),
            }
        })
        .collect()
}

impl SearchIndex {
    /// Builds an index of `docs` in memory (`dir: None`) or in a directory.
    /// `progress` is called with the number of documents added so far.
    pub fn build(
        docs: impl IntoIterator<Item = Doc>,
        dir: Option<&Path>,
        mut progress: impl FnMut(usize),
    ) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        let index = match dir {
            Some(d) => Index::create_in_dir(d, schema)?,
            None => Index::create_in_ram(schema),
        };
        index.tokenizers().register(STEMMED, stemmed());
        index.tokenizers().register(NORMALIZED, normalized());
        index.tokenizers().register(ROOTED, rooted());
        // One writer thread: the documents land in their order, so the same
        // record always gives the same index and the same rankings (with
        // two, which thread took a provision decided near ties, and a
        // restarted server could order a page differently).
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 256_000_000)?;
        let mut meta = Vec::new();
        for (ord, d) in docs.into_iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.stem, &d.text);
            doc.add_text(fields.norm, &d.text);
            doc.add_text(fields.context, &d.context);
            doc.add_text(fields.root, &d.text);
            doc.add_text(fields.raw, &d.text);
            doc.add_u64(fields.ord, ord as u64);
            doc.add_text(fields.id, d.id.to_string());
            doc.add_text(fields.section, d.id.section.to_string());
            doc.add_text(fields.part, d.id.section.part.latin().to_string());
            doc.add_u64(fields.year, u64::from(d.year));
            doc.add_text(fields.kind, d.id.kind().as_str());
            for t in &d.topics {
                doc.add_text(fields.topic, t.as_str());
            }
            writer.add_document(doc)?;
            meta.push(Meta {
                id: d.id,
                year: d.year,
                topics: d.topics,
            });
            if (ord + 1) % 10_000 == 0 {
                progress(ord + 1);
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        progress(meta.len());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let spellings = crate::spelling::Spellings::build(&reader.searcher(), fields.stem)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            meta,
            spellings,
            printed: Default::default(),
        })
    }
}
