//! `GET {lms}/api/third_party_auth/v0/providers/{provider_id}/users`: filters, ids, routing.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn mapping_lists_every_link_of_the_provider_in_stable_order() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("oa2-google-oauth2");
    assert!(truth.len() > 100);
    let mut url = format!("{}?page_size=100", mapping_url(&sandbox, "oa2-google-oauth2"));
    let mut seen = Vec::new();
    loop {
        let (status, _, page) = get(&url, Some(&auth)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], truth.len());
        seen.extend(pairs(&page));
        match page["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<_> = truth.iter().map(|m| (m.username.clone(), m.remote_id.clone())).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn saml_remote_id_has_no_slug_prefix() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let data = sandbox.data();
    let first = data.mappings("saml-demo-univ")[0].clone();
    let stored = data.stored_uid("saml-demo-univ", &first.username).unwrap();
    assert_eq!(stored, format!("demo-univ:{}", first.remote_id));

    let url = mapping_url(&sandbox, "saml-demo-univ");
    let (_, _, page) = get(&format!("{url}?page_size=100"), Some(&auth)).await;
    for (_, remote_id) in pairs(&page) {
        assert!(!remote_id.starts_with("demo-univ:"), "{remote_id}");
    }
    // The filter takes the remote id as shown; the stored uid is not a remote id.
    let (_, _, found) = get(&format!("{url}?remote_id={}", first.remote_id), Some(&auth)).await;
    assert_eq!(pairs(&found), [(first.username.clone(), first.remote_id.clone())]);
    let (_, _, none) = get(&format!("{url}?remote_id={}", form_encode(&stored)), Some(&auth)).await;
    assert_eq!(none["count"], 0);
}

#[tokio::test]
async fn oauth2_remote_id_is_the_uid_an_email_for_google() {
    let sandbox = start().await;
    let data = sandbox.data();
    for m in data.mappings("oa2-google-oauth2") {
        assert!(m.remote_id.contains('@'), "{}", m.remote_id);
        assert_eq!(data.stored_uid("oa2-google-oauth2", &m.username).unwrap(), m.remote_id);
    }
}

#[tokio::test]
async fn username_filter_is_repeatable_with_comma_lists() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("saml-demo-univ");
    let (a, b, c) = (&truth[3].username, &truth[7].username, &truth[11].username);
    let url =
        format!("{}?username={},{}&username={}", mapping_url(&sandbox, "saml-demo-univ"), form_encode(a), form_encode(b), form_encode(c));
    let (status, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    let got: BTreeSet<_> = usernames(&page).into_iter().collect();
    assert_eq!(got, BTreeSet::from([a.clone(), b.clone(), c.clone()]));
}

#[tokio::test]
async fn remote_id_filter_is_repeatable_with_comma_lists() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("lti-canvas");
    let ids: Vec<_> = truth[..3].iter().map(|m| form_encode(&m.remote_id)).collect();
    let url = format!("{}?remote_id={},{}&remote_id={}", mapping_url(&sandbox, "lti-canvas"), ids[0], ids[1], ids[2]);
    let (_, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(page["count"], 3);
}

#[tokio::test]
async fn filter_values_are_merged_and_deduplicated() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let m = sandbox.data().mappings("saml-demo-univ")[0].clone();
    let u = form_encode(&m.username);
    let r = form_encode(&m.remote_id);
    let url = format!("{}?username={u},{u}&username={u}&remote_id={r}", mapping_url(&sandbox, "saml-demo-univ"));
    let (_, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(page["count"], 1);
    assert_eq!(pairs(&page), [(m.username, m.remote_id)]);
}

#[tokio::test]
async fn username_and_remote_id_filters_are_ored() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("saml-demo-univ");
    let (by_name, by_id) = (&truth[0], &truth[1]);
    let url = format!(
        "{}?username={}&remote_id={}",
        mapping_url(&sandbox, "saml-demo-univ"),
        form_encode(&by_name.username),
        form_encode(&by_id.remote_id)
    );
    let (_, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(page["count"], 2, "union, not intersection: {page}");
    let got: BTreeSet<_> = pairs(&page).into_iter().collect();
    assert!(got.contains(&(by_name.username.clone(), by_name.remote_id.clone())));
    assert!(got.contains(&(by_id.username.clone(), by_id.remote_id.clone())));
}

#[tokio::test]
async fn unknown_filter_values_are_simply_absent() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let known = sandbox.data().mappings("saml-demo-univ")[5].clone();
    let url = format!(
        "{}?username={},no-such-learner&remote_id=s-no-such-id",
        mapping_url(&sandbox, "saml-demo-univ"),
        form_encode(&known.username)
    );
    let (status, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(usernames(&page), [known.username]);
}

#[tokio::test]
async fn learner_without_a_link_to_the_provider_is_absent() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let data = sandbox.data();
    let unlinked =
        data.usernames().find(|u| data.learner(u).unwrap().links.iter().all(|l| l.provider_id != "saml-partner")).unwrap().to_owned();
    let url = format!("{}?username={}", mapping_url(&sandbox, "saml-partner"), form_encode(&unlinked));
    let (status, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["count"], 0);
}

