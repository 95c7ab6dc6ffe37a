//! Our Arabic analysis, after Lucene's `ArabicAnalyzer`, as tantivy token
//! filters: a word tokenizer that keeps harakat and tatweel inside words
//! (splitting at them is what breaks SQLite's `unicode61` on Arabic),
//! Lucene's Arabic stopwords (before normalization), the normalizer
//! (آ أ إ → ا, ى → ي, ة → ه, tatweel and harakat removed, Arabic-Indic
//! digits → ASCII, Latin lower-cased) and the light stemmer (one prefix of
//! ال وال بال كال فال لل و, then the suffixes ها ان ات ون ين يه ية ه ة ي).
//!
//! Two analyzers are registered: [`STEMMED`] (stopwords, normalizer,
//! stemmer) for ranking, and [`NORMALIZED`] (normalizer only) for exact and
//! phrase matching.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Name of the stemming analyzer.
pub const STEMMED: &str = "ar_stem";
/// Name of the normalize-only analyzer.
pub const NORMALIZED: &str = "ar_norm";
/// Name of the clitic-stripping analyzer (our addition to Lucene's).
pub const ROOTED: &str = "ar_root";

/// Whether `c` belongs inside a word: letters, digits, and the Arabic
/// combining marks and tatweel (which are not alphanumeric in Unicode).
/// Superscript digits (footnote markers) are not word characters.
pub fn is_word_char(c: char) -> bool {
    // Fast paths: ASCII, and the Arabic letters, marks and digits.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0621}'..='\u{0669}').contains(&c) {
        return true;
    }
    if matches!(c, '¹' | '²' | '³' | '⁰'..='⁹') {
        return false;
    }
    c.is_alphanumeric() || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Splits text into words (see [`is_word_char`]), with byte offsets.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let rest = &self.text[self.pos..];
        let Some(start) = rest.find(is_word_char) else {
            self.pos = self.text.len();
            return false;
        };
        let from = self.pos + start;
        let len = self.text[from..]
            .find(|c| !is_word_char(c))
            .unwrap_or(self.text.len() - from);
        self.token.offset_from = from;
        self.token.offset_to = from + len;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..from + len]);
        self.pos = from + len;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

static STOPWORDS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    include_str!("../data/stopwords-ar.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(strip_marks)
        .collect()
});

/// Removes harakat and tatweel only.
fn strip_marks(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}'))
        .collect()
}

/// Whether a word (as printed) is one of Lucene's Arabic stopwords. Harakat
/// are ignored; alef forms are not folded (the list holds both).
pub fn is_stopword(word: &str) -> bool {
    if word
        .chars()
        .any(|c| matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}'))
    {
        STOPWORDS.contains(&strip_marks(word))
    } else {
        STOPWORDS.contains(word)
    }
}

/// Lucene's Arabic normalization of one word, plus digits and Latin case.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\u{064B}'..='\u{0652}' | '\u{0640}' => {}
            'آ' | 'أ' | 'إ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            '٠'..='٩' => out.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
            '۰'..='۹' => out.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
            // Arabic letters and ASCII need no case table.
            '\u{0600}'..='\u{06FF}' => out.push(c),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

const PREFIXES: [&str; 7] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES: [&str; 10] = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// Lucene's Arabic light stemmer on a normalized word: the first matching
/// prefix (و only when the word has at least 4 letters; any prefix only when
/// at least 2 letters remain), then each matching suffix in order while at
/// least 2 letters remain.
pub fn stem(word: &str) -> &str {
    let count = |s: &str| s.chars().count();
    let mut w = word;
    let n = count(w);
    for p in PREFIXES {
        if !w.starts_with(p) {
            continue;
        }
        let pl = count(p);
        if pl == 1 && n < 4 {
            continue;
        }
        if n > pl + 1 {
            w = &w[p.len()..];
            break;
        }
    }
    strip_suffixes(w)
}

/// Lucene's suffix loop: each suffix in order, while at least 2 letters
/// remain.
fn strip_suffixes(mut w: &str) -> &str {
    let mut n = w.chars().count();
    for s in SUFFIXES {
        if !w.ends_with(s) {
            continue;
        }
        let sl = s.chars().count();
        if n > sl + 1 {
            w = &w[..w.len() - s.len()];
            n -= sl;
        }
    }
    w
}

