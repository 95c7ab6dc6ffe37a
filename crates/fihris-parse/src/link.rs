//! Cross-references inside provision texts: «مقرر المؤتمر 4/4», «الفقرة 17
//! من تقرير الفريق العامل … (CTOC/COP/WG.4/2009/2)», «الفقرة 19 من تقرير
//! اجتماع الفريق العامل لعام 2009», «الفقرة 12 أعلاه» → provisions and
//! sections of the compendium; General Assembly and Commission resolutions,
//! Protocol and Convention articles and other documents → typed external
//! references. Runs after the index (it needs the report offsets).

use std::sync::LazyLock;

use fihris_model::numerals::{Folded, fold};
use fihris_model::{
    CrossRef, ExternalKind, InstrumentKind, Letter, Provision, ProvisionId, ReportOffset, Section,
    Segment, XrefTarget,
};
use regex::Regex;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

/// «X/Y» numbers not part of a document symbol.
static SLASH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^\d/.])(\d{1,3})/(\d{1,3})(?:[^\d/]|$)"));
static SYMBOL: LazyLock<Regex> =
    LazyLock::new(|| re(r"[A-Z]+(?:/[A-Z]+)*(?:/WG\.\d+)?/\d{4}/\d+(?:/Add\.\d+)?"));
static REPORT_PARA: LazyLock<Regex> = LazyLock::new(|| {
    re(r"الفقرة\s+(\d+)\s+من\s+تقرير[^.؛]{0,160}?(?:\((CTOC/COP/WG\.4/\d{4}/\d+)\)|لعام\s+(\d{4}))")
});
static ABOVE: LazyLock<Regex> = LazyLock::new(|| re(r"الفقرة\s+(\d+)\s+اعلاه"));
static ABOVE_LETTERS: LazyLock<Regex> =
    LazyLock::new(|| re(r"بالفقرتين\s+الفرعيتين\s+\((\S{1,2})\)\s+و\s*\((\S{1,2})\)\s+اعلاه"));
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:ل?ل?الفقرة|الفقرتين)\s+(?:الفرعية\s+)?(\d+(?:\s*\(\S\))?(?:\s+و\s*\d+)?)\s+من\s+)?(?:المادتين|المواد|المادة)\s+(\d+)(?:\s+و\s*(\d+))?(?:\s+الفقرة\s+(\d+))?([^،؛.]{0,70})",
    )
});

/// A date as the compendium prints it (after folding: «إلى» reads «الي»):
/// «14 و15 نيسان/أبريل 2009», «من 27
/// إلى 29 كانون الثاني/يناير 2010», «19 تشرين الأول/أكتوبر 2010» (days,
/// the month's two names, the year).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(\d{1,2})(?:\s*(?:و|الي|-)\s*(\d{1,2}))?\s+[^\s\d/]+(?:\s[^\s\d/]+)?/([^\s\d/،؛.]+)\s+(\d{4})",
    )
});

/// A session of the Conference named by its ordinal (after folding):
/// «مؤتمر الأطراف في دورته الثانية», «دورة المؤتمر الخامسة», «للدورة الثانية
/// لمؤتمر الأطراف».
static SESSION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:دورته|دورة المؤتمر|للدورة|الدورة)\s+(الاولي|الثانية|الثالثة|الرابعة|الخامسة|السادسة|السابعة|الثامنة|التاسعة|العاشرة)",
    )
});

/// The ordinals of [`SESSION`], first to tenth.
const SESSION_ORDINALS: [&str; 10] = [
    "الاولي",
    "الثانية",
    "الثالثة",
    "الرابعة",
    "الخامسة",
    "السادسة",
    "السابعة",
    "الثامنة",
    "التاسعة",
    "العاشرة",
];

/// Keywords that say what an «X/Y» number is, nearest one wins.
const KEYWORDS: [(&str, Kind); 6] = [
    ("الجمعية العامة", Kind::Ga),
    ("لجنة منع الجريمة", Kind::Ccpcj),
    ("مقرر", Kind::Decision),
    ("للمقرر", Kind::Decision),
    ("قرار", Kind::Resolution),
    ("قرارها", Kind::Ga),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ga,
    Ccpcj,
    Decision,
    Resolution,
}

