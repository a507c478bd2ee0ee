//! OAuth2 `client_credentials` tokens through the `oauth2` crate, and a per-profile cache that
//! renews shortly before expiry with one fetch in flight however many callers wait.
//!
//! Tokens live only in memory, as [`SecretString`]s: never persisted, never logged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use oauth2::basic::{BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse};
use oauth2::{AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RequestTokenError, Scope, StandardRevocableToken, TokenUrl};
use serde::{Deserialize, Deserializer, Serialize};

use crate::clock::Clock;
use crate::connection::ClientAuth;
use crate::http::describe_transport_error;
use crate::jwt;
use crate::secret::SecretString;
use crate::{Error, Result};

/// What to ask a token endpoint for.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// For messages: "The Open edX LMS", "OOAPI partner tue.nl".
    pub service: String,
    pub token_url: url::Url,
    pub client_id: String,
    pub client_auth: ClientAuth,
    pub scopes: Vec<String>,
    /// e.g. `token_type=jwt` (Open edX), `audience=…` (OOAPI).
    pub extra: Vec<(String, String)>,
    /// The `Authorization` scheme the API wants (`JWT` or `Bearer`).
    pub scheme: &'static str,
}

/// A token ready to use.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub value: SecretString,
    pub scheme: &'static str,
    /// When the token stops working (from `expires_in`, else the JWT's `exp`).
    pub expires_at: Option<DateTime<Utc>>,
    pub issued_at: DateTime<Utc>,
    /// Decoded for display only.
    pub claims: Option<jwt::JwtClaims>,
}

impl AccessToken {
    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        format!("{} {}", self.scheme, self.value.expose())
    }

    /// Still good at `now`, leaving `margin` for the request to travel.
    fn fresh(&self, now: DateTime<Utc>) -> bool {
        match self.expires_at {
            None => true,
            Some(exp) => {
                let lifetime = (exp - self.issued_at).max(chrono::Duration::zero());
                // Renew at 90% of the lifetime, and at least 30 s before the end.
                let margin = (lifetime / 10).max(chrono::Duration::seconds(30)).min(lifetime);
                now + margin < exp
            }
        }
    }
}

/// The token answer, read more leniently than the `oauth2` crate's standard one: some servers
/// send `expires_in` as a string ("3600"), and Open edX's JWT answers say `token_type: "JWT"`.
/// (The crate's `StandardTokenResponse` rejects a string `expires_in`; this is the only part we
/// hand-write.)
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LenientTokenResponse {
    access_token: oauth2::AccessToken,
    #[serde(default = "bearer")]
    token_type: oauth2::basic::BasicTokenType,
    #[serde(default, deserialize_with = "number_or_string")]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(skip)]
    scopes_parsed: Option<Vec<Scope>>,
}

fn bearer() -> oauth2::basic::BasicTokenType {
    oauth2::basic::BasicTokenType::Bearer
}

fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(f64),
        Str(String),
    }
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        None => None,
        Some(NumOrStr::Num(n)) if n.is_finite() => Some(n.max(0.0) as u64),
        Some(NumOrStr::Num(_)) => None,
        Some(NumOrStr::Str(s)) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()).map(|n| n.max(0.0) as u64),
    })
}

impl oauth2::TokenResponse for LenientTokenResponse {
    type TokenType = oauth2::basic::BasicTokenType;
    fn access_token(&self) -> &oauth2::AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &Self::TokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&oauth2::RefreshToken> {
        None
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes_parsed.as_ref()
    }
}

