//! The thematic index as a SKOS concept scheme (Turtle). Topics whose
//! labels share a main head («الضحايا، …») hang under a concept for that
//! head; each topic lists the provisions filed under it with
//! `dct:references`. IRIs are URNs (`urn:fihris:topic:<id>`,
//! `urn:fihris:provision:<id>`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use fihris_model::Corpus;
use fihris_model::translit::slug;

const SCHEME: &str = "<urn:fihris:index>";

fn topic_iri(id: &str) -> String {
    format!("<urn:fihris:topic:{id}>")
}

/// A Turtle string literal with a language tag.
fn literal(s: &str, lang: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out.push('@');
    out.push_str(lang);
    out
}

/// Writes the concept scheme.
pub fn write_skos(out: &mut impl Write, corpus: &Corpus) -> io::Result<()> {
    writeln!(
        out,
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."
    )?;
    writeln!(out, "@prefix dct: <http://purl.org/dc/terms/> .")?;
    writeln!(out)?;
    writeln!(out, "{SCHEME} a skos:ConceptScheme ;")?;
    writeln!(
        out,
        "    dct:title {} ,",
        literal(
            "الفهرس المواضيعي للتوصيات وللقرارات والمقررات ذات الصلة",
            "ar"
        )
    )?;
    writeln!(
        out,
        "        {} ;",
        literal(
            "Thematic index of recommendations, resolutions and decisions",
            "en"
        )
    )?;
    writeln!(
        out,
        "    dct:source {} .",
        literal(&format!("sha256:{}", corpus.source.sha256), "en")
    )?;
    // Heads shared by several topics become broader concepts.
    let mut heads: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in &corpus.topics {
        if let [head, _] = t.path.as_slice() {
            heads.entry(head.as_str()).or_default().push(t.id.as_str());
        }
    }
    for (head, children) in &heads {
        let id = head_id(head, children);
        writeln!(out)?;
        writeln!(out, "{} a skos:Concept ;", topic_iri(&id))?;
        writeln!(out, "    skos:prefLabel {} ;", literal(head, "ar"))?;
        writeln!(out, "    skos:notation \"{id}\" ;")?;
        writeln!(out, "    skos:inScheme {SCHEME} ;")?;
        writeln!(out, "    skos:topConceptOf {SCHEME} ;")?;
        let narrower: Vec<String> = children.iter().map(|c| topic_iri(c)).collect();
        writeln!(out, "    skos:narrower {} .", narrower.join(" , "))?;
    }
    for t in &corpus.topics {
        write_topic(out, t, &heads)?;
    }
    Ok(())
}

/// The id of a heading shared by several topics: what their ids share
/// before the `.` (`victims` for `victims.compensation`), or else a
/// transliteration of the heading.
fn head_id(head: &str, children: &[&str]) -> String {
    children
        .first()
        .and_then(|c| c.split_once('.'))
        .map(|(h, _)| h)
        .filter(|h| {
            children
                .iter()
                .all(|c| c.split_once('.').map(|x| x.0) == Some(*h))
        })
        .map_or_else(|| slug(head), str::to_owned)
}

/// One topic as a concept: labels (Arabic, English), notation, its place
/// in the scheme, the provisions it files.
fn write_topic(
    out: &mut impl Write,
    t: &fihris_model::Topic,
    heads: &BTreeMap<&str, Vec<&str>>,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{} a skos:Concept ;", topic_iri(t.id.as_str()))?;
    if t.unlabelled {
        let line = t.rows.first().copied().unwrap_or(0);
        writeln!(
            out,
            "    skos:prefLabel {} ,",
            literal(&format!("موضوع بلا تسمية (السطر {line})"), "ar")
        )?;
        writeln!(
            out,
            "        {} ;",
            literal(&format!("Unlabelled topic (line {line})"), "en")
        )?;
        writeln!(
            out,
            "    skos:editorialNote {} ;",
            literal(
                "The label of this topic was lost in the text extraction; name it in corpus/errata.toml.",
                "en"
            )
        )?;
    } else {
        writeln!(out, "    skos:prefLabel {} ;", literal(&t.label, "ar"))?;
        if let Some(en) = &t.label_en {
            writeln!(out, "    skos:prefLabel {} ;", literal(en, "en"))?;
        }
        if let [_, short] = t.path.as_slice() {
            writeln!(out, "    skos:altLabel {} ;", literal(short, "ar"))?;
        }
    }
    writeln!(out, "    skos:notation \"{}\" ;", t.id)?;
    match t.path.as_slice() {
        [head, _] => {
            let id = head_id(
                head,
                heads.get(head.as_str()).map_or(&[][..], Vec::as_slice),
            );
            writeln!(out, "    skos:broader {} ;", topic_iri(&id))?
        }
        _ => writeln!(out, "    skos:topConceptOf {SCHEME} ;")?,
    }
    if !t.provisions.is_empty() {
        let refs: Vec<String> = t
            .provisions
            .iter()
            .map(|p| format!("<urn:fihris:provision:{p}>"))
            .collect();
        writeln!(out, "    dct:references {} ;", refs.join(" ,\n        "))?;
    }
    writeln!(out, "    skos:inScheme {SCHEME} .")?;

    Ok(())
}
