//! Crosswalk's sandbox: an HTTP server on 127.0.0.1 that simulates the services Crosswalk talks
//! to, with deterministic seeded data, for the app's demo mode, for tests and for benchmarks.
//!
//! It serves **Open edX** under `/openedx` (LMS base URL `http://127.0.0.1:PORT/openedx`):
//! the OAuth2 token endpoint and the third-party-auth ID mapping API, behaving as the real LMS
//! does (see `shared/reference/openedx-id-mapping.md`). Fault and latency
//! [`Knobs`] and the pagination [`Envelope`] can be changed while it runs, from Rust or over
//! HTTP at `/_sandbox/...`, and so can the links themselves ([`SandboxHandle::link`],
//! [`SandboxHandle::unlink`], [`SandboxHandle::set_remote_id`], [`DriftKnob`]).
//!
//! It serves **OpenLearning** under `/openlearning` (see `shared/reference/openlearning-sso.md`
//! and the [`openlearning`] module): the institution API at
//! [`SandboxHandle::openlearning_url`] (`http://127.0.0.1:PORT/openlearning/api/v2.1`, key
//! [`OPENLEARNING_API_KEY`] as a bearer header or `?api_key=`, institution
//! [`OPENLEARNING_INSTITUTION_ID`]) with managed-user lookup by external id and single-use
//! sign-on, and the LTI 1.1 launch page the sign-on's [`oauth1`]-signed form posts to. Its
//! managed users are the first 200 learners linked to `saml-demo-univ`, their remote ids as
//! external ids ([`SandboxHandle::openlearning_users`]). The same knobs apply to its API (latency
//! to the launch page); the sign-on answer's envelope switches with
//! [`SandboxHandle::set_openlearning_envelope`].
//!
//! It serves an **OOAPI v5 home institution** under `/ooapi` (see
//! `shared/reference/ooapi-enrollment.md` and the [`ooapi`] module): an authorization server
//! ([`SandboxHandle::ooapi_token_url`], `client_credentials` for [`OOAPI_CLIENT_ID`];
//! RFC 7662 introspection at [`SandboxHandle::ooapi_introspection_url`] for
//! [`OOAPI_RESOURCE_CLIENT_ID`]), the home endpoints `GET /persons/me`,
//! `POST /associations/external/me`, `GET`/`PATCH /associations/{id}` (plus the `{personId}`
//! forms for the host's own token) below [`SandboxHandle::ooapi_persons_url`] and
//! [`SandboxHandle::ooapi_associations_url`], checking tokens and scopes as a correct home does
//! and answering `application/problem+json`, and the host's enrollment receiver at
//! [`SandboxHandle::ooapi_receiver_url`] with its quirks (retry after any error, ids kept only
//! on 201, 409 `Enrollment not found.`). Home's states follow seeded [`OoapiScenario`]s on a
//! virtual clock ([`SandboxHandle::ooapi_advance`]); [`OoapiFault`] adds create-then-fail, 200
//! instead of 201, v6 spellings and slow answers; 36 demo associations in every state exist from
//! the start ([`SandboxHandle::ooapi_demo_associations`]).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use crosswalk_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("LMS at {}", sandbox.openedx_url());
//! let truth = sandbox.mappings("saml-demo-univ");
//! sandbox.link("saml-demo-univ", "new.learner", "s9999999");
//! assert_eq!(sandbox.mapping_count("saml-demo-univ"), truth.len() + 1);
//! let user = &sandbox.openlearning_users()[0];
//! println!("OpenLearning API at {}, user {} = {:?}", sandbox.openlearning_url(), user.id, user.external_id);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod admin;
mod clock;
mod config;
mod controls;
mod faults;
mod info;
mod knobs;
pub mod oauth1;
pub mod ooapi;
pub mod openedx;
pub mod openlearning;
mod server;
mod stats;
mod string_column;

pub use config::{Envelope, SandboxConfig};
pub use info::{SandboxInfo, ADMIN_PREFIX};
pub use knobs::{DriftKnob, HostileFault, Knobs, RateLimitFault, SlowBodyFault, StatusFault};
pub use ooapi::{
    OoapiAssociation, OoapiDemoAssociation, OoapiFault, OoapiOffering, OoapiPerson, OoapiScenario, OoapiState, OOAPI_CANCEL_AFTER_SECS,
    OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_DECISION_SECS, OOAPI_DENIAL_REASON, OOAPI_HOST_SCHAC_HOME, OOAPI_HOST_SCOPES,
    OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, OOAPI_PERSONS_SCOPE, OOAPI_RECEIVER_PASSWORD, OOAPI_RECEIVER_TIMEOUT,
    OOAPI_RECEIVER_USER, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_RESULTS_SCOPE, OOAPI_SCHAC_HOME, OOAPI_STUDENTS,
    OOAPI_STUDENT_SCOPES, OOAPI_TOKEN_LIFETIME_SECS,
};
pub use openedx::clients::{
    ClientRole, DemoClient, DEMO_API_KEY, ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET, JWT_AUDIENCE, JWT_SIGNING_KEY,
    LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, RESTRICTED_FILTERS, RESTRICTED_SCOPES,
    STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
pub use openedx::data::{Learner, Link, Mapping, OpenEdxData, ProviderInfo};
pub use openedx::providers::ProviderKind;
pub use openlearning::{
    ClassType, ManagedUser, OpenLearningClass, OpenLearningContext, OpenLearningEnvelope, OpenLearningLaunch, OPENLEARNING_API_KEY,
    OPENLEARNING_CLASS_ETHICS_AI, OPENLEARNING_CLASS_INTRO_DATA, OPENLEARNING_CLOSED_CLASS, OPENLEARNING_INSTITUTION_ID,
    OPENLEARNING_INSTITUTION_NAME, OPENLEARNING_LINKED_CONTEXT, OPENLEARNING_NON_MEMBER_USER_ID, OPENLEARNING_OTHER_INSTITUTION_ID,
    OPENLEARNING_OTHER_INSTITUTION_KEY, OPENLEARNING_UNLINKED_CONTEXT, OPENLEARNING_USER_WITHOUT_EXTERNAL_ID,
};
pub use server::{Sandbox, SandboxHandle};
pub use stats::Stats;
