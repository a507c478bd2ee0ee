//! The host's enrollment receiver (SURF's generic one), as its SIS API behaves
//! (`/ooapi/receiver/...`, HTTP Basic [`OOAPI_RECEIVER_USER`] / [`OOAPI_RECEIVER_PASSWORD`]).
//!
//! | receiver call | forwarded to the home side |
//! |---|---|
//! | `POST /associations/external/{personId}` | `POST /associations/external/me`, body unchanged |
//! | `GET /associations/{associationId}` | `GET /associations/{id}` (no `expand`) |
//! | `PATCH /associations/{associationId}` | `PATCH /associations/{id}`, `personId` added, as `application/json` |
//! | `GET /person/{personId}` | `GET /persons/me` |
//!
//! Its quirks, kept on purpose:
//! - It acts with the **student's** token. Every seeded student counts as having started an
//!   enrollment (so the receiver holds a token for them); any other personId, and any
//!   associationId it does not remember, is answered 409 with Spring's error body whose
//!   `message` is `Enrollment not found.`
//! - It remembers an association id only when home answered **201** (not 200).
//! - On **any** HTTP error from home it gets a fresh token and sends the same call once more,
//!   so a POST that failed after home created the association creates a second one. It never
//!   reads a token's expiry: a token expired on the virtual clock costs one failed call.
//! - Home's successes come back as home sent them (status and body); home's errors come back
//!   with home's status and `{"error": true, "reference": <random 4 digits>, "message",
//!   "details": "<home's body as text>", "description", "status"}`.
//! - Calls to home meet the same knobs as direct ones. It waits [`OOAPI_RECEIVER_TIMEOUT`] (20 s)
//!   for home, then answers Spring's 500 (`I/O error on POST request for "...": timeout`)
//!   without a retry, while home carries on and may still create the association.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::auth::basic_credentials;
use super::problem;
use super::{home, Ooapi, ASSOCIATIONS_PATH, PATH_PREFIX, PERSONS_PATH};
use crate::faults;

/// The SIS's user at the receiver.
pub const OOAPI_RECEIVER_USER: &str = "sis";
/// Password of [`OOAPI_RECEIVER_USER`].
pub const OOAPI_RECEIVER_PASSWORD: &str = "sis-demo-password";
/// How long the receiver waits for the home side by default (its connection and read
/// timeouts); [`crate::SandboxHandle::ooapi_set_receiver_timeout`] changes it.
pub const OOAPI_RECEIVER_TIMEOUT: Duration = Duration::from_secs(20);

/// What the receiver stores: the association ids it was given and the students' tokens.
pub(crate) struct ReceiverMemory {
    /// associationId → personId.
    associations: Mutex<HashMap<String, String>>,
    /// personId → the student's current access token.
    tokens: Mutex<HashMap<String, String>>,
    /// Draws the error `reference`s.
    references: Mutex<ChaCha8Rng>,
}

impl ReceiverMemory {
    pub fn new(seed: u64) -> Self {
        Self {
            associations: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            references: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x7265_6365_6976_6572)),
        }
    }

    fn person_of(&self, association_id: &str) -> Option<String> {
        self.associations.lock().unwrap_or_else(PoisonError::into_inner).get(association_id).cloned()
    }

    /// Association ids the receiver remembers.
    pub fn association_count(&self) -> usize {
        self.associations.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether the receiver remembers `association_id`.
    pub fn knows(&self, association_id: &str) -> bool {
        self.person_of(association_id).is_some()
    }

    fn reference(&self) -> u32 {
        self.references.lock().unwrap_or_else(PoisonError::into_inner).random_range(1_000..10_000)
    }
}

