//! Word-level comparison of two texts: which runs of each the other shares.

use fihris_search::analyzer::is_stopword;
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::words::{Word, words};

/// A run of a text: its words as printed (with the spaces and punctuation
/// between them), and whether the other text has the same words there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Run {
    /// The text of the run, as printed.
    pub text: String,
    /// Whether the other text shares it (same normalised words, in order).
    pub shared: bool,
}

/// Compares `a` with `b` word by word (normalised forms, Myers' diff):
/// the runs of `a`, then the runs of `b`, each marked shared or not. A
/// lone shared stopword («في», «على») is not marked: it says nothing of
/// shared wording. Concatenated, the runs of each give its text back
/// unchanged.
pub fn compare(a: &str, b: &str) -> (Vec<Run>, Vec<Run>) {
    compare_runs(a, b, 1)
}

/// As [`compare`], marking only shared stretches of at least `min_words`
/// words (a draft's verbatim wording: three words in a row, not one
/// common word).
pub fn compare_runs(a: &str, b: &str, min_words: usize) -> (Vec<Run>, Vec<Run>) {
    let (wa, wb) = (words(a), words(b));
    let (shared_a, shared_b) = marks(a, &wa, &wb, min_words);
    (runs(a, &wa, &shared_a), runs(b, &wb, &shared_b))
}

/// Which words of `wa` and of `wb` the other shares, in stretches of at
/// least `min_words` (a lone stopword never).
fn marks(a: &str, wa: &[Word], wb: &[Word], min_words: usize) -> (Vec<bool>, Vec<bool>) {
    let na: Vec<&str> = wa.iter().map(|w| w.norm.as_str()).collect();
    let nb: Vec<&str> = wb.iter().map(|w| w.norm.as_str()).collect();
    let mut shared_a = vec![false; wa.len()];
    let mut shared_b = vec![false; wb.len()];
    for op in capture_diff_slices(Algorithm::Myers, &na, &nb) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
            && len >= min_words
            && !(len == 1 && is_stopword(&a[wa[old_index].start..wa[old_index].end]))
        {
            shared_a[old_index..old_index + len].fill(true);
            shared_b[new_index..new_index + len].fill(true);
        }
    }
    (shared_a, shared_b)
}

/// The words of a text in runs marked shared.
pub fn shared_words(runs: &[Run]) -> usize {
    runs.iter()
        .filter(|r| r.shared)
        .map(|r| words(&r.text).len())
        .sum()
}

/// The runs of `text`: each stretch of words with one mark; the text
/// between two words goes with the run it sits inside (between runs, with
/// the unshared side), the text before the first word and after the last
/// with that word.
fn runs(text: &str, words: &[Word], shared: &[bool]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut push = |piece: &str, mark: bool| {
        if piece.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.shared == mark => last.text.push_str(piece),
            _ => out.push(Run {
                text: piece.to_owned(),
                shared: mark,
            }),
        }
    };
    let mut at = 0;
    for (k, w) in words.iter().enumerate() {
        let gap_shared = shared[k] && (k == 0 || shared[k - 1]);
        push(&text[at..w.start], gap_shared);
        push(&text[w.start..w.end], shared[k]);
        at = w.end;
    }
    push(&text[at..], shared.last().copied().unwrap_or(false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(runs: &[Run]) -> String {
        runs.iter()
            .map(|r| {
                if r.shared {
                    format!("[{}]", r.text)
                } else {
                    r.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn shared_runs_are_marked_and_texts_come_back_whole() {
        let a = "ينبغي للدول الأطراف أن تعزز التعاون الدولي.";
        let b = "ينبغي للدول الاطراف أن تعزّز قدراتها الوطنية.";
        let (ra, rb) = compare(a, b);
        assert_eq!(marked(&ra), "[ينبغي للدول الأطراف أن تعزز] التعاون الدولي.");
        assert_eq!(marked(&rb), "[ينبغي للدول الاطراف أن تعزّز] قدراتها الوطنية.");
        assert_eq!(ra.iter().map(|r| r.text.as_str()).collect::<String>(), a);
        assert_eq!(rb.iter().map(|r| r.text.as_str()).collect::<String>(), b);
    }

    #[test]
    fn a_lone_shared_stopword_is_not_marked() {
        let (ra, _) = compare("التدريب في المحاكم", "الدعم في البيت");
        assert_eq!(marked(&ra), "التدريب في المحاكم");
    }

    #[test]
    fn nothing_shared_and_empty_texts() {
        let (ra, rb) = compare("alpha beta", "");
        assert_eq!(marked(&ra), "alpha beta");
        assert!(rb.is_empty());
    }
}
