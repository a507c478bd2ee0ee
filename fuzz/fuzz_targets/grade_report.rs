#![no_main]
// See crosswalk_core::fuzz::grade_report.
libfuzzer_sys::fuzz_target!(|data: &[u8]| crosswalk_core::fuzz::grade_report(data));
