//! Query compilation: a parsed query becomes tantivy queries in tiers
//! (every required clause first, then any of the words) and the needles
//! that highlighting looks for. The weights of the forms a word is matched
//! by are named in [`weights`].

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::{NORMALIZED, STEMMED, analyze, is_stopword, normalize, root};
use crate::index::SearchIndex;
use crate::query::{Atom, Filter, Query, QueryError};
use crate::request::SearchError;
use crate::snippet::Needles;
use crate::weights;

/// Share of documents above which a query word is "common": not
/// required, and weighted down.
const COMMON_SHARE: f64 = 0.25;

/// Most words a query requires (the rarest); the rest rank.
const MAX_REQUIRED: usize = 6;
/// Most terms in the any-clause union (the rarest).
const MAX_UNION_TERMS: usize = 12;

/// Below this document frequency (a word the index does not know) a word
/// also matches close spellings.
const FUZZY_MAX_DF: u64 = 1;

/// Shortest stem that gets typo tolerance (one edit).
const FUZZY_MIN_CHARS: usize = 5;

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// A term query on `field` weighted by `boost` (the weight reaches the term
/// scorer, so unions of these stay prunable).
fn boosted_term(field: Field, text: &str, boost: f32) -> Box<dyn TQuery> {
    let q = Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ));
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Boolean clauses: each query with how it must occur.
type Clauses = Vec<(Occur, Box<dyn TQuery>)>;

/// A compiled query: its tiers, strictest first (every required clause;
/// any clause), and what highlighting looks for.
pub(crate) struct Compiled {
    /// The tiers.
    pub tiers: Vec<Box<dyn TQuery>>,
    /// The highlight needles.
    pub needles: Needles,
}

/// Compiles a parsed query against an index.
pub(crate) fn compile(index: &SearchIndex, q: &Query) -> Result<Compiled, SearchError> {
    Compiler::new(index)?.compile(q)
}

/// What a query's exclusions and filters allow, as one query (`None` when
/// it has neither): meaning search keeps only provisions it matches.
pub(crate) fn constraints(
    index: &SearchIndex,
    q: &Query,
) -> Result<Option<Box<dyn TQuery>>, SearchError> {
    if q.excluded.is_empty() && q.filters.is_empty() {
        return Ok(None);
    }
    let mut all: Clauses = vec![(Occur::Must, Box::new(AllQuery))];
    all.extend(Compiler::new(index)?.exclusions_and_filters(q)?);
    Ok(Some(Box::new(BooleanQuery::new(all))))
}

/// One query word's forms, analysed once per query: its stems with their
/// document frequencies, its normalized tokens and their clitic-stripped
/// forms (by position).
struct Forms {
    /// Stems and their document frequencies.
    stems: Vec<(String, u64)>,
    /// Normalized tokens.
    norms: Vec<String>,
    /// Clitic-stripped forms, by position.
    roots: Vec<String>,
}

/// The analysers of a query and the forms of the words seen so far.
struct Words {
    stem_an: TextAnalyzer,
    norm_an: TextAnalyzer,
    searcher: tantivy::Searcher,
    stem_field: Field,
    seen: HashMap<String, Rc<Forms>>,
}

impl Words {
    /// The forms of `word`, analysed on first sight.
    fn get(&mut self, word: &str) -> Rc<Forms> {
        if let Some(f) = self.seen.get(word) {
            return f.clone();
        }
        let stems = analyze(&mut self.stem_an, word)
            .into_iter()
            .map(|(s, _, _)| {
                let df = self
                    .searcher
                    .doc_freq(&Term::from_field_text(self.stem_field, &s))
                    .unwrap_or(0);
                (s, df)
            })
            .collect();
        let norms: Vec<String> = analyze(&mut self.norm_an, word)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let roots = norms.iter().map(|n| root(n).to_owned()).collect();
        let forms = Rc::new(Forms {
            stems,
            norms,
            roots,
        });
        self.seen.insert(word.to_owned(), forms.clone());
        forms
    }
}

/// One clause of the query, compiled.
struct Clause {
    /// Its query (weighted down when it only ranks).
    query: Box<dyn TQuery>,
    /// Whether it only ranks (context, common, or beyond the rarest words).
    light: bool,
    /// Its group (see `Query::groups`).
    group: usize,
    /// Its position in `Query::clauses`.
    source: usize,
    /// Document frequency of its rarest stem.
    rarity: u64,
}

/// Compiles one query against one index.
struct Compiler<'i> {
    index: &'i SearchIndex,
    words: Words,
    docs: f64,
}

