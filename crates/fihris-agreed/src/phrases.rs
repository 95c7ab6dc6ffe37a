//! Formulations reused from one meeting or session to another: stretches
//! of wording that provisions of different sections share, exactly or
//! with small changes, at least [`MIN_WORDS`] normalised words in common
//! (names of instruments and bodies, and citations, not counted), each
//! traced to where it first appeared.
//!
//! How: every run of [`SEED_WORDS`] words of every provision is a key (the
//! words themselves, so no hash collisions) in a map to where it occurs.
//! Two provisions of different sections sharing a key share a seed; seeds
//! one word apart on one diagonal join into an exact run; runs of one pair
//! a few words apart on both sides ([`MAX_GAP`]) join into one near-exact
//! reuse. Each reuse is oriented from its earlier side (meetings by date,
//! sessions by year), a later stretch is credited to its earliest source
//! only, and the reuses of one source stretch are one formulation. Over
//! the 472 provisions this takes about 10 ms. A suffix array would find
//! the same exact runs but not join them across small edits; MinHash would
//! only estimate what is counted here exactly.

use std::collections::HashMap;
use std::ops::Range;

use fihris_model::{Corpus, ProvisionId, SectionId};

use crate::words::{Word, words};

/// Fewest words a formulation shares with its reuse (outside names).
pub const MIN_WORDS: usize = 8;
/// Words in a row of a seed: exact runs are at least this long.
pub const SEED_WORDS: usize = 5;
/// Most words changed between two exact runs of one reuse, on either side.
pub const MAX_GAP: usize = 4;

/// One place a formulation occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The provision.
    pub id: ProvisionId,
    /// Byte range of the formulation in the provision's text.
    pub bytes: Range<usize>,
    /// Its words.
    pub words: usize,
}

/// A later occurrence of a formulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuse {
    /// Where.
    pub at: Occurrence,
    /// Whether its normalised words are the first appearance's, word for
    /// word.
    pub exact: bool,
}

/// A formulation found in several sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formulation {
    /// Where it first appeared (the earliest meeting or session).
    pub first: Occurrence,
    /// Every later occurrence, in order of time.
    pub reuses: Vec<Reuse>,
    /// Sections it occurs in.
    pub sections: usize,
}

/// Every formulation of the record reused across sections, the most
/// widely reused first.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    /// The formulations.
    pub formulations: Vec<Formulation>,
}

/// A run of words of one provision: (provision index, word range).
type Span = (usize, Range<usize>);

impl Phrases {
    /// Finds the formulations of `corpus`.
    pub fn find(corpus: &Corpus) -> Phrases {
        let texts: Vec<Vec<Word>> = corpus.provisions.iter().map(|p| words(&p.text)).collect();
        let norms: Vec<Vec<&str>> = texts
            .iter()
            .map(|w| w.iter().map(|w| w.norm.as_str()).collect())
            .collect();
        let sections: Vec<SectionId> = corpus.provisions.iter().map(|p| p.id.section).collect();
        let mut names = name_words(&norms);
        // A citation («الفقرة 2 من المادة 6 من البروتوكول») is a reference,
        // not a formulation: its words count as a name's.
        let index: HashMap<&ProvisionId, usize> = corpus
            .provisions
            .iter()
            .enumerate()
            .map(|(k, p)| (&p.id, k))
            .collect();
        for x in &corpus.xrefs {
            if let Some(&p) = index.get(&x.from) {
                let span = x.start..x.start + x.text.len();
                for (k, w) in texts[p].iter().enumerate() {
                    if span.contains(&w.start) {
                        names[p][k] = true;
                    }
                }
            }
        }
        let edges = reuses(&norms, &sections, &names);
        let rank = ranks(corpus);
        let mut formulations: Vec<Formulation> = formulations(edges, &rank)
            .into_iter()
            .map(|f| formulation(corpus, &texts, &norms, &rank, f))
            .collect();
        formulations.sort_by(|a, b| {
            b.sections
                .cmp(&a.sections)
                .then(b.first.words.cmp(&a.first.words))
                .then_with(|| a.first.id.cmp(&b.first.id))
        });
        Phrases { formulations }
    }

    /// The formulations provision `id` reuses from an earlier section:
    /// each with the occurrence in `id`.
    pub fn reused_by(&self, id: &ProvisionId) -> Vec<(&Formulation, &Reuse)> {
        self.formulations
            .iter()
            .flat_map(|f| {
                f.reuses
                    .iter()
                    .filter(|r| r.at.id == *id)
                    .map(move |r| (f, r))
            })
            .collect()
    }

