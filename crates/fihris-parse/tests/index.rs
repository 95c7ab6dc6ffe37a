//! The thematic index and the citation resolver on the real corpus.

use std::path::PathBuf;
use std::sync::LazyLock;

use fihris_model::FindingCode;
use fihris_model::cite::{Target, resolve};
use fihris_model::{Corpus, ProvisionId};

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    fihris_parse::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
});

fn topic(label: &str) -> Vec<String> {
    let t = CORPUS
        .topics
        .iter()
        .find(|t| t.label == label)
        .unwrap_or_else(|| panic!("no topic {label}"));
    t.provisions.iter().map(ToString::to_string).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn topics_labelled_and_unlabelled() {
    let labelled = CORPUS.topics.iter().filter(|t| !t.unlabelled).count();
    assert_eq!(labelled, 74);
    let unlabelled: Vec<&str> = CORPUS
        .topics
        .iter()
        .filter(|t| t.unlabelled)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(
        unlabelled,
        [
            "unlabelled-974",
            "unlabelled-983",
            "unlabelled-984",
            "unlabelled-993"
        ]
    );
    let lost: Vec<u32> = CORPUS
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexLabelLost)
        .map(|f| f.line)
        .collect();
    assert_eq!(lost, [974, 983, 984, 993]);
    // Ids are unique ASCII slugs.
    let mut ids: Vec<&str> = CORPUS.topics.iter().map(|t| t.id.as_str()).collect();
    assert!(ids.iter().all(|i| i.is_ascii() && !i.is_empty()));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CORPUS.topics.len());
}

#[test]
fn exact_sets_for_several_topics() {
    assert_eq!(
        topic("التكنولوجيا"),
        ["A.4.33", "A.4.36", "A.5.29", "A.8.1.i", "A.9.24"]
    );
    assert_eq!(topic("الإرهاب"), ["A.7.2.n", "A.8.1.q"]);
    assert_eq!(
        sorted(topic("الضحايا، التعويضات")),
        sorted(
            [
                "A.1.13", "A.2.49", "A.4.46.b", "A.4.46.c", "A.4.46.d", "A.4.46.e", "A.4.46.g",
                "A.4.46.h", "A.4.46.i", "A.4.46.j", "A.5.22", "A.8.1.b", "B.5.7.b",
            ]
            .map(String::from)
            .to_vec()
        )
    );
    assert_eq!(topic("وكالات/شركات التوظيف ورسوم التوظيف").len(), 12);
    assert_eq!(
        topic("أشكال الاتجار بالأشخاص، نزع الأعضاء"),
        [
            "A.2.38", "A.4.1", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6", "A.4.7", "A.4.8",
            "A.4.45.k", "B.5.pp9", "B.5.12", "B.5.13"
        ]
    );
    // «(تابع)» rows join the topic they continue.
    let training = CORPUS
        .topics
        .iter()
        .find(|t| t.label == "التدريب وبناء القدرات")
        .unwrap();
    assert!(
        training.rows.contains(&944)
            && training.rows.contains(&948)
            && training.rows.contains(&954)
    );
    // A label glued to the location cell is recovered.
    assert_eq!(
        topic("جهات الاستجابة، العاملون في بعثات حفظ السلام"),
        ["A.1.8", "A.4.45.c", "A.9.16"]
    );
}

#[test]
fn multi_topic_filing_is_kept() {
    let id: ProvisionId = "A.2.55".parse().unwrap();
    let n = CORPUS
        .topics
        .iter()
        .filter(|t| t.provisions.contains(&id))
        .count();
    assert!(n >= 5, "A.2.55 is filed under {n} topics");
}

#[test]
fn paths_split_only_shared_heads() {
    let path = |label: &str| {
        CORPUS
            .topics
            .iter()
            .find(|t| t.label == label)
            .unwrap()
            .path
            .clone()
    };
    assert_eq!(path("الضحايا، التعويضات"), ["الضحايا", "التعويضات"]);
    assert_eq!(
        path("صندوق الأمم المتحدة الاستثماري للتبرعات لضحايا الاتجار بالأشخاص، وبخاصة النساء والأطفال")
            .len(),
        1
    );
    assert_eq!(path("الضحايا ذوي الإعاقة"), ["الضحايا ذوي الإعاقة"]);
}

