//! The drafting basket: provisions a reader collects while browsing, in
//! the order they chose, each with its sub-paragraphs, the compendium's
//! footnotes where their markers stand and a note citing its source
//! (document symbol and paragraph, compendium location) — for pasting into
//! a draft as Markdown, plain text or a Word document.

use fihris_model::record::footnote_markers;
use fihris_model::{Corpus, ProvisionId};
use fihris_publish::{Docx, DocxParagraph, DocxStyle, Inline};
use serde::Serialize;

use crate::{Lang, citation_text};

/// Most provisions one basket holds.
pub const MAX_BASKET: usize = 50;

/// Why a basket cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasketError {
    /// A part of the list is not a provision id.
    Malformed(String),
    /// Ids the record does not hold.
    Unknown(Vec<String>),
    /// More provisions than [`MAX_BASKET`].
    TooMany(usize),
    /// Nothing to download.
    Empty,
}

impl BasketError {
    /// The error in English.
    pub fn message(&self) -> String {
        match self {
            BasketError::Malformed(s) => {
                format!("{s:?} is not a provision id (e.g. A.4.46, B.4.3, B.5.pp11)")
            }
            BasketError::Unknown(ids) => {
                format!("no provision {} in the record", ids.join(", "))
            }
            BasketError::TooMany(n) => {
                format!("{n} provisions: a basket holds at most {MAX_BASKET}")
            }
            BasketError::Empty => "the basket is empty".to_owned(),
        }
    }

    /// The error in Arabic.
    pub fn message_ar(&self) -> String {
        match self {
            BasketError::Malformed(s) => format!("«{s}» ليس رمز حكم (مثل A.4.46)"),
            BasketError::Unknown(ids) => format!("لا يوجد في السجل حكم {}", ids.join("، ")),
            BasketError::TooMany(n) => {
                format!("{n} حكمًا: لا تتسع السلة لأكثر من {MAX_BASKET}")
            }
            BasketError::Empty => "السلة فارغة".to_owned(),
        }
    }
}

/// The ids of a basket as a link or a cookie writes them: separated by
/// commas or underscores (the cookie's separator), blanks ignored,
/// repeats dropped (the first place kept). Unknown ids are found by
/// [`BasketView::new`].
pub fn parse_basket(text: &str) -> Result<Vec<ProvisionId>, BasketError> {
    let mut ids: Vec<ProvisionId> = Vec::new();
    for part in text.split([',', '_', ' ']).filter(|p| !p.is_empty()) {
        let id: ProvisionId = part
            .parse()
            .map_err(|_| BasketError::Malformed(part.chars().take(40).collect()))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
        if ids.len() > MAX_BASKET {
            let given = text
                .split([',', '_', ' '])
                .filter(|p| !p.is_empty())
                .count();
            return Err(BasketError::TooMany(given));
        }
    }
    Ok(ids)
}

/// `ids` as a cookie holds them (`A.4.46_B.4.3`).
pub fn basket_cookie_value(ids: &[ProvisionId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("_")
}

/// `ids` as a link holds them (`A.4.46,B.4.3`).
pub fn basket_query_value(ids: &[ProvisionId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A basket of provisions, in the reader's order.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasketView {
    /// The provisions collected.
    pub items: Vec<BasketItem>,
}

/// One provision of a basket with its sub-paragraphs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasketItem {
    /// Its id.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: ProvisionId,
    /// Its compendium citation in Arabic («الجزء ألف، ثانياً-55»).
    pub cite_ar: String,
    /// Its compendium citation in English ("Part A, II-55").
    pub cite_en: String,
    /// The citation to copy in Arabic: the book, the compendium location,
    /// the source document and its paragraph.
    pub source_ar: String,
    /// The same in English.
    pub source_en: String,
    /// The provision's text, then each of its sub-paragraphs, in order.
    pub paragraphs: Vec<BasketParagraph>,
}

/// A paragraph of a basket's provision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasketParagraph {
    /// Its id.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: ProvisionId,
    /// How deep it stands under the collected provision (0: itself).
    pub depth: u8,
    /// Its label as printed («46-», «(ط)», «'2'»).
    pub label: String,
    /// Its text, footnote markers replaced by the footnotes.
    pub pieces: Vec<Piece>,
}

/// A piece of a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Piece {
    /// Text as printed.
    Text {
        /// The text.
        text: String,
    },
    /// A footnote of the compendium, where its marker stands.
    Footnote {
        /// Its number in the compendium.
        number: u32,
        /// Its text.
        text: String,
    },
}

