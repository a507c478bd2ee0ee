//! The simulated OpenLearning institution API and its LTI launch page, mounted under
//! `/openlearning` (see `shared/reference/openlearning-sso.md`).
//!
//! - API base URL (what a client configures): `http://127.0.0.1:PORT/openlearning/api/v2.1`.
//!   Every API route takes the administrator key as `Authorization: Bearer <key>` or as
//!   `?api_key=<key>`; errors are `{"meta": {"status": N, "error": "..."}}`.
//!   - `GET /users/me/institutions/` → `{"data": [{"id", "name"}]}`
//!   - `GET /institutions/{iid}/managed-users/[?external_institution_id=X]` →
//!     `{"data": [{"user": {"id", "full_name", "email"}, "external_institution_id"}]}`
//!   - `GET /institutions/{iid}/managed-users/{user_id}/` → `{"data": {...one item...}}`
//!   - `POST /institutions/{iid}/managed-users/{user_id}/sign-on/` (JSON or form body with
//!     optional `class_id`, `context_id`, `email`, `full_name`) → `{"url", "method": "POST",
//!     "params"}`, or `{"data": {...}}` under [`OpenLearningEnvelope::Data`].
//! - Launch page: `POST http://127.0.0.1:PORT/openlearning/lti/launch` with the sign-on's params
//!   as a form. It checks the OAuth 1.0a HMAC-SHA1 signature, a ±300 s timestamp window and a
//!   single-use nonce, then answers an HTML page.
//!
//! Users are seeded from the Open edX data: the first 200 learners linked to `saml-demo-univ`,
//! with their remote ids as institution external ids.

mod api_key;
mod classes;
mod directory;
mod full_names;
mod institutions;
mod launch;
mod managed_users;
mod nonces;
mod pages;
mod responses;
mod sign_on;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use axum::routing::{any, post};
use axum::Router;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use classes::{
    ClassType, OpenLearningClass, OpenLearningContext, OPENLEARNING_CLASS_ETHICS_AI, OPENLEARNING_CLASS_INTRO_DATA,
    OPENLEARNING_CLOSED_CLASS, OPENLEARNING_LINKED_CONTEXT, OPENLEARNING_UNLINKED_CONTEXT,
};
pub use directory::{
    ManagedUser, OPENLEARNING_API_KEY, OPENLEARNING_EXTERNAL_ID_PROVIDER, OPENLEARNING_INSTITUTION_ID, OPENLEARNING_INSTITUTION_NAME,
    OPENLEARNING_MANAGED_USERS, OPENLEARNING_NON_MEMBER_USER_ID, OPENLEARNING_OTHER_INSTITUTION_ID, OPENLEARNING_OTHER_INSTITUTION_KEY,
    OPENLEARNING_USER_WITHOUT_EXTERNAL_ID,
};

use crate::clock::ShiftedClock;
use crate::controls::Controls;
use crate::faults::Route;
use crate::info::base_url;
use crate::openedx::data::OpenEdxData;
use directory::Directory;
use nonces::NonceLedger;

/// Path prefix of the OpenLearning service in the sandbox.
pub const PATH_PREFIX: &str = "/openlearning";
/// The API's path below [`PATH_PREFIX`]; `{base}/openlearning/api/v2.1` is the API base URL.
pub const API_PATH: &str = "/api/v2.1";
/// The launch page's path below [`PATH_PREFIX`].
pub const LAUNCH_PATH: &str = "/lti/launch";
/// The `oauth_consumer_key` of every launch the sandbox signs.
pub const OPENLEARNING_LTI_CONSUMER_KEY: &str = "openlearning-demo-university";
/// Seconds a launch's `oauth_timestamp` may differ from the sandbox's clock.
pub const LAUNCH_WINDOW_SECS: i64 = 300;

/// At most this many successful launches are remembered for [`crate::SandboxHandle::openlearning_launches`].
const REMEMBERED_LAUNCHES: usize = 10_000;

/// The shape of the sign-on answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpenLearningEnvelope {
    /// `{"url", "method", "params"}`, as the help pages document it.
    #[default]
    Plain,
    /// `{"data": {"url", "method", "params"}}`, as some client code observes it.
    Data,
}