impl<'i> Compiler<'i> {
    fn new(index: &'i SearchIndex) -> Result<Compiler<'i>, SearchError> {
        let get = |name: &str| {
            index.index.tokenizers().get(name).ok_or_else(|| {
                tantivy::TantivyError::InvalidArgument(format!("no analyzer {name}"))
            })
        };
        let searcher = index.reader.searcher();
        let docs = searcher.num_docs().max(1) as f64;
        Ok(Compiler {
            index,
            words: Words {
                stem_an: get(STEMMED)?,
                norm_an: get(NORMALIZED)?,
                searcher,
                stem_field: index.fields.stem,
                seen: HashMap::new(),
            },
            docs,
        })
    }

    /// The tiers and needles of a query.
    fn compile(mut self, q: &Query) -> Result<Compiled, SearchError> {
        let mut needles = Needles::default();
        let mut clauses = self.clauses(q, &mut needles);
        if clauses.is_empty() {
            return Err(QueryError {
                message: "the query holds only stopwords (في، من، على …): nothing to search".into(),
                message_ar: "الاستعلام لا يحوي إلا كلمات شائعة (في، من، على …): لا شيء للبحث عنه".into(),
            }
            .into());
        }
        let groups = require_rarest(&mut clauses);
        let common = self.exclusions_and_filters(q)?;
        let with_common = |mut v: Clauses| {
            v.extend(common.iter().map(|(o, q)| (*o, q.box_clone())));
            Box::new(BooleanQuery::new(v)) as Box<dyn TQuery>
        };
        let mut tiers = vec![with_common(first_tier(&clauses, &groups))];
        if clauses.len() > 1 {
            let any = self.any_tier(q, &clauses);
            if !any.is_empty() {
                tiers.push(with_common(any));
            }
        }
        Ok(Compiled { tiers, needles })
    }

    /// Each clause with its query, whether it only ranks, its group and
    /// its rarity; clauses that compile to nothing (stopwords) are left out.
    fn clauses(&mut self, q: &Query, needles: &mut Needles) -> Vec<Clause> {
        let mut clauses = Vec::new();
        for (k, clause) in q.clauses.iter().enumerate() {
            let context = q.context.get(k).copied().unwrap_or(false);
            let alts: Clauses = clause
                .iter()
                .filter_map(|a| self.atom_query(a, needles))
                .map(|q| (Occur::Should, q))
                .collect();
            if alts.is_empty() {
                continue;
            }
            // Stem frequencies of the clause's words (0 for phrases and
            // prefixes).
            let freqs: Vec<Vec<u64>> = clause
                .iter()
                .map(|a| match a {
                    Atom::Word(w) => self.words.get(w).stems.iter().map(|(_, df)| *df).collect(),
                    _ => Vec::new(),
                })
                .collect();
            // A word found in a large share of the provisions («الاتجار»,
            // «الدول») ranks little and is not required.
            let common = context
                || clause.iter().zip(&freqs).all(|(a, f)| {
                    matches!(a, Atom::Word(_))
                        && !f.is_empty()
                        && f.iter().all(|d| *d as f64 / self.docs > COMMON_SHARE)
                });
            let query: Box<dyn TQuery> = Box::new(BooleanQuery::new(alts));
            let query: Box<dyn TQuery> = if common {
                Box::new(BoostQuery::new(query, weights::LIGHT_CLAUSE))
            } else {
                query
            };
            clauses.push(Clause {
                query,
                light: common,
                group: q.groups.get(k).copied().unwrap_or(0),
                source: k,
                rarity: freqs.iter().flatten().copied().max().unwrap_or(0),
            });
        }
        clauses
    }

    /// What every tier shares: excluded words (must not) and filters (must).
    fn exclusions_and_filters(&mut self, q: &Query) -> Result<Clauses, SearchError> {
        let mut ignored = Needles::default();
        let mut common: Clauses = Vec::new();
        for a in &q.excluded {
            if let Some(x) = self.atom_query(a, &mut ignored) {
                common.push((Occur::MustNot, x));
            }
        }
        for f in &q.filters {
            common.push((Occur::Must, self.filter_query(f)?));
        }
        Ok(common)
    }

    /// The second tier, any clause: a flat union of weighted term queries
    /// (boosts reach the term scorers, so block-max WAND can still prune):
    /// stems and clitic-stripped forms (the same weight: a form as written,
    /// less its clitics, is no weaker evidence than a stem); light clauses
    /// count less. Phrases and prefixes join as they are. Only the rarest
    /// terms: a long query's union stays cheap.
    fn any_tier(&mut self, q: &Query, clauses: &[Clause]) -> Clauses {
        let mut any: Clauses = Vec::new();
        let mut terms: Vec<(u64, Field, String, f32)> = Vec::new();
        let f = self.index.fields;
        for c in clauses {
            let weight = if c.light { weights::LIGHT_CLAUSE } else { 1.0 };
            for a in &q.clauses[c.source] {
                let Atom::Word(w) = a else {
                    any.push((Occur::Should, c.query.box_clone()));
                    break;
                };
                let forms = self.words.get(w);
                for (k, (s, df)) in forms.stems.iter().enumerate() {
                    // Common words add little to a union and cost most.
                    if *df as f64 / self.docs > COMMON_SHARE {
                        continue;
                    }
                    let r = forms.roots.get(k).unwrap_or(s);
                    terms.push((*df, f.stem, s.clone(), weight));
                    terms.push((*df, f.root, r.clone(), weight));
                }
            }
        }
        terms.sort_by(|a, b| a.0.cmp(&b.0).then(b.3.total_cmp(&a.3)));
        let mut seen_terms = HashSet::new();
        for (_, field, t, boost) in terms {
            if seen_terms.len() >= MAX_UNION_TERMS {
                break;
            }
            if seen_terms.insert((field, t.clone())) {
                any.push((Occur::Should, boosted_term(field, &t, boost)));
            }
        }
        any
    }

    fn atom_query(&mut self, atom: &Atom, needles: &mut Needles) -> Option<Box<dyn TQuery>> {
        match atom {
            Atom::Word(w) => self.word_query(w, needles),
            Atom::Phrase(p) => self.phrase_query(p, needles),
            Atom::Prefix(p) => self.prefix_query(p, needles),
        }
    }

    /// A word: each of its tokens by its stem (in the text and in the
    /// enclosing provisions), its clitic-stripped form, close spellings if
    /// the index hardly knows it; and as written.
    fn word_query(&mut self, w: &str, needles: &mut Needles) -> Option<Box<dyn TQuery>> {
        let f = self.index.fields;
        let words = &mut self.words;
        let forms = words.get(w);
        if forms.stems.is_empty() {
            return None;
        }
        let roots = &forms.roots;
        let mut per_token: Clauses = Vec::new();
        for (k, (s, known)) in forms.stems.iter().enumerate() {
            needles.stems.insert(s.clone());
            // The stem; the stem in the enclosing provisions; the
            // clitic-stripped form.
            let r = roots.get(k).filter(|r| *r != s).unwrap_or(s);
            if r != s {
                needles.roots.insert(r.clone());
            }
            let mut alts = vec![
                (Occur::Should, boosted_term(f.stem, s, weights::STEM)),
                (Occur::Should, boosted_term(f.context, s, weights::CONTEXT)),
                (Occur::Should, boosted_term(f.root, r, weights::ROOT)),
            ];
            // Close spellings only for a word the index hardly knows
            // (a typo, or a form the corpus misspells): cheap for
            // ordinary words, and no noise in their ranking.
            if *known < FUZZY_MAX_DF && s.chars().count() >= FUZZY_MIN_CHARS {
                needles.fuzzy.insert(s.clone());
                let close: Clauses = self
                    .index
                    .spellings
                    .close_to(s)
                    .into_iter()
                    .map(|t| {
                        (
                            Occur::Should,
                            boosted_term(f.stem, t, weights::CLOSE_SPELLING),
                        )
                    })
                    .collect();
                if !close.is_empty() {
                    alts.push((Occur::Should, Box::new(BooleanQuery::new(close))));
                }
            }
            per_token.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
        }
        // The word as written (normalized) weighs as much as its
        // stem: the light stemmer conflates («العرض» supply, «عرضة»
        // vulnerable: both «عرض»), the written form does not.
        for n in &forms.norms {
            per_token.push((Occur::Should, boosted_term(f.norm, n, weights::WRITTEN)));
        }
        Some(Box::new(BooleanQuery::new(per_token)))
    }

    /// A phrase: its words in order, exactly (normalized) or by their
    /// clitic-stripped forms.
    fn phrase_query(&mut self, p: &str, needles: &mut Needles) -> Option<Box<dyn TQuery>> {
        let f = self.index.fields;
        let words = &mut self.words;
        let term = |field, text: &str| Term::from_field_text(field, text);
        // Exact (normalized) order first; the same words in order by
        // their clitic-stripped forms («لحماية الشهود» for «حماية
        // الشهود») count too, lower.
        let toks: Vec<String> = analyze(&mut words.norm_an, p)
            .into_iter()
            .map(|t| t.0)
            .collect();
        needles.norms.extend(toks.iter().cloned());
        let roots: Vec<String> = toks
            .iter()
            .filter(|t| !is_stopword(t))
            .map(|t| root(t).to_owned())
            .collect();
        needles.roots.extend(roots.iter().cloned());
        let exact: Box<dyn TQuery> = match toks.as_slice() {
            [] => return None,
            [one] => boosted_term(f.norm, one, 1.0),
            many => Box::new(PhraseQuery::new(
                many.iter().map(|t| term(f.norm, t)).collect(),
            )),
        };
        let loose: Option<Box<dyn TQuery>> = match roots.as_slice() {
            [] => None,
            [one] => Some(boosted_term(f.root, one, 1.0)),
            many => Some(Box::new(PhraseQuery::new(
                many.iter().map(|t| term(f.root, t)).collect(),
            ))),
        };
        let mut alts: Clauses = vec![(
            Occur::Should,
            Box::new(BoostQuery::new(exact, weights::EXACT_PHRASE)),
        )];
        alts.extend(loose.map(|q| (Occur::Should, q)));
        Some(Box::new(BooleanQuery::new(alts)))
    }

    /// A prefix (`تكنولوج*`): on the normalized words and on their
    /// clitic-stripped forms.
    fn prefix_query(&mut self, p: &str, needles: &mut Needles) -> Option<Box<dyn TQuery>> {
        let f = self.index.fields;
        // On the normalized words and on their clitic-stripped forms
        // («تكنولوج*» finds «التكنولوجيا»).
        let n = normalize(p);
        needles.prefixes.push(n.clone());
        let bare = n
            .strip_prefix("ال")
            .filter(|b| b.chars().count() >= 2)
            .unwrap_or(&n)
            .to_owned();
        let alts: Clauses = [(f.norm, n.as_str()), (f.root, bare.as_str())]
            .into_iter()
            .filter_map(|(field, pre)| {
                RegexQuery::from_pattern(&format!("{}.*", regex_escape(pre)), field).ok()
            })
            .map(|q| (Occur::Should, Box::new(q) as Box<dyn TQuery>))
            .collect();
        (!alts.is_empty()).then(|| Box::new(BooleanQuery::new(alts)) as Box<dyn TQuery>)
    }

    fn filter_query(&self, filter: &Filter) -> Result<Box<dyn TQuery>, QueryError> {
        let f = self.index.fields;
        let term = match filter {
            Filter::Section(s) => Term::from_field_text(f.section, s),
            Filter::Part(p) => Term::from_field_text(f.part, p),
            Filter::Year(y) => Term::from_field_u64(f.year, u64::from(*y)),
            Filter::Kind(k) => Term::from_field_text(f.kind, k),
            Filter::Topic(t) => {
                if !self
                    .index
                    .meta
                    .iter()
                    .any(|m| m.topics.iter().any(|x| x.as_str() == t))
                {
                    return Err(QueryError {
                        message: format!("unknown topic id «{t}»: see `fihris topics` for ids"),
                        message_ar: format!("معرّف موضوع غير معروف «{t}»"),
                    });
                }
                Term::from_field_text(f.topic, t)
            }
        };
        Ok(Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            0.0,
        )))
    }
}

