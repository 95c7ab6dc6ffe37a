//! The named weights of ranking: the ways a query word matches, relative
//! to its stem (query compilation), and the shares of a hybrid ranking
//! (the fusion of words and meaning).

/// The word's stem in the provision's text.
pub const STEM: f32 = 1.0;
/// The word as written (normalized): as much as its stem, since the
/// light stemmer conflates («العرض» supply, «عرضة» vulnerable: both
/// «عرض») and the written form does not.
pub const WRITTEN: f32 = 1.0;
/// The word's clitic-stripped form, in the every-clause tier.
pub const ROOT: f32 = 0.6;
/// The word's stem in the enclosing provisions (a sub-paragraph's
/// chapeau).
pub const CONTEXT: f32 = 0.3;
/// A close spelling of a word the index hardly knows.
pub const CLOSE_SPELLING: f32 = 0.4;
/// A phrase in its exact order, against the same words by their
/// clitic-stripped forms (×1).
pub const EXACT_PHRASE: f32 = 2.0;
/// A clause that only ranks: context, or a word found in most
/// provisions (in both tiers).
pub const LIGHT_CLAUSE: f32 = 0.3;
/// The lexical ranking's share of a hybrid ranking when some provision
/// has every word of the query (meaning has the rest).
pub const HYBRID_LEXICAL: f32 = 0.85;
/// The share of its score a provision with only some of the query's
/// words brings to a hybrid ranking when others have them all. The
/// words' own ranking puts every complete match first (its tiers); by
/// raw BM25 the fusion would not, and a long provision repeating one
/// of the words could outrank one that has them all.
pub const HYBRID_PARTIAL: f32 = 0.6;
/// How far a provision's meaning score is raised towards its closest
/// clause's when that is closer than its whole text's (half way: a
/// provision is scored by its whole text and by the part of it that
/// speaks to the query).
pub const CLAUSE_RAISE: f32 = 0.5;
/// The share of its fused score a hybrid hit beyond its paragraph
/// family's third brings against other families' hits: it yields to
/// those scoring at least half as much, not to every weaker one.
pub const FAMILY_YIELD: f32 = 0.5;
/// The weight of an Arabic query's focus in its meaning: the vector of the
/// words the query language reads as the focus («المعلمون والمربون» in
/// «جهات الاستجابة، المعلمون والمربون») added to the whole query's at half
/// its weight, so that meaning, like the words' side, reads the focus
/// first and the context around it.
pub const FOCUS: f32 = 0.5;
