//! Meaning search over document vectors, and its fusion with the lexical
//! ranking. The vectors come from elsewhere (fihris-embed); here they are
//! unit vectors compared by dot product, exactly (472 provisions take
//! microseconds).

use std::collections::HashMap;
use std::ops::Range;

use fihris_model::ProvisionId;
use serde::Serialize;

use crate::weights;

/// Provision vectors, by provision.
#[derive(Debug, Clone)]
pub struct DenseIndex {
    ids: Vec<ProvisionId>,
    dim: usize,
    data: Vec<f32>,
}

/// Every provision's meaning score for one query ([`DenseIndex::scored`]).
#[derive(Debug, Clone)]
pub struct Scored {
    /// Each provision with its score, closest first.
    pub ranked: Vec<(ProvisionId, f32)>,
    /// The mean score: what a provision unrelated to the query scores
    /// (the floor of [`fuse`]).
    pub mean: f32,
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MatchedBy {
    /// By its words only.
    Words,
    /// By its meaning only.
    Meaning,
    /// By both.
    Both,
}

impl MatchedBy {
    /// Its name: `words`, `meaning`, `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Words => "words",
            MatchedBy::Meaning => "meaning",
            MatchedBy::Both => "both",
        }
    }
}

impl DenseIndex {
    /// An index of `ids` with their vectors (`dim` floats each, in order);
    /// `None` if the sizes disagree.
    pub fn new(ids: Vec<ProvisionId>, dim: usize, data: Vec<f32>) -> Option<DenseIndex> {
        if dim == 0 || data.len() != ids.len() * dim {
            return None;
        }
        Some(DenseIndex { ids, dim, data })
    }

    /// Every provision scored against `query`, closest first: its
    /// cosine, raised by [`weights::CLAUSE_RAISE`] of the way towards its
    /// closest clause's when that is closer (with `clauses`, the vectors of
    /// the clauses of provisions with several). A provision that speaks of
    /// several things is then found by the one the query asks about, and
    /// never scores lower than its whole text.
    pub fn scored(&self, query: &[f32], clauses: Option<&Pieces>) -> Scored {
        let ranked = self.ranked(query, clauses);
        let mean = ranked.iter().map(|s| s.1).sum::<f32>() / ranked.len().max(1) as f32;
        Scored {
            ranked: ranked
                .into_iter()
                .map(|(i, s)| (self.ids[i].clone(), s))
                .collect(),
            mean,
        }
    }

    /// [`DenseIndex::scored`] by position in the index, closest first
    /// (ties by position).
    fn ranked(&self, query: &[f32], clauses: Option<&Pieces>) -> Vec<(usize, f32)> {
        let mut ranked: Vec<(usize, f32)> = self
            .data
            .chunks_exact(self.dim)
            .map(|v| dot(v, query))
            .enumerate()
            .map(|(i, whole)| {
                let best = clauses.and_then(|c| c.best(&self.ids[i], query));
                match best {
                    Some(b) if b > whole => (i, whole + weights::CLAUSE_RAISE * (b - whole)),
                    _ => (i, whole),
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    /// The vector of provision `id`, if the index has it.
    pub fn vector(&self, id: &ProvisionId) -> Option<&[f32]> {
        let k = self.ids.iter().position(|i| i == id)?;
        Some(&self.data[k * self.dim..(k + 1) * self.dim])
    }

    /// The provisions, in order.
    pub fn ids(&self) -> &[ProvisionId] {
        &self.ids
    }

    /// Each provision's vector, in order.
    pub fn vectors(&self) -> std::slice::ChunksExact<'_, f32> {
        self.data.chunks_exact(self.dim)
    }

    /// The `k` provisions closest to `query`, closest first.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(ProvisionId, f32)> {
        self.ranked(query, None)
            .into_iter()
            .take(k)
            .map(|(i, s)| (self.ids[i].clone(), s))
            .collect()
    }
}

/// Where sentences end: after one of these followed by a space.
const SENTENCE_ENDS: &str = ".؛;?؟!";
/// Where clauses end: where sentences do, and after `:`, `،` and `,`.
const CLAUSE_ENDS: &str = ".؛;?؟!:،,";
/// Shortest sentence, in words: a shorter piece joins the one before.
const MIN_SENTENCE_WORDS: usize = 8;
/// Shortest clause, in words: a shorter piece joins the one before.
const MIN_CLAUSE_WORDS: usize = 5;

/// Byte offsets just after each of `ends` followed by a space, with 0
/// first and the text's length last.
fn cuts(text: &str, ends: &str) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if ends.contains(c) && chars.peek().is_some_and(|(_, n)| n.is_whitespace()) {
            cuts.push(i + c.len_utf8());
        }
    }
    cuts.push(text.len());
    cuts
}

