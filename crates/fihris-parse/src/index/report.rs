//! The report columns of an index row: paragraph numbers of the meeting
//! reports (or of the COP instruments), with ranges written either way
//! («13-6» is 6–13), letters, preambular «ف.د. N» and Arabic-Indic digits.

use fihris_model::Letter;
use fihris_model::numerals::{ascii_digits, fold_arabic};

/// One paragraph number cited in a report column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cited {
    /// Paragraph number (0 when only a letter is cited, as decisions
    /// without numbered paragraphs are).
    pub paragraph: u32,
    /// Sub-paragraph letter, if one follows.
    pub letter: Option<Letter>,
    /// Whether it is a preambular paragraph.
    pub preambular: bool,
}

fn digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// A letter in brackets at the start of `s`: («(ب)», rest).
fn bracketed(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('(')?;
    let close = inner.find(')')?;
    let raw = &inner[..close];
    (raw.chars().count() <= 2 && !raw.contains(char::is_whitespace))
        .then(|| (raw, &inner[close + 1..]))
}

fn letter_of(raw: &str) -> Option<Letter> {
    if raw == "i" {
        Letter::from_index(0)
    } else {
        Letter::from_arabic(raw)
    }
}

/// Reads every paragraph a report cell cites, in order. Ranges are
/// expanded; letters attach to the paragraph before them (or stand alone).
// Longer than 100 lines on purpose: one pass over the cell's tokens, each
// arm one notation of the report column (ranges, letters, preambular,
// recommendation numbers) sharing the paragraph in force.
pub fn read_report_cell(cell: &str) -> Vec<Cited> {
    let text = ascii_digits(&fold_arabic(cell));
    let mut out: Vec<Cited> = Vec::new();
    let mut preambular = false;
    let mut last_para: Option<u32> = None;
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let (num, after) = digits(rest);
            let a: u32 = num.parse().unwrap_or(0);
            if let Some(tail) = after.strip_prefix('\'') {
                rest = tail; // an item number: not a paragraph
                continue;
            }
            let range_end = after
                .trim_start()
                .strip_prefix('-')
                .map(str::trim_start)
                .and_then(|t| {
                    let (n, tail) = digits(t);
                    (!n.is_empty()).then(|| (n.parse::<u32>().unwrap_or(0), tail))
                });
            match range_end {
                Some((b, tail)) => {
                    for k in a.min(b)..=a.max(b).min(a.min(b) + 200) {
                        out.push(Cited {
                            paragraph: k,
                            letter: None,
                            preambular,
                        });
                    }
                    last_para = None;
                    rest = tail;
                }
                None => {
                    out.push(Cited {
                        paragraph: a,
                        letter: None,
                        preambular,
                    });
                    last_para = Some(a);
                    rest = after;
                }
            }
            preambular = false;
            continue;
        }
        if let Some((raw, after)) = bracketed(rest) {
            let first = letter_of(raw);
            let mut last = first;
            rest = after;
            if let Some((raw2, after2)) = after
                .trim_start()
                .strip_prefix('-')
                .map(str::trim_start)
                .and_then(bracketed)
            {
                last = letter_of(raw2).or(first);
                rest = after2;
            }
            let letters: Vec<Option<Letter>> = match (first, last) {
                (Some(a), Some(b)) => (a.index()..=b.index().max(a.index()))
                    .map(Letter::from_index)
                    .collect(),
                _ => vec![first],
            };
            let paragraph = last_para.unwrap_or(0);
            for letter in letters {
                // «13 (ح)»: the letter refines the paragraph just read.
                match out.last_mut() {
                    Some(prev)
                        if prev.paragraph == paragraph
                            && prev.letter.is_none()
                            && last_para.is_some() =>
                    {
                        prev.letter = letter;
                    }
                    _ => out.push(Cited {
                        paragraph,
                        letter,
                        preambular: false,
                    }),
                }
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix('ف') {
            let t = after.trim_start();
            let t = t.strip_prefix('.').unwrap_or(t).trim_start();
            if let Some(tail) = t.strip_prefix('د')
                && tail.chars().next().is_none_or(|c| !c.is_alphabetic())
            {
                preambular = true;
                rest = tail;
                continue;
            }
        }
        if c == '\'' {
            // «'4'»: an item, skipped with its digits.
            let (_, tail) = digits(&rest[1..]);
            rest = tail.strip_prefix('\'').unwrap_or(tail);
            continue;
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(cell: &str) -> Vec<String> {
        read_report_cell(cell)
            .iter()
            .map(|c| {
                let l = c
                    .letter
                    .map(|l| format!("({})", l.latin()))
                    .unwrap_or_default();
                format!("{}{}{l}", if c.preambular { "pp" } else { "" }, c.paragraph)
            })
            .collect()
    }

    #[test]
    fn numbers_letters_ranges() {
        assert_eq!(show("13 (ح) 10 و 12"), ["13(h)", "10", "12"]);
        assert_eq!(
            show("45 13-6"),
            ["45", "6", "7", "8", "9", "10", "11", "12", "13"]
        );
        assert_eq!(show("51 (ب) و (د)"), ["51(b)", "51(d)"]);
        assert_eq!(show("(ج) 7 (د)"), ["0(c)", "7(d)"]);
        assert_eq!(show("ف.د. 11"), ["pp11"]);
        assert_eq!(
            show("(هـ) و(ط)-(ل)"),
            ["0(e)", "0(i)", "0(j)", "0(k)", "0(l)"]
        );
        assert_eq!(show("14 و 16-18 و ٤٦"), ["14", "16", "17", "18", "46"]);
    }
}
