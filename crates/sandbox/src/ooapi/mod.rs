//! The simulated OOAPI v5 home institution, its authorization server and the host's enrollment
//! receiver, mounted under `/ooapi` (see `shared/reference/ooapi-enrollment.md` and
//! `shared/specs/ooapi-v5.yaml`).
//!
//! - **Authorization server** (`/ooapi/auth`):
//!   - `POST /token`: `grant_type=client_credentials`, client authentication by HTTP Basic (or
//!     `client_id`/`client_secret` in the body), optional `scope` (a subset of the client's).
//!     → `{"access_token", "token_type": "Bearer", "expires_in": 3600, "scope"}`;
//!     401 `{"error": "invalid_client"}` for wrong credentials. [`OOAPI_CLIENT_ID`] gets
//!     [`OOAPI_HOST_SCOPES`]; [`OOAPI_NO_SCOPE_CLIENT_ID`] only `email`.
//!   - `POST /introspect` (RFC 7662), Basic [`OOAPI_RESOURCE_CLIENT_ID`] only (401 otherwise),
//!     form `token=` → `{"active", "exp", "iat", "scope", "client_id", "aud", "sub", "email"?}`
//!     or `{"active": false}` for an unknown or expired token.
//!   - Student tokens (whose `me` is one student) come from `POST /_sandbox/ooapi/student-token`
//!     or [`crate::SandboxHandle::ooapi_student_token`]; their scopes are [`OOAPI_STUDENT_SCOPES`].
//!   - Tokens expire on the **virtual clock**: advancing it past their lifetime expires them.
//! - **Home endpoints** (`/ooapi/home`; persons URL `/ooapi/home/persons`, associations URL
//!   `/ooapi/home/associations`). Every one checks the bearer token as a correct home does:
//!   401 problem when missing, unknown or expired; 403 problem (`insufficient_scope`) without
//!   [`OOAPI_PERSONS_SCOPE`] (persons) or [`OOAPI_RESULTS_SCOPE`] (associations). Errors are
//!   `application/problem+json` `{"status": "404", "title", "detail"}`.
//!   - `GET /persons/me` (student token), `GET /persons/{personId}` (client token, or a
//!     student's own id) → `Person`.
//!   - `POST /associations/external/me` (student token), `POST /associations/external/{personId}`
//!     (client token) with the EuroTeQ body ([`OoapiOffering::association_body`]); `remoteState`
//!     (`associated`, `pending` or `queued`) and `offering.offeringId` are required (400), an
//!     unknown person is 404. → 201 `{"associationId", "message": [{"language", "value"}], "state"}`.
//!   - `GET /associations/{id}[?expand=person,offering]` → `{"associationId", "associationType":
//!     "courseOfferingAssociation", "role", "state", "remoteState", "result"?, "person",
//!     "offering"}` (ids unless expanded; a denied association also carries the reason as a
//!     non-standard `message`). 404 problem for an unknown id (and for a student's token on
//!     another student's association).
//!   - `PATCH /associations/{id}`: `Content-Type: application/merge-patch+json` (the spec's) or
//!     `application/json` (what the enrollment receiver sends), 415 otherwise; body
//!     `{"remoteState"?: associated|denied|canceled, "result"?: {"state", "resultDate", ...}}`
//!     (other members, such as the receiver's `personId`, are ignored; `"result": null` removes
//!     the result) → 200 `{"associationId", "message", "state"}`.
//! - **Enrollment receiver** (`/ooapi/receiver`), HTTP Basic [`OOAPI_RECEIVER_USER`] /
//!   [`OOAPI_RECEIVER_PASSWORD`]: `POST /associations/external/{personId}`,
//!   `GET /associations/{associationId}`, `PATCH /associations/{associationId}`,
//!   `GET /person/{personId}`, forwarded in-process to the home side with the student's token
//!   (see the `receiver` module for its quirks).
//!
//! **Scenarios.** Each association follows an [`OoapiScenario`] on the virtual clock: the one
//! its offering code names by prefix ([`OoapiScenario::code_prefix`], e.g. `SCN-DENY-...`),
//! otherwise the student's ([`OoapiPerson::scenario`], drawn from the seed so that the first
//! seven students cover all seven). The clock moves only with
//! [`crate::SandboxHandle::ooapi_advance`] (or `POST /_sandbox/ooapi/advance?secs=N`) and with
//! real time.
//!
//! **Faults.** The generic [`crate::Knobs`] (latency, 429, status faults, truncation, slow
//! bodies) apply to the home endpoints, also when the receiver forwards to them, and to the
//! authorization server only with `faults_on_token_endpoint`; the receiver's own routes only get
//! the latency. `faults_path_contains` sees paths relative to `/ooapi` (e.g.
//! `/home/associations/`). A knob's 429 or 4xx is a problem spelled as the home's (v6 under
//! [`OoapiFault::V6Spelling`]); its 5xx is an HTML error page, as a proxy sends it.
//! [`OoapiFault`] adds the OOAPI-specific faults.
//!
//! **Counters.** [`crate::Stats`] counts `ooapi_home_requests`, `ooapi_auth_requests` and
//! `ooapi_receiver_requests`; [`crate::SandboxHandle::ooapi_post_count`] counts the POSTs home
//! handled.

