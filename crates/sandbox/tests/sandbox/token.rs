//! `POST {lms}/oauth2/access_token`.

use std::time::Duration;

use crosswalk_sandbox::{
    Knobs, ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET, JWT_AUDIENCE, JWT_SIGNING_KEY, RESTRICTED_CLIENT_ID,
    RESTRICTED_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn json_token_request_is_rejected() {
    let sandbox = start().await;
    let response = http()
        .post(sandbox.token_url())
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": STAFF_CLIENT_ID,
            "client_secret": STAFF_CLIENT_SECRET,
        }))
        .send()
        .await
        .unwrap();
    let (status, _, body) = read(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"].is_string());
}

#[tokio::test]
async fn grant_type_client_credentials_is_required() {
    let sandbox = start().await;
    let creds = format!("client_id={STAFF_CLIENT_ID}&client_secret={STAFF_CLIENT_SECRET}");
    for body in [creds.clone(), format!("grant_type=password&{creds}")] {
        let (status, _, json) = post_token(&sandbox, &body, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(json, json!({"error": "unsupported_grant_type"}));
    }
}

#[tokio::test]
async fn opaque_token_is_bearer_with_lms_lifetime_and_scope() {
    let sandbox = start().await;
    let token = token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await;
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 36000);
    assert_eq!(token["scope"], "read write");
    let opaque = token["access_token"].as_str().unwrap();
    assert_eq!(opaque.split('.').count(), 1, "not a JWT");
    let (status, _, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&format!("Bearer {opaque}"))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn token_type_jwt_gives_signed_jwt_with_lms_claims() {
    let sandbox = start().await;
    let token = token_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, true).await;
    assert_eq!(token["token_type"], "JWT");
    assert_eq!(token["expires_in"], 3600);
    assert_eq!(token["scope"], "read write tpa:read");

    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[JWT_AUDIENCE]);
    let claims = jsonwebtoken::decode::<Value>(
        token["access_token"].as_str().unwrap(),
        &DecodingKey::from_secret(JWT_SIGNING_KEY.as_bytes()),
        &validation,
    )
    .expect("signed with the sandbox key")
    .claims;
    assert_eq!(claims["iss"], format!("{}/oauth2", sandbox.openedx_url()));
    assert_eq!(claims["aud"], "openedx");
    assert_eq!(claims["scopes"], json!(["read", "write", "tpa:read"]));
    assert_eq!(claims["filters"], json!(["tpa_provider:saml-demo-univ", "tpa_provider:oa2-google-oauth2"]));
    assert_eq!(claims["is_restricted"], true);
    assert_eq!(claims["grant_type"], "client-credentials");
    assert!(claims["preferred_username"].is_string());
    assert!(claims["version"].is_string());
    let (iat, exp) = (claims["iat"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    assert_eq!(exp - iat, 3600);
}

#[tokio::test]
async fn x_token_type_header_asks_for_a_jwt() {
    let sandbox = start().await;
    let response = http()
        .post(sandbox.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-token-type", "jwt")
        .body(format!("grant_type=client_credentials&client_id={STAFF_CLIENT_ID}&client_secret={STAFF_CLIENT_SECRET}"))
        .send()
        .await
        .unwrap();
    let (status, _, token) = read(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(token["token_type"], "JWT");
    assert_eq!(token["access_token"].as_str().unwrap().split('.').count(), 3);
}

#[tokio::test]
async fn basic_auth_credentials_are_form_urlencoded() {
    let sandbox = start().await;
    let body = "grant_type=client_credentials";
    // Encoded as RFC 6749 §2.3.1 says: accepted.
    let auth = basic(ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET);
    let (status, _, token) = post_token(&sandbox, body, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["token_type"], "Bearer");

    // Raw secret in Basic: `+` decodes to a space, so the secret no longer matches.
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD.encode(format!("{ENCODED_SECRET_CLIENT_ID}:{ENCODED_SECRET_CLIENT_SECRET}"));
    let (status, headers, json) = post_token(&sandbox, body, Some(&format!("Basic {raw}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(json, json!({"error": "invalid_client"}));
    assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Basic"));
}

#[tokio::test]
async fn body_credentials_are_accepted() {
    let sandbox = start().await;
    let token = token_for(&sandbox, ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET, false).await;
    assert_eq!(token["token_type"], "Bearer");
}

#[tokio::test]
async fn basic_and_body_together_is_invalid_request() {
    let sandbox = start().await;
    let body = format!("grant_type=client_credentials&client_id={STAFF_CLIENT_ID}&client_secret={STAFF_CLIENT_SECRET}");
    let auth = basic(STAFF_CLIENT_ID, STAFF_CLIENT_SECRET);
    let (status, _, json) = post_token(&sandbox, &body, Some(&auth)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["error"], "invalid_request");
}

#[tokio::test]
async fn unknown_client_or_wrong_secret_is_invalid_client() {
    let sandbox = start().await;
    for (id, secret) in [("nobody", "x"), (STAFF_CLIENT_ID, "wrong")] {
        let body = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
        let (status, _, json) = post_token(&sandbox, &body, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(json, json!({"error": "invalid_client"}));

        let (status, headers, json) = post_token(&sandbox, "grant_type=client_credentials", Some(&basic(id, secret))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(json, json!({"error": "invalid_client"}));
        assert!(headers.contains_key("www-authenticate"));
    }
}

#[tokio::test]
async fn restricted_client_opaque_token_is_expired() {
    let sandbox = start().await;
    let token = token_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, false).await;
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["expires_in"].as_f64().unwrap() < 0.0, "{token}");
    let auth = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let (status, _, json) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(json["error_code"], "token_expired");
    assert!(json["developer_message"].is_string());
}

#[tokio::test]
async fn token_lifetime_knob_shortens_tokens_until_they_expire() {
    let sandbox = start().await;
    sandbox.set_knobs(Knobs { token_lifetime_secs: Some(1), ..Knobs::default() });
    let opaque = token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await;
    let jwt = token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, true).await;
    assert_eq!(opaque["expires_in"], 1);
    assert_eq!(jwt["expires_in"], 1);
    let url = mapping_url(&sandbox, "saml-demo-univ");
    let bearer = format!("Bearer {}", opaque["access_token"].as_str().unwrap());
    let jwt = format!("JWT {}", jwt["access_token"].as_str().unwrap());
    assert_eq!(get(&url, Some(&bearer)).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, _, json) = get(&url, Some(&bearer)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(json["error_code"], "token_expired");
    let (status, headers, _) = get(&url, Some(&jwt)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], r#"JWT realm="api""#);
}

#[tokio::test]
async fn every_token_request_is_counted() {
    let sandbox = start().await;
    let requests = (0..5).map(|_| token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false));
    futures::future::join_all(requests).await;
    post_token(&sandbox, "grant_type=password", None).await;
    let stats = sandbox.stats();
    assert_eq!(stats.token_requests, 6);
    assert_eq!(stats.tokens_issued, 5);
    sandbox.reset_stats();
    assert_eq!(sandbox.stats().token_requests, 0);
}

#[tokio::test]
async fn token_endpoint_only_accepts_post() {
    let sandbox = start().await;
    let response = http().get(sandbox.token_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}
