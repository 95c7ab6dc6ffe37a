//! The thematic index (الفهرس المواضيعي): the table rows at the end of the
//! source → topics, the provisions filed under them, and the report
//! citations of each row. Page-header rows are skipped; a row with an empty
//! topic cell continues the topic above; «(تابع)» continues a topic from a
//! previous page; a label glued to the end of the location cell is
//! recovered; rows whose labels were lost become unlabelled topics (and
//! findings) that an erratum can name.

mod crosscheck;
mod report;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use fihris_model::FindingCode;
use fihris_model::location::read_location;
use fihris_model::translit::path_slug;
use fihris_model::{
    Finding, IndexRow, Instrument, InstrumentKind, Part, ProvisionId, SectionId, Severity, Topic,
    TopicId,
};
use regex::Regex;

pub use crosscheck::cross_check;

use crate::errata::Errata;
use crate::register::TopicRegister;

static SYMBOL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"CTOC/COP(?:/WG\.4)?/\d{4}/\d+").expect("static regex"));
static INSTRUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(المقرر|القرار)\s+([0-9٠-٩]+)\s*/\s*([0-9٠-٩]+)").expect("static regex")
});

/// «(تابع)»: the topic continues from a previous page.
const CONTINUED: &str = "(تابع)";

/// One data row as read, before cross-checking.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// The row as exported.
    pub row: IndexRow,
    /// The report-paragraph cell.
    pub report_cell: String,
    /// The 2019 recommendations cell.
    pub recs_cell: String,
    /// Location ids that name no provision (kept for the cross-check).
    pub unresolved: Vec<ProvisionId>,
    /// Position of the row's topic in [`Index::topics`].
    pub topic: usize,
}

/// What the index gives.
#[derive(Debug, Default)]
pub struct Index {
    /// Topics in index order.
    pub topics: Vec<Topic>,
    /// Data rows.
    pub rows: Vec<RawRow>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Location references read, and how many resolved to provisions.
    pub references: usize,
    /// Location references that resolved.
    pub resolved: usize,
}

fn finding(severity: Severity, code: FindingCode, line: u32, en: String, ar: String) -> Finding {
    Finding {
        severity,
        code,
        line,
        message: en,
        message_ar: ar,
    }
}

/// Reads the index rows (`lines`: numbered lines after the index heading)
/// against the provisions that exist; topics take their ids from the
/// register.
pub(crate) fn read_index<'a>(
    lines: impl Iterator<Item = (u32, &'a str)>,
    existing: &HashSet<&ProvisionId>,
    errata: &Errata,
    register: &TopicRegister,
) -> Index {
    let mut reader = Reader {
        index: Index::default(),
        existing,
        errata,
        register,
        current: None,
        part: Part::A,
        page_width: 6,
        last_section: None,
    };
    for (n, line) in lines {
        reader.line(n, line);
    }
    let mut index = reader.index;
    finish_topics(&mut index, register);
    index
}

/// The state of reading the index table, row by row.
struct Reader<'r, 'e> {
    index: Index,
    existing: &'r HashSet<&'e ProvisionId>,
    errata: &'r Errata,
    register: &'r TopicRegister,
    /// The topic rows are filed under.
    current: Option<usize>,
    /// The part the location cells are read in (a topic starts in Part A).
    part: Part,
    /// Cells in this page's header row (a page whose topic column is lost
    /// has fewer than 6).
    page_width: usize,
    /// Section of the last location read.
    last_section: Option<SectionId>,
}

/// The cells of one data row, around the document-symbol cell.
struct Cells<'a> {
    cells: Vec<&'a str>,
    /// Position of the document-symbol cell.
    symbols: usize,
}

impl<'a> Cells<'a> {
    fn at(&self, offset: isize) -> &'a str {
        self.symbols
            .checked_add_signed(offset)
            .and_then(|i| self.cells.get(i))
            .copied()
            .unwrap_or("")
    }

    fn location(&self) -> &'a str {
        self.at(1)
    }

    fn topic(&self) -> String {
        self.cells
            .get(self.symbols + 2..)
            .map(|c| c.join(" ").trim().to_owned())
            .unwrap_or_default()
    }
}

