//! The record as Akoma Ntoso 3.0 (OASIS LegalDocML): one `statement` per
//! source document — a Working Group meeting's recommendations, a
//! Conference of the Parties' decision or resolution — named after the
//! UN's AKN4UN conventions: FRBR URIs under `/akn/un/statement/…`, `eId`s
//! such as `para_46__subpara_i__item_2`. Preambular paragraphs form the
//! `preamble`, the rest the `mainBody`; footnotes stand where their
//! markers stand, as `authorialNote`; cross-references inside the
//! compendium are `ref`s; each provision `refersTo` the topics that file it,
//! declared as `TLCConcept`s.
//!
//! The XML is written by hand, in a fixed order and without dates of its
//! own, so the same record gives the same bytes.

use std::fmt::Write as _;

use crate::xml::{attr, text};
use fihris_model::record::footnote_markers;
use fihris_model::{
    Corpus, CrossRef, Part, Provision, ProvisionId, Section, SectionId, Segment, XrefTarget,
};

/// The namespace of Akoma Ntoso 3.0.
pub const AKN_NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// One source document of the record, as Akoma Ntoso.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AknDocument {
    /// The source document's symbol, e.g. `CTOC/COP/WG.4/2009/2`.
    pub symbol: String,
    /// A file name for it: the symbol with `/` as `_`, then `.xml`.
    pub file_name: String,
    /// Its work URI, e.g. `/akn/un/statement/decision/ctoc-cop/2004/1-5`.
    pub uri: String,
    /// The document.
    pub xml: String,
}

/// Every source document of the record, in the record's order.
pub fn akn_documents(corpus: &Corpus) -> Vec<AknDocument> {
    corpus
        .sections
        .iter()
        .filter_map(|s| document(corpus, s))
        .collect()
}

/// Every source document in one zip, each under its file name (as
/// `fihris export --format akn` writes them), the same bytes for the same
/// record.
pub fn akn_zip(corpus: &Corpus) -> Vec<u8> {
    let docs = akn_documents(corpus);
    crate::package::zip(
        docs.iter()
            .map(|d| (d.file_name.as_str(), d.xml.as_bytes())),
    )
}

/// The source document with this symbol (compared without regard to case).
pub fn akn_document(corpus: &Corpus, symbol: &str) -> Option<AknDocument> {
    let section = corpus.sections.iter().find(|s| {
        s.symbol
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(symbol.trim()))
    })?;
    document(corpus, section)
}

/// The work URI of a section's source document.
fn work_uri(s: &Section) -> String {
    match (&s.meeting, &s.session) {
        (_, Some(cs)) => format!(
            "/akn/un/statement/{}/ctoc-cop/{}/{}-{}",
            cs.instrument.kind.en(),
            cs.year.map_or_else(|| "0000".to_owned(), |y| y.to_string()),
            cs.instrument.session,
            cs.instrument.number
        ),
        (Some(m), None) => format!(
            "/akn/un/statement/recommendations/ctoc-cop-wg4/{}/{}",
            m.end
                .or(m.start)
                .map(|d| d.to_string())
                .or_else(|| m.year.map(|y| y.to_string()))
                .unwrap_or_else(|| "0000".to_owned()),
            m.number
        ),
        (None, None) => format!("/akn/un/statement/recommendations/section/{}", s.id),
    }
}

/// The date of the work: a meeting's last day, else 1 January of its year.
fn work_date(s: &Section) -> String {
    let year = |y: Option<u16>| format!("{:04}-01-01", y.unwrap_or(1));
    match (&s.meeting, &s.session) {
        (_, Some(cs)) => year(cs.year),
        (Some(m), None) => m
            .end
            .or(m.start)
            .map_or_else(|| year(m.year), |d| d.to_string()),
        (None, None) => year(None),
    }
}

