#![no_main]
// See crosswalk_core::fuzz::certificate.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::certificate(data));
