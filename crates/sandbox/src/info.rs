//! What a running sandbox tells people and scripts: URLs, demo credentials, providers, the
//! OpenLearning institution, the OOAPI endpoints.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::config::Envelope;
use crate::ooapi::{self, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_RECEIVER_PASSWORD, OOAPI_RECEIVER_USER};
use crate::openedx::clients::{demo_clients, DemoClient, DEMO_API_KEY};
use crate::openedx::data::ProviderInfo;
use crate::openedx::live::LiveData;
use crate::openedx::{PATH_PREFIX, TOKEN_PATH};
use crate::openlearning::{self, OPENLEARNING_API_KEY, OPENLEARNING_INSTITUTION_ID};

/// Path prefix of the admin routes.
pub const ADMIN_PREFIX: &str = "/_sandbox";

/// A description of a running sandbox (printed by the binary, served at `GET /_sandbox/info`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SandboxInfo {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// The Open edX LMS base URL: `http://127.0.0.1:PORT/openedx`.
    pub openedx_url: String,
    /// `{openedx_url}/oauth2/access_token`
    pub token_url: String,
    /// `http://127.0.0.1:PORT/_sandbox`
    pub admin_url: String,
    /// Value for the `X-Edx-Api-Key` header.
    pub api_key: String,
    /// Seed of the data.
    pub seed: u64,
    /// Number of learners (seeded plus those created at run time).
    pub learners: usize,
    /// Current pagination envelope.
    pub envelope: Envelope,
    /// The seeded OAuth clients.
    pub clients: Vec<DemoClient>,
    /// The providers with their current mapping counts.
    pub providers: Vec<ProviderInfo>,
    /// The OpenLearning API base URL: `http://127.0.0.1:PORT/openlearning/api/v2.1`.
    pub openlearning_url: String,
    /// Where OpenLearning sign-ons send the browser: `http://127.0.0.1:PORT/openlearning/lti/launch`.
    pub openlearning_launch_url: String,
    /// The OpenLearning institution id.
    pub openlearning_institution_id: String,
    /// An OpenLearning administrator API key of that institution.
    pub openlearning_api_key: String,
    /// The OOAPI base URL: `http://127.0.0.1:PORT/ooapi`.
    #[serde(default)]
    pub ooapi_url: String,
    /// The OOAPI authorization server's token endpoint: `{ooapi_url}/auth/token`.
    #[serde(default)]
    pub ooapi_token_url: String,
    /// Its introspection endpoint: `{ooapi_url}/auth/introspect`.
    #[serde(default)]
    pub ooapi_introspection_url: String,
    /// The home institution's persons endpoint: `{ooapi_url}/home/persons`.
    #[serde(default)]
    pub ooapi_persons_url: String,
    /// The home institution's associations endpoint: `{ooapi_url}/home/associations`.
    #[serde(default)]
    pub ooapi_associations_url: String,
    /// The enrollment receiver's SIS API: `{ooapi_url}/receiver`.
    #[serde(default)]
    pub ooapi_receiver_url: String,
    /// The host's OAuth client id at the OOAPI authorization server.
    #[serde(default)]
    pub ooapi_client_id: String,
    /// Its secret.
    #[serde(default)]
    pub ooapi_client_secret: String,
    /// The enrollment receiver's SIS user.
    #[serde(default)]
    pub ooapi_receiver_user: String,
    /// Its password.
    #[serde(default)]
    pub ooapi_receiver_password: String,
}

impl SandboxInfo {
    pub(crate) fn new(addr: SocketAddr, data: &LiveData, envelope: Envelope) -> Self {
        let data = data.view();
        let base_url = base_url(addr);
        let openedx_url = format!("{base_url}{PATH_PREFIX}");
        let ooapi_url = format!("{base_url}{}", ooapi::PATH_PREFIX);
        Self {
            token_url: format!("{openedx_url}{TOKEN_PATH}"),
            admin_url: format!("{base_url}{ADMIN_PREFIX}"),
            openlearning_url: format!("{base_url}{}{}", openlearning::PATH_PREFIX, openlearning::API_PATH),
            openlearning_launch_url: format!("{base_url}{}{}", openlearning::PATH_PREFIX, openlearning::LAUNCH_PATH),
            openedx_url,
            base_url,
            api_key: DEMO_API_KEY.to_owned(),
            seed: data.seed(),
            learners: data.learner_count(),
            envelope,
            clients: demo_clients(),
            providers: data.provider_infos(),
            openlearning_institution_id: OPENLEARNING_INSTITUTION_ID.to_owned(),
            openlearning_api_key: OPENLEARNING_API_KEY.to_owned(),
            ooapi_token_url: format!("{ooapi_url}{}", ooapi::TOKEN_PATH),
            ooapi_introspection_url: format!("{ooapi_url}{}", ooapi::INTROSPECTION_PATH),
            ooapi_persons_url: format!("{ooapi_url}{}", ooapi::PERSONS_PATH),
            ooapi_associations_url: format!("{ooapi_url}{}", ooapi::ASSOCIATIONS_PATH),
            ooapi_receiver_url: format!("{ooapi_url}{}", ooapi::RECEIVER_PATH),
            ooapi_url,
            ooapi_client_id: OOAPI_CLIENT_ID.to_owned(),
            ooapi_client_secret: OOAPI_CLIENT_SECRET.to_owned(),
            ooapi_receiver_user: OOAPI_RECEIVER_USER.to_owned(),
            ooapi_receiver_password: OOAPI_RECEIVER_PASSWORD.to_owned(),
        }
    }
}

pub(crate) fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
