//! `POST {lms}/oauth2/access_token`: a strict `client_credentials` token endpoint.
//!
//! Form bodies only; client authentication by HTTP Basic (id and secret form-urlencoded before
//! base64, RFC 6749 §2.3.1) or by `client_id`/`client_secret` in the body, never both;
//! `token_type=jwt` (or `X-Token-Type: jwt`) for a JWT, otherwise an opaque Bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use serde_json::json;

use super::query::unquote_plus;
use super::responses;
use super::OpenEdx;
use crate::stats::Counters;

/// Credentials a request presented, and how.
#[derive(Debug, PartialEq, Eq)]
enum ClientCredentials {
    Basic { id: String, secret: String },
    Body { id: String, secret: String },
}

/// A refused token request.
#[derive(Debug)]
enum Refusal {
    InvalidRequest(String),
    UnsupportedGrantType,
    InvalidClient { basic: bool },
    InvalidScope,
}

impl Refusal {
    fn into_response(self) -> Response {
        let mut response = match &self {
            Refusal::InvalidRequest(description) => {
                responses::json(StatusCode::BAD_REQUEST, &json!({"error": "invalid_request", "error_description": description}))
            }
            Refusal::UnsupportedGrantType => responses::json(StatusCode::BAD_REQUEST, &json!({"error": "unsupported_grant_type"})),
            Refusal::InvalidClient { .. } => responses::json(StatusCode::UNAUTHORIZED, &json!({"error": "invalid_client"})),
            Refusal::InvalidScope => responses::json(StatusCode::BAD_REQUEST, &json!({"error": "invalid_scope"})),
        };
        if let Refusal::InvalidClient { basic: true } = self {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Basic realm="oauth2""#));
        }
        no_store(&mut response);
        response
    }
}

fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The handler.
pub(crate) async fn access_token(State(service): State<Arc<OpenEdx>>, headers: HeaderMap, body: Bytes) -> Response {
    match issue(&service, &headers, &body) {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    }
}

fn issue(service: &OpenEdx, headers: &HeaderMap, body: &[u8]) -> Result<Response, Refusal> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(Refusal::InvalidRequest(format!(
            "the token endpoint accepts only application/x-www-form-urlencoded bodies, not `{media_type}`"
        )));
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let single = |key: &str| -> Result<Option<&str>, Refusal> {
        let mut values = form.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(Refusal::InvalidRequest(format!("Duplicate {key} parameter.")));
        }
        Ok(first)
    };

    match single("grant_type")? {
        Some("client_credentials") => {}
        _ => return Err(Refusal::UnsupportedGrantType),
    }

    let credentials = client_credentials(headers, single("client_id")?, single("client_secret")?)?;
    let basic = matches!(credentials, ClientCredentials::Basic { .. });
    let (id, secret) = match &credentials {
        ClientCredentials::Basic { id, secret } | ClientCredentials::Body { id, secret } => (id, secret),
    };
    let (index, registration) = service
        .registrations
        .iter()
        .enumerate()
        .find(|(_, r)| &r.client.client_id == id && &r.client.client_secret == secret)
        .ok_or(Refusal::InvalidClient { basic })?;

    let scopes: Vec<String> = match single("scope")? {
        None => registration.scopes.clone(),
        Some(requested) => {
            let requested: Vec<String> = requested.split_whitespace().map(str::to_owned).collect();
            if requested.is_empty() {
                registration.scopes.clone()
            } else if requested.iter().all(|s| registration.scopes.contains(s)) {
                requested
            } else {
                return Err(Refusal::InvalidScope);
            }
        }
    };

    // The LMS reads the body parameter first and falls back to the header.
    let token_type = match single("token_type")? {
        Some(value) => value.to_owned(),
        None => headers.get("x-token-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned(),
    };
    let lifetime = service.controls.knobs().token_lifetime_secs;
    let now = service.clock.now();
    let issued = if token_type.eq_ignore_ascii_case("jwt") {
        service.tokens.issue_jwt(registration, &scopes, lifetime, now)
    } else {
        service.tokens.issue_opaque(index, registration, &scopes, lifetime, now)
    };
    Counters::bump(&service.controls.counters.tokens_issued);
    let mut response = responses::json(StatusCode::OK, &serde_json::to_value(&issued).unwrap_or_default());
    no_store(&mut response);
    Ok(response)
}

/// Reads the one client authentication method the request used.
fn client_credentials(headers: &HeaderMap, body_id: Option<&str>, body_secret: Option<&str>) -> Result<ClientCredentials, Refusal> {
    let basic = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, rest) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("basic").then(|| rest.trim().to_owned())
    });
    let in_body = body_id.is_some() || body_secret.is_some();
    match (basic, in_body) {
        (Some(_), true) => Err(Refusal::InvalidRequest(
            "client authentication must use exactly one method: HTTP Basic or client_id/client_secret in the body, not both".to_owned(),
        )),
        (Some(encoded), false) => decode_basic(&encoded).ok_or(Refusal::InvalidClient { basic: true }),
        (None, true) => match (body_id, body_secret) {
            (Some(id), Some(secret)) => Ok(ClientCredentials::Body { id: id.to_owned(), secret: secret.to_owned() }),
            _ => Err(Refusal::InvalidClient { basic: false }),
        },
        (None, false) => Err(Refusal::InvalidClient { basic: false }),
    }
}

/// Base64-decodes, splits at the first `:`, then form-url-decodes each half (`+` is a space).
fn decode_basic(encoded: &str) -> Option<ClientCredentials> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let raw = engine.decode(encoded).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some(ClientCredentials::Basic { id: unquote_plus(id), secret: unquote_plus(secret) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(raw: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    #[test]
    fn basic_credentials_are_form_url_decoded_after_the_first_colon() {
        assert_eq!(
            decode_basic(&basic("my%20id:s3cr%2Bt%3A%25%2F%3D")),
            Some(ClientCredentials::Basic { id: "my id".into(), secret: "s3cr+t:%/=".into() })
        );
        // Unencoded: the `+` turns into a space and the secret no longer matches.
        assert_eq!(decode_basic(&basic("id:s3cr+t:%/=")), Some(ClientCredentials::Basic { id: "id".into(), secret: "s3cr t:%/=".into() }));
        assert_eq!(decode_basic("not base64!"), None);
        assert_eq!(decode_basic(&basic("no-colon")), None);
    }
}
