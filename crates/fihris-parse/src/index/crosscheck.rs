//! Cross-check of the index's parallel columns: which report each section
//! comes from, the fixed offset between report paragraphs and compendium
//! paragraphs for each meeting, and every row whose two columns disagree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use fihris_model::FindingCode;
use fihris_model::{
    Finding, Part, ProvisionId, ReportOffset, ReportRef, SectionId, Segment, Severity,
};

use super::report::{Cited, read_report_cell};
use super::{RawRow, finding};

/// The report whose index column numbers recommendations, not paragraphs.
const RECOMMENDATIONS_REPORT: &str = "CTOC/COP/WG.4/2019/6";

/// What the cross-check derives.
#[derive(Debug, Default)]
pub struct CrossCheck {
    /// Offsets per report, in section order.
    pub reports: Vec<ReportOffset>,
    /// Report symbol of each section.
    pub symbols: BTreeMap<SectionId, String>,
    /// Disagreements and other findings.
    pub findings: Vec<Finding>,
}

fn is_wg(symbol: &str) -> bool {
    symbol.contains("/WG.4/")
}

/// Top-level numbers of the ids in `section`: paragraphs (or, for a
/// decision without numbered paragraphs, 0).
fn paras_in(ids: &[ProvisionId], section: SectionId) -> BTreeSet<u32> {
    ids.iter()
        .filter(|id| id.section == section)
        .filter_map(|id| match id.path.first() {
            Some(Segment::Para(n)) => Some(*n),
            _ => None,
        })
        .collect()
}

fn row_ids(r: &RawRow) -> Vec<ProvisionId> {
    r.row
        .provisions
        .iter()
        .chain(&r.unresolved)
        .cloned()
        .collect()
}

fn sections_of(ids: &[ProvisionId], part: Part) -> BTreeSet<SectionId> {
    ids.iter()
        .map(|id| id.section)
        .filter(|s| s.part == part)
        .collect()
}

/// A comparable key of a COP reference: (preambular, paragraph or 0,
/// letter).
type Key = (bool, u32, Option<fihris_model::Letter>);

fn key_of_id(id: &ProvisionId) -> Key {
    match id.path.as_slice() {
        [Segment::Preamble(k), ..] => (true, *k, None),
        [Segment::Para(n), Segment::Letter(l), ..] => (false, *n, Some(*l)),
        [Segment::Para(n), ..] => (false, *n, None),
        [Segment::Letter(l), ..] => (false, 0, Some(*l)),
        _ => (false, 0, None),
    }
}

fn key_of_cited(c: &super::report::Cited) -> Key {
    (c.preambular, c.paragraph, c.letter)
}

/// Whether `k` is matched in `set`: exactly, or a paragraph by one of its
/// sub-paragraphs (and the reverse).
fn covered(k: &Key, set: &BTreeSet<Key>) -> bool {
    set.contains(k)
        || set.iter().any(|o| {
            o.0 == k.0
                && ((o.1 == k.1 && k.1 > 0 && (o.2.is_none() || k.2.is_none()))
                    // «(ج) 7» printed right-to-left: a bare letter matches
                    // the same letter of any paragraph.
                    || ((o.1 == 0 || k.1 == 0) && o.2.is_some() && o.2 == k.2))
        })
}

fn show_key(k: &Key) -> String {
    let letter = k.2.map(|l| format!(" ({})", l.latin())).unwrap_or_default();
    match (k.0, k.1) {
        (true, n) => format!("PP {n}"),
        (false, 0) => letter.trim().to_owned(),
        (false, n) => format!("{n}{letter}"),
    }
}

fn mode(values: &[i32]) -> Option<(i32, usize)> {
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(*v).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(v, c)| (*c, -v.abs()))
}

/// A row's location ids and cited paragraphs, read once.
struct Prepared {
    ids: Vec<ProvisionId>,
    report: Vec<Cited>,
    recs: Vec<Cited>,
}

/// What phases 1 and 2 derive, which phase 3 checks every row against.
struct Derived {
    /// The section each report symbol stands for.
    section_of: HashMap<String, SectionId>,
    /// report paragraph − compendium paragraph, by report symbol.
    offsets: HashMap<String, i32>,
}