/// Where a text's sentences end: byte offsets just after each `.`, `؛`,
/// `;`, `?`, `؟`, `!` followed by a space, with 0 first and the text's
/// length last.
pub fn sentence_cuts(text: &str) -> Vec<usize> {
    cuts(text, SENTENCE_ENDS)
}

/// Where the pieces of a text lie (byte ranges, trimmed): cut after each
/// of `ends` followed by a space, pieces of fewer than `min_words` words
/// joined to the one before.
fn pieces(text: &str, ends: &str, min_words: usize) -> Vec<Range<usize>> {
    let cuts = cuts(text, ends);
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for w in cuts.windows(2) {
        let words = text[w[0]..w[1]].split_whitespace().count();
        if words == 0 {
            continue;
        }
        if words < min_words && !out.is_empty() {
            out.pop();
        } else {
            start = w[0];
        }
        out.push(trimmed(text, start..w[1]));
    }
    out
}

/// `range` of `text` without the white space at either end.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    range.start + lead..range.start + lead + piece.trim().len()
}

/// The sentences of a text: cut after `.`, `؛`, `;`, `?`, `؟`, `!`
/// followed by a space, pieces of fewer than eight words joined to the one
/// before.
pub fn sentences(text: &str) -> Vec<&str> {
    Cut::Sentences.split(text)
}

/// The clauses of a text: cut where its sentences are and after `:`, `،`
/// and `,` followed by a space, pieces of fewer than five words joined to
/// the one before.
pub fn clauses(text: &str) -> Vec<&str> {
    Cut::Clauses.split(text)
}

/// How a provision's text is cut into the pieces of [`Pieces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Into [`sentences`].
    Sentences,
    /// Into [`clauses`].
    Clauses,
}

impl Cut {
    /// The pieces of `text`.
    pub fn split(self, text: &str) -> Vec<&str> {
        self.ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    /// Where the pieces of `text` lie, as byte ranges.
    fn ranges(self, text: &str) -> Vec<Range<usize>> {
        match self {
            Cut::Sentences => pieces(text, SENTENCE_ENDS, MIN_SENTENCE_WORDS),
            Cut::Clauses => pieces(text, CLAUSE_ENDS, MIN_CLAUSE_WORDS),
        }
    }
}

/// The vectors of the pieces (sentences or clauses, in the order of
/// [`Cut::split`]) of provisions with several: a hit is shown by its
/// sentence closest to the query, and scored by its closest clause
/// ([`DenseIndex::scored`]).
#[derive(Debug, Clone)]
pub struct Pieces {
    cut: Cut,
    dim: usize,
    by: HashMap<ProvisionId, Vec<f32>>,
}

impl Pieces {
    /// From vectors keyed `<provision id>#<piece number>` (from 0, in
    /// order); keys of another form are skipped.
    pub fn new<'a>(
        cut: Cut,
        dim: usize,
        keyed: impl IntoIterator<Item = (&'a str, &'a [f32])>,
    ) -> Pieces {
        let mut by: HashMap<ProvisionId, Vec<f32>> = HashMap::new();
        for (key, v) in keyed {
            if let Some(id) = key.split_once('#').and_then(|(id, _)| id.parse().ok()) {
                by.entry(id).or_default().extend_from_slice(v);
            }
        }
        Pieces { cut, dim, by }
    }

    /// From each provision's piece vectors, end to end.
    pub fn from_map(cut: Cut, dim: usize, by: HashMap<ProvisionId, Vec<f32>>) -> Pieces {
        Pieces { cut, dim, by }
    }

    /// How the texts were cut.
    pub fn cut(&self) -> Cut {
        self.cut
    }

    /// Provision `id`'s piece vectors, end to end.
    pub fn of(&self, id: &ProvisionId) -> Option<&[f32]> {
        self.by.get(id).map(Vec::as_slice)
    }

