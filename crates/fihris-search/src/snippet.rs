//! Snippets: a passage of a provision's text as printed, around the
//! densest run of the words a query looks for, with their byte ranges.
//! Printed words are matched by their analysed forms (normalized,
//! clitic-stripped, stemmed), which [`PrintedForms`] keeps for each printed
//! word once seen, for every later search.

use std::sync::RwLock;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analyzer::{WordTokenizer, is_stopword, normalize, root, stem};
use crate::spelling::within_one_edit;

/// What highlighting looks for, by analysed form.
#[derive(Debug, Default)]
pub(crate) struct Needles {
    /// Stems.
    pub stems: FxHashSet<String>,
    /// Stems that also match close spellings.
    pub fuzzy: FxHashSet<String>,
    /// Clitic-stripped forms.
    pub roots: FxHashSet<String>,
    /// Normalized words (phrases).
    pub norms: FxHashSet<String>,
    /// Normalized prefixes.
    pub prefixes: Vec<String>,
}

impl Needles {
    /// Whether a printed word, by its forms, is one the query looks for.
    fn find(&self, w: &Forms) -> bool {
        let (n, r) = (&*w.norm, &*w.root);
        if self.norms.contains(n) {
            return true;
        }
        if self
            .prefixes
            .iter()
            .any(|p| n.starts_with(p.as_str()) || r.starts_with(p.as_str()))
        {
            return true;
        }
        if w.stopword {
            return false;
        }
        if self.roots.contains(r) || self.stems.contains(r) {
            return true;
        }
        let s = &*w.stem;
        self.stems.contains(s) || self.fuzzy.iter().any(|q| within_one_edit(q, s))
    }
}

/// The analysed forms of one printed word.
#[derive(Debug)]
struct Forms {
    norm: Box<str>,
    root: Box<str>,
    stem: Box<str>,
    stopword: bool,
}

impl Forms {
    fn of(word: &str) -> Forms {
        let norm = normalize(word);
        Forms {
            root: root(&norm).into(),
            stem: stem(&norm).into(),
            stopword: is_stopword(word),
            norm: norm.into(),
        }
    }
}

/// Most printed words [`PrintedForms`] keeps (a corpus's vocabulary; past
/// this, new words are analysed each time they are shown).
const MAX_PRINTED: usize = 1 << 18;

/// The analysed forms of the printed words seen so far, shared by all
/// searches of an index: a word is analysed once, not once per hit.
#[derive(Debug)]
pub struct PrintedForms {
    map: RwLock<FxHashMap<Box<str>, Forms>>,
    limit: usize,
}

impl Default for PrintedForms {
    fn default() -> PrintedForms {
        PrintedForms::with_limit(MAX_PRINTED)
    }
}

impl PrintedForms {
    /// Keeps at most `limit` words.
    pub fn with_limit(limit: usize) -> PrintedForms {
        PrintedForms {
            map: RwLock::default(),
            limit,
        }
    }

    /// How many words it keeps now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether each word (byte range of `text`) is one `needles` looks for.
    fn marks(&self, text: &str, words: &[(usize, usize)], needles: &Needles) -> Vec<bool> {
        let mut marks = vec![false; words.len()];
        let mut unseen = Vec::new();
        let full = {
            // A poisoned lock only means another search panicked while
            // inserting; the map itself is still whole.
            let map = self.map.read().unwrap_or_else(|e| e.into_inner());
            for (k, (a, b)) in words.iter().enumerate() {
                match map.get(&text[*a..*b]) {
                    Some(forms) => marks[k] = needles.find(forms),
                    None => unseen.push(k),
                }
            }
            map.len() >= self.limit
        };
        // New words are analysed outside the lock; the write lock is taken
        // only to keep them, and not at all once the map is full.
        let fresh: Vec<(&str, Forms)> = unseen
            .into_iter()
            .map(|k| {
                let word = &text[words[k].0..words[k].1];
                let forms = Forms::of(word);
                marks[k] = needles.find(&forms);
                (word, forms)
            })
            .collect();
        if !fresh.is_empty() && !full {
            let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
            for (word, forms) in fresh {
                if map.len() >= self.limit {
                    break;
                }
                map.entry(word.into()).or_insert(forms);
            }
        }
        marks
    }
}

/// A passage of about 40 words around the densest run of matches, and the
/// matches' byte ranges inside it.
pub(crate) fn snippet(
    text: &str,
    needles: &Needles,
    printed: &PrintedForms,
) -> (String, Vec<(usize, usize)>) {
    const WINDOW: usize = 40;
    let mut words = Vec::new();
    let mut tok = WordTokenizer::default();
    let mut s = tok.token_stream(text);
    while s.advance() {
        let t = s.token();
        words.push((t.offset_from, t.offset_to));
    }
    let marks = printed.marks(text, &words, needles);
    let (mut best, mut best_count) = (0, 0);
    let mut count = 0;
    for i in 0..words.len() {
        count += usize::from(marks[i]);
        if i >= WINDOW {
            count -= usize::from(marks[i - WINDOW]);
        }
        if count > best_count {
            best_count = count;
            best = (i + 1).saturating_sub(WINDOW);
        }
    }
    if words.is_empty() {
        return (text.to_owned(), Vec::new());
    }
    let end = (best + WINDOW).min(words.len()) - 1;
    let from = if best == 0 { 0 } else { words[best].0 };
    let to = if end + 1 == words.len() {
        text.len()
    } else {
        words[end].1
    };
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    let shift = out.len();
    out.push_str(&text[from..to]);
    if to < text.len() {
        out.push_str(" …");
    }
    let highlights = words
        .iter()
        .zip(&marks)
        .filter(|((a, b), m)| **m && *a >= from && *b <= to)
        .map(|((a, b), _)| (a - from + shift, b - from + shift))
        .collect();
    (out, highlights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(stems: &[&str]) -> Needles {
        Needles {
            stems: stems.iter().map(|s| s.to_string()).collect(),
            ..Needles::default()
        }
    }

    #[test]
    fn marks_are_the_same_cached_uncached_and_full() {
        let text = "تعويض الضحايا والتعويضات للضحايا، وتعويض الشهود";
        let q = needles(&["تعويض"]);
        let marked = |printed: &PrintedForms| {
            let (s, h) = snippet(text, &q, printed);
            h.iter()
                .map(|(a, b)| s[*a..*b].to_owned())
                .collect::<Vec<_>>()
        };
        let open = PrintedForms::default();
        let cold = marked(&open);
        assert_eq!(cold, ["تعويض", "والتعويضات", "وتعويض"]);
        assert_eq!(open.len(), 6);
        assert_eq!(marked(&open), cold);
        // Full after one word: the others are analysed each time, the same.
        let small = PrintedForms::with_limit(1);
        assert_eq!(marked(&small), cold);
        assert_eq!(marked(&small), cold);
        assert_eq!(small.len(), 1);
    }
}