/// Cross-checks the rows in three phases — which section each report
/// stands for (votes), each report's offset (the mode of paragraph
/// differences), then every row against both — and fills each row's
/// report references.
pub fn cross_check(rows: &mut [RawRow]) -> CrossCheck {
    let mut out = CrossCheck::default();
    let prepared: Vec<Prepared> = rows
        .iter()
        .map(|r| Prepared {
            ids: row_ids(r),
            report: read_report_cell(&r.report_cell),
            recs: read_report_cell(&r.recs_cell),
        })
        .collect();
    let section_of = vote_sections(rows, &prepared);
    for (symbol, section) in &section_of {
        let entry = out
            .symbols
            .entry(*section)
            .or_insert_with(|| symbol.clone());
        // Deterministic whatever the map's order: the least symbol wins.
        if symbol < entry {
            *entry = symbol.clone();
        }
    }
    let derived = derive_offsets(rows, &prepared, section_of, &mut out.reports);
    for (r, prep) in rows.iter_mut().zip(&prepared) {
        derived.check_row(r, prep, &mut out.findings);
    }
    out
}

/// Phase 1: which section does each symbol stand for? Votes from rows that
/// name one symbol of a kind and one section of the matching part.
fn vote_sections(rows: &[RawRow], prepared: &[Prepared]) -> HashMap<String, SectionId> {
    let mut votes: HashMap<String, BTreeMap<SectionId, usize>> = HashMap::new();
    for (r, prep) in rows.iter().zip(prepared) {
        for (wg, part) in [(true, Part::A), (false, Part::B)] {
            let symbols: Vec<&String> = r.row.symbols.iter().filter(|s| is_wg(s) == wg).collect();
            let sections = sections_of(&prep.ids, part);
            if let ([symbol], [section]) = (
                symbols.as_slice(),
                sections.iter().collect::<Vec<_>>().as_slice(),
            ) {
                *votes
                    .entry((*symbol).clone())
                    .or_default()
                    .entry(**section)
                    .or_default() += 1;
            }
        }
    }
    votes
        .iter()
        .filter_map(|(symbol, tally)| {
            tally
                .iter()
                .max_by_key(|(s, c)| (**c, std::cmp::Reverse(**s)))
                .map(|(section, _)| (symbol.clone(), *section))
        })
        .collect()
}

/// Phase 2: each report's offset, from rows with one report symbol and one
/// section (the 2019 recommendations column is compared with section IX
/// alone); the offsets go to `reports` in section order.
fn derive_offsets(
    rows: &[RawRow],
    prepared: &[Prepared],
    section_of: HashMap<String, SectionId>,
    reports: &mut Vec<ReportOffset>,
) -> Derived {
    let mut diffs: HashMap<String, Vec<i32>> = HashMap::new();
    let nine = section_of.get(RECOMMENDATIONS_REPORT).copied();
    for (r, prep) in rows.iter().zip(prepared) {
        let wg: Vec<&String> = r
            .row
            .symbols
            .iter()
            .filter(|s| is_wg(s) && s.as_str() != RECOMMENDATIONS_REPORT)
            .collect();
        let other_sections = sections_of(&prep.ids, Part::A)
            .into_iter()
            .filter(|s| Some(*s) != nine)
            .count();
        let mut candidates: Vec<(&String, &Vec<Cited>)> = Vec::new();
        if let ([only], 1) = (wg.as_slice(), other_sections) {
            candidates.push((only, &prep.report));
        }
        if let Some(recs) = r
            .row
            .symbols
            .iter()
            .find(|s| s.as_str() == RECOMMENDATIONS_REPORT)
        {
            candidates.push((recs, &prep.recs));
        }
        for (symbol, cell) in candidates {
            let Some(section) = section_of.get(symbol).copied() else {
                continue;
            };
            let cited: BTreeSet<u32> = cell
                .iter()
                .filter(|c| !c.preambular && c.paragraph > 0)
                .map(|c| c.paragraph)
                .collect();
            let located = paras_in(&prep.ids, section);
            if !cited.is_empty() && cited.len() == located.len() {
                diffs.entry(symbol.clone()).or_default().extend(
                    cited
                        .iter()
                        .zip(&located)
                        .map(|(c, l)| *c as i32 - *l as i32),
                );
            }
        }
    }
    let mut offsets: HashMap<String, i32> = HashMap::new();
    for (symbol, d) in &diffs {
        if let (Some((offset, agreeing)), Some(section)) = (mode(d), section_of.get(symbol)) {
            offsets.insert(symbol.clone(), offset);
            reports.push(ReportOffset {
                symbol: symbol.clone(),
                section: *section,
                offset,
                recommendations: symbol.as_str() == RECOMMENDATIONS_REPORT,
                agreeing,
                pairs: d.len(),
            });
        }
    }
    reports.sort_by_key(|r| r.section);
    Derived {
        section_of,
        offsets,
    }
}

