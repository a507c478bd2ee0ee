//! Token flows against the sandbox's strict token endpoint.

mod common;

use std::sync::Arc;

use common::{env, env_with, openedx_profile, register};
use crosswalk_core::connection::{ClientAuth, SecretField, TokenType};
use crosswalk_core::openedx::{self, MappingsClient};
use crosswalk_sandbox::{
    Knobs, SandboxConfig, ENCODED_SECRET_CLIENT_ID, ENCODED_SECRET_CLIENT_SECRET, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET,
    STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn basic_auth_form_urlencodes_a_secret_full_of_special_characters() {
    assert_eq!(ENCODED_SECRET_CLIENT_SECRET, "s3cr+t:%/=");
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("enc", &e.sandbox.openedx_url(), ENCODED_SECRET_CLIENT_ID, TokenType::Bearer, ClientAuth::Basic, &[]),
        ENCODED_SECRET_CLIENT_SECRET,
    );
    let t = e.cw.token(&p, &openedx::token_request(&p).unwrap(), SecretField::ClientSecret).await.unwrap();
    assert_eq!(t.scheme, "Bearer");
    assert!(t.expires_at.is_some());
}

#[tokio::test]
async fn body_auth_works_and_basic_plus_body_is_never_sent() {
    // The sandbox refuses Basic and body credentials together with 400 invalid_request, so each
    // style succeeding shows that Crosswalk sends exactly one.
    let e = env().await;
    for (id, auth) in [("body", ClientAuth::Body), ("basic", ClientAuth::Basic)] {
        let p =
            register(&e.cw, openedx_profile(id, &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, auth, &[]), STAFF_CLIENT_SECRET);
        let t = e.cw.token(&p, &openedx::token_request(&p).unwrap(), SecretField::ClientSecret).await.unwrap();
        assert_eq!(t.scheme, "JWT");
        assert!(t.claims.is_some(), "a JWT's claims are decoded for display");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_explained_as_invalid_client() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("bad", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[]),
        "bad-secret-93c1",
    );
    let err = e.cw.token(&p, &openedx::token_request(&p).unwrap(), SecretField::ClientSecret).await.unwrap_err();
    assert_eq!(err.code(), "token_refused");
    assert!(err.to_string().contains("invalid_client"), "{err}");
    assert!(!err.to_string().contains("bad-secret-93c1"), "the secret must not appear in the message");
}

#[tokio::test]
async fn fifty_concurrent_callers_cause_exactly_one_token_request() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("c", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[]),
        STAFF_CLIENT_SECRET,
    );
    let req = Arc::new(openedx::token_request(&p).unwrap());
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let (cw, p, req) = (e.cw.clone(), p.clone(), req.clone());
            tokio::spawn(async move { cw.token(&p, &req, SecretField::ClientSecret).await.map(|t| t.value.expose().to_string()) })
        })
        .collect();
    let mut values = std::collections::HashSet::new();
    for c in callers {
        values.insert(c.await.unwrap().unwrap());
    }
    assert_eq!(values.len(), 1, "every caller shares the one token");
    assert_eq!(e.sandbox.stats().token_requests, 1);
}

#[tokio::test]
async fn a_short_lived_token_is_renewed_and_a_long_lived_one_reused() {
    let e = env_with(SandboxConfig { knobs: Knobs { token_lifetime_secs: Some(5), ..Knobs::default() }, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("s", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[]),
        STAFF_CLIENT_SECRET,
    );
    let req = openedx::token_request(&p).unwrap();
    e.cw.token(&p, &req, SecretField::ClientSecret).await.unwrap();
    e.cw.token(&p, &req, SecretField::ClientSecret).await.unwrap();
    assert_eq!(e.sandbox.stats().token_requests, 2, "a 5 s token is inside the renewal margin: fetched again");

    e.sandbox.set_knobs(Knobs::default());
    e.cw.forget_profile(&p.id);
    e.sandbox.reset_stats();
    for _ in 0..5 {
        e.cw.token(&p, &req, SecretField::ClientSecret).await.unwrap();
    }
    assert_eq!(e.sandbox.stats().token_requests, 1, "an hour-long token is reused");
}

#[tokio::test]
async fn a_401_from_the_api_renews_the_token_once_and_retries_once() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("r", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Bearer, ClientAuth::Basic, &["saml-demo-univ"]),
        STAFF_CLIENT_SECRET,
    );
    let cancel = CancellationToken::new();
    MappingsClient::new(&e.cw, &p).page("saml-demo-univ", 1, 5, &cancel).await.unwrap();
    e.sandbox.revoke_tokens();
    e.sandbox.reset_stats();
    let page = MappingsClient::new(&e.cw, &p).page("saml-demo-univ", 1, 5, &cancel).await.unwrap();
    assert_eq!(page.results.len(), 5);
    let s = e.sandbox.stats();
    assert_eq!((s.token_requests, s.mapping_requests), (1, 2), "one renewal, one retry");
}

#[tokio::test]
async fn a_restricted_application_gets_a_usable_jwt_and_the_403_names_the_missing_filter() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("rs", &e.sandbox.openedx_url(), RESTRICTED_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-partner"]),
        RESTRICTED_CLIENT_SECRET,
    );
    let cancel = CancellationToken::new();
    MappingsClient::new(&e.cw, &p).page("saml-demo-univ", 1, 1, &cancel).await.unwrap();
    let err = MappingsClient::new(&e.cw, &p).page("saml-partner", 1, 1, &cancel).await.unwrap_err();
    assert!(err.to_string().contains("tpa_provider:saml-partner"), "{err}");
}

#[tokio::test]
async fn retries_honour_retry_after_from_a_real_429() {
    let e = env_with(SandboxConfig {
        knobs: Knobs { rate_limit: Some(crosswalk_sandbox::RateLimitFault { probability: 1.0, retry_after_secs: 1 }), ..Knobs::default() },
        ..SandboxConfig::default()
    })
    .await;
    let p = register(
        &e.cw,
        openedx_profile("rl", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]),
        STAFF_CLIENT_SECRET,
    );
    // Lift the limit after the first 429 has been answered: the client must wait and succeed.
    let started = std::time::Instant::now();
    let lift = {
        let knobs = Knobs::default();
        let handle = &e.sandbox;
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            handle.set_knobs(knobs);
        }
    };
    let (client, cancel) = (MappingsClient::new(&e.cw, &p), CancellationToken::new());
    let (page, ()) = tokio::join!(client.page("saml-demo-univ", 1, 3, &cancel), lift);
    assert_eq!(page.unwrap().results.len(), 3);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "waited as Retry-After asked");
    assert!(e.sandbox.stats().rate_limited >= 1);
}
