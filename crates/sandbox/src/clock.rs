//! Where the sandbox reads the time, so token expiry and launch windows can be reasoned about in
//! one place.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

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

/// Another clock shifted by an offset that can change while the sandbox runs: a service whose
/// clock is ahead of (or behind) its callers'.
pub(crate) struct ShiftedClock {
    inner: Arc<dyn Clock>,
    offset_secs: AtomicI64,
}

impl ShiftedClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        Self { inner, offset_secs: AtomicI64::new(0) }
    }

    /// Seconds added to the inner clock (negative: behind).
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    pub fn set_offset_secs(&self, offset_secs: i64) {
        self.offset_secs.store(offset_secs, Ordering::Relaxed);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let now = self.inner.now();
        TimeDelta::try_seconds(self.offset_secs()).and_then(|offset| now.checked_add_signed(offset)).unwrap_or(now)
    }
}
