//! `{base}/_sandbox/...`: knobs, stats, envelope, info over HTTP.

use crosswalk_sandbox::{Envelope, Knobs, SandboxInfo, Stats, StatusFault};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn knobs_can_be_read_and_replaced_over_http() {
    let sandbox = start().await;
    let url = format!("{}/knobs", sandbox.admin_url());
    let knobs: Knobs = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(knobs, Knobs::default());
    let response = http().put(&url).json(&json!({"latency_ms": 5, "faults": [{"status": 500, "probability": 0.25}]})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let expected = Knobs { latency_ms: 5, faults: vec![StatusFault { status: 500, probability: 0.25 }], ..Knobs::default() };
    assert_eq!(sandbox.knobs(), expected);
    let knobs: Knobs = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(knobs, expected);
}

#[tokio::test]
async fn stats_count_api_requests_and_reset_over_http() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    for _ in 0..3 {
        get(&mapping_url(&sandbox, "saml-demo-univ"), Some(&auth)).await;
    }
    let stats: Stats = http().get(format!("{}/stats", sandbox.admin_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(stats.token_requests, 1);
    assert_eq!(stats.mapping_requests, 3);
    assert_eq!(stats.api_requests, 3);
    let reset: Stats = http().post(format!("{}/stats/reset", sandbox.admin_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(reset, Stats::default());
    assert_eq!(sandbox.stats(), Stats::default());
}

#[tokio::test]
async fn envelope_accepts_bare_or_wrapped_json() {
    let sandbox = start().await;
    let url = format!("{}/envelope", sandbox.admin_url());
    http().put(&url).json(&json!({"envelope": "legacy"})).send().await.unwrap();
    assert_eq!(sandbox.envelope(), Envelope::Legacy);
    http().put(&url).json(&json!("current")).send().await.unwrap();
    assert_eq!(sandbox.envelope(), Envelope::Current);
}

#[tokio::test]
async fn info_describes_urls_credentials_and_providers() {
    let sandbox = start().await;
    let info: SandboxInfo = http().get(format!("{}/info", sandbox.admin_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(info, sandbox.info());
    assert_eq!(info.openedx_url, format!("{}/openedx", sandbox.base_url()));
    assert_eq!(info.clients.len(), 4);
    assert_eq!(info.providers.len(), 6);
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sandbox = start().await;
    let url = mapping_url(&sandbox, "saml-demo-univ");
    sandbox.shutdown().await;
    assert!(http().get(&url).send().await.is_err());
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sandbox = start().await;
    let url = mapping_url(&sandbox, "saml-demo-univ");
    drop(sandbox);
    let mut stopped = false;
    for _ in 0..50 {
        if http().get(&url).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(stopped);
}
