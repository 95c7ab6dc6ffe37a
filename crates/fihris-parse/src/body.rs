//! The body of the compendium: front matter, Part A (meetings), Part B
//! (COP sessions), up to the thematic index. A line-by-line state machine
//! that opens a block at every label (`N-`, `(أ)`, `1'`, `وإذ …`) and
//! joins every other line to the open block.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use fihris_model::FindingCode;
use fihris_model::numerals::parse_number;
use fihris_model::{
    Anchor, CopSession, Finding, Footnote, Instrument, Letter, LineSpan, Part, Provision,
    ProvisionId, Section, SectionId, Segment, Severity,
};
use regex::Regex;

use crate::error::{ErrorKind, Expected, ParseError};
use crate::headings::{HeadingKind, read_heading, read_instrument, read_meeting, read_year};
use crate::text::{Acc, InlineItem, inline_enumeration};
use fihris_model::record::{footnote_markers, superscript_digit};

static PART_A: LazyLock<Regex> = LazyLock::new(|| re(r"^ألف\s*-\s*\S"));
static PART_B: LazyLock<Regex> = LazyLock::new(|| re(r"^باء\s*-\s*\S"));
static INDEX: LazyLock<Regex> = LazyLock::new(|| re(r"^الفهرس\s+المواضي"));
static BACK_COVER: LazyLock<Regex> = LazyLock::new(|| re(r"www\.unodc\.org\s*$"));
static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:⁽([⁰¹²³⁴-⁹]+)⁾|\(([0-9٠-٩]{1,3})\))\s*"));
static PARA: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:-\s*)?([0-9٠-٩]{1,3})\s*-\s*"));
static LETTER: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:-\s*)?\(([^()\s]{1,2})\)\s*"));
static ITEM: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:-\s*)?'?([0-9٠-٩]{1,2})'\s*"));
static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:و)?إذ\s"));
static CHAPEAU: LazyLock<Regex> = LazyLock::new(|| re(r"^إن\s+مؤتمر\s+الأطراف"));

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// Where the state machine is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Front,
    PartA,
    PartB,
    Index,
    Done,
}

/// What continuation text is joined to.
#[derive(Debug)]
enum Open {
    Nothing,
    Title,
    Chapeau,
    Note,
    Provision(ProvisionId, Acc),
}

/// A section being read.
#[derive(Debug)]
struct SectionBuilder {
    section: Section,
    title: Acc,
    chapeau: Acc,
    note: Acc,
    last_para: Option<u32>,
    letter: Option<Letter>,
    last_item: Option<u32>,
    preambles: u32,
    operative_seen: bool,
    /// Part B: (session number, year, instrument once read).
    session: Option<(u32, Option<u16>, Option<Instrument>)>,
}

/// The result of reading the body.
#[derive(Debug, Default)]
pub struct Body {
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Provisions in document order.
    pub provisions: Vec<Provision>,
    /// Footnotes, with anchors resolved.
    pub footnotes: Vec<Footnote>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Line of the thematic index heading.
    pub index_start: u32,
    /// Line of the back cover, where the index ends.
    pub index_end: u32,
}

/// The state machine.
struct Reader<'a> {
    path: &'a str,
    phase: Phase,
    current: Option<SectionBuilder>,
    open: Open,
    out: Body,
    footnote_texts: BTreeMap<u32, (String, u32)>,
    /// Where each footnote marker stands: number → (anchor, line).
    markers: Vec<(u32, Anchor, u32)>,
    /// Ids pushed so far, to refuse duplicates.
    seen: HashSet<ProvisionId>,
}

