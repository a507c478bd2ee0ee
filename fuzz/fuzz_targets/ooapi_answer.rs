#![no_main]
// See crosswalk_core::fuzz::ooapi_answer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::ooapi_answer(data));
