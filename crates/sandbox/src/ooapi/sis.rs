//! The host's SIS backend (`POST /ooapi/sis`): what the enrollment receiver calls with
//! `{offering, person}` when a student asks to enroll. It always answers HTTP 200 with
//! `{"result", "code", "message", "oo-api-offering-id", "redirect"?}`, the codes of the receiver's
//! documented table (see `shared/reference/ooapi-enrollment.md`):
//! - a body without `offering.offeringId` or `person.personId` → code 412 (invalid request);
//! - a person whose `activeEnrollment` is `false` → code 400 with a short reason (denied);
//! - otherwise → code 200.
//!
//! Under [`OoapiFault::BrokenSis`] it answers as a broken backend: HTTP 202, code 418, no
//! `message`, and a `redirect` that is no URL.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::problem;
use super::{Ooapi, OoapiFault};

/// `POST /ooapi/sis`.
pub(crate) async fn enrollment(State(ooapi): State<Arc<Ooapi>>, body: Bytes) -> Response {
    if ooapi.fault() == OoapiFault::BrokenSis {
        return problem::json(StatusCode::ACCEPTED, &json!({"result": "ok", "code": 418, "redirect": "see the front desk"}));
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let offering_id = body.pointer("/offering/offeringId").and_then(Value::as_str).filter(|s| !s.is_empty());
    let person_id = body.pointer("/person/personId").and_then(Value::as_str).filter(|s| !s.is_empty());
    let answer = match (offering_id, person_id) {
        (Some(offering_id), Some(_)) if body.pointer("/person/activeEnrollment") == Some(&Value::Bool(false)) => json!({
            "result": "ok",
            "code": 400,
            "message": "Your home institution says you are not enrolled this year, so we cannot admit you.",
            "oo-api-offering-id": offering_id,
        }),
        (Some(offering_id), Some(_)) => json!({
            "result": "ok",
            "code": 200,
            "message": "Welcome! You are enrolled; your home institution will be told.",
            "oo-api-offering-id": offering_id,
        }),
        _ => json!({
            "result": "ok",
            "code": 412,
            "message": "The enrollment request lacks the offering or the person.",
        }),
    };
    problem::json(StatusCode::OK, &answer)
}
