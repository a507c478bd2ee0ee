//! Links changed while the sandbox runs: `link`, `unlink`, `set_remote_id` from Rust and over
//! `/_sandbox/...`, seen by counts, filters, pages, the users endpoint and the ground truth.

use crosswalk_sandbox::{Mapping, SandboxHandle};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

const HOME: &str = "saml-demo-univ";
const CANVAS: &str = "lti-canvas";

/// Every page of a provider's list, following `next`: the pairs and the `count` of each page.
async fn walk(sandbox: &SandboxHandle, auth: &str, provider: &str, page_size: usize) -> (Vec<(String, String)>, Vec<u64>) {
    let mut url = format!("{}?page_size={page_size}", mapping_url(sandbox, provider));
    let (mut seen, mut counts) = (Vec::new(), Vec::new());
    loop {
        let (status, _, page) = get(&url, Some(auth)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        counts.push(page["count"].as_u64().unwrap());
        seen.extend(pairs(&page));
        match page["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return (seen, counts),
        }
    }
}

async fn filtered(sandbox: &SandboxHandle, auth: &str, provider: &str, key: &str, value: &str) -> Vec<(String, String)> {
    let url = format!("{}?{key}={}", mapping_url(sandbox, provider), form_encode(value));
    let (status, _, page) = get(&url, Some(auth)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    pairs(&page)
}

async fn page(sandbox: &SandboxHandle, auth: &str, provider: &str, query: &str) -> Value {
    let (status, _, page) = get(&format!("{}?{query}", mapping_url(sandbox, provider)), Some(auth)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

/// The users endpoint's `active` list for a username, as `(provider_id, remote_id)` pairs.
async fn active(sandbox: &SandboxHandle, auth: &str, query: &str) -> (StatusCode, Vec<(String, String)>) {
    let url = format!("{}/api/third_party_auth/v0/users/?{query}", sandbox.openedx_url());
    let (status, _, body) = get(&url, Some(auth)).await;
    let links = body["active"]
        .as_array()
        .map(|links| {
            links.iter().map(|l| (l["provider_id"].as_str().unwrap().to_owned(), l["remote_id"].as_str().unwrap().to_owned())).collect()
        })
        .unwrap_or_default();
    (status, links)
}

fn as_pairs(mappings: &[Mapping]) -> Vec<(String, String)> {
    mappings.iter().map(|m| (m.username.clone(), m.remote_id.clone())).collect()
}

fn pair(username: &str, remote_id: &str) -> (String, String) {
    (username.to_owned(), remote_id.to_owned())
}

#[tokio::test]
async fn link_appends_a_new_learner_at_the_end_of_the_list() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let before = sandbox.mappings(HOME);
    let first_page = page(&sandbox, &auth, HOME, "page_size=10").await;

    assert!(sandbox.link(HOME, "zoe.new+mooc", "n0000001"));
    assert!(sandbox.link(HOME, "zoe-newer", "n0000002"));
    let count = before.len() + 2;
    assert_eq!(sandbox.mapping_count(HOME), count);
    let mut expected = before.clone();
    expected.push(Mapping { username: "zoe.new+mooc".into(), remote_id: "n0000001".into() });
    expected.push(Mapping { username: "zoe-newer".into(), remote_id: "n0000002".into() });
    assert_eq!(sandbox.mappings(HOME), expected);
    // The seeded snapshot does not move.
    assert_eq!(sandbox.data().mappings(HOME), before);
    assert_eq!(sandbox.providers().iter().find(|p| p.id == HOME).unwrap().mappings, count);
    assert_eq!(sandbox.info().learners, 1_002);

    // Count and pages; the rows already there keep their places.
    let now = page(&sandbox, &auth, HOME, "page_size=10").await;
    assert_eq!(now["count"], count);
    assert_eq!(now["num_pages"], count.div_ceil(10));
    assert_eq!(now["results"], first_page["results"]);
    let last = page(&sandbox, &auth, HOME, "page_size=10&page=last").await;
    assert_eq!(pairs(&last).last(), Some(&pair("zoe-newer", "n0000002")));
    let (seen, counts) = walk(&sandbox, &auth, HOME, 100).await;
    assert_eq!(seen, as_pairs(&expected));
    assert!(counts.iter().all(|&c| c == count as u64));

    // Filters, alone and mixed with seeded rows: list order.
    assert_eq!(filtered(&sandbox, &auth, HOME, "username", "zoe.new+mooc").await, [pair("zoe.new+mooc", "n0000001")]);
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", "n0000002").await, [pair("zoe-newer", "n0000002")]);
    let mixed = format!("zoe-newer,{}", before[1].username);
    assert_eq!(
        filtered(&sandbox, &auth, HOME, "username", &mixed).await,
        [pair(&before[1].username, &before[1].remote_id), pair("zoe-newer", "n0000002")]
    );

    // The users endpoint knows the new learner by username and by `<username>@example.edu`.
    assert_eq!(active(&sandbox, &auth, "username=zoe-newer").await, (StatusCode::OK, vec![pair(HOME, "n0000002")]));
    assert_eq!(active(&sandbox, &auth, "email=zoe-newer%40example.edu").await, (StatusCode::OK, vec![pair(HOME, "n0000002")]));
    let learner = sandbox.learner("zoe.new+mooc").unwrap();
    assert_eq!(learner.email, "zoe.new+mooc@example.edu");
    assert_eq!(learner.links.len(), 1);
}

#[tokio::test]
async fn link_adds_a_provider_to_an_existing_learner() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let data = sandbox.data();
    let learner = (0..data.learner_count())
        .map(|i| data.learner_at(i).unwrap())
        .find(|l| l.links.iter().all(|link| link.provider_id != CANVAS) && l.links.len() == 1)
        .unwrap();
    let before = sandbox.mapping_count(CANVAS);
    assert!(sandbox.link(CANVAS, &learner.username, "canvas:added"));
    assert_eq!(sandbox.mapping_count(CANVAS), before + 1);
    assert_eq!(sandbox.mappings(CANVAS).last().unwrap().username, learner.username);
    assert_eq!(sandbox.info().learners, 1_000);
    let (status, links) = active(&sandbox, &auth, &format!("username={}", form_encode(&learner.username))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(links.contains(&pair(CANVAS, "canvas:added")), "{links:?}");
    assert_eq!(sandbox.learner(&learner.username).unwrap().links.len(), 2);
}

#[tokio::test]
async fn link_refuses_what_the_lms_would_not_store() {
    let sandbox = start().await;
    let seeded = sandbox.mappings(HOME);
    let count = seeded.len();
    assert!(!sandbox.link("no-such-provider", "someone", "x"));
    assert!(!sandbox.link(HOME, &seeded[0].username, "another"), "already linked");
    assert!(!sandbox.link(HOME, "someone", &seeded[0].remote_id), "remote id taken");
    assert!(!sandbox.link(HOME, "some one", "x"), "invalid username");
    assert!(!sandbox.link(HOME, &"a".repeat(31), "x"), "username too long");
    assert!(!sandbox.link(HOME, "someone", ""), "empty remote id");
    assert_eq!(sandbox.mapping_count(HOME), count);
    assert!(sandbox.learner("someone").is_none());
}

#[tokio::test]
async fn unlink_removes_the_row_and_later_rows_move_up() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.mappings(HOME);
    let gone = truth[3].clone();
    assert!(sandbox.unlink(HOME, &gone.username));
    assert!(!sandbox.unlink(HOME, &gone.username));
    assert!(!sandbox.unlink(HOME, "nobody-at-all"));
    assert!(!sandbox.unlink("no-such-provider", &truth[4].username));

    let mut expected = truth.clone();
    expected.remove(3);
    assert_eq!(sandbox.mappings(HOME), expected);
    assert_eq!(sandbox.mapping_count(HOME), truth.len() - 1);
    let first = page(&sandbox, &auth, HOME, "page_size=10").await;
    assert_eq!(first["count"], truth.len() - 1);
    assert_eq!(first["num_pages"], (truth.len() - 1).div_ceil(10));
    assert_eq!(pairs(&first), as_pairs(&expected[..10]));
    let (seen, _) = walk(&sandbox, &auth, HOME, 100).await;
    assert_eq!(seen, as_pairs(&expected));

    assert!(filtered(&sandbox, &auth, HOME, "username", &gone.username).await.is_empty());
    assert!(filtered(&sandbox, &auth, HOME, "remote_id", &gone.remote_id).await.is_empty());
    let (status, links) = active(&sandbox, &auth, &format!("username={}", form_encode(&gone.username))).await;
    assert_eq!(status, StatusCode::OK, "the learner stays");
    assert!(links.iter().all(|(p, _)| p != HOME));

    // The freed remote id can be linked again, and the learner can come back: at the end.
    assert!(sandbox.link(HOME, &gone.username, &gone.remote_id));
    assert_eq!(sandbox.mappings(HOME).last(), Some(&gone));
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", &gone.remote_id).await, [pair(&gone.username, &gone.remote_id)]);
}

#[tokio::test]
async fn unlinking_an_added_row_keeps_the_other_added_rows_in_order() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let count = sandbox.mapping_count(HOME);
    for k in 0..4 {
        assert!(sandbox.link(HOME, &format!("added-{k}"), &format!("a-{k}")));
    }
    assert!(sandbox.unlink(HOME, "added-1"));
    let tail: Vec<_> = sandbox.mappings(HOME).split_off(count);
    assert_eq!(as_pairs(&tail), [pair("added-0", "a-0"), pair("added-2", "a-2"), pair("added-3", "a-3")]);
    assert_eq!(
        filtered(&sandbox, &auth, HOME, "username", "added-3,added-1,added-0").await,
        [pair("added-0", "a-0"), pair("added-3", "a-3")]
    );
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", "a-2").await, [pair("added-2", "a-2")]);
}

#[tokio::test]
async fn set_remote_id_changes_the_row_in_place() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let truth = sandbox.mappings(HOME);
    let (a, b) = (truth[2].clone(), truth[5].clone());
    assert!(sandbox.set_remote_id(HOME, &a.username, "s7654321x"));
    assert!(sandbox.set_remote_id(HOME, &a.username, "s7654321x"), "setting the current value is fine");
    assert!(!sandbox.set_remote_id(HOME, &a.username, &b.remote_id), "taken");
    assert!(!sandbox.set_remote_id(HOME, "nobody-at-all", "x"));
    assert!(!sandbox.set_remote_id(HOME, &a.username, ""));

    let mut expected = truth.clone();
    expected[2].remote_id = "s7654321x".into();
    assert_eq!(sandbox.mappings(HOME), expected);
    assert_eq!(sandbox.mapping_count(HOME), truth.len());
    let first = page(&sandbox, &auth, HOME, "page_size=10").await;
    assert_eq!(pairs(&first), as_pairs(&expected[..10]));
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", "s7654321x").await, [pair(&a.username, "s7654321x")]);
    assert!(filtered(&sandbox, &auth, HOME, "remote_id", &a.remote_id).await.is_empty());
    let (_, links) = active(&sandbox, &auth, &format!("username={}", form_encode(&a.username))).await;
    assert!(links.contains(&pair(HOME, "s7654321x")), "{links:?}");

    // The old remote id is free for another learner; an added row can change too.
    assert!(sandbox.set_remote_id(HOME, &b.username, &a.remote_id));
    assert!(sandbox.link(HOME, "late-joiner", "late-1"));
    assert!(sandbox.set_remote_id(HOME, "late-joiner", "late-2"));
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", &a.remote_id).await, [pair(&b.username, &a.remote_id)]);
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", "late-2").await, [pair("late-joiner", "late-2")]);
    assert!(filtered(&sandbox, &auth, HOME, "remote_id", "late-1").await.is_empty());
    assert_eq!(sandbox.mappings(HOME).last().unwrap().remote_id, "late-2");
}

