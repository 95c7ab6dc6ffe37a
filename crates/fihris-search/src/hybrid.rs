//! Hybrid search: one query answered by its words (the lexical ranking)
//! and by its meaning (the provision vectors nearest the query's vector),
//! fused into one ranking. The query's vector comes from the caller (an
//! embedding model is not this crate's business); exclusions and filters
//! hold on both sides.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use fihris_model::{Corpus, ProvisionId};

use crate::collector::AllMatches;
use crate::compile::constraints;
use crate::dense::{DenseIndex, MatchedBy, Pieces, fuse};
use crate::index::SearchIndex;
use crate::query::{MAX_QUERY_CHARS, check_text, parse};
use crate::request::{Hit, Mode, Notice, Request, Response, SearchError, Sort};
use crate::search::{diversify_fused, facets};
use crate::unknown::replace_words;
use crate::weights;

/// The meaning side of one search: the provision vectors and the query's.
#[derive(Debug, Clone, Copy)]
pub struct Meaning<'a> {
    /// The provisions' vectors.
    pub provisions: &'a DenseIndex,
    /// The vectors of the sentences of provisions with several, to show a
    /// meaning-only hit by its closest sentence.
    pub sentences: Option<&'a Pieces>,
    /// The vectors of the clauses of provisions with several, to score a
    /// provision by its clause closest to the query too
    /// ([`DenseIndex::scored`]).
    pub clauses: Option<&'a Pieces>,
    /// The query's vector (of [`meaning_text`]; its focus's added for an
    /// Arabic query read as a focus in a context, [`focused`]).
    pub query: &'a [f32],
    /// The lexical ranking's share when some provision has every word of
    /// the query ([`crate::weights::HYBRID_LEXICAL`] unless measuring
    /// another).
    pub lexical: f32,
    /// A query with no Arabic rendered in the record's Arabic words (each
    /// of its words replaced by the closest word of the provisions): what
    /// the words' side searches for it, under the query's own filters and
    /// exclusions. `None`: the words' side searches the query as typed.
    pub rendered: Option<&'a str>,
    /// Arabic words of the query that no provision has
    /// ([`SearchIndex::unknown_words`]), each with the record's word
    /// closest in meaning: the words' side searches the query with those
    /// in their place ([`replace_words`]). Empty: none.
    pub close: &'a [(String, String)],
}

/// Provisions each side brings to the fusion.
const POOL: usize = 100;
/// Provisions meaning search brings: its nearest, however far.
const NEAREST: usize = 50;
/// Longest query meaning search reads, in characters (a draft paragraph;
/// the model itself reads its first 256 tokens).
pub const MAX_MEANING_CHARS: usize = 10_000;
/// Most words of a meaning-only hit's snippet.
const SNIPPET_WORDS: usize = 45;

/// What meaning search reads of a query: its words without operators and
/// filters; a query too long for the query language, whole.
pub fn meaning_text(query: &str) -> Result<String, SearchError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        check_text(query, MAX_MEANING_CHARS)?;
        return Ok(query.trim().to_owned());
    }
    Ok(parse(query)?.text)
}

/// What meaning search reads besides an Arabic query's whole text when
/// the query language reads part of it as context for the rest
/// ([`crate::query::Query::focus`]): «المعلمون والمربون» of «جهات الاستجابة،
/// المعلمون والمربون». `None` for any other query (one with no Arabic, no
/// context, or too long for the query language).
pub fn meaning_focus(query: &str) -> Option<String> {
    if !has_arabic(query) || query.chars().count() > MAX_QUERY_CHARS {
        return None;
    }
    parse(query).ok()?.focus()
}

/// A query's vector with its focus's vector ([`meaning_focus`]) added at
/// [`weights::FOCUS`], back to unit length: meaning then reads the query
/// as the words' side does, the focus first and the context around it.
pub fn focused(whole: &[f32], focus: &[f32]) -> Vec<f32> {
    let sum: Vec<f32> = whole
        .iter()
        .zip(focus)
        .map(|(w, f)| w + weights::FOCUS * f)
        .collect();
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        sum.iter().map(|x| x / norm).collect()
    } else {
        whole.to_vec()
    }
}

