#![no_main]
// See crosswalk_core::fuzz::id_file (a panic inside spreadsheet::guarded is an error, as in the app).
libfuzzer_sys::fuzz_target!(init: crosswalk_core::fuzz::install_panic_hook(), |data: &[u8]| crosswalk_core::fuzz::id_file(data));
