//! Errors that stop a parse: the input is not a compendium text at all, or
//! its structure ends or breaks where the parser cannot go on.
//! Everything smaller becomes a [`fihris_model::Finding`] instead.

use std::fmt;

/// Why a source could not be read into a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The source path as given.
    pub path: String,
    /// The 1-based line concerned, if any.
    pub line: Option<u32>,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The kinds of fatal problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read (missing, a directory, no permission).
    Io(String),
    /// The file is empty or holds only whitespace.
    Empty,
    /// The file holds a NUL byte: it is binary, not text.
    Binary,
    /// The bytes are not valid UTF-8 (at the given 1-based byte column).
    NotUtf8 {
        /// Byte column of the first invalid byte within its line.
        column: usize,
    },
    /// The text stops before the structure is complete.
    UnexpectedEnd {
        /// What should have come next.
        expected: Expected,
    },
    /// The errata file is not valid.
    Errata(String),
    /// The topic register is not valid.
    Register(String),
    /// An imported meeting's header is missing or not valid, or disagrees
    /// with its heading.
    MeetingHeader(String),
    /// An imported meeting's text cannot be stored as it is (a provision
    /// that cannot be placed, a duplicate id, no provision at all).
    Meeting(String),
    /// A meeting or session is headed a second time.
    SectionTwice {
        /// The section headed twice.
        section: fihris_model::SectionId,
        /// The line of its first heading.
        first: u32,
    },
    /// A heading or marker appears where the structure does not allow it.
    Misplaced {
        /// The offending line, shortened.
        found: String,
        /// What was expected instead.
        expected: Expected,
    },
}

/// The structural landmarks the parser expects, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// «ألف- التوصيات …», the heading of Part A.
    PartA,
    /// «باء- القرارات والمقررات …», the heading of Part B.
    PartB,
    /// A Working Group meeting heading («أولاً- الاجتماع الأول، …»).
    MeetingHeading,
    /// A COP session heading («أولاً- الدورة الأولى لمؤتمر الأطراف، 2004»).
    SessionHeading,
    /// «الفهرس المواضيعي», the heading of the thematic index.
    Index,
    /// The back cover after the index, ending with «… www.unodc.org».
    BackCover,
    /// In an imported meeting: a numbered paragraph, sub-paragraph or item
    /// of the meeting (not a second heading).
    Provision,
}

impl Expected {
    /// English description.
    pub fn en(self) -> &'static str {
        match self {
            Expected::PartA => "the heading of Part A («ألف- التوصيات …»)",
            Expected::PartB => "the heading of Part B («باء- القرارات والمقررات …»)",
            Expected::MeetingHeading => "a meeting heading («أولاً- الاجتماع الأول، …»)",
            Expected::SessionHeading => "a session heading («أولاً- الدورة الأولى …»)",
            Expected::Index => "the heading of the thematic index («الفهرس المواضيعي»)",
            Expected::BackCover => "the back cover after the index, ending «… www.unodc.org»",
            Expected::Provision => {
                "a paragraph of this meeting («1- …», «(أ) …», «1' …»), not another heading"
            }
        }
    }

    /// Arabic description.
    pub fn ar(self) -> &'static str {
        match self {
            Expected::PartA => "عنوان الجزء ألف",
            Expected::PartB => "عنوان الجزء باء",
            Expected::MeetingHeading => "عنوان اجتماع",
            Expected::SessionHeading => "عنوان دورة",
            Expected::Index => "عنوان الفهرس المواضيعي",
            Expected::BackCover => "الغلاف الخلفي بعد الفهرس",
            Expected::Provision => "فقرة من فقرات هذا الاجتماع لا عنواناً آخر",
        }
    }
}

impl ParseError {
    /// The message in English, without the location.
    pub fn message_en(&self) -> String {
        match &self.kind {
            ErrorKind::Io(e) => format!("cannot read the file: {e}"),
            ErrorKind::Empty => "the file is empty: expected the compendium text".into(),
            ErrorKind::Binary => "binary data (NUL byte): expected UTF-8 text".into(),
            ErrorKind::NotUtf8 { column } => {
                format!("invalid UTF-8 at byte {column} of the line: expected UTF-8 text")
            }
            ErrorKind::UnexpectedEnd { expected } => {
                format!("unexpected end of file: expected {}", expected.en())
            }
            ErrorKind::Errata(e) => format!("invalid errata file: {e}"),
            ErrorKind::Register(e) => format!("invalid topic register: {e}"),
            ErrorKind::MeetingHeader(e) => format!("meeting header: {e}"),
            ErrorKind::Meeting(e) => format!("meeting: {e}"),
            ErrorKind::SectionTwice { section, first } => {
                format!("section {section} is headed a second time (first at line {first})")
            }
            ErrorKind::Misplaced { found, expected } => {
                format!("found «{found}», expected {}", expected.en())
            }
        }
    }

    /// The message in Arabic, without the location.
    pub fn message_ar(&self) -> String {
        match &self.kind {
            ErrorKind::Io(_) => "تعذّرت قراءة الملف".into(),
            ErrorKind::Empty => "الملف فارغ: كان المتوقع نص الخلاصة".into(),
            ErrorKind::Binary => "بيانات ثنائية: كان المتوقع نصاً بترميز UTF-8".into(),
            ErrorKind::NotUtf8 { .. } => "ترميز غير صالح: كان المتوقع نصاً بترميز UTF-8".into(),
            ErrorKind::UnexpectedEnd { expected } => {
                format!("انتهى الملف قبل الأوان: كان المتوقع {}", expected.ar())
            }
            ErrorKind::Errata(_) => "ملف التصويبات غير صالح".into(),
            ErrorKind::Register(_) => "سجل المواضيع غير صالح".into(),
            ErrorKind::MeetingHeader(_) => "ترويسة ملف الاجتماع ناقصة أو غير صالحة".into(),
            ErrorKind::Meeting(_) => "تعذّر قبول نص الاجتماع كما هو".into(),
            ErrorKind::SectionTwice { section, first } => {
                format!("القسم {section} معنون مرة ثانية (أول مرة في السطر {first})")
            }
            ErrorKind::Misplaced { expected, .. } => {
                format!("سطر في غير موضعه: كان المتوقع {}", expected.ar())
            }
        }
    }

    /// `path:line` (or `path` alone).
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message_en())
    }
}

impl std::error::Error for ParseError {}
