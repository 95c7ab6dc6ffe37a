//! The query language: words (all of them, ranked by BM25), `"exact
//! phrase"`, `-exclusion`, `a OR b`, `prefix*`, «أو» or `/` between groups
//! of words (either group), and filters
//! (`meeting:IV` / `اجتماع:4`, `session:5` / `دورة:5`, `year:2015` /
//! `سنة:2015`, `part:B` / `جزء:باء`, `kind:preambular` / `نوع:ديباجة`,
//! `topic:<id>` / `موضوع:<id>`, `section:A.4`). Malformed queries get a
//! clear message in English and Arabic, never a panic.

use std::fmt;

use fihris_model::numerals::{ascii_digits, parse_ordinal_ar, parse_roman};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {}", self.message, self.message_ar)
    }
}

impl std::error::Error for QueryError {}

fn err(en: impl Into<String>, ar: impl Into<String>) -> QueryError {
    QueryError {
        message: en.into(),
        message_ar: ar.into(),
    }
}

/// One alternative inside a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// A word, matched by its stem (and close spellings if long).
    Word(String),
    /// Words that must appear in this order, as normalized.
    Phrase(String),
    /// Words starting with this (normalized) prefix.
    Prefix(String),
}

/// A filter on the provisions' facets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A section: `A.4` (meeting IV), `B.5` (session 5).
    Section(String),
    /// A part: `A` or `B`.
    Part(String),
    /// A year.
    Year(u16),
    /// A provision kind.
    Kind(String),
    /// A topic id.
    Topic(String),
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Clauses that must all match; each is a list of alternatives (OR).
    pub clauses: Vec<Vec<Atom>>,
    /// Atoms that must not match.
    pub excluded: Vec<Atom>,
    /// Filters that must all hold.
    pub filters: Vec<Filter>,
    /// Clauses that give context: they rank but are not required. In
    /// «A، B» (the form of the index's labels) the words before the last
    /// comma are context for B; words in parentheses are always context.
    pub context: Vec<bool>,
    /// The group of each clause. «أو» ("or") and `/` between words start a
    /// new group, and a provision needs only one group's words: «تحديد
    /// هويتهم أو التعرف عليهم» is (تحديد هويتهم) or (التعرف عليهم).
    pub groups: Vec<usize>,
    /// The query's words without operators, exclusions and filters, as
    /// typed: what meaning search reads.
    pub text: String,
}

impl Query {
    /// Every positive atom.
    pub fn atoms(&self) -> impl Iterator<Item = &Atom> {
        self.clauses.iter().flatten()
    }

    /// The words of the clauses not read as context, as typed, when some
    /// clause is read as context and some is not: «المعلمون والمربون» of
    /// «جهات الاستجابة، المعلمون والمربون». `None` for a query all focus
    /// (or all context).
    pub fn focus(&self) -> Option<String> {
        let focus: Vec<&str> = self
            .clauses
            .iter()
            .zip(&self.context)
            .filter(|(_, context)| !**context)
            .flat_map(|(alternatives, _)| alternatives)
            .map(|a| match a {
                Atom::Word(w) => w.as_str(),
                Atom::Phrase(p) | Atom::Prefix(p) => p.as_str(),
            })
            .collect();
        (!focus.is_empty() && focus.len() < self.atoms().count()).then(|| focus.join(" "))
    }
}