/// A long group requires only its rarest words (the others rank); if
/// nothing is left required, everything is. Returns the groups in order.
fn require_rarest(clauses: &mut [Clause]) -> Vec<usize> {
    let mut groups: Vec<usize> = clauses.iter().map(|c| c.group).collect();
    groups.sort_unstable();
    groups.dedup();
    for g in &groups {
        let mut required: Vec<usize> = (0..clauses.len())
            .filter(|k| clauses[*k].group == *g && !clauses[*k].light)
            .collect();
        if required.len() > MAX_REQUIRED {
            required.sort_by_key(|k| (clauses[*k].rarity, *k));
            for k in required.drain(MAX_REQUIRED..) {
                clauses[k].light = true;
            }
        }
    }
    if clauses.iter().all(|c| c.light) {
        for c in clauses.iter_mut() {
            c.light = false;
        }
    }
    groups
}

/// The first tier: every required word of one group (at least), the light
/// clauses ranking.
fn first_tier(clauses: &[Clause], groups: &[usize]) -> Clauses {
    let mut must_groups: Clauses = Vec::new();
    for g in groups {
        let musts: Clauses = clauses
            .iter()
            .filter(|c| c.group == *g && !c.light)
            .map(|c| (Occur::Must, c.query.box_clone()))
            .collect();
        if !musts.is_empty() {
            must_groups.push((Occur::Should, Box::new(BooleanQuery::new(musts))));
        }
    }
    let mut first: Clauses = clauses
        .iter()
        .filter(|c| c.light)
        .map(|c| (Occur::Should, c.query.box_clone()))
        .collect();
    let required = clauses.iter().filter(|c| !c.light);
    if must_groups.len() == 1 {
        // One group: its words are required side by side (a flat
        // conjunction, which tantivy intersects fastest).
        first.extend(required.map(|c| (Occur::Must, c.query.box_clone())));
    } else {
        // With several groups, a group's words also rank the provisions of
        // another group.
        first.extend(required.map(|c| (Occur::Should, c.query.box_clone())));
        first.push((Occur::Must, Box::new(BooleanQuery::new(must_groups))));
    }
    first
}
