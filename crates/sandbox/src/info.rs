//! What a running sandbox tells people and scripts: URLs, demo credentials, providers, the
//! OpenLearning institution.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::config::Envelope;
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
}

impl SandboxInfo {
    pub(crate) fn new(addr: SocketAddr, data: &LiveData, envelope: Envelope) -> Self {
        let data = data.view();
        let base_url = base_url(addr);
        let openedx_url = format!("{base_url}{PATH_PREFIX}");
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
        }
    }
}

pub(crate) fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
