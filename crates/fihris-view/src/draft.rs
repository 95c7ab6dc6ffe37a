//! A draft checked against agreed language: the view behind
//! `POST /api/v1/draft`, the `/draft` page and its Markdown download.

use fihris_agreed::draft::{Draft, VERBATIM_WORDS};
use fihris_agreed::similar::Wording;
use fihris_agreed::{CheckedClause, Run};
use fihris_model::{Corpus, ProvisionId};
use fihris_search::dense::{DenseIndex, MatchedBy};
use serde::Serialize;

use crate::provision::CitationView;

/// A draft, clause by clause, with the agreed provisions closest to each.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftView {
    /// Whether the draft is in Arabic, the record's language: only then
    /// are shared wording and verbatim coverage measured.
    pub arabic: bool,
    /// Whether meaning took part (the model was loaded); if not, only
    /// shared wording ranks.
    pub by_meaning: bool,
    /// Words of the draft.
    pub words: usize,
    /// Words of the draft agreed verbatim: in runs of at least three words
    /// shared, in order, with a clause's compared provision.
    pub verbatim: usize,
    /// Verbatim coverage: `verbatim` over the words of the Arabic clauses
    /// (0–1); none if no clause is in Arabic.
    pub coverage: Option<f32>,
    /// The clauses, in order.
    pub clauses: Vec<DraftClause>,
}

/// One clause of a draft.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftClause {
    /// Its number, from 1.
    pub number: usize,
    /// Its text as pasted.
    pub text: String,
    /// Whether it is in Arabic: only then is its wording compared.
    pub arabic: bool,
    /// Its words.
    pub words: usize,
    /// Its words agreed verbatim.
    pub verbatim: usize,
    /// Its text in runs, those agreed verbatim marked.
    pub runs: Vec<Run>,
    /// The closest provisions, closest first.
    pub closest: Vec<DraftMatch>,
    /// The provision it is compared with (of `closest`, the one sharing
    /// most words verbatim), if any shares some.
    pub compared: Option<ProvisionId>,
    /// That provision's text in runs, those the clause shares marked.
    pub provision_runs: Vec<Run>,
}

/// A provision close to a clause.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftMatch {
    /// Its id.
    pub id: ProvisionId,
    /// How to cite it.
    pub citation: CitationView,
    /// The ranking score: the mean of `wording` and `meaning` for an
    /// Arabic draft with the model, `meaning` for another language,
    /// `wording` without the model.
    pub score: f32,
    /// How much of the clause's wording (three-word shingles weighted by
    /// rarity) the provision contains (0–1).
    pub wording: f32,
    /// Cosine of the clause's vector and the provision's.
    pub meaning: Option<f32>,
    /// Whether it shares wording, is close in meaning, or both.
    pub matched_by: MatchedBy,
}

impl DraftView {
    /// Checks `draft`: the `k` closest provisions of each clause, by the
    /// wording it contains and, with `meaning` (the provisions' vectors
    /// and the clauses', in order), by meaning.
    pub fn of(
        corpus: &Corpus,
        wording: &Wording,
        draft: &Draft<'_>,
        meaning: Option<(&DenseIndex, &[Vec<f32>])>,
        k: usize,
    ) -> DraftView {
        let checked = draft.check(corpus, wording, meaning, k);
        let words = checked.iter().map(|c| c.words).sum();
        let verbatim = checked.iter().map(|c| c.verbatim).sum::<usize>();
        let arabic_words: usize = checked.iter().filter(|c| c.arabic).map(|c| c.words).sum();
        let clauses = checked
            .into_iter()
            .enumerate()
            .map(|(n, c)| clause(corpus, draft, n + 1, c))
            .collect();
        DraftView {
            arabic: draft.arabic,
            by_meaning: meaning.is_some(),
            words,
            verbatim,
            coverage: (arabic_words > 0).then(|| verbatim as f32 / arabic_words as f32),
            clauses,
        }
    }

