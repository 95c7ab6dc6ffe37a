//! Stable, ASCII identifiers of sections and provisions, and the display
//! forms (Arabic and English citations) derived from them.
//!
//! Scheme: `A.<section>.<para>[.<letter>[.<item>]]`, `B.<section>.<first>[…]`,
//! preambular `B.<section>.pp<N>`; sections `A.4`, `B.5`. Letters are the
//! English-edition equivalents of the Arabic enumerators, items are digits.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::numerals::{Letter, ordinal_ar, roman_lower, roman_upper};

/// The two parts of the compendium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Part {
    /// Part A (ألف): Working Group recommendations, one section per meeting.
    A,
    /// Part B (باء): Conference of the Parties decisions and resolutions.
    B,
}

impl Part {
    /// The Arabic name of the part: «ألف» or «باء».
    pub fn arabic(self) -> &'static str {
        match self {
            Part::A => "ألف",
            Part::B => "باء",
        }
    }

    /// The ASCII letter used in ids.
    pub fn latin(self) -> char {
        match self {
            Part::A => 'A',
            Part::B => 'B',
        }
    }
}

/// A section: a Working Group meeting (Part A) or a COP session (Part B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionId {
    /// The part the section belongs to.
    pub part: Part,
    /// 1-based ordinal of the section within its part (أولاً = 1).
    pub ordinal: u32,
}

impl SectionId {
    /// Section `ordinal` of `part`.
    pub fn new(part: Part, ordinal: u32) -> SectionId {
        SectionId { part, ordinal }
    }

    /// The printed ordinal word, e.g. «رابعاً» (falls back to digits).
    pub fn ordinal_ar(self) -> String {
        ordinal_ar(self.ordinal)
            .map(str::to_owned)
            .unwrap_or_else(|| self.ordinal.to_string())
    }

    /// The Roman numeral of the English edition, e.g. "IV".
    pub fn roman(self) -> String {
        roman_upper(self.ordinal)
    }

    /// Arabic citation of the whole section: «الجزء ألف، رابعاً».
    pub fn cite_ar(self) -> String {
        format!("الجزء {}، {}", self.part.arabic(), self.ordinal_ar())
    }

    /// English citation of the whole section: "Part A, IV".
    pub fn cite_en(self) -> String {
        format!("Part {}, {}", self.part.latin(), self.roman())
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.part.latin(), self.ordinal)
    }
}

impl Serialize for SectionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why an id string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    /// The rejected input.
    pub input: String,
    /// What was expected instead.
    pub reason: &'static str,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a fihris id: {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for IdError {}

impl FromStr for SectionId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<SectionId, IdError> {
        let err = |reason| IdError {
            input: s.to_owned(),
            reason,
        };
        let (part, ordinal) = s
            .split_once('.')
            .ok_or_else(|| err("expected a section such as A.4 or B.5"))?;
        let part = match part {
            "A" | "a" => Part::A,
            "B" | "b" => Part::B,
            _ => return Err(err("the part must be A or B")),
        };
        let ordinal: u32 = ordinal
            .parse()
            .map_err(|_| err("the section must be a number, e.g. A.4"))?;
        if ordinal == 0 {
            return Err(err("sections are numbered from 1"));
        }
        Ok(SectionId { part, ordinal })
    }
}

/// One step of a provision's path inside its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// A numbered paragraph `N-`.
    Para(u32),
    /// A lettered sub-paragraph `(أ)`.
    Letter(Letter),
    /// An item `'1'` inside a sub-paragraph.
    Item(u32),
    /// A preambular paragraph (ف.د. N), numbered in order of appearance.
    Preamble(u32),
}

/// What a provision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ProvisionKind {
    /// A numbered (operative) paragraph.
    Paragraph,
    /// A lettered sub-paragraph.
    Subparagraph,
    /// An item of a sub-paragraph.
    Item,
    /// A preambular paragraph of a resolution.
    Preambular,
}

impl ProvisionKind {
    /// The kind's name as used in exports and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionKind::Paragraph => "paragraph",
            ProvisionKind::Subparagraph => "subparagraph",
            ProvisionKind::Item => "item",
            ProvisionKind::Preambular => "preambular",
        }
    }
}

/// A provision's stable id, e.g. `A.4.46.i.2`, `B.1.b.4`, `B.5.pp11`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProvisionId {
    /// The section the provision belongs to.
    pub section: SectionId,
    /// Its path inside the section; never empty.
    pub path: Vec<Segment>,
}