    /// The score of provision `id`'s piece closest to `query`; `None` when
    /// its pieces have no vectors here.
    pub fn best(&self, id: &ProvisionId, query: &[f32]) -> Option<f32> {
        let vectors = self.by.get(id)?;
        if self.dim == 0 {
            return None;
        }
        vectors
            .chunks_exact(self.dim)
            .map(|v| dot(v, query))
            .max_by(f32::total_cmp)
    }

    /// The piece of `text` (provision `id`'s) closest to `query`; `None`
    /// when its pieces have no vectors here.
    pub fn closest<'t>(&self, id: &ProvisionId, text: &'t str, query: &[f32]) -> Option<&'t str> {
        self.closest_range(id, text, query).map(|r| &text[r])
    }

    /// Where in `text` its piece closest to `query` lies ([`Pieces::closest`]).
    pub fn closest_range(
        &self,
        id: &ProvisionId,
        text: &str,
        query: &[f32],
    ) -> Option<Range<usize>> {
        let vectors = self.by.get(id)?;
        let parts = self.cut.ranges(text);
        if self.dim == 0 || vectors.len() != parts.len() * self.dim {
            return None;
        }
        vectors
            .chunks_exact(self.dim)
            .map(|v| dot(v, query))
            .zip(parts)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, r)| r)
    }
}

/// The dot product of two vectors (their cosine when both are unit
/// vectors).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Scores scaled to 0..1: each one's height above `floor` as a share of
/// the best one's (at or below the floor: 0; the best, or all when none
/// rises above the floor: 1).
fn above(scores: &[(ProvisionId, f32)], floor: f32) -> Vec<(ProvisionId, f32)> {
    let hi = scores.iter().map(|s| s.1).fold(f32::MIN, f32::max);
    let span = hi - floor;
    scores
        .iter()
        .map(|(id, s)| {
            let share = if span > f32::EPSILON {
                ((s - floor) / span).clamp(0.0, 1.0)
            } else {
                1.0
            };
            (id.clone(), share)
        })
        .collect()
}

