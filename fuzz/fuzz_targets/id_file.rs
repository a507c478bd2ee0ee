#![no_main]
// See crosswalk_core::fuzz::id_file.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::id_file(data));
