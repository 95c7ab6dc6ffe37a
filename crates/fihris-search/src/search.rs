//! Searching: a parsed query becomes tantivy queries over the stemmed,
//! normalized and context fields; hits that match every clause come first
//! (BM25), then hits that match some (so a long query still finds
//! something); facets count the whole result set; snippets highlight the
//! matched words in the text as printed, matching by analysed form.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use fihris_model::Corpus;
use fihris_model::cite::{Target, resolve};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::analyzer::{NORMALIZED, STEMMED, analyze, is_stopword, normalize, root};
use crate::index::SearchIndex;
use crate::query::{Atom, Filter, Query, QueryError, parse};
use crate::snippet::{Needles, snippet};

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Oldest meeting or session first, then document order.
    Date,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The query text.
    pub query: &'a str,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Whether to count facets (and rank the whole result set).
    pub facets: bool,
}

impl<'a> Request<'a> {
    /// The first `limit` hits by relevance, with facets.
    pub fn new(query: &'a str, limit: usize) -> Request<'a> {
        Request {
            query,
            limit,
            offset: 0,
            sort: Sort::Relevance,
            facets: true,
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Provision id.
    pub id: String,
    /// Score (BM25 sum; hits matching every clause rank above the others).
    pub score: f32,
    /// Whether every clause matched.
    pub complete: bool,
    /// A passage of the text as printed around the matches.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// Facet counts over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By part.
    pub part: BTreeMap<String, usize>,
    /// By section.
    pub section: BTreeMap<String, usize>,
    /// By year.
    pub year: BTreeMap<u16, usize>,
    /// By kind.
    pub kind: BTreeMap<String, usize>,
    /// By topic id.
    pub topic: BTreeMap<String, usize>,
}

/// A search response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The query as given.
    pub query: String,
    /// When the query was a citation: the id it resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Number of matching provisions.
    pub total: usize,
    /// How many match every clause.
    pub complete: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facets (empty unless requested).
    pub facets: Facets,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is malformed.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// Share of documents above which a query word is "common": not
/// required, and weighted down.
const COMMON_SHARE: f64 = 0.25;

/// Most words a query requires (the rarest); the rest rank.
const MAX_REQUIRED: usize = 6;
/// Most terms in the any-clause union (the rarest).
const MAX_UNION_TERMS: usize = 12;

/// Hits of one paragraph family allowed before other families' hits.
const PER_FAMILY: usize = 3;

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

/// A compiled query: its tiers, strictest first (every required clause;
/// all but one; any clause), and the highlight needles.
type Compiled = (Vec<Box<dyn TQuery>>, Needles);

/// Collects (ordinal, score, address) of every match.
struct AllMatches {
    field: &'static str,
}

struct AllMatchesSegment {
    segment: SegmentOrdinal,
    ords: tantivy::columnar::Column<u64>,
    out: Vec<(u64, Score, DocAddress)>,
}

impl Collector for AllMatches {
    type Fruit = Vec<(u64, Score, DocAddress)>;
    type Child = AllMatchesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AllMatchesSegment> {
        Ok(AllMatchesSegment {
            segment,
            ords: reader.fast_fields().u64(self.field)?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(u64, Score, DocAddress)>>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllMatchesSegment {
    type Fruit = Vec<(u64, Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.out
                .push((ord, score, DocAddress::new(self.segment, doc)));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// One query word's forms, analysed once per query: its stems with their
/// document frequencies, its normalized tokens and their clitic-stripped
/// forms (by position).
struct Forms {
    stems: Vec<(String, u64)>,
    norms: Vec<String>,
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

impl SearchIndex {
    fn words(&self) -> Result<Words, SearchError> {
        let get = |name: &str| {
            self.index.tokenizers().get(name).ok_or_else(|| {
                tantivy::TantivyError::InvalidArgument(format!("no analyzer {name}"))
            })
        };
        Ok(Words {
            stem_an: get(STEMMED)?,
            norm_an: get(NORMALIZED)?,
            searcher: self.reader.searcher(),
            stem_field: self.fields.stem,
            seen: HashMap::new(),
        })
    }

    /// The tantivy query of one atom, and what highlighting should look for.
    fn atom_query(
        &self,
        atom: &Atom,
        words: &mut Words,
        needles: &mut Needles,
    ) -> Option<Box<dyn TQuery>> {
        let f = self.fields;
        let term = |field, text: &str| Term::from_field_text(field, text);
        match atom {
            Atom::Word(w) => {
                let forms = words.get(w);
                if forms.stems.is_empty() {
                    return None;
                }
                let roots = &forms.roots;
                let mut per_token: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for (k, (s, known)) in forms.stems.iter().enumerate() {
                    needles.stems.insert(s.clone());
                    // The stem; the stem in the enclosing provisions (×0.3); the
                    // clitic-stripped form (×0.6).
                    let r = roots.get(k).filter(|r| *r != s).unwrap_or(s);
                    if r != s {
                        needles.roots.insert(r.clone());
                    }
                    let mut alts = vec![
                        (Occur::Should, boosted_term(f.stem, s, 1.0)),
                        (Occur::Should, boosted_term(f.context, s, 0.3)),
                        (Occur::Should, boosted_term(f.root, r, 0.6)),
                    ];
                    // Close spellings only for a word the index hardly knows
                    // (a typo, or a form the corpus misspells): cheap for
                    // ordinary words, and no noise in their ranking.
                    if *known < FUZZY_MAX_DF && s.chars().count() >= FUZZY_MIN_CHARS {
                        needles.fuzzy.insert(s.clone());
                        let close: Vec<(Occur, Box<dyn TQuery>)> = self
                            .spellings
                            .close_to(s)
                            .into_iter()
                            .map(|t| (Occur::Should, boosted_term(f.stem, t, 0.4)))
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
                    per_token.push((Occur::Should, boosted_term(f.norm, n, 1.0)));
                }
                Some(Box::new(BooleanQuery::new(per_token)))
            }
            Atom::Phrase(p) => {
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
                let mut alts: Vec<(Occur, Box<dyn TQuery>)> =
                    vec![(Occur::Should, Box::new(BoostQuery::new(exact, 2.0)))];
                alts.extend(loose.map(|q| (Occur::Should, q)));
                Some(Box::new(BooleanQuery::new(alts)))
            }
            Atom::Prefix(p) => {
                // On the normalized words and on their clitic-stripped forms
                // («تكنولوج*» finds «التكنولوجيا»).
                let n = normalize(p);
                needles.prefixes.push(n.clone());
                let bare = n
                    .strip_prefix("ال")
                    .filter(|b| b.chars().count() >= 2)
                    .unwrap_or(&n)
                    .to_owned();
                let alts: Vec<(Occur, Box<dyn TQuery>)> =
                    [(f.norm, n.as_str()), (f.root, bare.as_str())]
                        .into_iter()
                        .filter_map(|(field, pre)| {
                            RegexQuery::from_pattern(&format!("{}.*", regex_escape(pre)), field)
                                .ok()
                        })
                        .map(|q| (Occur::Should, Box::new(q) as Box<dyn TQuery>))
                        .collect();
                (!alts.is_empty()).then(|| Box::new(BooleanQuery::new(alts)) as Box<dyn TQuery>)
            }
        }
    }

    fn filter_query(&self, filter: &Filter) -> Result<Box<dyn TQuery>, QueryError> {
        let f = self.fields;
        let term = match filter {
            Filter::Section(s) => Term::from_field_text(f.section, s),
            Filter::Part(p) => Term::from_field_text(f.part, p),
            Filter::Year(y) => Term::from_field_u64(f.year, u64::from(*y)),
            Filter::Kind(k) => Term::from_field_text(f.kind, k),
            Filter::Topic(t) => {
                if !self.meta.iter().any(|m| m.topics.iter().any(|x| x == t)) {
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

    /// Builds (all-of, any-of) queries and the highlight needles.
    fn compile(&self, q: &Query) -> Result<Compiled, SearchError> {
        let mut words = self.words()?;
        let mut needles = Needles::default();
        let searcher = self.reader.searcher();
        let docs = searcher.num_docs().max(1) as f64;
        // Each clause: its query, whether it only ranks (context, common or
        // beyond the rarest words), its group (see `Query::groups`), and the
        // document frequency of its rarest stem.
        let groups_of = &q.groups;
        let mut clauses: Vec<(Box<dyn TQuery>, bool, usize)> = Vec::new();
        let mut sources: Vec<usize> = Vec::new();
        let mut rarity: Vec<u64> = Vec::new();
        for (k, clause) in q.clauses.iter().enumerate() {
            let context = q.context.get(k).copied().unwrap_or(false);
            let alts: Vec<(Occur, Box<dyn TQuery>)> = clause
                .iter()
                .filter_map(|a| self.atom_query(a, &mut words, &mut needles))
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
                    Atom::Word(w) => words.get(w).stems.iter().map(|(_, df)| *df).collect(),
                    _ => Vec::new(),
                })
                .collect();
            // A word found in a large share of the provisions («الاتجار»,
            // «الدول») ranks little and is not required.
            let common = context
                || clause.iter().zip(&freqs).all(|(a, f)| {
                    matches!(a, Atom::Word(_))
                        && !f.is_empty()
                        && f.iter().all(|d| *d as f64 / docs > COMMON_SHARE)
                });
            let q: Box<dyn TQuery> = Box::new(BooleanQuery::new(alts));
            let q: Box<dyn TQuery> = if common {
                Box::new(BoostQuery::new(q, 0.3))
            } else {
                q
            };
            clauses.push((q, common, groups_of.get(k).copied().unwrap_or(0)));
            sources.push(k);
            rarity.push(freqs.iter().flatten().copied().max().unwrap_or(0));
        }
        if clauses.is_empty() {
            return Err(QueryError {
                message: "the query holds only stopwords (في، من، على …): nothing to search".into(),
                message_ar: "الاستعلام لا يحوي إلا كلمات شائعة (في، من، على …): لا شيء للبحث عنه".into(),
            }
            .into());
        }
        // A long group requires only its rarest words; the others rank.
        let mut groups: Vec<usize> = clauses.iter().map(|c| c.2).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in &groups {
            let mut required: Vec<usize> = (0..clauses.len())
                .filter(|k| clauses[*k].2 == *g && !clauses[*k].1)
                .collect();
            if required.len() > MAX_REQUIRED {
                required.sort_by_key(|k| (rarity[*k], *k));
                for k in required.drain(MAX_REQUIRED..) {
                    clauses[k].1 = true;
                }
            }
        }
        if clauses.iter().all(|c| c.1) {
            for c in &mut clauses {
                c.1 = false;
            }
        }
        let mut ignored = Needles::default();
        let mut common: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for a in &q.excluded {
            if let Some(x) = self.atom_query(a, &mut words, &mut ignored) {
                common.push((Occur::MustNot, x));
            }
        }
        for f in &q.filters {
            common.push((Occur::Must, self.filter_query(f)?));
        }
        let with_common = |mut v: Vec<(Occur, Box<dyn TQuery>)>| {
            v.extend(common.iter().map(|(o, q)| (*o, q.box_clone())));
            Box::new(BooleanQuery::new(v)) as Box<dyn TQuery>
        };
        // First tier: every required word of one group (at least), the
        // others ranking.
        let mut must_groups: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut ranking: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for g in &groups {
            let musts: Vec<(Occur, Box<dyn TQuery>)> = clauses
                .iter()
                .filter(|c| c.2 == *g && !c.1)
                .map(|c| (Occur::Must, c.0.box_clone()))
                .collect();
            if !musts.is_empty() {
                must_groups.push((Occur::Should, Box::new(BooleanQuery::new(musts))));
            }
        }
        ranking.extend(
            clauses
                .iter()
                .filter(|c| c.1)
                .map(|c| (Occur::Should, c.0.box_clone())),
        );
        let mut first = ranking;
        if must_groups.len() == 1 {
            // One group: its words are required side by side (a flat
            // conjunction, which tantivy intersects fastest).
            first.extend(
                clauses
                    .iter()
                    .filter(|c| !c.1)
                    .map(|c| (Occur::Must, c.0.box_clone())),
            );
        } else {
            // With several groups, a group's words also rank the provisions
            // of another group.
            first.extend(
                clauses
                    .iter()
                    .filter(|c| !c.1)
                    .map(|c| (Occur::Should, c.0.box_clone())),
            );
            first.push((Occur::Must, Box::new(BooleanQuery::new(must_groups))));
        }
        let mut tiers = vec![with_common(first)];
        // Then any of the words.
        if clauses.len() > 1 {
            // Any clause: a flat union of weighted term queries (boosts
            // reach the term scorers, so block-max WAND can still prune):
            // stems and clitic-stripped forms (the same weight: a form as
            // written, less its clitics, is no weaker evidence than a stem);
            // context and common words count ×0.3. Phrases and prefixes join
            // as they are.
            let mut any: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
            let mut terms: Vec<(u64, Field, String, f32)> = Vec::new();
            for (k, (query, light, _)) in sources.iter().zip(&clauses) {
                let atoms = &q.clauses[*k];
                let weight = if *light { 0.3 } else { 1.0 };
                for a in atoms {
                    let Atom::Word(w) = a else {
                        any.push((Occur::Should, query.box_clone()));
                        break;
                    };
                    let forms = words.get(w);
                    for (k, (s, df)) in forms.stems.iter().enumerate() {
                        // Common words add little to a union and cost most.
                        if *df as f64 / docs > COMMON_SHARE {
                            continue;
                        }
                        let r = forms.roots.get(k).unwrap_or(s);
                        terms.push((*df, self.fields.stem, s.clone(), weight));
                        terms.push((*df, self.fields.root, r.clone(), weight));
                    }
                }
            }
            // The rarest terms only: a long query's union stays cheap.
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
            if !any.is_empty() {
                tiers.push(with_common(any));
            }
        }
        Ok((tiers, needles))
    }

    /// Runs a search. With a corpus, a query that is a citation (`II-55`,
    /// `CTOC/COP/WG.4/2010/6 62`, `decision 4/4`) jumps to what it names.
    pub fn search(&self, corpus: Option<&Corpus>, req: &Request) -> Result<Response, SearchError> {
        if let Some(corpus) = corpus
            && looks_like_citation(req.query)
            && let Ok(target) = resolve(corpus, req.query)
        {
            return Ok(self.citation_response(req, target));
        }
        let q = parse(req.query)?;
        let (tiers, needles) = self.compile(&q)?;
        let searcher = self.reader.searcher();
        let mut ranked: Vec<(u64, Score, DocAddress, bool)> = Vec::new();
        let mut seen: HashSet<u64> = HashSet::new();
        let mut complete_count = 0;
        let exhaustive = req.facets || req.sort == Sort::Date;
        let want = (req.offset + req.limit).max(1);
        for (k, tier) in tiers.iter().enumerate() {
            if !exhaustive && ranked.len() >= want {
                break;
            }
            let mut found: Vec<(u64, Score, DocAddress)> = if exhaustive {
                searcher.search(&**tier, &AllMatches { field: "ord" })?
            } else {
                let top = searcher.search(
                    &**tier,
                    &TopDocs::with_limit(want + seen.len()).order_by_score(),
                )?;
                top.into_iter()
                    .map(|(s, addr)| {
                        let col = searcher
                            .segment_reader(addr.segment_ord)
                            .fast_fields()
                            .u64("ord")?;
                        Ok((col.first(addr.doc_id).unwrap_or(0), s, addr))
                    })
                    .collect::<Result<_, SearchError>>()?
            };
            found.retain(|f| !seen.contains(&f.0));
            found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            seen.extend(found.iter().map(|f| f.0));
            if k == 0 {
                complete_count = found.len();
            }
            ranked.extend(found.into_iter().map(|(o, s, a)| (o, s, a, k == 0)));
        }
        let total = ranked.len();
        let mut facets = Facets::default();
        if req.facets {
            facets = self.facets(ranked.iter().map(|r| r.0));
        }
        if req.sort == Sort::Date {
            ranked
                .sort_by_key(|(o, _, _, _)| (self.meta.get(*o as usize).map_or(0, |m| m.year), *o));
        } else {
            ranked = self.diversify(ranked);
        }
        let mut hits = Vec::new();
        for (ord, score, addr, complete) in ranked.into_iter().skip(req.offset).take(req.limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = doc
                .get_first(self.fields.raw)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let (snippet, highlights) = snippet(text, &needles, &self.printed);
            hits.push(Hit {
                id: self
                    .meta
                    .get(ord as usize)
                    .map(|m| m.id.clone())
                    .unwrap_or_default(),
                score,
                complete,
                snippet,
                highlights,
            });
        }
        Ok(Response {
            query: req.query.to_owned(),
            citation: None,
            total,
            complete: complete_count,
            hits,
            facets,
        })
    }

    /// Keeps at most [`PER_FAMILY`] hits of one paragraph family (a
    /// paragraph and its sub-paragraphs and items) ahead of the rest, so
    /// that one long recommendation does not fill the first page; the
    /// others follow in their order.
    fn diversify<T: Copy>(
        &self,
        ranked: Vec<(u64, Score, DocAddress, T)>,
    ) -> Vec<(u64, Score, DocAddress, T)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let (mut first, mut later) = (Vec::new(), Vec::new());
        for r in ranked {
            let id = self.meta.get(r.0 as usize).map_or("", |m| m.id.as_str());
            let family = id.match_indices('.').nth(2).map_or(id, |(i, _)| &id[..i]);
            let n = seen.entry(family).or_default();
            *n += 1;
            if *n <= PER_FAMILY {
                first.push(r)
            } else {
                later.push(r)
            }
        }
        first.extend(later);
        first
    }

    fn facets(&self, ords: impl Iterator<Item = u64>) -> Facets {
        // Count by borrowed keys; own them once at the end.
        let mut part: HashMap<&str, usize> = HashMap::new();
        let mut section: HashMap<&str, usize> = HashMap::new();
        let mut year: HashMap<u16, usize> = HashMap::new();
        let mut kind: HashMap<&str, usize> = HashMap::new();
        let mut topic: HashMap<&str, usize> = HashMap::new();
        for o in ords {
            let Some(m) = self.meta.get(o as usize) else {
                continue;
            };
            *part.entry(m.section.get(..1).unwrap_or("?")).or_default() += 1;
            *section.entry(&m.section).or_default() += 1;
            *year.entry(m.year).or_default() += 1;
            *kind.entry(&m.kind).or_default() += 1;
            for t in &m.topics {
                *topic.entry(t).or_default() += 1;
            }
        }
        let own = |m: HashMap<&str, usize>| m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Facets {
            part: own(part),
            section: own(section),
            year: year.into_iter().collect(),
            kind: own(kind),
            topic: own(topic),
        }
    }

    fn citation_response(&self, req: &Request, target: Target) -> Response {
        let by_id: HashMap<&str, usize> = self
            .meta
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let ids: Vec<String> = match &target {
            Target::Provision(id) => vec![id.to_string()],
            Target::Section(s) => {
                let prefix = format!("{s}.");
                self.meta
                    .iter()
                    .filter(|m| m.id.starts_with(&prefix))
                    .map(|m| m.id.clone())
                    .collect()
            }
        };
        let hits: Vec<Hit> = ids
            .iter()
            .filter(|id| by_id.contains_key(id.as_ref() as &str))
            .skip(req.offset)
            .take(req.limit)
            .map(|id| Hit {
                id: id.clone(),
                score: f32::MAX,
                complete: true,
                snippet: String::new(),
                highlights: Vec::new(),
            })
            .collect();
        let ords: Vec<u64> = ids
            .iter()
            .filter_map(|id| by_id.get(id.as_str()).map(|i| *i as u64))
            .collect();
        Response {
            query: req.query.to_owned(),
            citation: Some(target.to_string()),
            total: ords.len(),
            complete: ords.len(),
            hits,
            facets: if req.facets {
                self.facets(ords.into_iter())
            } else {
                Facets::default()
            },
        }
    }
}

/// Whether a query is worth handing to the citation resolver: it has a
/// digit and reads like an id, a location, a report symbol or an
/// instrument — not like words.
fn looks_like_citation(q: &str) -> bool {
    let q = q.trim();
    if !q
        .chars()
        .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
        || q.contains('"')
    {
        return false;
    }
    let words = q.split_whitespace().count();
    let has = |s: &str| q.contains(s);
    q.starts_with("A.")
        || q.starts_with("B.")
        || has("CTOC/")
        || has("WG.4/")
        || has("/")
        || has("-") && words <= 4
        || q.to_lowercase().starts_with("part ")
        || q.starts_with("الجزء")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        use crate::spelling::within_one_edit;
        assert!(within_one_edit("تعويض", "تعويظ"));
        assert!(within_one_edit("تعويض", "تعويضا"));
        assert!(!within_one_edit("تعويض", "تعليم"));
    }

    #[test]
    fn citations_are_recognised() {
        for q in [
            "II-55",
            "A.2.55",
            "CTOC/COP/WG.4/2010/6 62",
            "decision 4/4",
            "ثانياً-55",
            "5/2 PP 11",
        ] {
            assert!(looks_like_citation(q), "{q}");
        }
        for q in ["تعويض الضحايا", "\"II-55\"", "year:2015 تعويض"] {
            assert!(!looks_like_citation(q), "{q}");
        }
    }
}
