//! Request and fault counters, read by tests and benchmarks.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// A snapshot of the sandbox's counters since start or the last reset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Requests that reached the Open edX token endpoint (faulted or not).
    pub token_requests: u64,
    /// Tokens actually issued.
    pub tokens_issued: u64,
    /// Requests to the Open edX API (`/api/...`), all routes.
    pub api_requests: u64,
    /// Requests to `GET /api/third_party_auth/v0/providers/{id}/users`.
    pub mapping_requests: u64,
    /// Requests to `GET /api/third_party_auth/v0/users/...`.
    pub user_requests: u64,
    /// All injected faults: status faults, rate limits, truncations, slow bodies and hostile answers.
    pub faults_injected: u64,
    /// Injected status faults (`Knobs::faults`).
    pub status_faults: u64,
    /// Injected `429` answers.
    pub rate_limited: u64,
    /// Answers cut in half.
    pub truncated: u64,
    /// Answers whose body was delayed.
    pub slow_bodies: u64,
    /// Answers replaced or bent by the hostile-server knob (`Knobs::hostile`).
    #[serde(default)]
    pub hostile: u64,
    /// Links made by the drift knob (`Knobs::drift`).
    pub drift_changes: u64,
    /// Requests to the OpenLearning API (`/openlearning/api/v2.1/...`), faulted or not.
    #[serde(default)]
    pub openlearning_requests: u64,
    /// OpenLearning sign-on answers issued (each a single-use launch).
    #[serde(default)]
    pub openlearning_sign_ons: u64,
    /// OpenLearning launches accepted by the launch page.
    #[serde(default)]
    pub openlearning_launches: u64,
    /// Requests to the OOAPI home endpoints (`/ooapi/home/...`), faulted or not, those the
    /// enrollment receiver forwards included.
    #[serde(default)]
    pub ooapi_home_requests: u64,
    /// Requests to the OOAPI authorization server (token endpoint and introspection).
    #[serde(default)]
    pub ooapi_auth_requests: u64,
    /// Requests to the OOAPI enrollment receiver (`/ooapi/receiver/...`).
    #[serde(default)]
    pub ooapi_receiver_requests: u64,
}

/// Live counters behind [`Stats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub token_requests: AtomicU64,
    pub tokens_issued: AtomicU64,
    pub api_requests: AtomicU64,
    pub mapping_requests: AtomicU64,
    pub user_requests: AtomicU64,
    pub status_faults: AtomicU64,
    pub rate_limited: AtomicU64,
    pub truncated: AtomicU64,
    pub slow_bodies: AtomicU64,
    pub hostile: AtomicU64,
    pub drift_changes: AtomicU64,
    pub openlearning_requests: AtomicU64,
    pub openlearning_sign_ons: AtomicU64,
    pub openlearning_launches: AtomicU64,
    pub ooapi_home_requests: AtomicU64,
    pub ooapi_auth_requests: AtomicU64,
    pub ooapi_receiver_requests: AtomicU64,
}

impl Counters {
    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Reads all counters.
    pub fn snapshot(&self) -> Stats {
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let status_faults = read(&self.status_faults);
        let rate_limited = read(&self.rate_limited);
        let truncated = read(&self.truncated);
        let slow_bodies = read(&self.slow_bodies);
        let hostile = read(&self.hostile);
        Stats {
            token_requests: read(&self.token_requests),
            tokens_issued: read(&self.tokens_issued),
            api_requests: read(&self.api_requests),
            mapping_requests: read(&self.mapping_requests),
            user_requests: read(&self.user_requests),
            faults_injected: status_faults + rate_limited + truncated + slow_bodies + hostile,
            status_faults,
            rate_limited,
            truncated,
            slow_bodies,
            hostile,
            drift_changes: read(&self.drift_changes),
            openlearning_requests: read(&self.openlearning_requests),
            openlearning_sign_ons: read(&self.openlearning_sign_ons),
            openlearning_launches: read(&self.openlearning_launches),
            ooapi_home_requests: read(&self.ooapi_home_requests),
            ooapi_auth_requests: read(&self.ooapi_auth_requests),
            ooapi_receiver_requests: read(&self.ooapi_receiver_requests),
        }
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        for c in [
            &self.token_requests,
            &self.tokens_issued,
            &self.api_requests,
            &self.mapping_requests,
            &self.user_requests,
            &self.status_faults,
            &self.rate_limited,
            &self.truncated,
            &self.slow_bodies,
            &self.hostile,
            &self.drift_changes,
            &self.openlearning_requests,
            &self.openlearning_sign_ons,
            &self.openlearning_launches,
            &self.ooapi_home_requests,
            &self.ooapi_auth_requests,
            &self.ooapi_receiver_requests,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}