/// One answer of the home side.
struct HomeAnswer {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

/// 401 unless the request carries the SIS's Basic credentials.
fn refusal_unless_sis(headers: &HeaderMap, path: &str) -> Option<Response> {
    match basic_credentials(headers) {
        Some((user, password)) if user == OOAPI_RECEIVER_USER && password == OOAPI_RECEIVER_PASSWORD => None,
        _ => {
            let mut response = spring_error(StatusCode::UNAUTHORIZED, "Unauthorized", path);
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Basic realm="Realm""#));
            Some(response)
        }
    }
}

/// Spring Boot's error body.
fn spring_error(status: StatusCode, message: &str, path: &str) -> Response {
    let body = json!({
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "status": status.as_u16(),
        "error": status.canonical_reason().unwrap_or(""),
        "message": message,
        "path": path,
    });
    problem::json(status, &body)
}

/// 409 `Enrollment not found.`
fn not_found(path: &str) -> Response {
    spring_error(StatusCode::CONFLICT, "Enrollment not found.", path)
}

/// Why the receiver got no answer from home.
enum Failure {
    /// No enrollment request for the person (or an association it does not remember): 409.
    NotFound,
    /// Home did not answer within the receiver's timeout: Spring's 500, no retry.
    Io(String),
}

impl Failure {
    fn respond(self, own_path: &str) -> Response {
        match self {
            Failure::NotFound => not_found(own_path),
            Failure::Io(message) => spring_error(StatusCode::INTERNAL_SERVER_ERROR, &message, own_path),
        }
    }
}

/// One call to the home side with `token`, through the knobs, in-process. Home carries on
/// when the receiver stops waiting after its timeout.
async fn call(ooapi: &Arc<Ooapi>, token: &str, method: &Method, path: &str, body: Option<&[u8]>) -> Result<HomeAnswer, Failure> {
    let mut builder = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, "application/json, application/json;charset=UTF-8");
    if body.is_some() {
        builder = builder.header(header::CONTENT_TYPE, "application/json");
    }
    let url = format!("{}{PATH_PREFIX}{path}", ooapi.base_url);
    let request = builder
        .body(Body::from(body.map(<[u8]>::to_vec).unwrap_or_default()))
        .map_err(|error| Failure::Io(format!("I/O error on {method} request for \"{url}\": {error}")))?;
    let scope = ooapi.fault_scope();
    let home = Arc::clone(ooapi);
    let owned_path = path.to_owned();
    let work = tokio::spawn(async move {
        let response = faults::guard(&scope, &owned_path, home::serve(home.clone(), request)).await;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        HomeAnswer { status, content_type, body }
    });
    match tokio::time::timeout(ooapi.receiver_timeout(), work).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => Err(Failure::Io(format!("I/O error on {method} request for \"{url}\": connection reset"))),
        Err(_) => Err(Failure::Io(format!("I/O error on {method} request for \"{url}\": timeout"))),
    }
}

/// A fresh student token for `person_id`, remembered.
fn refresh_token(ooapi: &Ooapi, person_id: &str) -> Option<String> {
    let (token, _, _) = ooapi.student_token(person_id, None)?;
    ooapi.receiver.tokens.lock().unwrap_or_else(PoisonError::into_inner).insert(person_id.to_owned(), token.clone());
    Some(token)
}

/// Calls home for `person_id`; on any HTTP error, once more with a fresh token (not after a
/// timeout: that is no HTTP error).
async fn exchange(ooapi: &Arc<Ooapi>, person_id: &str, method: Method, path: &str, body: Option<&[u8]>) -> Result<HomeAnswer, Failure> {
    let cached = ooapi.receiver.tokens.lock().unwrap_or_else(PoisonError::into_inner).get(person_id).cloned();
    let token = match cached {
        Some(token) => token,
        None => refresh_token(ooapi, person_id).ok_or(Failure::NotFound)?,
    };
    let first = call(ooapi, &token, &method, path, body).await?;
    if !(first.status.is_client_error() || first.status.is_server_error()) {
        return Ok(first);
    }
    let token = refresh_token(ooapi, person_id).ok_or(Failure::NotFound)?;
    call(ooapi, &token, &method, path, body).await
}

/// Home's answer as the receiver passes it on.
fn relay(ooapi: &Ooapi, answer: HomeAnswer, path: &str, person_id: &str) -> Response {
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    if answer.status.is_client_error() || answer.status.is_server_error() {
        let code = answer.status.as_u16();
        let reason = answer.status.canonical_reason().unwrap_or("");
        let body = json!({
            "error": true,
            "reference": ooapi.receiver.reference(),
            "message": format!("{code} {reason}: \"{text}\""),
            "details": text,
            "description": format!(
                "Error {code} {} from the OOAPI endpoint {}{PATH_PREFIX}{path} for enrolment request: {person_id}.",
                reason.to_ascii_uppercase().replace(' ', "_"),
                ooapi.base_url,
            ),
            "status": code,
        });
        return problem::json(answer.status, &body);
    }
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = answer.status;
    if let Some(content_type) = answer.content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    }
    response
}

