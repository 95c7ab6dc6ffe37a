//! A query with no Arabic rendered in the record's own Arabic words, so
//! that the words' side of a hybrid search serves it too: each word of
//! the query (function words left out) becomes the word of the provisions
//! whose vector is closest to its own. «victims compensation» becomes
//! «الضحايا التعويضات», which the Arabic search then matches with its
//! stems and ranks by BM25, beside the meaning side.
//!
//! An Arabic query's words that no provision has are read the same way
//! ([`Vocabulary::close`]): each closest record word close enough is
//! searched in its place («المعلمون» teachers → «التعليم» education).
//!
//! The vocabulary is every Arabic word of the provisions; its vectors are
//! the model's document vectors of each word alone, cut to their first
//! [`DIMS`] dimensions (EmbeddingGemma is trained so that a prefix of its
//! vector is a vector too) and stored like the provisions' vectors, keyed
//! by model and words.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};

use lru::LruCache;

use fihris_embed::Embedder;
use fihris_embed::vectors::{self, Vectors};
use fihris_model::Corpus;
use fihris_search::analyzer::is_stopword;
use fihris_search::{MAX_QUERY_CHARS, has_arabic};

use crate::{Error, Log};

/// Dimensions kept of each word's vector.
pub const DIMS: usize = 256;

/// The least cosine (of [`DIMS`]-long document vectors) at which the
/// record's closest word stands in for an Arabic query word that no
/// provision has: «المعلمون» → «التعليم» 0.91, «اللاجئون» → «واللجوء»
/// 0.91, «ذوو» → «ذوي» 0.89; below it most pairs are unrelated words
/// («حياة» → «شفويّاً» 0.78, «أيدي» → «عدّة» 0.82).
pub const CLOSE_WORD: f32 = 0.85;

/// The kind of the stored vectors.
const KIND: &str = "words";

/// Languages whose function words a query leaves out before rendering
/// (NLTK's lists): the UN languages besides Arabic, which is never
/// rendered.
const STOP_LANGUAGES: [&str; 5] = ["en", "fr", "es", "ru", "zh"];

/// The record's Arabic words with their vectors.
pub struct Vocabulary {
    words: Vec<String>,
    /// [`DIMS`] floats per word, unit length, in the order of `words`.
    data: Vec<f32>,
}

/// The Arabic words of the provisions, each once, in order: runs of
/// letters with at least one Arabic letter, two letters or longer.
pub fn record_words(corpus: &Corpus) -> Vec<String> {
    let mut words = BTreeSet::new();
    for p in &corpus.provisions {
        for w in p.text.split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() >= 2 && has_arabic(w) {
                words.insert(w.to_owned());
            }
        }
    }
    words.into_iter().collect()
}

/// The words as documents for the vector store: each word its own id.
pub fn word_docs(words: &[String]) -> Vec<(String, String)> {
    words.iter().map(|w| (w.clone(), w.clone())).collect()
}

/// The first [`DIMS`] values of `v`, scaled back to unit length.
fn cut(v: &[f32]) -> Vec<f32> {
    let head = &v[..DIMS.min(v.len())];
    let norm = head.iter().map(|x| x * x).sum::<f32>().sqrt();
    let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
    head.iter().map(|x| x * scale).collect()
}

/// The document vectors of `words`, [`cut`], a few hundred at a time.
fn embed_cut(model: &dyn Embedder, words: &[&str]) -> Result<Vec<Vec<f32>>, Error> {
    let mut out = Vec::with_capacity(words.len());
    for chunk in words.chunks(256) {
        out.extend(model.embed_documents(chunk)?.iter().map(|v| cut(v)));
    }
    Ok(out)
}

/// Function words of the languages in [`STOP_LANGUAGES`], lower case.
fn function_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        STOP_LANGUAGES
            .iter()
            .filter_map(|l| stop_words::lookup(l))
            .flat_map(|list| list.iter().copied())
            .collect()
    })
}