type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    LenientTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Asks the token endpoint for a token. `http` must not follow redirects.
pub async fn fetch(http: &reqwest::Client, req: &TokenRequest, secret: &SecretString, clock: &dyn Clock) -> Result<AccessToken> {
    let client: OAuthClient = oauth2::Client::new(ClientId::new(req.client_id.clone()))
        .set_client_secret(ClientSecret::new(secret.expose().to_string()))
        .set_token_uri(TokenUrl::from_url(req.token_url.clone()))
        // Exactly one of Basic or body, never both (strict servers refuse both at once).
        .set_auth_type(match req.client_auth {
            ClientAuth::Basic => AuthType::BasicAuth,
            ClientAuth::Body => AuthType::RequestBody,
        });
    let mut call = client.exchange_client_credentials().add_scopes(req.scopes.iter().cloned().map(Scope::new));
    for (k, v) in &req.extra {
        call = call.add_extra_param(k.clone(), v.clone());
    }
    let http = http.clone();
    let send = move |r: oauth2::HttpRequest| {
        let http = http.clone();
        async move { send_oauth_request(&http, r).await }
    };
    let issued_at = clock.now();
    let answer = call.request_async(&send).await.map_err(|e| token_error(e, req))?;
    let value = answer.access_token.secret().clone();
    let claims = jwt::claims(&value);
    let expires_at = match answer.expires_in {
        Some(secs) => Some(issued_at + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 2).min(10 * 365 * 86_400))),
        None => claims.as_ref().and_then(|c| c.exp).and_then(|exp| DateTime::from_timestamp(exp, 0)),
    };
    tracing::info!(service = %req.service, client_id = %req.client_id, expires_at = ?expires_at, "token issued");
    Ok(AccessToken { value: SecretString::new(value), scheme: req.scheme, expires_at, issued_at, claims })
}

/// The `oauth2` crate hands over a plain `http::Request`; it is sent with the profile's own client
/// (timeouts, proxy, trust store, no redirects) rather than the crate's default one.
async fn send_oauth_request(http: &reqwest::Client, req: oauth2::HttpRequest) -> std::result::Result<oauth2::HttpResponse, TransportError> {
    let (parts, body) = req.into_parts();
    let resp = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| TransportError(describe_transport_error(&e)))?;
    if resp.status().is_redirection() {
        let to = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| resp.url().join(l).ok())
            .map_or_else(|| "another address".to_string(), |u| u.origin().ascii_serialization());
        return Err(TransportError(format!(
            "the token endpoint redirected the request to {to}; Crosswalk never follows a redirect on a token request, so the client secret was not sent there. Check the token URL in the connection"
        )));
    }
    let is_page = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if resp.status().is_success() && is_page {
        return Err(TransportError(
            "the token URL answered with a web page (a sign-in page or a web site), not a token. Check the token URL in the connection: for Open edX it is the LMS root, to which Crosswalk adds /oauth2/access_token".into(),
        ));
    }
    let mut builder = http::Response::builder().status(resp.status());
    for (k, v) in resp.headers() {
        builder = builder.header(k, v);
    }
    let bytes = crate::http::read_capped(resp, MAX_TOKEN_ANSWER_BYTES, "The token endpoint").await.map_err(|e| {
        TransportError(match e {
            Error::BadAnswer { reason, .. } => reason,
            other => other.to_string(),
        })
    })?;
    builder.body(bytes.to_vec()).map_err(|e| TransportError(e.to_string()))
}

/// The largest token endpoint answer read: a token answer is well under a KiB.
const MAX_TOKEN_ANSWER_BYTES: usize = 1024 * 1024;

/// A transport failure, already in plain words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct TransportError(String);

