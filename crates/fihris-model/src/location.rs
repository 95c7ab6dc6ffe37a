//! Compendium locations written the Arabic way — the location cells of the
//! thematic index and what users type: «الجزء ألف ثانياً-3 وثانياً-55
//! رابعاً-46 (ط)» → provision ids. Reads the noise of the
//! extraction (`بء`/`بـ` for `باء`, `(ا)`/`(إ)`/`(i)` for `(أ)`, `(ه)`,
//! `17 ألف`, missing dashes, Arabic-Indic digits, ranges `ثانياً-21-23`,
//! `(ب)-(ه)`, preambular `ف.د. 1-11`) and recovers a topic label glued to
//! the end of the cell.

use crate::id::{Part, ProvisionId, SectionId, Segment};
use crate::numerals::{Folded, Letter, fold, ordinals_folded};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Part(Part),
    Ordinal(u32),
    Num(u32),
    Letter(Option<Letter>, String),
    Item(u32),
    Preamble,
    Dash,
    Alef,
    Other(usize),
}

/// Whether `rest` is at a word end: nothing, a space or punctuation.
fn at_word_end(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || "؛:،,.-()'".contains(c))
}

fn digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// Splits a folded location cell into tokens (a hand-written scanner: the
/// cells are short and many, and a capture-group regex was the parse's
/// bottleneck).
// Longer than 100 lines on purpose: one scanner: each arm recognises one
// kind of token of the location syntax at the current position.
fn tokens(f: &Folded) -> Vec<Tok> {
    let text = f.text.as_str();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() || "؛:،,.".contains(c) {
            i += c.len_utf8();
            continue;
        }
        if c == '-' {
            out.push(Tok::Dash);
            i += 1;
            continue;
        }
        if let Some(after) = rest.strip_prefix("الجزء") {
            let trimmed = after.trim_start();
            let name = ["الف", "باء", "بء", "ب"]
                .into_iter()
                .find(|n| trimmed.strip_prefix(n).is_some_and(at_word_end));
            if let Some(name) = name {
                out.push(Tok::Part(if name == "الف" { Part::A } else { Part::B }));
                i = text.len() - trimmed.len() + name.len();
                continue;
            }
        }
        // «و» joins: «وثانياً», «و(ز)», «و8», «و 17».
        let (joined, body) = match rest.strip_prefix('و') {
            Some(b) if b.is_empty() || b.starts_with(char::is_whitespace) => {
                i += 'و'.len_utf8();
                continue;
            }
            Some(b)
                if b.starts_with(|c: char| c.is_ascii_digit() || c == '(')
                    || ordinals_folded().iter().any(|o| b.starts_with(o.as_str())) =>
            {
                (true, b)
            }
            _ => (false, rest),
        };
        let start = text.len() - body.len();
        if let Some((n, o)) = ordinals_folded()
            .iter()
            .zip(1u32..)
            .map(|(o, n)| (n, o))
            .find(|(_, o)| body.starts_with(o.as_str()))
        {
            out.push(Tok::Ordinal(n));
            i = start + o.len();
            continue;
        }
        if body.starts_with(|c: char| c.is_ascii_digit()) {
            let (num, after) = digits(body);
            let n = num.parse().unwrap_or(0);
            if let Some(after_quote) = after.strip_prefix('\'') {
                out.push(Tok::Item(n));
                i = text.len() - after_quote.len();
            } else {
                out.push(Tok::Num(n));
                i = start + num.len();
            }
            continue;
        }
        if let Some(inner) = body.strip_prefix('(')
            && let Some(close) = inner.find(')')
            && inner[..close].chars().count() <= 2
            && !inner[..close].contains(char::is_whitespace)
        {
            let raw = &inner[..close];
            let letter = if raw == "i" {
                Letter::from_index(0)
            } else {
                Letter::from_arabic(raw)
            };
            out.push(Tok::Letter(letter, raw.to_owned()));
            i = start + 1 + close + 1;
            continue;
        }
        if joined {
            // «و» before something else: just a conjunction.
            i = start;
            continue;
        }
        if let Some(after) = rest.strip_prefix('\'') {
            let (num, tail) = digits(after);
            if !num.is_empty() {
                out.push(Tok::Item(num.parse().unwrap_or(0)));
                i = text.len() - tail.strip_prefix('\'').unwrap_or(tail).len();
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('ف') {
            let t = after
                .trim_start()
                .strip_prefix('.')
                .unwrap_or(after.trim_start())
                .trim_start();
            if let Some(tail) = t.strip_prefix('د')
                && at_word_end(tail)
            {
                out.push(Tok::Preamble);
                i = text.len() - tail.strip_prefix('.').unwrap_or(tail).len();
                continue;
            }
        }
        if let Some(tail) = rest.strip_prefix("الف")
            && at_word_end(tail)
        {
            out.push(Tok::Alef);
            i += "الف".len();
            continue;
        }
        out.push(Tok::Other(i));
        i += rest.find(char::is_whitespace).unwrap_or(rest.len());
    }
    out
}

/// One reference being assembled: a section and what follows it.
#[derive(Debug, Clone, Default)]
struct Draft {
    part: Option<Part>,
    section: Option<u32>,
    paras: Option<(u32, u32)>,
    preamble: bool,
    letters: Vec<(Letter, Letter)>,
    items: Vec<u32>,
    /// Whether the paragraph number was written right after the ordinal
    /// («خامساً-39»), which allows «خامساً-39-خامساً-41» as a range.
    attached: bool,
}

impl Draft {
    fn is_empty(&self) -> bool {
        self.paras.is_none() && self.letters.is_empty() && self.items.is_empty()
    }
}

/// What one location cell gives.
#[derive(Debug)]
pub struct Location {
    /// Provision ids named, in order (not yet checked against the record).
    pub ids: Vec<ProvisionId>,
    /// A topic label glued to the end of the cell, as printed.
    pub glued_label: Option<String>,
    /// Problems met: (message in English, message in Arabic).
    pub problems: Vec<(String, String)>,
    /// The part in force at the end of the cell (carried to the next row).
    pub part: Part,
}

/// Reads one location cell; `part` is the part in force from the rows
/// above (Part A at the start of a topic).
// Longer than 100 lines on purpose: one pass over the cell's tokens with
// the part, section and paragraph in force; every arm reads and updates
// that same state, which helpers would only pass around.
pub fn read_location(cell: &str, part: Part) -> Location {
    let folded = fold(cell);
    let toks = tokens(&folded);
    let mut loc = Location {
        ids: Vec::new(),
        glued_label: None,
        problems: Vec::new(),
        part,
    };
    let mut draft = Draft::default();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Part(p) => {
                flush(&mut draft, &mut loc);
                loc.part = *p;
                draft = Draft::default();
            }
            Tok::Ordinal(n) => {
                flush(&mut draft, &mut loc);
                draft = Draft {
                    part: Some(loc.part),
                    section: Some(*n),
                    ..Draft::default()
                };
                // «ثانياً-21-23», «خامساً-39-خامساً-41»
                if let (Some(Tok::Dash), Some(Tok::Num(a))) = (toks.get(i + 1), toks.get(i + 2)) {
                    draft.paras = Some((*a, *a));
                    draft.attached = true;
                    i += 2;
                    i += read_range(&toks, i, &mut draft);
                }
            }
            Tok::Num(n) => {
                // The first number after an ordinal or «ف.د.».
                let first = if draft.preamble {
                    draft.paras.is_none()
                } else {
                    draft.section.is_some() && draft.is_empty()
                };
                if first {
                    draft.paras = Some((*n, *n));
                    i += read_range(&toks, i, &mut draft);
                } else if draft.section.is_some() {
                    // A bare number after «و»: same section, next paragraph.
                    let keep = Draft {
                        part: draft.part,
                        section: draft.section,
                        paras: Some((*n, *n)),
                        ..Draft::default()
                    };
                    flush(&mut draft, &mut loc);
                    draft = keep;
                    if !matches!(
                        (toks.get(i + 1), toks.get(i + 2)),
                        (Some(Tok::Dash), Some(Tok::Ordinal(_)))
                    ) {
                        i += read_range(&toks, i, &mut draft);
                    }
                } else {
                    loc.problems.push((
                        format!("number {n} with no section before it"),
                        format!("الرقم {n} بلا قسم قبله"),
                    ));
                }
            }
            Tok::Letter(letter, raw) => match letter {
                Some(l) => {
                    let mut range = (*l, *l);
                    if let (Some(Tok::Dash), Some(Tok::Letter(Some(end), _))) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        range.1 = *end;
                        i += 2;
                    }
                    if draft.section.is_none() {
                        loc.problems.push((
                            format!("sub-paragraph ({raw}) with no section before it"),
                            format!("فقرة فرعية ({raw}) بلا قسم قبلها"),
                        ));
                    } else {
                        draft.letters.push(range);
                    }
                }
                None => loc.problems.push((
                    format!("unreadable sub-paragraph letter ({raw})"),
                    format!("حرف فقرة فرعية غير مقروء ({raw})"),
                )),
            },
            Tok::Alef => {
                if let Some(a) = Letter::from_index(0) {
                    draft.letters.push((a, a));
                }
            }
            Tok::Item(n) => draft.items.push(*n),
            Tok::Preamble => {
                let keep = Draft {
                    part: draft.part,
                    section: draft.section,
                    preamble: true,
                    ..Draft::default()
                };
                flush(&mut draft, &mut loc);
                draft = keep;
            }
            Tok::Dash => {}
            Tok::Other(pos) => {
                let start = folded.origin.get(*pos).copied().unwrap_or(cell.len());
                let rest = cell[start..].trim();
                if rest.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                    loc.glued_label = Some(rest.to_owned());
                } else {
                    loc.problems.push((
                        format!("unreadable text «{rest}»"),
                        format!("نص غير مقروء «{rest}»"),
                    ));
                }
                break;
            }
        }
        i += 1;
    }
    flush(&mut draft, &mut loc);
    loc
}

