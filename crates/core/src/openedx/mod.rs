//! Open edX: the OAuth2 token endpoint and the third-party-auth ID mapping API.
//!
//! Facts follow the real LMS (edx-platform `third_party_auth/api`, edx-drf-extensions).

pub(crate) mod diagnosis;
pub mod mapping;

pub use mapping::{Mapping, MappingPage, MappingsClient};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connection::{OpenEdxSettings, Profile, TokenType};
use crate::token::TokenRequest;
use crate::Result;

/// What a list of identifiers holds: the mapping API filters by `usernames`, by `remote_id`s, or
/// by both at once (it ORs its filters). Lookups, the mirror and id files all speak of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LookupMode {
    Username,
    RemoteId,
    /// Either: each id is sent as both (the LMS ORs the filters) and each row says which matched.
    Auto,
}

/// The name people see for this kind of service in messages.
pub(crate) const SERVICE: &str = "The Open edX LMS";

/// The token request for an Open edX profile: `{lms}/oauth2/access_token`, `token_type=jwt` when
/// the profile uses JWTs (a restricted application must: its opaque tokens are issued expired).
pub fn token_request(profile: &Profile) -> Result<TokenRequest> {
    let s = profile.openedx()?;
    Ok(TokenRequest {
        service: SERVICE.into(),
        token_url: crate::connection::join_url("LMS base URL", &s.base_url, "oauth2/access_token")?,
        client_id: s.client_id.clone(),
        client_auth: s.client_auth,
        scopes: s.scopes.clone(),
        extra: if s.token_type == TokenType::Jwt { vec![("token_type".into(), "jwt".into())] } else { vec![] },
        scheme: s.token_type.scheme(),
    })
}

/// The LMS root as a URL that ends in `/`, so joins keep any base path.
pub(crate) fn lms_url(s: &OpenEdxSettings) -> Result<url::Url> {
    crate::connection::base_url("LMS base URL", &s.base_url)
}

/// `GET {lms}/api/third_party_auth/v0/users/?username=`: the providers a user is linked to (only
/// privileged clients may ask about another user). The answer is the caller's to read.
pub(crate) async fn user_links(cw: &crate::Crosswalk, profile: &Profile, username: &str) -> Result<crate::remote::Answer> {
    let mut url = crate::connection::join_url("LMS base URL", &profile.openedx()?.base_url, "api/third_party_auth/v0/users/")?;
    url.query_pairs_mut().append_pair("username", username);
    let req = token_request(profile)?;
    let request = crate::remote::Request::get("The LMS", url)
        .auth(crate::remote::Auth::Token { request: &req, field: crate::connection::SecretField::ClientSecret });
    cw.send(profile, request).await
}