mod admin;
mod auth;
mod home;
mod problem;
mod receiver;
mod scenarios;
mod seed;
mod sis;
mod store;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub(crate) use admin::router as admin_router;
pub use auth::{
    OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_HOST_SCOPES, OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, OOAPI_PERSONS_SCOPE,
    OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_RESULTS_SCOPE, OOAPI_STUDENT_SCOPES, OOAPI_TOKEN_LIFETIME_SECS,
};
pub use receiver::{OOAPI_RECEIVER_PASSWORD, OOAPI_RECEIVER_TIMEOUT, OOAPI_RECEIVER_USER};
pub use scenarios::{OoapiScenario, OoapiState, OOAPI_CANCEL_AFTER_SECS, OOAPI_DECISION_SECS, OOAPI_DENIAL_REASON};
pub use seed::{OoapiOffering, OoapiPerson, OOAPI_STUDENTS};
pub use store::{OoapiAssociation, OoapiDemoAssociation};

use crate::clock::{Clock, ShiftedClock};
use crate::controls::Controls;
use crate::faults::{self, Dialect, FaultScope, Route};
use crate::info::base_url;
use auth::{TokenInfo, Tokens};
use receiver::ReceiverMemory;
use seed::OoapiSeed;
use store::{Store, Stored};

/// The home institution's schacHome.
pub const OOAPI_SCHAC_HOME: &str = "home.example.edu";
/// The host institution's schacHome (the `issuer` of the associations Crosswalk sends).
pub const OOAPI_HOST_SCHAC_HOME: &str = "host.example.edu";

/// Path prefix of the OOAPI services in the sandbox.
pub const PATH_PREFIX: &str = "/ooapi";
/// The token endpoint below [`PATH_PREFIX`].
pub const TOKEN_PATH: &str = "/auth/token";
/// The introspection endpoint below [`PATH_PREFIX`].
pub const INTROSPECTION_PATH: &str = "/auth/introspect";
/// The home institution's persons endpoint below [`PATH_PREFIX`].
pub const PERSONS_PATH: &str = "/home/persons";
/// The home institution's associations endpoint below [`PATH_PREFIX`].
pub const ASSOCIATIONS_PATH: &str = "/home/associations";
/// The enrollment receiver below [`PATH_PREFIX`].
pub const RECEIVER_PATH: &str = "/receiver";
/// The host's SIS backend (what the receiver calls with `{offering, person}`) below [`PATH_PREFIX`].
pub const SIS_PATH: &str = "/sis";

