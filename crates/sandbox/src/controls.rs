//! What can be changed while a sandbox runs: knobs, envelope, counters, and the seeded
//! generator that decides which requests meet a fault.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::Envelope;
use crate::knobs::Knobs;
use crate::stats::Counters;

/// Runtime controls shared by the services and the admin routes.
#[derive(Debug)]
pub(crate) struct Controls {
    knobs: RwLock<Knobs>,
    envelope: RwLock<Envelope>,
    pub counters: Counters,
    fault_rng: Mutex<ChaCha8Rng>,
    /// Mapping requests seen under the current drift knob.
    drift_requests: AtomicU64,
    /// Changes made (or reserved) under the current drift knob.
    drift_changes: AtomicU64,
    /// The last `k` of `drift-learner-<k>`; never reset, so names stay unique.
    drift_serial: AtomicU64,
}

/// The random numbers one request is judged by, each in `0.0..1.0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FaultDraw {
    pub rate_limit: f64,
    pub status: f64,
    pub truncate: f64,
    pub slow_body: f64,
}

impl Controls {
    pub fn new(knobs: Knobs, envelope: Envelope, seed: u64) -> Self {
        Self {
            knobs: RwLock::new(knobs),
            envelope: RwLock::new(envelope),
            counters: Counters::default(),
            fault_rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x6661_756c_7473)),
            drift_requests: AtomicU64::new(0),
            drift_changes: AtomicU64::new(0),
            drift_serial: AtomicU64::new(0),
        }
    }

    pub fn knobs(&self) -> Knobs {
        self.knobs.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the knobs; a different drift knob starts its progress from zero.
    pub fn set_knobs(&self, knobs: Knobs) {
        let mut current = self.knobs.write().unwrap_or_else(PoisonError::into_inner);
        if current.drift != knobs.drift {
            self.drift_requests.store(0, Ordering::Relaxed);
            self.drift_changes.store(0, Ordering::Relaxed);
        }
        *current = knobs;
    }

    /// Counts one mapping request for the drift knob; the provider to grow when this request
    /// is the one that triggers a change (the change is then reserved against `max_changes`).
    pub fn drift_tick(&self) -> Option<String> {
        let knobs = self.knobs.read().unwrap_or_else(PoisonError::into_inner);
        let drift = knobs.drift.as_ref()?;
        if drift.every_n_requests == 0 {
            return None;
        }
        let seen = self.drift_requests.fetch_add(1, Ordering::Relaxed) + 1;
        if !seen.is_multiple_of(drift.every_n_requests) {
            return None;
        }
        self.drift_changes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |made| (made < drift.max_changes).then_some(made + 1))
            .ok()?;
        Some(drift.provider_id.clone())
    }

    /// The next `k` for `drift-learner-<k>` (1, 2, ...).
    pub fn next_drift_serial(&self) -> u64 {
        self.drift_serial.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn envelope(&self) -> Envelope {
        *self.envelope.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_envelope(&self, envelope: Envelope) {
        *self.envelope.write().unwrap_or_else(PoisonError::into_inner) = envelope;
    }

    /// The next four draws of the fault generator.
    pub fn draw(&self) -> FaultDraw {
        let mut rng = self.fault_rng.lock().unwrap_or_else(PoisonError::into_inner);
        FaultDraw { rate_limit: rng.random(), status: rng.random(), truncate: rng.random(), slow_body: rng.random() }
    }
}
