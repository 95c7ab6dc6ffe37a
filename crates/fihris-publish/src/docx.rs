//! A right-to-left Word document (Office Open XML, `.docx`) written by
//! hand: Arabic paragraphs (`w:bidi`, runs marked `w:rtl`) in Amiri, each
//! with its footnotes (`word/footnotes.xml`), A4 pages laid out right to
//! left.
//!
//! The package is the least Word and LibreOffice need: content types, the
//! relationships, the document, its styles, settings (where footnotes are
//! numbered), the footnotes and the core properties (title and language,
//! no dates), zipped by [`crate::package::zip`] at a fixed time, so the
//! same paragraphs give the same bytes.

use std::fmt::Write as _;

use crate::xml::{attr, text};

/// The typeface named for every script in the document.
pub const DOCX_FONT: &str = "Amiri";

/// A document: a title (its first paragraph and its core property) and
/// the paragraphs after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docx {
    /// The title, set in the `Title` style.
    pub title: String,
    /// The paragraphs in order.
    pub paragraphs: Vec<DocxParagraph>,
}

/// One paragraph: its style, how deep it is indented, and its text with
/// the footnotes standing where their references go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxParagraph {
    /// `Heading1` or `Normal`.
    pub style: DocxStyle,
    /// Indentation steps from the right margin (a sub-paragraph's depth).
    pub indent: u8,
    /// Text and footnote references, in reading order.
    pub inlines: Vec<Inline>,
}

/// A paragraph's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocxStyle {
    /// A heading (`Heading1`).
    Heading,
    /// Body text (`Normal`).
    Body,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text, in one right-to-left run.
    Text(String),
    /// A footnote: its reference stands here, its text at the foot of the
    /// page.
    Note(String),
}

impl DocxStyle {
    fn id(self) -> &'static str {
        match self {
            DocxStyle::Heading => "Heading1",
            DocxStyle::Body => "Normal",
        }
    }
}

/// Indentation per step, in twentieths of a point (half an inch).
const INDENT_STEP: u32 = 720;

/// The `.docx` package of `doc`.
pub fn write_docx(doc: &Docx) -> Vec<u8> {
    let mut notes = Vec::new();
    let mut body = String::new();
    paragraph(
        &mut body,
        "Title",
        0,
        &[Inline::Text(doc.title.clone())],
        &mut notes,
    );
    for p in &doc.paragraphs {
        paragraph(&mut body, p.style.id(), p.indent, &p.inlines, &mut notes);
    }
    let document = format!(
        "{DECLARATION}<w:document {W_NS}><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>\
<w:bidi/></w:sectPr></w:body></w:document>"
    );
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("docProps/core.xml", core_properties(&doc.title)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("word/footnotes.xml", footnotes(&notes)),
    ];
    crate::package::zip(parts.iter().map(|(name, xml)| (*name, xml.as_bytes())))
}

/// Appends one `w:p` to `out`; each note's text is pushed to `notes` and
/// referenced by its number (from 1).
fn paragraph(
    out: &mut String,
    style: &str,
    indent: u8,
    inlines: &[Inline],
    notes: &mut Vec<String>,
) {
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/><w:bidi/>");
    if indent > 0 {
        let _ = write!(
            out,
            "<w:ind w:start=\"{}\"/>",
            u32::from(indent) * INDENT_STEP
        );
    }
    out.push_str("</w:pPr>");
    for inline in inlines {
        match inline {
            Inline::Text(t) => run(out, "<w:rtl/>", t),
            Inline::Note(n) => {
                notes.push(n.clone());
                let _ = write!(
                    out,
                    "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/><w:rtl/></w:rPr><w:footnoteReference w:id=\"{}\"/></w:r>",
                    notes.len()
                );
            }
        }
    }
    out.push_str("</w:p>");
}

/// A run of `t` with `rtl` (`<w:rtl/>` or nothing) in its properties;
/// line breaks in `t` become `w:br`.
fn run(out: &mut String, rtl: &str, t: &str) {
    let _ = write!(out, "<w:r><w:rPr>{rtl}</w:rPr>");
    for (i, line) in t.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", text(line));
    }
    out.push_str("</w:r>");
}

fn footnotes(notes: &[String]) -> String {
    let mut out = format!(
        "{DECLARATION}<w:footnotes {W_NS}>\
<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\
<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    );
    for (i, note) in notes.iter().enumerate() {
        // A note with no Arabic in it (an English reference) is set left
        // to right, so its full stop stays at its end.
        let (bidi, rtl) = if note.chars().any(is_arabic) {
            ("<w:bidi/>", "<w:rtl/>")
        } else {
            ("<w:bidi w:val=\"0\"/><w:jc w:val=\"left\"/>", "")
        };
        let _ = write!(
            out,
            "<w:footnote w:id=\"{}\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/>{bidi}</w:pPr>\
<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/>{rtl}</w:rPr><w:footnoteRef/></w:r>",
            i + 1
        );
        run(&mut out, rtl, &format!(" {note}"));
        out.push_str("</w:p></w:footnote>");
    }
    out.push_str("</w:footnotes>");
    out
}

/// Whether `c` is an Arabic letter (the Arabic blocks and presentation forms).
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn styles() -> String {
    let font = attr(DOCX_FONT);
    let fonts = format!(
        "<w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/>"
    );
    format!(
        "{DECLARATION}<w:styles {W_NS}>\
<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/><w:lang w:val=\"ar-SA\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:bidi/><w:spacing w:after=\"160\" w:line=\"300\" w:lineRule=\"auto\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:after=\"320\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:jc w:val=\"start\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/></w:style>\
<w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>\
<w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
</w:styles>"
    )
}

fn core_properties(title: &str) -> String {
    format!(
        "{DECLARATION}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:language>ar</dc:language><dc:creator>fihris</dc:creator></cp:coreProperties>",
        text(title)
    )
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>\
</Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>\
<w:themeFontLang w:val=\"en-US\" w:bidi=\"ar-SA\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";
