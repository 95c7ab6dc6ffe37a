//! The report columns of an index row: paragraph numbers of the meeting
//! reports (or of the COP instruments), with ranges written either way
//! («13-6» is 6–13), letters, preambular «ف.د. N» and Arabic-Indic digits.

use std::sync::LazyLock;

use fihris_model::Letter;
use fihris_model::numerals::{ascii_digits, fold_arabic};
use regex::Regex;

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

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pp>ف\s*\.?\s*د\b\.?)|(?P<a>\d+)\s*-\s*(?P<b>\d+)|(?P<n>\d+)|\((?P<l>[^()\s]{1,2})\)(?:\s*-\s*\((?P<l2>[^()\s]{1,2})\))?|'\d+'?|\d+'")
        .expect("static regex")
});

/// Reads every paragraph a report cell cites, in order. Ranges are
/// expanded; letters attach to the paragraph before them (or stand alone).
pub fn read_report_cell(cell: &str) -> Vec<Cited> {
    let text = ascii_digits(&fold_arabic(cell));
    let mut out: Vec<Cited> = Vec::new();
    let mut preambular = false;
    let mut last_para: Option<u32> = None;
    for caps in TOKEN.captures_iter(&text) {
        if caps.name("pp").is_some() {
            preambular = true;
        } else if let (Some(a), Some(b)) = (caps.name("a"), caps.name("b")) {
            let (a, b): (u32, u32) = (
                a.as_str().parse().unwrap_or(0),
                b.as_str().parse().unwrap_or(0),
            );
            for k in a.min(b)..=a.max(b).min(a.min(b) + 200) {
                out.push(Cited {
                    paragraph: k,
                    letter: None,
                    preambular,
                });
            }
            preambular = false;
            last_para = None;
        } else if let Some(n) = caps.name("n") {
            let n = n.as_str().parse().unwrap_or(0);
            out.push(Cited {
                paragraph: n,
                letter: None,
                preambular,
            });
            preambular = false;
            last_para = Some(n);
        } else if let Some(l) = caps.name("l") {
            let read = |raw: &str| {
                if raw == "i" {
                    Letter::from_index(0)
                } else {
                    Letter::from_arabic(raw)
                }
            };
            let first = read(l.as_str());
            let last = caps.name("l2").and_then(|m| read(m.as_str())).or(first);
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
        }
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
