//! Arbitrary text as a meeting file to import: an error, or a meeting that
//! joins the record (or is refused by it) leaving a record that keeps the
//! invariants, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok((change, _)) = fihris_edit::Change::import_meeting("fuzz.ar.txt", text) else {
        return;
    };
    let mut corpus = fihris_fuzz::corpus().clone();
    if fihris_edit::apply(&mut corpus, &change).is_ok() {
        fihris_fuzz::check_record(&corpus);
    }
});
