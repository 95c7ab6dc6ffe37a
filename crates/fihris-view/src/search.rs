//! A page of search results as the API answers it, the search page shows
//! it and `fihris search` prints it; and its CSV download.

use std::fmt::Write;

use fihris_model::{Corpus, ProvisionId, TopicId};
use fihris_search::dense::MatchedBy;
use fihris_search::{Facets, Mode, Notice, Response};
use serde::Serialize;

/// One search hit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HitView {
    /// Provision id, e.g. `A.2.55`.
    pub id: ProvisionId,
    /// Relevance score.
    pub score: f32,
    /// Whether the provision matches every word of the query.
    pub complete: bool,
    /// Arabic citation, e.g. «الجزء ألف، ثانياً-55».
    pub citation_ar: String,
    /// English citation, e.g. "Part A, II-55".
    pub citation_en: String,
    /// A passage of the printed text around the matches (empty when the
    /// query was a citation).
    pub snippet: String,
    /// Byte ranges `[start, end)` of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Found by its words, its meaning, or both (`words`, `meaning`,
    /// `both`); a hit found by meaning alone shows its sentence closest to
    /// the query as the snippet.
    pub matched_by: MatchedBy,
}

/// A topic of the thematic index offered beside the hits: its labels are
/// close in meaning to the query (the hits' ranking does not use them).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicHint {
    /// Topic id.
    pub id: TopicId,
    /// The label as printed (Arabic).
    pub label: String,
    /// The English label (fihris's translation).
    pub label_en: Option<String>,
    /// Similarity of its closest label to the query (cosine).
    pub score: f32,
}

impl HitView {
    /// The snippet cut into runs of text, each marked or not; highlights
    /// out of order, out of range or off a character boundary are skipped.
    pub fn marked(&self) -> Vec<(&str, bool)> {
        let s = self.snippet.as_str();
        let mut out = Vec::new();
        let mut at = 0;
        for &(a, b) in &self.highlights {
            if a < at || b > s.len() || a > b || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
                continue;
            }
            if a > at {
                out.push((&s[at..a], false));
            }
            out.push((&s[a..b], true));
            at = b;
        }
        if at < s.len() {
            out.push((&s[at..], false));
        }
        out
    }
}

/// A page of search results.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchView {
    /// The query as given.
    pub query: String,
    /// When the query was a citation: the id it resolved to.
    pub citation: Option<String>,
    /// Number of matching provisions.
    pub total: usize,
    /// How many of them match every word.
    pub complete: usize,
    /// The requested page.
    pub hits: Vec<HitView>,
    /// Counts over all matches by part, section, year, kind and topic id.
    pub facets: Facets,
    /// How it was searched: `hybrid`, `lexical` or `semantic`.
    pub mode: Mode,
    /// What the reader should know about how the query was served.
    pub notices: Vec<Notice>,
    /// Topics of the index close to the query (empty without the model).
    pub topics: Vec<TopicHint>,
}

impl SearchView {
    /// The view of a search response.
    pub fn of(r: Response) -> SearchView {
        SearchView {
            query: r.query,
            citation: r.citation.map(|t| t.to_string()),
            total: r.total,
            complete: r.complete,
            hits: r
                .hits
                .into_iter()
                .map(|h| HitView {
                    citation_ar: h.id.cite_ar(),
                    citation_en: h.id.cite_en(),
                    id: h.id,
                    score: h.score,
                    complete: h.complete,
                    snippet: h.snippet,
                    highlights: h.highlights,
                    matched_by: h.matched_by,
                })
                .collect(),
            facets: r.facets,
            mode: r.mode,
            notices: r.notices,
            topics: Vec::new(),
        }
    }

    /// With the topics close to the query (id and similarity, best first).
    pub fn with_topics(
        mut self,
        corpus: &Corpus,
        near: impl IntoIterator<Item = (TopicId, f32)>,
    ) -> SearchView {
        self.topics = near
            .into_iter()
            .filter_map(|(id, score)| {
                let t = corpus.topics.iter().find(|t| t.id == id)?;
                Some(TopicHint {
                    id,
                    label: t.label.clone(),
                    label_en: t.label_en.clone(),
                    score,
                })
            })
            .collect();
        self
    }
}

/// The hits as CSV: rank, id, both citations, score.
pub fn search_csv(view: &SearchView, offset: usize) -> String {
    let mut out = String::from("rank,id,citation_ar,citation_en,score,matched_by\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (k, h) in view.hits.iter().enumerate() {
        let _ = writeln!(
            out,
            "{},{},{},{},{:.4},{}",
            offset + k + 1,
            h.id,
            quote(&h.citation_ar),
            quote(&h.citation_en),
            h.score,
            h.matched_by.as_str()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(snippet: &str, highlights: Vec<(usize, usize)>) -> HitView {
        HitView {
            id: "A.1.1".parse().expect("id"),
            score: 1.0,
            complete: true,
            citation_ar: String::new(),
            citation_en: String::new(),
            snippet: snippet.into(),
            highlights,
            matched_by: MatchedBy::Words,
        }
    }

    #[test]
    fn marked_runs() {
        assert_eq!(
            hit("أ <b> ج", vec![(0, 2)]).marked(),
            vec![("أ", true), (" <b> ج", false)]
        );
        // Out-of-order, out-of-range or split-character highlights are
        // skipped, not panicked on.
        assert_eq!(
            hit("ab", vec![(1, 2), (0, 1), (1, 9)]).marked(),
            vec![("a", false), ("b", true)]
        );
        assert_eq!(hit("أب", vec![(1, 3)]).marked(), vec![("أب", false)]);
    }
}
