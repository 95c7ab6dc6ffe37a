//! A meeting read from its file joins a record: its section after the
//! meetings before it, its provisions after theirs, its footnotes and its
//! report's paragraph offset beside the others' (the caller finds the
//! record's cross-references again: a new recommendation may cite an
//! earlier one).

use fihris_model::{Corpus, Part, SectionId};
use fihris_parse::MeetingFile;

use crate::{EditError, error};

/// Whether section `s` stands after meeting `n` in the record's order.
fn after(s: SectionId, n: u32) -> bool {
    s.part == Part::B || s.ordinal > n
}

/// Adds `meeting` to `corpus`, unless its meeting is there already or its
/// footnote numbers are taken.
pub fn join(corpus: &mut Corpus, meeting: MeetingFile) -> Result<(), EditError> {
    let id = meeting.section.id;
    let file = meeting
        .section
        .imported
        .as_ref()
        .map_or_else(String::new, |i| i.file.clone());
    if corpus.section(id).is_some() {
        return Err(error(
            format!(
                "{file}: meeting {} is in the record already ({id})",
                id.ordinal
            ),
            format!("{file}: الاجتماع {} موجود في السجل أصلاً ({id})", id.ordinal),
        ));
    }
    let next = corpus.footnotes.iter().map(|f| f.number).max().unwrap_or(0) + 1;
    if let Some(f) = meeting
        .footnotes
        .iter()
        .find(|f| corpus.footnote(f.number).is_some())
    {
        return Err(error(
            format!(
                "{file}:{}: footnote {} is numbered as one of the record's; number this meeting's footnotes from {next}",
                f.line, f.number
            ),
            format!(
                "{file}:{}: رقم الحاشية {} مستعمل في السجل؛ رقّم حواشي هذا الاجتماع ابتداءً من {next}",
                f.line, f.number
            ),
        ));
    }
    let n = id.ordinal;
    let at = corpus
        .sections
        .iter()
        .position(|s| after(s.id, n))
        .unwrap_or(corpus.sections.len());
    corpus.sections.insert(at, meeting.section);
    let at = corpus
        .provisions
        .iter()
        .position(|p| after(p.id.section, n))
        .unwrap_or(corpus.provisions.len());
    corpus.provisions.splice(at..at, meeting.provisions);
    corpus.footnotes.extend(meeting.footnotes);
    corpus.footnotes.sort_by_key(|f| f.number);
    corpus.reports.push(meeting.report);
    Ok(())
}
