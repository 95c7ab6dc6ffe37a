//! # fihris-view
//!
//! One view of each thing of the record, built in one place: a provision
//! with everything about it ([`ProvisionView`]), a section with its
//! provisions ([`SectionView`]), the topics ([`TopicSummary`], the
//! [`fihris_model::Topic`] itself), and a page of search results
//! ([`SearchView`]). The JSON API serialises these, the HTML pages render
//! them, and the command line prints them (`fihris show ID --json` is the
//! API's answer, byte for byte).
//!
//! Not here: parsing, searching, HTTP, HTML. A view only gathers what the
//! record (and a search response) already holds; it invents nothing.

mod basket;
mod citation;
mod draft;
mod editions;
mod lang;
mod mandate;
mod originals;
mod phrases;
mod provision;
mod search;
mod section;
mod similar;
mod suggest;
mod topic;

pub use basket::{
    BasketError, BasketItem, BasketParagraph, BasketView, MAX_BASKET, Piece, basket_cookie_value,
    basket_query_value, parse_basket,
};
pub use citation::citation_text;
pub use draft::{DraftClause, DraftMatch, DraftView};
pub use editions::{EditionBrief, Editions, HistoryEntry};
pub use lang::Lang;
pub use mandate::{ChainMeeting, Establishing, MandateChain};
pub use originals::{Original, originals};
pub use phrases::{FormulationView, PhraseOccurrence, PhrasesView, ReuseView};
pub use provision::{
    CitationView, FootnoteText, InstrumentCitation, ProvisionView, ReportCitation, SectionBrief,
    TopicBrief,
};
pub use search::{HitView, SearchView, TopicHint, search_csv};
pub use section::{SectionSummary, SectionView, section_cited_by, section_summaries};
pub use similar::{SimilarItem, SimilarView};
pub use suggest::{SuggestView, SuggestedTopic};
pub use topic::{FoundTopic, TopicSummary, find_topic, topic_by_name, topic_summaries};