#[test]
fn every_location_reference_resolves_or_is_a_finding() {
    let filed: usize = CORPUS.index.iter().map(|r| r.provisions.len()).sum();
    let unknown = CORPUS
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexLocationUnknown)
        .count();
    let unreadable = CORPUS
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexLocationUnreadable)
        .count();
    assert_eq!((unknown, unreadable), (0, 0));
    assert_eq!(filed, 1178);
    assert_eq!(CORPUS.index.len(), 161);
}

#[test]
fn offsets_for_all_eight_reports() {
    let got: Vec<(String, String, i32)> = CORPUS
        .reports
        .iter()
        .map(|r| (r.symbol.clone(), r.section.to_string(), r.offset))
        .collect();
    let want = [
        ("CTOC/COP/WG.4/2009/2", "A.1", 1),
        ("CTOC/COP/WG.4/2010/6", "A.2", 7),
        ("CTOC/COP/WG.4/2011/8", "A.4", 5),
        ("CTOC/COP/WG.4/2013/5", "A.5", 4),
        ("CTOC/COP/WG.4/2015/6", "A.6", 4),
        ("CTOC/COP/WG.4/2017/4", "A.7", 6),
        ("CTOC/COP/WG.4/2018/3", "A.8", 6),
        ("CTOC/COP/WG.4/2019/6", "A.9", 0),
    ];
    let want: Vec<(String, String, i32)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(got, want);
    assert!(CORPUS.reports.iter().all(|r| r.agreeing == r.pairs));
    let symbol = |s: &str| CORPUS.section(s.parse().unwrap()).unwrap().symbol.clone();
    assert_eq!(symbol("B.1").as_deref(), Some("CTOC/COP/2004/6"));
    assert_eq!(symbol("B.5").as_deref(), Some("CTOC/COP/2010/17"));
    assert_eq!(symbol("A.3"), None);
}

#[test]
fn disagreements_are_findings_with_lines() {
    let lines: Vec<u32> = CORPUS
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::IndexColumnsDisagree)
        .map(|f| f.line)
        .collect();
    // IX-6–8 printed «تاسعاً-6 و 8» while the recommendations column says 6-8.
    assert!(lines.contains(&1074));
    // «رابعاً-9 و 17» in the location column, 14-22 (IV-9–17) in the report column.
    assert!(lines.contains(&935));
    // (ج) in the location column, (ح) in the decision column.
    assert!(lines.contains(&1094));
    // Rows whose columns agree are not reported.
    assert!(!lines.contains(&904) && !lines.contains(&1051));
}