/// Query words' vectors remembered across queries, [`cut`], the least
/// recently used let go beyond [`Remembered::CAPACITY`]: a word met
/// before is not embedded again (most queries share their words with
/// earlier ones).
pub struct Remembered(Mutex<LruCache<String, Vec<f32>>>);

impl Default for Remembered {
    fn default() -> Self {
        Remembered(Mutex::new(LruCache::new(Self::CAPACITY)))
    }
}

impl Remembered {
    /// Most words remembered (4 MB of vectors).
    pub const CAPACITY: NonZeroUsize = NonZeroUsize::new(4096).unwrap();

    /// The vectors of `words`, in order: those remembered, and the rest
    /// made by `embed` (called once, with the words not remembered, only
    /// if there are any; it returns their vectors in the same order) and
    /// remembered from then on. No lock is held while `embed` runs.
    pub fn vectors<E>(
        &self,
        words: &[String],
        embed: impl FnOnce(&[&str]) -> Result<Vec<Vec<f32>>, E>,
    ) -> Result<Vec<Vec<f32>>, E> {
        let known: Vec<Option<Vec<f32>>> = {
            let mut cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            words.iter().map(|w| cache.get(w).cloned()).collect()
        };
        let new: Vec<&str> = words
            .iter()
            .zip(&known)
            .filter(|(_, k)| k.is_none())
            .map(|(w, _)| w.as_str())
            .collect();
        let mut fresh = if new.is_empty() {
            Vec::new()
        } else {
            embed(&new)?
        }
        .into_iter()
        .map(|v| cut(&v));
        let mut out = Vec::with_capacity(words.len());
        let mut cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for (w, k) in words.iter().zip(known) {
            match k.or_else(|| fresh.next()) {
                Some(v) => {
                    cache.put(w.clone(), v.clone());
                    out.push(v);
                }
                None => break,
            }
        }
        Ok(out)
    }

    /// How many words are remembered.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The words of a query that rendering reads: lower-cased runs of letters
/// of two or more that are not function words; a run of Chinese
/// characters cut into its words by jieba's dictionary. Other scripts
/// written without spaces (kana, Hangul, Thai) are left to the meaning
/// side. `None` for a query with Arabic.
pub fn query_words(text: &str) -> Option<Vec<String>> {
    if has_arabic(text) {
        return None;
    }
    let stop = function_words();
    let mut out: Vec<String> = Vec::new();
    for run in text.split(|c: char| !c.is_alphabetic()) {
        let run = run.to_lowercase();
        let words: Vec<String> = if run.chars().any(han) {
            chinese()
                .cut(&run, false)
                .into_iter()
                .map(|t| t.word.to_owned())
                .collect()
        } else if run.chars().any(unspaced) {
            continue;
        } else {
            vec![run]
        };
        for w in words {
            if w.chars().count() >= 2 && !stop.contains(w.as_str()) && !out.contains(&w) {
                out.push(w);
            }
        }
    }
    Some(out)
}

/// Chinese characters (CJK ideographs).
fn han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Letters of other scripts written without spaces between words: kana,
/// Hangul syllables, Thai.
fn unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}' | '\u{0E00}'..='\u{0E7F}')
}

/// The Chinese segmenter, its dictionary loaded on first use.
fn chinese() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