/// A row's symbols sorted by kind: Working Group reports other than the
/// 2019 one, and whether COP symbols stand beside them.
struct RowSymbols<'r> {
    all: &'r [String],
    wg: Vec<&'r String>,
    mixed: bool,
}

impl<'r> RowSymbols<'r> {
    fn of(symbols: &'r [String]) -> RowSymbols<'r> {
        let wg: Vec<&String> = symbols
            .iter()
            .filter(|s| is_wg(s) && s.as_str() != RECOMMENDATIONS_REPORT)
            .collect();
        let mixed = symbols.iter().any(|s| !is_wg(s)) && !wg.is_empty();
        RowSymbols {
            all: symbols,
            wg,
            mixed,
        }
    }
}

/// Report paragraph → the (symbol, section, compendium paragraph) it is
/// expected to cite under the derived offsets.
type Expected<'r> = HashMap<u32, Vec<(&'r String, SectionId, u32)>>;

impl Derived {
    /// Phase 3 for one row: its disagreements, then its report references.
    fn check_row(&self, r: &mut RawRow, prep: &Prepared, findings: &mut Vec<Finding>) {
        let line = r.row.line;
        let symbols = r.row.symbols.clone();
        let row = RowSymbols::of(&symbols);
        let expected = self.expected(&row, &prep.ids);
        self.orphan_sections(&row, &prep.ids, line, findings);
        if row.wg.is_empty() && !row.all.is_empty() {
            cop_paragraphs(&prep.ids, &prep.report, line, findings);
        }
        paragraph_columns(&row, &expected, &prep.report, line, findings);
        r.row.report = report_refs(&row, &expected, &prep.report);
        if row.all.iter().any(|s| s == RECOMMENDATIONS_REPORT) {
            let recs = self.recommendations(&prep.ids, &prep.recs, line, findings);
            r.row.report.extend(recs.iter().map(|p| ReportRef {
                symbol: RECOMMENDATIONS_REPORT.into(),
                paragraph: *p,
                letter: None,
                preambular: false,
            }));
        }
    }

    /// The report paragraphs the row's location paragraphs stand for.
    fn expected<'r>(&self, row: &RowSymbols<'r>, ids: &[ProvisionId]) -> Expected<'r> {
        let mut expected: Expected = HashMap::new();
        for symbol in &row.wg {
            let (Some(section), Some(offset)) =
                (self.section_of.get(*symbol), self.offsets.get(*symbol))
            else {
                continue;
            };
            for c in paras_in(ids, *section) {
                let report_para = (c as i32 + offset).max(0) as u32;
                expected
                    .entry(report_para)
                    .or_default()
                    .push((symbol, *section, c));
            }
        }
        expected
    }

    /// Location sections whose report the row does not name.
    fn orphan_sections(
        &self,
        row: &RowSymbols,
        ids: &[ProvisionId],
        line: u32,
        findings: &mut Vec<Finding>,
    ) {
        let named: BTreeSet<SectionId> = row
            .all
            .iter()
            .filter_map(|s| self.section_of.get(s))
            .copied()
            .collect();
        let orphans: BTreeSet<SectionId> = ids
            .iter()
            .map(|id| id.section)
            .filter(|s| !named.contains(s))
            .collect();
        for section in &orphans {
            let list: Vec<String> = ids
                .iter()
                .filter(|id| id.section == *section)
                .map(|id| id.cite_en())
                .collect();
            findings.push(finding(
                Severity::Warning,
                FindingCode::IndexColumnsDisagree,
                line,
                format!(
                    "the location column files {} but the row names no report for section {section}",
                    list.join(", ")
                ),
                format!("عمود الموقع يذكر أحكاماً من القسم {section} والصف لا يذكر تقريره"),
            ));
        }
    }

    /// The 2019 recommendation numbers of the row, checked against its
    /// section IX paragraphs.
    fn recommendations(
        &self,
        ids: &[ProvisionId],
        recs_cited: &[Cited],
        line: u32,
        findings: &mut Vec<Finding>,
    ) -> Vec<u32> {
        let recs: Vec<u32> = recs_cited
            .iter()
            .map(|c| c.paragraph)
            .filter(|p| *p > 0)
            .collect();
        let Some(section) = self.section_of.get(RECOMMENDATIONS_REPORT).copied() else {
            return recs;
        };
        let located = paras_in(ids, section);
        let recs_set: BTreeSet<u32> = recs.iter().copied().collect();
        if !recs.is_empty() && recs_set != located {
            let fmt = |s: &BTreeSet<u32>| {
                s.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            findings.push(finding(
                Severity::Warning,
                FindingCode::IndexColumnsDisagree,
                line,
                format!(
                    "the index row's 2019 recommendations ({}) differ from its {} paragraphs ({})",
                    fmt(&recs_set),
                    section.roman(),
                    fmt(&located)
                ),
                format!(
                    "توصيات 2019 في الصف ({}) تخالف فقرات القسم ({})",
                    fmt(&recs_set),
                    fmt(&located)
                ),
            ));
        }
        recs
    }
}

