//! What can be changed while a sandbox runs: knobs, envelope, counters, and the seeded
//! generator that decides which requests meet a fault.

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
        }
    }

    pub fn knobs(&self) -> Knobs {
        self.knobs.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set_knobs(&self, knobs: Knobs) {
        *self.knobs.write().unwrap_or_else(PoisonError::into_inner) = knobs;
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