impl Vocabulary {
    /// The vocabulary of `corpus`: its words' vectors read from `dirs` or
    /// `cache`, else computed with `model` and written to `cache`.
    pub fn load(
        model: &dyn Embedder,
        corpus: &Corpus,
        dirs: &[&Path],
        cache: &Path,
        log: Log,
    ) -> Result<Vocabulary, Error> {
        // The Chinese dictionary, loaded here rather than by the first
        // Chinese query.
        chinese();
        let words = record_words(corpus);
        let docs = word_docs(&words);
        let dirs: Vec<&Path> = dirs.iter().copied().chain([cache]).collect();
        if let Some((v, path)) = vectors::find(KIND, model.fingerprint(), &docs, &dirs) {
            log(&format!(
                "{KIND}: {} vectors read from {}",
                words.len(),
                path.display()
            ));
            return Vocabulary::from_vectors(words, v);
        }
        let total = words.len();
        log(&format!("embedding {KIND}: {total}"));
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let kept = Vectors {
            model: model.fingerprint().to_owned(),
            record: vectors::content_hash(&docs),
            dim: DIMS,
            ids: words.clone(),
            data: embed_cut(model, &refs)?.concat(),
        };
        let path = cache.join(vectors::file_name(KIND, &kept.model, &kept.record));
        match kept.save(&path) {
            Ok(()) => log(&format!(
                "{KIND}: {total} vectors cached in {}",
                path.display()
            )),
            Err(e) => log(&format!(
                "{KIND}: vectors not cached ({}: {e})",
                path.display()
            )),
        }
        Vocabulary::from_vectors(words, kept)
    }

