//! `GET {lms}/api/third_party_auth/v0/users/?username=` / `?email=`.

use crosswalk_sandbox::{DEMO_API_KEY, LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

fn users_url(sandbox: &crosswalk_sandbox::SandboxHandle, query: &str) -> String {
    format!("{}/api/third_party_auth/v0/users/?{query}", sandbox.openedx_url())
}

/// The `active` list the LMS should answer for a learner: enabled providers, OAuth2 first.
fn expected_active(sandbox: &crosswalk_sandbox::SandboxHandle, username: &str) -> Value {
    let data = sandbox.data();
    let learner = data.learner(username).unwrap();
    let providers = data.providers();
    let mut links: Vec<_> = learner
        .links
        .iter()
        .filter_map(|l| {
            let p = providers.iter().find(|p| p.id == l.provider_id)?;
            p.enabled.then(|| (p.kind != crosswalk_sandbox::ProviderKind::Oauth2, p, l))
        })
        .collect();
    links.sort_by_key(|(rank, p, _)| (*rank, p.kind == crosswalk_sandbox::ProviderKind::Lti, providers.iter().position(|q| q.id == p.id)));
    Value::Array(links.into_iter().map(|(_, p, l)| json!({"provider_id": p.id, "name": p.name, "remote_id": l.remote_id})).collect())
}

#[tokio::test]
async fn user_links_by_username_list_enabled_providers_with_remote_ids() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let learner = sandbox.data().learner_at(0).unwrap();
    assert!(learner.links.len() >= 3);
    let (status, _, body) = get(&users_url(&sandbox, &format!("username={}", form_encode(&learner.username))), Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["active"], expected_active(&sandbox, &learner.username));
    for link in body["active"].as_array().unwrap() {
        assert!(!link["remote_id"].as_str().unwrap().starts_with("demo-univ:"));
    }
}

#[tokio::test]
async fn disabled_provider_links_are_not_listed() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    // Showcase learner 4 is linked to the disabled `saml-retired`.
    let learner = sandbox.data().learner_at(4).unwrap();
    assert!(learner.links.iter().any(|l| l.provider_id == "saml-retired"));
    let (_, _, body) = get(&users_url(&sandbox, &format!("username={}", form_encode(&learner.username))), Some(&auth)).await;
    let ids: Vec<_> = body["active"].as_array().unwrap().iter().map(|l| l["provider_id"].as_str().unwrap().to_owned()).collect();
    assert!(!ids.contains(&"saml-retired".to_owned()), "{ids:?}");
    assert_eq!(ids.len(), learner.links.len() - 1);
}

#[tokio::test]
async fn email_wins_over_username() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let a = sandbox.data().learner_at(1).unwrap();
    let b = sandbox.data().learner_at(2).unwrap();
    let url = users_url(&sandbox, &format!("username={}&email={}", form_encode(&b.username), form_encode(&a.email)));
    let (status, _, body) = get(&url, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["active"], expected_active(&sandbox, &a.username));
}

#[tokio::test]
async fn unknown_user_is_404() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    for query in ["username=no-such-learner", "email=nobody%40example.edu"] {
        let (status, _, _) = get(&users_url(&sandbox, query), Some(&auth)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{query}");
    }
}

#[tokio::test]
async fn users_endpoint_is_for_privileged_callers_only() {
    let sandbox = start().await;
    let username = sandbox.data().learner_at(0).unwrap().username;
    let url = users_url(&sandbox, &format!("username={}", form_encode(&username)));
    let learner = auth_for(&sandbox, LEARNER_CLIENT_ID, LEARNER_CLIENT_SECRET, false).await;
    assert_eq!(get(&url, Some(&learner)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&url, None).await.0, StatusCode::FORBIDDEN);
    let response = http().get(&url).header("x-edx-api-key", DEMO_API_KEY).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn users_endpoint_needs_an_identifier() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let (status, _, _) = get(&users_url(&sandbox, ""), Some(&auth)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deprecated_path_form_guesses_email_by_at_sign() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let learner = sandbox.data().learner_at(2).unwrap();
    let base = format!("{}/api/third_party_auth/v0/users", sandbox.openedx_url());
    for value in [&learner.username, &learner.email] {
        let (status, _, body) = get(&format!("{base}/{value}"), Some(&auth)).await;
        assert_eq!(status, StatusCode::OK, "{value}");
        assert_eq!(body["active"], expected_active(&sandbox, &learner.username));
    }
}
