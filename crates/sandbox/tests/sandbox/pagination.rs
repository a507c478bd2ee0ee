//! Pagination: both envelopes, `page`, `page_size`, links.

use crosswalk_sandbox::{Envelope, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

async fn page(sandbox: &crosswalk_sandbox::SandboxHandle, query: &str) -> (StatusCode, Value) {
    let auth = staff_auth(sandbox).await;
    let url = format!("{}?{query}", mapping_url(sandbox, "saml-demo-univ"));
    let (status, _, body) = get(&url, Some(&auth)).await;
    (status, body)
}

#[tokio::test]
async fn current_envelope_has_links_counts_and_position() {
    let sandbox = start().await;
    let count = sandbox.data().mapping_count("saml-demo-univ");
    let (status, body) = page(&sandbox, "page=2&page_size=5").await;
    assert_eq!(status, StatusCode::OK);
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    let mut expected = vec!["count", "current_page", "next", "num_pages", "previous", "results", "start"];
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(body["count"], count);
    assert_eq!(body["num_pages"], count.div_ceil(5));
    assert_eq!(body["current_page"], 2);
    assert_eq!(body["start"], 5);
    assert_eq!(body["results"].as_array().unwrap().len(), 5);
    let truth = sandbox.data().mappings("saml-demo-univ");
    let expected: Vec<_> = truth[5..10].iter().map(|m| (m.username.clone(), m.remote_id.clone())).collect();
    assert_eq!(pairs(&body), expected);
}

#[tokio::test]
async fn next_and_previous_are_absolute_and_keep_the_query() {
    let sandbox = start().await;
    let (_, body) = page(&sandbox, "page_size=3&page=2&username=&remote_id=").await;
    let base = mapping_url(&sandbox, "saml-demo-univ");
    assert_eq!(body["next"], format!("{base}?page=3&page_size=3&remote_id=&username="));
    // DRF drops `page` from the link back to page 1.
    assert_eq!(body["previous"], format!("{base}?page_size=3&remote_id=&username="));
    let (_, first) = page(&sandbox, "page_size=3").await;
    assert_eq!(first["previous"], Value::Null);
    let (_, last) = page(&sandbox, "page_size=3&page=last").await;
    assert_eq!(last["next"], Value::Null);
}

#[tokio::test]
async fn next_links_keep_encoded_filters() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("saml-demo-univ");
    let plus = truth.iter().find(|m| m.username.contains('+')).unwrap();
    let others: Vec<_> = truth.iter().filter(|m| !m.username.contains('+')).take(2).collect();
    let url = format!(
        "{}?page_size=1&username={},{},{}",
        mapping_url(&sandbox, "saml-demo-univ"),
        form_encode(&plus.username),
        form_encode(&others[0].username),
        form_encode(&others[1].username)
    );
    let mut seen = Vec::new();
    let mut next = Some(url);
    while let Some(url) = next {
        let (status, _, body) = get(&url, Some(&auth)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["count"], 3);
        seen.extend(usernames(&body));
        next = body["next"].as_str().map(str::to_owned);
    }
    seen.sort();
    let mut expected = vec![plus.username.clone(), others[0].username.clone(), others[1].username.clone()];
    expected.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn legacy_envelope_has_page_and_page_size_and_no_next() {
    let sandbox = start_with(SandboxConfig { envelope: Envelope::Legacy, ..SandboxConfig::default() }).await;
    let count = sandbox.data().mapping_count("saml-demo-univ");
    let (status, body) = page(&sandbox, "page=3&page_size=7").await;
    assert_eq!(status, StatusCode::OK);
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["count", "page", "page_size", "results"]);
    assert_eq!(body["page"], 3);
    assert_eq!(body["page_size"], 7);
    assert_eq!(body["count"], count);
    // Stepping `page` until `count` rows were read yields the whole list.
    let mut rows = 0;
    let mut number = 1;
    while rows < count {
        let (status, body) = page(&sandbox, &format!("page={number}&page_size=100")).await;
        assert_eq!(status, StatusCode::OK);
        rows += body["results"].as_array().unwrap().len();
        number += 1;
    }
    assert_eq!(rows, count);
}

#[tokio::test]
async fn envelope_can_be_switched_at_runtime() {
    let sandbox = start().await;
    sandbox.set_envelope(Envelope::Legacy);
    let (_, body) = page(&sandbox, "").await;
    assert!(body.get("page").is_some() && body.get("next").is_none());
    let response = http().put(format!("{}/envelope", sandbox.admin_url())).json(&json!("current")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, body) = page(&sandbox, "").await;
    assert!(body.get("next").is_some() && body.get("page").is_none());
}

#[tokio::test]
async fn page_is_one_based() {
    let sandbox = start().await;
    let truth = sandbox.data().mappings("saml-demo-univ");
    let (_, body) = page(&sandbox, "page=1&page_size=2").await;
    assert_eq!(usernames(&body), [truth[0].username.clone(), truth[1].username.clone()]);
}

#[tokio::test]
async fn page_last_works() {
    let sandbox = start().await;
    let count = sandbox.data().mapping_count("saml-demo-univ");
    let (status, body) = page(&sandbox, "page=last&page_size=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["current_page"], count.div_ceil(10));
    let remainder = if count % 10 == 0 { 10 } else { count % 10 };
    assert_eq!(body["results"].as_array().unwrap().len(), remainder);
}

#[tokio::test]
async fn page_size_defaults_to_10() {
    let sandbox = start().await;
    let (_, body) = page(&sandbox, "").await;
    assert_eq!(body["results"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn page_size_is_capped_at_100() {
    let sandbox = start().await;
    let (status, body) = page(&sandbox, "page_size=500").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"].as_array().unwrap().len(), 100);
    let count = sandbox.data().mapping_count("saml-demo-univ");
    assert_eq!(body["num_pages"], count.div_ceil(100));
}

#[tokio::test]
async fn page_size_zero_negative_or_non_numeric_falls_back_to_10() {
    let sandbox = start().await;
    for size in ["0", "-5", "ten", "", "2.5"] {
        let (status, body) = page(&sandbox, &format!("page_size={size}")).await;
        assert_eq!(status, StatusCode::OK, "{size}");
        assert_eq!(body["results"].as_array().unwrap().len(), 10, "{size}");
    }
}

#[tokio::test]
async fn invalid_page_404() {
    let sandbox = start().await;
    let count = sandbox.data().mapping_count("saml-demo-univ");
    let past_end = count.div_ceil(10) + 1;
    for number in [past_end.to_string(), "0".into(), "-1".into(), "two".into(), "".into()] {
        let (status, body) = page(&sandbox, &format!("page={number}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "page={number}");
        assert_eq!(body, json!({"detail": "Invalid page."}));
    }
}

#[tokio::test]
async fn empty_result_has_one_empty_page() {
    let sandbox = start().await;
    let (status, body) = page(&sandbox, "username=no-such-learner").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["count"], 0);
    assert_eq!(body["num_pages"], 1);
    assert_eq!(body["results"], json!([]));
    let (status, _) = page(&sandbox, "username=no-such-learner&page=2").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
