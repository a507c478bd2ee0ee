//! How a sandbox is started: port, data size, seed, envelope and initial knobs.

use serde::{Deserialize, Serialize};

use crate::knobs::Knobs;

/// Everything [`crate::Sandbox::start`] needs to know.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SandboxConfig {
    /// TCP port on 127.0.0.1; `0` picks a free ephemeral port.
    pub port: u16,
    /// Number of learners to seed (default 1 000; one million seeds in about a second in release).
    pub learners: usize,
    /// Seed of the data generator: the same seed always gives the same learners, links and order.
    pub seed: u64,
    /// Pagination envelope of the Open edX mapping API (changeable at runtime).
    pub envelope: Envelope,
    /// Initial fault and latency knobs (changeable at runtime).
    pub knobs: Knobs,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self { port: 0, learners: 1_000, seed: 42, envelope: Envelope::Current, knobs: Knobs::default() }
    }
}

/// The pagination envelope the mapping API answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Envelope {
    /// Today's LMS (edx-drf-extensions `DefaultPagination`):
    /// `{"next","previous","count","num_pages","current_page","start","results"}`.
    #[default]
    Current,
    /// The older documented shape: `{"page","page_size","count","results"}`, no `next` link.
    Legacy,
}

impl Envelope {
    /// The lowercase name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Envelope::Current => "current",
            Envelope::Legacy => "legacy",
        }
    }
}

impl std::str::FromStr for Envelope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "current" => Ok(Envelope::Current),
            "legacy" => Ok(Envelope::Legacy),
            other => Err(format!("unknown envelope `{other}`: use `current` or `legacy`")),
        }
    }
}
