//! Who may call the mapping API, and in which order the LMS checks.

use crosswalk_sandbox::{
    DEMO_API_KEY, LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, RESTRICTED_FILTERS,
    STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

const NOT_PROVIDED: &str = "Authentication credentials were not provided.";
const DENIED: &str = "You do not have permission to perform this action.";

async fn with_api_key(url: &str, key: &str) -> (StatusCode, serde_json::Value) {
    let response = http().get(url).header("x-edx-api-key", key).send().await.unwrap();
    let (status, _, body) = read(response).await;
    (status, body)
}

#[tokio::test]
async fn no_credentials_is_401_with_jwt_challenge() {
    let sandbox = start().await;
    let (status, headers, body) = get(&mapping_url(&sandbox, "saml-demo-univ"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, json!({"detail": NOT_PROVIDED}));
    assert_eq!(headers["www-authenticate"], r#"JWT realm="api""#);
}

#[tokio::test]
async fn bad_api_key_is_401() {
    let sandbox = start().await;
    let (status, body) = with_api_key(&mapping_url(&sandbox, "saml-demo-univ"), "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, json!({"detail": NOT_PROVIDED}));
}

#[tokio::test]
async fn valid_api_key_grants_every_provider() {
    let sandbox = start().await;
    for provider in ["saml-demo-univ", "saml-partner", "lti-canvas", "saml-very-long-provider-name"] {
        let (status, body) = with_api_key(&mapping_url(&sandbox, provider), DEMO_API_KEY).await;
        assert_eq!(status, StatusCode::OK, "{provider}");
        assert_eq!(body["count"], sandbox.data().mapping_count(provider));
    }
}

#[tokio::test]
async fn unknown_bearer_token_is_401_token_nonexistent() {
    let sandbox = start().await;
    let (status, headers, body) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some("Bearer not-a-real-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_code"], "token_nonexistent");
    assert!(body["developer_message"].is_string());
    assert!(headers.contains_key("www-authenticate"));
}

#[tokio::test]
async fn jwt_presented_as_bearer_is_nonexistent() {
    let sandbox = start().await;
    let token = token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, true).await;
    let auth = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let (status, _, body) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_code"], "token_nonexistent");
}

#[tokio::test]
async fn tampered_jwt_is_401() {
    let sandbox = start().await;
    let auth = auth_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, true).await;
    let tampered = format!("{}x", auth);
    let (status, headers, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&tampered)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], r#"JWT realm="api""#);
}

#[tokio::test]
async fn staff_opaque_and_staff_jwt_read_every_enabled_provider() {
    let sandbox = start().await;
    let opaque = auth_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await;
    let jwt = auth_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, true).await;
    for provider in sandbox.providers().into_iter().filter(|p| p.enabled) {
        for auth in [&opaque, &jwt] {
            let (status, _, body) = get(&mapping_url(&sandbox, &provider.id), Some(auth)).await;
            assert_eq!(status, StatusCode::OK, "{} {auth}", provider.id);
            assert_eq!(body["count"], provider.mappings);
        }
    }
}

#[tokio::test]
async fn learner_client_is_403() {
    let sandbox = start().await;
    for jwt in [false, true] {
        let auth = auth_for(&sandbox, LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, jwt).await;
        let (status, _, body) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body, json!({"detail": DENIED}));
    }
}

#[tokio::test]
async fn permission_checked_before_provider_lookup() {
    let sandbox = start().await;
    let url = mapping_url(&sandbox, "saml-does-not-exist");
    assert_eq!(get(&url, None).await.0, StatusCode::UNAUTHORIZED);
    let learner = auth_for(&sandbox, LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, false).await;
    assert_eq!(get(&url, Some(&learner)).await.0, StatusCode::FORBIDDEN);
    let restricted = auth_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, true).await;
    assert_eq!(get(&url, Some(&restricted)).await.0, StatusCode::FORBIDDEN);
    let staff = staff_auth(&sandbox).await;
    assert_eq!(get(&url, Some(&staff)).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn restricted_jwt_needs_scope_and_filter() {
    let sandbox = start().await;
    let auth = auth_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, true).await;
    for (provider, expected) in [
        ("saml-demo-univ", StatusCode::OK),
        ("oa2-google-oauth2", StatusCode::OK),
        ("saml-demo-univ:demo-univ", StatusCode::OK),
        ("saml-partner", StatusCode::FORBIDDEN),
        ("lti-canvas", StatusCode::FORBIDDEN),
    ] {
        let (status, _, _) = get(&mapping_url(&sandbox, provider), Some(&auth)).await;
        assert_eq!(status, expected, "{provider}");
    }

    // Same application, but a token without the `tpa:read` scope.
    let body = format!(
        "grant_type=client_credentials&client_id={RESTRICTED_CLIENT_ID}&client_secret={RESTRICTED_CLIENT_SECRET}&token_type=jwt&scope=read+write"
    );
    let (status, _, token) = post_token(&sandbox, &body, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(token["scope"], "read write");
    let no_scope = format!("JWT {}", token["access_token"].as_str().unwrap());
    let (status, _, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&no_scope)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn restricted_jwt_is_not_rescued_by_api_key() {
    let sandbox = start().await;
    let auth = auth_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, true).await;
    let response = http()
        .get(mapping_url(&sandbox, "saml-partner"))
        .header("authorization", &auth)
        .header("x-edx-api-key", DEMO_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn provider_id_longer_than_19_characters_cannot_be_granted_by_filter() {
    let sandbox = start().await;
    let long = "saml-very-long-provider-name";
    assert!(format!("tpa_provider:{long}").len() > 32);
    assert!(RESTRICTED_FILTERS.iter().all(|f| f.len() <= 32));
    let restricted = auth_for(&sandbox, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, true).await;
    assert_eq!(get(&mapping_url(&sandbox, long), Some(&restricted)).await.0, StatusCode::FORBIDDEN);
    let staff = staff_auth(&sandbox).await;
    assert_eq!(get(&mapping_url(&sandbox, long), Some(&staff)).await.0, StatusCode::OK);
}
