//! Arbitrary text as a location cell of the thematic index, read in
//! either part; never a panic.
#![no_main]

use fihris_model::Part;
use fihris_model::location::read_location;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = read_location(text, Part::A);
    let _ = read_location(text, Part::B);
});