#[tokio::test]
async fn admin_routes_link_change_and_unlink() {
    let sandbox = start().await;
    let auth = staff_auth(&sandbox).await;
    let admin = sandbox.admin_url();
    let count = sandbox.mapping_count(HOME);
    let post = |path: &str, body: Value| http().post(format!("{admin}/{path}")).json(&body).send();

    let response = post("link", json!({"provider_id": HOME, "username": "via.http", "remote_id": "h-1"})).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"provider_id": HOME, "username": "via.http", "remote_id": "h-1", "count": count + 1}));
    assert_eq!(sandbox.mapping_count(HOME), count + 1);
    assert_eq!(filtered(&sandbox, &auth, HOME, "username", "via.http").await, [pair("via.http", "h-1")]);

    let response = post("set_remote_id", json!({"provider_id": HOME, "username": "via.http", "remote_id": "h-2"})).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["remote_id"], "h-2");
    assert_eq!(filtered(&sandbox, &auth, HOME, "remote_id", "h-2").await, [pair("via.http", "h-2")]);

    let response = post("unlink", json!({"provider_id": HOME, "username": "via.http"})).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"provider_id": HOME, "username": "via.http", "remote_id": null, "count": count}));
    assert_eq!(page(&sandbox, &auth, HOME, "").await["count"], count);
    let info: Value = http().get(format!("{admin}/info")).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["learners"], 1_001);

    // Refusals: unknown things 404, clashes 409, malformed values 422.
    let taken = sandbox.mappings(HOME)[0].clone();
    for (path, body, status) in [
        ("link", json!({"provider_id": "nope", "username": "x", "remote_id": "y"}), StatusCode::NOT_FOUND),
        ("link", json!({"provider_id": HOME, "username": taken.username, "remote_id": "y"}), StatusCode::CONFLICT),
        ("link", json!({"provider_id": HOME, "username": "fresh", "remote_id": taken.remote_id}), StatusCode::CONFLICT),
        ("link", json!({"provider_id": HOME, "username": "bad name", "remote_id": "y"}), StatusCode::UNPROCESSABLE_ENTITY),
        ("unlink", json!({"provider_id": HOME, "username": "via.http"}), StatusCode::NOT_FOUND),
        ("set_remote_id", json!({"provider_id": HOME, "username": "nobody-at-all", "remote_id": "y"}), StatusCode::NOT_FOUND),
    ] {
        let response = post(path, body.clone()).await.unwrap();
        assert_eq!(response.status(), status, "{path} {body}");
        let answer: Value = response.json().await.unwrap();
        assert!(answer["error"].is_string(), "{answer}");
    }
    let response = post("link", json!({"provider_id": HOME})).await.unwrap();
    assert!(response.status().is_client_error());
    assert_eq!(sandbox.mapping_count(HOME), count);
}
