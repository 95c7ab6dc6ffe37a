//! ASCII slugs for Arabic labels: a plain, lossy transliteration used for
//! stable ids in URLs and exports (not for display).

/// ASCII for one Arabic letter (harakat and tatweel give nothing).
fn letter(c: char) -> &'static str {
    match c {
        'ا' | 'أ' | 'آ' | 'ى' => "a",
        'إ' => "i",
        'ب' => "b",
        'ت' | 'ط' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ة' => "a",
        'و' | 'ؤ' => "w",
        'ي' | 'ئ' => "y",
        _ => "",
    }
}

/// Transliterates one word, dropping the definite article («ال», «وال»,
/// «بال», «لل»).
fn word(w: &str) -> String {
    let w = ["وال", "بال", "لل", "ال"]
        .iter()
        .find_map(|p| w.strip_prefix(p).filter(|rest| rest.chars().count() >= 2))
        .unwrap_or(w);
    let mut out = String::new();
    for c in w.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(d) = c.to_digit(10) {
            out.push(char::from_digit(d, 10).unwrap_or('0'));
        } else {
            out.push_str(letter(c));
        }
    }
    out
}

/// Slug of one level of a label: words transliterated and joined by `-`.
pub fn slug(label: &str) -> String {
    label
        .split(|c: char| {
            !(c.is_alphanumeric() || ('\u{064B}'..='\u{0652}').contains(&c) || c == 'ـ')
        })
        .map(word)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Slug of a topic path: levels joined by `--`.
pub fn path_slug(path: &[String]) -> String {
    path.iter().map(|p| slug(p)).collect::<Vec<_>>().join("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_drop_articles() {
        assert_eq!(slug("التكنولوجيا"), "tknwlwjya");
        assert_eq!(
            path_slug(&["الضحايا".into(), "التعويضات".into()]),
            "dhaya--twydat"
        );
        assert_eq!(slug("وكالات/شركات التوظيف"), "wkalat-shrkat-twzyf");
        assert!(slug("الاعتبارات الجنسانية").is_ascii());
    }
}