/// Reads the body of `text`; `path` is used in errors.
pub fn read_body(text: &str, path: &str) -> Result<Body, ParseError> {
    let mut reader = Reader::new(path, Phase::Front);
    let mut last_line = 0;
    for (n, raw) in crate::decode::numbered_lines(text) {
        last_line = n;
        reader.line(n, raw.trim())?;
        if reader.phase == Phase::Done {
            break;
        }
    }
    if reader.phase != Phase::Done {
        let expected = match reader.phase {
            Phase::Front => Expected::PartA,
            Phase::PartA => Expected::PartB,
            Phase::PartB => Expected::Index,
            Phase::Index | Phase::Done => Expected::BackCover,
        };
        return Err(ParseError {
            path: path.to_owned(),
            line: Some(last_line),
            kind: ErrorKind::UnexpectedEnd { expected },
        });
    }
    Ok(reader.finish())
}

/// Reads one meeting's recommendations laid out as in Part A (an imported
/// file's body): `lines` numbered as in their file, the first non-empty
/// one the meeting's heading. The same rules as the compendium's Part A;
/// a second heading, or a heading of Part B or of the index, is an error.
pub fn read_meeting_section<'a>(
    lines: impl Iterator<Item = (u32, &'a str)>,
    path: &str,
) -> Result<Body, ParseError> {
    let mut reader = Reader::new(path, Phase::PartA);
    let mut last_line = 0;
    for (n, raw) in lines {
        let line = raw.trim();
        last_line = n;
        if line.is_empty() {
            continue;
        }
        let heading = (line.contains("الاجتماع") || line.contains("الدورة"))
            .then(|| read_heading(line))
            .flatten();
        let expected = match (&reader.current, &heading) {
            (None, None) => Some(Expected::MeetingHeading),
            (Some(_), Some(_)) => Some(Expected::Provision),
            (None, Some(h)) if h.kind != HeadingKind::Meeting => Some(Expected::MeetingHeading),
            _ if PART_B.is_match(line) || INDEX.is_match(line) => Some(Expected::Provision),
            _ => None,
        };
        if let Some(expected) = expected {
            return Err(reader.misplaced(n, line, expected));
        }
        reader.line(n, line)?;
    }
    if reader.current.is_none() {
        return Err(ParseError {
            path: path.to_owned(),
            line: Some(last_line.max(1)),
            kind: ErrorKind::UnexpectedEnd {
                expected: Expected::MeetingHeading,
            },
        });
    }
    reader.close_section();
    let mut body = reader.finish();
    // Where the meeting stands among the others is the record's to say.
    body.findings
        .retain(|f| f.code != FindingCode::SectionOutOfSequence);
    Ok(body)
}

