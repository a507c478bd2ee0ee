//! `/_sandbox/ooapi/...`: the OOAPI knobs and views over HTTP (never faulted, never delayed).
//!
//! - `GET /fault`, `PUT /fault` `{"fault": "none" | "create_then_fail" | "post_answers_200" |
//!   "v6_spelling" | "slow" | "rate_limited" | "no_scope_check" | "random_state" | "no_404" |
//!   "html_errors" | "numeric_problem_status" | "broken_sis", "delay_ms": N}` (a bare string works
//!   too) → `{"fault", "delay_ms"?}`
//! - `POST /advance?secs=N` (or body `{"secs": N}`) moves the virtual clock on →
//!   `{"offset_secs", "now"}`
//! - `POST /student-token` `{"personId", "scope"?}` → `{"access_token", "token_type",
//!   "expires_in", "scope"}` (404 for an unknown person)
//! - `GET /persons`, `GET /offerings`, `GET /associations`, `GET /demo-associations`
//! - `GET /stats` → `{"post_count", "receiver_associations"}`

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Ooapi, OoapiAssociation, OoapiDemoAssociation, OoapiFault, OoapiOffering, OoapiPerson};

/// Body of `PUT /_sandbox/ooapi/fault`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FaultBody {
    Bare(String),
    Wrapped { fault: String, delay_ms: Option<u64> },
}

#[derive(Debug, Deserialize)]
struct AdvanceQuery {
    secs: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
struct AdvanceBody {
    secs: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct StudentTokenBody {
    #[serde(rename = "personId", alias = "person_id")]
    person_id: String,
    scope: Option<String>,
}

/// The routes, relative to `/_sandbox/ooapi`.
pub(crate) fn router(ooapi: Arc<Ooapi>) -> Router {
    Router::new()
        .route("/fault", get(fault).put(set_fault))
        .route("/advance", post(advance))
        .route("/student-token", post(student_token))
        .route("/persons", get(persons))
        .route("/offerings", get(offerings))
        .route("/associations", get(associations))
        .route("/demo-associations", get(demo_associations))
        .route("/stats", get(stats))
        .with_state(ooapi)
}

fn fault_json(fault: OoapiFault) -> Value {
    match fault {
        OoapiFault::Slow(delay) => json!({"fault": fault.as_str(), "delay_ms": u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)}),
        OoapiFault::RateLimited(secs) => json!({"fault": fault.as_str(), "retry_after_secs": secs}),
        _ => json!({"fault": fault.as_str()}),
    }
}

async fn fault(State(ooapi): State<Arc<Ooapi>>) -> Json<Value> {
    Json(fault_json(ooapi.fault()))
}

async fn set_fault(State(ooapi): State<Arc<Ooapi>>, Json(body): Json<FaultBody>) -> Response {
    let (name, delay_ms) = match body {
        FaultBody::Bare(name) => (name, None),
        FaultBody::Wrapped { fault, delay_ms } => (fault, delay_ms),
    };
    let fault = match name.as_str() {
        "none" => OoapiFault::None,
        "create_then_fail" => OoapiFault::CreateThenFail,
        "post_answers_200" => OoapiFault::PostAnswers200,
        "v6_spelling" => OoapiFault::V6Spelling,
        "slow" => OoapiFault::Slow(Duration::from_millis(delay_ms.unwrap_or(25_000))),
        "rate_limited" => OoapiFault::RateLimited(delay_ms.map_or(2, |ms| ms.div_ceil(1000))),
        "no_scope_check" => OoapiFault::NoScopeCheck,
        "random_state" => OoapiFault::RandomState,
        "no_404" => OoapiFault::No404,
        "html_errors" => OoapiFault::HtmlErrors,
        "numeric_problem_status" => OoapiFault::NumericProblemStatus,
        "broken_sis" => OoapiFault::BrokenSis,
        other => {
            let error = format!(
                "unknown OOAPI fault `{other}`: none, create_then_fail, post_answers_200, v6_spelling, slow, rate_limited, \
                 no_scope_check, random_state, no_404, html_errors, numeric_problem_status or broken_sis"
            );
            return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": error }))).into_response();
        }
    };
    ooapi.set_fault(fault);
    Json(fault_json(fault)).into_response()
}

async fn advance(State(ooapi): State<Arc<Ooapi>>, Query(query): Query<AdvanceQuery>, body: Option<Json<AdvanceBody>>) -> Response {
    let Some(secs) = query.secs.or_else(|| body.and_then(|Json(b)| b.secs)) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "give `secs` in the query or the body"}))).into_response();
    };
    let offset = ooapi.advance(secs);
    Json(json!({"offset_secs": offset, "now": ooapi.now()})).into_response()
}

async fn student_token(State(ooapi): State<Arc<Ooapi>>, Json(body): Json<StudentTokenBody>) -> Response {
    let scopes = body.scope.map(|s| s.split_whitespace().map(str::to_owned).collect());
    match ooapi.student_token(&body.person_id, scopes) {
        Some((token, lifetime, scopes)) => Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": scopes.join(" "),
        }))
        .into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": format!("no student {}", body.person_id)}))).into_response(),
    }
}

async fn persons(State(ooapi): State<Arc<Ooapi>>) -> Json<Vec<OoapiPerson>> {
    Json(ooapi.persons.clone())
}

async fn offerings(State(ooapi): State<Arc<Ooapi>>) -> Json<Vec<OoapiOffering>> {
    Json(ooapi.offerings.clone())
}

async fn associations(State(ooapi): State<Arc<Ooapi>>) -> Json<Vec<OoapiAssociation>> {
    Json(ooapi.store.snapshots(ooapi.now()))
}

async fn demo_associations(State(ooapi): State<Arc<Ooapi>>) -> Json<Vec<OoapiDemoAssociation>> {
    Json(ooapi.store.demo_views(ooapi.now()))
}

async fn stats(State(ooapi): State<Arc<Ooapi>>) -> Json<Value> {
    Json(json!({"post_count": ooapi.post_count(), "receiver_associations": ooapi.receiver.association_count()}))
}