/// Whether a text has Arabic letters (the words' side serves it as
/// typed; a text without them is rendered in Arabic words first).
pub fn has_arabic(q: &str) -> bool {
    q.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The weight of the lexical ranking in the fusion of one query, given the
/// text the words' side searched (the query, or its Arabic rendering):
/// none for a text the words cannot serve (no Arabic, or no provision has
/// any of its words); `full` when some provision has every word; a third of
/// it when the words only partly match (everyday wording, which meaning
/// serves better).
pub fn lexical_weight(searched: &str, hits: usize, complete: usize, full: f32) -> f32 {
    if !has_arabic(searched) || hits == 0 {
        0.0
    } else if complete > 0 {
        full
    } else {
        full / 3.0
    }
}

/// The words' side's scores as the fusion reads them: BM25, a partial
/// match's scaled by [`weights::HYBRID_PARTIAL`] when `complete` hits have
/// every word.
fn lexical_scores(hits: &[Hit], complete: usize) -> Vec<(ProvisionId, f32)> {
    hits.iter()
        .map(|h| {
            let share = if complete > 0 && !h.complete {
                weights::HYBRID_PARTIAL
            } else {
                1.0
            };
            (h.id.clone(), h.score * share)
        })
        .collect()
}

impl SearchIndex {
    /// Runs a search in `mode`; without `meaning` (no model), by words
    /// alone. A citation jumps to what it names, as in [`SearchIndex::search`].
    pub fn search_in(
        &self,
        corpus: &Corpus,
        req: &Request,
        mode: Mode,
        meaning: Option<Meaning>,
    ) -> Result<Response, SearchError> {
        let Some(meaning) = meaning.filter(|_| mode != Mode::Lexical) else {
            return self.search(Some(corpus), req);
        };
        if let Some(r) = self.citation(corpus, req) {
            return Ok(r);
        }
        let Words {
            hits: lexical,
            complete,
            allowed,
            notices,
            searched,
        } = self.words(corpus, req, mode, meaning.rendered, meaning.close)?;
        let scored = meaning.provisions.scored(meaning.query, meaning.clauses);
        let nearest: Vec<(ProvisionId, f32)> = scored
            .ranked
            .into_iter()
            .filter(|(id, _)| allowed.as_ref().is_none_or(|a| a.contains(id)))
            .take(NEAREST)
            .collect();
        let weight = if mode == Mode::Semantic {
            0.0
        } else {
            lexical_weight(&searched, lexical.len(), complete, meaning.lexical)
        };
        let mut fused = fuse(
            &lexical_scores(&lexical, complete),
            &nearest,
            weight,
            scored.mean,
        );
        if weight == 0.0 {
            // The words do not rank: what they found stays only if meaning
            // found it too.
            fused.retain(|f| f.2 != MatchedBy::Words);
        }
        let ords: HashMap<&ProvisionId, usize> = self
            .meta
            .iter()
            .enumerate()
            .map(|(o, m)| (&m.id, o))
            .collect();
        let ord = |id: &ProvisionId| ords.get(id).copied().unwrap_or(usize::MAX);
        let facets = if req.facets {
            facets(&self.meta, fused.iter().map(|f| ord(&f.0) as u64))
        } else {
            Default::default()
        };
        if req.sort == Sort::Date {
            fused.sort_by_key(|f| {
                let o = ord(&f.0);
                (self.meta.get(o).map_or(0, |m| m.year), o)
            });
        } else {
            fused = diversify_fused(fused);
        }
        let by_id: HashMap<&ProvisionId, &Hit> = lexical.iter().map(|h| (&h.id, h)).collect();
        let mut hits = Vec::new();
        for (id, score, by) in fused.iter().skip(req.offset).take(req.limit) {
            let hit = match by_id.get(id) {
                Some(h) => Hit {
                    score: *score,
                    matched_by: *by,
                    ..(*h).clone()
                },
                None => Self::meaning_hit(corpus, id, *score, meaning),
            };
            hits.push(hit);
        }
        Ok(Response {
            query: req.query.to_owned(),
            citation: None,
            mode,
            total: fused.len(),
            complete: if mode == Mode::Semantic { 0 } else { complete },
            hits,
            facets,
            notices,
        })
    }

    /// The words' side of a search: their hits (in hybrid mode), what the
    /// filters and exclusions allow (on both sides), and a notice when the
    /// query is too long for the query language, was searched in its
    /// Arabic rendering (`rendered`, for a query with no Arabic) or with
    /// words the record does not have replaced (`close`, for an Arabic
    /// query).
    fn words(
        &self,
        corpus: &Corpus,
        req: &Request,
        mode: Mode,
        rendered: Option<&str>,
        close: &[(String, String)],
    ) -> Result<Words, SearchError> {
        if req.query.chars().count() > MAX_QUERY_CHARS {
            check_text(req.query, MAX_MEANING_CHARS)?;
            let notices = if mode == Mode::Hybrid {
                vec![Notice::words_skipped()]
            } else {
                Vec::new()
            };
            return Ok(Words {
                hits: Vec::new(),
                complete: 0,
                allowed: None,
                notices,
                searched: String::new(),
            });
        }
        let q = parse(req.query)?;
        let arabic = has_arabic(req.query);
        let rendered = rendered.filter(|r| mode == Mode::Hybrid && !arabic && !r.trim().is_empty());
        let close = if mode == Mode::Hybrid && arabic {
            close
        } else {
            &[]
        };
        let (replaced, used) = replace_words(req.query, close);
        let searched = rendered.unwrap_or(if used.is_empty() {
            req.query
        } else {
            &replaced
        });
        let allowed: Option<HashSet<ProvisionId>> = match constraints(self, &q)? {
            Some(c) => Some(
                self.reader
                    .searcher()
                    .search(&*c, &AllMatches { field: "ord" })?
                    .into_iter()
                    .filter_map(|(o, _, _)| self.meta.get(o as usize).map(|m| m.id.clone()))
                    .collect(),
            ),
            None => None,
        };
        // The rendering carries none of the query's filters and exclusions:
        // all its matches are read, those the query allows kept.
        let screened = rendered.is_some() && allowed.is_some();
        let pool = Request {
            query: searched,
            limit: if screened { self.meta.len() } else { POOL },
            offset: 0,
            sort: Sort::Relevance,
            facets: false,
        };
        let found = match mode {
            Mode::Hybrid => match self.search(Some(corpus), &pool) {
                Ok(r) => Some(r),
                // Only stopwords: nothing for the words to find.
                Err(SearchError::Query(_)) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        let (mut hits, mut complete) = found.map_or((Vec::new(), 0), |r| (r.hits, r.complete));
        if let (true, Some(a)) = (screened, &allowed) {
            hits.retain(|h| a.contains(&h.id));
            complete = hits.iter().filter(|h| h.complete).count();
            hits.truncate(POOL);
        }
        let mut notices: Vec<Notice> = rendered.map(Notice::rendered).into_iter().collect();
        if !used.is_empty() {
            notices.push(Notice::close_words(&used));
        }
        Ok(Words {
            hits,
            complete,
            allowed,
            notices,
            searched: searched.to_owned(),
        })
    }

    /// A hit found by meaning alone: its snippet from its closest sentence,
    /// or from its closest clause when that lies further in ([`shown`]).
    fn meaning_hit(corpus: &Corpus, id: &ProvisionId, score: f32, meaning: Meaning) -> Hit {
        let text = corpus.provision(id).map_or("", |p| p.text.as_str());
        let closest =
            |pieces: Option<&Pieces>| pieces.and_then(|p| p.closest_range(id, text, meaning.query));
        let sentence = closest(meaning.sentences).unwrap_or(0..text.len());
        let clause = closest(meaning.clauses).filter(|c| sentence.contains(&c.start));
        Hit {
            id: id.clone(),
            score,
            complete: false,
            snippet: shown(text, sentence, clause, SNIPPET_WORDS),
            highlights: Vec::new(),
            matched_by: MatchedBy::Meaning,
        }
    }
}

/// The words' side of a hybrid search.
struct Words {
    /// The lexical hits (none outside hybrid mode).
    hits: Vec<Hit>,
    /// How many match every clause.
    complete: usize,
    /// The provisions the filters and exclusions allow (`None`: all).
    allowed: Option<HashSet<ProvisionId>>,
    /// What the reader should know.
    notices: Vec<Notice>,
    /// The text the words searched: the query, or its rendering.
    searched: String,
}

/// What a meaning-only hit shows of its `text`: the first `words` words
/// of its closest `sentence` (byte range) — from its closest `clause`
/// on, after "…", when that clause would end past them.
fn shown(text: &str, sentence: Range<usize>, clause: Option<Range<usize>>, words: usize) -> String {
    match clause {
        Some(c) if text[sentence.start..c.end].split_whitespace().count() > words => {
            format!("… {}", cut(&text[c.start..sentence.end], words))
        }
        _ => cut(&text[sentence], words),
    }
}

/// The first `words` words of `text`, with "…" when cut.
fn cut(text: &str, words: usize) -> String {
    let mut spaces = text.match_indices(char::is_whitespace).map(|(i, _)| i);
    match spaces.nth(words.saturating_sub(1)) {
        Some(i) => format!("{} …", text[..i].trim_end()),
        None => text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meaning_text_and_weights() {
        assert_eq!(
            meaning_text("تعويض الضحايا year:2015 -الأطفال").ok(),
            Some("تعويض الضحايا".to_owned())
        );
        assert_eq!(
            meaning_text("victims compensation").ok(),
            Some("victims compensation".to_owned())
        );
        let long = "word ".repeat(400);
        assert_eq!(meaning_text(&long).ok().map(|t| t.len()), Some(1999));
        assert!(meaning_text(&"x".repeat(MAX_MEANING_CHARS + 1)).is_err());
        assert!(meaning_text("\"unclosed").is_err());
        assert_eq!(lexical_weight("victims", 3, 3, 0.8), 0.0);
        assert_eq!(lexical_weight("تعويض", 0, 0, 0.8), 0.0);
        assert_eq!(lexical_weight("تعويض", 3, 1, 0.9), 0.9);
        assert!((lexical_weight("تعويض", 3, 0, 0.9) - 0.3).abs() < 1e-6);
        assert_eq!(cut("a b c d", 2), "a b …");
        // The closest clause ends past the words shown: shown from it on.
        let text = "a b c, d e f, g h i. j k";
        assert_eq!(shown(text, 0..20, Some(14..20), 4), "… g h i.");
        assert_eq!(shown(text, 0..20, Some(7..13), 4), "… d e f, g …");
        // It ends within them, or there is none: the sentence's start.
        assert_eq!(shown(text, 0..20, Some(0..6), 4), "a b c, d …");
        assert_eq!(shown(text, 21..24, None, 4), "j k");
        assert_eq!(cut("a b", 2), "a b");
    }

    #[test]
    fn an_arabic_focus_in_its_context_is_read_besides_the_whole() {
        assert_eq!(
            meaning_focus("جهات الاستجابة، المعلمون والمربون").as_deref(),
            Some("المعلمون والمربون")
        );
        // No context, no Arabic, or too long for the query language: none.
        assert_eq!(meaning_focus("تعويض الضحايا"), None);
        assert_eq!(meaning_focus("Responders, teachers"), None);
        assert_eq!(meaning_focus(&"الضحايا، التعويضات ".repeat(40)), None);
        // The focus added at half its weight, back to unit length.
        let v = focused(&[1.0, 0.0], &[0.0, 1.0]);
        let norm = 1.25f32.sqrt();
        assert!((v[0] - 1.0 / norm).abs() < 1e-6 && (v[1] - 0.5 / norm).abs() < 1e-6);
    }
}
