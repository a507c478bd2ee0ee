//! Starting and stopping a sandbox: seeding, binding 127.0.0.1, assembling the services.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::admin::{self, Admin};
use crate::clock::{ShiftedClock, SystemClock};
use crate::config::{Envelope, SandboxConfig};
use crate::controls::Controls;
use crate::faults::{self, Dialect, FaultScope};
use crate::info::{base_url, SandboxInfo, ADMIN_PREFIX};
use crate::knobs::Knobs;
use crate::ooapi::{self, Ooapi, OoapiAssociation, OoapiDemoAssociation, OoapiFault, OoapiOffering, OoapiPerson};
use crate::openedx::clients::{demo_clients, DemoClient, DEMO_API_KEY};
use crate::openedx::data::{Learner, Mapping, OpenEdxData, ProviderInfo};
use crate::openedx::drift::{self, DriftScope};
use crate::openedx::live::LiveData;
use crate::openedx::{self, OpenEdx, PATH_PREFIX, TOKEN_PATH};
use crate::openlearning::{
    self, ManagedUser, OpenLearning, OpenLearningClass, OpenLearningContext, OpenLearningEnvelope, OpenLearningLaunch,
};
use crate::stats::Stats;

/// How long [`SandboxHandle::shutdown`] lets open connections finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Starts sandboxes.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Seeds the data (off the async threads), binds `127.0.0.1:config.port` and serves until
    /// the returned handle is shut down or dropped.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start(config: SandboxConfig) -> io::Result<SandboxHandle> {
        let SandboxConfig { port, learners, seed, envelope, knobs } = config;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let data = tokio::task::spawn_blocking(move || OpenEdxData::generate(learners, seed)).await.map_err(io::Error::other)?;
        let data = Arc::new(data);
        let live = Arc::new(LiveData::new(Arc::clone(&data)));
        let controls = Arc::new(Controls::new(knobs, envelope, seed));

        let service = Arc::new(OpenEdx::new(Arc::clone(&live), Arc::clone(&controls), Arc::new(SystemClock), addr));
        let openedx = openedx::router(Arc::clone(&service))
            .layer(axum::middleware::from_fn_with_state(
                FaultScope { controls: Arc::clone(&controls), route_of: openedx::route_of, dialect: Dialect::Drf },
                faults::apply_knobs,
            ))
            .layer(axum::middleware::from_fn_with_state(
                DriftScope { controls: Arc::clone(&controls), data: Arc::clone(&live) },
                drift::apply,
            ));

        let openlearning_clock = Arc::new(ShiftedClock::new(Arc::new(SystemClock)));
        let openlearning = Arc::new(OpenLearning::new(&data, Arc::clone(&controls), openlearning_clock, addr));
        let openlearning_routes = openlearning::router(Arc::clone(&openlearning)).layer(axum::middleware::from_fn_with_state(
            FaultScope { controls: Arc::clone(&controls), route_of: openlearning::route_of, dialect: Dialect::OpenLearning },
            faults::apply_knobs,
        ));

        let ooapi_clock = Arc::new(ShiftedClock::new(Arc::new(SystemClock)));
        let ooapi = Arc::new(Ooapi::new(seed, Arc::clone(&controls), ooapi_clock, addr));
        let ooapi_routes =
            ooapi::router(Arc::clone(&ooapi)).layer(axum::middleware::from_fn_with_state(Arc::clone(&ooapi), ooapi::apply_knobs));

        let admin = Admin {
            controls: Arc::clone(&controls),
            data: Arc::clone(&live),
            openlearning: Arc::clone(&openlearning),
            ooapi: Arc::clone(&ooapi),
            addr,
        };
        let app = Router::new()
            .nest(PATH_PREFIX, openedx)
            .nest(openlearning::PATH_PREFIX, openlearning_routes)
            .nest(ooapi::PATH_PREFIX, ooapi_routes)
            .nest(ADMIN_PREFIX, admin::router(admin))
            .fallback(|| async { (StatusCode::NOT_FOUND, "not a sandbox route\n") });

        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, learners, seed, "sandbox listening");
        Ok(SandboxHandle { addr, data, live, controls, openedx: service, openlearning, ooapi, stop: Some(stop), server: Some(server) })
    }
}

