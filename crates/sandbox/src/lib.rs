//! Crosswalk's sandbox: an HTTP server on 127.0.0.1 that simulates the services Crosswalk talks
//! to, with deterministic seeded data, for the app's demo mode, for tests and for benchmarks.
//!
//! Today it serves **Open edX** under `/openedx` (LMS base URL `http://127.0.0.1:PORT/openedx`):
//! the OAuth2 token endpoint and the third-party-auth ID mapping API, behaving as the real LMS
//! does (see `shared/reference/openedx-id-mapping.md`). Fault and latency
//! [`Knobs`] and the pagination [`Envelope`] can be changed while it runs, from Rust or over
//! HTTP at `/_sandbox/...`, and so can the links themselves ([`SandboxHandle::link`],
//! [`SandboxHandle::unlink`], [`SandboxHandle::set_remote_id`], [`DriftKnob`]).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use crosswalk_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("LMS at {}", sandbox.openedx_url());
//! let truth = sandbox.mappings("saml-demo-univ");
//! sandbox.link("saml-demo-univ", "new.learner", "s9999999");
//! assert_eq!(sandbox.mapping_count("saml-demo-univ"), truth.len() + 1);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod admin;
mod clock;
mod config;
mod controls;
mod faults;
mod info;
mod knobs;
pub mod oauth1;
pub mod openedx;
mod server;
mod stats;
mod string_column;

pub use config::{Envelope, SandboxConfig};
pub use info::{SandboxInfo, ADMIN_PREFIX};
pub use knobs::{DriftKnob, Knobs, RateLimitFault, SlowBodyFault, StatusFault};
pub use openedx::clients::{
    ClientRole, DemoClient, DEMO_API_KEY, ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET, JWT_AUDIENCE, JWT_SIGNING_KEY,
    LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, RESTRICTED_FILTERS, RESTRICTED_SCOPES,
    STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
pub use openedx::data::{Learner, Link, Mapping, OpenEdxData, ProviderInfo};
pub use openedx::providers::ProviderKind;
pub use server::{Sandbox, SandboxHandle};
pub use stats::Stats;
