//! The request and response of a search: what is asked (query, page,
//! order), what comes back (hits with typed ids, facets), and why a search
//! can fail.

use std::collections::BTreeMap;

use fihris_model::cite::Target;
use fihris_model::{Part, ProvisionId, ProvisionKind, SectionId, TopicId};
use serde::Serialize;

use crate::dense::MatchedBy;
use crate::query::{MAX_QUERY_CHARS, QueryError};

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Oldest meeting or session first, then document order.
    Date,
}

/// How a search finds provisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// By words and by meaning, fused (the default once a model is loaded).
    #[default]
    Hybrid,
    /// By words only (Arabic morphology, the query language).
    Lexical,
    /// By meaning only (any language).
    Semantic,
}

impl Mode {
    /// Its name in URLs: `hybrid`, `lexical`, `semantic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Hybrid => "hybrid",
            Mode::Lexical => "lexical",
            Mode::Semantic => "semantic",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "hybrid" => Ok(Mode::Hybrid),
            "lexical" => Ok(Mode::Lexical),
            "semantic" => Ok(Mode::Semantic),
            _ => Err(format!("unknown mode «{s}»: hybrid, lexical or semantic")),
        }
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The query text.
    pub query: &'a str,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Whether to count facets (and rank the whole result set).
    pub facets: bool,
}

impl<'a> Request<'a> {
    /// The first `limit` hits by relevance, with facets.
    pub fn new(query: &'a str, limit: usize) -> Request<'a> {
        Request {
            query,
            limit,
            offset: 0,
            sort: Sort::Relevance,
            facets: true,
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Provision id.
    pub id: ProvisionId,
    /// Score (BM25 sum; hits matching every clause rank above the others).
    pub score: f32,
    /// Whether every clause matched.
    pub complete: bool,
    /// A passage of the text as printed around the matches.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Whether it was found by its words, its meaning, or both.
    pub matched_by: MatchedBy,
}

/// Facet counts over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By part.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub part: BTreeMap<Part, usize>,
    /// By section.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub section: BTreeMap<SectionId, usize>,
    /// By year (keys are years written in digits, as JSON keys are strings).
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub year: BTreeMap<u16, usize>,
    /// By kind.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub kind: BTreeMap<ProvisionKind, usize>,
    /// By topic id.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, usize>))]
    pub topic: BTreeMap<TopicId, usize>,
}

/// A search response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The query as given.
    pub query: String,
    /// When the query was a citation: what it resolved to (written as its
    /// id, `A.2.55` or `B.4`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_id")]
    pub citation: Option<Target>,
    /// Number of matching provisions.
    pub total: usize,
    /// How many match every clause.
    pub complete: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facets (empty unless requested).
    pub facets: Facets,
    /// How it was searched.
    pub mode: Mode,
    /// What the reader should know about how the query was served (a part
    /// skipped, a text cut), in English and Arabic.
    pub notices: Vec<Notice>,
}

/// Something the reader should know about how a query was served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    /// What kind: `words-skipped`, `truncated`, `no-model`, `repaired`,
    /// `rendered`, `close-words`.
    pub code: &'static str,
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

impl Notice {
    /// The query was too long for the query language: only its meaning
    /// was searched.
    pub fn words_skipped() -> Notice {
        Notice {
            code: "words-skipped",
            message: format!(
                "the query is longer than {MAX_QUERY_CHARS} characters: searched by meaning only"
            ),
            message_ar: format!("الاستعلام أطول من {MAX_QUERY_CHARS} حرفاً: بُحث بالمعنى وحده"),
        }
    }

    /// A query with no Arabic was searched by its words in the record's
    /// Arabic words closest to them, `rendered`, besides by its meaning.
    pub fn rendered(rendered: &str) -> Notice {
        Notice {
            code: "rendered",
            message: format!(
                "the query's words were also searched as the record's closest Arabic words: «{rendered}»"
            ),
            message_ar: format!(
                "بُحث أيضاً عن كلمات الاستعلام بأقرب كلمات السجل العربية إليها: «{rendered}»"
            ),
        }
    }

    /// Words of an Arabic query that no provision has were searched as
    /// the record's words closest in meaning (`pairs`: each word and the
    /// word searched in its place), besides the query's meaning.
    pub fn close_words(pairs: &[&(String, String)]) -> Notice {
        let list = |arrow: &str, sep: &str| {
            pairs
                .iter()
                .map(|(w, by)| format!("«{w}» {arrow} «{by}»"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Notice {
            code: "close-words",
            message: format!(
                "words no provision has were searched as the record's closest words: {}",
                list("→", "; ")
            ),
            message_ar: format!(
                "بُحث عن كلمات لا ترد في أي حكم بأقرب كلمات السجل إليها: {}",
                list("←", "؛ ")
            ),
        }
    }

    /// The query fills the meaning model's window: the model read its
    /// first `read` tokens and no more.
    pub fn truncated(read: usize) -> Notice {
        Notice {
            code: "truncated",
            message: format!(
                "the query is as long as the meaning model reads or longer: it read the first {read} tokens"
            ),
            message_ar: format!(
                "الاستعلام بطول ما يقرؤه نموذج المعنى أو أطول: قرأ أول {read} وحدة منه"
            ),
        }
    }

    /// The query did not parse and was repaired (`done`: what was done,
    /// in English and Arabic) into `query`, which was searched.
    pub fn repaired(query: &str, done: &[(String, String)]) -> Notice {
        let (en, ar): (Vec<&str>, Vec<&str>) =
            done.iter().map(|(e, a)| (e.as_str(), a.as_str())).unzip();
        Notice {
            code: "repaired",
            message: format!("searched for «{query}»: {}", en.join("; ")),
            message_ar: format!("بُحث عن «{query}»: {}", ar.join("؛ ")),
        }
    }

    /// No meaning model is loaded (yet): the words alone were searched.
    pub fn no_model(why: &str) -> Notice {
        Notice {
            code: "no-model",
            message: format!("meaning search is not available ({why}): searched by words only"),
            message_ar: "البحث بالمعنى غير متاح الآن: بُحث بالكلمات وحدها".to_owned(),
        }
    }
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is malformed.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

fn as_id<S: serde::Serializer>(target: &Option<Target>, s: S) -> Result<S::Ok, S::Error> {
    match target {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}
