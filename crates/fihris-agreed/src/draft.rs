//! Checking a draft against agreed language: the draft cut into clauses,
//! each with the provisions closest to it (by the wording it contains and,
//! given the clauses' vectors, by meaning) and, against the closest that
//! shares most of it, what is agreed verbatim and what is new.
//!
//! Nothing of a draft is kept: [`Draft`] lives as long as the request.

use std::collections::HashMap;
use std::ops::Range;

use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, sentence_cuts};

use crate::compare::{Run, compare_runs, shared_words};
use crate::similar::{Similar, Wording, dot, rank, shingles};
use crate::words::words;

/// Largest draft accepted, in bytes of UTF-8 text.
pub const MAX_DRAFT: usize = 8 * 1024;
/// Fewest words in a row a draft must share with a provision for them to
/// count as agreed verbatim.
pub const VERBATIM_WORDS: usize = 3;
/// A clause of fewer words is joined to the next (a paragraph number, a
/// heading).
const MIN_CLAUSE_WORDS: usize = 3;

/// Why a draft cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// Nothing but white space.
    Empty,
    /// Characters, but not one word (punctuation, symbols).
    NoWords,
    /// More than [`MAX_DRAFT`] bytes.
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
}

impl DraftError {
    /// What went wrong, in English.
    pub fn message(&self) -> String {
        match self {
            DraftError::Empty => "the draft is empty: paste a paragraph or a whole draft".into(),
            DraftError::NoWords => "the draft has no words, only punctuation or symbols".into(),
            DraftError::TooLarge { bytes } => format!(
                "the draft is {bytes} bytes; at most {MAX_DRAFT} bytes (8 KiB) are checked at once: split it"
            ),
        }
    }

    /// What went wrong, in Arabic.
    pub fn message_ar(&self) -> String {
        match self {
            DraftError::Empty => "المشروع فارغ: الصق فقرة أو مشروعًا كاملًا".into(),
            DraftError::NoWords => "لا كلمات في المشروع، علامات ترقيم أو رموز فقط".into(),
            DraftError::TooLarge { bytes } => format!(
                "حجم المشروع {bytes} بايت؛ يُفحص {MAX_DRAFT} بايت (8 كيلوبايت) على الأكثر في المرة الواحدة: قسّمه"
            ),
        }
    }
}

/// A draft cut into clauses.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// The draft as pasted.
    pub text: &'a str,
    /// Byte ranges of its clauses, in order.
    pub clauses: Vec<Range<usize>>,
    /// Whether it is written in Arabic (most of its letters are), the
    /// language of the record.
    pub arabic: bool,
}

/// A clause of a draft, checked.
#[derive(Debug, Clone)]
pub struct CheckedClause {
    /// Its byte range in the draft.
    pub range: Range<usize>,
    /// Whether it is in Arabic (most of its letters are), the record's
    /// language: only then does shared wording count.
    pub arabic: bool,
    /// The closest provisions, closest first; `wording` is how much of the
    /// clause's wording each contains (0–1).
    pub closest: Vec<Similar>,
    /// Which of `closest` the clause is compared with: the one sharing
    /// most words verbatim (the closest on a tie), if any shares some.
    pub compared: Option<usize>,
    /// The clause in runs, those agreed verbatim marked.
    pub runs: Vec<Run>,
    /// The compared provision's text in runs, those the clause shares
    /// marked.
    pub provision_runs: Vec<Run>,
    /// Its words.
    pub words: usize,
    /// Its words agreed verbatim (in runs of at least
    /// [`VERBATIM_WORDS`] shared with the compared provision).
    pub verbatim: usize,
}

impl<'a> Draft<'a> {
    /// Checks the size and that there are words, and cuts the draft into
    /// clauses: at line breaks, and after `.`, `؛`, `;`, `?`, `؟`, `!`
    /// followed by a space; pieces of fewer than three words join the
    /// next.
    pub fn new(text: &'a str) -> Result<Draft<'a>, DraftError> {
        Draft::with_limit(text, MAX_DRAFT)
    }

    /// As [`Draft::new`], with a limit of `max` bytes rather than
    /// [`MAX_DRAFT`] (an Arabic draft of 1,000 words is about 11 KiB: the
    /// benchmark checks one whole).
    pub fn with_limit(text: &'a str, max: usize) -> Result<Draft<'a>, DraftError> {
        if text.len() > max {
            return Err(DraftError::TooLarge { bytes: text.len() });
        }
        if text.trim().is_empty() {
            return Err(DraftError::Empty);
        }
        if words(text).is_empty() {
            return Err(DraftError::NoWords);
        }
        let mut clauses: Vec<Range<usize>> = Vec::new();
        let mut pending: Option<usize> = None;
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            for cut in sentence_cuts(line).windows(2) {
                let piece = &line[cut[0]..cut[1]];
                let lead = piece.len() - piece.trim_start().len();
                let piece = piece.trim();
                if piece.is_empty() {
                    continue;
                }
                let start = line_start + cut[0] + lead;
                let range = pending.take().unwrap_or(start)..start + piece.len();
                if words(&text[range.clone()]).len() < MIN_CLAUSE_WORDS {
                    pending = Some(range.start);
                } else {
                    clauses.push(range);
                }
            }
            line_start += line.len();
        }
        if let Some(start) = pending {
            let end = text.trim_end().len();
            match clauses.last_mut() {
                Some(last) => last.end = end,
                None => clauses.push(start..end),
            }
        }
        Ok(Draft {
            text,
            clauses,
            arabic: mostly_arabic(text),
        })
    }

    /// The texts of the clauses, in order (to embed them).
    pub fn clause_texts(&self) -> Vec<&'a str> {
        self.clauses.iter().map(|r| &self.text[r.clone()]).collect()
    }