/// The parent of a provision: its section or an enclosing provision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Parent {
    /// A top-level provision's parent is its section.
    Section(SectionId),
    /// A nested provision's parent.
    Provision(ProvisionId),
}

impl fmt::Display for Parent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parent::Section(s) => s.fmt(f),
            Parent::Provision(p) => p.fmt(f),
        }
    }
}

impl ProvisionId {
    /// Builds an id, checking that the path has one of the shapes the
    /// scheme allows.
    pub fn new(section: SectionId, path: Vec<Segment>) -> Result<ProvisionId, IdError> {
        let id = ProvisionId { section, path };
        id.check().map(|()| id)
    }

    fn check(&self) -> Result<(), IdError> {
        use Segment::*;
        let ok = matches!(
            self.path.as_slice(),
            [Para(_)]
                | [Para(_), Letter(_)]
                | [Para(_), Letter(_), Item(_)]
                | [Letter(_)]
                | [Letter(_), Item(_)]
                | [Preamble(_)]
        );
        if ok {
            Ok(())
        } else {
            Err(IdError {
                input: self.to_string(),
                reason: "expected <part>.<section>.<para>[.<letter>[.<item>]] or .pp<N>",
            })
        }
    }

    /// The provision's kind, read off its last path segment.
    pub fn kind(&self) -> ProvisionKind {
        match self.path.last() {
            Some(Segment::Para(_)) | None => ProvisionKind::Paragraph,
            Some(Segment::Letter(_)) => ProvisionKind::Subparagraph,
            Some(Segment::Item(_)) => ProvisionKind::Item,
            Some(Segment::Preamble(_)) => ProvisionKind::Preambular,
        }
    }

    /// The enclosing provision, or the section for a top-level provision.
    pub fn parent(&self) -> Parent {
        if self.path.len() <= 1 {
            Parent::Section(self.section)
        } else {
            Parent::Provision(ProvisionId {
                section: self.section,
                path: self.path[..self.path.len() - 1].to_vec(),
            })
        }
    }

    /// Whether `self` lies inside `other` (or is it).
    pub fn is_within(&self, other: &ProvisionId) -> bool {
        self.section == other.section && self.path.starts_with(&other.path)
    }

    /// The label as printed in Arabic: `46`, `(ط)`, `'2'`, `ف.د. 11`.
    pub fn label_ar(&self) -> String {
        self.path.last().map(segment_ar).unwrap_or_default()
    }

    /// The label as printed before the provision's text: `46-`, `(ط)`,
    /// `'2'` (a preambular paragraph, unnumbered in print, gets the id's
    /// `ف.د. 11`).
    pub fn printed_label_ar(&self) -> String {
        match self.path.last() {
            Some(Segment::Para(n)) => format!("{n}-"),
            _ => self.label_ar(),
        }
    }

    /// The label in the English edition: `46`, `(i)`, `(ii)`, `PP 11`.
    pub fn label_en(&self) -> String {
        self.path.last().map(segment_en).unwrap_or_default()
    }

    /// Arabic display citation: «الجزء ألف، رابعاً-46 (ط) '2'».
    pub fn cite_ar(&self) -> String {
        let mut out = self.section.cite_ar();
        push_path(&mut out, &self.path, "-", "، ", segment_ar);
        out
    }

    /// English display citation: "Part A, IV-46 (i) (ii)".
    pub fn cite_en(&self) -> String {
        let mut out = self.section.cite_en();
        push_path(&mut out, &self.path, "-", ", ", segment_en);
        out
    }

    /// The path alone in Arabic, as the printed paragraph reference of an
    /// instrument: «7 (ب)», «(ب) '4'», «ف.د. 11».
    pub fn path_ar(&self) -> String {
        join_path(&self.path, segment_ar)
    }

    /// The path alone in English: "7 (b)", "(b) (iv)", "PP 11".
    pub fn path_en(&self) -> String {
        join_path(&self.path, segment_en)
    }
}

fn segment_ar(seg: &Segment) -> String {
    match seg {
        Segment::Para(n) => n.to_string(),
        Segment::Letter(l) => format!("({})", l.arabic()),
        Segment::Item(n) => format!("'{n}'"),
        Segment::Preamble(n) => format!("ف.د. {n}"),
    }
}

fn segment_en(seg: &Segment) -> String {
    match seg {
        Segment::Para(n) => n.to_string(),
        Segment::Letter(l) => format!("({})", l.latin()),
        Segment::Item(n) => format!("({})", roman_lower(*n)),
        Segment::Preamble(n) => format!("PP {n}"),
    }
}

