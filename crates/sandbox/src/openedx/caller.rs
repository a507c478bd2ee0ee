//! Who is calling the API: the `Authorization` header read the way the LMS's authenticators
//! read it (`JWT <token>` by `JwtAuthentication`, `Bearer <token>` by `BearerAuthentication`),
//! plus the `X-Edx-Api-Key` header.

use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::clients::DEMO_API_KEY;
use super::responses;
use super::tokens::{JwtClaims, JwtRefusal, OpaqueRefusal};
use super::OpenEdx;

/// An authenticated account.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub username: String,
    pub email: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    /// Present when the caller authenticated with a JWT.
    pub jwt: Option<JwtClaims>,
}

/// Which authenticators a view has, in order.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Authenticators {
    /// `(JwtAuthentication, BearerAuthentication)`: the mapping view.
    JwtThenBearer,
    /// `(BearerAuthentication, Session)`: the user views.
    BearerOnly,
}

impl Authenticators {
    /// The `WWW-Authenticate` challenge of the first authenticator.
    pub fn challenge(self) -> &'static str {
        match self {
            Authenticators::JwtThenBearer => responses::JWT_CHALLENGE,
            Authenticators::BearerOnly => responses::BEARER_CHALLENGE,
        }
    }
}

/// Why an `Authorization` header was refused (a 401).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// `JwtAuthentication`: `{"detail": ...}`.
    Jwt(&'static str),
    /// `BearerAuthentication`: `{"error_code": ..., "developer_message": ...}`.
    Bearer { code: &'static str, message: &'static str },
}

impl AuthFailure {
    /// The 401 answer, with the view's challenge.
    pub fn into_response(self, authenticators: Authenticators) -> Response {
        let body = match self {
            AuthFailure::Jwt(detail) => json!({ "detail": detail }),
            AuthFailure::Bearer { code, message } => {
                json!({ "error_code": code, "developer_message": message })
            }
        };
        responses::unauthorized(&body, authenticators.challenge())
    }
}

/// The authenticated caller, `Ok(None)` for an anonymous request, or why authentication
/// failed.
pub(crate) fn authenticate(
    service: &OpenEdx,
    headers: &HeaderMap,
    authenticators: Authenticators,
    now: DateTime<Utc>,
) -> Result<Option<Caller>, AuthFailure> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = String::from_utf8_lossy(value.as_bytes());
    let parts: Vec<&str> = value.split_whitespace().collect();
    let Some(scheme) = parts.first() else {
        return Ok(None);
    };
    if scheme.eq_ignore_ascii_case("jwt") && matches!(authenticators, Authenticators::JwtThenBearer) {
        return match parts.as_slice() {
            [_] => Err(AuthFailure::Jwt("Invalid Authorization header. No credentials provided.")),
            [_, token] => match service.tokens.verify_jwt(token, now) {
                Ok(claims) => Ok(Some(service.caller_from_jwt(claims))),
                Err(JwtRefusal::Expired) => Err(AuthFailure::Jwt("Signature has expired.")),
                Err(JwtRefusal::Invalid) => Err(AuthFailure::Jwt("Error decoding signature.")),
            },
            _ => Err(AuthFailure::Jwt("Invalid Authorization header. Credentials string should not contain spaces.")),
        };
    }
    if scheme.eq_ignore_ascii_case("bearer") {
        let fail = |code, message| Err(AuthFailure::Bearer { code, message });
        return match parts.as_slice() {
            [_] => fail("token_not_provided", "Invalid token header. No credentials provided."),
            [_, token] => match service.tokens.opaque(token, now) {
                Ok(index) => Ok(Some(service.caller_from_registration(index))),
                Err(OpaqueRefusal::Nonexistent) => fail("token_nonexistent", "The provided access token does not match any valid tokens."),
                Err(OpaqueRefusal::Expired) => fail("token_expired", "The provided access token has expired and is no longer valid."),
            },
            _ => fail("token_not_provided", "Invalid token header. Token string should not contain spaces."),
        };
    }
    Ok(None)
}

/// Whether the request carries the configured `X-Edx-Api-Key`.
pub(crate) fn has_api_key(headers: &HeaderMap) -> bool {
    headers.get("x-edx-api-key").is_some_and(|v| v.as_bytes() == DEMO_API_KEY.as_bytes())
}
