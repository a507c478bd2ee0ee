//! Fails when `ui/src/bindings.ts` no longer matches the Rust types that cross the IPC bridge.

use std::path::PathBuf;

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings.ts");
    let expected = crosswalk_core::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write ui/src/bindings.ts");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "ui/src/bindings.ts is out of date with the Rust types. Run `make bindings` and commit the result.\n--- expected ---\n{expected}"
    );
}
