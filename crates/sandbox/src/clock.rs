//! Where the sandbox reads the time, so token expiry can be reasoned about in one place.

use chrono::{DateTime, Utc};

/// A source of the current time.
pub(crate) trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