/// OOAPI-specific misbehaviour of the home side, changeable at run time
/// ([`crate::SandboxHandle::ooapi_set_fault`], `PUT /_sandbox/ooapi/fault` with
/// `{"fault": "none" | "create_then_fail" | "post_answers_200" | "v6_spelling" | "slow", "delay_ms"}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OoapiFault {
    /// A correct home.
    #[default]
    None,
    /// `POST /associations/external/...` creates the association, then answers 500.
    CreateThenFail,
    /// `POST /associations/external/...` answers 200 instead of 201.
    PostAnswers200,
    /// Answers spell states as OOAPI v6 does (`cancelled`, and `finished` for an association
    /// whose result is `completed` or whose offering has ended) and problems carry an integer
    /// `status` and a `type`; PATCH accepts `cancelled`.
    V6Spelling,
    /// Every home answer comes only after this delay.
    Slow(Duration),
    /// The first request to each path answers 429 with `Retry-After` of this many seconds; a
    /// request to that path before the time is up is counted as early
    /// ([`crate::SandboxHandle::ooapi_early_requests`]) and answered 429 again; after it, normally.
    RateLimited(u64),
    /// Broken home: tokens are checked, their institution scopes are not (SURF's home mock).
    NoScopeCheck,
    /// Broken home: `GET /associations/{id}` answers a different `state` on every read.
    RandomState,
    /// Broken home: `GET /associations/{id}` of an unknown id answers 200 with a made-up
    /// association instead of 404.
    No404,
    /// Broken home: every error is an HTML page (`text/html`), not problem+json.
    HtmlErrors,
    /// Broken home: problems carry an integer `status` (v6 style) while everything else is v5.
    NumericProblemStatus,
    /// Broken host SIS backend (`POST /ooapi/sis`): HTTP 202, an undocumented `code`, no
    /// `message`, a `redirect` that is no URL.
    BrokenSis,
}

impl OoapiFault {
    /// `none`, `create_then_fail`, `post_answers_200`, `v6_spelling` or `slow`.
    pub fn as_str(self) -> &'static str {
        match self {
            OoapiFault::None => "none",
            OoapiFault::CreateThenFail => "create_then_fail",
            OoapiFault::PostAnswers200 => "post_answers_200",
            OoapiFault::V6Spelling => "v6_spelling",
            OoapiFault::Slow(_) => "slow",
            OoapiFault::RateLimited(_) => "rate_limited",
            OoapiFault::NoScopeCheck => "no_scope_check",
            OoapiFault::RandomState => "random_state",
            OoapiFault::No404 => "no_404",
            OoapiFault::HtmlErrors => "html_errors",
            OoapiFault::NumericProblemStatus => "numeric_problem_status",
            OoapiFault::BrokenSis => "broken_sis",
        }
    }
}

/// Shared state of the OOAPI routes.
pub(crate) struct Ooapi {
    pub persons: Vec<OoapiPerson>,
    pub offerings: Vec<OoapiOffering>,
    pub store: Store,
    pub tokens: Tokens,
    pub clock: Arc<ShiftedClock>,
    pub controls: Arc<Controls>,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// `http://127.0.0.1:PORT/ooapi/auth`: the `iss` of introspection answers.
    pub issuer: String,
    pub receiver: ReceiverMemory,
    fault: RwLock<OoapiFault>,
    receiver_timeout: RwLock<Duration>,
    post_count: AtomicU64,
    ids: Mutex<ChaCha8Rng>,
    /// Under [`OoapiFault::RateLimited`]: until when each path is limited, and the requests that
    /// came before their `Retry-After` was up.
    limited: Mutex<std::collections::HashMap<String, std::time::Instant>>,
    early: AtomicU64,
    /// Under [`OoapiFault::RandomState`]: association reads so far.
    reads: AtomicU64,
}