/// A running sandbox. Dropping it (or [`SandboxHandle::shutdown`]) stops the server; share it
/// behind an `Arc` when several owners need it.
pub struct SandboxHandle {
    addr: SocketAddr,
    data: Arc<OpenEdxData>,
    live: Arc<LiveData>,
    controls: Arc<Controls>,
    openedx: Arc<OpenEdx>,
    openlearning: Arc<OpenLearning>,
    ooapi: Arc<Ooapi>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// The bound address (127.0.0.1 and the actual port).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        base_url(self.addr)
    }

    /// The Open edX LMS base URL: `http://127.0.0.1:PORT/openedx`.
    pub fn openedx_url(&self) -> String {
        format!("{}{PATH_PREFIX}", self.base_url())
    }

    /// `http://127.0.0.1:PORT/openedx/oauth2/access_token`
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.openedx_url())
    }

    /// `http://127.0.0.1:PORT/_sandbox`
    pub fn admin_url(&self) -> String {
        format!("{}{ADMIN_PREFIX}", self.base_url())
    }

    /// The seeded OAuth clients (fixed constants, independent of the seed).
    pub fn credentials(&self) -> Vec<DemoClient> {
        demo_clients()
    }

    /// The value of `X-Edx-Api-Key` that grants staff-like access.
    pub fn api_key(&self) -> String {
        DEMO_API_KEY.to_owned()
    }

    /// The providers with their current mapping counts (run-time changes included).
    pub fn providers(&self) -> Vec<ProviderInfo> {
        self.live.view().provider_infos()
    }

    /// URLs, credentials and providers (current counts) in one value.
    pub fn info(&self) -> SandboxInfo {
        SandboxInfo::new(self.addr, &self.live, self.controls.envelope())
    }

    /// The current knobs.
    pub fn knobs(&self) -> Knobs {
        self.controls.knobs()
    }

    /// Replaces the knobs; applies to requests arriving from now on.
    pub fn set_knobs(&self, knobs: Knobs) {
        self.controls.set_knobs(knobs);
    }

    /// The current pagination envelope.
    pub fn envelope(&self) -> Envelope {
        self.controls.envelope()
    }

    /// Switches the pagination envelope.
    pub fn set_envelope(&self, envelope: Envelope) {
        self.controls.set_envelope(envelope);
    }

    /// Counters since start or the last reset.
    pub fn stats(&self) -> Stats {
        self.controls.counters.snapshot()
    }

    /// Sets every counter back to zero.
    pub fn reset_stats(&self) {
        self.controls.counters.reset();
    }

    /// Every access token the Open edX token endpoint issued (up to 10,000): leak tests search
    /// files and output for them.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.openedx.tokens.issued()
    }

    /// Makes the LMS forget every token issued so far, so the next API call with one answers
    /// 401 (exercises a client's renew-and-retry).
    pub fn revoke_tokens(&self) {
        self.openedx.tokens.revoke_all();
    }

    /// The data **as seeded**: the ground truth while nothing changed it. It never reflects
    /// [`link`](Self::link), [`unlink`](Self::unlink), [`set_remote_id`](Self::set_remote_id) or
    /// the drift knob; use [`mappings`](Self::mappings), [`mapping_count`](Self::mapping_count)
    /// and [`learner`](Self::learner) for the current state.
    pub fn data(&self) -> Arc<OpenEdxData> {
        Arc::clone(&self.data)
    }

    /// Every current mapping of a provider, in the order the API pages through them: seeded
    /// rows still linked, in seeded order, then links added at run time in the order they were
    /// added. Empty for an unknown provider; a disabled provider's links are listed too.
    pub fn mappings(&self, provider_id: &str) -> Vec<Mapping> {
        self.live.view().mappings(provider_id)
    }

    /// Current number of mappings of a provider: the API's `count` (0 for an unknown provider).
    pub fn mapping_count(&self, provider_id: &str) -> usize {
        self.live.view().mapping_count(provider_id)
    }

    /// A learner (seeded or created at run time) with its current links, in seeded provider
    /// order, disabled providers included.
    pub fn learner(&self, username: &str) -> Option<Learner> {
        self.live.view().learner(username)
    }

    /// Links `username` to a provider with `remote_id` (as the API shows it; SAML stores it as
    /// `<idp_slug>:<remote_id>`). An unknown username becomes a new learner with e-mail
    /// `<username>@example.edu`. The link is the provider's last row, so existing rows keep
    /// their pages. Visible to the very next request.
    ///
    /// Returns `false`, changing nothing, when the provider is unknown, the username is not
    /// 1-30 characters of `A-Z a-z 0-9 _ . + -`, the remote id is empty, the learner is linked
    /// to that provider already (see [`set_remote_id`](Self::set_remote_id)), or another learner
    /// of that provider has that remote id.
    pub fn link(&self, provider_id: &str, username: &str, remote_id: &str) -> bool {
        self.live.link(provider_id, username, remote_id, false).is_ok()
    }

    /// Removes `username`'s link to a provider; later rows move up one place. The learner
    /// stays (linked to nothing else, it is listed with no providers). `false` when the
    /// provider or learner is unknown or the learner is not linked to it.
    pub fn unlink(&self, provider_id: &str, username: &str) -> bool {
        self.live.unlink(provider_id, username).is_ok()
    }

    /// Changes the remote id of `username`'s link to a provider; the row keeps its place.
    /// `false`, changing nothing, when there is no such link, the remote id is empty or
    /// another learner of that provider has it (setting the current remote id is `true`).
    pub fn set_remote_id(&self, provider_id: &str, username: &str, remote_id: &str) -> bool {
        self.live.set_remote_id(provider_id, username, remote_id).is_ok()
    }

    /// The OpenLearning API base URL, what a client configures (no trailing slash):
    /// `http://127.0.0.1:PORT/openlearning/api/v2.1`. Authenticate with
    /// [`OPENLEARNING_API_KEY`](crate::OPENLEARNING_API_KEY) as `Authorization: Bearer <key>` or
    /// `?api_key=<key>`; the institution is [`OPENLEARNING_INSTITUTION_ID`](crate::OPENLEARNING_INSTITUTION_ID).
    pub fn openlearning_url(&self) -> String {
        format!("{}{}{}", self.base_url(), openlearning::PATH_PREFIX, openlearning::API_PATH)
    }

    /// The URL every sign-on answer points the browser at (and signs the launch for):
    /// `http://127.0.0.1:PORT/openlearning/lti/launch`.
    pub fn openlearning_launch_url(&self) -> String {
        self.openlearning.launch_url.clone()
    }

    /// Every OpenLearning user as Demo University sees it: the managed users `ol-u-000001`...
    /// (external id = the `saml-demo-univ` remote id of the first 200 linked learners), then
    /// [`OPENLEARNING_USER_WITHOUT_EXTERNAL_ID`](crate::OPENLEARNING_USER_WITHOUT_EXTERNAL_ID) and
    /// [`OPENLEARNING_NON_MEMBER_USER_ID`](crate::OPENLEARNING_NON_MEMBER_USER_ID) (both with no
    /// external id; the latter is not a member).
    pub fn openlearning_users(&self) -> Vec<ManagedUser> {
        self.openlearning.directory.managed_users()
    }

    /// Demo University's classes.
    pub fn openlearning_classes(&self) -> Vec<OpenLearningClass> {
        self.openlearning.directory.institutions[0].classes.clone()
    }

    /// Demo University's LMS contexts and the classes they are linked to.
    pub fn openlearning_contexts(&self) -> Vec<OpenLearningContext> {
        self.openlearning.directory.institutions[0].contexts.clone()
    }

    /// Launches the launch page accepted, oldest first (the last 10,000).
    pub fn openlearning_launches(&self) -> Vec<OpenLearningLaunch> {
        self.openlearning.launches()
    }

    /// Launch nonces remembered as used (each launch is accepted once).
    pub fn openlearning_used_nonce_count(&self) -> usize {
        self.openlearning.nonces.len()
    }

    /// The current shape of the sign-on answer.
    pub fn openlearning_envelope(&self) -> OpenLearningEnvelope {
        self.openlearning.envelope()
    }

    /// Switches the shape of the sign-on answer (also `PUT /_sandbox/openlearning/envelope`).
    pub fn set_openlearning_envelope(&self, envelope: OpenLearningEnvelope) {
        self.openlearning.set_envelope(envelope);
    }

    /// Sets OpenLearning's clock `secs` seconds ahead of the real time (negative: behind). Sign-on
    /// timestamps and the launch window follow it, so a link signed now and launched after
    /// moving the clock more than 300 s on has expired.
    pub fn set_openlearning_clock_offset_secs(&self, secs: i64) {
        self.openlearning.clock.set_offset_secs(secs);
    }

    /// The secret the launches are signed with (consumer key
    /// [`OPENLEARNING_LTI_CONSUMER_KEY`](crate::openlearning::OPENLEARNING_LTI_CONSUMER_KEY), no
    /// token secret), derived from the seed. Only for tests that forge or re-sign a launch with
    /// [`oauth1::sign`](crate::oauth1::sign); no API answer ever contains it.
    pub fn openlearning_lti_consumer_secret(&self) -> String {
        self.openlearning.consumer_secret.clone()
    }

    /// The OOAPI base URL: `http://127.0.0.1:PORT/ooapi`.
    pub fn ooapi_url(&self) -> String {
        format!("{}{}", self.base_url(), ooapi::PATH_PREFIX)
    }

    /// The home institution's persons endpoint: `http://127.0.0.1:PORT/ooapi/home/persons`
    /// (`/me` and `/{personId}` below it).
    pub fn ooapi_persons_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::PERSONS_PATH)
    }

    /// The home institution's associations endpoint:
    /// `http://127.0.0.1:PORT/ooapi/home/associations` (`/external/me`, `/external/{personId}`
    /// and `/{associationId}` below it).
    pub fn ooapi_associations_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::ASSOCIATIONS_PATH)
    }

    /// The authorization server's token endpoint: `http://127.0.0.1:PORT/ooapi/auth/token`.
    pub fn ooapi_token_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::TOKEN_PATH)
    }

    /// The authorization server's RFC 7662 introspection endpoint:
    /// `http://127.0.0.1:PORT/ooapi/auth/introspect`.
    pub fn ooapi_introspection_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::INTROSPECTION_PATH)
    }

    /// The enrollment receiver's SIS API: `http://127.0.0.1:PORT/ooapi/receiver`.
    pub fn ooapi_receiver_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::RECEIVER_PATH)
    }

    /// The host's SIS backend, as the enrollment receiver calls it: `http://127.0.0.1:PORT/ooapi/sis`.
    pub fn ooapi_sis_url(&self) -> String {
        format!("{}{}", self.ooapi_url(), ooapi::SIS_PATH)
    }

    /// A token whose `me` is `person_id` with `scopes` (all of a student's when `None`), as the
    /// broker's sign-in would give; `None` for an unknown person.
    pub fn ooapi_student_token_with(&self, person_id: &str, scopes: Option<Vec<String>>) -> Option<String> {
        self.ooapi.student_token(person_id, scopes).map(|(token, _, _)| token)
    }

    /// The home institution's seeded students, each with the scenario their associations
    /// follow (unless the offering code names another).
    pub fn ooapi_persons(&self) -> Vec<OoapiPerson> {
        self.ooapi.persons.clone()
    }

    /// The host's seeded course offerings (the demo associations are for these);
    /// [`OoapiOffering::association_body`] makes a POST body of one.
    pub fn ooapi_offerings(&self) -> Vec<OoapiOffering> {
        self.ooapi.offerings.clone()
    }

    /// Every association at home now (seeded and created), in creation order, with its current
    /// state.
    pub fn ooapi_associations(&self) -> Vec<OoapiAssociation> {
        self.ooapi.store.snapshots(self.ooapi.now())
    }

    /// The 36 associations seeded at start for demo mode, with their current state: every
    /// state, some that move on the virtual clock, some pending for weeks.
    pub fn ooapi_demo_associations(&self) -> Vec<OoapiDemoAssociation> {
        self.ooapi.store.demo_views(self.ooapi.now())
    }

    /// POSTs to `/associations/external/...` the home side handled (whatever it answered;
    /// those the knobs faulted before home saw them excluded), the receiver's included.
    pub fn ooapi_post_count(&self) -> u64 {
        self.ooapi.post_count()
    }

    /// Association ids the enrollment receiver remembers (those home created with a 201).
    pub fn ooapi_receiver_association_count(&self) -> usize {
        self.ooapi.receiver.association_count()
    }

    /// Whether the enrollment receiver remembers `association_id`.
    pub fn ooapi_receiver_knows(&self, association_id: &str) -> bool {
        self.ooapi.receiver.knows(association_id)
    }

    /// Moves the OOAPI virtual clock `secs` seconds on (also `POST /_sandbox/ooapi/advance?secs=N`):
    /// scenarios move, tokens expire. Returns the total offset from real time.
    pub fn ooapi_advance(&self, secs: i64) -> i64 {
        self.ooapi.advance(secs)
    }

    /// The OOAPI virtual clock now.
    pub fn ooapi_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.ooapi.now()
    }

    /// The current OOAPI fault.
    pub fn ooapi_fault(&self) -> OoapiFault {
        self.ooapi.fault()
    }

    /// Sets the OOAPI fault (also `PUT /_sandbox/ooapi/fault`); applies to requests arriving
    /// from now on.
    pub fn ooapi_set_fault(&self, fault: OoapiFault) {
        self.ooapi.set_fault(fault);
    }

    /// Under [`OoapiFault::RateLimited`]: requests that came before their `Retry-After` was up.
    pub fn ooapi_early_requests(&self) -> u64 {
        self.ooapi.early_requests()
    }

    /// How long the enrollment receiver waits for the home side before it answers 500 (default
    /// [`OOAPI_RECEIVER_TIMEOUT`](crate::OOAPI_RECEIVER_TIMEOUT), 20 s); home carries on anyway.
    pub fn ooapi_set_receiver_timeout(&self, timeout: Duration) {
        self.ooapi.set_receiver_timeout(timeout);
    }

    /// A student's access token (scopes [`OOAPI_STUDENT_SCOPES`](crate::OOAPI_STUDENT_SCOPES)),
    /// whose `me` is `person_id`, as the broker's OIDC flow would give the receiver; also
    /// `POST /_sandbox/ooapi/student-token {"personId"}`. `None` for an unknown person.
    pub fn ooapi_student_token(&self, person_id: &str) -> Option<String> {
        self.ooapi.student_token(person_id, None).map(|(token, _, _)| token)
    }

    /// Stops accepting connections, lets open ones finish for up to two seconds, then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut server) = self.server.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await.is_err() {
                server.abort();
            }
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