/// Our heavier light stemmer, beside Lucene's: also strips the one-letter
/// proclitics ل ب ك ف و (when at least 3 letters remain), so that
/// «لتعويضات» and «لضحايا» meet «التعويضات» and «الضحايا»; attached
/// pronouns (هم، هن، كم، هما، كما, with the ت they leave of a taa
/// marbuta: «هويتهم» meets «هوية»); the ـو of a sound masculine plural in
/// construct state («مقدمو» meets «مقدمي»); the accusative alif («شهوداً»
/// meets «الشهود»); and the broken plural فعايا («الضحايا» meets «ضحية»).
/// Indexed in a field of its own, so Lucene's behaviour stays intact.
pub fn root(word: &str) -> &str {
    let count = |s: &str| s.chars().count();
    let mut w = word;
    let mut stripped = false;
    for p in ["وبال", "وال", "بال", "كال", "فال", "ولل", "لل", "ال"] {
        if w.starts_with(p) && count(w) > count(p) + 1 {
            w = &w[p.len()..];
            stripped = true;
            break;
        }
    }
    if !stripped && w.starts_with(['و', 'ف', 'ب', 'ل', 'ك']) && count(w) >= 5 {
        w = &w['و'.len_utf8()..];
        if count(w) >= 5 && w.starts_with("ال") {
            w = &w["ال".len()..];
        }
    }
    // Attached pronouns («هويتهم», «دورهما»), and the taa marbuta that
    // they turn into ت («هويتهم» meets «هوية»).
    let mut bare = w;
    for p in ["هما", "كما", "هم", "هن", "كم"] {
        if let Some(stem) = w.strip_suffix(p)
            && count(stem) >= 3
        {
            let stem = match stem.strip_suffix('ت') {
                Some(s) if count(s) >= 3 => s,
                _ => stem,
            };
            bare = stem;
            break;
        }
    }
    // The sound masculine plural in construct state loses its ن: «مقدمو
    // الخدمات» meets «مقدمي» and «المقدمين» (Lucene strips ون and ي, not و).
    let bare = match bare.strip_suffix('و') {
        Some(stem) if count(stem) >= 4 => stem,
        _ => bare,
    };
    let w = strip_suffixes(bare);
    // The broken plural فعايا of فعيّة: «الضحايا» meets «ضحية», «القضايا»
    // meets «قضية».
    if let Some(head) = w.strip_suffix("ايا")
        && count(head) == 2
    {
        // As Lucene's suffixes leave the singular: «ضحية» → «ضح».
        return head;
    }
    // The accusative ending ـاً (تنوين الفتح, written as a bare alif once
    // the harakat are gone): «شهوداً» meets «الشهود».
    match w.strip_suffix('ا') {
        Some(stem) if count(stem) >= 3 => stem,
        _ => w,
    }
}

/// Removes stopwords.
#[derive(Clone, Copy)]
pub struct StopFilter;

/// Applies [`root`] to each token.
#[derive(Clone, Copy)]
pub struct RootFilter;

/// Normalizes each token.
#[derive(Clone, Copy)]
pub struct NormalizeFilter;

/// Stems each token.
#[derive(Clone, Copy)]
pub struct StemFilter;

macro_rules! filter {
    ($filter:ident, $wrapper:ident, $stream:ident, $apply:expr) => {
        /// The tokenizer this filter wraps.
        #[derive(Clone)]
        pub struct $wrapper<T>(T);

        impl TokenFilter for $filter {
            type Tokenizer<T: Tokenizer> = $wrapper<T>;
            fn transform<T: Tokenizer>(self, tokenizer: T) -> $wrapper<T> {
                $wrapper(tokenizer)
            }
        }

        impl<T: Tokenizer> Tokenizer for $wrapper<T> {
            type TokenStream<'a> = $stream<T::TokenStream<'a>>;
            fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
                $stream(self.0.token_stream(text))
            }
        }

        /// The stream of this filter.
        pub struct $stream<S>(S);

        impl<S: TokenStream> TokenStream for $stream<S> {
            fn advance(&mut self) -> bool {
                let apply: fn(&mut Token) -> bool = $apply;
                while self.0.advance() {
                    if apply(self.0.token_mut()) {
                        return true;
                    }
                }
                false
            }
            fn token(&self) -> &Token {
                self.0.token()
            }
            fn token_mut(&mut self) -> &mut Token {
                self.0.token_mut()
            }
        }
    };
}