/// `POST /receiver/associations/external/{personId}` → `POST /associations/external/me`.
pub(crate) async fn associate(State(ooapi): State<Arc<Ooapi>>, headers: HeaderMap, Path(person_id): Path<String>, body: Bytes) -> Response {
    let own_path = format!("{PATH_PREFIX}/receiver/associations/external/{person_id}");
    if let Some(refusal) = refusal_unless_sis(&headers, &own_path) {
        return refusal;
    }
    let path = format!("{ASSOCIATIONS_PATH}/external/me");
    let answer = match exchange(&ooapi, &person_id, Method::POST, &path, Some(&body)).await {
        Ok(answer) => answer,
        Err(failure) => return failure.respond(&own_path),
    };
    if answer.status == StatusCode::CREATED {
        let created: Option<Value> = serde_json::from_slice(&answer.body).ok();
        if let Some(id) = created.as_ref().and_then(|v| v["associationId"].as_str()) {
            ooapi.receiver.associations.lock().unwrap_or_else(PoisonError::into_inner).insert(id.to_owned(), person_id.clone());
        }
    }
    relay(&ooapi, answer, &path, &person_id)
}

/// `GET /receiver/associations/{associationId}` → `GET /associations/{id}`.
pub(crate) async fn association(State(ooapi): State<Arc<Ooapi>>, headers: HeaderMap, Path(association_id): Path<String>) -> Response {
    let own_path = format!("{PATH_PREFIX}/receiver/associations/{association_id}");
    if let Some(refusal) = refusal_unless_sis(&headers, &own_path) {
        return refusal;
    }
    let Some(person_id) = ooapi.receiver.person_of(&association_id) else {
        return not_found(&own_path);
    };
    let path = format!("{ASSOCIATIONS_PATH}/{association_id}");
    match exchange(&ooapi, &person_id, Method::GET, &path, None).await {
        Ok(answer) => relay(&ooapi, answer, &path, &person_id),
        Err(failure) => failure.respond(&own_path),
    }
}

/// `PATCH /receiver/associations/{associationId}` → `PATCH /associations/{id}` with `personId`
/// added, as `application/json`.
pub(crate) async fn update(
    State(ooapi): State<Arc<Ooapi>>,
    headers: HeaderMap,
    Path(association_id): Path<String>,
    body: Bytes,
) -> Response {
    let own_path = format!("{PATH_PREFIX}/receiver/associations/{association_id}");
    if let Some(refusal) = refusal_unless_sis(&headers, &own_path) {
        return refusal;
    }
    let Some(person_id) = ooapi.receiver.person_of(&association_id) else {
        return not_found(&own_path);
    };
    let mut patch: Value = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => Value::Object(map),
        _ => return spring_error(StatusCode::BAD_REQUEST, "Bad Request", &own_path),
    };
    patch["personId"] = json!(person_id);
    let forwarded = patch.to_string();
    let path = format!("{ASSOCIATIONS_PATH}/{association_id}");
    match exchange(&ooapi, &person_id, Method::PATCH, &path, Some(forwarded.as_bytes())).await {
        Ok(answer) => relay(&ooapi, answer, &path, &person_id),
        Err(failure) => failure.respond(&own_path),
    }
}

/// `GET /receiver/person/{personId}` → `GET /persons/me`.
pub(crate) async fn person(State(ooapi): State<Arc<Ooapi>>, headers: HeaderMap, Path(person_id): Path<String>) -> Response {
    let own_path = format!("{PATH_PREFIX}/receiver/person/{person_id}");
    if let Some(refusal) = refusal_unless_sis(&headers, &own_path) {
        return refusal;
    }
    let path = format!("{PERSONS_PATH}/me");
    match exchange(&ooapi, &person_id, Method::GET, &path, None).await {
        Ok(answer) => relay(&ooapi, answer, &path, &person_id),
        Err(failure) => failure.respond(&own_path),
    }
}