/// Splits a query into raw tokens, keeping quoted phrases whole.
fn split(input: &str) -> Result<Vec<String>, QueryError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '“' | '”' | '«' | '»' => {
                cur.push('"');
                in_quote = !in_quote;
                if !in_quote {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c if c.is_whitespace() && !in_quote => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            // Between Arabic words a slash gives alternatives: glued on
            // both sides («وكالات/شركات») the two words, like OR; with a
            // space beside it («العامون/ أعضاء») the groups of words, like
            // «أو». A slash in Latin text or numbers («CTOC/COP»,
            // «2010/6») is part of the word.
            '/' if !in_quote
                && cur
                    .chars()
                    .last()
                    .is_none_or(|p| p.is_alphabetic() && !p.is_ascii()) =>
            {
                let glued = !cur.is_empty() && chars.peek().is_some_and(|n| !n.is_whitespace());
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(if glued { "OR" } else { "/" }.to_owned());
            }
            c => cur.push(c),
        }
    }
    if in_quote {
        return Err(err(
            "unclosed quotation mark: close the phrase with \"",
            "علامة تنصيص غير مغلقة: أغلق العبارة بعلامة \"",
        ));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn atom(token: &str) -> Result<Option<Atom>, QueryError> {
    if let Some(inner) = token.strip_prefix('"') {
        let inner = inner.strip_suffix('"').unwrap_or(inner).trim();
        if inner.is_empty() {
            return Err(err("empty phrase \"\"", "عبارة فارغة \"\""));
        }
        return Ok(Some(Atom::Phrase(inner.to_owned())));
    }
    if let Some(prefix) = token.strip_suffix('*') {
        let letters = prefix.chars().filter(|c| c.is_alphanumeric()).count();
        if prefix.contains('*') || letters < 2 {
            return Err(err(
                format!("prefix «{token}» is too short: give at least 2 letters before *"),
                format!("البادئة «{token}» قصيرة جداً: اكتب حرفين على الأقل قبل *"),
            ));
        }
        return Ok(Some(Atom::Prefix(prefix.to_owned())));
    }
    if token.chars().any(char::is_alphanumeric) {
        return Ok(Some(Atom::Word(token.to_owned())));
    }
    Ok(None)
}

const FILTER_KEYS: &str =
    "meeting/اجتماع, session/دورة, year/سنة, part/جزء, kind/نوع, topic/موضوع, section/قسم";

fn section_number(value: &str) -> Option<u32> {
    let v = ascii_digits(value.trim());
    v.parse()
        .ok()
        .or_else(|| parse_roman(&v))
        .or_else(|| parse_ordinal_ar(&v))
        .filter(|n| (1..=99).contains(n))
}

fn filter(key: &str, value: &str) -> Result<Option<Filter>, QueryError> {
    let bad = |what: &str, ar: &str| {
        err(
            format!("{key}:{value} — {what}"),
            format!("{key}:{value} — {ar}"),
        )
    };
    let key_l = key.to_lowercase();
    Ok(Some(match key_l.as_str() {
        "meeting" | "اجتماع" | "الاجتماع" => Filter::Section(format!(
            "A.{}",
            section_number(value).ok_or_else(|| bad(
                "expected a meeting number: 4, IV or رابعاً",
                "المتوقع رقم اجتماع"
            ))?
        )),
        "session" | "دورة" | "الدورة" => Filter::Section(format!(
            "B.{}",
            section_number(value).ok_or_else(|| bad(
                "expected a session number: 5, V or خامساً",
                "المتوقع رقم دورة"
            ))?
        )),
        "section" | "قسم" => {
            let v = value.trim().to_ascii_uppercase();
            let ok = v.len() >= 3
                && (v.starts_with("A.") || v.starts_with("B."))
                && v[2..].parse::<u32>().is_ok();
            if !ok {
                return Err(bad(
                    "expected a section id such as A.4 or B.5",
                    "المتوقع معرّف قسم مثل A.4",
                ));
            }
            Filter::Section(v)
        }
        "year" | "سنة" | "عام" => {
            let y: u16 = ascii_digits(value.trim())
                .parse()
                .ok()
                .filter(|y| (1900..=2999).contains(y))
                .ok_or_else(|| bad("expected a year such as 2015", "المتوقع سنة مثل 2015"))?;
            Filter::Year(y)
        }
        "part" | "جزء" | "الجزء" => Filter::Part(
            match value.trim() {
                "A" | "a" | "ألف" | "الف" => "A",
                "B" | "b" | "باء" => "B",
                _ => return Err(bad("expected A or B (ألف or باء)", "المتوقع ألف أو باء")),
            }
            .to_owned(),
        ),
        "kind" | "نوع" => Filter::Kind(
            match value.trim() {
                "paragraph" | "فقرة" => "paragraph",
                "subparagraph" | "فرعية" | "فقرة_فرعية" => "subparagraph",
                "item" | "بند" => "item",
                "preambular" | "ديباجة" => "preambular",
                _ => {
                    return Err(bad(
                        "expected paragraph, subparagraph, item or preambular",
                        "المتوقع فقرة أو فرعية أو بند أو ديباجة",
                    ));
                }
            }
            .to_owned(),
        ),
        "topic" | "موضوع" => {
            let v = value.trim();
            if v.is_empty() || !v.is_ascii() {
                return Err(bad(
                    "expected a topic id such as dhaya--twydat (see `fihris topics`)",
                    "المتوقع معرّف موضوع",
                ));
            }
            Filter::Topic(v.to_owned())
        }
        _ => return Ok(None),
    }))
}

/// Whether `rest` opens with «وبخاصة», «خاصة», «ولا سيما», «لاسيما»,
/// «بما في ذلك» and the like ("especially", "including").
fn singles_out(rest: &[String]) -> bool {
    // The word without harakat or punctuation.
    let word = |k: usize| -> String {
        rest.get(k)
            .map(|t| {
                t.chars()
                    .filter(|c| c.is_alphabetic() && !('\u{064B}'..='\u{0652}').contains(c))
                    .collect()
            })
            .unwrap_or_default()
    };
    let first = word(0);
    let bare = first.strip_prefix('و').unwrap_or(&first);
    matches!(bare, "بخاصة" | "خاصة" | "بخاصه" | "خاصه" | "لاسيما")
        || (bare == "لا" && word(1) == "سيما")
        || (bare == "بما" && word(1) == "في" && word(2) == "ذلك")
}

/// Refuses a query longer than `max` characters or holding control
/// characters.
pub fn check_text(input: &str, max: usize) -> Result<(), QueryError> {
    let chars = input.chars().count();
    if chars > max {
        return Err(err(
            format!("query too long: {chars} characters, at most {max}"),
            format!("الاستعلام طويل جداً: {chars} حرفاً، والحد الأقصى {max}"),
        ));
    }
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(err(
            "the query contains control characters",
            "الاستعلام يحتوي على محارف تحكم",
        ));
    }
    Ok(())
}