#[tokio::test]
async fn empty_filter_means_everything() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let all = sandbox.data().mapping_count("saml-demo-univ");
    let base = mapping_url(&sandbox, "saml-demo-univ");
    for query in ["username=", "remote_id=", "username=&remote_id=", "page_size=10&username="] {
        let (status, _, page) = get(&format!("{base}?{query}"), Some(&auth)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], all, "{query}");
    }
}

#[tokio::test]
async fn empty_values_count_once_the_filter_is_not_empty() {
    // The LMS joins all values with `,` before testing for emptiness: `username=&username=`
    // joins to `,`, which is a filter on the empty username (nothing), not "no filter".
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let base = mapping_url(&sandbox, "saml-demo-univ");
    let (status, _, page) = get(&format!("{base}?username=&username="), Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["count"], 0);
    // An empty value next to a real one does not widen the filter either.
    let m = sandbox.data().mappings("saml-demo-univ")[2].clone();
    let url = format!("{base}?username=&username={}", form_encode(&m.username));
    let (_, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(usernames(&page), [m.username]);
}

#[tokio::test]
async fn plus_in_query_is_a_space() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let data = sandbox.data();
    let plus_user = data.mappings("saml-demo-univ").into_iter().find(|m| m.username.contains('+')).expect("a username with +");
    let base = mapping_url(&sandbox, "saml-demo-univ");
    // A literal `+` arrives as a space: no such learner.
    let (_, _, literal) = get(&format!("{base}?username={}", plus_user.username), Some(&auth)).await;
    assert_eq!(literal["count"], 0);
    // `%2B` is a plus.
    let encoded = plus_user.username.replace('+', "%2B");
    let (_, _, found) = get(&format!("{base}?username={encoded}"), Some(&auth)).await;
    assert_eq!(usernames(&found), [plus_user.username]);

    // The same holds for remote ids such as `ann.smith+mooc@gmail.example.com`.
    let plus_remote = data.mappings("oa2-google-oauth2").into_iter().find(|m| m.remote_id.contains('+')).expect("a remote id with +");
    let google = mapping_url(&sandbox, "oa2-google-oauth2");
    let (_, _, literal) = get(&format!("{google}?remote_id={}", plus_remote.remote_id), Some(&auth)).await;
    assert_eq!(literal["count"], 0);
    let encoded = plus_remote.remote_id.replace('+', "%2B");
    let (_, _, found) = get(&format!("{google}?remote_id={encoded}"), Some(&auth)).await;
    assert_eq!(pairs(&found), [(plus_remote.username, plus_remote.remote_id)]);
}

#[tokio::test]
async fn trailing_slash_is_404_html() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let response = http().get(format!("{}/", mapping_url(&sandbox, "saml-demo-univ"))).header("authorization", &auth).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let body = response.text().await.unwrap();
    assert!(body.contains("<html"));
    assert!(serde_json::from_str::<serde_json::Value>(&body).is_err());
}

#[tokio::test]
async fn only_get_is_allowed() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let url = mapping_url(&sandbox, "saml-demo-univ");
    for method in [reqwest::Method::POST, reqwest::Method::PUT, reqwest::Method::DELETE] {
        let response = http().request(method.clone(), &url).header("authorization", &auth).send().await.unwrap();
        let (status, _, body) = read(response).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(body["detail"], format!("Method \"{method}\" not allowed."));
    }
}

#[tokio::test]
async fn idp_slug_suffix_on_provider_id_is_ignored() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let count = sandbox.data().mapping_count("saml-demo-univ");
    for id in ["saml-demo-univ:demo-univ", "saml-demo-univ:anything.else"] {
        let (status, _, page) = get(&mapping_url(&sandbox, id), Some(&auth)).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(page["count"], count);
    }
}

#[tokio::test]
async fn provider_id_outside_the_url_pattern_is_404_html() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    for id in ["a:b:c", "saml-demo-univ:", "saml%20demo"] {
        let (status, headers, _) = get(&mapping_url(&sandbox, id), Some(&auth)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
    }
}

#[tokio::test]
async fn unknown_provider_is_404_not_found() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let (status, _, body) = get(&mapping_url(&sandbox, "saml-nowhere"), Some(&auth)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Not found."}));
}

#[tokio::test]
async fn disabled_provider_is_404_like_unknown() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    assert!(sandbox.data().mapping_count("saml-retired") > 0);
    assert!(!sandbox.data().provider("saml-retired").unwrap().enabled);
    let (status, _, body) = get(&mapping_url(&sandbox, "saml-retired"), Some(&auth)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Not found."}));
}

#[tokio::test]
async fn fifty_ids_are_found_in_a_large_provider() {
    // Filters go through indexes: fifty ids out of a big list come back at once.
    let sandbox = start_with(crosswalk_sandbox::SandboxConfig { learners: 50_000, ..Default::default() }).await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.data().mappings("saml-demo-univ");
    let wanted: Vec<_> = truth.iter().step_by(997).take(50).collect();
    let list: Vec<_> = wanted.iter().map(|m| form_encode(&m.username)).collect();
    let url = format!("{}?page_size=100&username={}", mapping_url(&sandbox, "saml-demo-univ"), list.join(","));
    let (status, _, page) = get(&url, Some(&auth)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["count"], wanted.len());
}
