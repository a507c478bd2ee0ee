//! The drift knob ([`DriftKnob`](crate::DriftKnob)): a provider that gains a learner after every
//! N mapping requests, as if people signed up while a client pages through the list.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::live::{ChangeError, LiveData};
use super::route_of;
use crate::controls::Controls;
use crate::faults::Route;
use crate::stats::Counters;

/// Names tried per change before giving up (they are only taken when a test took them).
const ATTEMPTS: usize = 1_000;

/// State of the middleware.
#[derive(Clone)]
pub(crate) struct DriftScope {
    pub controls: Arc<Controls>,
    pub data: Arc<LiveData>,
}

/// The middleware function (`axum::middleware::from_fn_with_state`), outside the fault knobs so
/// every mapping request counts, faulted or not. The change is made once the answer is ready
/// and before it is sent, so the client's next request sees it.
pub(crate) async fn apply(State(scope): State<DriftScope>, request: Request, next: Next) -> Response {
    let is_mapping = route_of(request.uri().path()) == Route::Mapping;
    let response = next.run(request).await;
    if is_mapping {
        if let Some(provider_id) = scope.controls.drift_tick() {
            if grow(&scope, &provider_id) {
                Counters::bump(&scope.controls.counters.drift_changes);
            }
        }
    }
    response
}

/// Links `drift-learner-<k>` with remote id `drift-<k>` for the next free `k`.
fn grow(scope: &DriftScope, provider_id: &str) -> bool {
    for _ in 0..ATTEMPTS {
        let k = scope.controls.next_drift_serial();
        match scope.data.link(provider_id, &format!("drift-learner-{k}"), &format!("drift-{k}"), true) {
            Ok(()) => return true,
            Err(ChangeError::LearnerExists | ChangeError::RemoteIdTaken) => continue,
            Err(error) => {
                tracing::warn!(provider_id, error = error.message(), "drift knob cannot link a learner");
                return false;
            }
        }
    }
    false
}
