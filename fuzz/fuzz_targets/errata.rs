//! Arbitrary text as the errata file and as the topic register: an error
//! naming the file, or a reading; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(errata) = fihris_parse::Errata::from_toml(text, "errata.toml") {
        let _ = errata.index_label(1);
    }
    let _ = fihris_parse::TopicRegister::from_toml(text, "topics.toml");
});