impl Ooapi {
    /// Seeds the students, offerings and demo associations from `seed`.
    pub fn new(seed: u64, controls: Arc<Controls>, clock: Arc<ShiftedClock>, addr: SocketAddr) -> Self {
        let now = clock.now();
        let OoapiSeed { persons, offerings, demo } = OoapiSeed::generate(seed, now);
        let store = Store::default();
        for (i, row) in demo.iter().enumerate() {
            let offering = &offerings[row.offering];
            let finished = row.scenario.state_after((now - row.created).num_seconds()) == OoapiState::Associated
                && row.remote_state == OoapiState::Associated
                && offering.end_date < now.date_naive();
            let result = finished.then(|| seed::demo_result(offering, i, now.date_naive()));
            store.insert(
                Stored {
                    id: row.association_id.clone(),
                    person_id: persons[row.person].person_id.clone(),
                    offering_id: offering.offering_id.clone(),
                    offering_code: Some(offering.code.clone()),
                    offering: offering.to_json(),
                    role: "student".to_owned(),
                    remote_state: row.remote_state,
                    results: result.iter().cloned().collect(),
                    result,
                    scenario: row.scenario,
                    created: row.created,
                },
                true,
            );
        }
        Self {
            persons,
            offerings,
            store,
            tokens: Tokens::new(seed),
            clock,
            controls,
            base_url: base_url(addr),
            issuer: format!("{}{PATH_PREFIX}/auth", base_url(addr)),
            receiver: ReceiverMemory::new(seed),
            fault: RwLock::new(OoapiFault::None),
            receiver_timeout: RwLock::new(OOAPI_RECEIVER_TIMEOUT),
            post_count: AtomicU64::new(0),
            ids: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x6173_736f_6369)),
            limited: Mutex::new(std::collections::HashMap::new()),
            early: AtomicU64::new(0),
            reads: AtomicU64::new(0),
        }
    }

    /// The virtual now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the virtual clock `secs` on (negative: back); the new total offset.
    pub fn advance(&self, secs: i64) -> i64 {
        let offset = self.clock.offset_secs().saturating_add(secs);
        self.clock.set_offset_secs(offset);
        offset
    }

    pub fn fault(&self) -> OoapiFault {
        *self.fault.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_fault(&self, fault: OoapiFault) {
        *self.fault.write().unwrap_or_else(PoisonError::into_inner) = fault;
    }

    /// Whether answers are spelled as v6.
    pub fn v6(&self) -> bool {
        self.fault() == OoapiFault::V6Spelling
    }

    pub fn person(&self, person_id: &str) -> Option<&OoapiPerson> {
        self.persons.iter().find(|p| p.person_id == person_id)
    }

    /// POSTs to `/associations/external/...` the home side handled.
    pub fn post_count(&self) -> u64 {
        self.post_count.load(Ordering::Relaxed)
    }

    /// Under [`OoapiFault::RateLimited`]: `Some(wait)` when `path` must answer 429 now.
    pub(crate) fn rate_limit(&self, path: &str) -> Option<u64> {
        let OoapiFault::RateLimited(secs) = self.fault() else { return None };
        let now = std::time::Instant::now();
        let mut limited = self.limited.lock().unwrap_or_else(PoisonError::into_inner);
        match limited.get(path) {
            None => {
                limited.insert(path.to_owned(), now + Duration::from_secs(secs));
                Some(secs)
            }
            Some(until) if now < *until => {
                self.early.fetch_add(1, Ordering::Relaxed);
                Some(until.saturating_duration_since(now).as_secs().max(1))
            }
            Some(_) => None,
        }
    }

    /// Under [`OoapiFault::RandomState`]: the next of the states, different from the last read.
    pub(crate) fn next_random_state(&self) -> &'static str {
        const STATES: [&str; 5] = ["pending", "associated", "denied", "queued", "canceled"];
        STATES[usize::try_from(self.reads.fetch_add(1, Ordering::Relaxed) % 5).unwrap_or(0)]
    }

    /// How a refusal is written: v5 problem+json, v6, or as a broken home writes it.
    pub(crate) fn refuse(&self, problem: problem::Problem) -> Response {
        match self.fault() {
            OoapiFault::HtmlErrors => problem.respond_html(),
            OoapiFault::NumericProblemStatus => problem.respond_numeric_status(),
            _ => problem.respond(self.v6()),
        }
    }

    pub fn early_requests(&self) -> u64 {
        self.early.load(Ordering::Relaxed)
    }

    fn count_post(&self) {
        self.post_count.fetch_add(1, Ordering::Relaxed);
    }

    /// A new association id.
    fn new_id(&self) -> String {
        seed::uuid(&mut *self.ids.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Issues a token now; the token and its lifetime in seconds.
    pub fn issue_token(&self, client_id: &str, scopes: Vec<String>, person: Option<&OoapiPerson>) -> (String, u64) {
        let lifetime = self.controls.knobs().token_lifetime_secs.unwrap_or(OOAPI_TOKEN_LIFETIME_SECS);
        let iat = self.now().timestamp();
        let info = TokenInfo {
            client_id: client_id.to_owned(),
            scopes,
            person_id: person.map(|p| p.person_id.clone()),
            email: person.map(|p| p.mail.clone()),
            iat,
            exp: iat.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX)),
        };
        (self.tokens.issue(info), lifetime)
    }

    /// A token whose `me` is `person_id` (scopes [`OOAPI_STUDENT_SCOPES`] unless given);
    /// `None` for an unknown person.
    pub fn student_token(&self, person_id: &str, scopes: Option<Vec<String>>) -> Option<(String, u64, Vec<String>)> {
        let person = self.person(person_id)?;
        let scopes = scopes.unwrap_or_else(|| OOAPI_STUDENT_SCOPES.iter().map(|s| (*s).to_owned()).collect());
        let (token, lifetime) = self.issue_token(OOAPI_CLIENT_ID, scopes.clone(), Some(person));
        Some((token, lifetime, scopes))
    }

    /// How the knobs see the OOAPI routes (problems spelled as the fault knob says).
    pub fn fault_scope(&self) -> FaultScope {
        let dialect = if self.v6() { Dialect::ProblemV6 } else { Dialect::Problem };
        FaultScope { controls: Arc::clone(&self.controls), route_of, dialect }
    }

    /// How long the enrollment receiver waits for the home side.
    pub fn receiver_timeout(&self) -> Duration {
        *self.receiver_timeout.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_receiver_timeout(&self, timeout: Duration) {
        *self.receiver_timeout.write().unwrap_or_else(PoisonError::into_inner) = timeout;
    }
}

