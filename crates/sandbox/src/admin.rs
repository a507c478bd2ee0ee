//! `{base}/_sandbox/...`: change knobs and envelope, read and reset counters, describe the
//! sandbox. Never faulted, never delayed.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::config::Envelope;
use crate::controls::Controls;
use crate::info::SandboxInfo;
use crate::knobs::Knobs;
use crate::openedx::data::OpenEdxData;
use crate::stats::Stats;

#[derive(Clone)]
pub(crate) struct Admin {
    pub controls: Arc<Controls>,
    pub data: Arc<OpenEdxData>,
    pub addr: SocketAddr,
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

/// The routes, relative to `/_sandbox`.
pub(crate) fn router(admin: Admin) -> Router {
    Router::new()
        .route("/knobs", get(knobs).put(set_knobs))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/envelope", get(envelope).put(set_envelope))
        .route("/info", get(info))
        .with_state(admin)
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

async fn info(State(admin): State<Admin>) -> Json<SandboxInfo> {
    Json(SandboxInfo::new(admin.addr, &admin.data, admin.controls.envelope()))
}
