//! Starting sandboxes and talking to them.

use base64::Engine as _;
use crosswalk_sandbox::{Sandbox, SandboxConfig, SandboxHandle, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

/// A sandbox with the default data (1 000 learners, seed 42).
pub async fn start() -> SandboxHandle {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with(config: SandboxConfig) -> SandboxHandle {
    Sandbox::start(config).await.expect("sandbox starts")
}

/// A client that never follows redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("reqwest client")
}

/// Python's `quote_plus`, the way a correct client form-encodes a value.
pub fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

pub fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{}:{}", form_encode(id), form_encode(secret));
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
}

/// POSTs a form body (already encoded) to the token endpoint.
pub async fn post_token(sandbox: &SandboxHandle, body: &str, authorization: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let mut request = http().post(sandbox.token_url()).header("content-type", "application/x-www-form-urlencoded").body(body.to_owned());
    if let Some(auth) = authorization {
        request = request.header("authorization", auth);
    }
    read(request.send().await.expect("token request")).await
}

/// Client credentials in the body; `jwt` asks for `token_type=jwt`.
pub async fn token_for(sandbox: &SandboxHandle, id: &str, secret: &str, jwt: bool) -> Value {
    let mut body = format!("grant_type=client_credentials&client_id={}&client_secret={}", form_encode(id), form_encode(secret));
    if jwt {
        body.push_str("&token_type=jwt");
    }
    let (status, _, json) = post_token(sandbox, &body, None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json
}

/// `Authorization` header value for a client's token: `Bearer <opaque>` or `JWT <jwt>`.
pub async fn auth_for(sandbox: &SandboxHandle, id: &str, secret: &str, jwt: bool) -> String {
    let token = token_for(sandbox, id, secret, jwt).await;
    let scheme = if jwt { "JWT" } else { "Bearer" };
    format!("{scheme} {}", token["access_token"].as_str().expect("access_token"))
}

pub async fn staff_auth(sandbox: &SandboxHandle) -> String {
    auth_for(sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await
}

/// `{lms}/api/third_party_auth/v0/providers/{provider}/users`
pub fn mapping_url(sandbox: &SandboxHandle, provider: &str) -> String {
    format!("{}/api/third_party_auth/v0/providers/{provider}/users", sandbox.openedx_url())
}

/// GET with an optional `Authorization` header; the query is appended verbatim.
pub async fn get(url: &str, authorization: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let mut request = http().get(url);
    if let Some(auth) = authorization {
        request = request.header("authorization", auth);
    }
    read(request.send().await.expect("GET")).await
}

/// Status, headers and JSON body (`Value::Null` when the body is empty, a string when it is
/// not JSON).
pub async fn read(response: reqwest::Response) -> (StatusCode, HeaderMap, Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, headers, json)
}

/// Usernames of a page's results.
pub fn usernames(page: &Value) -> Vec<String> {
    page["results"].as_array().expect("results").iter().map(|r| r["username"].as_str().expect("username").to_owned()).collect()
}

/// `(username, remote_id)` pairs of a page's results.
pub fn pairs(page: &Value) -> Vec<(String, String)> {
    page["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| (r["username"].as_str().expect("username").to_owned(), r["remote_id"].as_str().expect("remote_id").to_owned()))
        .collect()
}
