//! The record read from the real, vendored corpus: exact counts, ids and
//! text fragments.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_model::FindingCode;
use fihris_model::{Anchor, Corpus, Parent, ProvisionId, ProvisionKind, SectionId, Severity};

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt")
}

static CORPUS: LazyLock<Corpus> =
    LazyLock::new(|| fihris_parse::parse_file(&corpus_path()).unwrap_or_else(|e| panic!("{e}")));

fn id(s: &str) -> ProvisionId {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn text(s: &str) -> &'static str {
    &CORPUS
        .provision(&id(s))
        .unwrap_or_else(|| panic!("no provision {s}"))
        .text
}

#[test]
fn exactly_472_provisions_with_the_expected_split_per_section() {
    assert_eq!(CORPUS.provisions.len(), 472);
    let expected = [
        ("A.1", 56),
        ("A.2", 64),
        ("A.3", 0),
        ("A.4", 76),
        ("A.5", 44),
        ("A.6", 22),
        ("A.7", 27),
        ("A.8", 27),
        ("A.9", 47),
        ("B.1", 10),
        ("B.2", 21),
        ("B.3", 13),
        ("B.4", 24),
        ("B.5", 41),
    ];
    let got: Vec<(String, usize)> = CORPUS
        .sections
        .iter()
        .map(|s| (s.id.to_string(), CORPUS.provisions_in(s.id).count()))
        .collect();
    let want: Vec<(String, usize)> = expected.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(got, want);
}

#[test]
fn top_level_paragraphs_of_part_a() {
    let got: Vec<usize> = (1..=9)
        .map(|k| {
            CORPUS
                .provisions_in(SectionId::new(fihris_model::Part::A, k))
                .filter(|p| p.id.kind() == ProvisionKind::Paragraph)
                .count()
        })
        .collect();
    assert_eq!(got, [23, 58, 0, 46, 44, 22, 2, 2, 39]);
}

#[test]
fn section_a3_holds_only_its_note() {
    let a3 = CORPUS.section("A.3".parse().unwrap()).expect("A.3");
    let note = a3.note.as_deref().expect("note");
    assert!(
        note.starts_with("التوصيات التي اقترحت خلال الاجتماع الثالث"),
        "{note}"
    );
    assert!(note.ends_with("(انظر الجزء ألف، القسم الرابع)."));
}

#[test]
fn ids_as_specified() {
    for s in [
        "A.4.46.i.2",
        "A.8.1.q",
        "B.1.b.4",
        "B.3.a",
        "B.5.7.b",
        "B.5.pp11",
        "A.9.17.h",
        "A.1.1",
        "A.2.58",
        "A.4.45.k",
        "A.4.46.j.6",
        "A.7.2.o",
        "A.9.39",
        "B.2.m.4",
        "B.2.q",
        "B.4.t",
        "B.4.o.4",
        "B.5.pp1",
        "B.5.18",
        "B.5.9.b",
    ] {
        assert!(CORPUS.provision(&id(s)).is_some(), "missing {s}");
    }
    for s in [
        "A.3.1",
        "A.4.46.i.4",
        "A.8.1.r",
        "B.5.pp12",
        "B.1.g",
        "B.5.19",
        "A.9.17.i",
    ] {
        assert!(CORPUS.provision(&id(s)).is_none(), "unexpected {s}");
    }
}

#[test]
fn ids_are_unique_ordered_and_parents_exist() {
    let ids: HashSet<&ProvisionId> = CORPUS.provisions.iter().map(|p| &p.id).collect();
    assert_eq!(ids.len(), CORPUS.provisions.len());
    let mut last_line = 0;
    for p in &CORPUS.provisions {
        assert!(p.lines.start >= last_line, "{} out of document order", p.id);
        last_line = p.lines.start;
        match p.id.parent() {
            Parent::Section(s) => assert!(CORPUS.section(s).is_some()),
            Parent::Provision(q) => assert!(ids.contains(&q), "{}: parent {q} missing", p.id),
        }
        assert!(!p.text.is_empty(), "{} has no text", p.id);
    }
}

#[test]
fn labels_and_kinds() {
    let p = CORPUS.provision(&id("A.4.46.i.2")).unwrap();
    assert_eq!(
        (p.id.label_ar().as_str(), p.id.kind()),
        ("'2'", ProvisionKind::Item)
    );
    assert_eq!(id("A.4.46.i").label_ar(), "(ط)");
    assert_eq!(id("B.5.pp11").label_ar(), "ف.د. 11");
    assert!(text("A.4.46.i.2").starts_with("وجود أحكام تتيح للمحاكم الجنائية"));
    assert_eq!(p.lines.start, 393);
}

