//! Fault and latency knobs.

use std::time::{Duration, Instant};

use crosswalk_sandbox::{Knobs, RateLimitFault, SandboxConfig, SlowBodyFault, StatusFault, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use reqwest::StatusCode;

use crate::common::*;

#[tokio::test]
async fn rate_limit_429_carries_retry_after() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    sandbox.set_knobs(Knobs { rate_limit: Some(RateLimitFault { probability: 1.0, retry_after_secs: 7 }), ..Knobs::default() });
    let (status, headers, body) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "7");
    assert!(body["detail"].as_str().unwrap().contains("throttled"));
    assert_eq!(sandbox.stats().rate_limited, 1);
    assert_eq!(sandbox.stats().faults_injected, 1);
}

#[tokio::test]
async fn status_fault_replaces_the_answer() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 503, probability: 1.0 }], ..Knobs::default() });
    let (status, headers, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(sandbox.stats().status_faults, 1);
}

#[tokio::test]
async fn status_faults_can_be_limited_to_one_provider() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    sandbox.set_knobs(Knobs {
        faults: vec![StatusFault { status: 500, probability: 1.0 }],
        faults_path_contains: Some("/providers/saml-partner/".into()),
        ..Knobs::default()
    });
    let (status, _, _) = get(&mapping_url(&sandbox, "saml-partner"), Some(&auth)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::OK, "the other providers answer");
    assert_eq!(sandbox.stats().status_faults, 1);
}

#[tokio::test]
async fn token_endpoint_is_faulted_only_when_asked() {
    let sandbox = start().await;
    let mut knobs = Knobs { faults: vec![StatusFault { status: 500, probability: 1.0 }], ..Knobs::default() };
    sandbox.set_knobs(knobs.clone());
    token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await;
    knobs.faults_on_token_endpoint = true;
    sandbox.set_knobs(knobs);
    let body = format!("grant_type=client_credentials&client_id={STAFF_CLIENT_ID}&client_secret={STAFF_CLIENT_SECRET}");
    let (status, _, _) = post_token(&sandbox, &body, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);

    // The LMS rate-limits its token endpoint too.
    sandbox.set_knobs(Knobs {
        rate_limit: Some(RateLimitFault { probability: 1.0, retry_after_secs: 3 }),
        faults_on_token_endpoint: true,
        ..Knobs::default()
    });
    let (status, headers, _) = post_token(&sandbox, &body, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "3");
    assert_eq!(sandbox.stats().tokens_issued, 1);
}

#[tokio::test]
async fn truncated_body_is_not_valid_json() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let url = format!("{}?page_size=50", mapping_url(&sandbox, "saml-demo-univ"));
    let full = http().get(&url).header("authorization", &auth).send().await.unwrap();
    let full = full.text().await.unwrap();
    sandbox.set_knobs(Knobs { truncate_probability: 1.0, ..Knobs::default() });
    let response = http().get(&url).header("authorization", &auth).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cut = response.text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&cut).is_err());
    assert_eq!(cut.len(), full.len() / 2);
    assert!(full.starts_with(&cut));
    assert_eq!(sandbox.stats().truncated, 1);
}

#[tokio::test]
async fn latency_is_added_before_every_answer() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    sandbox.set_knobs(Knobs { latency_ms: 300, ..Knobs::default() });
    let started = Instant::now();
    let (status, _, _) = get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    token_for(&sandbox, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, false).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn slow_body_sends_headers_first() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    sandbox.set_knobs(Knobs { slow_body: Some(SlowBodyFault { probability: 1.0, delay_ms: 800 }), ..Knobs::default() });
    let started = Instant::now();
    let response = http().get(mapping_url(&sandbox, "saml-demo-univ")).header("authorization", &auth).send().await.unwrap();
    let headers_at = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    let body_at = started.elapsed();
    assert!(headers_at < Duration::from_millis(600), "headers after {headers_at:?}");
    assert!(body_at >= Duration::from_millis(800), "body after {body_at:?}");
    assert!(body["results"].is_array());
    assert_eq!(sandbox.stats().slow_bodies, 1);
}

#[tokio::test]
async fn faults_are_reproducible_for_a_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let sandbox = start_with(SandboxConfig {
            seed,
            knobs: Knobs { faults: vec![StatusFault { status: 502, probability: 0.5 }], ..Knobs::default() },
            ..SandboxConfig::default()
        })
        .await;
        let auth = staff_auth(&sandbox).await;
        let url = mapping_url(&sandbox, "saml-demo-univ");
        let mut out = Vec::new();
        for _ in 0..24 {
            out.push(get(&url, Some(&auth)).await.0.as_u16());
        }
        out
    }
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(first.contains(&502) && first.contains(&200), "{first:?}");
    assert_ne!(first, statuses(8).await);
}