/// The middleware applying the [`crate::Knobs`] to the OOAPI routes
/// (`axum::middleware::from_fn_with_state`).
pub(crate) async fn apply_knobs(State(ooapi): State<Arc<Ooapi>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let original = request.extensions().get::<axum::extract::OriginalUri>().map_or_else(|| path.clone(), |u| u.path().to_owned());
    faults::guard_at(&ooapi.fault_scope(), &path, &original, next.run(request)).await
}

/// The routes, relative to [`PATH_PREFIX`].
pub(crate) fn router(ooapi: Arc<Ooapi>) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(auth::token))
        .route(INTROSPECTION_PATH, post(auth::introspect))
        .route("/home", any(home::entry))
        .route("/home/{*rest}", any(home::entry))
        .route("/receiver/associations/external/{person_id}", post(receiver::associate))
        .route("/receiver/associations/{association_id}", get(receiver::association).patch(receiver::update))
        .route("/receiver/person/{person_id}", get(receiver::person))
        .route(SIS_PATH, post(sis::enrollment))
        .fallback(|| async { problem::Problem::not_found("Not found", "no such OOAPI sandbox route").respond(false) })
        .with_state(ooapi)
}

/// Which kind of request a path (relative to [`PATH_PREFIX`], or not) is, for knobs and counters.
pub(crate) fn route_of(path: &str) -> Route {
    let path = path.strip_prefix(PATH_PREFIX).unwrap_or(path);
    let under = |prefix: &str| path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'));
    if under("/home") {
        Route::OoapiHome
    } else if under("/auth") {
        Route::OoapiAuth
    } else if under(RECEIVER_PATH) {
        Route::OoapiReceiver
    } else {
        Route::Other
    }
}

/// 404 problem for paths no home endpoint has.
fn no_such_endpoint(v6: bool) -> Response {
    problem::Problem::new(StatusCode::NOT_FOUND, "Not found", "no such OOAPI endpoint").respond(v6)
}
