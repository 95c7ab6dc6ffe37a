//! Arabic numbering systems of the compendium: ordinal words (أولاً …),
//! abjad-ordered sub-paragraph letters, Arabic-Indic digits and Roman
//! numerals for the English display forms.

/// Removes harakat (U+064B–U+0652) and tatweel (U+0640) and folds the alef
/// variants (أ إ آ → ا) and alef maqsura (ى → ي), so that spellings such as
/// «أولاً» and «أولا» compare equal. Meant for matching, never for display.
pub fn fold_arabic(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' => 'ي',
            other => other,
        })
        .collect()
}

/// Text folded for matching ([`fold_arabic`] plus ASCII digits), with
/// each folded byte's origin in the original, so that a match can be cut
/// from the text as printed.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text` (and one past the end): the byte offset in
    /// the original it came from.
    pub origin: Vec<usize>,
}

impl Folded {
    /// The original byte range of folded range `start..end`.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| self.origin.get(i).copied().unwrap_or(0);
        (at(start), at(end))
    }
}

/// Folds harakat, tatweel, alef variants and digits, keeping offsets.
pub fn fold(original: &str) -> Folded {
    let mut text = String::with_capacity(original.len());
    let mut origin = Vec::with_capacity(original.len() + 1);
    for (pos, c) in original.char_indices() {
        let c = match c {
            '\u{064B}'..='\u{0652}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' => 'ي',
            other => ascii_digit(other),
        };
        origin.extend(std::iter::repeat_n(pos, c.len_utf8()));
        text.push(c);
    }
    origin.push(original.len());
    Folded { text, origin }
}

/// Replaces Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits by
/// ASCII digits; other characters are kept.
pub fn ascii_digits(s: &str) -> String {
    s.chars().map(ascii_digit).collect()
}

/// One character with Arabic-Indic digits mapped to ASCII.
pub fn ascii_digit(c: char) -> char {
    match c {
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        other => other,
    }
}

/// Parses a run of ASCII or Arabic-Indic decimal digits.
pub fn parse_number(s: &str) -> Option<u32> {
    let ascii = ascii_digits(s.trim());
    if ascii.is_empty() || !ascii.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ascii.parse().ok()
}

/// Section ordinals as printed in the compendium (with tanween), and on
/// to twenty for the meetings after it («حادي عشر»).
const ORDINALS: [&str; 20] = [
    "أولاً",
    "ثانياً",
    "ثالثاً",
    "رابعاً",
    "خامساً",
    "سادساً",
    "سابعاً",
    "ثامناً",
    "تاسعاً",
    "عاشراً",
    "حادي عشر",
    "ثاني عشر",
    "ثالث عشر",
    "رابع عشر",
    "خامس عشر",
    "سادس عشر",
    "سابع عشر",
    "ثامن عشر",
    "تاسع عشر",
    "عشرون",
];

/// Ordinal adjectives naming meetings («الاجتماع الأول», «الاجتماع الحادي
/// عشر») and sessions («الدورة الأولى»): masculine and feminine forms,
/// folded.
const ORDINAL_ADJECTIVES: [(&str, &str); 20] = [
    ("الاول", "الاولي"),
    ("الثاني", "الثانيه"),
    ("الثالث", "الثالثه"),
    ("الرابع", "الرابعه"),
    ("الخامس", "الخامسه"),
    ("السادس", "السادسه"),
    ("السابع", "السابعه"),
    ("الثامن", "الثامنه"),
    ("التاسع", "التاسعه"),
    ("العاشر", "العاشره"),
    ("الحادي عشر", "الحاديه عشره"),
    ("الثاني عشر", "الثانيه عشره"),
    ("الثالث عشر", "الثالثه عشره"),
    ("الرابع عشر", "الرابعه عشره"),
    ("الخامس عشر", "الخامسه عشره"),
    ("السادس عشر", "السادسه عشره"),
    ("السابع عشر", "السابعه عشره"),
    ("الثامن عشر", "الثامنه عشره"),
    ("التاسع عشر", "التاسعه عشره"),
    ("العشرون", "العشرون"),
];

/// The section ordinals as [`fold_arabic`] folds them (أولاً → اولا), in
/// order: for readers that match folded text.
pub fn ordinals_folded() -> &'static [String] {
    static FOLDED: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| ORDINALS.iter().map(|o| fold_arabic(o)).collect());
    &FOLDED
}

/// The printed ordinal word of section `n` (1-based), e.g. 4 → «رابعاً».
pub fn ordinal_ar(n: u32) -> Option<&'static str> {
    ORDINALS.get((n as usize).checked_sub(1)?).copied()
}

/// Reads an ordinal word, with or without tanween or hamza: «رابعاً»,
/// «رابعا», «اولا» → 4, 4, 1.
pub fn parse_ordinal_ar(word: &str) -> Option<u32> {
    let folded = fold_arabic(word.trim());
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = folded.trim_end_matches('ا');
    ORDINALS
        .iter()
        .position(|o| fold_arabic(o).trim_end_matches('ا') == folded)
        .map(|i| i as u32 + 1)
}

/// Reads an ordinal adjective («الأول», «الأولى», «الخامسة») → 1, 1, 5.
pub fn parse_ordinal_adjective(word: &str) -> Option<u32> {
    let folded = fold_arabic(word.trim())
        .replace('ة', "ه")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    ORDINAL_ADJECTIVES
        .iter()
        .position(|(m, f)| *m == folded || *f == folded)
        .map(|i| i as u32 + 1)
}

