//! The two interface languages: Arabic (the default, right to left) and
//! English. The record's own text is Arabic in both.

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Arabic, right to left: the default.
    #[default]
    Ar,
    /// English, left to right.
    En,
}

impl Lang {
    /// The string for this language.
    pub fn t<'a>(self, ar: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ar => ar,
            Lang::En => en,
        }
    }

    /// The language of a code (`ar`, `en`); `None` for any other.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// BCP 47 code.
    pub fn code(self) -> &'static str {
        self.t("ar", "en")
    }

    /// Writing direction.
    pub fn dir(self) -> &'static str {
        self.t("rtl", "ltr")
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            Lang::En => Lang::Ar,
        }
    }
}
