//! Looking learners up against the sandbox LMS.

mod common;

use common::{env, env_with, openedx_profile, register};
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::lookup::{self, LookupMode, LookupRequest, MatchedBy};
use crosswalk_core::openedx::MappingsClient;
use crosswalk_sandbox::{Envelope, SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";

fn req(profile: &str, ids: Vec<String>, mode: LookupMode) -> LookupRequest {
    LookupRequest { profile_id: profile.into(), providers: vec![P.into()], ids, mode, chunk_size: None, concurrency: None }
}

#[tokio::test]
async fn usernames_are_found_in_chunks_of_fifty_with_the_rest_reported_missing() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("l", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let truth = e.sandbox.data().mappings(P);
    let mut ids: Vec<String> = truth.iter().take(230).map(|m| m.username.clone()).collect();
    ids.extend(["nobody-1".to_string(), "nobody-2".to_string()]);
    e.sandbox.reset_stats();
    let r = lookup::live(&e.cw, &req(&p.id, ids, LookupMode::Username), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(r.rows.len(), 230);
    assert_eq!(r.not_found, vec!["nobody-1", "nobody-2"]);
    assert_eq!(r.requests, 5, "232 ids → 5 chunks of at most 50");
    assert_eq!(e.sandbox.stats().mapping_requests, 5);
    for row in &r.rows {
        let t = truth.iter().find(|m| m.username == row.username).unwrap();
        assert_eq!(row.remote_id, t.remote_id);
    }
}

#[tokio::test]
async fn plus_signs_travel_as_2b_and_auto_mode_labels_what_matched() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("a", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P, "oa2-google-oauth2"]),
        STAFF_CLIENT_SECRET,
    );
    let truth = e.sandbox.data().mappings(P);
    let plus_user = truth.iter().find(|m| m.username.contains('+')).expect("the sandbox seeds usernames with +");
    let other = truth.iter().find(|m| !m.username.contains('+')).unwrap();
    let google = e.sandbox.data().mappings("oa2-google-oauth2");
    let plus_email = google
        .iter()
        .find(|m| m.remote_id.contains('+') && m.username != plus_user.username && m.username != other.username)
        .expect("the sandbox seeds emails with +");
    let ids = vec![plus_user.username.clone(), other.remote_id.clone(), plus_email.remote_id.clone()];
    let mut r = req(&p.id, ids, LookupMode::Auto);
    r.providers = vec![];
    let out = lookup::live(&e.cw, &r, |_| {}, &CancellationToken::new()).await.unwrap();
    let by = |u: &str, prov: &str| out.rows.iter().find(|r| r.username == u && r.provider_id == prov).map(|r| r.matched_by);
    assert_eq!(by(&plus_user.username, P), Some(MatchedBy::Username));
    assert_eq!(by(&other.username, P), Some(MatchedBy::RemoteId));
    assert_eq!(by(&plus_email.username, "oa2-google-oauth2"), Some(MatchedBy::RemoteId));
    assert!(out.not_found.is_empty(), "{:?}", out.not_found);
}

#[tokio::test]
async fn an_empty_filter_is_never_sent() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("e", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    e.sandbox.reset_stats();
    let (rows, n) =
        MappingsClient::new(&e.cw, &p).filtered(P, &["  ".into(), String::new()], &[], &CancellationToken::new()).await.unwrap();
    assert!(rows.is_empty(), "an empty filter would have returned the whole provider");
    assert_eq!(n, 0);
    assert_eq!(e.sandbox.stats().mapping_requests, 0);
    let out = lookup::live(&e.cw, &req(&p.id, vec![" ".into(), ",".into()], LookupMode::Username), |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(out.rows.is_empty());
    assert_eq!(e.sandbox.stats().mapping_requests, 0);
}

#[tokio::test]
async fn both_envelopes_page_through_filtered_answers() {
    for envelope in [Envelope::Current, Envelope::Legacy] {
        let e = env_with(SandboxConfig { learners: 3_000, envelope, ..SandboxConfig::default() }).await;
        let p = register(
            &e.cw,
            openedx_profile("env", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
            STAFF_CLIENT_SECRET,
        );
        let page = MappingsClient::new(&e.cw, &p).page(P, 2, 100, &CancellationToken::new()).await.unwrap();
        assert_eq!(page.envelope, if envelope == Envelope::Legacy { "legacy" } else { "current" });
        assert_eq!(page.results.len(), 100);
        let truth = e.sandbox.data().mappings(P);
        assert_eq!(page.results[0].username, truth[100].username);
        assert_eq!(page.num_pages as usize, truth.len().div_ceil(100));
    }
}

#[tokio::test]
async fn a_page_past_the_end_is_explained() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("x", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let err = MappingsClient::new(&e.cw, &p).page(P, 999, 100, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("past the end"), "{err}");
}

#[tokio::test]
async fn cancelling_keeps_what_arrived() {
    let e = env_with(SandboxConfig {
        learners: 3_000,
        knobs: crosswalk_sandbox::Knobs { latency_ms: 100, ..Default::default() },
        ..SandboxConfig::default()
    })
    .await;
    let p = register(
        &e.cw,
        openedx_profile("c", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let ids: Vec<String> = e.sandbox.data().mappings(P).iter().take(1000).map(|m| m.username.clone()).collect();
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let mut r = req(&p.id, ids, LookupMode::Username);
    r.concurrency = Some(2);
    let out = lookup::live(
        &e.cw,
        &r,
        move |p| {
            if p.done_ids >= 200 {
                c2.cancel()
            }
        },
        &cancel,
    )
    .await
    .unwrap();
    assert!(out.cancelled);
    assert!(out.rows.len() >= 200 && out.rows.len() < 1000, "partial results kept: {}", out.rows.len());
}