impl BasketView {
    /// The basket of `ids` (in that order), or every id the record does
    /// not hold.
    pub fn new(c: &Corpus, ids: &[ProvisionId]) -> Result<BasketView, BasketError> {
        if ids.len() > MAX_BASKET {
            return Err(BasketError::TooMany(ids.len()));
        }
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| c.provision(id).is_none())
            .map(ToString::to_string)
            .collect();
        if !unknown.is_empty() {
            return Err(BasketError::Unknown(unknown));
        }
        let items = ids
            .iter()
            .map(|id| {
                let mut paragraphs = Vec::new();
                gather(c, id, 0, &mut paragraphs);
                BasketItem {
                    id: id.clone(),
                    cite_ar: id.cite_ar(),
                    cite_en: id.cite_en(),
                    source_ar: citation_text(c, id, Lang::Ar),
                    source_en: citation_text(c, id, Lang::En),
                    paragraphs,
                }
            })
            .collect();
        Ok(BasketView { items })
    }

    /// The basket as Markdown: each paragraph with its label, the
    /// citation of each provision and the compendium's footnotes as
    /// Markdown footnotes.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut out = format!("# {}\n\n", title(lang));
        let mut notes = Vec::new();
        self.write_paragraphs(lang, &mut out, &mut notes, |n| format!("[^{n}]"));
        for (n, note) in notes.iter().enumerate() {
            out.push_str(&format!("[^{}]: {}\n", n + 1, note.replace('\n', " ")));
        }
        out
    }

    /// The basket as plain text: notes as `[n]`, listed at the end.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = format!("{}\n\n", title(lang));
        let mut notes = Vec::new();
        self.write_paragraphs(lang, &mut out, &mut notes, |n| format!("[{n}]"));
        if !notes.is_empty() {
            out.push_str("----\n");
        }
        for (n, note) in notes.iter().enumerate() {
            out.push_str(&format!("[{}] {}\n", n + 1, note.replace('\n', " ")));
        }
        out
    }

    /// Paragraphs as text with note calls made by `call`; the notes'
    /// texts are pushed to `notes`, numbered from 1 in reading order.
    fn write_paragraphs(
        &self,
        lang: Lang,
        out: &mut String,
        notes: &mut Vec<String>,
        call: impl Fn(usize) -> String,
    ) {
        for item in &self.items {
            for (k, p) in item.paragraphs.iter().enumerate() {
                out.push_str(&"    ".repeat(usize::from(p.depth)));
                out.push_str(&p.label);
                out.push(' ');
                for piece in &p.pieces {
                    match piece {
                        Piece::Text { text } => out.push_str(text),
                        Piece::Footnote { text, .. } => {
                            notes.push(text.clone());
                            out.push_str(&call(notes.len()));
                        }
                    }
                }
                if k == 0 {
                    notes.push(item.source(lang).to_owned());
                    out.push_str(&call(notes.len()));
                }
                out.push_str("\n\n");
            }
        }
    }

    /// The basket as a right-to-left Word document in Amiri: one
    /// paragraph per paragraph of the record (sub-paragraphs indented),
    /// the compendium's footnotes where their markers stand, and each
    /// provision's citation as a footnote after its text.
    pub fn to_docx(&self, lang: Lang) -> Vec<u8> {
        let paragraphs = self
            .items
            .iter()
            .flat_map(|item| {
                item.paragraphs.iter().enumerate().map(move |(k, p)| {
                    let mut inlines = vec![Inline::Text(format!("{} ", p.label))];
                    for piece in &p.pieces {
                        inlines.push(match piece {
                            Piece::Text { text } => Inline::Text(text.clone()),
                            Piece::Footnote { text, .. } => Inline::Note(text.clone()),
                        });
                    }
                    if k == 0 {
                        inlines.push(Inline::Note(item.source(lang).to_owned()));
                    }
                    DocxParagraph {
                        style: DocxStyle::Body,
                        indent: p.depth,
                        inlines,
                    }
                })
            })
            .collect();
        fihris_publish::write_docx(&Docx {
            title: title(lang).to_owned(),
            paragraphs,
        })
    }
}

impl BasketItem {
    /// The citation to copy, in `lang`.
    pub fn source(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.source_ar,
            Lang::En => &self.source_en,
        }
    }
}

/// The title of a basket's download.
fn title(lang: Lang) -> &'static str {
    lang.t(
        "فقرات مختارة من الخلاصة الوافية بشأن الاتجار بالأشخاص",
        "Paragraphs selected from the Trafficking in Persons Compendium",
    )
}

/// Pushes the provision `id` at `depth`, then its sub-paragraphs.
fn gather(c: &Corpus, id: &ProvisionId, depth: u8, out: &mut Vec<BasketParagraph>) {
    let Some(p) = c.provision(id) else { return };
    out.push(BasketParagraph {
        id: id.clone(),
        depth,
        label: id.printed_label_ar(),
        pieces: pieces(c, &p.text),
    });
    let children: Vec<ProvisionId> = c.children(id).map(|ch| ch.id.clone()).collect();
    for child in &children {
        gather(c, child, depth.saturating_add(1), out);
    }
}

/// `text` cut at its footnote markers, each marker replaced by its
/// footnote (a marker whose footnote the record lacks stays as text).
fn pieces(c: &Corpus, text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for (number, start) in footnote_markers(text) {
        let Some(note) = c.footnote(number) else {
            continue;
        };
        let end = text[start..]
            .find('⁾')
            .map_or(text.len(), |k| start + k + '⁾'.len_utf8());
        if start > at {
            out.push(Piece::Text {
                text: text[at..start].to_owned(),
            });
        }
        out.push(Piece::Footnote {
            number,
            text: note.text.clone(),
        });
        at = end;
    }
    if at < text.len() {
        out.push(Piece::Text {
            text: text[at..].to_owned(),
        });
    }
    out
}
