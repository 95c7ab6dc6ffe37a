//! The citation resolver: every way people cite a provision or section of
//! the compendium → the provision or section, or a clear "not found" with
//! the nearest candidates.
//!
//! Accepted forms (Arabic-Indic digits too): ids (`A.2.55`, `B.5`); Arabic
//! locations (`ثانياً-55`, `الجزء ألف ثانياً-55`, `الجزء باء خامساً-7 (ب)`);
//! English locations (`II-55`, `Part A, II-55`, `Part B, I (b) (iv)`,
//! `V, PP 11`); report citations (`CTOC/COP/WG.4/2010/6, para. 62`,
//! `WG.4/2010/6 §62`, `CTOC/COP/WG.4/2019/6 recommendation 5`); instruments
//! (`decision 4/4`, `المقرر 4/4`, `resolution 5/2, para. 7 (b)`,
//! `القرار 2/5، الفقرة 7 (ب)`, `5/2 PP 11`).

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::id::{Part, ProvisionId, SectionId, Segment};
use crate::instrument::InstrumentKind;
use crate::location::read_location;
use crate::numerals::{Letter, ascii_digits, fold_arabic, parse_roman};
use crate::record::Corpus;

/// What a citation names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "id", rename_all = "lowercase")]
pub enum Target {
    /// A provision.
    Provision(ProvisionId),
    /// A whole section (meeting or session).
    Section(SectionId),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Provision(p) => p.fmt(f),
            Target::Section(s) => s.fmt(f),
        }
    }
}

/// A citation that names nothing in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotFound {
    /// What was asked.
    pub input: String,
    /// Why it resolves to nothing, in English.
    pub reason: String,
    /// Existing ids close to what was asked.
    pub candidates: Vec<String>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not found: {:?}: {}", self.input, self.reason)?;
        if !self.candidates.is_empty() {
            write!(f, "; nearest: {}", self.candidates.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for NotFound {}

static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:CTOC/COP/)?((?:WG\.4/)?\d{4}/\d+)\b(.*)$").expect("static regex")
});
static INSTRUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(decision|resolution|المقرر|القرار|مقرر|قرار)?\s*(\d+)\s*/\s*(\d+)(.*)$")
        .expect("static regex")
});
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:part\s*([ab])\s*[,،]?\s*)?([ivx]+)\b(.*)$").expect("static regex")
});
static REST_PP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bpp\b|preambular\s+para(?:graph)?\.?|ف\s*\.?\s*د\s*\.?)\s*(\d+)")
        .expect("static regex")
});
static REST_PARA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,،:\-–]*(?:(?:paras?|paragraphs?|rec(?:ommendation)?s?)\.?|§|الفقرة|التوصية)?\s*(\d+)")
        .expect("static regex")
});
static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^()\s]{1,5})\)|'(\d+)'?|(\d+)'").expect("static regex"));

/// The path a citation's tail gives: «para. 7 (b)», «(b) (iv)», «PP 11»,
/// «الفقرة 7 (ب) '2'». `with_para`: whether a leading number is a
/// paragraph (false when the number was already read).
fn tail_path(rest: &str, with_para: bool) -> Vec<Segment> {
    if let Some(c) = REST_PP.captures(rest) {
        return c[1]
            .parse()
            .map(|n| vec![Segment::Preamble(n)])
            .unwrap_or_default();
    }
    let mut path = Vec::new();
    let mut rest = rest;
    if with_para && let Some(c) = REST_PARA.captures(rest) {
        if let Ok(n) = c[1].parse() {
            path.push(Segment::Para(n));
        }
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
    }
    for c in PAREN.captures_iter(rest) {
        let has_letter = path.iter().any(|s| matches!(s, Segment::Letter(_)));
        if let Some(inner) = c.get(1).map(|m| m.as_str()) {
            if !has_letter {
                let letter = if inner.len() == 1 && inner.is_ascii() {
                    inner.chars().next().and_then(Letter::from_latin)
                } else {
                    Letter::from_arabic(inner)
                };
                if let Some(l) = letter {
                    path.push(Segment::Letter(l));
                    continue;
                }
            }
            if let Some(n) = parse_roman(inner).or_else(|| inner.parse().ok()) {
                path.push(Segment::Item(n));
            }
        } else if let Some(n) = c.get(2).or(c.get(3)).and_then(|m| m.as_str().parse().ok()) {
            path.push(Segment::Item(n));
        }
    }
    path
}

