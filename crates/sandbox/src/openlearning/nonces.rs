//! The nonces of launches already accepted: each launch is valid once.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::LAUNCH_WINDOW_SECS;

/// Past this many remembered nonces, those whose launch is long expired are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// Used nonces with their launch's `oauth_timestamp`.
#[derive(Debug, Default)]
pub(crate) struct NonceLedger {
    used: Mutex<HashMap<String, i64>>,
}

impl NonceLedger {
    /// Marks `nonce` used; `false` when it was used already. A nonce is forgotten only once its
    /// timestamp is more than two launch windows before `now`, when no launch carrying it can be
    /// accepted anyway.
    pub fn use_once(&self, nonce: &str, timestamp: i64, now: i64) -> bool {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        if used.contains_key(nonce) {
            return false;
        }
        if used.len() >= PRUNE_ABOVE {
            used.retain(|_, &mut t| now.saturating_sub(t) <= 2 * LAUNCH_WINDOW_SECS);
        }
        used.insert(nonce.to_owned(), timestamp);
        true
    }

    /// Nonces remembered now.
    pub fn len(&self) -> usize {
        self.used.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once() {
        let ledger = NonceLedger::default();
        assert!(ledger.use_once("a", 1_000, 1_000));
        assert!(!ledger.use_once("a", 1_000, 1_001));
        assert!(ledger.use_once("b", 1_000, 1_001));
        assert_eq!(ledger.len(), 2);
    }

    #[test]
    fn long_expired_nonces_are_forgotten_when_many() {
        let ledger = NonceLedger::default();
        for i in 0..PRUNE_ABOVE {
            assert!(ledger.use_once(&format!("old-{i}"), 0, 0));
        }
        assert!(ledger.use_once("fresh", 10_000, 10_000));
        assert_eq!(ledger.len(), 1);
    }
}
