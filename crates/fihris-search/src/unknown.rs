//! Arabic words of a query that no provision has, and the query with such
//! words replaced. Everyday Arabic uses words the record never does
//! («المعلمون» teachers, where the record speaks of «التعليم» education;
//! «اللاجئون» refugees, where it speaks of «اللجوء» asylum): matched by
//! nothing, they leave the words' side of a hybrid search to the query's
//! other words. The caller that knows the words' meanings (an embedding
//! model is not this crate's business) names the record's closest word for
//! each, and the words' side searches the query with those in their place.

use crate::index::SearchIndex;
use crate::query::{Atom, parse};
use crate::request::{Request, Sort};

/// The letters of a query token: its punctuation at either end left out
/// («ضرر؟» → «ضرر», «(استغلال» → «استغلال»).
fn letters(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

impl SearchIndex {
    /// The Arabic words of `query` (its words to match, not its phrases,
    /// prefixes, exclusions or filters) that match no provision in any
    /// way the words' side matches them (stem, written form, clitics
    /// stripped, enclosing provision, close spelling), each once, as
    /// letters; function words, which the words' side does not search,
    /// and numbers left out. Empty for a query that does not parse.
    pub fn unknown_words(&self, query: &str) -> Vec<String> {
        let Ok(q) = parse(query) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for atom in q.atoms() {
            let Atom::Word(token) = atom else { continue };
            let word = letters(token);
            // An Arabic word: an Arabic letter, not just Arabic-Indic
            // digits (a number is not read in other words).
            let arabic = word
                .chars()
                .any(|c| c.is_alphabetic() && ('\u{0600}'..='\u{06FF}').contains(&c));
            if !arabic || out.iter().any(|w| w == word) {
                continue;
            }
            let alone = Request {
                query: word,
                limit: 1,
                offset: 0,
                sort: Sort::Relevance,
                facets: false,
            };
            // A function word alone is refused (nothing to search): not
            // unknown, just not searched.
            if self.search(None, &alone).is_ok_and(|r| r.total == 0) {
                out.push(word.to_owned());
            }
        }
        out
    }
}

/// `query` with each word of `pairs` (a word as [`SearchIndex::unknown_words`]
/// gives it, and the word to search in its place) replaced wherever it
/// stands alone as a word to match: punctuation around it, operators,
/// filters, exclusions and quoted phrases kept as they are. Also the
/// pairs that were used (a word glued to another, «المعلمون/المربون»,
/// is left as typed).
pub fn replace_words<'p>(
    query: &str,
    pairs: &'p [(String, String)],
) -> (String, Vec<&'p (String, String)>) {
    let mut quoted = false;
    let mut used: Vec<&(String, String)> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for token in query.split_whitespace() {
        // Inside a quoted phrase: from a token opening one to the token
        // closing it (the same token for a one-word phrase).
        let inside = quoted || token.starts_with('"');
        let closes = token.ends_with('"') && (quoted || token.len() > 1);
        quoted = inside && !closes;
        let word = letters(token);
        let replaced = (!inside && !token.starts_with('-') && !token.contains(':'))
            .then(|| pairs.iter().find(|(w, _)| w == word))
            .flatten();
        out.push(match replaced {
            Some(pair) => {
                if !used.contains(&pair) {
                    used.push(pair);
                }
                token.replacen(pair.0.as_str(), &pair.1, 1)
            }
            None => token.to_owned(),
        });
    }
    (out.join(" "), used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn words_are_replaced_where_they_stand_as_words() {
        let p = pairs(&[("المعلمون", "التعليم"), ("ضرر", "الضرر")]);
        let text = |q: &str| replace_words(q, &p).0;
        let (q, used) = replace_words("جهات الاستجابة، المعلمون والمربون", &p);
        assert_eq!(q, "جهات الاستجابة، التعليم والمربون");
        assert_eq!(used, [&p[0]]);
        // Punctuation kept; a quoted phrase, an exclusion and a filter
        // left alone.
        assert_eq!(
            text("ضرر؟ \"جبر ضرر\" -ضرر سنة:2015 (المعلمون)"),
            "الضرر؟ \"جبر ضرر\" -ضرر سنة:2015 (التعليم)"
        );
        assert_eq!(text("\"ضرر\" ضرر"), "\"ضرر\" الضرر");
        // Nothing to replace, or a word glued to another: as typed, no
        // pair used.
        assert_eq!(replace_words("الضحايا", &p), ("الضحايا".to_owned(), vec![]));
        let glued = replace_words("المعلمون/المربون", &p);
        assert_eq!(glued, ("المعلمون/المربون".to_owned(), vec![]));
    }
}