    /// The vocabulary of `corpus` with the words this one already has
    /// carried over and only the new ones embedded (a new edition).
    pub fn for_record(&self, model: &dyn Embedder, corpus: &Corpus) -> Result<Vocabulary, Error> {
        let words = record_words(corpus);
        let known: HashMap<&str, &[f32]> = self
            .words
            .iter()
            .map(String::as_str)
            .zip(self.data.chunks_exact(DIMS))
            .collect();
        let new: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !known.contains_key(w))
            .collect();
        let fresh: HashMap<&str, Vec<f32>> =
            new.iter().copied().zip(embed_cut(model, &new)?).collect();
        let mut data = Vec::with_capacity(words.len() * DIMS);
        for w in &words {
            match fresh.get(w.as_str()) {
                Some(v) => data.extend_from_slice(v),
                None => data.extend_from_slice(known.get(w.as_str()).copied().unwrap_or_default()),
            }
        }
        (data.len() == words.len() * DIMS)
            .then_some(Vocabulary { words, data })
            .ok_or(Error::Vectors(KIND))
    }

    /// From stored vectors, which must be of these words, [`DIMS`] long.
    fn from_vectors(words: Vec<String>, v: Vectors) -> Result<Vocabulary, Error> {
        if v.dim != DIMS || v.ids != words || v.data.len() != words.len() * DIMS {
            return Err(Error::Vectors(KIND));
        }
        Ok(Vocabulary {
            words,
            data: v.data,
        })
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words of `text` (a query's words, without operators) to
    /// render: its [`query_words`]; `None` for a query with Arabic, with
    /// no word to render, or longer than the query language reads (the
    /// words' side skips it).
    pub fn to_render(text: &str) -> Option<Vec<String>> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return None;
        }
        query_words(text).filter(|w| !w.is_empty())
    }

    /// The rendering of a query's words ([`Vocabulary::to_render`]) given
    /// their document vectors (full length, as
    /// [`Embedder::embed_query_and_documents`] makes them in the query's
    /// pass, or already cut, as [`Remembered`] keeps them): for each, the
    /// closest word of the vocabulary, each once, in order; `None` when
    /// none is left.
    pub fn closest(&self, vectors: &[Vec<f32>]) -> Option<String> {
        let mut out: Vec<&str> = Vec::new();
        for v in vectors {
            if let Some((word, _)) = self.nearest(v)
                && !out.contains(&word)
            {
                out.push(word);
            }
        }
        (!out.is_empty()).then(|| out.join(" "))
    }

    /// Each of `words` (an Arabic query's words that no provision has)
    /// paired with the vocabulary's word closest to it, given their
    /// document vectors in the same order, when that word is at least
    /// [`CLOSE_WORD`] close and not a function word; the others left out.
    pub fn close(&self, words: &[String], vectors: &[Vec<f32>]) -> Vec<(String, String)> {
        words
            .iter()
            .zip(vectors)
            .filter_map(|(w, v)| {
                let (near, cos) = self.nearest(v)?;
                // A function word never stands in for a word («هل», the
                // question's particle, is closest to «أيّ»).
                (cos >= CLOSE_WORD && near != w && !is_stopword(near))
                    .then(|| (w.clone(), near.to_owned()))
            })
            .collect()
    }

    /// The vocabulary's word closest to a word's vector (full length or
    /// already [`cut`]), with its cosine; «أو», the query language's "or",
    /// never.
    fn nearest(&self, v: &[f32]) -> Option<(&str, f32)> {
        let q = cut(v);
        let (k, cos) = self
            .data
            .chunks_exact(DIMS)
            .map(|w| fihris_embed::dot(w, &q))
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        let word = self.words.get(k)?;
        (word != "أو").then_some((word.as_str(), cos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_leave_out_function_words_and_arabic() {
        assert_eq!(
            query_words("How can victims of trafficking get compensation?"),
            Some(vec![
                "victims".to_owned(),
                "trafficking".to_owned(),
                "get".to_owned(),
                "compensation".to_owned()
            ])
        );
        assert_eq!(
            query_words("Les victimes de la traite, les victimes"),
            Some(vec!["victimes".to_owned(), "traite".to_owned()])
        );
        assert_eq!(
            query_words("защита жертв торговли людьми"),
            Some(vec![
                "защита".to_owned(),
                "жертв".to_owned(),
                "торговли".to_owned(),
                "людьми".to_owned()
            ])
        );
        assert_eq!(query_words("تعويض الضحايا"), None);
        assert_eq!(query_words("victims تعويض"), None);
        // Chinese cut into its words, the function word 的 left out.
        assert_eq!(
            query_words("对人口贩运受害者的赔偿"),
            Some(vec![
                "人口".to_owned(),
                "贩运".to_owned(),
                "受害者".to_owned(),
                "赔偿".to_owned()
            ])
        );
        assert_eq!(query_words("ひらがな 한국어"), Some(vec![]));
        assert_eq!(query_words("🙂 2015 a"), Some(vec![]));
    }

    #[test]
    fn cut_keeps_the_head_at_unit_length() {
        let mut v = vec![0.0f32; 768];
        v[0] = 3.0;
        v[1] = 4.0;
        v[700] = 100.0;
        let c = cut(&v);
        assert_eq!(c.len(), DIMS);
        assert!((c[0] - 0.6).abs() < 1e-6 && (c[1] - 0.8).abs() < 1e-6);
        assert!(cut(&[0.0; 300]).iter().all(|x| *x == 0.0));
    }

    #[test]
    fn remembered_words_are_not_embedded_again() {
        // A stand-in model: word k's vector has 1 on axis k (its length).
        let axis = |w: &str| {
            let mut v = vec![0.0f32; 300];
            v[w.len()] = 1.0;
            v
        };
        let words = |ws: &[&str]| ws.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let r = Remembered::default();
        let mut asked: Vec<Vec<String>> = Vec::new();
        let mut run = |ws: &[&str]| {
            r.vectors(&words(ws), |new| {
                asked.push(new.iter().map(|w| (*w).to_owned()).collect());
                Ok::<_, ()>(new.iter().map(|w| axis(w)).collect())
            })
            .unwrap_or_default()
        };
        let first = run(&["ab", "abc"]);
        let second = run(&["abcd", "ab"]);
        let third = run(&["abc", "ab"]);
        // Only the words not met before reach the model, once each.
        assert_eq!(asked, vec![words(&["ab", "abc"]), words(&["abcd"])]);
        // Vectors in the order of the query's words, cut to DIMS.
        assert_eq!(first, vec![cut(&axis("ab")), cut(&axis("abc"))]);
        assert_eq!(second, vec![cut(&axis("abcd")), cut(&axis("ab"))]);
        assert_eq!(third, vec![cut(&axis("abc")), cut(&axis("ab"))]);
        assert_eq!(r.len(), 3);
        // A model that fails leaves nothing remembered.
        let failed = r.vectors(&words(&["x1", "ab"]), |_| Err::<Vec<Vec<f32>>, _>("down"));
        assert_eq!(failed, Err("down"));
        assert_eq!(r.len(), 3);
    }
}
