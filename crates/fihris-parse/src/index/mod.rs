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

use fihris_model::location::read_location;
use fihris_model::translit::path_slug;
use fihris_model::{
    Finding, IndexRow, Instrument, InstrumentKind, Part, ProvisionId, SectionId, Severity, Topic,
};
use regex::Regex;

pub use crosscheck::{CrossCheck, cross_check};
pub use report::{Cited, read_report_cell};

use crate::errata::Errata;

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

fn finding(severity: Severity, code: &'static str, line: u32, en: String, ar: String) -> Finding {
    Finding {
        severity,
        code,
        line,
        message: en,
        message_ar: ar,
    }
}

/// Reads the index rows (`lines`: numbered lines after the index heading)
/// against the provisions that exist.
pub fn read_index<'a>(
    lines: impl Iterator<Item = (u32, &'a str)>,
    existing: &HashSet<&ProvisionId>,
    errata: &Errata,
) -> Index {
    let mut index = Index::default();
    let mut current: Option<usize> = None;
    let mut part = Part::A;
    let mut page_width = 6;
    let mut last_section: Option<SectionId> = None;
    for (n, line) in lines {
        if !line.contains('\t') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells
            .iter()
            .any(|c| c.contains("رمز الوثيقة") || *c == "الموضوع" || c.starts_with("تقرير الاجتماع"))
        {
            page_width = cells.len();
            continue;
        }
        let Some(s) = cells.iter().position(|c| c.contains("CTOC/COP")) else {
            index.findings.push(finding(
                Severity::Warning,
                "index-row-unread",
                n,
                "index row without a document symbol; not read".into(),
                "صف في الفهرس بلا رمز وثيقة؛ لم يُقرأ".into(),
            ));
            continue;
        };
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied().unwrap_or("");
        let location_cell = cell(Some(s + 1));
        let topic_cell = cells.get(s + 2..).map(|c| c.join(" ")).unwrap_or_default();
        let topic_cell = topic_cell.trim();

        // Where does this row file? Read the location first (a label may be
        // glued to its end).
        let probe_part = part;
        let probe = read_location(location_cell, part);
        let label = if topic_cell.is_empty() {
            probe.glued_label.clone().unwrap_or_default()
        } else {
            topic_cell.to_owned()
        };
        let (label, continued) = match label.strip_suffix(CONTINUED) {
            Some(l) => (l.trim().to_owned(), true),
            None => (label, false),
        };
        let first_section = probe.ids.first().map(|id| id.section);
        let restart = matches!((last_section, first_section), (Some(a), Some(b)) if b < a);
        let new_topic = if !label.is_empty() {
            let existing_topic = index.topics.iter().position(|t| t.label == label);
            match existing_topic {
                Some(k) => {
                    if !continued {
                        index.findings.push(finding(
                            Severity::Info,
                            "index-label-repeated",
                            n,
                            format!("topic «{label}» appears again without «(تابع)»; rows merged"),
                            format!("الموضوع «{label}» يتكرر دون «(تابع)»؛ دُمجت صفوفه"),
                        ));
                    }
                    current = Some(k);
                    false
                }
                None => true,
            }
        } else {
            current.is_none() || (page_width < 6 && restart)
        };
        if new_topic {
            let unlabelled = label.is_empty();
            let (label, named_by_erratum) = match (unlabelled, errata.index_label(n)) {
                (true, Some(name)) => (name.to_owned(), true),
                _ => (label, false),
            };
            if named_by_erratum {
                index.findings.push(finding(
                    Severity::Info,
                    "index-label-erratum",
                    n,
                    format!("topic label lost in the source; named «{label}» by the errata file"),
                    format!("تسمية الموضوع مفقودة في المصدر؛ سُمّي «{label}» في ملف التصويبات"),
                ));
            }
            index.topics.push(Topic {
                id: if label.is_empty() {
                    format!("unlabelled-{n}")
                } else {
                    String::new()
                },
                label,
                path: Vec::new(),
                provisions: Vec::new(),
                rows: Vec::new(),
                unlabelled: unlabelled && !named_by_erratum,
            });
            current = Some(index.topics.len() - 1);
            part = Part::A;
        }
        // A new topic starts in Part A: read again only if the probe
        // started elsewhere.
        let loc = if probe_part == part {
            probe
        } else {
            read_location(location_cell, part)
        };
        part = loc.part;
        if let Some(last) = loc.ids.last() {
            last_section = Some(last.section);
        }
        for (en, ar) in &loc.problems {
            index.findings.push(finding(
                Severity::Warning,
                "index-location-unreadable",
                n,
                format!("{en} in «{location_cell}»"),
                format!("{ar} في «{location_cell}»"),
            ));
        }
        let Some(t) = current else { continue };
        let topic = &mut index.topics[t];
        topic.rows.push(n);
        let mut provisions = Vec::new();
        let mut unresolved = Vec::new();
        for id in loc.ids {
            index.references += 1;
            if existing.contains(&id) {
                index.resolved += 1;
                if !topic.provisions.contains(&id) {
                    topic.provisions.push(id.clone());
                }
                provisions.push(id);
            } else {
                index.findings.push(finding(
                    Severity::Warning,
                    "index-location-unknown",
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
        index.rows.push(RawRow {
            row: IndexRow {
                line: n,
                topic: String::new(),
                location: location_cell.to_owned(),
                provisions,
                symbols: SYMBOL
                    .find_iter(cell(Some(s)))
                    .map(|m| m.as_str().to_owned())
                    .collect(),
                instruments: read_instruments(cell(s.checked_sub(1))),
                report: Vec::new(),
            },
            report_cell: cell(s.checked_sub(2)).to_owned(),
            recs_cell: cell(s.checked_sub(3)).to_owned(),
            unresolved,
            topic: t,
        });
    }
    finish_topics(&mut index);
    index
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

/// Paths, ids and findings for unlabelled topics, once all labels are known.
fn finish_topics(index: &mut Index) {
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
        if t.id.is_empty() {
            let base = path_slug(&t.path);
            let mut id = base.clone();
            let mut k = 2;
            while used.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            t.id = id;
        }
        used.insert(t.id.clone());
        if t.unlabelled {
            let first = t.rows.first().copied().unwrap_or(0);
            let last = t.rows.last().copied().unwrap_or(first);
            index.findings.push(finding(
                Severity::Warning,
                "index-label-lost",
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
