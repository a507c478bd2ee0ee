//! What the app tells the UI about itself.

use serde::Serialize;
use ts_rs::TS;

/// Shown in the shell: version, demo banner, where files live.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// Running against the built-in sandbox with demo connections.
    pub demo: bool,
    pub data_dir: String,
    pub log_dir: String,
    pub database: String,
    /// The sandbox's address when in demo mode.
    pub sandbox_url: Option<String>,
}
