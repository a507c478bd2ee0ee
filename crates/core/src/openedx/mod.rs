//! Open edX: the OAuth2 token endpoint and the third-party-auth ID mapping API.
//!
//! Facts follow the real LMS (edx-platform `third_party_auth/api`, edx-drf-extensions).

pub(crate) mod diagnosis;
pub mod mapping;

pub use mapping::{Mapping, MappingPage, MappingsClient};

use crate::connection::{OpenEdxSettings, Profile, TokenType};
use crate::token::TokenRequest;
use crate::Result;

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