/// Parses a query.
// Longer than 100 lines on purpose: one pass over the query's tokens
// (operators, groups, filters, context markers) sharing the clause being
// built.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    check_text(input, MAX_QUERY_CHARS)?;
    let tokens = split(input)?;
    if tokens.is_empty() {
        return Err(err(
            "empty query: type some words",
            "استعلام فارغ: اكتب كلمات للبحث",
        ));
    }
    let mut q = Query::default();
    let mut pending_or = false;
    let mut depth = 0usize;
    let mut focus_from = 0;
    let mut group = 0;
    for (i, tok) in tokens.iter().enumerate() {
        if tok == "/" || tok == "أو" || tok == "او" {
            if !q.clauses.is_empty() && !pending_or && q.groups.last() == Some(&group) {
                group += 1;
            }
            continue;
        }
        if tok == "OR" || tok == "|" {
            if i == 0 || i + 1 == tokens.len() || pending_or || q.clauses.is_empty() {
                return Err(err(
                    "OR needs a word on each side: a OR b",
                    "تحتاج OR إلى كلمة على كل جانب: أ OR ب",
                ));
            }
            pending_or = true;
            continue;
        }
        if let Some(rest) = tok.strip_prefix('-') {
            if pending_or {
                return Err(err(
                    "OR cannot join an exclusion",
                    "لا يمكن ربط استبعاد بـ OR",
                ));
            }
            match atom(rest)? {
                Some(a) => q.excluded.push(a),
                None => return Err(err("nothing to exclude after -", "لا شيء للاستبعاد بعد -")),
            }
            continue;
        }
        if !tok.starts_with('"')
            && let Some((key, value)) = tok.split_once(':')
            && !key.is_empty()
        {
            if let Some(f) = filter(key, value)? {
                if pending_or {
                    return Err(err("OR cannot join a filter", "لا يمكن ربط مرشّح بـ OR"));
                }
                q.filters.push(f);
                continue;
            }
            if !value.is_empty() && key.is_ascii() && key.chars().all(char::is_alphabetic) {
                return Err(err(
                    format!("unknown filter «{key}:»; known: {FILTER_KEYS}"),
                    format!("مرشّح غير معروف «{key}:»؛ المعروف: {FILTER_KEYS}"),
                ));
            }
        }
        let opens = !tok.starts_with('"') && tok.starts_with('(');
        let closes = !tok.starts_with('"')
            && (tok.ends_with(')') || tok.ends_with("),") || tok.ends_with(")،"));
        if opens {
            depth += 1;
        }
        let in_parens = depth > 0;
        if closes {
            depth = depth.saturating_sub(1);
        }
        let ends_segment =
            depth == 0 && !tok.starts_with('"') && (tok.ends_with('،') || tok.ends_with(','));
        let Some(a) = atom(tok)? else { continue };
        if !q.text.is_empty() {
            q.text.push(' ');
        }
        q.text.push_str(tok.trim_matches(|c| c == '"' || c == '*'));
        if pending_or {
            if let Some(last) = q.clauses.last_mut() {
                last.push(a);
            }
            pending_or = false;
        } else {
            q.clauses.push(vec![a]);
            q.context.push(in_parens);
            q.groups.push(group);
        }
        // After a comma, «وبخاصة …», «ولا سيما …», «بما في ذلك …» single
        // out part of what came before: the words before the comma stay the
        // focus.
        if ends_segment && !singles_out(&tokens[i + 1..]) {
            focus_from = q.clauses.len();
        }
    }
    if focus_from < q.clauses.len() {
        for c in &mut q.context[..focus_from] {
            *c = true;
        }
    }
    if q.clauses.is_empty() {
        return Err(err(
            "nothing to find: give at least one word (filters and exclusions only narrow a search)",
            "لا شيء للبحث عنه: اكتب كلمة واحدة على الأقل",
        ));
    }
    Ok(q)
}

