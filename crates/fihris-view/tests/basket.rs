//! The drafting basket on the real record: its paragraphs, notes and
//! citations, and its Word document read back from the package.

use std::collections::BTreeMap;
use std::io::Read;

use fihris_model::{Corpus, ProvisionId};
use fihris_view::{BasketError, BasketView, Lang, MAX_BASKET, parse_basket};

fn corpus() -> Corpus {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/compendium-2021.ar.txt"
    );
    fihris_parse::parse_file(std::path::Path::new(root)).expect("the corpus parses")
}

fn ids(s: &str) -> Vec<ProvisionId> {
    parse_basket(s).expect("ids")
}

/// One paragraph of `word/document.xml`: style, right to left, indent,
/// text, and the footnotes it references.
#[derive(Debug)]
struct Para {
    style: String,
    bidi: bool,
    indent: Option<String>,
    text: String,
    notes: Vec<String>,
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn entry(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")) || n.has_tag_name((W, "br")))
        .map(|n| n.text().unwrap_or("\n").to_owned())
        .collect()
}

/// The paragraphs and footnotes of a `.docx`, read with a zip reader and
/// an XML parser (not the writer's code).
fn read_docx(bytes: &[u8]) -> (Vec<Para>, BTreeMap<String, String>, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let document = entry(&mut zip, "word/document.xml");
    let footnotes = entry(&mut zip, "word/footnotes.xml");
    let styles = entry(&mut zip, "word/styles.xml");
    let types = entry(&mut zip, "[Content_Types].xml");
    assert!(types.contains("/word/footnotes.xml"));
    let doc = roxmltree::Document::parse(&document).expect("document.xml parses");
    let attr = |n: roxmltree::Node, child: &str| {
        n.descendants()
            .find(|c| c.has_tag_name((W, child)))
            .and_then(|c| c.attribute((W, "val")).or(c.attribute((W, "start"))))
            .map(str::to_owned)
    };
    let paras = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let ppr = p
                .children()
                .find(|c| c.has_tag_name((W, "pPr")))
                .expect("pPr");
            Para {
                style: attr(ppr, "pStyle").unwrap_or_default(),
                bidi: ppr.children().any(|c| c.has_tag_name((W, "bidi"))),
                indent: attr(ppr, "ind"),
                text: text_of(p),
                notes: p
                    .descendants()
                    .filter(|n| n.has_tag_name((W, "footnoteReference")))
                    .map(|n| n.attribute((W, "id")).expect("id").to_owned())
                    .collect(),
            }
        })
        .collect();
    let notes_doc = roxmltree::Document::parse(&footnotes).expect("footnotes.xml parses");
    let notes = notes_doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "footnote")) && n.attribute((W, "type")).is_none())
        .map(|n| {
            (
                n.attribute((W, "id")).expect("id").to_owned(),
                text_of(n).trim().to_owned(),
            )
        })
        .collect();
    (paras, notes, styles)
}