#[test]
fn text_joined_across_page_breaks_and_footnotes() {
    assert!(text("A.2.6").ends_with("أشكال أخرى من الجريمة المنظمة."));
    assert!(text("A.2.6").contains("أن تبذل مزيداً من الجهود في التحقيق"));
    assert!(text("A.2.55").ends_with("الخاصة بالجنسين والعمر والثقافة وغيرها من الاعتبارات."));
    assert!(text("A.4.22").contains("بالمخدرات والجريمة لمكافحة الاتجار"));
    assert!(text("A.5.30").contains("وتُشجّع من ثمّ على التوعية"));
    assert!(text("B.5.12").contains("المعني بالمخدرات والجريمة قبل انعقاد"));
    assert!(text("B.3.j").contains("منع وقمع ومعاقبة الاتجار بالأشخاص"));
}

#[test]
fn follow_on_paragraph_stays_with_its_paragraph() {
    let t = text("A.2.16");
    assert!(t.contains("\nكما ينبغي أن ينظر المؤتمر"), "{t}");
    assert!(text("A.2.17").starts_with("ينبغي للدول الأطراف، بناء على التوصيات"));
}

#[test]
fn inline_enumerations_are_split() {
    assert!(text("A.9.17").ends_with("في اجتماعاته المقبلة:"));
    assert!(text("A.9.17.a").starts_with("الاستراتيجيات الفعالة لدعم الضحايا"));
    assert!(text("A.9.17.h").starts_with("إدراج المدخلات التي يسهم بها القطاع الخاص"));
    assert!(text("B.3.a").starts_with("يرحّب بكون معظم الدول الأطراف"));
    assert!(text("B.3.a").ends_with("المنظمة عبر الوطنية؛"));
    assert!(text("B.3.b").starts_with("يبحث الدول الأطراف التي لم تقدّم بعد"));
    let b3 = CORPUS.section("B.3".parse().unwrap()).unwrap();
    let chapeau = &b3.session.as_ref().unwrap().chapeau;
    assert!(chapeau.ends_with("أثناء دورته الثالثة:"), "{chapeau}");
    // Citations of sub-paragraphs inside a text are not enumerations.
    assert!(text("A.2.25.a").contains("الفقرة الفرعية (أ) من المادة 3"));
    assert!(text("B.2.l").contains("بالفقرتين الفرعيتين (ز) و(ي) أعلاه"));
}

#[test]
fn preambular_paragraphs_of_resolution_5_2() {
    let pp: Vec<_> = CORPUS
        .provisions_in("B.5".parse().unwrap())
        .filter(|p| p.id.kind() == ProvisionKind::Preambular)
        .collect();
    assert_eq!(pp.len(), 11);
    assert!(pp[0].text.starts_with("إذ يستذكر المهام المسندة إليه"));
    assert!(
        pp[10]
            .text
            .starts_with("وإذ يؤكّد على أهمية مواصلة هيئات الأمم المتحدة")
    );
    assert!(pp.iter().skip(1).all(|p| p.text.starts_with("وإذ")));
}

