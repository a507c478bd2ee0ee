//! Test-only: Crosswalk's app commands over loopback HTTP for the browser suite (see `bridge.rs`).

fn main() {
    crosswalk_app::bridge::main();
}