    /// The formulations that first appeared in provision `id` and were
    /// reused later.
    pub fn first_in(&self, id: &ProvisionId) -> Vec<&Formulation> {
        self.formulations
            .iter()
            .filter(|f| f.first.id == *id)
            .collect()
    }

    /// All later occurrences, of every formulation.
    pub fn reuse_count(&self) -> usize {
        self.formulations.iter().map(|f| f.reuses.len()).sum()
    }
}

/// The near-exact reuses between provisions of different sections: pairs
/// of spans.
fn reuses(norms: &[Vec<&str>], sections: &[SectionId], names: &[Vec<bool>]) -> Vec<(Span, Span)> {
    let mut at: HashMap<&[&str], Vec<(u32, u32)>> = HashMap::new();
    for (p, n) in norms.iter().enumerate() {
        for (i, gram) in n.windows(SEED_WORDS).enumerate() {
            at.entry(gram).or_default().push((p as u32, i as u32));
        }
    }
    // Seeds per pair of provisions (the earlier index first).
    let mut seeds: HashMap<(u32, u32), Vec<(u32, u32)>> = HashMap::new();
    for places in at.values().filter(|v| v.len() > 1) {
        for (k, &(a, i)) in places.iter().enumerate() {
            for &(b, j) in &places[k + 1..] {
                if sections[a as usize] != sections[b as usize] {
                    seeds.entry((a, b)).or_default().push((i, j));
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut pairs: Vec<_> = seeds.into_iter().collect();
    pairs.sort_unstable_by_key(|(k, _)| *k);
    for ((a, b), mut s) in pairs {
        // Exact runs: seeds on one diagonal, one word apart.
        s.sort_unstable_by_key(|&(i, j)| (j as i64 - i as i64, i));
        let mut runs: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for (i, j) in s {
            let (i, j) = (i as usize, j as usize);
            match runs.last_mut() {
                Some((ra, rb)) if ra.end - SEED_WORDS + 1 == i && rb.end - SEED_WORDS + 1 == j => {
                    ra.end += 1;
                    rb.end += 1;
                }
                _ => runs.push((i..i + SEED_WORDS, j..j + SEED_WORDS)),
            }
        }
        // Near-exact reuses: runs a few words apart on both sides; kept
        // with MIN_WORDS words shared outside names.
        runs.sort_unstable_by_key(|(ra, _)| (ra.start, ra.end));
        let mut chains: Vec<(Range<usize>, Range<usize>, usize)> = Vec::new();
        let own = |r: &Range<usize>| r.clone().filter(|k| !names[a as usize][*k]).count();
        for (ra, rb) in runs {
            match chains.last_mut() {
                Some((ca, cb, shared))
                    if ra.start >= ca.end
                        && ra.start - ca.end <= MAX_GAP
                        && rb.start >= cb.end
                        && rb.start - cb.end <= MAX_GAP =>
                {
                    *shared += own(&ra);
                    ca.end = ra.end;
                    cb.end = rb.end;
                }
                Some((ca, cb, _))
                    if ra.end <= ca.end && rb.start >= cb.start && rb.end <= cb.end => {}
                _ => {
                    let shared = own(&ra);
                    chains.push((ra, rb, shared));
                }
            }
        }
        for (ra, rb, shared) in chains {
            if shared >= MIN_WORDS {
                out.push(((a as usize, ra), (b as usize, rb)));
            }
        }
    }
    out
}

/// Whether two word ranges overlap by at least half the shorter.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    let overlap = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    2 * overlap >= a.len().min(b.len())
}

/// The formulations from the reuses: each reuse oriented from its earlier
/// side (by `rank`: the place in time of each provision); a later span is
/// credited to its earliest source only (a span half covered by earlier
/// credits is skipped); the reuses of one source span
/// (overlapping by half) are one formulation.
fn formulations(edges: Vec<(Span, Span)>, rank: &[usize]) -> Vec<(Span, Vec<Span>)> {
    let mut oriented: Vec<(Span, Span)> = edges
        .into_iter()
        .map(|(a, b)| {
            if rank[a.0] <= rank[b.0] {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    oriented.sort_by_key(|(o, l)| (rank[o.0], o.1.start, rank[l.0], l.1.start));
    let mut claimed: HashMap<usize, Vec<Range<usize>>> = HashMap::new();
    let mut out: Vec<(Span, Vec<Span>)> = Vec::new();
    for (origin, later) in oriented {
        // Already credited to an earlier source, for the most part.
        let taken = claimed.entry(later.0).or_default();
        let covered: usize = taken
            .iter()
            .map(|r| {
                later
                    .1
                    .end
                    .min(r.end)
                    .saturating_sub(later.1.start.max(r.start))
            })
            .sum();
        if 2 * covered >= later.1.len() {
            continue;
        }
        taken.push(later.1.clone());
        match out
            .iter_mut()
            .find(|(o, _)| o.0 == origin.0 && overlaps(&o.1, &origin.1))
        {
            Some((o, reuses)) => {
                o.1 = o.1.start.min(origin.1.start)..o.1.end.max(origin.1.end);
                reuses.push(later);
            }
            None => out.push((origin, vec![later])),
        }
    }
    out
}

/// A formulation from its first span and its later ones.
fn formulation(
    corpus: &Corpus,
    texts: &[Vec<Word>],
    norms: &[Vec<&str>],
    rank: &[usize],
    (first, mut later): (Span, Vec<Span>),
) -> Formulation {
    later.sort_by_key(|(p, r)| (rank[*p], r.start));
    let occurrence = |(p, r): &Span| Occurrence {
        id: corpus.provisions[*p].id.clone(),
        bytes: texts[*p][r.start].start..texts[*p][r.end - 1].end,
        words: r.len(),
    };
    let first_words = &norms[first.0][first.1.clone()];
    let mut sections: Vec<SectionId> = std::iter::once(first.0)
        .chain(later.iter().map(|(p, _)| *p))
        .map(|p| corpus.provisions[p].id.section)
        .collect();
    sections.sort_unstable();
    sections.dedup();
    Formulation {
        first: occurrence(&first),
        reuses: later
            .iter()
            .map(|s| Reuse {
                at: occurrence(s),
                exact: &norms[s.0][s.1.clone()] == first_words,
            })
            .collect(),
        sections: sections.len(),
    }
}

/// Names of instruments and bodies the record repeats, which are not
/// formulations: a reuse counts only with [`MIN_WORDS`] shared words
/// outside them (and outside the cross-references' citations).
const NAMES: [&str; 4] = [
    "بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص، وبخاصة النساء والأطفال، المكمل لاتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية",
    "اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية",
    "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
    "الفريق المشترك بين الوكالات للتعاون على مكافحة الاتجار بالأشخاص",
];
/// Fewest words in a row of a name for them to count as the name.
const NAME_WORDS: usize = 4;

/// For each word of each provision, whether it is part of a name (a run
/// of at least [`NAME_WORDS`] words of one of [`NAMES`], in order).
fn name_words(norms: &[Vec<&str>]) -> Vec<Vec<bool>> {
    let names: Vec<Vec<String>> = NAMES
        .iter()
        .map(|n| words(n).into_iter().map(|w| w.norm).collect())
        .collect();
    norms
        .iter()
        .map(|n| {
            let mut marked = vec![false; n.len()];
            for name in &names {
                for gram in name.windows(NAME_WORDS) {
                    for (i, w) in n.windows(NAME_WORDS).enumerate() {
                        if w.iter().zip(gram).all(|(a, b)| *a == b) {
                            marked[i..i + NAME_WORDS].fill(true);
                        }
                    }
                }
            }
            marked
        })
        .collect()
}

/// Each provision's place in time: by its section's date
/// ([`chronology`]), then in document order.
fn ranks(corpus: &Corpus) -> Vec<usize> {
    let when = chronology(corpus);
    let mut order: Vec<usize> = (0..corpus.provisions.len()).collect();
    order.sort_by_key(|&p| (when.get(&corpus.provisions[p].id.section).copied(), p));
    let mut rank = vec![0; order.len()];
    for (r, p) in order.into_iter().enumerate() {
        rank[p] = r;
    }
    rank
}

/// When each section's meeting or session was held: a meeting by its first
/// day, a session (dated by its year alone) at the end of its year.
pub fn chronology(corpus: &Corpus) -> HashMap<SectionId, (u16, u8, u8)> {
    corpus
        .sections
        .iter()
        .filter_map(|s| {
            let date = match (&s.meeting, &s.session) {
                (Some(m), _) => m
                    .start
                    .map(|d| (d.year, d.month, d.day))
                    .or(m.year.map(|y| (y, 12, 31)))?,
                (None, Some(c)) => (c.year?, 12, 31),
                _ => return None,
            };
            Some((s.id, date))
        })
        .collect()
}