#[test]
fn footnotes_are_removed_from_text_and_attached_at_their_markers() {
    assert_eq!(CORPUS.footnotes.len(), 22);
    for f in &CORPUS.footnotes {
        assert!(!f.text.is_empty());
        for p in &CORPUS.provisions {
            assert!(
                !p.text.contains(&f.text),
                "{} contains footnote {}",
                p.id,
                f.number
            );
        }
    }
    let anchors: Vec<(u32, String)> = CORPUS
        .footnotes
        .iter()
        .map(|f| {
            (
                f.number,
                f.anchor.as_ref().map(Anchor::to_string).unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        "A.1.2", "A.1.2", "A.2.1", "A.2.44", "A.2.46", "B.1.a", "B.1.a", "B.1.c", "B.2.b", "B.2.b",
        "B.3", "B.3.a", "B.3.a", "B.4", "B.4", "B.4.b", "B.5.pp1", "B.5.pp1", "B.5.pp2", "B.5.pp9",
        "B.5.pp10", "B.5.1",
    ];
    let want: Vec<(u32, String)> = expected
        .iter()
        .zip(1..)
        .map(|(a, n)| (n, a.to_string()))
        .collect();
    assert_eq!(anchors, want);
    assert_eq!(CORPUS.provision(&id("A.1.2")).unwrap().footnotes, [1, 2]);
    assert_eq!(
        CORPUS.section("B.4".parse().unwrap()).unwrap().footnotes,
        [14, 15]
    );
    assert_eq!(
        CORPUS.footnote(4).unwrap().text,
        "منشورات الأمم المتحدة، فيينا، 2010."
    );
    assert_eq!(CORPUS.footnote(4).unwrap().line, 260);
}

#[test]
fn missing_footnote_23_is_a_finding() {
    assert_eq!(CORPUS.provision(&id("B.5.5")).unwrap().footnotes, [23]);
    assert!(CORPUS.footnote(23).is_none());
    // Of the body (the index has findings of its own).
    let codes: Vec<(FindingCode, u32, Severity)> = CORPUS
        .findings
        .iter()
        .filter(|f| !f.code.as_str().starts_with("index-"))
        .map(|f| (f.code, f.line, f.severity))
        .collect();
    assert_eq!(
        codes,
        [(FindingCode::FootnoteTextMissing, 851, Severity::Warning)]
    );
}

#[test]
fn section_metadata() {
    let meeting = |k: &str| {
        let m = CORPUS
            .section(k.parse().unwrap())
            .unwrap()
            .meeting
            .clone()
            .unwrap();
        (
            m.number,
            m.start.unwrap().to_string(),
            m.end.unwrap().to_string(),
            m.year.unwrap(),
        )
    };
    assert_eq!(
        meeting("A.1"),
        (1, "2009-04-14".into(), "2009-04-15".into(), 2009)
    );
    assert_eq!(
        meeting("A.3"),
        (3, "2010-10-19".into(), "2010-10-19".into(), 2010)
    );
    assert_eq!(
        meeting("A.8"),
        (8, "2018-07-02".into(), "2018-07-03".into(), 2018)
    );
    assert_eq!(
        meeting("A.9"),
        (9, "2019-09-09".into(), "2019-09-11".into(), 2019)
    );
    let sessions: Vec<(u32, u16, String, String)> = CORPUS
        .sections
        .iter()
        .filter_map(|s| s.session.as_ref())
        .map(|s| {
            (
                s.session,
                s.year.unwrap(),
                s.instrument.canonical(),
                s.instrument.arabic(),
            )
        })
        .collect();
    let want = [
        (1, 2004, "decision 1/5", "المقرر 5/1"),
        (2, 2005, "decision 2/3", "المقرر 3/2"),
        (3, 2006, "decision 3/3", "المقرر 3/3"),
        (4, 2008, "decision 4/4", "المقرر 4/4"),
        (5, 2010, "resolution 5/2", "القرار 2/5"),
    ];
    let want: Vec<(u32, u16, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (*a, *b, c.to_string(), d.to_string()))
        .collect();
    assert_eq!(sessions, want);
    let b1 = CORPUS
        .section("B.1".parse().unwrap())
        .unwrap()
        .session
        .clone()
        .unwrap();
    assert!(
        b1.title
            .starts_with("بروتوكول منع وقمع ومكافحة الاتجار بالأشخاص")
    );
    assert!(
        b1.title
            .ends_with("المكمل لاتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية")
    );
    assert!(b1.chapeau.starts_with("إن مؤتمر الأطراف"));
}

#[test]
fn arabic_text_keeps_slash_numbers_as_printed() {
    assert!(text("B.2.a").contains("مقرّره 5/1"));
    assert!(text("A.4.45.g").contains("قرار الجمعية العامة 293/64"));
    assert_eq!(
        CORPUS.instrument_citation(&id("B.5.7.b")),
        Some((
            "resolution 5/2, para. 7 (b)".into(),
            "القرار 2/5، الفقرة 7 (ب)".into()
        ))
    );
}

#[test]
fn display_citations() {
    assert_eq!(id("A.4.46.i.2").cite_ar(), "الجزء ألف، رابعاً-46 (ط) '2'");
    assert_eq!(id("A.4.46.i.2").cite_en(), "Part A, IV-46 (i) (ii)");
}

#[test]
fn source_is_the_vendored_file() {
    assert_eq!(
        CORPUS.source.sha256,
        "2b39c2edfc1ce835c1087c5907e21a4c810f3ad0291e4636cbf35b10182afeb5"
    );
    assert_eq!(
        (CORPUS.source.lines, CORPUS.source.index_start),
        (1121, 898)
    );
    let provenance =
        std::fs::read_to_string(corpus_path().with_file_name("PROVENANCE.md")).unwrap();
    assert!(provenance.contains(&CORPUS.source.sha256));
}
