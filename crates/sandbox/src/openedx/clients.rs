//! The seeded OAuth clients (DOT applications), the users that own them, and the demo API key.
//! Fixed constants, independent of the seed, so demos and scripts can rely on them.

use serde::{Deserialize, Serialize};

/// Client id of the staff application: all providers, opaque Bearer or JWT.
pub const STAFF_CLIENT_ID: &str = "crosswalk-demo-staff";
/// Secret of [`STAFF_CLIENT_ID`].
pub const STAFF_CLIENT_SECRET: &str = "crosswalk-demo-staff-secret";
/// Client id of the restricted application: JWT only, providers granted by filter.
pub const RESTRICTED_CLIENT_ID: &str = "crosswalk-demo-restricted";
/// Secret of [`RESTRICTED_CLIENT_ID`].
pub const RESTRICTED_CLIENT_SECRET: &str = "crosswalk-demo-restricted-secret";
/// Client id of an application owned by an ordinary learner: 403 everywhere.
pub const LEARNER_CLIENT_ID: &str = "crosswalk-demo-learner";
/// Secret of [`LEARNER_CLIENT_ID`].
pub const LEARNER_CLIENT_SECRET: &str = "crosswalk-demo-learner-secret";
/// Client id of a staff application whose secret must be form-urlencoded in HTTP Basic.
pub const ENCODED_SECRET_CLIENT_ID: &str = "crosswalk-demo-encoded";
/// Secret of [`ENCODED_SECRET_CLIENT_ID`]: holds `+`, `:`, `%`, `/` and `=`.
pub const ENCODED_SECRET_CLIENT_SECRET: &str = "s3cr+t:%/=";
/// Value of the `X-Edx-Api-Key` header that grants staff-like access.
pub const DEMO_API_KEY: &str = "crosswalk-demo-api-key";
/// HS256 key the sandbox signs JWTs with (not a secret: tests may verify tokens with it).
pub const JWT_SIGNING_KEY: &str = "crosswalk-sandbox-jwt-signing-key";
/// `aud` claim of issued JWTs.
pub const JWT_AUDIENCE: &str = "openedx";
/// Scopes of the restricted application.
pub const RESTRICTED_SCOPES: [&str; 3] = ["read", "write", "tpa:read"];
/// Filters of the restricted application (`saml-very-long-provider-name` cannot be granted:
/// a filter is stored in at most 32 characters).
pub const RESTRICTED_FILTERS: [&str; 2] = ["tpa_provider:saml-demo-univ", "tpa_provider:oa2-google-oauth2"];

/// An OAuth client a demo or test can use against the token endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoClient {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: String,
    /// What the application may do.
    pub role: ClientRole,
    /// One line for people.
    pub description: String,
}

/// What an application may do with the mapping API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ClientRole {
    /// Non-restricted application owned by a staff (and superuser) account: every provider,
    /// with an opaque Bearer token or a JWT.
    Staff,
    /// Restricted DOT application: must ask `token_type=jwt` (an opaque token is issued already
    /// expired); reaches a provider only with scope `tpa:read` and filter `tpa_provider:<id>`.
    Restricted {
        /// Scopes granted to the application.
        scopes: Vec<String>,
        /// Application access filters, e.g. `tpa_provider:saml-demo-univ`.
        filters: Vec<String>,
    },
    /// Non-restricted application owned by an ordinary learner: authenticated, never allowed.
    Learner,
}

/// The account that owns an application, as the API sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServiceUser {
    pub username: &'static str,
    pub email: &'static str,
    pub is_staff: bool,
    pub is_superuser: bool,
}

/// A registered application: the client, its owner and the scopes it gets.
#[derive(Clone, Debug)]
pub(crate) struct Registration {
    pub client: DemoClient,
    pub owner: ServiceUser,
    /// Scopes a token gets when the request names none; a request may ask for a subset.
    pub scopes: Vec<String>,
}

impl Registration {
    pub fn is_restricted(&self) -> bool {
        matches!(self.client.role, ClientRole::Restricted { .. })
    }

    pub fn filters(&self) -> &[String] {
        match &self.client.role {
            ClientRole::Restricted { filters, .. } => filters,
            _ => &[],
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// All registered applications.
pub(crate) fn registrations() -> Vec<Registration> {
    let staff_owner = ServiceUser { username: "crosswalk_staff", email: "crosswalk-staff@example.edu", is_staff: true, is_superuser: true };
    vec![
        Registration {
            client: DemoClient {
                client_id: STAFF_CLIENT_ID.to_owned(),
                client_secret: STAFF_CLIENT_SECRET.to_owned(),
                role: ClientRole::Staff,
                description: "Staff application: every provider, Bearer or JWT".to_owned(),
            },
            owner: staff_owner.clone(),
            scopes: strings(&["read", "write"]),
        },
        Registration {
            client: DemoClient {
                client_id: RESTRICTED_CLIENT_ID.to_owned(),
                client_secret: RESTRICTED_CLIENT_SECRET.to_owned(),
                role: ClientRole::Restricted { scopes: strings(&RESTRICTED_SCOPES), filters: strings(&RESTRICTED_FILTERS) },
                description: "Restricted application: JWT only, saml-demo-univ and oa2-google-oauth2".to_owned(),
            },
            owner: ServiceUser {
                username: "crosswalk_tpa_service",
                email: "crosswalk-tpa-service@example.edu",
                is_staff: false,
                is_superuser: false,
            },
            scopes: strings(&RESTRICTED_SCOPES),
        },
        Registration {
            client: DemoClient {
                client_id: LEARNER_CLIENT_ID.to_owned(),
                client_secret: LEARNER_CLIENT_SECRET.to_owned(),
                role: ClientRole::Learner,
                description: "Application of an ordinary learner: 403 on the mapping API".to_owned(),
            },
            owner: ServiceUser {
                username: "crosswalk_learner",
                email: "crosswalk-learner@example.edu",
                is_staff: false,
                is_superuser: false,
            },
            scopes: strings(&["read", "write"]),
        },
        Registration {
            client: DemoClient {
                client_id: ENCODED_SECRET_CLIENT_ID.to_owned(),
                client_secret: ENCODED_SECRET_CLIENT_SECRET.to_owned(),
                role: ClientRole::Staff,
                description: "Staff application whose secret needs form-urlencoding in HTTP Basic (RFC 6749 §2.3.1)".to_owned(),
            },
            owner: ServiceUser { username: "crosswalk_encoded", email: "crosswalk-encoded@example.edu", ..staff_owner },
            scopes: strings(&["read", "write"]),
        },
    ]
}

/// The seeded OAuth clients (see the `*_CLIENT_ID` constants).
pub fn demo_clients() -> Vec<DemoClient> {
    registrations().into_iter().map(|r| r.client).collect()
}
