//! `{base}/_sandbox/...`: change knobs and envelopes, read and reset counters, describe the
//! sandbox, change the Open edX links, drive the OOAPI home (`/_sandbox/ooapi/...`: fault,
//! virtual clock, student tokens, views; see the `ooapi` module). Never faulted, never delayed.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::config::Envelope;
use crate::controls::Controls;
use crate::info::SandboxInfo;
use crate::knobs::Knobs;
use crate::ooapi::{self, Ooapi};
use crate::openedx::live::{ChangeError, LiveData};
use crate::openlearning::{OpenLearning, OpenLearningEnvelope};
use crate::stats::Stats;

#[derive(Clone)]
pub(crate) struct Admin {
    pub controls: Arc<Controls>,
    pub data: Arc<LiveData>,
    pub openlearning: Arc<OpenLearning>,
    pub ooapi: Arc<Ooapi>,
    pub addr: SocketAddr,
}

/// Body of `POST /_sandbox/link` and `POST /_sandbox/set_remote_id`.
#[derive(Debug, Deserialize)]
struct LinkBody {
    provider_id: String,
    username: String,
    remote_id: String,
}

/// Body of `POST /_sandbox/unlink`.
#[derive(Debug, Deserialize)]
struct UnlinkBody {
    provider_id: String,
    username: String,
}

/// Body of `PUT /_sandbox/envelope`: `"legacy"` or `{"envelope": "legacy"}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum EnvelopeBody {
    Bare(Envelope),
    Wrapped { envelope: Envelope },
}

#[derive(Debug, Serialize)]
struct EnvelopeAnswer {
    envelope: Envelope,
}

/// Body of `PUT /_sandbox/openlearning/envelope`: `"data"` or `{"envelope": "data"}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OpenLearningEnvelopeBody {
    Bare(OpenLearningEnvelope),
    Wrapped { envelope: OpenLearningEnvelope },
}

#[derive(Debug, Serialize)]
struct OpenLearningEnvelopeAnswer {
    envelope: OpenLearningEnvelope,
}

/// The routes, relative to `/_sandbox`.
pub(crate) fn router(admin: Admin) -> Router {
    Router::new()
        .route("/knobs", get(knobs).put(set_knobs))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/envelope", get(envelope).put(set_envelope))
        .route("/openlearning/envelope", get(openlearning_envelope).put(set_openlearning_envelope))
        .route("/info", get(info))
        .route("/link", post(link))
        .route("/unlink", post(unlink))
        .route("/set_remote_id", post(set_remote_id))
        .with_state(admin.clone())
        .nest("/ooapi", ooapi::admin_router(Arc::clone(&admin.ooapi)))
}

async fn knobs(State(admin): State<Admin>) -> Json<Knobs> {
    Json(admin.controls.knobs())
}

async fn set_knobs(State(admin): State<Admin>, Json(knobs): Json<Knobs>) -> Json<Knobs> {
    admin.controls.set_knobs(knobs);
    Json(admin.controls.knobs())
}

async fn stats(State(admin): State<Admin>) -> Json<Stats> {
    Json(admin.controls.counters.snapshot())
}

async fn reset_stats(State(admin): State<Admin>) -> Json<Stats> {
    admin.controls.counters.reset();
    Json(admin.controls.counters.snapshot())
}

async fn envelope(State(admin): State<Admin>) -> Json<EnvelopeAnswer> {
    Json(EnvelopeAnswer { envelope: admin.controls.envelope() })
}

async fn set_envelope(State(admin): State<Admin>, Json(body): Json<EnvelopeBody>) -> Json<EnvelopeAnswer> {
    let envelope = match body {
        EnvelopeBody::Bare(e) | EnvelopeBody::Wrapped { envelope: e } => e,
    };
    admin.controls.set_envelope(envelope);
    Json(EnvelopeAnswer { envelope })
}

async fn openlearning_envelope(State(admin): State<Admin>) -> Json<OpenLearningEnvelopeAnswer> {
    Json(OpenLearningEnvelopeAnswer { envelope: admin.openlearning.envelope() })
}

async fn set_openlearning_envelope(
    State(admin): State<Admin>,
    Json(body): Json<OpenLearningEnvelopeBody>,
) -> Json<OpenLearningEnvelopeAnswer> {
    let envelope = match body {
        OpenLearningEnvelopeBody::Bare(e) | OpenLearningEnvelopeBody::Wrapped { envelope: e } => e,
    };
    admin.openlearning.set_envelope(envelope);
    Json(OpenLearningEnvelopeAnswer { envelope })
}

async fn info(State(admin): State<Admin>) -> Json<SandboxInfo> {
    Json(SandboxInfo::new(admin.addr, &admin.data, admin.controls.envelope()))
}

async fn link(State(admin): State<Admin>, Json(body): Json<LinkBody>) -> Response {
    let result = admin.data.link(&body.provider_id, &body.username, &body.remote_id, false);
    change_answer(&admin, result, &body.provider_id, &body.username)
}

async fn unlink(State(admin): State<Admin>, Json(body): Json<UnlinkBody>) -> Response {
    let result = admin.data.unlink(&body.provider_id, &body.username);
    change_answer(&admin, result, &body.provider_id, &body.username)
}

async fn set_remote_id(State(admin): State<Admin>, Json(body): Json<LinkBody>) -> Response {
    let result = admin.data.set_remote_id(&body.provider_id, &body.username, &body.remote_id);
    change_answer(&admin, result, &body.provider_id, &body.username)
}

/// `200 {"provider_id", "username", "remote_id" (null once unlinked), "count"}` after a change;
/// `404`, `409` or `422` with `{"error": "..."}` when refused.
fn change_answer(admin: &Admin, result: Result<(), ChangeError>, provider_id: &str, username: &str) -> Response {
    if let Err(error) = result {
        let status = match error {
            ChangeError::UnknownProvider | ChangeError::UnknownLearner | ChangeError::NotLinked => StatusCode::NOT_FOUND,
            ChangeError::AlreadyLinked | ChangeError::RemoteIdTaken | ChangeError::LearnerExists => StatusCode::CONFLICT,
            ChangeError::InvalidUsername | ChangeError::EmptyRemoteId => StatusCode::UNPROCESSABLE_ENTITY,
        };
        return (status, Json(json!({ "error": error.message() }))).into_response();
    }
    let view = admin.data.view();
    let provider = view.provider(provider_id);
    let remote_id = provider.and_then(|p| {
        let row = view.learner_index(username).and_then(|l| p.row_of_learner(l))?;
        Some(p.remote_id(row).to_owned())
    });
    let count = provider.map_or(0, |p| p.len());
    Json(json!({ "provider_id": provider_id, "username": username, "remote_id": remote_id, "count": count })).into_response()
}