    /// The `k` closest provisions of each clause, and its comparison with
    /// the one sharing most wording. `meaning` is the provisions' vectors
    /// and the clauses' (in order), when the model is at hand; without it,
    /// only wording ranks, and a clause sharing none has no closest.
    pub fn check(
        &self,
        corpus: &Corpus,
        wording: &Wording,
        meaning: Option<(&DenseIndex, &[Vec<f32>])>,
        k: usize,
    ) -> Vec<CheckedClause> {
        self.clauses
            .iter()
            .enumerate()
            .map(|(n, range)| {
                let clause = &self.text[range.clone()];
                let vector = meaning.and_then(|(d, v)| Some((d, v.get(n)?.as_slice())));
                let arabic = mostly_arabic(clause);
                let closest = closest(wording, clause, arabic, vector, k);
                CheckedClause {
                    arabic,
                    ..compare_best(corpus, range.clone(), clause, closest)
                }
            })
            .collect()
    }
}

/// The `k` provisions closest to a clause: by the wording it contains
/// (an Arabic clause) and by meaning (given its vector).
fn closest(
    wording: &Wording,
    clause: &str,
    arabic: bool,
    vector: Option<(&DenseIndex, &[f32])>,
    k: usize,
) -> Vec<Similar> {
    let words: HashMap<ProvisionId, f32> = if arabic {
        wording.containment(&shingles(clause)).into_iter().collect()
    } else {
        HashMap::new()
    };
    let meaning: HashMap<ProvisionId, f32> = vector
        .map(|(d, v)| d.nearest(v, 2 * k).into_iter().collect())
        .unwrap_or_default();
    let cosine = |id: &ProvisionId| vector.and_then(|(d, v)| Some(dot(v, d.vector(id)?)));
    let mut out = rank(&words, &meaning, cosine, k, |w, m| match m {
        Some(m) if arabic => (w + m) / 2.0,
        Some(m) => m,
        None => w,
    });
    if vector.is_none() {
        out.retain(|s| s.wording >= crate::similar::WORDING_FLOOR);
    }
    out
}

/// The clause compared with each of its closest; the one sharing most
/// words verbatim kept.
fn compare_best(
    corpus: &Corpus,
    range: Range<usize>,
    clause: &str,
    closest: Vec<Similar>,
) -> CheckedClause {
    let mut best: Option<(usize, usize, Vec<Run>, Vec<Run>)> = None;
    for (n, s) in closest.iter().enumerate() {
        let Some(p) = corpus.provision(&s.id) else {
            continue;
        };
        let (runs, provision_runs) = compare_runs(clause, &p.text, VERBATIM_WORDS);
        let shared = shared_words(&runs);
        if shared > 0 && best.as_ref().is_none_or(|b| shared > b.1) {
            best = Some((n, shared, runs, provision_runs));
        }
    }
    let words = words(clause).len();
    match best {
        Some((n, verbatim, runs, provision_runs)) => CheckedClause {
            range,
            arabic: false,
            closest,
            compared: Some(n),
            runs,
            provision_runs,
            words,
            verbatim,
        },
        None => CheckedClause {
            range,
            arabic: false,
            closest,
            compared: None,
            runs: vec![Run {
                text: clause.to_owned(),
                shared: false,
            }],
            provision_runs: Vec::new(),
            words,
            verbatim: 0,
        },
    }
}

/// Whether most of the letters of `text` are Arabic.
pub fn mostly_arabic(text: &str) -> bool {
    let (mut arabic, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            arabic += 1;
        } else {
            other += 1;
        }
    }
    arabic > other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_are_cut_at_sentences_and_lines_and_short_pieces_join() {
        let text = "1.\nينبغي للدول الأطراف أن تعزز التعاون. وينبغي لها أن تدرّب القضاة\nثانيًا";
        let d = Draft::new(text).unwrap();
        let clauses = d.clause_texts();
        assert_eq!(
            clauses,
            [
                "1.\nينبغي للدول الأطراف أن تعزز التعاون.",
                "وينبغي لها أن تدرّب القضاة\nثانيًا"
            ]
        );
        assert!(d.arabic);
    }

    #[test]
    fn bad_drafts_are_refused() {
        assert_eq!(Draft::new(" \n\t").unwrap_err(), DraftError::Empty);
        assert_eq!(Draft::new("... ؟! —").unwrap_err(), DraftError::NoWords);
        let big = "كلمة ".repeat(1000);
        assert_eq!(
            Draft::new(&big).unwrap_err(),
            DraftError::TooLarge { bytes: big.len() }
        );
    }

    #[test]
    fn an_english_draft_is_not_arabic() {
        let d = Draft::new("States parties should train judges. حكم").unwrap();
        assert!(!d.arabic);
        assert_eq!(d.clauses.len(), 1);
    }
}