impl Reader<'_, '_> {
    /// Phase 1: one line of the table — a page header, a data row, or a
    /// row without a document symbol (a finding).
    fn line(&mut self, n: u32, line: &str) {
        if !line.contains('\t') {
            return;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells
            .iter()
            .any(|c| c.contains("رمز الوثيقة") || *c == "الموضوع" || c.starts_with("تقرير الاجتماع"))
        {
            self.page_width = cells.len();
            return;
        }
        let Some(symbols) = cells.iter().position(|c| c.contains("CTOC/COP")) else {
            self.index.findings.push(finding(
                Severity::Warning,
                FindingCode::IndexRowUnread,
                n,
                "index row without a document symbol; not read".into(),
                "صف في الفهرس بلا رمز وثيقة؛ لم يُقرأ".into(),
            ));
            return;
        };
        self.row(n, &Cells { cells, symbols });
    }

    /// A data row: which topic it files under, then what it files.
    fn row(&mut self, n: u32, cells: &Cells) {
        let location_cell = cells.location();
        // Read the location first: a label may be glued to its end.
        let probe_part = self.part;
        let probe = read_location(location_cell, self.part);
        let topic_cell = cells.topic();
        let label = if topic_cell.is_empty() {
            probe.glued_label.clone().unwrap_or_default()
        } else {
            topic_cell
        };
        let (label, continued) = match label.strip_suffix(CONTINUED) {
            Some(l) => (l.trim().to_owned(), true),
            None => (label, false),
        };
        let first_section = probe.ids.first().map(|id| id.section);
        self.choose_topic(n, label, continued, first_section);
        // A new topic starts in Part A: read again only if the probe
        // started elsewhere.
        let loc = if probe_part == self.part {
            probe
        } else {
            read_location(location_cell, self.part)
        };
        self.file(n, cells, loc);
    }

    /// Phase 2: the row continues the current topic, returns to an earlier
    /// one (same label), or opens a new one (a new label; or, on a page
    /// whose topic column is lost, where the meetings' order restarts).
    fn choose_topic(
        &mut self,
        n: u32,
        label: String,
        continued: bool,
        first_section: Option<SectionId>,
    ) {
        let restart = matches!((self.last_section, first_section), (Some(a), Some(b)) if b < a);
        let new_topic = if label.is_empty() {
            self.current.is_none() || (self.page_width < 6 && restart)
        } else if let Some(k) = self.index.topics.iter().position(|t| t.label == label) {
            if !continued {
                self.index.findings.push(finding(
                    Severity::Info,
                    FindingCode::IndexLabelRepeated,
                    n,
                    format!("topic «{label}» appears again without «(تابع)»; rows merged"),
                    format!("الموضوع «{label}» يتكرر دون «(تابع)»؛ دُمجت صفوفه"),
                ));
            }
            self.current = Some(k);
            false
        } else {
            true
        };
        if new_topic {
            self.open_topic(n, label);
        }
    }

    /// A new topic from line `n`: named by an erratum if its label was
    /// lost; its id from the register, or provisional until all labels
    /// are known.
    fn open_topic(&mut self, n: u32, printed: String) {
        let unlabelled = printed.is_empty();
        let registered = self.register.find(&printed, n);
        let (label, named_by_erratum) = match (unlabelled, self.errata.index_label(n)) {
            (true, Some(name)) => (name.to_owned(), true),
            _ => (printed, false),
        };
        if named_by_erratum {
            self.index.findings.push(finding(
                Severity::Info,
                FindingCode::IndexLabelErratum,
                n,
                format!("topic label lost in the source; named «{label}» by the errata file"),
                format!("تسمية الموضوع مفقودة في المصدر؛ سُمّي «{label}» في ملف التصويبات"),
            ));
        }
        let provisional = if label.is_empty() {
            format!("unlabelled-{n}")
        } else {
            format!("topic-{n}")
        };
        let (id, label_en) = match registered {
            Some((id, en)) => (id.clone(), Some(en.to_owned())),
            None => (TopicId::slug(&provisional), None),
        };
        self.index.topics.push(Topic {
            id,
            label,
            label_en,
            former_ids: Vec::new(),
            path: Vec::new(),
            provisions: Vec::new(),
            rows: Vec::new(),
            unlabelled: unlabelled && !named_by_erratum,
        });
        self.current = Some(self.index.topics.len() - 1);
        self.part = Part::A;
    }

    /// Phase 3: the row's location resolved against the provisions (an id
    /// that names none is a finding), filed under the current topic.
    fn file(&mut self, n: u32, cells: &Cells, loc: fihris_model::location::Location) {
        let location_cell = cells.location();
        self.part = loc.part;
        if let Some(last) = loc.ids.last() {
            self.last_section = Some(last.section);
        }
        for (en, ar) in &loc.problems {
            self.index.findings.push(finding(
                Severity::Warning,
                FindingCode::IndexLocationUnreadable,
                n,
                format!("{en} in «{location_cell}»"),
                format!("{ar} في «{location_cell}»"),
            ));
        }
        let Some(t) = self.current else { return };
        let topic = &mut self.index.topics[t];
        topic.rows.push(n);
        let mut provisions = Vec::new();
        let mut unresolved = Vec::new();
        for id in loc.ids {
            self.index.references += 1;
            if self.existing.contains(&id) {
                self.index.resolved += 1;
                if !topic.provisions.contains(&id) {
                    topic.provisions.push(id.clone());
                }
                provisions.push(id);
            } else {
                self.index.findings.push(finding(
                    Severity::Warning,
                    FindingCode::IndexLocationUnknown,
                    n,
                    format!(
                        "the index names {} ({}), which is not a provision of the compendium",
                        id,
                        id.cite_en()
                    ),
                    format!("يشير الفهرس إلى {} وهو ليس حكماً في الخلاصة", id.cite_ar()),
                ));
                unresolved.push(id);
            }
        }
        let topic_id = topic.id.clone();
        self.index.rows.push(RawRow {
            row: IndexRow {
                line: n,
                topic: topic_id,
                location: location_cell.to_owned(),
                provisions,
                symbols: SYMBOL
                    .find_iter(cells.at(0))
                    .map(|m| m.as_str().to_owned())
                    .collect(),
                instruments: read_instruments(cells.at(-1)),
                report: Vec::new(),
            },
            report_cell: cells.at(-2).to_owned(),
            recs_cell: cells.at(-3).to_owned(),
            unresolved,
            topic: t,
        });
    }
}

/// Instruments named in a decision cell («المقرر 3/3 القرار 2/5»).
fn read_instruments(cell: &str) -> Vec<Instrument> {
    INSTRUMENT
        .captures_iter(cell)
        .filter_map(|c| {
            let kind = if &c[1] == "المقرر" {
                InstrumentKind::Decision
            } else {
                InstrumentKind::Resolution
            };
            Some(Instrument {
                kind,
                number: fihris_model::numerals::parse_number(&c[2])?,
                session: fihris_model::numerals::parse_number(&c[3])?,
            })
        })
        .collect()
}

/// Paths, ids and findings, once all labels are known. A topic the
/// register names keeps its registered id (the transliterated slug it had
/// before stays as a former id); any other gets that slug as its id, and a
/// finding when a register is in force.
fn finish_topics(index: &mut Index, register: &TopicRegister) {
    let head = |label: &str| {
        label
            .split_once('،')
            .map(|(h, r)| (h.trim().to_owned(), r.trim().to_owned()))
    };
    let mut head_count: HashMap<String, usize> = HashMap::new();
    for t in &index.topics {
        if let Some((h, _)) = head(&t.label) {
            *head_count.entry(h).or_default() += 1;
        }
    }
    let mut used: HashSet<String> = HashSet::new();
    for t in &mut index.topics {
        t.path = match head(&t.label) {
            Some((h, rest)) if head_count.get(&h).copied().unwrap_or(0) >= 2 => vec![h, rest],
            _ if t.label.is_empty() => Vec::new(),
            _ => vec![t.label.clone()],
        };
        let first = t.rows.first().copied().unwrap_or(0);
        let slug = if t.label.is_empty() {
            format!("unlabelled-{first}")
        } else {
            let base = path_slug(&t.path);
            let mut id = base.clone();
            let mut k = 2;
            while used.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            id
        };
        used.insert(slug.clone());
        if t.label_en.is_some() {
            if slug != t.id.as_str() {
                t.former_ids.push(slug);
            }
        } else {
            t.id = TopicId::slug(&slug);
            if !register.is_empty() {
                index.findings.push(finding(
                    Severity::Info,
                    FindingCode::TopicUnregistered,
                    first,
                    format!(
                        "topic «{}» is not in the topic register; its id `{}` is transliterated until an editor registers it",
                        t.label, t.id
                    ),
                    format!(
                        "الموضوع «{}» غير مسجَّل في سجل المواضيع؛ معرّفه `{}` مؤقت حتى يسجّله محرر",
                        t.label, t.id
                    ),
                ));
            }
        }
        if t.unlabelled {
            let last = t.rows.last().copied().unwrap_or(first);
            index.findings.push(finding(
                Severity::Warning,
                FindingCode::IndexLabelLost,
                first,
                format!(
                    "index rows {first}–{last} lost their topic label in the extraction; their {} provisions are kept under topic `{}` (name it in corpus/errata.toml)",
                    t.provisions.len(),
                    t.id
                ),
                format!(
                    "فقدت صفوف الفهرس {first}–{last} تسمية موضوعها؛ أُبقيت أحكامها ({}) تحت الموضوع `{}` (سمّه في ملف التصويبات)",
                    t.provisions.len(),
                    t.id
                ),
            ));
        }
    }
    for r in &mut index.rows {
        if let Some(t) = index.topics.get(r.topic) {
            r.row.topic = t.id.clone();
        }
    }
}