impl OpenLearningEnvelope {
    /// `"plain"` or `"data"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OpenLearningEnvelope::Plain => "plain",
            OpenLearningEnvelope::Data => "data",
        }
    }
}

impl std::str::FromStr for OpenLearningEnvelope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plain" => Ok(OpenLearningEnvelope::Plain),
            "data" => Ok(OpenLearningEnvelope::Data),
            other => Err(format!("unknown OpenLearning envelope `{other}`: use `plain` or `data`")),
        }
    }
}

/// A launch the launch page accepted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OpenLearningLaunch {
    /// The OpenLearning user signed in.
    pub user_id: String,
    /// The class the user entered (and is enrolled in), if the launch named one.
    pub class_id: Option<String>,
    /// The launch's `context_id`, if any.
    pub context_id: Option<String>,
}

/// Shared state of the OpenLearning routes.
pub(crate) struct OpenLearning {
    pub directory: Directory,
    /// `http://127.0.0.1:PORT/openlearning/lti/launch`: the URL launches are signed for.
    pub launch_url: String,
    pub consumer_secret: String,
    pub clock: Arc<ShiftedClock>,
    pub controls: Arc<Controls>,
    pub nonces: NonceLedger,
    envelope: RwLock<OpenLearningEnvelope>,
    launches: Mutex<VecDeque<OpenLearningLaunch>>,
}

impl OpenLearning {
    pub fn new(data: &OpenEdxData, controls: Arc<Controls>, clock: Arc<ShiftedClock>, addr: SocketAddr) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(data.seed() ^ 0x6f70_656e_6c65_6172);
        let secret: u128 = rng.random();
        Self {
            directory: Directory::seed(data),
            launch_url: format!("{}{PATH_PREFIX}{LAUNCH_PATH}", base_url(addr)),
            consumer_secret: format!("olsecret-{secret:032x}"),
            clock,
            controls,
            nonces: NonceLedger::default(),
            envelope: RwLock::new(OpenLearningEnvelope::default()),
            launches: Mutex::new(VecDeque::new()),
        }
    }

    pub fn envelope(&self) -> OpenLearningEnvelope {
        *self.envelope.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_envelope(&self, envelope: OpenLearningEnvelope) {
        *self.envelope.write().unwrap_or_else(PoisonError::into_inner) = envelope;
    }

    pub fn launches(&self) -> Vec<OpenLearningLaunch> {
        self.launches.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect()
    }

    fn record_launch(&self, launch: OpenLearningLaunch) {
        let mut launches = self.launches.lock().unwrap_or_else(PoisonError::into_inner);
        if launches.len() == REMEMBERED_LAUNCHES {
            launches.pop_front();
        }
        launches.push_back(launch);
    }
}

/// The routes, relative to [`PATH_PREFIX`].
pub(crate) fn router(service: Arc<OpenLearning>) -> Router {
    let api = Router::new()
        .route("/users/me/institutions/", any(institutions::mine))
        .route("/institutions/{institution_id}/managed-users/", any(managed_users::list))
        .route("/institutions/{institution_id}/managed-users/{user_id}/", any(managed_users::one))
        .route("/institutions/{institution_id}/managed-users/{user_id}/sign-on/", any(sign_on::sign_on))
        .fallback(|| async { responses::no_such_route() });
    Router::new()
        .nest(API_PATH, api)
        .route(LAUNCH_PATH, post(launch::launch).get(launch::launch_by_get).fallback(launch::launch_by_get))
        .fallback(launch::page_not_found)
        .with_state(service)
}

/// Which kind of request a path (relative to [`PATH_PREFIX`]) is, for knobs and counters.
pub(crate) fn route_of(path: &str) -> Route {
    let path = path.strip_prefix(PATH_PREFIX).unwrap_or(path);
    if path.starts_with(&format!("{API_PATH}/")) {
        Route::OpenLearningApi
    } else if path == LAUNCH_PATH {
        Route::OpenLearningLaunch
    } else {
        Route::Other
    }
}