/// Finds the cross-references of every provision.
pub fn link(
    provisions: &[Provision],
    sections: &[Section],
    reports: &[ReportOffset],
) -> Vec<CrossRef> {
    let mut out = Vec::new();
    let meetings = meeting_dates(sections);
    for p in provisions {
        // Most provisions cite nothing: look before folding.
        let raw = p.text.as_str();
        if !(raw.contains('/')
            || raw.contains("دور")
            || raw.contains("تقرير")
            || raw.contains("علاه")
            || raw.contains("الماد"))
        {
            continue;
        }
        let folded = fold(raw);
        let mut found: Vec<(usize, usize, XrefTarget)> = Vec::new();
        let t = folded.text.as_str();
        // Cheap filters first: most provisions cite nothing.
        if t.contains('/') {
            instruments(t, sections, &mut found);
            documents(t, sections, &mut found);
            if p.id.section.part == fihris_model::Part::B {
                meetings_by_date(t, &meetings, &mut found);
            }
        }
        if t.contains("دور") {
            sessions_by_ordinal(t, p.id.section, sections, &mut found);
        }
        if t.contains("من تقرير") {
            report_paragraphs(t, sections, reports, provisions, &mut found);
        }
        if t.contains("اعلاه") {
            above(t, &p.id, provisions, &mut found);
        }
        if t.contains("الماد") {
            articles(t, &mut found);
        }
        found.sort_by_key(|(s, _, _)| *s);
        // Keep the first of overlapping matches (one span may name several
        // targets: «الفقرتين الفرعيتين (ز) و(ي)»).
        let (mut last_start, mut last_end) = (usize::MAX, 0);
        for (s, e, target) in found {
            if s < last_end && s != last_start {
                continue;
            }
            (last_start, last_end) = (s, e);
            out.push(xref(p, &folded, s, e, target));
        }
    }
    out
}

fn xref(p: &Provision, folded: &Folded, s: usize, e: usize, target: XrefTarget) -> CrossRef {
    let (a, b) = folded.original(s, e);
    CrossRef {
        from: p.id.clone(),
        text: p.text.get(a..b).unwrap_or_default().trim().to_owned(),
        start: a,
        target,
    }
}

fn instruments(text: &str, sections: &[Section], found: &mut Vec<(usize, usize, XrefTarget)>) {
    let mut previous_end = 0;
    let mut previous_kind: Option<Kind> = None;
    for c in SLASH.captures_iter(text) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (x, y): (u32, u32) = (
            a.as_str().parse().unwrap_or(0),
            b.as_str().parse().unwrap_or(0),
        );
        let window_start = text[..a.start()]
            .char_indices()
            .rev()
            .nth(80)
            .map_or(0, |(i, _)| i);
        let window = &text[window_start..a.start()];
        let keyword = KEYWORDS
            .iter()
            .filter_map(|(k, kind)| window.rfind(k).map(|p| (window_start + p, *kind)))
            .max_by_key(|(p, kind)| (*p, matches!(kind, Kind::Ga | Kind::Ccpcj)));
        // A list goes on with the kind of its first member («قرارات
        // الجمعية العامة 144/61 … و180/61 … و194/63»).
        let gap = text.get(previous_end..a.start()).unwrap_or("");
        let in_list = previous_kind.is_some() && gap.chars().count() < 120 && !gap.contains('.');
        let Some((kw_pos, kind)) = (match (keyword, in_list) {
            (Some((p, k)), _) if p >= previous_end => Some((p, k)),
            (_, true) => previous_kind.map(|k| (a.start(), k)),
            (k, false) => k,
        }) else {
            continue;
        };
        previous_kind = Some(kind);
        // In a list («قراري الجمعية العامة 144/61 … و180/61») the keyword
        // belongs to the first number; the others stand alone.
        let start = if kw_pos < previous_end {
            a.start()
        } else {
            kw_pos
        };
        let end = b.end();
        previous_end = end;
        // Arabic writes number/session: «293/64» is resolution 64/293.
        let (session, number) = (y, x);
        let target = match kind {
            Kind::Ga => XrefTarget::External {
                kind: ExternalKind::GaResolution,
                reference: format!("General Assembly resolution {session}/{number}"),
            },
            Kind::Ccpcj => XrefTarget::External {
                kind: ExternalKind::CcpcjResolution,
                reference: format!(
                    "Commission on Crime Prevention and Criminal Justice resolution {session}/{number}"
                ),
            },
            Kind::Decision | Kind::Resolution => {
                let wanted = if kind == Kind::Decision {
                    InstrumentKind::Decision
                } else {
                    InstrumentKind::Resolution
                };
                let hit = sections.iter().find(|s| {
                    s.session.as_ref().is_some_and(|cs| {
                        cs.instrument.kind == wanted
                            && cs.instrument.session == session
                            && cs.instrument.number == number
                    })
                });
                match hit {
                    Some(s) => XrefTarget::Section { id: s.id },
                    None => XrefTarget::External {
                        kind: ExternalKind::CopInstrument,
                        reference: format!("COP {} {session}/{number}", wanted.en()),
                    },
                }
            }
        };
        found.push((start, end, target));
    }
}