    /// The draft as Markdown: the coverage, then each clause as a
    /// paragraph with its verbatim wording in bold and its closest
    /// provisions as footnotes (citation, source paragraph, scores). `en`
    /// chooses the language of the frame.
    pub fn to_markdown(&self, en: bool) -> String {
        let t = |ar: &str, english: &str| {
            if en {
                english.to_owned()
            } else {
                ar.to_owned()
            }
        };
        let mut out = String::new();
        out.push_str(&t(
            "# مشروع مقارَن باللغة المتفق عليها\n\n",
            "# Draft checked against agreed language\n\n",
        ));
        if let Some(c) = self.coverage {
            out.push_str(&t(
                &format!(
                    "التغطية الحرفية: {:.0}٪ ({} كلمة متفق عليها حرفيًا، في تتابعات من {VERBATIM_WORDS} كلمات على الأقل؛ بالخط العريض).\n\n",
                    c * 100.0,
                    self.verbatim,
                ),
                &format!(
                    "Verbatim coverage: {:.0}% ({} words agreed verbatim, in runs of at least {VERBATIM_WORDS} words; in bold).\n\n",
                    c * 100.0,
                    self.verbatim,
                ),
            ));
        }
        let mut notes = Vec::new();
        for c in &self.clauses {
            for r in &c.runs {
                let text = markdown_escape(&r.text.replace('\n', " "));
                if r.shared && !text.trim().is_empty() {
                    let inner = text.trim();
                    let (lead, tail) = (
                        &text[..text.len() - text.trim_start().len()],
                        &text[text.trim_end().len()..],
                    );
                    out.push_str(&format!("{lead}**{inner}**{tail}"));
                } else {
                    out.push_str(&text);
                }
            }
            for m in &c.closest {
                notes.push(footnote(m, c.compared.as_ref() == Some(&m.id), en));
                out.push_str(&format!("[^{}]", notes.len()));
            }
            if c.closest.is_empty() {
                out.push_str(&t(" _(لا حكم قريب)_", " _(no close provision)_"));
            }
            out.push_str("\n\n");
        }
        for (n, note) in notes.iter().enumerate() {
            out.push_str(&format!("[^{}]: {note}\n", n + 1));
        }
        out
    }
}

/// A footnote of a closest provision.
fn footnote(m: &DraftMatch, compared: bool, en: bool) -> String {
    let cite = if en { &m.citation.en } else { &m.citation.ar };
    let mut note = format!("{} ({})", markdown_escape(cite), m.id);
    if let Some(r) = &m.citation.report {
        note.push_str(&format!("; {}, {}", r.symbol, r.paragraph));
    }
    if let Some(i) = &m.citation.instrument {
        note.push_str(&format!("; {}", if en { &i.en } else { &i.ar }));
    }
    note.push_str(&format!(" — wording {:.2}", m.wording));
    if let Some(s) = m.meaning {
        note.push_str(&format!(", meaning {s:.2}"));
    }
    if compared {
        note.push_str(if en {
            " — compared word by word"
        } else {
            " — قورن كلمةً كلمة"
        });
    }
    note
}

/// Escapes the characters Markdown reads as markup.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]#<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn clause(corpus: &Corpus, draft: &Draft<'_>, number: usize, c: CheckedClause) -> DraftClause {
    let compared = c
        .compared
        .and_then(|n| c.closest.get(n))
        .map(|s| s.id.clone());
    DraftClause {
        number,
        text: draft.text[c.range].to_owned(),
        arabic: c.arabic,
        words: c.words,
        verbatim: c.verbatim,
        runs: c.runs,
        closest: c
            .closest
            .into_iter()
            .map(|s| DraftMatch {
                citation: CitationView::of(corpus, &s.id),
                id: s.id,
                score: s.score,
                wording: s.wording,
                meaning: s.meaning,
                matched_by: s.matched_by,
            })
            .collect(),
        compared,
        provision_runs: c.provision_runs,
    }
}
