//! The record as typst markup: the cover, the contents, Part A by meeting
//! and Part B by session, every provision with its printed label and its
//! footnotes, then the thematic index, whose page numbers typst resolves
//! from labels on the provisions.
//!
//! Every text of the record enters the markup as a typst string literal
//! (`#"…"`), never as markup, so nothing in it (`*`, `#`, `=`, `<`, `/`…)
//! can be read as typst syntax.

use std::fmt::Write as _;

use fihris_model::record::footnote_markers;
use fihris_model::{Corpus, Footnote, Part, ProvisionId, Section, Segment, Topic};

/// The page set-up, the typefaces and the styles of the publication.
const PREAMBLE: &str = include_str!("compendium.typ");

/// The titles of the two parts (without a count of meetings or sessions,
/// which grows with the record).
fn part_title(part: Part) -> &'static str {
    match part {
        Part::A => "ألف- التوصيات التي اعتمدها الفريق العامل المعني بالاتجار بالأشخاص",
        Part::B => {
            "باء- القرارات والمقررات التي اعتمدها مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية"
        }
    }
}

/// The typst label of a provision (the index asks for its page).
pub(crate) fn provision_label(id: &ProvisionId) -> String {
    format!("p-{id}")
}

/// The whole publication's markup.
pub(crate) fn compendium(corpus: &Corpus) -> String {
    let mut out = String::with_capacity(600_000);
    out.push_str(PREAMBLE);
    // The cover and the contents are pages of their own, called in one
    // code block: a line break between them would be a space, and a page.
    out.push_str("#{\n");
    cover(&mut out, corpus);
    out.push_str("contents()\n}\n");
    // Pages are numbered from the first page of Part A.
    out.push_str("#set page(numbering: \"1\", number-align: center)\n#counter(page).update(1)\n");
    let mut part = None;
    for section in &corpus.sections {
        if part != Some(section.id.part) {
            part = Some(section.id.part);
            let _ = writeln!(out, "#part-heading({})", lit(part_title(section.id.part)));
        }
        self::section(&mut out, corpus, section);
    }
    index(&mut out, corpus);
    out
}

fn cover(out: &mut String, corpus: &Corpus) {
    let _ = writeln!(
        out,
        "cover(provisions: {}, sections: {}, topics: {}, source: {})",
        corpus.provisions.len(),
        corpus.sections.len(),
        corpus.topics.len(),
        lit(&corpus.source.sha256[..corpus.source.sha256.len().min(12)]),
    );
}

fn section(out: &mut String, corpus: &Corpus, s: &Section) {
    let _ = write!(out, "#section-heading({}", lit(&s.heading));
    match &s.symbol {
        Some(symbol) => {
            let _ = write!(out, ", symbol: {}", lit(symbol));
        }
        None => out.push_str(", symbol: none"),
    }
    out.push_str(")\n");
    if let Some(cs) = &s.session {
        let _ = writeln!(out, "#instrument({})", lit(&cs.instrument.arabic()));
        out.push_str("#instrument-title[");
        text(out, corpus, &cs.title);
        out.push_str("]\n#chapeau[");
        text(out, corpus, &cs.chapeau);
        out.push_str("]\n");
    }
    if let Some(note) = &s.note {
        out.push_str("#note[");
        text(out, corpus, note);
        out.push_str("]\n");
    }
    for p in corpus.provisions_in(s.id) {
        let depth = p.id.path.len() - 1;
        let preamble = matches!(p.id.path.last(), Some(Segment::Preamble(_)));
        let _ = write!(
            out,
            "#provision({depth}, {}, preamble: {})[",
            lit(&p.id.printed_label_ar()),
            preamble
        );
        text(out, corpus, &p.text);
        let _ = writeln!(out, "] <{}>", provision_label(&p.id));
    }
}

/// A text of the record: string literals, paragraph breaks for its
/// follow-on paragraphs, and a footnote where a marker stands.
fn text(out: &mut String, corpus: &Corpus, s: &str) {
    for (i, para) in s.split('\n').enumerate() {
        if i > 0 {
            out.push_str("#parbreak()");
        }
        let mut at = 0;
        for (number, start) in footnote_markers(para) {
            let end = para[start..]
                .find('⁾')
                .map_or(para.len(), |e| start + e + '⁾'.len_utf8());
            let Some(note) = corpus.footnotes.iter().find(|f| f.number == number) else {
                continue; // printed as it stands: a marker without a text
            };
            push_text(out, &para[at..start]);
            footnote(out, note);
            at = end;
        }
        push_text(out, &para[at..]);
    }
}

/// A footnote with the compendium's own number, its `*italics*` kept.
fn footnote(out: &mut String, note: &Footnote) {
    let _ = write!(out, "#note-at({}, [", note.number);
    for (i, run) in note.text.split('*').enumerate() {
        if run.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            let _ = write!(out, "#emph({})", lit(run));
        } else {
            push_text(out, run);
        }
    }
    out.push_str("])");
}

fn index(out: &mut String, corpus: &Corpus) {
    out.push_str("#index-heading()\n");
    for topic in &corpus.topics {
        index_topic(out, corpus, topic);
    }
}

fn index_topic(out: &mut String, corpus: &Corpus, topic: &Topic) {
    let _ = writeln!(out, "#topic-heading({})", lit(&topic.label));
    for row in corpus.index.iter().filter(|r| r.topic == topic.id) {
        let ids: Vec<String> = row
            .provisions
            .iter()
            .filter(|id| corpus.provision(id).is_some())
            .map(|id| lit(&provision_label(id)))
            .collect();
        let _ = writeln!(
            out,
            "#filing({}, ({}))",
            lit(&row.location),
            ids.iter().map(|s| format!("{s},")).collect::<String>()
        );
    }
}

/// `s` as a typst string literal, for code (`"…"`); in markup it is
/// written after a `#` ([`push_text`]).
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as text in markup: `#"…"` (nothing for an empty `s`).
fn push_text(out: &mut String, s: &str) {
    if !s.is_empty() {
        out.push('#');
        out.push_str(&lit(s));
    }
}
