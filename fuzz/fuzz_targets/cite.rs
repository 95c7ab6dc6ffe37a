//! Arbitrary text as a citation (`fihris cite`, the search box): a
//! provision or section that is in the record, or "not found"; never a
//! panic.
#![no_main]

use fihris_model::cite::{Target, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let corpus = fihris_fuzz::corpus();
    match resolve(corpus, text) {
        Ok(Target::Provision(id)) => assert!(corpus.provision(&id).is_some(), "{text:?} → {id}"),
        Ok(Target::Section(id)) => assert!(corpus.section(id).is_some(), "{text:?} → {id}"),
        Err(_) => {}
    }
});
