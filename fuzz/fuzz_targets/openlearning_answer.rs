#![no_main]
// See crosswalk_core::fuzz::openlearning_answer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::openlearning_answer(data));