fn token_error(e: RequestTokenError<TransportError, BasicErrorResponse>, req: &TokenRequest) -> Error {
    let service = req.service.clone();
    match e {
        RequestTokenError::Request(t) => Error::Unreachable { service, url: req.token_url.to_string(), reason: t.0 },
        RequestTokenError::ServerResponse(r) => {
            let detail = r.error_description().map(|d| format!(": {d}")).unwrap_or_default();
            let reason = match r.error() {
                BasicErrorResponseType::InvalidClient => "the client id or secret is wrong (invalid_client). Check the client id, and set the secret again if it was rotated.".to_string(),
                BasicErrorResponseType::InvalidRequest => format!("the token request was refused as malformed (invalid_request{detail}). Check the client authentication setting: Basic or body, the one the server expects."),
                BasicErrorResponseType::InvalidScope => format!("a requested scope is not allowed for this client (invalid_scope{detail}). Remove it from the connection's scopes, or ask the server's operator to grant it."),
                BasicErrorResponseType::UnauthorizedClient | BasicErrorResponseType::UnsupportedGrantType => format!("this client may not use the client-credentials grant ({}{detail}). Ask the server's operator to allow it.", r.error().as_ref()),
                other => format!("{}{detail}", other.as_ref()),
            };
            Error::TokenRefused { service, reason }
        }
        RequestTokenError::Parse(err, body) => {
            let looks_html = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
            let reason = if looks_html {
                format!("the token URL {} answered with a web page, not a token. Check the address (for Open edX it is the LMS root; Crosswalk adds /oauth2/access_token)", req.token_url)
            } else {
                format!("the token endpoint's answer is not an OAuth2 token ({err})")
            };
            Error::BadAnswer { service, reason }
        }
        RequestTokenError::Other(o) => Error::TokenRefused { service, reason: o },
    }
}

/// One in-memory token per profile. One fetch in flight per profile: concurrent callers wait for
/// it and share its token.
#[derive(Default)]
pub struct TokenCache {
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<AccessToken>>>>>,
}

impl TokenCache {
    fn slot(&self, key: &str) -> Arc<tokio::sync::Mutex<Option<AccessToken>>> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(key.to_string()).or_default().clone()
    }

    /// A fresh token for `key`, fetching with `fetch` only when there is none or it is about to expire.
    pub async fn get<F, Fut>(&self, key: &str, clock: &dyn Clock, fetch: F) -> Result<AccessToken>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<AccessToken>>,
    {
        let slot = self.slot(key);
        let mut held = slot.lock().await;
        if let Some(t) = held.as_ref().filter(|t| t.fresh(clock.now())) {
            return Ok(t.clone());
        }
        let token = fetch().await?;
        *held = Some(token.clone());
        Ok(token)
    }

    /// Forgets `token` (after a 401), unless another caller already replaced it.
    pub async fn invalidate(&self, key: &str, token: &AccessToken) {
        let slot = self.slot(key);
        let mut held = slot.lock().await;
        if held.as_ref().is_some_and(|t| t.value == token.value) {
            *held = None;
        }
    }

    /// Forgets every token of `key` (settings or secret changed).
    pub fn forget(&self, key: &str) {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_may_be_a_number_or_a_string() {
        for (body, want) in [
            (r#"{"access_token":"a","token_type":"Bearer","expires_in":3600}"#, Some(3600)),
            (r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600"}"#, Some(3600)),
            (r#"{"access_token":"a","token_type":"JWT","expires_in":"abc"}"#, None),
            (r#"{"access_token":"a","token_type":"bearer"}"#, None),
        ] {
            let r: LenientTokenResponse = serde_json::from_str(body).unwrap();
            assert_eq!(r.expires_in, want, "{body}");
        }
    }

    #[test]
    fn a_token_is_renewed_before_it_expires() {
        let t0 = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let t = AccessToken {
            value: SecretString::new("x"),
            scheme: "Bearer",
            expires_at: Some(t0 + chrono::Duration::seconds(3600)),
            issued_at: t0,
            claims: None,
        };
        assert!(t.fresh(t0 + chrono::Duration::seconds(3000)));
        assert!(!t.fresh(t0 + chrono::Duration::seconds(3300)), "inside the last 10% it must be renewed");
        let short = AccessToken { expires_at: Some(t0 + chrono::Duration::seconds(2)), ..t };
        assert!(!short.fresh(t0), "a token shorter than the margin is renewed every time");
    }
}
