//! The compendium set from the real record, read back with poppler
//! (`pdftotext`, `pdffonts`; Debian `poppler-utils`): every provision's
//! text is in the PDF's text layer, on the page the typesetter says it
//! begins on; the index prints, row by row, the pages of the provisions the
//! row resolves to; the typefaces are embedded; the same record gives the
//! same bytes.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use fihris_model::Corpus;
use fihris_typeset::Publication;

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    fihris_parse::parse_file(&dir.join("compendium-2021.ar.txt")).unwrap()
});

static PUBLICATION: LazyLock<Publication> =
    LazyLock::new(|| fihris_typeset::compendium_pdf(&CORPUS).unwrap());

/// The PDF written to a temporary file, for poppler.
fn pdf_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fihris-{name}-{}.pdf", std::process::id()));
    std::fs::write(&path, &PUBLICATION.pdf).unwrap();
    path
}

/// A poppler tool's output (it must be installed: `poppler-utils`).
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (apt-get install poppler-utils)"));
    assert!(out.status.success(), "{tool} {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// Arabic letters only, no diacritics, tatweel, digits, Latin, spaces or
/// punctuation. Every one is two bytes in UTF-8.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'))
        .collect()
}

/// Letters taken ten at a time.
const CHUNK: usize = 10 * 2;

/// How many of the runs of ten letters of `own` the text `layer` holds:
/// (found, runs).
///
/// Text extraction from shaped Arabic (poppler's, like most) is not
/// letter-exact: a glyph placed apart from its neighbours — a mark, a
/// letter Amiri kerns — may come out a line early, twice, or split from
/// its word, so a provision is not one substring of the text layer. Runs of
/// ten letters mostly are.
fn held(layer: &str, own: &str) -> (usize, usize) {
    let runs: Vec<&str> = (0..own.len())
        .step_by(CHUNK)
        .map(|start| &own[start..(start + CHUNK).min(own.len())])
        .filter(|run| run.len() >= CHUNK / 2)
        .collect();
    let found = runs.iter().filter(|run| layer.contains(**run)).count();
    (found, runs.len())
}

#[test]
fn every_provision_is_in_the_text_layer_on_its_page() {
    let p = &*PUBLICATION;
    let file = pdf_file("layer");
    let text = poppler("pdftotext", &[file.to_str().unwrap(), "-"]);
    let pages: Vec<String> = text.split('\u{c}').map(letters).collect();
    assert_eq!(
        pages.len() - 1,
        p.page_numbers.len(),
        "pages in the text layer"
    );
    let (mut found, mut total) = (0, 0);
    let mut missing = Vec::new();
    let mut misplaced = Vec::new();
    for prov in &CORPUS.provisions {
        let own = letters(&prov.text);
        let printed = p.provision_pages[&prov.id];
        let first = p
            .page_numbers
            .iter()
            .position(|n| *n == Some(printed))
            .unwrap();
        // On its page and the two after it (a long one runs on).
        let (f, t) = held(&pages[first..(first + 3).min(pages.len())].concat(), &own);
        (found, total) = (found + f, total + t);
        if (t - f) * 100 > (t * 15).max(100) {
            missing.push(format!("{} ({f} of {t})", prov.id));
        }
        // Its opening is on the page the typesetter gives for it.
        let (f, t) = held(&pages[first], &own[..own.len().min(4 * CHUNK)]);
        if f * 2 < t {
            misplaced.push(format!("{} (page {printed})", prov.id));
        }
    }
    assert_eq!(p.provision_pages.len(), CORPUS.provisions.len());
    assert!(
        missing.is_empty(),
        "not (wholly) in the text layer: {missing:?}"
    );
    assert!(misplaced.is_empty(), "not on their page: {misplaced:?}");
    assert!(
        found * 100 >= total * 98,
        "{found} of {total} runs of letters found"
    );
    // Part A begins on page 1, after the cover and the contents.
    assert_eq!(p.page_numbers[..3], [None, None, Some(1)]);
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_index_prints_the_pages_of_each_filing() {
    let p = &*PUBLICATION;
    let file = pdf_file("index");
    let first = p.provision_pages.values().max().unwrap() + 1;
    // From the page after the last provision's: the index.
    let physical = p
        .page_numbers
        .iter()
        .position(|n| *n == Some(first - 1))
        .unwrap();
    let text = poppler(
        "pdftotext",
        &[
            "-f",
            &(physical + 1).to_string(),
            file.to_str().unwrap(),
            "-",
        ],
    );
    // The text layer keeps the rows' order, but writes each list of page
    // numbers left to right (in a left-to-right embedding, U+202A, after
    // «ص»): compare sets, row by row.
    let printed: Vec<BTreeSet<u32>> = text
        .split('ص')
        .skip(1)
        .map(|after| after.trim_start_matches([' ', '\u{202a}']))
        .filter(|after| after.starts_with(|c: char| c.is_ascii_digit()))
        .map(|after| {
            after
                .split(['\n', '\u{202c}'])
                .next()
                .unwrap()
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .collect();
    let expected: Vec<BTreeSet<u32>> = CORPUS
        .topics
        .iter()
        .flat_map(|t| CORPUS.index.iter().filter(move |r| r.topic == t.id))
        .map(|r| {
            r.provisions
                .iter()
                .filter_map(|id| p.provision_pages.get(id).copied())
                .collect::<BTreeSet<u32>>()
        })
        .filter(|pages| !pages.is_empty())
        .collect();
    assert_eq!(expected.len(), 155, "filings with pages");
    assert_eq!(printed, expected);
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_typefaces_are_embedded_and_the_bytes_repeat() {
    let file = pdf_file("fonts");
    let fonts = poppler("pdffonts", &[file.to_str().unwrap()]);
    let embedded: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(4) == Some("yes"))
        .filter_map(|l| l.split_whitespace().next())
        .map(|name| name.split_once('+').map_or(name, |(_, n)| n))
        .collect();
    assert_eq!(embedded, ["Amiri-Regular", "Amiri-Bold"], "{fonts}");
    let again = fihris_typeset::compendium_pdf(&CORPUS).unwrap();
    assert!(
        again.pdf == PUBLICATION.pdf,
        "the same record gave other bytes"
    );
    let _ = std::fs::remove_file(file);
}