/// Fuses a lexical ranking and a dense one, each scaled per query to the
/// share of its best score that a provision reaches above what an
/// unrelated provision scores — 0 for BM25, `baseline` (the query's mean
/// score over every provision, [`Scored::mean`]) for meaning —
/// then weighted `lexical` and `1 - lexical`, a provision missing from one
/// ranking scoring 0 there. Returns every provision of either, best first,
/// with how it was found.
///
/// Scaling from those floors rather than from each ranking's last hit
/// keeps a weak last hit from being stretched to 0 and a close second
/// from being stretched apart from the first: on the development sets the
/// Arabic labels rose from 0.6709 to 0.6808 nDCG@10 and no set fell
/// (docs/benchmarks.md).
pub fn fuse(
    lexical: &[(ProvisionId, f32)],
    dense: &[(ProvisionId, f32)],
    weight: f32,
    baseline: f32,
) -> Vec<(ProvisionId, f32, MatchedBy)> {
    let lex = above(lexical, 0.0);
    let den = above(dense, baseline);
    let mut out: Vec<(ProvisionId, f32, MatchedBy)> = Vec::new();
    for (id, s) in &lex {
        let d = den.iter().find(|(j, _)| j == id).map(|x| x.1);
        let by = if d.is_some() {
            MatchedBy::Both
        } else {
            MatchedBy::Words
        };
        out.push((
            id.clone(),
            weight * s + (1.0 - weight) * d.unwrap_or(0.0),
            by,
        ));
    }
    for (id, s) in &den {
        if !lex.iter().any(|(j, _)| j == id) {
            out.push((id.clone(), (1.0 - weight) * s, MatchedBy::Meaning));
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ProvisionId {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Three provisions in two dimensions: along x, along y, and between.
    fn three() -> DenseIndex {
        DenseIndex::new(
            vec![id("A.1.1"), id("A.1.2"), id("A.1.3")],
            2,
            vec![1.0, 0.0, 0.0, 1.0, 0.6, 0.8],
        )
        .unwrap_or_else(|| panic!("sizes"))
    }

    #[test]
    fn nearest_and_fusion() {
        let d = three();
        let near = d.nearest(&[0.0, 1.0], 2);
        assert_eq!(near[0].0, id("A.1.2"));
        assert_eq!(near[1].0, id("A.1.3"));
        assert!(DenseIndex::new(vec![id("A.1.1")], 2, vec![1.0]).is_none());
        // The mean of the three scores: (0 + 1 + 0.8) / 3.
        let scored = d.scored(&[0.0, 1.0], None);
        assert!((scored.mean - 0.6).abs() < 1e-6);
        assert_eq!(scored.ranked.len(), 3);
        assert_eq!(scored.ranked[..2], near[..]);
        // Lexical 9 and 3 → 1 and 1/3 (not 1 and 0); meaning above 0.5 →
        // 1, 0.75 and 0 for the one below it.
        let fused = fuse(
            &[(id("A.1.1"), 9.0), (id("A.1.3"), 3.0)],
            &[(id("A.1.2"), 0.9), (id("A.1.3"), 0.8), (id("A.1.1"), 0.1)],
            0.7,
            0.5,
        );
        let got: Vec<(String, f32, MatchedBy)> = fused
            .iter()
            .map(|(i, s, by)| (i.to_string(), (s * 1000.0).round() / 1000.0, *by))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A.1.1".to_owned(), 0.7, MatchedBy::Both),
                ("A.1.3".to_owned(), 0.458, MatchedBy::Both),
                ("A.1.2".to_owned(), 0.3, MatchedBy::Meaning),
            ]
        );
        // A ranking whose best is no higher than the floor: all at 1.
        let flat = fuse(&[], &[(id("A.1.2"), 0.2)], 0.0, 0.4);
        assert_eq!(flat[0].1, 1.0);
    }

    #[test]
    fn a_closer_clause_raises_its_provision_half_way() {
        let d = three();
        // A.1.1's second clause points along the query; A.1.3's only
        // clause is further from it than its whole text: no change there.
        let clauses = Pieces::new(
            Cut::Clauses,
            2,
            [
                ("A.1.1#0", &[1.0f32, 0.0][..]),
                ("A.1.1#1", &[0.0, 1.0][..]),
                ("A.1.3#0", &[1.0, 0.0][..]),
                ("A.1.3#1", &[0.8, 0.6][..]),
            ],
        );
        let scored = d.scored(&[0.0, 1.0], Some(&clauses));
        let got: Vec<(String, f32)> = scored
            .ranked
            .iter()
            .map(|(i, s)| (i.to_string(), (s * 1000.0).round() / 1000.0))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A.1.2".to_owned(), 1.0),
                ("A.1.3".to_owned(), 0.8),
                ("A.1.1".to_owned(), 0.5),
            ]
        );
        // The mean of the raised scores: (0.5 + 1 + 0.8) / 3.
        assert!((scored.mean - 2.3 / 3.0).abs() < 1e-6);
        assert_eq!(clauses.best(&id("A.1.3"), &[0.0, 1.0]), Some(0.6));
        assert_eq!(clauses.best(&id("A.1.2"), &[0.0, 1.0]), None);
    }

    #[test]
    fn clauses_are_cut_at_commas_and_colons() {
        let text = "ينبغي للدول الأطراف أن تقوم بما يلي: حماية الضحايا من الانتقام، \
                    وتعويضهم عن الضرر الذي لحق بهم، وذلك فورا.";
        assert_eq!(
            clauses(text),
            vec![
                // Four words join the clause before; two, too.
                "ينبغي للدول الأطراف أن تقوم بما يلي: حماية الضحايا من الانتقام،",
                "وتعويضهم عن الضرر الذي لحق بهم، وذلك فورا.",
            ]
        );
        assert_eq!(sentences(text), vec![text]);
        assert_eq!(Cut::Clauses.split(text), clauses(text));
    }

    #[test]
    fn sentences_and_the_closest() {
        let text = "First sentence has quite enough words in it to stand. Short one. \
                    The third sentence also has enough words to stand alone; yes.";
        let s = sentences(text);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0],
            "First sentence has quite enough words in it to stand. Short one."
        );
        assert_eq!(sentences("لا نقطة هنا"), vec!["لا نقطة هنا"]);
        let v = Pieces::new(
            Cut::Sentences,
            2,
            [
                ("A.1.1#0", &[1.0f32, 0.0][..]),
                ("A.1.1#1", &[0.0, 1.0][..]),
            ],
        );
        assert_eq!(v.closest(&id("A.1.1"), text, &[0.1, 0.9]), Some(s[1]));
        assert_eq!(v.closest(&id("A.1.2"), text, &[0.1, 0.9]), None);
    }
}
