//! The provisions closest to a provision: by shared wording (three-word
//! shingles of normalised words, Dice's coefficient weighted by how rare
//! each shingle is, so that the formula every recommendation opens with —
//! «ينبغي للدول الأطراف أن» — counts for little) and, when the provisions'
//! vectors are at hand, by meaning (cosine).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, MatchedBy};

use crate::words::words;

/// Words per shingle.
const SHINGLE: usize = 3;
/// Least Dice coefficient of shingles for a provision to count as sharing
/// wording.
pub const WORDING_FLOOR: f32 = 0.1;

/// The shingles of every provision, with postings from shingle to
/// provisions and each shingle's weight.
pub struct Wording {
    ids: Vec<ProvisionId>,
    shingles: Vec<Vec<u64>>,
    /// Sum of the weights of each provision's shingles.
    totals: Vec<f32>,
    postings: HashMap<u64, Vec<u32>>,
}

/// The distinct shingles of a text, sorted (a text shorter than a shingle
/// is one shingle of all its words).
pub fn shingles(text: &str) -> Vec<u64> {
    let norms: Vec<String> = words(text).into_iter().map(|w| w.norm).collect();
    let mut out: Vec<u64> = norms
        .windows(SHINGLE.min(norms.len().max(1)))
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Wording {
    /// The shingles of the record's provisions.
    pub fn new(corpus: &Corpus) -> Wording {
        let ids: Vec<ProvisionId> = corpus.provisions.iter().map(|p| p.id.clone()).collect();
        let shingles: Vec<Vec<u64>> = corpus
            .provisions
            .iter()
            .map(|p| shingles(&p.text))
            .collect();
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        for (k, set) in shingles.iter().enumerate() {
            for s in set {
                postings.entry(*s).or_default().push(k as u32);
            }
        }
        let mut w = Wording {
            ids,
            shingles,
            totals: Vec::new(),
            postings,
        };
        w.totals = w.shingles.iter().map(|set| w.total(set)).collect();
        w
    }

    /// The weight of a shingle: `ln(1 + N / df)`, `df` the provisions that
    /// have it (a shingle no provision has weighs as one that one has).
    pub fn weight(&self, shingle: u64) -> f32 {
        let df = self.postings.get(&shingle).map_or(1, Vec::len).max(1);
        (1.0 + self.ids.len() as f32 / df as f32).ln()
    }

    fn total(&self, shingles: &[u64]) -> f32 {
        shingles.iter().map(|s| self.weight(*s)).sum()
    }

    /// Weighted Dice: twice the weight shared over the two totals.
    fn dice(shared: f32, a: f32, b: f32) -> f32 {
        if a + b > 0.0 {
            2.0 * shared / (a + b)
        } else {
            0.0
        }
    }

    /// The weight each provision sharing a shingle with `shingles` shares,
    /// through the postings.
    fn common(&self, shingles: &[u64]) -> HashMap<u32, f32> {
        let mut common: HashMap<u32, f32> = HashMap::new();
        for s in shingles {
            let w = self.weight(*s);
            for &k in self.postings.get(s).map_or(&[][..], Vec::as_slice) {
                *common.entry(k).or_default() += w;
            }
        }
        common
    }

    /// Weighted Dice coefficient of `shingles` (sorted, distinct) with
    /// every provision that shares one, through the postings.
    pub fn scores(&self, shingles: &[u64]) -> Vec<(ProvisionId, f32)> {
        let own = self.total(shingles);
        self.common(shingles)
            .into_iter()
            .map(|(k, c)| {
                let k = k as usize;
                (self.ids[k].clone(), Wording::dice(c, own, self.totals[k]))
            })
            .collect()
    }

    /// How much of `shingles` (sorted, distinct: a clause of a draft) each
    /// provision contains: the weight shared over the clause's own (0–1),
    /// so that a clause copied from a long provision scores 1 however long
    /// the provision.
    pub fn containment(&self, shingles: &[u64]) -> Vec<(ProvisionId, f32)> {
        let own = self.total(shingles);
        if own <= 0.0 {
            return Vec::new();
        }
        self.common(shingles)
            .into_iter()
            .map(|(k, c)| (self.ids[k as usize].clone(), (c / own).min(1.0)))
            .collect()
    }

    /// As [`Wording::scores`], comparing with every provision one by one
    /// (the baseline the benchmark measures the postings against).
    pub fn scores_brute_force(&self, shingles: &[u64]) -> Vec<(ProvisionId, f32)> {
        let own = self.total(shingles);
        self.shingles
            .iter()
            .enumerate()
            .filter_map(|(k, other)| {
                let common = sorted_common(shingles, other);
                (!common.is_empty()).then(|| {
                    let c = common.iter().map(|s| self.weight(*s)).sum();
                    (self.ids[k].clone(), Wording::dice(c, own, self.totals[k]))
                })
            })
            .collect()
    }

    /// The shingles of provision `id`.
    pub fn of(&self, id: &ProvisionId) -> Option<&[u64]> {
        let k = self.ids.iter().position(|i| i == id)?;
        Some(&self.shingles[k])
    }
}

/// The values two sorted lists share, in order.
fn sorted_common(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A provision close to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// The close provision.
    pub id: ProvisionId,
    /// The ranking score: the mean of `wording` and `meaning`, or `wording`
    /// alone without vectors.
    pub score: f32,
    /// Weighted Dice coefficient of their three-word shingles (0–1).
    pub wording: f32,
    /// Cosine of their vectors, when the vectors are at hand.
    pub meaning: Option<f32>,
    /// Whether it shares wording (Dice ≥ [`WORDING_FLOOR`]), is among the
    /// closest by meaning, or both.
    pub matched_by: MatchedBy,
}

/// The `k` provisions closest to `id`, closest first; its own family (the
/// paragraph it belongs to and the items inside it) left out. `None` if the
/// record has no provision `id`.
pub fn similar(
    wording: &Wording,
    dense: Option<&DenseIndex>,
    id: &ProvisionId,
    k: usize,
) -> Option<Vec<Similar>> {
    let own = wording.of(id)?;
    let family = |other: &ProvisionId| {
        let (a, b) = (id.to_string(), other.to_string());
        a == b || a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
    };
    let words: HashMap<ProvisionId, f32> = wording
        .scores(own)
        .into_iter()
        .filter(|(other, _)| !family(other))
        .collect();
    // The provision's own vector, if the index has it.
    let vectors = dense.and_then(|d| Some((d, d.vector(id)?)));
    let meaning: HashMap<ProvisionId, f32> = match vectors {
        Some((d, v)) => d
            .nearest(v, 2 * k + 8)
            .into_iter()
            .filter(|(other, _)| !family(other))
            .take(2 * k)
            .collect(),
        None => HashMap::new(),
    };
    let cosine = |other: &ProvisionId| vectors.and_then(|(d, v)| Some(dot(v, d.vector(other)?)));
    Some(rank(&words, &meaning, cosine, k, |w, m| {
        m.map_or(w, |m| (w + m) / 2.0)
    }))
}

/// The `k` best of the candidates: the `2k` best by `words` and those in
/// `meaning` (the nearest by meaning), each scored by `score` of its
/// wording (0 if it shares none) and its cosine (by `cosine`), best first.
pub(crate) fn rank(
    words: &HashMap<ProvisionId, f32>,
    meaning: &HashMap<ProvisionId, f32>,
    cosine: impl Fn(&ProvisionId) -> Option<f32>,
    k: usize,
    score: impl Fn(f32, Option<f32>) -> f32,
) -> Vec<Similar> {
    let mut candidates: HashSet<&ProvisionId> = meaning.keys().collect();
    let mut by_words: Vec<(&ProvisionId, f32)> = words.iter().map(|(i, s)| (i, *s)).collect();
    by_words.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    candidates.extend(by_words.iter().take(2 * k).map(|(i, _)| *i));
    let mut out: Vec<Similar> = candidates
        .into_iter()
        .map(|other| {
            let w = words.get(other).copied().unwrap_or(0.0);
            let m = cosine(other);
            let shares = w >= WORDING_FLOOR;
            let near = meaning.contains_key(other);
            Similar {
                id: other.clone(),
                score: score(w, m),
                wording: w,
                meaning: m,
                matched_by: match (shares, near) {
                    (true, true) => MatchedBy::Both,
                    (false, true) => MatchedBy::Meaning,
                    _ => MatchedBy::Words,
                },
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out.truncate(k);
    out
}

pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
