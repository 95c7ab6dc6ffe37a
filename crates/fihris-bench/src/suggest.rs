//! Topic suggestions: P@1, P@3 and R@5 leave-one-meeting-out on the
//! record, for each way of finding neighbours, beside the most frequent
//! topics.

use fihris_agreed::similar::Wording;
use fihris_model::Corpus;
use fihris_suggest::{
    Filings, Nearness, Precision, Suggester, leave_one_meeting_out, most_frequent,
};

/// Prints the table.
pub fn run(corpus: &Corpus, vectors_dir: &std::path::Path) -> anyhow::Result<()> {
    let filings = Filings::of(corpus);
    let wording = Wording::new(corpus);
    let dense = fihris_meaning::stored_provisions(corpus, &[vectors_dir]);
    let suggester = Suggester::new(&filings, &wording, dense.as_ref());
    println!(
        "{} filed provisions, leave-one-meeting-out ({} sections)",
        filings.units().len(),
        corpus.sections.len()
    );
    println!("| suggestions | P@1 | P@3 | R@5 |");
    println!("|---|---|---|---|");
    let row = |name: &str, p: Precision| {
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            p.p_at_1, p.p_at_3, p.r_at_5
        );
    };
    row(
        "most frequent topics (baseline)",
        leave_one_meeting_out(&filings, |_, held| most_frequent(&filings, held)),
    );
    for (name, nearness) in [
        ("neighbours by wording", Nearness::Wording),
        ("neighbours by meaning", Nearness::Meaning),
        ("neighbours by wording and meaning", Nearness::Both),
    ] {
        if nearness != Nearness::Wording && dense.is_none() {
            println!("| {name} | (no stored vectors) | | |");
            continue;
        }
        let p = suggester.precision(corpus, nearness);
        row(name, p);
    }
    Ok(())
}
