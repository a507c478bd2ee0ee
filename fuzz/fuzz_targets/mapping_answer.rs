#![no_main]
// See crosswalk_core::fuzz::mapping_answer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::mapping_answer(data));
