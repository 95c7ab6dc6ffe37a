//! A text as words: their byte ranges in the text and their normalised
//! forms.

use fihris_search::analyzer::{is_word_char, normalize};

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Its normalised form: harakat and tatweel dropped, alef forms,
    /// alef maqsura and ta marbuta folded, Arabic-Indic digits as ASCII,
    /// Latin lower-cased.
    pub norm: String,
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word_char(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let norm = normalize(&text[s..i]);
                if !norm.is_empty() {
                    out.push(Word {
                        start: s,
                        end: i,
                        norm,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_are_one_word_and_places_are_kept() {
        let text = "إلى الأمانةِ، ٢٠١٠ Working";
        let w = words(text);
        let norms: Vec<&str> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(norms, ["الي", "الامانه", "2010", "working"]);
        assert_eq!(&text[w[1].start..w[1].end], "الأمانةِ");
    }
}