#[test]
fn a_basket_reads_back_from_its_word_document_in_order_with_its_footnotes() {
    let c = corpus();
    let basket = BasketView::new(&c, &ids("B.5.1,A.2.44,A.4.46.i")).expect("basket");
    let bytes = basket.to_docx(Lang::Ar);
    let (paras, notes, styles) = read_docx(&bytes);
    assert!(
        styles.contains("w:cs=\"Amiri\""),
        "Amiri for complex scripts"
    );

    assert_eq!(paras.len(), 7, "the title, then 6 paragraphs: {paras:#?}");
    assert_eq!(paras[0].style, "Title");
    assert_eq!(
        paras[0].text,
        "فقرات مختارة من الخلاصة الوافية بشأن الاتجار بالأشخاص"
    );
    assert!(
        paras.iter().all(|p| p.bidi),
        "every paragraph right to left"
    );
    let labels: Vec<&str> = paras[1..]
        .iter()
        .map(|p| p.text.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(labels, ["1-", "44-", "(ط)", "'1'", "'2'", "'3'"]);
    let indents: Vec<Option<&str>> = paras[1..].iter().map(|p| p.indent.as_deref()).collect();
    assert_eq!(
        indents,
        [None, None, None, Some("720"), Some("720"), Some("720")]
    );
    assert!(
        paras[1]
            .text
            .starts_with("1- يحثّ الدول التي لم تصدّق بعد على بروتوكول")
    );
    assert!(!paras[1].text.contains('⁽'), "markers became footnotes");
    let refs: Vec<Vec<&str>> = paras[1..]
        .iter()
        .map(|p| p.notes.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        refs,
        [
            vec!["1", "2"],
            vec!["3", "4"],
            vec!["5"],
            vec![],
            vec![],
            vec![]
        ]
    );

    assert_eq!(notes.len(), 5);
    assert_eq!(
        notes["1"],
        "United Nations, *Treaty Series*, vol. 2237, No. 39574."
    );
    assert_eq!(
        notes["2"],
        "الاتجار بالأشخاص: الخلاصة الوافية والفهرس المواضيعي (مكتب الأمم المتحدة المعني بالمخدرات والجريمة، 2021)، الجزء باء، خامساً-1 (القرار 2/5، الفقرة 1)"
    );
    assert_eq!(notes["3"], "منشورات الأمم المتحدة، فيينا، 2010.");
    assert!(
        notes["4"].ends_with("الجزء ألف، ثانياً-44 (CTOC/COP/WG.4/2010/6، الفقرة 51)"),
        "{}",
        notes["4"]
    );
    assert!(
        notes["5"].ends_with("الجزء ألف، رابعاً-46 (ط) (CTOC/COP/WG.4/2011/8، الفقرة 51 (ط))"),
        "{}",
        notes["5"]
    );

    assert_eq!(
        bytes,
        basket.to_docx(Lang::Ar),
        "the same basket gives the same bytes"
    );
}

#[test]
fn a_basket_as_markdown_and_text_carries_the_same_citations() {
    let c = corpus();
    let basket = BasketView::new(&c, &ids("A.2.44_B.5.1")).expect("basket");
    let md = basket.to_markdown(Lang::En);
    let lines: Vec<&str> = md.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 7, "{md}");
    assert_eq!(
        lines[0],
        "# Paragraphs selected from the Trafficking in Persons Compendium"
    );
    assert!(lines[1].starts_with("44- ينبغي للدول الأطراف"));
    assert!(lines[1].contains("والجريمة[^1] والمبادئ"), "{}", lines[1]);
    assert!(lines[1].ends_with("الإقليمي.[^2]"));
    assert!(lines[2].ends_with("أو الانضمام إليه؛[^4]"));
    assert_eq!(lines[3], "[^1]: منشورات الأمم المتحدة، فيينا، 2010.");
    assert_eq!(
        lines[4],
        "[^2]: Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part A, II-44 (CTOC/COP/WG.4/2010/6, para. 51)"
    );
    assert_eq!(
        lines[6],
        "[^4]: Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part B, V-1 (resolution 5/2, para. 1)"
    );
    let text = basket.to_text(Lang::En);
    assert!(text.contains("الإقليمي.[2]\n"));
    assert!(text.contains("\n[4] Trafficking in Persons: Compendium and Thematic Index (UNODC, 2021), Part B, V-1 (resolution 5/2, para. 1)\n"));
}

#[test]
fn bad_baskets_are_refused_whole() {
    let c = corpus();
    assert_eq!(
        BasketView::new(&c, &ids("A.2.44,A.2.999,B.9.1")).map(|_| ()),
        Err(BasketError::Unknown(vec!["A.2.999".into(), "B.9.1".into()]))
    );
    assert_eq!(
        parse_basket("A.2.44,<script>"),
        Err(BasketError::Malformed("<script>".into()))
    );
    let many: Vec<String> = (1..=MAX_BASKET + 1).map(|n| format!("A.1.{n}")).collect();
    assert_eq!(
        parse_basket(&many.join(",")),
        Err(BasketError::TooMany(MAX_BASKET + 1))
    );
    assert_eq!(
        ids(" A.2.44,,A.2.44 , B.5.1"),
        ids("A.2.44,B.5.1"),
        "repeats and blanks dropped"
    );
    assert!(parse_basket("").expect("empty").is_empty());
}