/// Resolves a citation against the record.
// Longer than 100 lines on purpose: the citation forms are tried in order
// of how specific they are (ids, report symbols, instruments, locations),
// each a few lines; one function keeps that order in view.
pub fn resolve(corpus: &Corpus, input: &str) -> Result<Target, NotFound> {
    let text = ascii_digits(input.trim());
    let fail = |reason: String, near: Vec<String>| NotFound {
        input: input.to_owned(),
        reason,
        candidates: near,
    };
    if text.is_empty() {
        return Err(fail("empty citation".into(), Vec::new()));
    }
    // 1. Ids.
    if let Ok(id) = text.parse::<ProvisionId>() {
        return check(corpus, input, id);
    }
    if let Ok(s) = text.parse::<SectionId>() {
        return check_section(corpus, input, s);
    }
    // 2. Report symbols.
    if let Some(c) = SYMBOL.captures(&text) {
        let wanted = c[1].to_ascii_uppercase();
        let rest = c.get(2).map_or("", |m| m.as_str());
        let section = corpus.sections.iter().find(|s| {
            s.symbol
                .as_deref()
                .is_some_and(|sym| sym.to_ascii_uppercase().ends_with(&wanted))
        });
        let Some(section) = section else {
            let known: Vec<String> = corpus
                .sections
                .iter()
                .filter_map(|s| s.symbol.clone())
                .collect();
            return Err(fail(
                format!("no section of the compendium comes from report {wanted}"),
                known,
            ));
        };
        let mut path = tail_path(rest, true);
        if let (Some(Segment::Para(n)), Some(off)) = (
            path.first().copied(),
            corpus
                .reports
                .iter()
                .find(|r| r.section == section.id)
                .map(|r| r.offset),
        ) {
            let compendium = i64::from(n) - i64::from(off);
            match u32::try_from(compendium) {
                Ok(k) if k > 0 => path[0] = Segment::Para(k),
                _ => {
                    return Err(fail(
                        format!(
                            "paragraph {n} of {wanted} precedes the recommendations (offset {off})"
                        ),
                        Vec::new(),
                    ));
                }
            }
        }
        return by_path(corpus, input, section.id, path);
    }
    // 3. Instruments.
    if let Some(c) = INSTRUMENT.captures(&text) {
        let word = c.get(1).map(|m| fold_arabic(&m.as_str().to_lowercase()));
        let (a, b): (u32, u32) = (c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
        let rest = c.get(4).map_or("", |m| m.as_str());
        let arabic = word.as_deref().is_some_and(|w| !w.is_ascii());
        let kind = word.as_deref().map(|w| {
            if w.contains("decision") || w.contains("مقرر") {
                InstrumentKind::Decision
            } else {
                InstrumentKind::Resolution
            }
        });
        // English writes session/number, Arabic number/session; a bare
        // «5/2» tries the English order first.
        let orders: &[(u32, u32)] = if arabic {
            &[(b, a)]
        } else if word.is_some() {
            &[(a, b)]
        } else {
            &[(a, b), (b, a)]
        };
        for (session, number) in orders {
            let hit = corpus.sections.iter().find(|s| {
                s.session.as_ref().is_some_and(|cs| {
                    cs.instrument.session == *session
                        && cs.instrument.number == *number
                        && kind.is_none_or(|k| k == cs.instrument.kind)
                })
            });
            if let Some(section) = hit {
                return by_path(corpus, input, section.id, tail_path(rest, true));
            }
        }
        let known: Vec<String> = corpus
            .sections
            .iter()
            .filter_map(|s| s.session.as_ref().map(|cs| cs.instrument.canonical()))
            .collect();
        return Err(fail(
            "no decision or resolution of the compendium has that number".into(),
            known,
        ));
    }
    // 4. English locations: II-55, Part B, V-7 (b), I (b) (iv).
    if let Some(c) = ENGLISH.captures(&text)
        && let Some(ordinal) = parse_roman(&c[2])
    {
        let part = match c.get(1).map(|m| m.as_str().to_ascii_uppercase()) {
            Some(p) if p == "B" => Part::B,
            _ => Part::A,
        };
        let rest = c.get(3).map_or("", |m| m.as_str());
        return by_path(
            corpus,
            input,
            SectionId::new(part, ordinal),
            tail_path(rest, true),
        );
    }
    // 5. Arabic locations.
    let loc = read_location(&text, Part::A);
    if let Some(id) = loc.ids.into_iter().next() {
        return check(corpus, input, id);
    }
    Err(fail(
        "not a citation fihris knows (try A.2.55, ثانياً-55, II-55, CTOC/COP/WG.4/2010/6 para. 62, decision 4/4)".into(),
        Vec::new(),
    ))
}

fn by_path(
    corpus: &Corpus,
    input: &str,
    section: SectionId,
    path: Vec<Segment>,
) -> Result<Target, NotFound> {
    if path.is_empty() {
        return check_section(corpus, input, section);
    }
    match ProvisionId::new(section, path) {
        Ok(id) => check(corpus, input, id),
        Err(e) => Err(NotFound {
            input: input.to_owned(),
            reason: format!("cannot form a provision id in {section}: {}", e.reason),
            candidates: nearest(corpus, section, &[]),
        }),
    }
}

fn check_section(corpus: &Corpus, input: &str, s: SectionId) -> Result<Target, NotFound> {
    if corpus.section(s).is_some() {
        return Ok(Target::Section(s));
    }
    Err(NotFound {
        input: input.to_owned(),
        reason: format!("there is no section {s} ({})", s.cite_en()),
        candidates: corpus
            .sections
            .iter()
            .filter(|x| x.id.part == s.part)
            .map(|x| x.id.to_string())
            .collect(),
    })
}

fn check(corpus: &Corpus, input: &str, id: ProvisionId) -> Result<Target, NotFound> {
    if corpus.provision(&id).is_some() {
        return Ok(Target::Provision(id));
    }
    Err(NotFound {
        input: input.to_owned(),
        reason: format!(
            "{} ({}) is not a provision of the compendium",
            id,
            id.cite_en()
        ),
        candidates: nearest(corpus, id.section, &id.path),
    })
}

/// Up to five ids near `path` in `section`: the longest shared path
/// prefix, then the closest paragraph numbers.
fn nearest(corpus: &Corpus, section: SectionId, path: &[Segment]) -> Vec<String> {
    let in_section: Vec<&ProvisionId> = corpus.provisions_in(section).map(|p| &p.id).collect();
    let shared = |id: &ProvisionId| id.path.iter().zip(path).take_while(|(a, b)| a == b).count();
    let best = in_section.iter().map(|id| shared(id)).max().unwrap_or(0);
    let para = |segs: &[Segment]| match segs.first() {
        Some(Segment::Para(n)) | Some(Segment::Preamble(n)) => i64::from(*n),
        _ => 0,
    };
    let want = para(path);
    let mut near: Vec<&&ProvisionId> = in_section
        .iter()
        .filter(|id| shared(id) == best && (best > 0 || id.path.len() == 1))
        .collect();
    near.sort_by_key(|id| ((para(&id.path) - want).abs(), id.path.len()));
    near.into_iter().take(5).map(|id| id.to_string()).collect()
}