fn report_paragraphs(
    text: &str,
    sections: &[Section],
    reports: &[ReportOffset],
    provisions: &[Provision],
    found: &mut Vec<(usize, usize, XrefTarget)>,
) {
    for c in REPORT_PARA.captures_iter(text) {
        let (Some(whole), Some(n)) = (
            c.get(0),
            c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()),
        ) else {
            continue;
        };
        let report = if let Some(symbol) = c.get(2) {
            reports.iter().find(|r| r.symbol == symbol.as_str())
        } else {
            let year: Option<u16> = c.get(3).and_then(|m| m.as_str().parse().ok());
            sections
                .iter()
                .find(|s| s.meeting.as_ref().is_some_and(|m| m.year == year) && s.symbol.is_some())
                .and_then(|s| reports.iter().find(|r| r.section == s.id))
        };
        let Some(report) = report else { continue };
        let target = u32::try_from(i64::from(n) - i64::from(report.offset))
            .ok()
            .and_then(|k| ProvisionId::new(report.section, vec![Segment::Para(k)]).ok())
            .filter(|id| provisions.iter().any(|p| &p.id == id))
            .map_or(XrefTarget::Section { id: report.section }, |id| {
                XrefTarget::Provision { id }
            });
        found.push((whole.start(), whole.end(), target));
    }
}

fn above(
    text: &str,
    from: &ProvisionId,
    provisions: &[Provision],
    found: &mut Vec<(usize, usize, XrefTarget)>,
) {
    let exists = |id: &ProvisionId| provisions.iter().any(|p| &p.id == id);
    for c in ABOVE.captures_iter(text) {
        let (Some(whole), Some(n)) = (c.get(0), c.get(1).and_then(|m| m.as_str().parse().ok()))
        else {
            continue;
        };
        if let Ok(id) = ProvisionId::new(from.section, vec![Segment::Para(n)])
            && exists(&id)
        {
            found.push((whole.start(), whole.end(), XrefTarget::Provision { id }));
        }
    }
    for c in ABOVE_LETTERS.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let base: Vec<Segment> = from
            .path
            .iter()
            .copied()
            .filter(|s| matches!(s, Segment::Para(_)))
            .collect();
        for raw in [&c[1], &c[2]] {
            let Some(letter) = Letter::from_arabic(raw) else {
                continue;
            };
            let mut path = base.clone();
            path.push(Segment::Letter(letter));
            if let Ok(id) = ProvisionId::new(from.section, path)
                && exists(&id)
            {
                found.push((whole.start(), whole.end(), XrefTarget::Provision { id }));
            }
        }
    }
}

