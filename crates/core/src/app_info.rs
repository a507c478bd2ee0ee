//! What the app tells the UI about itself.

use serde::Serialize;
use ts_rs::TS;

/// Crosswalk's version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit it was built from (short hash; `unknown` outside a git checkout).
pub const COMMIT: &str = env!("CROSSWALK_COMMIT");
/// The day it was built (UTC, `YYYY-MM-DD`).
pub const BUILD_DATE: &str = env!("CROSSWALK_BUILD_DATE");
/// `0.1.0 (commit 1a2b3c4d5e, built 2026-12-05)`: what `crosswalk --version` and About say.
pub const LONG_VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("CROSSWALK_COMMIT"), ", built ", env!("CROSSWALK_BUILD_DATE"), ")");

/// Shown in the shell: version, demo banner, where files live.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub commit: String,
    pub build_date: String,
    /// Running against the built-in sandbox with demo connections.
    pub demo: bool,
    pub data_dir: String,
    pub log_dir: String,
    pub database: String,
    /// The sandbox's address when in demo mode.
    pub sandbox_url: Option<String>,
}
