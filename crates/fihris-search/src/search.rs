//! Running a search: a citation jumps to what it names; otherwise the
//! compiled tiers run in order (hits of the every-clause tier first, then
//! new hits of the any-clause tier, each by BM25), one paragraph family
//! does not fill the first page, facets count the whole result set, and
//! each hit gets its highlighted snippet.

use std::collections::{HashMap, HashSet};

use fihris_model::cite::{Target, resolve};
use fihris_model::{Corpus, ProvisionId, SectionId, Segment};
use tantivy::collector::TopDocs;
use tantivy::query::Query as TQuery;
use tantivy::schema::Value;
use tantivy::{DocAddress, Score, TantivyDocument};

use crate::collector::AllMatches;
use crate::compile::compile;
use crate::dense::MatchedBy;
use crate::index::{Meta, SearchIndex};
use crate::query::parse;
use crate::request::{Facets, Hit, Mode, Request, Response, SearchError, Sort};
use crate::snippet::snippet;
use crate::weights;

/// Hits of one paragraph family allowed before other families' hits.
const PER_FAMILY: usize = 3;

/// A match: document ordinal, score, address, and whether it matched every
/// required clause.
type Ranked = (u64, Score, DocAddress, bool);

impl SearchIndex {
    /// Runs a search. With a corpus, a query that is a citation (`II-55`,
    /// `CTOC/COP/WG.4/2010/6 62`, `decision 4/4`) jumps to what it names.
    pub fn search(&self, corpus: Option<&Corpus>, req: &Request) -> Result<Response, SearchError> {
        if let Some(r) = corpus.and_then(|c| self.citation(c, req)) {
            return Ok(r);
        }
        let q = parse(req.query)?;
        let compiled = compile(self, &q)?;
        let (mut ranked, complete) = self.rank(&compiled.tiers, req)?;
        let total = ranked.len();
        let facets = if req.facets {
            facets(&self.meta, ranked.iter().map(|r| r.0))
        } else {
            Facets::default()
        };
        if req.sort == Sort::Date {
            ranked
                .sort_by_key(|(o, _, _, _)| (self.meta.get(*o as usize).map_or(0, |m| m.year), *o));
        } else {
            ranked = diversify(&self.meta, ranked);
        }
        let searcher = self.reader.searcher();
        let mut hits = Vec::new();
        for (ord, score, addr, complete) in ranked.into_iter().skip(req.offset).take(req.limit) {
            let Some(meta) = self.meta.get(ord as usize) else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = doc
                .get_first(self.fields.raw)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let (snippet, highlights) = snippet(text, &compiled.needles, &self.printed);
            hits.push(Hit {
                id: meta.id.clone(),
                score,
                complete,
                snippet,
                highlights,
                matched_by: MatchedBy::Words,
            });
        }
        Ok(Response {
            query: req.query.to_owned(),
            citation: None,
            total,
            complete,
            hits,
            facets,
            mode: Mode::Lexical,
            notices: Vec::new(),
        })
    }

    /// The answer to a query that reads like a citation and resolves.
    pub(crate) fn citation(&self, corpus: &Corpus, req: &Request) -> Option<Response> {
        if !looks_like_citation(req.query) {
            return None;
        }
        let target = resolve(corpus, req.query).ok()?;
        Some(citation_response(&self.meta, req, target))
    }

    /// The matches of the tiers in order, each tier's new matches by score;
    /// every match when facets or date order need them, else just enough
    /// for the page. Also how many matched the first tier.
    fn rank(
        &self,
        tiers: &[Box<dyn TQuery>],
        req: &Request,
    ) -> Result<(Vec<Ranked>, usize), SearchError> {
        let searcher = self.reader.searcher();
        let mut ranked: Vec<Ranked> = Vec::new();
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
        Ok((ranked, complete_count))
    }
}

/// The family of a provision: its section and top-level paragraph (a
/// paragraph with its sub-paragraphs and items).
fn family(id: &ProvisionId) -> (SectionId, Option<Segment>) {
    (id.section, id.path.first().copied())
}

/// Keeps at most [`PER_FAMILY`] hits of one paragraph family ahead of the
/// rest, so that one long recommendation does not fill the first page; the
/// others follow in their order.
fn diversify(meta: &[Meta], ranked: Vec<Ranked>) -> Vec<Ranked> {
    let mut seen: HashMap<(SectionId, Option<Segment>), usize> = HashMap::new();
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for r in ranked {
        // A hit the index has no record of: kept for later.
        let Some(m) = meta.get(r.0 as usize) else {
            later.push(r);
            continue;
        };
        let n = seen.entry(family(&m.id)).or_default();
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

/// A fused ranking (hybrid search) held to [`PER_FAMILY`] hits of one
/// paragraph family ahead of the rest by score: a hit beyond its family's
/// third counts [`weights::FAMILY_YIELD`] of its score against the other
/// families' hits, so it yields to those scoring at least that share of
/// it, not to every weaker one. Best first; ties by id.
pub(crate) fn diversify_fused(
    fused: Vec<(ProvisionId, f32, MatchedBy)>,
) -> Vec<(ProvisionId, f32, MatchedBy)> {
    let mut seen: HashMap<(SectionId, Option<Segment>), usize> = HashMap::new();
    let mut ranked: Vec<(f32, (ProvisionId, f32, MatchedBy))> = fused
        .into_iter()
        .map(|f| {
            let n = seen.entry(family(&f.0)).or_default();
            *n += 1;
            let share = if *n > PER_FAMILY {
                weights::FAMILY_YIELD
            } else {
                1.0
            };
            (f.1 * share, f)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.0.cmp(&b.1.0)));
    ranked.into_iter().map(|(_, f)| f).collect()
}

/// Facet counts over the documents with these ordinals.
pub(crate) fn facets(meta: &[Meta], ords: impl Iterator<Item = u64>) -> Facets {
    let mut f = Facets::default();
    for m in ords.filter_map(|o| meta.get(o as usize)) {
        *f.part.entry(m.id.section.part).or_default() += 1;
        *f.section.entry(m.id.section).or_default() += 1;
        *f.year.entry(m.year).or_default() += 1;
        *f.kind.entry(m.id.kind()).or_default() += 1;
        for t in &m.topics {
            *f.topic.entry(t.clone()).or_default() += 1;
        }
    }
    f
}

/// The answer to a query that is a citation: the provision it names, or
/// every provision of the section it names.
fn citation_response(meta: &[Meta], req: &Request, target: Target) -> Response {
    let ords: Vec<u64> = meta
        .iter()
        .enumerate()
        .filter(|(_, m)| match &target {
            Target::Provision(id) => &m.id == id,
            Target::Section(s) => m.id.section == *s,
        })
        .map(|(i, _)| i as u64)
        .collect();
    let hits: Vec<Hit> = ords
        .iter()
        .skip(req.offset)
        .take(req.limit)
        .filter_map(|o| meta.get(*o as usize))
        .map(|m| Hit {
            id: m.id.clone(),
            score: f32::MAX,
            complete: true,
            snippet: String::new(),
            highlights: Vec::new(),
            matched_by: MatchedBy::Words,
        })
        .collect();
    Response {
        query: req.query.to_owned(),
        citation: Some(target),
        total: ords.len(),
        complete: ords.len(),
        hits,
        facets: if req.facets {
            facets(meta, ords.into_iter())
        } else {
            Facets::default()
        },
        mode: Mode::Lexical,
        notices: Vec::new(),
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