/// After a number at `toks[i]`, reads «-N» or «-<same ordinal>-N» as the
/// end of a range; returns how many tokens it consumed.
fn read_range(toks: &[Tok], i: usize, draft: &mut Draft) -> usize {
    let Some((start, _)) = draft.paras else {
        return 0;
    };
    match (
        toks.get(i + 1),
        toks.get(i + 2),
        toks.get(i + 3),
        toks.get(i + 4),
    ) {
        (Some(Tok::Dash), Some(Tok::Num(end)), _, _) => {
            draft.paras = Some((start, *end));
            2
        }
        (Some(Tok::Dash), Some(Tok::Ordinal(s)), Some(Tok::Dash), Some(Tok::Num(end)))
            if draft.attached && Some(*s) == draft.section =>
        {
            draft.paras = Some((start, *end));
            4
        }
        _ => 0,
    }
}

/// The longest range of paragraphs read: no section comes near it (the
/// longest has under a hundred), and a longer one is a misprint or an
/// attack, not a location («1-4000000000» would name four billion ids).
pub const MAX_RANGE: u32 = 200;

/// Turns a finished draft into ids.
fn flush(draft: &mut Draft, loc: &mut Location) {
    let d = std::mem::take(draft);
    if d.is_empty() {
        return;
    }
    let (Some(part), Some(ordinal)) = (d.part, d.section) else {
        return;
    };
    let section = SectionId::new(part, ordinal);
    if let Some((a, b)) = d.paras
        && a.abs_diff(b) >= MAX_RANGE
    {
        loc.problems.push((
            format!(
                "a range of paragraphs {a}–{b} is longer than any section ({MAX_RANGE} paragraphs)"
            ),
            format!("مدى الفقرات {a}–{b} أطول من أي قسم ({MAX_RANGE} فقرة)"),
        ));
        return;
    }
    let span = |(a, b): (u32, u32)| a.min(b)..=a.max(b);
    let mut paths: Vec<Vec<Segment>> = Vec::new();
    let letters: Vec<Letter> = d
        .letters
        .iter()
        .flat_map(|(a, b)| {
            (a.index().min(b.index())..=a.index().max(b.index())).filter_map(Letter::from_index)
        })
        .collect();
    if d.preamble {
        paths.extend(
            d.paras
                .map(span)
                .into_iter()
                .flatten()
                .map(|k| vec![Segment::Preamble(k)]),
        );
    } else if letters.is_empty() && d.items.is_empty() {
        paths.extend(
            d.paras
                .map(span)
                .into_iter()
                .flatten()
                .map(|k| vec![Segment::Para(k)]),
        );
    } else {
        let base: Vec<Segment> = match d.paras {
            Some((a, b)) if a == b => vec![Segment::Para(a)],
            Some(range) => {
                loc.problems.push((
                    format!(
                        "a range of paragraphs {}–{} cannot take sub-paragraphs",
                        range.0, range.1
                    ),
                    format!("مدى الفقرات {}–{} لا يقبل فقرات فرعية", range.0, range.1),
                ));
                return;
            }
            None => Vec::new(),
        };
        if letters.is_empty() {
            loc.problems.push((
                format!("item(s) {:?} with no sub-paragraph letter", d.items),
                "بنود بلا حرف فقرة فرعية".into(),
            ));
            return;
        }
        for l in &letters {
            let mut p = base.clone();
            p.push(Segment::Letter(*l));
            if d.items.is_empty() {
                paths.push(p);
            } else {
                for it in &d.items {
                    let mut q = p.clone();
                    q.push(Segment::Item(*it));
                    paths.push(q);
                }
            }
        }
    }
    for path in paths {
        match ProvisionId::new(section, path) {
            Ok(id) => loc.ids.push(id),
            Err(e) => loc.problems.push((
                format!("cannot form an id in {section}: {}", e.reason),
                format!("تعذّر تكوين معرّف في {section}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(cell: &str, part: Part) -> Vec<String> {
        read_location(cell, part)
            .ids
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_range_longer_than_any_section_names_nothing() {
        // Found by the `location` fuzz target: «17222222-31» expanded to
        // seventeen million ids (a ten-second timeout).
        let l = read_location("أولاً-7 (i) 17222222-31-42 رابعاً-36-40", Part::A);
        assert_eq!(
            l.problems[0].0,
            "a range of paragraphs 17222222–31 is longer than any section (200 paragraphs)"
        );
        assert_eq!(
            ids("رابعاً-36-40 أولاً-1-4000000000 ثانياً-3-5", Part::A),
            [
                "A.4.36", "A.4.37", "A.4.38", "A.4.39", "A.4.40", "A.2.3", "A.2.4", "A.2.5"
            ]
        );
    }

    #[test]
    fn plain_and_ranges() {
        assert_eq!(
            ids("الجزء ألف ثانياً-3 وثانياً-55 رابعاً-46 (ط)", Part::A),
            ["A.2.3", "A.2.55", "A.4.46.i"]
        );
        assert_eq!(ids("ثانياً-21-23", Part::A), ["A.2.21", "A.2.22", "A.2.23"]);
        assert_eq!(ids("رابعاً-46 (ب)-(ه) ورابعاً-46 (ز)-(ي)", Part::A).len(), 8);
        assert_eq!(
            ids("ثانياً 24 وثانياً-25 رابعاً-9 و 17", Part::A),
            ["A.2.24", "A.2.25", "A.4.9", "A.4.17"]
        );
        assert_eq!(
            ids("وخامساً-39-خامساً-41", Part::A),
            ["A.5.39", "A.5.40", "A.5.41"]
        );
        assert_eq!(
            ids("تاسعاً-6 و 8-تاسعاً-31", Part::A),
            ["A.9.6", "A.9.8", "A.9.31"]
        );
        assert_eq!(
            ids("أولاً-17 ألف وأولاً-19 ألف", Part::A),
            ["A.1.17.a", "A.1.19.a"]
        );
        assert_eq!(
            ids("رابعاً-45 (i) أولاً-16 (إ) ثامناً-2 (ا)", Part::A),
            ["A.4.45.a", "A.1.16.a", "A.8.2.a"]
        );
        assert_eq!(
            ids("رابعاً-46-(أ)-(ج)", Part::A),
            ["A.4.46.a", "A.4.46.b", "A.4.46.c"]
        );
        assert_eq!(ids("ورابعاً-46 (ي) '4", Part::A), ["A.4.46.j.4"]);
        assert_eq!(ids("ثانياً-٤٦", Part::A), ["A.2.46"]);
    }

    #[test]
    fn meetings_after_the_tenth() {
        assert_eq!(
            ids("الجزء ألف حادي عشر-3 وعاشراً-2 (ب)", Part::A),
            ["A.11.3", "A.10.2.b"]
        );
    }

    #[test]
    fn part_b_forms() {
        assert_eq!(ids("الجزء بء ثانياً '4' (م)", Part::A), ["B.2.m.4"]);
        assert_eq!(ids("خامساً- ف.د. 11", Part::B), ["B.5.pp11"]);
        assert_eq!(
            ids("الجزء بء: خامساً-ف.د. 9: خامساً 12 وخامساً 13", Part::A),
            ["B.5.pp9", "B.5.12", "B.5.13"]
        );
        assert_eq!(ids("خامساً-ف.د 1-11؛ خامساً-2", Part::B).len(), 12);
        assert_eq!(
            ids("الجزء بء : خامساً- ف د 6 : خامساً-6 وخامساً-9 (أ)", Part::A),
            ["B.5.pp6", "B.5.6", "B.5.9.a"]
        );
        assert_eq!(ids("الجزء بء أولاً (ب) 2'", Part::A), ["B.1.b.2"]);
        assert_eq!(
            ids("الجزء بء ثانياً- (م) '2 ثالثاً- (ي)", Part::A),
            ["B.2.m.2", "B.3.j"]
        );
        assert_eq!(
            ids("ثالثاً-(هـ) وثالثاً-(ط)-(م)", Part::B),
            ["B.3.e", "B.3.i", "B.3.j", "B.3.k", "B.3.l", "B.3.m"]
        );
        let l = read_location("الجزء بـ", Part::A);
        assert!(l.ids.is_empty());
        assert_eq!(l.part, Part::B);
    }

    #[test]
    fn glued_labels_are_recovered() {
        let l = read_location(
            "أولاً-8 رابعاً-45 (ج) تاسعاً-16 جهات الاستجابة، العاملون في بعثات حفظ السلام",
            Part::A,
        );
        assert_eq!(l.ids.len(), 3);
        assert_eq!(
            l.glued_label.as_deref(),
            Some("جهات الاستجابة، العاملون في بعثات حفظ السلام")
        );
        let l = read_location(
            "تاسعاً-15 الجزء بء: ثالثاً (د) جهات الاستجابة، المدعون العامون/ أعضاء النيابة العامة",
            Part::A,
        );
        assert_eq!(
            l.ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["A.9.15", "B.3.d"]
        );
        assert_eq!(
            l.glued_label.as_deref(),
            Some("جهات الاستجابة، المدعون العامون/ أعضاء النيابة العامة")
        );
    }
}