fn join_path(path: &[Segment], render: fn(&Segment) -> String) -> String {
    path.iter().map(render).collect::<Vec<_>>().join(" ")
}

/// Appends a path to a section citation: a paragraph number joins with a
/// dash (IV-46), a preambular paragraph with a comma, letters and items
/// with a space.
fn push_path(
    out: &mut String,
    path: &[Segment],
    dash: &str,
    comma: &str,
    render: fn(&Segment) -> String,
) {
    for (i, seg) in path.iter().enumerate() {
        let sep = match (i, seg) {
            (0, Segment::Para(_)) => dash,
            (0, Segment::Preamble(_)) => comma,
            _ => " ",
        };
        out.push_str(sep);
        out.push_str(&render(seg));
    }
}

impl fmt::Display for ProvisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.section)?;
        for seg in &self.path {
            match seg {
                Segment::Para(n) | Segment::Item(n) => write!(f, ".{n}")?,
                Segment::Letter(l) => write!(f, ".{}", l.latin())?,
                Segment::Preamble(n) => write!(f, ".pp{n}")?,
            }
        }
        Ok(())
    }
}

impl Serialize for ProvisionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Parent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for ProvisionId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<ProvisionId, IdError> {
        let err = |reason| IdError {
            input: s.to_owned(),
            reason,
        };
        let mut parts = s.trim().split('.');
        let (Some(part), Some(ordinal)) = (parts.next(), parts.next()) else {
            return Err(err("expected an id such as A.4.46.i.2 or B.5.pp11"));
        };
        let section: SectionId = format!("{part}.{ordinal}").parse()?;
        let mut path = Vec::new();
        for raw in parts {
            let seg = if let Some(n) = raw.strip_prefix("pp") {
                Segment::Preamble(
                    n.parse()
                        .map_err(|_| err("pp must be followed by a number"))?,
                )
            } else if let Ok(n) = raw.parse::<u32>() {
                match path.last() {
                    Some(Segment::Letter(_)) => Segment::Item(n),
                    _ => Segment::Para(n),
                }
            } else {
                let mut chars = raw.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Segment::Letter(
                        Letter::from_latin(c).ok_or_else(|| err("letters run from a to z"))?,
                    ),
                    _ => return Err(err("each step is a number, a letter or pp<N>")),
                }
            };
            path.push(seg);
        }
        if path.is_empty() {
            return Err(err("this names a section, not a provision"));
        }
        ProvisionId::new(section, path).map_err(|e| err(e.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ProvisionId {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn round_trips() {
        for s in [
            "A.4.46.i.2",
            "A.8.1.q",
            "B.1.b.4",
            "B.3.a",
            "B.5.7.b",
            "B.5.pp11",
            "A.9.17.h",
        ] {
            assert_eq!(id(s).to_string(), s);
        }
    }

    #[test]
    fn kinds_parents_labels() {
        let p = id("A.4.46.i.2");
        assert_eq!(p.kind(), ProvisionKind::Item);
        assert_eq!(p.parent().to_string(), "A.4.46.i");
        assert_eq!(p.label_ar(), "'2'");
        assert_eq!(id("A.4.46").parent().to_string(), "A.4");
        assert_eq!(id("B.5.pp11").label_ar(), "ف.د. 11");
        assert_eq!(id("B.5.pp11").kind(), ProvisionKind::Preambular);
        assert_eq!(id("A.4.46.i").label_ar(), "(ط)");
    }

    #[test]
    fn citations() {
        assert_eq!(id("A.4.46.i.2").cite_ar(), "الجزء ألف، رابعاً-46 (ط) '2'");
        assert_eq!(id("A.4.46.i.2").cite_en(), "Part A, IV-46 (i) (ii)");
        assert_eq!(id("B.1.b.4").cite_en(), "Part B, I (b) (iv)");
        assert_eq!(id("B.5.pp11").cite_ar(), "الجزء باء، خامساً، ف.د. 11");
        assert_eq!(id("B.5.7.b").path_en(), "7 (b)");
    }

    #[test]
    fn rejects_bad_ids() {
        for s in [
            "",
            "A",
            "A.4",
            "C.1.1",
            "A.0.1",
            "A.4.x1",
            "A.4.i.2.3",
            "A.4.46.pp1",
            "A.4.pp",
        ] {
            assert!(s.parse::<ProvisionId>().is_err(), "{s}");
        }
    }
}