fn document(corpus: &Corpus, s: &Section) -> Option<AknDocument> {
    let symbol = s.symbol.clone()?;
    let uri = work_uri(s);
    let name = match &s.session {
        Some(cs) => cs.instrument.kind.en(),
        None => "recommendations",
    };
    let author = if s.id.part == Part::A {
        ("ctoc-cop-wg4", "Working Group on Trafficking in Persons")
    } else {
        (
            "ctoc-cop",
            "Conference of the Parties to the United Nations Convention against Transnational Organized Crime",
        )
    };
    let provisions: Vec<&Provision> = corpus.provisions_in(s.id).collect();
    let mut x = String::with_capacity(64 * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(x, "<akomaNtoso xmlns=\"{AKN_NAMESPACE}\">");
    let _ = writeln!(x, "<statement name=\"{name}\">");
    // Identification: the work (what was adopted), the expression (its
    // Arabic text as the compendium prints it), the manifestation (this
    // file).
    let date = work_date(s);
    x.push_str("<meta>\n<identification source=\"#fihris\">\n");
    let _ = writeln!(
        x,
        "<FRBRWork><FRBRthis value=\"{uri}/!main\"/><FRBRuri value=\"{uri}\"/><FRBRdate date=\"{date}\" name=\"adoption\"/><FRBRauthor href=\"#{}\"/><FRBRcountry value=\"un\"/><FRBRnumber value=\"{}\"/></FRBRWork>",
        author.0,
        attr(&symbol)
    );
    let _ = writeln!(
        x,
        "<FRBRExpression><FRBRthis value=\"{uri}/ara@/!main\"/><FRBRuri value=\"{uri}/ara@\"/><FRBRdate date=\"{date}\" name=\"adoption\"/><FRBRauthor href=\"#unodc\"/><FRBRlanguage language=\"ara\"/></FRBRExpression>"
    );
    let _ = writeln!(
        x,
        "<FRBRManifestation><FRBRthis value=\"{uri}/ara@/!main.xml\"/><FRBRuri value=\"{uri}/ara@.akn\"/><FRBRdate date=\"{date}\" name=\"adoption\"/><FRBRauthor href=\"#fihris\"/></FRBRManifestation>"
    );
    x.push_str("</identification>\n<references source=\"#fihris\">\n");
    let _ = writeln!(
        x,
        "<TLCOrganization eId=\"{}\" href=\"/akn/ontology/organizations/un/{}\" showAs=\"{}\"/>",
        author.0, author.0, author.1
    );
    x.push_str("<TLCOrganization eId=\"unodc\" href=\"/akn/ontology/organizations/un/unodc\" showAs=\"United Nations Office on Drugs and Crime\"/>\n");
    x.push_str("<TLCOrganization eId=\"fihris\" href=\"/akn/ontology/organizations/fihris\" showAs=\"fihris\"/>\n");
    for topic in corpus
        .topics
        .iter()
        .filter(|t| t.provisions.iter().any(|p| p.section == s.id))
    {
        let _ = writeln!(
            x,
            "<TLCConcept eId=\"{}\" href=\"/akn/ontology/concepts/fihris/{}\" showAs=\"{}\"/>",
            concept_eid(topic.id.as_str()),
            attr(topic.id.as_str()),
            attr(&topic.label)
        );
    }
    x.push_str("</references>\n</meta>\n");
    // The preface: the instrument's number and title, or the meeting.
    x.push_str("<preface>\n");
    if let Some(cs) = &s.session {
        let _ = writeln!(
            x,
            "<p><docNumber>{}</docNumber></p>",
            text(&cs.instrument.arabic())
        );
        x.push_str("<p><docTitle>");
        inline(&mut x, corpus, &cs.title, &[], "preface");
        x.push_str("</docTitle></p>\n");
    } else {
        let _ = writeln!(x, "<p><docTitle>{}</docTitle></p>", text(&s.heading));
    }
    x.push_str("</preface>\n");
    let preambular: Vec<&&Provision> = provisions
        .iter()
        .filter(|p| matches!(p.id.path.first(), Some(Segment::Preamble(_))))
        .collect();
    let chapeau = s.session.as_ref().map(|cs| cs.chapeau.as_str());
    if chapeau.is_some() || !preambular.is_empty() {
        x.push_str("<preamble>\n");
        if let Some(c) = chapeau.filter(|c| !c.is_empty()) {
            x.push_str("<formula name=\"enactingFormula\"><p>");
            inline(&mut x, corpus, c, &[], "preamble");
            x.push_str("</p></formula>\n");
        }
        for p in &preambular {
            let eid = eid(&p.id);
            let _ = write!(
                x,
                "<container name=\"preambularParagraph\" eId=\"{eid}\"{}>",
                refers_to(corpus, &p.id)
            );
            paragraphs(&mut x, corpus, p, &eid);
            x.push_str("</container>\n");
        }
        x.push_str("</preamble>\n");
    }
    x.push_str("<mainBody>\n");
    for p in provisions
        .iter()
        .filter(|p| p.id.path.len() == 1 && !matches!(p.id.path[0], Segment::Preamble(_)))
    {
        hierarchy(&mut x, corpus, p);
    }
    x.push_str("</mainBody>\n</statement>\n</akomaNtoso>\n");
    Some(AknDocument {
        file_name: format!("{}.xml", symbol.replace('/', "_")),
        symbol,
        uri,
        xml: x,
    })
}

/// A provision and the provisions inside it.
fn hierarchy(x: &mut String, corpus: &Corpus, p: &Provision) {
    let element = match p.id.path.last() {
        Some(Segment::Para(_)) => "paragraph",
        Some(Segment::Letter(_)) if p.id.path.len() == 1 => "paragraph",
        Some(Segment::Letter(_)) => "subparagraph",
        _ => "point",
    };
    let eid = eid(&p.id);
    let _ = write!(x, "<{element} eId=\"{eid}\"{}>", refers_to(corpus, &p.id));
    let _ = write!(x, "<num>{}</num>", text(&p.id.printed_label_ar()));
    let children: Vec<&Provision> = corpus.children(&p.id).collect();
    if children.is_empty() {
        x.push_str("<content>");
        paragraphs(x, corpus, p, &eid);
        x.push_str("</content>");
    } else {
        x.push_str("<intro>");
        paragraphs(x, corpus, p, &eid);
        x.push_str("</intro>\n");
        for c in children {
            hierarchy(x, corpus, c);
        }
    }
    let _ = writeln!(x, "</{element}>");
}

/// A provision's text as `<p>`s (one per printed paragraph), with its
/// footnotes and cross-references inline.
fn paragraphs(x: &mut String, corpus: &Corpus, p: &Provision, eid: &str) {
    let xrefs: Vec<&CrossRef> = corpus.xrefs.iter().filter(|r| r.from == p.id).collect();
    let mut offset = 0;
    for para in p.text.split('\n') {
        x.push_str("<p>");
        let here: Vec<(usize, &CrossRef)> = xrefs
            .iter()
            .filter(|r| r.start >= offset && r.start + r.text.len() <= offset + para.len())
            .map(|r| (r.start - offset, *r))
            .collect();
        inline(x, corpus, para, &here, eid);
        x.push_str("</p>");
        offset += para.len() + 1;
    }
}

/// Text with its footnote markers as `authorialNote`s and the given
/// cross-references (at their byte offsets in `s`) as `ref`s.
fn inline(x: &mut String, corpus: &Corpus, s: &str, refs: &[(usize, &CrossRef)], eid: &str) {
    // Footnotes (by marker) and references, in order of position.
    enum Mark<'a> {
        Note(u32, usize, usize),
        Ref(&'a CrossRef, String, usize, usize),
    }
    let mut marks: Vec<Mark> = footnote_markers(s)
        .into_iter()
        .filter_map(|(n, start)| {
            let end = start + s[start..].find('⁾')? + '⁾'.len_utf8();
            Some(Mark::Note(n, start, end))
        })
        .chain(refs.iter().filter_map(|(start, r)| {
            href(corpus, &r.target).map(|h| Mark::Ref(r, h, *start, start + r.text.len()))
        }))
        .collect();
    marks.sort_by_key(|m| match m {
        Mark::Note(_, a, _) | Mark::Ref(_, _, a, _) => *a,
    });
    let mut at = 0;
    for m in marks {
        let (start, end) = match &m {
            Mark::Note(_, a, b) | Mark::Ref(_, _, a, b) => (*a, *b),
        };
        if start < at || !s.is_char_boundary(start) || !s.is_char_boundary(end) {
            continue; // overlapping the one before: left as text
        }
        x.push_str(&text(&s[at..start]));
        match m {
            Mark::Note(n, ..) => match corpus.footnotes.iter().find(|f| f.number == n) {
                Some(note) => {
                    let _ = write!(
                        x,
                        "<authorialNote marker=\"{n}\" placement=\"bottom\" eId=\"{eid}__authorialNote_{n}\"><p>{}</p></authorialNote>",
                        text(&note.text)
                    );
                }
                None => x.push_str(&text(&s[start..end])),
            },
            Mark::Ref(r, href, ..) => {
                let _ = write!(x, "<ref href=\"{}\">{}</ref>", attr(&href), text(&r.text));
            }
        }
        at = end;
    }
    x.push_str(&text(&s[at..]));
}

/// Where a reference inside the compendium points, as an AKN URI: the
/// work, and `~eId` for a provision. None for a reference outside it.
fn href(corpus: &Corpus, target: &XrefTarget) -> Option<String> {
    let section = |id: SectionId| corpus.section(id);
    match target {
        XrefTarget::Section { id } => Some(work_uri(section(*id)?)),
        XrefTarget::Provision { id } => Some(format!(
            "{}/!main~{}",
            work_uri(section(id.section)?),
            eid(id)
        )),
        XrefTarget::External { .. } => None,
    }
}

/// ` refersTo="#a #b"` for the topics filing exactly this provision.
fn refers_to(corpus: &Corpus, id: &ProvisionId) -> String {
    let topics: Vec<String> = corpus
        .topics
        .iter()
        .filter(|t| t.provisions.contains(id))
        .map(|t| format!("#{}", concept_eid(t.id.as_str())))
        .collect();
    if topics.is_empty() {
        String::new()
    } else {
        format!(" refersTo=\"{}\"", topics.join(" "))
    }
}

/// A topic's eId: its id (letters, digits, dots and hyphens) after
/// `topic_`.
fn concept_eid(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("topic_{safe}")
}

/// The AKN4UN eId of a provision: `para_46__subpara_i__item_2`,
/// `preambular_3`; a session's top-level lettered paragraph `para_a`.
fn eid(id: &ProvisionId) -> String {
    id.path
        .iter()
        .enumerate()
        .map(|(depth, seg)| match seg {
            Segment::Para(n) => format!("para_{n}"),
            Segment::Letter(l) if depth == 0 => format!("para_{}", l.latin()),
            Segment::Letter(l) => format!("subpara_{}", l.latin()),
            Segment::Item(n) => format!("item_{n}"),
            Segment::Preamble(n) => format!("preambular_{n}"),
        })
        .collect::<Vec<_>>()
        .join("__")
}