impl<'a> Reader<'a> {
    fn new(path: &'a str, phase: Phase) -> Reader<'a> {
        Reader {
            path,
            phase,
            current: None,
            open: Open::Nothing,
            out: Body::default(),
            footnote_texts: BTreeMap::new(),
            markers: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn line(&mut self, n: u32, line: &str) -> Result<(), ParseError> {
        if line.is_empty() {
            return Ok(());
        }
        match self.phase {
            Phase::Front => {
                if PART_A.is_match(line) {
                    self.phase = Phase::PartA;
                }
                Ok(())
            }
            Phase::Index => {
                if BACK_COVER.is_match(line) {
                    self.out.index_end = n;
                    self.phase = Phase::Done;
                }
                Ok(())
            }
            Phase::Done => Ok(()),
            Phase::PartA | Phase::PartB => self.body_line(n, line),
        }
    }

    fn misplaced(&self, n: u32, line: &str, expected: Expected) -> ParseError {
        let found: String = line.chars().take(60).collect();
        ParseError {
            path: self.path.to_owned(),
            line: Some(n),
            kind: ErrorKind::Misplaced { found, expected },
        }
    }

    fn body_line(&mut self, n: u32, line: &str) -> Result<(), ParseError> {
        if line.starts_with("باء") && PART_B.is_match(line) {
            if self.phase == Phase::PartB {
                return Err(self.misplaced(n, line, Expected::SessionHeading));
            }
            self.close_section();
            self.phase = Phase::PartB;
            return Ok(());
        }
        if line.starts_with("الفهرس") && INDEX.is_match(line) {
            if self.phase == Phase::PartA {
                return Err(self.misplaced(n, line, Expected::PartB));
            }
            self.close_section();
            self.out.index_start = n;
            self.phase = Phase::Index;
            return Ok(());
        }
        if (line.contains("الاجتماع") || line.contains("الدورة"))
            && let Some(heading) = read_heading(line)
        {
            let expected_kind = match self.phase {
                Phase::PartA => HeadingKind::Meeting,
                _ => HeadingKind::Session,
            };
            if heading.kind != expected_kind {
                // A session inside Part A means Part B's heading is missing.
                let expected = match self.phase {
                    Phase::PartA => Expected::PartB,
                    _ => Expected::MeetingHeading,
                };
                return Err(self.misplaced(n, line, expected));
            }
            return self.open_section(n, line, heading);
        }
        if let Some(sb) = self.current.as_mut() {
            sb.section.lines.extend_to(n);
        }
        if line.starts_with(['⁽', '('])
            && let Some(caps) = FOOTNOTE.captures(line)
        {
            let digits: String = caps
                .get(1)
                .map(|m| m.as_str().chars().filter_map(superscript_digit).collect())
                .or_else(|| caps.get(2).map(|m| m.as_str().to_owned()))
                .unwrap_or_default();
            if let Some(number) = parse_number(&digits)
                && !line[caps.get(0).map_or(line.len(), |m| m.end())..]
                    .trim()
                    .is_empty()
            {
                let text = line[caps.get(0).map_or(line.len(), |m| m.end())..]
                    .trim()
                    .to_owned();
                if let Some((_, first)) = self.footnote_texts.get(&number) {
                    let first = *first;
                    self.finding(
                        Severity::Warning,
                        FindingCode::FootnoteDuplicate,
                        n,
                        format!("footnote {number} is printed twice (first at line {first}); the first text is kept"),
                        format!("الحاشية {number} مطبوعة مرتين (أولاهما في السطر {first})"),
                    );
                } else {
                    self.footnote_texts.insert(number, (text, n));
                }
                return Ok(());
            }
        }
        if self.current.is_none() {
            self.finding(
                Severity::Warning,
                FindingCode::TextOutsideSection,
                n,
                format!(
                    "text before the first section heading, not placed: «{}»",
                    short(line)
                ),
                format!("نص قبل أول عنوان قسم، لم يُدرج: «{}»", short(line)),
            );
            return Ok(());
        }
        if self.phase == Phase::PartB && self.session_prelude(n, line) {
            return Ok(());
        }
        self.provision_line(n, line);
        Ok(())
    }

    /// Part B lines between a session heading and the first provision:
    /// instrument, title and chapeau. Returns whether the line was taken.
    fn session_prelude(&mut self, n: u32, line: &str) -> bool {
        let Some(sb) = self.current.as_mut() else {
            return false;
        };
        let Some((session, _, instrument)) = sb.session.as_mut() else {
            return false;
        };
        if instrument.is_none()
            && let Some(found) = read_instrument(line)
        {
            *instrument = Some(found);
            let session = *session;
            sb.section.lines.extend_to(n);
            if found.session != session {
                let (en, ar) = (found.canonical(), found.arabic());
                self.finding(
                        Severity::Warning,
                        FindingCode::InstrumentSessionMismatch,
                        n,
                        format!("{en} was not adopted at session {session}, yet it stands under that session's heading"),
                        format!("{ar} لم يُعتمد في الدورة {session} مع أنه تحت عنوانها"),
                    );
            }
            return true;
        }
        let Some(sb) = self.current.as_ref() else {
            return false;
        };
        if sb.operative_seen
            || sb.preambles > 0
            || !matches!(self.open, Open::Nothing | Open::Title)
        {
            return false;
        }
        if CHAPEAU.is_match(line) {
            self.close_open();
            self.open = Open::Chapeau;
            self.append(n, line);
            return true;
        }
        if !is_label(line) {
            self.open = Open::Title;
            self.append(n, line);
            return true;
        }
        false
    }

    // Longer than 100 lines on purpose: the labels that open a provision
    // (paragraph, letter, item, preambular) are one decision with shared state
    // (the open block, the last numbers); splitting it would hide their order
    // of precedence.
    fn provision_line(&mut self, n: u32, line: &str) {
        let Some(sb) = self.current.as_ref() else {
            return;
        };
        let section = sb.section.id;
        let lead = lead(line);
        if lead.is_some_and(is_digit)
            && let Some(caps) = PARA.captures(line)
            && let Some(num) = parse_number(&caps[1])
        {
            let rest = line[caps.get(0).map_or(line.len(), |m| m.end())..].to_owned();
            self.close_open();
            let expected = self
                .current
                .as_ref()
                .and_then(|s| s.last_para)
                .map_or(1, |p| p + 1);
            if num != expected {
                self.finding(
                    Severity::Warning,
                    FindingCode::ParagraphOutOfSequence,
                    n,
                    format!("paragraph {num} where {expected} was expected in section {section}"),
                    format!("الفقرة {num} حيث كان المتوقع الفقرة {expected} في القسم {section}"),
                );
            }
            if let Some(sb) = self.current.as_mut() {
                sb.last_para = Some(num);
                sb.letter = None;
                sb.last_item = None;
                sb.operative_seen = true;
            }
            self.open_provision(section, vec![Segment::Para(num)], &rest, n);
            return;
        }
        if lead == Some('(')
            && let Some(caps) = LETTER.captures(line)
            && let Some(letter) = Letter::from_arabic(&caps[1])
        {
            let rest = line[caps.get(0).map_or(line.len(), |m| m.end())..].to_owned();
            self.close_open();
            self.open_letter(section, letter, &rest, n);
            return;
        }
        if lead.is_some_and(|c| c == '\'' || is_digit(c))
            && let Some(caps) = ITEM.captures(line)
            && let Some(num) = parse_number(&caps[1])
        {
            let rest = line[caps.get(0).map_or(line.len(), |m| m.end())..].to_owned();
            let parent = self
                .current
                .as_ref()
                .and_then(|sb| Some((sb.last_para, sb.letter?)));
            if let Some((para, letter)) = parent {
                self.close_open();
                let expected = self
                    .current
                    .as_ref()
                    .and_then(|s| s.last_item)
                    .map_or(1, |i| i + 1);
                if num != expected {
                    self.finding(
                        Severity::Warning,
                        FindingCode::ItemOutOfSequence,
                        n,
                        format!("item '{num}' where '{expected}' was expected"),
                        format!("البند '{num}' حيث كان المتوقع البند '{expected}'"),
                    );
                }
                if let Some(sb) = self.current.as_mut() {
                    sb.last_item = Some(num);
                }
                let mut path: Vec<Segment> = para.map(Segment::Para).into_iter().collect();
                path.extend([Segment::Letter(letter), Segment::Item(num)]);
                self.open_provision(section, path, &rest, n);
                return;
            }
            self.finding(
                Severity::Warning,
                FindingCode::ItemWithoutSubparagraph,
                n,
                format!("item '{num}' outside any sub-paragraph; kept as text of the open block"),
                format!("البند '{num}' خارج أي فقرة فرعية؛ أُبقي نصاً ضمن الكتلة المفتوحة"),
            );
        }
        let preamble_allowed = self
            .current
            .as_ref()
            .is_some_and(|sb| sb.section.id.part == Part::B && !sb.operative_seen);
        if preamble_allowed && PREAMBLE.is_match(line) {
            self.close_open();
            let k = self.current.as_mut().map_or(1, |sb| {
                sb.preambles += 1;
                sb.preambles
            });
            self.open_provision(section, vec![Segment::Preamble(k)], line, n);
            return;
        }
        if matches!(self.open, Open::Nothing) {
            self.open = Open::Note;
        }
        self.append(n, line);
    }

    fn open_letter(&mut self, section: SectionId, letter: Letter, rest: &str, n: u32) {
        let Some(sb) = self.current.as_mut() else {
            return;
        };
        let expected = sb.letter.map_or(Letter::from_index(0), Letter::next);
        let para = sb.last_para;
        sb.letter = Some(letter);
        sb.last_item = None;
        sb.operative_seen = true;
        if Some(letter) != expected {
            let exp = expected.map_or("?", Letter::arabic);
            self.finding(
                Severity::Warning,
                FindingCode::LetterOutOfSequence,
                n,
                format!(
                    "sub-paragraph ({}) where ({exp}) was expected in section {section}",
                    letter.arabic()
                ),
                format!(
                    "الفقرة الفرعية ({}) حيث كان المتوقع ({exp}) في القسم {section}",
                    letter.arabic()
                ),
            );
        }
        let mut path: Vec<Segment> = para.map(Segment::Para).into_iter().collect();
        path.push(Segment::Letter(letter));
        self.open_provision(section, path, rest, n);
    }

    fn open_provision(&mut self, section: SectionId, path: Vec<Segment>, text: &str, n: u32) {
        match ProvisionId::new(section, path) {
            Ok(id) => self.open = Open::Provision(id, Acc::new(text, n)),
            Err(e) => {
                self.finding(
                    Severity::Error,
                    FindingCode::BadProvisionPath,
                    n,
                    format!(
                        "cannot place this provision ({}): «{}»",
                        e.reason,
                        short(text)
                    ),
                    format!("تعذّر وضع هذا الحكم: «{}»", short(text)),
                );
                self.open = Open::Note;
                self.append(n, text);
            }
        }
    }

    fn append(&mut self, n: u32, text: &str) {
        let Some(sb) = self.current.as_mut() else {
            return;
        };
        sb.section.lines.extend_to(n);
        match &mut self.open {
            Open::Provision(_, acc) => acc.push(text, n),
            Open::Title => sb.title.push(text, n),
            Open::Chapeau => sb.chapeau.push(text, n),
            Open::Note | Open::Nothing => sb.note.push(text, n),
        }
    }

    /// Closes the open block: pushes the provision and any inline
    /// sub-paragraphs found in it (or in the chapeau).
    fn close_open(&mut self) {
        let open = std::mem::replace(&mut self.open, Open::Nothing);
        let Some(section) = self.current.as_ref().map(|sb| sb.section.id) else {
            return;
        };
        match open {
            Open::Provision(id, acc) => {
                let inline = inline_enumeration(&acc.text);
                let head_end = inline.as_ref().map_or(acc.text.len(), |(h, _)| *h);
                let parent_path = id.path.clone();
                self.push_provision(id, &acc, 0, head_end);
                if let Some((_, items)) = inline {
                    let base: Vec<Segment> = parent_path
                        .iter()
                        .copied()
                        .filter(|s| matches!(s, Segment::Para(_)))
                        .collect();
                    self.push_inline(section, &base, &acc, &items);
                }
            }
            Open::Chapeau => {
                let Some(sb) = self.current.as_mut() else {
                    return;
                };
                let acc = std::mem::take(&mut sb.chapeau);
                if let Some((head_end, items)) = inline_enumeration(&acc.text) {
                    let mut head = acc.clone();
                    head.text.truncate(head_end);
                    sb.chapeau = head;
                    self.push_inline(section, &[], &acc, &items);
                } else {
                    sb.chapeau = acc;
                }
            }
            Open::Title | Open::Note | Open::Nothing => {}
        }
    }

    fn push_inline(
        &mut self,
        section: SectionId,
        base: &[Segment],
        acc: &Acc,
        items: &[InlineItem],
    ) {
        for item in items {
            let mut path = base.to_vec();
            path.push(Segment::Letter(item.letter));
            if let Some(sb) = self.current.as_mut() {
                sb.letter = Some(item.letter);
                sb.last_item = None;
                sb.operative_seen = true;
            }
            match ProvisionId::new(section, path) {
                Ok(id) => self.push_provision(id, acc, item.start, item.end),
                Err(e) => {
                    let line = acc.line_at(item.start);
                    self.finding(
                        Severity::Error,
                        FindingCode::BadProvisionPath,
                        line,
                        format!("cannot place an inline sub-paragraph: {}", e.reason),
                        "تعذّر وضع فقرة فرعية واردة داخل السطر".into(),
                    );
                }
            }
        }
    }

    fn push_provision(&mut self, id: ProvisionId, acc: &Acc, start: usize, end: usize) {
        let text = acc.text[start..end].trim().to_owned();
        let lines = acc.span(start, end);
        if !self.seen.insert(id.clone()) {
            self.finding(
                Severity::Error,
                FindingCode::DuplicateId,
                lines.start,
                format!(
                    "a second provision with id {id}; not added: «{}»",
                    short(&text)
                ),
                format!("حكم ثانٍ بالمعرّف {id}؛ لم يُضف: «{}»", short(&text)),
            );
            return;
        }
        let footnotes = self.note_markers(&text, Anchor::Provision(id.clone()), acc, start);
        self.out.provisions.push(Provision {
            id,
            text,
            footnotes,
            lines,
        });
    }

    /// Records the footnote markers of `text` (a slice of `acc` from
    /// `offset`) as standing at `anchor`; returns their numbers.
    fn note_markers(&mut self, text: &str, anchor: Anchor, acc: &Acc, offset: usize) -> Vec<u32> {
        let trimmed_shift = acc.text[offset..].len() - acc.text[offset..].trim_start().len();
        let mut numbers = Vec::new();
        for (number, pos) in footnote_markers(text) {
            let line = acc.line_at(offset + trimmed_shift + pos);
            self.markers.push((number, anchor.clone(), line));
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
        numbers
    }

    /// Opens the section `heading` names, unless it is in the record
    /// already (a section headed twice).
    fn open_section(
        &mut self,
        n: u32,
        line: &str,
        heading: crate::headings::Heading,
    ) -> Result<(), ParseError> {
        self.close_section();
        let part = match heading.kind {
            HeadingKind::Meeting => Part::A,
            HeadingKind::Session => Part::B,
        };
        let id = SectionId::new(part, heading.ordinal);
        if let Some(first) = self.out.sections.iter().find(|s| s.id == id) {
            return Err(ParseError {
                path: self.path.to_owned(),
                line: Some(n),
                kind: ErrorKind::SectionTwice {
                    section: id,
                    first: first.lines.start,
                },
            });
        }
        let expected = self
            .out
            .sections
            .iter()
            .rev()
            .find(|s| s.id.part == part)
            .map_or(1, |s| s.id.ordinal + 1);
        if heading.ordinal != expected {
            self.finding(
                Severity::Warning,
                FindingCode::SectionOutOfSequence,
                n,
                format!("section {id} where {part:?}.{expected} was expected"),
                format!("القسم {id} حيث كان المتوقع القسم {expected}"),
            );
        }
        let number = heading.number.unwrap_or(heading.ordinal);
        if heading.number.is_some_and(|k| k != heading.ordinal) {
            self.finding(
                Severity::Warning,
                FindingCode::HeadingNumberMismatch,
                n,
                format!(
                    "heading ordinal {} disagrees with the meeting/session number {number}",
                    heading.ordinal
                ),
                format!(
                    "الرقم الترتيبي للعنوان {} لا يطابق رقم الاجتماع/الدورة {number}",
                    heading.ordinal
                ),
            );
        }
        let (meeting, session) = match part {
            Part::A => {
                let meeting = read_meeting(number, &heading.rest);
                if meeting.start.is_none() {
                    self.finding(
                        Severity::Warning,
                        FindingCode::MeetingDatesUnread,
                        n,
                        format!("could not read the dates of meeting {number}"),
                        format!("تعذّرت قراءة تواريخ الاجتماع {number}"),
                    );
                }
                (Some(meeting), None)
            }
            Part::B => (None, None),
        };
        let footnotes = self.note_markers(line, Anchor::Section(id), &Acc::new(line, n), 0);
        self.current = Some(SectionBuilder {
            section: Section {
                id,
                heading: line.to_owned(),
                meeting,
                session,
                note: None,
                footnotes,
                symbol: None,
                lines: LineSpan::line(n),
                imported: None,
            },
            title: Acc::default(),
            chapeau: Acc::default(),
            note: Acc::default(),
            last_para: None,
            letter: None,
            last_item: None,
            preambles: 0,
            operative_seen: false,
            session: (part == Part::B).then(|| (number, read_year(&heading.rest), None)),
        });
        Ok(())
    }

    fn close_section(&mut self) {
        self.close_open();
        let Some(mut sb) = self.current.take() else {
            return;
        };
        let id = sb.section.id;
        for acc in [&sb.title, &sb.chapeau, &sb.note] {
            let text = acc.text.clone();
            let numbers = self.note_markers(&text, Anchor::Section(id), acc, 0);
            for number in numbers {
                if !sb.section.footnotes.contains(&number) {
                    sb.section.footnotes.push(number);
                }
            }
        }
        if !sb.note.is_empty() {
            sb.section.note = Some(sb.note.text.clone());
        }
        let header_line = sb.section.lines.start;
        match sb.session {
            Some((session, year, Some(instrument))) => {
                sb.section.session = Some(CopSession {
                    session,
                    year,
                    instrument,
                    title: sb.title.text.clone(),
                    chapeau: sb.chapeau.text.clone(),
                });
            }
            Some((_, _, None)) => self.finding(
                Severity::Error,
                FindingCode::InstrumentMissing,
                header_line,
                format!("section {id} has no decision or resolution line («المقرر …»/«القرار …»)"),
                format!("القسم {id} يخلو من سطر المقرر أو القرار"),
            ),
            None => {}
        }
        self.out.sections.push(sb.section);
    }

    fn finding(
        &mut self,
        severity: Severity,
        code: FindingCode,
        line: u32,
        message: String,
        message_ar: String,
    ) {
        self.out.findings.push(Finding {
            severity,
            code,
            line,
            message,
            message_ar,
        });
    }

    /// Attaches footnotes to where their markers stand, and reports markers
    /// without text and texts without marker.
    fn finish(mut self) -> Body {
        let texts = std::mem::take(&mut self.footnote_texts);
        let markers = std::mem::take(&mut self.markers);
        for (number, (text, line)) in &texts {
            let anchor = markers
                .iter()
                .find(|(m, _, _)| m == number)
                .map(|(_, a, _)| a.clone());
            if anchor.is_none() {
                self.finding(
                    Severity::Warning,
                    FindingCode::FootnoteMarkerMissing,
                    *line,
                    format!("footnote {number} has no marker in the text"),
                    format!("الحاشية {number} لا علامة لها في النص"),
                );
            }
            self.out.footnotes.push(Footnote {
                number: *number,
                text: text.clone(),
                line: *line,
                anchor,
            });
        }
        let mut reported = Vec::new();
        for (number, anchor, line) in &markers {
            if !texts.contains_key(number) && !reported.contains(number) {
                reported.push(*number);
                self.finding(
                    Severity::Warning,
                    FindingCode::FootnoteTextMissing,
                    *line,
                    format!("the marker ⁽{number}⁾ in {anchor} has no footnote text in the source"),
                    format!("العلامة ({number}) في {anchor} ليس لها نص حاشية في المصدر"),
                );
            }
        }
        self.out.findings.sort_by_key(|f| f.line);
        self.out
    }
}

/// The first character of a line after an optional list dash: a cheap
/// filter before the label regexes.
fn lead(line: &str) -> Option<char> {
    let rest = line.strip_prefix('-').map_or(line, str::trim_start);
    rest.chars().next()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('٠'..='٩').contains(&c)
}

/// Whether a line opens a provision (paragraph, sub-paragraph or item).
fn is_label(line: &str) -> bool {
    PARA.is_match(line)
        || LETTER
            .captures(line)
            .is_some_and(|c| Letter::from_arabic(&c[1]).is_some())
        || ITEM.is_match(line)
}

/// The first 60 characters of `s`, for messages.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}
