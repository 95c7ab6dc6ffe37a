//! Text accumulation: joins the lines of one block (across page breaks and
//! footnotes), remembers which source line each piece came from, finds
//! footnote markers and inline enumerations.

use std::sync::LazyLock;

use fihris_model::{Letter, LineSpan};
use regex::Regex;

/// Text gathered from one or more source lines.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    /// The joined text.
    pub text: String,
    /// (byte offset in `text`, source line) of each appended piece.
    pub pieces: Vec<(usize, u32)>,
}

/// Characters that end a printed paragraph. A block whose text ends with
/// one of them and then continues on a later line had a second, unnumbered
/// paragraph (joined with a newline); otherwise the line was cut by a page
/// break (joined with a space).
const TERMINAL: [char; 7] = ['.', '؛', ';', ':', '؟', '?', '!'];

impl Acc {
    /// Starts with the text of one line.
    pub fn new(text: &str, line: u32) -> Acc {
        let mut acc = Acc::default();
        acc.push(text, line);
        acc
    }

    /// Appends a line's text.
    pub fn push(&mut self, text: &str, line: u32) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.text.chars().last() {
            self.text
                .push(if TERMINAL.contains(&last) { '\n' } else { ' ' });
        }
        self.pieces.push((self.text.len(), line));
        self.text.push_str(text);
    }

    /// Whether nothing has been gathered.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The source line of byte offset `pos`.
    pub fn line_at(&self, pos: usize) -> u32 {
        self.pieces
            .iter()
            .take_while(|(start, _)| *start <= pos)
            .last()
            .or(self.pieces.first())
            .map_or(0, |(_, line)| *line)
    }

    /// Lines covered by the byte range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> LineSpan {
        let mut span = LineSpan::line(self.line_at(start));
        span.extend_to(self.line_at(end.saturating_sub(1).max(start)));
        span
    }
}

static INLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([:؛;])\s*\(([^()\s]{1,2})\)\s+").expect("static regex"));

/// One enumerated sub-paragraph found inside a block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineItem {
    /// Its letter.
    pub letter: Letter,
    /// Byte range of its text (without the marker) in the block's text.
    pub start: usize,
    /// End of its text (exclusive).
    pub end: usize,
}

/// Finds an enumeration run inline inside one block: «…: (أ) …؛ (ب) …».
/// It must open with (أ) after a colon and go on in abjad order, each
/// marker after a semicolon; markers elsewhere (citations such as «الفقرة
/// الفرعية (أ) من المادة 3») are left in the text. Returns the end of the
/// head (just after the colon) and the items, or `None` if fewer than two
/// items are found.
pub fn inline_enumeration(text: &str) -> Option<(usize, Vec<InlineItem>)> {
    if !text.contains(": (") && !text.contains(":(") {
        return None;
    }
    let mut head_end = None;
    let mut marks: Vec<(Letter, usize, usize)> = Vec::new(); // letter, sep start, text start
    for caps in INLINE.captures_iter(text) {
        let (Some(whole), Some(sep)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Some(letter) = Letter::from_arabic(&caps[2]) else {
            continue;
        };
        let expected = marks
            .last()
            .map_or(Letter::from_index(0), |(l, _, _)| l.next());
        if Some(letter) != expected {
            continue;
        }
        if marks.is_empty() {
            if sep.as_str() != ":" {
                continue;
            }
            head_end = Some(sep.end());
        } else if sep.as_str() == ":" {
            continue;
        }
        marks.push((letter, sep.end(), whole.end()));
    }
    if marks.len() < 2 {
        return None;
    }
    let items = marks
        .iter()
        .enumerate()
        .map(|(i, (letter, _, start))| InlineItem {
            letter: *letter,
            start: *start,
            end: marks.get(i + 1).map_or(text.len(), |next| next.1),
        })
        .collect();
    Some((head_end?, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_page_breaks_with_space_and_paragraphs_with_newline() {
        let mut acc = Acc::new("أن تبذل مزيداً من", 10);
        acc.push("الجهود في التحقيق.", 14);
        acc.push("كما ينبغي.", 16);
        assert_eq!(acc.text, "أن تبذل مزيداً من الجهود في التحقيق.\nكما ينبغي.");
        assert_eq!(acc.span(0, acc.text.len()), LineSpan { start: 10, end: 16 });
        assert_eq!(acc.line_at(acc.text.find("الجهود").unwrap()), 14);
    }

    #[test]
    fn inline_runs_only_after_colon_and_semicolons() {
        let text = "المواضيع التالية: (أ) الأول؛ (ب) الثاني وفق الفقرة الفرعية (أ) من المادة 3؛ (ج) الثالث.";
        let (head, items) = inline_enumeration(text).unwrap();
        assert_eq!(&text[..head], "المواضيع التالية:");
        let letters: Vec<char> = items.iter().map(|i| i.letter.latin()).collect();
        assert_eq!(letters, ['a', 'b', 'c']);
        assert_eq!(&text[items[0].start..items[0].end], "الأول؛");
        assert!(text[items[1].start..items[1].end].ends_with("المادة 3؛"));
        assert_eq!(
            inline_enumeration("وفقاً للفقرة الفرعية (أ) من المادة 3؛ (ب) x"),
            None
        );
    }
}