fn cite(s: &str) -> String {
    match resolve(&CORPUS, s) {
        Ok(t) => t.to_string(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn citation_forms() {
    assert_eq!(cite("ثانياً-55"), "A.2.55");
    assert_eq!(cite("الجزء ألف ثانياً-55"), "A.2.55");
    assert_eq!(cite("II-55"), "A.2.55");
    assert_eq!(cite("A.2.55"), "A.2.55");
    assert_eq!(cite("Part A, II-55"), "A.2.55");
    assert_eq!(cite("CTOC/COP/WG.4/2010/6, para. 62"), "A.2.55");
    assert_eq!(cite("WG.4/2010/6 §62"), "A.2.55");
    assert_eq!(cite("CTOC/COP/WG.4/2010/6 62"), "A.2.55");
    assert_eq!(cite("decision 4/4"), "B.4");
    assert_eq!(cite("المقرر 4/4"), "B.4");
    assert_eq!(cite("resolution 5/2, para. 7 (b)"), "B.5.7.b");
    assert_eq!(cite("القرار 2/5، الفقرة 7 (ب)"), "B.5.7.b");
    assert_eq!(cite("5/2 PP 11"), "B.5.pp11");
    assert_eq!(cite("decision 1/5 (b) (iv)"), "B.1.b.4");
    assert_eq!(cite("المقرر 5/1"), "B.1");
    assert_eq!(cite("Part A, IV-46 (i) (ii)"), "A.4.46.i.2");
    assert_eq!(cite("الجزء ألف، رابعاً-46 (ط) '2'"), "A.4.46.i.2");
    assert_eq!(cite("WG.4/2011/8 para. 51 (d)"), "A.4.46.d");
    assert_eq!(cite("CTOC/COP/WG.4/2019/6 recommendation 5"), "A.9.5");
    assert_eq!(cite("رابعاً-٤٦"), "A.4.46");
    assert_eq!(cite("B.5"), "B.5");
}

#[test]
fn not_found_gives_candidates() {
    let e = resolve(&CORPUS, "II-59").unwrap_err();
    assert!(e.reason.contains("A.2.59"), "{e}");
    assert_eq!(e.candidates.first().map(String::as_str), Some("A.2.58"));
    let e = resolve(&CORPUS, "A.4.46.i.7").unwrap_err();
    assert!(e.candidates.contains(&"A.4.46.i.3".to_owned()), "{e}");
    assert!(resolve(&CORPUS, "decision 9/9").is_err());
    assert!(resolve(&CORPUS, "WG.4/2030/1 para 3").is_err());
    assert!(resolve(&CORPUS, "WG.4/2010/6 para 3").is_err());
    assert!(resolve(&CORPUS, "").is_err());
    assert!(resolve(&CORPUS, "ما هذا").is_err());
    assert!(matches!(resolve(&CORPUS, "A.3"), Ok(Target::Section(_))));
}

fn xrefs_of(id: &str) -> Vec<(String, String)> {
    CORPUS
        .xrefs
        .iter()
        .filter(|x| x.from.to_string() == id)
        .map(|x| {
            let target = match &x.target {
                fihris_model::XrefTarget::Provision { id } => id.to_string(),
                fihris_model::XrefTarget::Section { id } => id.to_string(),
                fihris_model::XrefTarget::External { reference, .. } => reference.clone(),
            };
            (x.text.clone(), target)
        })
        .collect()
}

#[test]
fn cross_references_in_the_text() {
    assert_eq!(
        xrefs_of("A.1.1"),
        [("مقرّر المؤتمر 4/4".to_owned(), "B.4".to_owned())]
    );
    let a28 = xrefs_of("A.2.8");
    assert_eq!(a28.len(), 1);
    assert!(
        a28[0].0.starts_with("الفقرة 17 من تقرير الفريق العامل")
            && a28[0].0.ends_with("(CTOC/COP/WG.4/2009/2)")
    );
    assert_eq!(a28[0].1, "A.1.16");
    assert_eq!(
        xrefs_of("A.2.15"),
        [(
            "الفقرة 19 من تقرير اجتماع الفريق العامل لعام 2009".to_owned(),
            "A.1.18".to_owned()
        )]
    );
    // Outside the compendium: typed.
    assert_eq!(
        xrefs_of("A.4.45.g")[0].1,
        "General Assembly resolution 64/293"
    );
    assert_eq!(xrefs_of("A.1.19.b")[0].1, "COP decision 4/1");
    assert_eq!(
        xrefs_of("A.4.46.i")[0].1,
        "Trafficking in Persons Protocol, article 6, para. 6"
    );
    assert_eq!(
        xrefs_of("B.5.9")[0].1,
        "Commission on Crime Prevention and Criminal Justice resolution 19/4"
    );
    let pp2: Vec<String> = xrefs_of("B.5.pp2").into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        pp2,
        [
            "B.4",
            "General Assembly resolution 61/144",
            "General Assembly resolution 61/180",
            "General Assembly resolution 63/194",
            "General Assembly resolution 64/178",
            "General Assembly resolution 64/293"
        ]
    );
    // Meetings named by their dates: resolution 5/2 welcomes the
    // recommendations of the Working Group's first three meetings, by date
    // alone (the second printed «27 و29», the heading «من 27 إلى 29»).
    assert_eq!(
        xrefs_of("B.5.5"),
        [
            ("14 و15 نيسان/أبريل 2009".to_owned(), "A.1".to_owned()),
            (
                "27 و29 كانون الثاني/يناير 2010".to_owned(),
                "A.2".to_owned()
            ),
            ("19 تشرين الأول/أكتوبر 2010".to_owned(), "A.3".to_owned()),
        ]
    );
    // Sessions named by ordinal: decision 4/4 has the Working Group meet
    // during the fifth session; decision 1/5 asks for a report to the
    // second; a session naming itself is not a reference.
    assert_eq!(
        xrefs_of("B.4.p"),
        [("دورة المؤتمر الخامسة".to_owned(), "B.5".to_owned())]
    );
    assert_eq!(
        xrefs_of("B.1.f"),
        [("دورته الثانية".to_owned(), "B.2".to_owned())]
    );
    assert!(xrefs_of("B.2.n").is_empty());
    assert!(xrefs_of("B.5.pp3").is_empty());
    // Internal references «أعلاه».
    assert_eq!(xrefs_of("B.5.13")[0].1, "B.5.12");
    let b2l: Vec<String> = xrefs_of("B.2.l").into_iter().map(|(_, t)| t).collect();
    assert_eq!(b2l, ["B.3", "B.2.g", "B.2.j"]);
    // Every internal target exists.
    for x in &CORPUS.xrefs {
        if let fihris_model::XrefTarget::Provision { id } = &x.target {
            assert!(CORPUS.provision(id).is_some(), "{id}");
        }
    }
}

#[test]
fn report_citations_of_part_a_provisions() {
    let rc = |s: &str| CORPUS.report_citation(&s.parse().unwrap());
    assert_eq!(
        rc("A.2.55"),
        Some(("CTOC/COP/WG.4/2010/6".into(), "para. 62".into()))
    );
    assert_eq!(
        rc("A.4.46.d"),
        Some(("CTOC/COP/WG.4/2011/8".into(), "para. 51 (d)".into()))
    );
    assert_eq!(
        rc("A.9.5"),
        Some(("CTOC/COP/WG.4/2019/6".into(), "recommendation 5".into()))
    );
    assert_eq!(rc("B.5.7"), None);
}

#[test]
fn errata_name_an_unlabelled_topic() {
    let dir = std::env::temp_dir().join(format!("fihris-errata-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/compendium-2021.ar.txt");
    std::fs::copy(&source, dir.join("compendium.txt")).unwrap();
    std::fs::write(
        dir.join("errata.toml"),
        "[[index_label]]\nline = 974\nlabel = \"التنسيق\"\nnote = \"test\"\n",
    )
    .unwrap();
    let corpus = fihris_parse::parse_file(&dir.join("compendium.txt")).unwrap();
    let t = corpus
        .topics
        .iter()
        .find(|t| t.label == "التنسيق")
        .expect("named topic");
    assert!(!t.unlabelled);
    assert_eq!(t.rows.first(), Some(&974));
    assert_eq!(t.provisions.len(), 29);
    assert_eq!(corpus.topics.iter().filter(|t| t.unlabelled).count(), 3);
    assert!(
        corpus
            .findings
            .iter()
            .any(|f| f.code == FindingCode::IndexLabelErratum && f.line == 974)
    );
    // A broken errata file is an error naming its line.
    std::fs::write(
        dir.join("errata.toml"),
        "[[index_label]]\nline = 974\nlabel = 5\n",
    )
    .unwrap();
    let e = fihris_parse::parse_file(&dir.join("compendium.txt")).unwrap_err();
    assert!(
        e.to_string().contains("errata.toml:3: invalid errata file"),
        "{e}"
    );
    std::fs::remove_dir_all(dir).ok();
}
