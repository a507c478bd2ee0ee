#![no_main]
// See crosswalk_core::fuzz::token_answer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::token_answer(data));
