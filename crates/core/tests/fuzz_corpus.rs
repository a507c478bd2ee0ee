//! The fuzz corpus as regression tests: every seed in `fuzz/seeds/<target>/`, every input
//! `make fuzz` kept in `fuzz/corpus/<target>/` and every crash kept in `fuzz/regressions/<target>/` runs
//! through the same function its fuzz target calls. A panic fails the test; an input that takes
//! more than a few seconds is reported as a hang.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crosswalk_core::fuzz::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_target_has_a_seed_corpus_and_a_target_file() {
    for (name, _) in TARGETS {
        let seeds = inputs(&fuzz_dir().join("seeds").join(name));
        assert!(!seeds.is_empty(), "fuzz/seeds/{name} has no seed");
        assert!(fuzz_dir().join("fuzz_targets").join(format!("{name}.rs")).is_file(), "fuzz/fuzz_targets/{name}.rs is missing");
    }
}

#[test]
fn the_corpus_and_every_kept_crash_run_without_a_panic_or_a_hang() {
    let mut ran = 0;
    for (name, target) in TARGETS {
        for kind in ["seeds", "corpus", "regressions"] {
            for path in inputs(&fuzz_dir().join(kind).join(name)) {
                let data = std::fs::read(&path).unwrap();
                let started = Instant::now();
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name} panicked on {}", path.display());
                assert!(started.elapsed() < Duration::from_secs(5), "{name} took {:?} on {}", started.elapsed(), path.display());
                ran += 1;
            }
        }
    }
    assert!(ran >= TARGETS.len(), "the corpus was not found (ran {ran} inputs)");
}

/// The one panic fuzzing found in a parser we use (calamine's column arithmetic overflowing on a
/// cell reference with a very long column name) ends, in the app, as a plain error about the file.
#[test]
fn the_spreadsheet_calamine_could_not_read_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["grade_report", "id_file"] {
        let data = std::fs::read(fuzz_dir().join("regressions").join(name).join("calamine-column-name-overflow")).unwrap();
        // The targets' first byte chooses the extension: 3 is XLSX.
        assert_eq!(data[0] % 4, 3, "the kept input is an XLSX file");
        let path = dir.path().join(format!("{name}.xlsx"));
        std::fs::write(&path, &data[1..]).unwrap();
        let message = match name {
            "grade_report" => crosswalk_core::grades::inspect(&path).map(|_| ()),
            _ => crosswalk_core::id_file::read(&path).map(|_| ()),
        }
        .expect_err("the damaged spreadsheet is refused")
        .to_string();
        assert!(message.contains("the spreadsheet looks damaged"), "{name}: {message}");
        assert!(!crosswalk_core::spreadsheet::inside_guard(), "the guard is left when the read ends");
    }
}
