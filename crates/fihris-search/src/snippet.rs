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
#[derive(Debug, Default)]
pub struct PrintedForms {
    map: RwLock<FxHashMap<Box<str>, Forms>>,
}

impl PrintedForms {
    /// Whether each word (byte range of `text`) is one `needles` looks for.
    fn marks(&self, text: &str, words: &[(usize, usize)], needles: &Needles) -> Vec<bool> {
        let mut marks = vec![false; words.len()];
        let mut unseen = Vec::new();
        {
            // A poisoned lock only means another search panicked while
            // inserting; the map itself is still whole.
            let map = self.map.read().unwrap_or_else(|e| e.into_inner());
            for (k, (a, b)) in words.iter().enumerate() {
                match map.get(&text[*a..*b]) {
                    Some(forms) => marks[k] = needles.find(forms),
                    None => unseen.push(k),
                }
            }
        }
        if unseen.is_empty() {
            return marks;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        for k in unseen {
            let (a, b) = words[k];
            let word = &text[a..b];
            if let Some(forms) = map.get(word) {
                marks[k] = needles.find(forms);
                continue;
            }
            let forms = Forms::of(word);
            marks[k] = needles.find(&forms);
            if map.len() < MAX_PRINTED {
                map.insert(word.into(), forms);
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