/// COP rows: the instrument paragraphs cited against the location.
fn cop_paragraphs(ids: &[ProvisionId], cited: &[Cited], line: u32, findings: &mut Vec<Finding>) {
    let located: BTreeSet<Key> = ids
        .iter()
        .filter(|id| id.section.part == Part::B)
        .map(key_of_id)
        .collect();
    let cited_keys: BTreeSet<Key> = cited.iter().map(key_of_cited).collect();
    let only_cited: Vec<String> = cited_keys
        .iter()
        .filter(|k| !covered(k, &located))
        .map(show_key)
        .collect();
    let only_located: Vec<String> = located
        .iter()
        .filter(|k| !covered(k, &cited_keys))
        .map(show_key)
        .collect();
    if !cited_keys.is_empty() && (!only_cited.is_empty() || !only_located.is_empty()) {
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".into()
            } else {
                v.join(", ")
            }
        };
        findings.push(finding(
            Severity::Warning,
            FindingCode::IndexColumnsDisagree,
            line,
            format!(
                "the instrument paragraphs cited ({}) and the location column ({}) disagree",
                list(&only_cited),
                list(&only_located),
            ),
            "فقرات المقرر أو القرار المذكورة لا تطابق عمود الموقع".into(),
        ));
    }
}

/// Working Group rows: location paragraphs whose report paragraph is
/// missing, and report paragraphs with no location counterpart.
fn paragraph_columns(
    row: &RowSymbols,
    expected: &Expected,
    cited: &[Cited],
    line: u32,
    findings: &mut Vec<Finding>,
) {
    let cited_numbers: BTreeSet<u32> = cited
        .iter()
        .filter(|c| !c.preambular && c.paragraph > 0)
        .map(|c| c.paragraph)
        .collect();
    let mut missing: Vec<String> = expected
        .iter()
        .filter(|(p, _)| !cited_numbers.contains(p))
        .flat_map(|(p, v)| {
            v.iter()
                .map(move |(s, sec, c)| format!("{}-{c} (report {s}, para. {p})", sec.roman()))
        })
        .collect();
    missing.sort();
    let extra: Vec<String> = if row.mixed || row.wg.is_empty() {
        Vec::new()
    } else {
        cited_numbers
            .iter()
            .filter(|p| !expected.contains_key(p))
            .map(ToString::to_string)
            .collect()
    };
    if missing.is_empty() && extra.is_empty() {
        return;
    }
    let mut en = Vec::new();
    let mut ar = Vec::new();
    if !missing.is_empty() {
        en.push(format!(
            "filed in the location column but absent from the report column: {}",
            missing.join(", ")
        ));
        ar.push(format!(
            "مذكورة في عمود الموقع وغائبة عن عمود التقرير: {}",
            missing.join("، ")
        ));
    }
    if !extra.is_empty() {
        en.push(format!(
            "report paragraphs with no counterpart in the location column: {}",
            extra.join(", ")
        ));
        ar.push(format!(
            "فقرات في عمود التقرير بلا مقابل في عمود الموقع: {}",
            extra.join("، ")
        ));
    }
    findings.push(finding(
        Severity::Warning,
        FindingCode::IndexColumnsDisagree,
        line,
        format!("the index row's columns disagree: {}", en.join("; ")),
        format!("أعمدة صف الفهرس غير متطابقة: {}", ar.join("؛ ")),
    ));
}

/// The row's report references, attributed to a symbol where possible.
fn report_refs(row: &RowSymbols, expected: &Expected, cited: &[Cited]) -> Vec<ReportRef> {
    let cop: Vec<&String> = row.all.iter().filter(|s| !is_wg(s)).collect();
    cited
        .iter()
        .map(|c| {
            let symbol = expected
                .get(&c.paragraph)
                .and_then(|v| v.first())
                .map(|(s, _, _)| (*s).clone())
                .or_else(|| match (row.wg.as_slice(), cop.as_slice()) {
                    ([only], []) => Some((*only).clone()),
                    ([], [only]) => Some((*only).clone()),
                    _ => None,
                })
                .unwrap_or_default();
            ReportRef {
                symbol,
                paragraph: c.paragraph,
                letter: c.letter.map(|l| l.latin()),
                preambular: c.preambular,
            }
        })
        .collect()
}
