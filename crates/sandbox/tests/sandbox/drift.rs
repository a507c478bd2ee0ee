//! The drift knob: a provider that gains a learner every N mapping requests.

use crosswalk_sandbox::{DriftKnob, Knobs, SandboxHandle, StatusFault};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

const PARTNER: &str = "saml-partner";

fn drift(provider_id: &str, every_n_requests: u64, max_changes: u64) -> Knobs {
    Knobs { drift: Some(DriftKnob { provider_id: provider_id.to_owned(), every_n_requests, max_changes }), ..Knobs::default() }
}

async fn count(sandbox: &SandboxHandle, auth: &str, provider: &str) -> u64 {
    let (status, _, page) = get(&mapping_url(sandbox, provider), Some(auth)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["count"].as_u64().unwrap()
}

#[tokio::test]
async fn drift_adds_a_learner_after_every_n_requests_until_max_changes() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let seeded = sandbox.mapping_count(PARTNER) as u64;
    sandbox.set_knobs(drift(PARTNER, 2, 3));
    let mut counts = Vec::new();
    for _ in 0..10 {
        counts.push(count(&sandbox, &auth, PARTNER).await - seeded);
    }
    // The change follows the 2nd, 4th and 6th requests, so the 3rd, 5th and 7th see it.
    assert_eq!(counts, [0, 0, 1, 1, 2, 2, 3, 3, 3, 3]);
    assert_eq!(sandbox.stats().drift_changes, 3);
    assert_eq!(sandbox.mapping_count(PARTNER) as u64, seeded + 3);
    let tail: Vec<_> = sandbox.mappings(PARTNER).split_off(seeded as usize).into_iter().map(|m| (m.username, m.remote_id)).collect();
    let expected: Vec<_> = (1..=3).map(|k| (format!("drift-learner-{k}"), format!("drift-{k}"))).collect();
    assert_eq!(tail, expected);
    let learner = sandbox.learner("drift-learner-2").unwrap();
    assert_eq!(learner.email, "drift-learner-2@example.edu");
    // Other providers do not move.
    assert_eq!(sandbox.mapping_count("saml-demo-univ"), sandbox.data().mapping_count("saml-demo-univ"));
}

#[tokio::test]
async fn requests_to_any_provider_count() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let seeded = sandbox.mapping_count(PARTNER) as u64;
    sandbox.set_knobs(drift(PARTNER, 3, 10));
    for provider in ["saml-demo-univ", "oa2-google-oauth2", "no-such-provider"] {
        get(&mapping_url(&sandbox, provider), Some(&auth)).await;
    }
    assert_eq!(count(&sandbox, &auth, PARTNER).await, seeded + 1);
}

#[tokio::test]
async fn a_client_paging_through_sees_count_grow_and_new_rows_at_the_end() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let before = sandbox.mappings("oa2-google-oauth2");
    sandbox.set_knobs(drift("oa2-google-oauth2", 1, 100));
    let mut url = format!("{}?page_size=100", mapping_url(&sandbox, "oa2-google-oauth2"));
    let (mut counts, mut seen) = (Vec::new(), Vec::new());
    loop {
        let (status, _, page) = get(&url, Some(&auth)).await;
        assert_eq!(status, StatusCode::OK);
        counts.push(page["count"].as_u64().unwrap());
        seen.extend(pairs(&page));
        match page["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert!(counts.windows(2).all(|w| w[1] == w[0] + 1), "{counts:?}");
    // Nothing seeded was skipped or repeated; the pages end with the learners added meanwhile.
    let seeded: Vec<_> = before.iter().map(|m| (m.username.clone(), m.remote_id.clone())).collect();
    assert_eq!(seen[..seeded.len()], seeded[..]);
    assert!(seen[seeded.len()..].iter().all(|(u, _)| u.starts_with("drift-learner-")));
    assert_eq!(sandbox.mappings("oa2-google-oauth2").len() as u64, *counts.last().unwrap() + 1);
}

#[tokio::test]
async fn faulted_requests_count_too() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let seeded = sandbox.mapping_count(PARTNER);
    let mut knobs = drift(PARTNER, 1, 5);
    knobs.faults = vec![StatusFault { status: 503, probability: 1.0 }];
    sandbox.set_knobs(knobs);
    for _ in 0..2 {
        let (status, _, _) = get(&mapping_url(&sandbox, PARTNER), Some(&auth)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(sandbox.mapping_count(PARTNER), seeded + 2);
    assert_eq!(sandbox.stats().drift_changes, 2);
}

#[tokio::test]
async fn a_different_drift_knob_starts_over_and_names_stay_unique() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let seeded = sandbox.mapping_count(PARTNER) as u64;
    sandbox.set_knobs(drift(PARTNER, 1, 1));
    count(&sandbox, &auth, PARTNER).await;
    count(&sandbox, &auth, PARTNER).await;
    assert_eq!(sandbox.mapping_count(PARTNER) as u64, seeded + 1);
    // The same knob again (say, with latency added) continues: still at max_changes.
    sandbox.set_knobs(Knobs { latency_ms: 1, ..drift(PARTNER, 1, 1) });
    count(&sandbox, &auth, PARTNER).await;
    assert_eq!(sandbox.mapping_count(PARTNER) as u64, seeded + 1);
    // A name someone took is skipped.
    assert!(sandbox.link("saml-demo-univ", "drift-learner-2", "taken-2"));

    // Over HTTP, a different knob: two more changes.
    let response = http()
        .put(format!("{}/knobs", sandbox.admin_url()))
        .json(&json!({"drift": {"provider_id": PARTNER, "every_n_requests": 1, "max_changes": 2}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    for _ in 0..4 {
        count(&sandbox, &auth, PARTNER).await;
    }
    let tail: Vec<_> = sandbox.mappings(PARTNER).split_off(seeded as usize).into_iter().map(|m| m.username).collect();
    assert_eq!(tail, ["drift-learner-1", "drift-learner-3", "drift-learner-4"]);
    assert_eq!(sandbox.stats().drift_changes, 3);

    // Off: nothing more.
    sandbox.set_knobs(Knobs::default());
    count(&sandbox, &auth, PARTNER).await;
    assert_eq!(sandbox.mapping_count(PARTNER) as u64, seeded + 3);
}

#[tokio::test]
async fn unknown_provider_or_zero_interval_changes_nothing() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let before = sandbox.providers();
    sandbox.set_knobs(drift("no-such-provider", 1, 5));
    count(&sandbox, &auth, PARTNER).await;
    sandbox.set_knobs(drift(PARTNER, 0, 5));
    count(&sandbox, &auth, PARTNER).await;
    assert_eq!(sandbox.providers(), before);
    assert_eq!(sandbox.stats().drift_changes, 0);
}
