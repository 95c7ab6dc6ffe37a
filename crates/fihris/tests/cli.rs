//! The `fihris` binary run as a user would, from the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fihris(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fihris"))
        .args(args)
        .current_dir(repo().join("docs"))
        .output()
        .expect("run fihris")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

#[test]
fn export_json_is_the_whole_record() {
    let o = fihris(&["export", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let provisions = v["provisions"].as_array().expect("provisions");
    assert_eq!(provisions.len(), 472);
    assert_eq!(v["sections"].as_array().map(Vec::len), Some(14));
    assert_eq!(v["footnotes"].as_array().map(Vec::len), Some(22));
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(1));
    let item = provisions
        .iter()
        .find(|p| p["id"] == "A.4.46.i.2")
        .expect("A.4.46.i.2");
    assert_eq!(item["parent"], "A.4.46.i");
    assert_eq!(item["kind"], "item");
    assert_eq!(item["label"], "'2'");
    assert_eq!(item["lines"]["start"], 393);
    assert_eq!(item["footnotes"], Value::Array(vec![]));
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .starts_with("وجود أحكام تتيح للمحاكم")
    );
    let pp = provisions
        .iter()
        .find(|p| p["id"] == "B.5.pp11")
        .expect("B.5.pp11");
    assert_eq!(
        (pp["kind"].as_str(), pp["label"].as_str()),
        (Some("preambular"), Some("ف.د. 11"))
    );
    let b1 = &v["sections"][9];
    assert_eq!(b1["id"], "B.1");
    assert_eq!(b1["session"]["instrument"]["canonical"], "decision 1/5");
    assert_eq!(b1["session"]["instrument"]["arabic"], "المقرر 5/1");
    assert_eq!(v["sections"][0]["meeting"]["start"], "2009-04-14");
    // Document order.
    assert_eq!(provisions[0]["id"], "A.1.1");
    assert_eq!(provisions[471]["id"], "B.5.18");
}

#[test]
fn export_to_a_file() {
    let out = std::env::temp_dir().join(format!("fihris-export-{}.json", std::process::id()));
    let o = fihris(&["export", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["provisions"].as_array().map(Vec::len), Some(472));
    std::fs::remove_file(out).ok();
}

#[test]
fn show_a_provision_with_citations_and_footnotes() {
    let o = fihris(&["show", "A.4.46.i.2"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("الجزء ألف، رابعاً-46 (ط) '2'"), "{s}");
    assert!(s.contains("Part A, IV-46 (i) (ii)"));
    assert!(s.contains("section A.4: رابعاً- الاجتماع الرابع"));
    let o = fihris(&["show", "B.5.5"]);
    let s = stdout(&o);
    assert!(s.contains("resolution 5/2, para. 5"));
    assert!(s.contains("القرار 2/5، الفقرة 5"));
    assert!(s.contains("(23) [text missing in the source"));
    let o = fihris(&["show", "A.1.2", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["citation"]["en"], "Part A, I-2");
    assert_eq!(v["footnotes"][0]["number"], 1);
    assert_eq!(
        v["footnotes"][1]["text"],
        "المرجع نفسه، vol. 2225, No. 39574"
    );
    assert_eq!(v["section"]["id"], "A.1");
}

#[test]
fn show_a_section() {
    let s = stdout(&fihris(&["show", "A.3"]));
    assert!(s.contains("0 provisions"), "{s}");
    assert!(s.contains("note: التوصيات التي اقترحت"));
    let s = stdout(&fihris(&["show", "B.1"]));
    assert!(s.contains("decision 1/5 (المقرر 5/1)"), "{s}");
}

#[test]
fn show_unknown_id_suggests_neighbours() {
    let o = fihris(&["show", "A.4.46.i.9"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("not found"), "{e}");
    assert!(e.contains("A.4.46.i.1"), "{e}");
    let o = fihris(&["show", "nonsense"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn stats_counts() {
    let o = fihris(&["stats", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["provisions"], 472);
    assert_eq!(v["preambular"], 11);
    assert_eq!(v["items"], 21);
    assert_eq!(v["sections"][3]["id"], "A.4");
    assert_eq!(v["sections"][3]["provisions"], 76);
    let text = stdout(&fihris(&["stats"]));
    assert!(text.contains("total       472"), "{text}");
}

#[test]
fn validate_lists_findings_and_exits_zero_on_warnings() {
    let o = fihris(&["validate"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains("compendium-2021.ar.txt:851: warning[footnote-text-missing]"),
        "{s}"
    );
    assert!(s.contains("1 findings: 0 errors, 1 warnings, 0 info"));
}

#[test]
fn bad_sources_give_one_error_line_and_a_nonzero_exit() {
    let dir = std::env::temp_dir().join(format!("fihris-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let corpus = std::fs::read(repo().join("corpus/compendium-2021.ar.txt")).unwrap();
    let cut: Vec<u8> = corpus
        .split(|b| *b == b'\n')
        .take(500)
        .collect::<Vec<_>>()
        .join(&b'\n');
    let cases = [
        (
            dir.join("missing.txt").to_str().unwrap().to_owned(),
            "cannot read the file",
        ),
        (write("empty.txt", b""), "the file is empty"),
        (write("binary.bin", b"\x00\x01\x02"), ":1: binary data"),
        (write("latin1.txt", b"abc\n\xe9t\xe9"), ":2: invalid UTF-8"),
        (
            write("cut.txt", &cut),
            ":500: unexpected end of file: expected the heading of Part B",
        ),
    ];
    for (path, want) in cases {
        let o = fihris(&["--source", &path, "stats"]);
        assert_eq!(o.status.code(), Some(2), "{path}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.starts_with(&format!("fihris: error: {path}")), "{e}");
        assert!(e.contains(want), "{e}");
        assert!(
            e.contains("—"),
            "Arabic message beside the English one: {e}"
        );
        assert!(o.stdout.is_empty());
    }
    std::fs::remove_dir_all(dir).ok();
}
