//! Arbitrary bytes as the compendium's source file: an error or a record
//! that keeps the record's invariants, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(corpus) = fihris_parse::parse_bytes(data, "fuzz.txt") {
        assert_eq!(corpus.source.bytes, data.len());
        fihris_fuzz::check_record(&corpus);
    }
});