/// Upper-case Roman numeral for 1..=3999 (section numbers: I, II, … IX).
pub fn roman_upper(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

/// Lower-case Roman numeral, as the English edition numbers items: (ii).
pub fn roman_lower(n: u32) -> String {
    roman_upper(n).to_ascii_lowercase()
}

/// Reads an upper- or lower-case Roman numeral (I … XXXIX and beyond).
pub fn parse_roman(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || !s.chars().all(|c| "IVXLCDMivxlcdm".contains(c)) {
        return None;
    }
    let value = |c: char| match c.to_ascii_uppercase() {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let chars: Vec<i64> = s.chars().map(value).collect();
    let mut total = 0i64;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    let total = u32::try_from(total).ok()?;
    // Only canonical spellings round-trip.
    (roman_upper(total).eq_ignore_ascii_case(s)).then_some(total)
}

/// Sub-paragraph letters in abjad order with their English-edition
/// equivalents (أ=a, ب=b, … ر=t, then the rarer letters).
const ABJAD: [(&str, char); 26] = [
    ("أ", 'a'),
    ("ب", 'b'),
    ("ج", 'c'),
    ("د", 'd'),
    ("هـ", 'e'),
    ("و", 'f'),
    ("ز", 'g'),
    ("ح", 'h'),
    ("ط", 'i'),
    ("ي", 'j'),
    ("ك", 'k'),
    ("ل", 'l'),
    ("م", 'm'),
    ("ن", 'n'),
    ("س", 'o'),
    ("ع", 'p'),
    ("ف", 'q'),
    ("ص", 'r'),
    ("ق", 's'),
    ("ر", 't'),
    ("ش", 'u'),
    ("ت", 'v'),
    ("ث", 'w'),
    ("خ", 'x'),
    ("ذ", 'y'),
    ("ض", 'z'),
];

/// A sub-paragraph letter: its position in the abjad order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Letter(u8);

impl Letter {
    /// The letter at abjad position `index` (0 = أ/a).
    pub fn from_index(index: usize) -> Option<Letter> {
        (index < ABJAD.len()).then_some(Letter(index as u8))
    }

    /// Reads an Arabic enumerator as printed, accepting the variants the
    /// PDF extraction produces: ا/إ/آ for أ, ه for هـ, ى for ي.
    pub fn from_arabic(s: &str) -> Option<Letter> {
        let s = s.trim();
        let canonical = match s {
            "ا" | "إ" | "آ" | "أ" => "أ",
            "ه" | "هـ" | "ﻫ" => "هـ",
            "ى" => "ي",
            other => other,
        };
        ABJAD
            .iter()
            .position(|(ar, _)| *ar == canonical)
            .map(|i| Letter(i as u8))
    }

    /// Reads the English-edition letter (a, b, … z).
    pub fn from_latin(c: char) -> Option<Letter> {
        ABJAD
            .iter()
            .position(|(_, en)| *en == c.to_ascii_lowercase())
            .map(|i| Letter(i as u8))
    }

    /// Position in the abjad order (0 = أ).
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The Arabic enumerator, e.g. «ط».
    pub fn arabic(self) -> &'static str {
        ABJAD[self.index()].0
    }

    /// The English-edition letter, e.g. 'i'.
    pub fn latin(self) -> char {
        ABJAD[self.index()].1
    }

    /// The next letter in abjad order, if any.
    pub fn next(self) -> Option<Letter> {
        Letter::from_index(self.index() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_with_and_without_tanween() {
        assert_eq!(parse_ordinal_ar("أولاً"), Some(1));
        assert_eq!(parse_ordinal_ar("أولا"), Some(1));
        assert_eq!(parse_ordinal_ar("تاسعاً"), Some(9));
        assert_eq!(parse_ordinal_ar("ثانيا"), Some(2));
        assert_eq!(parse_ordinal_ar("ألف"), None);
        assert_eq!(ordinal_ar(4), Some("رابعاً"));
        assert_eq!(parse_ordinal_adjective("الأولى"), Some(1));
        assert_eq!(parse_ordinal_adjective("الخامسة"), Some(5));
        assert_eq!(parse_ordinal_adjective("الأول"), Some(1));
    }

    #[test]
    fn digits_and_romans() {
        assert_eq!(ascii_digits("٤٦ و 12"), "46 و 12");
        assert_eq!(parse_number("٢٠٢٤"), Some(2024));
        assert_eq!(parse_number("4a"), None);
        assert_eq!(roman_upper(9), "IX");
        assert_eq!(roman_lower(4), "iv");
        assert_eq!(parse_roman("IV"), Some(4));
        assert_eq!(parse_roman("iiii"), None);
        assert_eq!(parse_roman("viii"), Some(8));
    }

    #[test]
    fn letters_in_abjad_order() {
        assert_eq!(Letter::from_arabic("ط").map(Letter::latin), Some('i'));
        assert_eq!(Letter::from_arabic("ه").map(Letter::latin), Some('e'));
        assert_eq!(Letter::from_arabic("إ").map(Letter::latin), Some('a'));
        assert_eq!(Letter::from_arabic("ف").map(Letter::latin), Some('q'));
        assert_eq!(Letter::from_arabic("ر").map(Letter::latin), Some('t'));
        assert_eq!(Letter::from_latin('o').map(Letter::arabic), Some("س"));
        assert_eq!(Letter::from_arabic("x"), None);
    }
}