fn articles(text: &str, found: &mut Vec<(usize, usize, XrefTarget)>) {
    for c in ARTICLE.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let tail = c.get(5).map_or("", |m| m.as_str());
        let kind = if tail.contains("بروتوكول") || tail.contains("البروتوكول") {
            ExternalKind::ProtocolArticle
        } else if tail.contains("اتفاقية") {
            ExternalKind::ConventionArticle
        } else if text[..whole.start()].ends_with('(') {
            // «(المادة 6)» alone in a list of Protocol subjects (decision 2/3).
            ExternalKind::ProtocolArticle
        } else {
            ExternalKind::OtherArticle
        };
        let mut reference = match kind {
            ExternalKind::ProtocolArticle if tail.contains("تهريب") => {
                "Smuggling of Migrants Protocol, article".to_owned()
            }
            ExternalKind::ProtocolArticle => "Trafficking in Persons Protocol, article".to_owned(),
            ExternalKind::OtherArticle => "article".to_owned(),
            _ if tail.contains("الجريمة المنظمة") => {
                "Organized Crime Convention, article".to_owned()
            }
            _ => "Convention, article".to_owned(),
        };
        reference.push(' ');
        reference.push_str(&c[2]);
        if let Some(second) = c.get(3) {
            reference.push_str(&format!(" and {}", second.as_str()));
        }
        if let Some(para) = c.get(1).or(c.get(4)) {
            let para = para
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(" و ", " and ");
            reference.push_str(&format!(", para. {para}"));
        }
        // The span ends with the instrument's name, not the whole tail.
        let name_end = [
            "بروتوكول الاتجار بالاشخاص",
            "البروتوكول",
            "اتفاقية الجريمة المنظمة",
            "اتفاقية الامم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية",
            "الاتفاقية",
        ]
        .iter()
        .filter_map(|n| tail.find(n).map(|p| p + n.len()))
        .min()
        .map_or(c.get(2).map_or(whole.end(), |m| m.end()), |e| {
            c.get(5).map_or(whole.end(), |m| m.start() + e)
        });
        found.push((
            whole.start(),
            name_end,
            XrefTarget::External { kind, reference },
        ));
    }
}

/// A Working Group meeting's dates, from its heading: the month (its
/// Gregorian name), the year, the first and last day.
struct MeetingDates {
    section: fihris_model::SectionId,
    month: String,
    year: String,
    days: std::ops::RangeInclusive<u32>,
}

/// The dates of Part A's meetings.
fn meeting_dates(sections: &[Section]) -> Vec<MeetingDates> {
    sections
        .iter()
        .filter(|s| s.id.part == fihris_model::Part::A)
        .filter_map(|s| {
            let folded = fold(&s.heading);
            let c = DATE.captures(&folded.text)?;
            let first: u32 = c[1].parse().ok()?;
            let last: u32 = c.get(2).map_or(Some(first), |m| m.as_str().parse().ok())?;
            Some(MeetingDates {
                section: s.id,
                month: c[3].to_owned(),
                year: c[4].to_owned(),
                days: first..=last,
            })
        })
        .collect()
}

/// Dates in a Conference text that are a meeting's dates («اجتماعاته التي
/// عقدها يومي 14 و15 نيسان/أبريل 2009») → that meeting's section.
fn meetings_by_date(
    text: &str,
    meetings: &[MeetingDates],
    found: &mut Vec<(usize, usize, XrefTarget)>,
) {
    for c in DATE.captures_iter(text) {
        let Ok(first) = c[1].parse::<u32>() else {
            continue;
        };
        if let Some(m) = meetings
            .iter()
            .find(|m| m.month == c[3] && m.year == c[4] && m.days.contains(&first))
        {
            let whole = c.get(0).map_or(0..0, |g| g.range());
            found.push((
                whole.start,
                whole.end,
                XrefTarget::Section { id: m.section },
            ));
        }
    }
}

/// Sessions of the Conference named by ordinal («في دورته الثالثة») →
/// that session's section, when the compendium has it and it is not the
/// citing provision's own.
fn sessions_by_ordinal(
    text: &str,
    own: fihris_model::SectionId,
    sections: &[Section],
    found: &mut Vec<(usize, usize, XrefTarget)>,
) {
    for c in SESSION.captures_iter(text) {
        let Some(n) = SESSION_ORDINALS.iter().position(|o| *o == &c[1]) else {
            continue;
        };
        let session = sections.iter().find(|s| {
            s.session
                .as_ref()
                .is_some_and(|x| x.session == n as u32 + 1)
        });
        if let Some(s) = session.filter(|s| s.id != own) {
            let whole = c.get(0).map_or(0..0, |g| g.range());
            found.push((whole.start, whole.end, XrefTarget::Section { id: s.id }));
        }
    }
}

fn documents(text: &str, sections: &[Section], found: &mut Vec<(usize, usize, XrefTarget)>) {
    for m in SYMBOL.find_iter(text) {
        let symbol = m.as_str();
        let target = match sections
            .iter()
            .find(|s| s.symbol.as_deref() == Some(symbol))
        {
            Some(s) => XrefTarget::Section { id: s.id },
            None => XrefTarget::External {
                kind: ExternalKind::Document,
                reference: symbol.to_owned(),
            },
        };
        found.push((m.start(), m.end(), target));
    }
}