/// A query repaired as large search engines repair what people paste: an
/// unclosed quotation mark runs to the end, and an operator with nothing
/// to work on (a lone `*`, a dangling `-`, `OR` without a word on each
/// side, an empty phrase `""`) is left out. Returns the repaired query and
/// what was done (in English and Arabic), or `None` when the query parses
/// as it is or cannot be repaired so.
pub fn repair(input: &str) -> Option<(String, Vec<(String, String)>)> {
    if parse(input).is_ok() || check_text(input, MAX_QUERY_CHARS).is_err() {
        return None;
    }
    let mut done: Vec<(String, String)> = Vec::new();
    let mut text = input.trim().to_owned();
    if text.matches('"').count() % 2 == 1 {
        text.push('"');
        done.push((
            "closed the quotation mark at the end".into(),
            "أُغلقت علامة التنصيص في آخر الاستعلام".into(),
        ));
    }
    // Tokens as the user spaced them, phrases kept whole.
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() && !quoted {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut note = |en: &str, ar: &str| {
        if !done.iter().any(|(e, _)| e == en) {
            done.push((en.into(), ar.into()));
        }
    };
    let is_or = |t: &str| t == "OR" || t == "|";
    let mut kept: Vec<String> = Vec::new();
    for t in tokens {
        let bare = t.trim_start_matches('-');
        let letters = bare.chars().filter(|c| c.is_alphanumeric()).count();
        if t.trim_matches('"').trim().is_empty() && t.contains('"') {
            note("left out an empty phrase \"\"", "أُهملت عبارة فارغة \"\"");
        } else if t.starts_with('-') && letters == 0 {
            note("left out a dangling -", "أُهمل - لا يليه شيء");
        } else if letters == 0 && t.contains('*') {
            note("left out a lone *", "أُهملت * وحدها");
        } else if !t.starts_with('"') && t.ends_with('*') && letters < 2 {
            note(
                "left out a * after fewer than 2 letters",
                "أُهملت * بعد أقل من حرفين",
            );
            kept.push(t.trim_end_matches('*').to_owned());
        } else {
            kept.push(t);
        }
    }
    // OR needs a word (not an exclusion or a filter) on each side.
    let joinable = |t: &str| !t.starts_with('-') && (t.starts_with('"') || !t.contains(':'));
    let mut out: Vec<String> = Vec::new();
    for (k, t) in kept.iter().enumerate() {
        if is_or(t) {
            let before = out.last().is_some_and(|p| !is_or(p) && joinable(p));
            let after = kept.get(k + 1).is_some_and(|n| !is_or(n) && joinable(n));
            if !(before && after) {
                note(
                    "left out OR without a word on each side",
                    "أُهملت OR لأنها لا تربط كلمتين",
                );
                continue;
            }
        }
        out.push(t.clone());
    }
    let repaired = out.join(" ");
    (!done.is_empty() && parse(&repaired).is_ok()).then_some((repaired, done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_queries_are_repaired_and_say_how() {
        let fixed = |q: &str| repair(q).map(|(r, done)| (r, done.len()));
        assert_eq!(
            fixed("\"تعويض الضحايا"),
            Some(("\"تعويض الضحايا\"".into(), 1))
        );
        assert_eq!(fixed("الضحايا *"), Some(("الضحايا".into(), 1)));
        assert_eq!(fixed("الضحايا -"), Some(("الضحايا".into(), 1)));
        assert_eq!(fixed("OR الضحايا"), Some(("الضحايا".into(), 1)));
        assert_eq!(fixed("الضحايا OR"), Some(("الضحايا".into(), 1)));
        assert_eq!(fixed("أطفال OR OR نساء"), Some(("أطفال OR نساء".into(), 1)));
        assert_eq!(
            fixed("الضحايا OR -الأطفال"),
            Some(("الضحايا -الأطفال".into(), 1))
        );
        assert_eq!(fixed("الضحايا \"\""), Some(("الضحايا".into(), 1)));
        assert_eq!(fixed("ض* الضحايا"), Some(("ض الضحايا".into(), 1)));
        assert_eq!(fixed("\"تعويض - OR"), Some(("\"تعويض - OR\"".into(), 1)));
        // Nothing to repair, or nothing left to search.
        assert_eq!(fixed("تعويض الضحايا"), None);
        assert_eq!(fixed("* - OR"), None);
        assert_eq!(fixed("bogus:filter word"), None);
        let (_, done) = repair("\"a b OR").unwrap();
        assert_eq!(done[0].1, "أُغلقت علامة التنصيص في آخر الاستعلام");
    }

    fn w(s: &str) -> Atom {
        Atom::Word(s.into())
    }

    #[test]
    fn operators() {
        let q = parse("تعويض الضحايا").unwrap();
        assert_eq!(q.clauses, vec![vec![w("تعويض")], vec![w("الضحايا")]]);
        let q = parse(
            "\"حماية الشهود\" -الأطفال تعويض OR جبر تشريع* meeting:IV year:٢٠١٥ kind:preambular",
        )
        .unwrap();
        assert_eq!(
            q.clauses,
            vec![
                vec![Atom::Phrase("حماية الشهود".into())],
                vec![w("تعويض"), w("جبر")],
                vec![Atom::Prefix("تشريع".into())]
            ]
        );
        assert_eq!(q.excluded, vec![w("الأطفال")]);
        assert_eq!(q.text, "حماية الشهود تعويض جبر تشريع");
        assert_eq!(
            q.filters,
            vec![
                Filter::Section("A.4".into()),
                Filter::Year(2015),
                Filter::Kind("preambular".into())
            ]
        );
        let q = parse("اجتماع:رابعاً دورة:5 جزء:باء موضوع:tknwlwjya «الاتجار بالأشخاص»").unwrap();
        assert_eq!(
            q.filters,
            vec![
                Filter::Section("A.4".into()),
                Filter::Section("B.5".into()),
                Filter::Part("B".into()),
                Filter::Topic("tknwlwjya".into())
            ]
        );
        assert_eq!(q.clauses, vec![vec![Atom::Phrase("الاتجار بالأشخاص".into())]]);
        // A colon inside Arabic text is not a filter.
        assert_eq!(parse("بما يلي:").unwrap().clauses.len(), 2);
        // «A، B»: A is context for B; words in parentheses are context.
        let q = parse("الضحايا، التعويضات").unwrap();
        assert_eq!(q.context, [true, false]);
        let q = parse("البحوث (البحث)، جمع البيانات").unwrap();
        assert_eq!(q.context, [true, true, false, false]);
        let q = parse("العمل (استغلال اليد العاملة، السخرة)").unwrap();
        assert_eq!(q.context, [false, true, true, true, true]);
        // The focus, as meaning reads it besides the whole: none when all
        // is focus.
        assert_eq!(q.focus().as_deref(), Some("العمل"));
        let q = parse("جهات الاستجابة، المعلمون والمربون \"جبر الضرر\" -سخرة").unwrap();
        assert_eq!(q.focus().as_deref(), Some("المعلمون والمربون جبر الضرر"));
        assert_eq!(parse("تعويض الضحايا").unwrap().focus(), None);
        // «…، وبخاصة B»: B singles out part of A; A stays the focus.
        let q = parse("صندوق التبرعات للضحايا، وبخاصة النساء").unwrap();
        assert_eq!(q.context, [false, false, false, false, false]);
        let q = parse("حماية الضحايا، ولا سيّما الأطفال").unwrap();
        assert!(q.context.iter().all(|c| !c));
        let q = parse("الضحايا، بما في ذلك الأطفال").unwrap();
        assert!(q.context.iter().all(|c| !c));
        // «أو» and / between words: groups, either of which may match.
        let q = parse("تحديد هويتهم أو التعرف عليهم").unwrap();
        assert_eq!(q.groups, [0, 0, 1, 1]);
        let q = parse("المدعون العامون/ أعضاء النيابة العامة").unwrap();
        assert_eq!(q.groups, [0, 0, 1, 1, 1]);
        let q = parse("تبينهم/استبانتهم").unwrap();
        assert_eq!(q.clauses, vec![vec![w("تبينهم"), w("استبانتهم")]]);
        assert_eq!(q.groups, [0]);
        // Leading, trailing or doubled separators are harmless; a Latin or
        // numeric slash is not one.
        assert_eq!(parse("أو تعويض أو أو جبر /").unwrap().groups, [0, 1]);
        let q = parse("CTOC/COP/WG.4/2010/6").unwrap();
        assert_eq!((q.clauses.len(), q.groups.as_slice()), (1, &[0][..]));
        assert_eq!(parse("\"تحديد أو التعرف\"").unwrap().groups, [0]);
    }

    #[test]
    fn bad_input_classes() {
        let bad = [
            "",
            "   ",
            "\"حماية الشهود",
            "OR تعويض",
            "تعويض OR",
            "تعويض OR OR جبر",
            "-",
            "-الأطفال",
            "meeting:X",
            "year:abc",
            "part:C",
            "kind:chapter",
            "topic:الضحايا",
            "colour:blue تعويض",
            "ت*",
            "\"\"",
            "a\u{0007}b",
        ];
        for q in bad {
            let e = parse(q).expect_err(q);
            assert!(!e.message.is_empty() && !e.message_ar.is_empty(), "{q}");
        }
        let long = "ب".repeat(MAX_QUERY_CHARS + 1);
        assert!(
            parse(&long)
                .unwrap_err()
                .message
                .starts_with("query too long")
        );
    }
}
