#![no_main]
// See crosswalk_core::fuzz::profile_import.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::profile_import(data));