filter!(StopFilter, StopTokenizer, StopStream, |t| !is_stopword(
    &t.text
));
filter!(NormalizeFilter, NormalizeTokenizer, NormalizeStream, |t| {
    t.text = normalize(&t.text);
    !t.text.is_empty()
});
filter!(StemFilter, StemTokenizer, StemStream, |t| {
    t.text = stem(&t.text).to_owned();
    true
});

filter!(RootFilter, RootTokenizer, RootStream, |t| {
    t.text = root(&t.text).to_owned();
    true
});

/// The clitic-stripping analyzer: words, stopwords, normalizer, [`root`].
pub fn rooted() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(StopFilter)
        .filter(NormalizeFilter)
        .filter(RootFilter)
        .build()
}

/// The ranking analyzer: words, stopwords, normalizer, stemmer.
pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(StopFilter)
        .filter(NormalizeFilter)
        .filter(StemFilter)
        .build()
}

/// The exact-match analyzer: words and normalizer only.
pub fn normalized() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(NormalizeFilter)
        .build()
}

/// The tokens an analyzer gives for `text`: (term, byte range).
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(word: &str) -> String {
        stem(&normalize(word)).to_owned()
    }

    #[test]
    fn lucene_golden_words() {
        // Lucene 9.5 ArabicAnalyzer outputs (normalizer + light stemmer).
        for (word, want) in [
            ("وَالمُعَلِّمُونَ", "معلم"),
            ("بالمدرسة", "مدرس"),
            ("للأطفال", "اطفال"),
            ("التوصيات", "توص"),
            ("حقوق", "حقوق"),
            ("المرأة", "مرا"),
            ("٢٠٢٤", "2024"),
            ("والدول", "دول"),
            ("والمساواة", "مساوا"),
            ("اللاجئين", "لاجئ"),
        ] {
            assert_eq!(one(word), want, "{word}");
        }
    }

    #[test]
    fn normalizer_and_tokenizer() {
        assert_eq!(normalize("إِنْفَاذ"), "انفاذ");
        assert_eq!(normalize("الأتجار"), "الاتجار");
        assert_eq!(normalize("مصطفـــى"), "مصطفي");
        assert_eq!(normalize("Blue"), "blue");
        let mut a = stemmed();
        let toks: Vec<String> = analyze(&mut a, "ينبغي للدول الأطراف⁽¹⁾ أن تُعِدّ (المكتب) في ٢٠١٠")
            .into_iter()
            .map(|t| t.0)
            .collect();
        // «أن» and «في» are stopwords; harakat stay inside the word.
        assert_eq!(toks, ["ينبغ", "دول", "اطراف", "تعد", "مكتب", "2010"]);
        let mut n = normalized();
        let toks: Vec<(String, usize, usize)> = analyze(&mut n, "في المُعَلِّمُونَ");
        assert_eq!(toks[1].0, "المعلمون");
        assert_eq!((toks[1].1, toks[1].2), ("في ".len(), "في المُعَلِّمُونَ".len()));
    }

    #[test]
    fn roots_strip_one_letter_proclitics() {
        for (word, want) in [
            ("لتعويضات", "تعويض"),
            ("والتعويضات", "تعويض"),
            ("لضحايا", "ضح"),
            ("الضحايا", "ضح"),
            ("ضحية", "ضح"),
            ("القضايا", "قض"),
            ("قضية", "قض"),
            ("شهوداً", "شهود"),
            ("الشهود", "شهود"),
            ("هويتهم", "هو"),
            ("هوية", "هو"),
            ("دورهما", "دور"),
            ("جهودكم", "جهود"),
            ("مقدمو", "مقدم"),
            ("ومقدّمو", "مقدم"),
            ("مقدمي", "مقدم"),
            ("المقدمين", "مقدم"),
            ("مفتشو", "مفتش"),
            ("مفتشي", "مفتش"),
            ("نمو", "نمو"),
            ("عضو", "عضو"),
            ("بالأشخاص", "اشخاص"),
            ("وللدول", "دول"),
            ("لها", "لها"),
        ] {
            assert_eq!(root(&normalize(word)), want, "{word}");
        }
    }

    #[test]
    fn stopwords_before_normalization() {
        assert!(is_stopword("في"));
        assert!(is_stopword("إلى"));
        assert!(is_stopword("الى"));
        assert!(!is_stopword("الاتجار"));
    }
}
