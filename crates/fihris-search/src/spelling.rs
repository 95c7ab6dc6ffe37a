//! Close spellings of a stem, looked up in a table built once when the
//! index opens (the symmetric-delete method: every indexed stem is filed
//! under itself and each form with one letter deleted; a query stem's own
//! deletions then find every stem within one edit — insertion, deletion,
//! substitution or swap of two neighbouring letters).
//!
//! Building a Levenshtein automaton per query word and per tier, as
//! tantivy's `FuzzyTermQuery` does, was the slowest part of queries holding
//! a word the index does not know; this table makes that lookup a handful
//! of hash probes.

use std::collections::{BTreeSet, HashMap};

use tantivy::Searcher;
use tantivy::schema::Field;

/// Indexed stems by their one-letter deletions.
#[derive(Debug, Default)]
pub struct Spellings {
    by_key: HashMap<String, Vec<u32>>,
    stems: Vec<String>,
}

/// Each form of `word` with one letter deleted.
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(word.len());
        s.push_str(&word[..i]);
        s.push_str(&word[i + c.len_utf8()..]);
        s
    })
}

/// Whether `a` and `b` are one edit apart at most (insertion, deletion,
/// substitution, or a swap of two neighbouring letters).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if start == a.len() && start == b.len() {
        return true;
    }
    let end = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - start - end, b.len() - start - end);
    match (ra, rb) {
        (1, 1) | (0, 1) | (1, 0) => true,
        (2, 2) => a[start] == b[start + 1] && a[start + 1] == b[start],
        _ => false,
    }
}

impl Spellings {
    /// Reads every stem of `field` from the index's term dictionaries.
    pub fn build(searcher: &Searcher, field: Field) -> tantivy::Result<Spellings> {
        let mut all = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    all.insert(t.to_owned());
                }
            }
        }
        let mut table = Spellings::default();
        for (n, stem) in all.into_iter().enumerate() {
            let n = n as u32;
            table.by_key.entry(stem.clone()).or_default().push(n);
            for d in deletions(&stem) {
                let list = table.by_key.entry(d).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
            table.stems.push(stem);
        }
        Ok(table)
    }

    /// Indexed stems within one edit of `stem`, itself excluded, in
    /// alphabetical order.
    pub fn close_to(&self, stem: &str) -> Vec<&str> {
        let mut found = BTreeSet::new();
        let keys = std::iter::once(stem.to_owned()).chain(deletions(stem));
        for key in keys {
            for n in self.by_key.get(&key).into_iter().flatten() {
                let s = self.stems[*n as usize].as_str();
                if s != stem && within_one_edit(stem, s) {
                    found.insert(s);
                }
            }
        }
        found.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("تعويض", "تعويظ")); // substitution
        assert!(within_one_edit("تعويض", "تعويضا")); // insertion
        assert!(within_one_edit("تعويض", "عويض")); // deletion
        assert!(within_one_edit("تعويض", "تعيوض")); // swap
        assert!(within_one_edit("تعويض", "تعويض"));
        assert!(!within_one_edit("تعويض", "تعليم"));
        assert!(!within_one_edit("تعويض", "تعويضات"));
        assert!(!within_one_edit("ab", "ba c"));
    }

    #[test]
    fn deletions_of_arabic() {
        let d: Vec<String> = deletions("اتجار").collect();
        assert_eq!(d, ["تجار", "اجار", "اتار", "اتجر", "اتجا"]);
    }
}
