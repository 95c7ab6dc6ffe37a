//! The provision × topic table: one CSV row per filing of a provision
//! under a topic, in document order of the provisions.

use std::io::Write;

use fihris_model::Corpus;

/// Writes the table with a header row.
pub fn write_topic_csv(out: impl Write, corpus: &Corpus) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "provision",
        "section",
        "kind",
        "citation_ar",
        "citation_en",
        "topic",
        "topic_label",
        "topic_path",
    ])?;
    for p in &corpus.provisions {
        for t in corpus
            .topics
            .iter()
            .filter(|t| t.provisions.contains(&p.id))
        {
            w.write_record([
                p.id.to_string(),
                p.id.section.to_string(),
                p.id.kind().as_str().to_owned(),
                p.id.cite_ar(),
                p.id.cite_en(),
                t.id.to_string(),
                t.label.clone(),
                t.path.join(" › "),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
