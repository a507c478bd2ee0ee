//! The OpenLearning simulator: API-key auth, managed users, sign-on, and the signed LTI launch.

use std::time::{Duration, Instant};

use crosswalk_sandbox::openlearning::OPENLEARNING_LTI_CONSUMER_KEY;
use crosswalk_sandbox::{
    oauth1, Knobs, OpenLearningEnvelope, OpenLearningLaunch, SandboxHandle, SandboxInfo, StatusFault, OPENLEARNING_API_KEY,
    OPENLEARNING_CLASS_ETHICS_AI, OPENLEARNING_CLASS_INTRO_DATA, OPENLEARNING_CLOSED_CLASS, OPENLEARNING_INSTITUTION_ID,
    OPENLEARNING_LINKED_CONTEXT, OPENLEARNING_NON_MEMBER_USER_ID, OPENLEARNING_OTHER_INSTITUTION_ID, OPENLEARNING_OTHER_INSTITUTION_KEY,
    OPENLEARNING_UNLINKED_CONTEXT, OPENLEARNING_USER_WITHOUT_EXTERNAL_ID,
};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

/// How a request presents the API key.
#[derive(Clone, Copy)]
enum Key<'a> {
    Bearer(&'a str),
    Query(&'a str),
    None,
}

const OUR_KEY: Key<'static> = Key::Bearer(OPENLEARNING_API_KEY);
const INTRO_DATA_NAME: &str = "Introduction to Data Science \u{2014} Semester 1";

/// GET `{api}{path}` (path starts with `/`, may carry a query).
async fn api_get(sandbox: &SandboxHandle, path: &str, key: Key<'_>) -> (StatusCode, HeaderMap, Value) {
    let mut url = format!("{}{path}", sandbox.openlearning_url());
    let mut request = http().get(&url);
    match key {
        Key::Bearer(key) => request = request.header("authorization", format!("Bearer {key}")),
        Key::Query(key) => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("api_key={}", form_encode(key)));
            request = http().get(&url);
        }
        Key::None => {}
    }
    read(request.send().await.expect("GET")).await
}

fn sign_on_url(sandbox: &SandboxHandle, institution: &str, user_id: &str) -> String {
    format!("{}/institutions/{institution}/managed-users/{user_id}/sign-on/", sandbox.openlearning_url())
}

/// POSTs a JSON sign-on for a Demo University user with our key.
async fn sign_on(sandbox: &SandboxHandle, user_id: &str, body: Value) -> (StatusCode, Value) {
    let response = http()
        .post(sign_on_url(sandbox, OPENLEARNING_INSTITUTION_ID, user_id))
        .header("authorization", format!("Bearer {OPENLEARNING_API_KEY}"))
        .json(&body)
        .send()
        .await
        .expect("sign-on");
    let (status, _, json) = read(response).await;
    (status, json)
}

/// A successful sign-on's params (plain envelope), as form fields.
async fn launch_params(sandbox: &SandboxHandle, user_id: &str, body: Value) -> Vec<(String, String)> {
    let (status, answer) = sign_on(sandbox, user_id, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    params_of(&answer)
}

fn params_of(answer: &Value) -> Vec<(String, String)> {
    answer["params"].as_object().expect("params").iter().map(|(k, v)| (k.clone(), v.as_str().expect("string param").to_owned())).collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn set_param(params: &mut Vec<(String, String)>, name: &str, value: &str) {
    params.retain(|(k, _)| k != name);
    params.push((name.to_owned(), value.to_owned()));
}

fn form_body(params: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}

/// POSTs params to the launch page as the browser's form would; status, headers, HTML.
async fn launch(sandbox: &SandboxHandle, params: &[(String, String)]) -> (StatusCode, HeaderMap, String) {
    let response = http()
        .post(sandbox.openlearning_launch_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(params))
        .send()
        .await
        .expect("launch");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("HTML"))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The first seeded managed user: `(user id, external id, full name)`.
fn first_user(sandbox: &SandboxHandle) -> (String, String, String) {
    let user = sandbox.openlearning_users().into_iter().next().expect("managed users");
    (user.id, user.external_id.expect("external id"), user.full_name)
}

fn meta_error(body: &Value, status: u16) -> &str {
    assert_eq!(body["meta"]["status"], status, "{body}");
    body["meta"]["error"].as_str().expect("meta.error")
}

#[tokio::test]
async fn api_base_url_is_below_openlearning_without_a_trailing_slash() {
    let sandbox = start().await;
    assert_eq!(sandbox.openlearning_url(), format!("{}/openlearning/api/v2.1", sandbox.base_url()));
    assert_eq!(sandbox.openlearning_launch_url(), format!("{}/openlearning/lti/launch", sandbox.base_url()));
    let info: SandboxInfo = http().get(format!("{}/info", sandbox.admin_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(info.openlearning_url, sandbox.openlearning_url());
    assert_eq!(info.openlearning_launch_url, sandbox.openlearning_launch_url());
    assert_eq!(info.openlearning_institution_id, OPENLEARNING_INSTITUTION_ID);
    assert_eq!(info.openlearning_api_key, OPENLEARNING_API_KEY);
}

#[tokio::test]
async fn api_key_works_as_bearer_header_or_query_parameter() {
    let sandbox = start().await;
    let expected = json!({"data": [{"id": "demo-university", "name": "Demo University"}]});
    for key in [Key::Bearer(OPENLEARNING_API_KEY), Key::Query(OPENLEARNING_API_KEY)] {
        let (status, headers, body) = api_get(&sandbox, "/users/me/institutions/", key).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body, expected);
    }
    assert_eq!(sandbox.stats().openlearning_requests, 2);
}

#[tokio::test]
async fn missing_or_unknown_key_is_401() {
    let sandbox = start().await;
    let expected = json!({"meta": {"status": 401, "error": "Invalid or missing API key."}});
    for key in [Key::None, Key::Bearer("not-a-key"), Key::Query("not-a-key"), Key::Bearer("")] {
        for path in ["/users/me/institutions/", "/institutions/demo-university/managed-users/"] {
            let (status, _, body) = api_get(&sandbox, path, key).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(body, expected);
        }
    }
    let response = http().post(sign_on_url(&sandbox, OPENLEARNING_INSTITUTION_ID, "ol-u-000001")).json(&json!({})).send().await.unwrap();
    let (status, _, body) = read(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, expected);
    assert_eq!(sandbox.stats().openlearning_sign_ons, 0);
}

#[tokio::test]
async fn another_institutions_key_is_403_and_an_unknown_institution_404() {
    let sandbox = start().await;
    let other = Key::Bearer(OPENLEARNING_OTHER_INSTITUTION_KEY);
    let (status, _, body) = api_get(&sandbox, "/users/me/institutions/", other).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["id"], OPENLEARNING_OTHER_INSTITUTION_ID);

    let (_, external_id, _) = first_user(&sandbox);
    let path = format!("/institutions/demo-university/managed-users/?external_institution_id={external_id}");
    let (status, _, body) = api_get(&sandbox, &path, other).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({"meta": {"status": 403, "error": "You do not have permission to act for this institution."}}));
    let response = http()
        .post(sign_on_url(&sandbox, OPENLEARNING_INSTITUTION_ID, "ol-u-000001"))
        .header("authorization", format!("Bearer {OPENLEARNING_OTHER_INSTITUTION_KEY}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let (status, _, body) = api_get(&sandbox, "/institutions/no-such-university/managed-users/", OUR_KEY).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(meta_error(&body, 404), "Institution not found.");
}

#[tokio::test]
async fn managed_users_are_the_first_200_learners_linked_to_saml_demo_univ() {
    let sandbox = start().await;
    let users = sandbox.openlearning_users();
    let mappings = sandbox.mappings("saml-demo-univ");
    assert_eq!(users.len(), 202);
    for (user, mapping) in users.iter().zip(&mappings[..200]) {
        assert_eq!(user.external_id.as_deref(), Some(mapping.remote_id.as_str()));
        assert_eq!(user.email, sandbox.learner(&mapping.username).unwrap().email);
        assert!(user.id.starts_with("ol-u-") && !user.full_name.is_empty(), "{user:?}");
    }
    assert_eq!(users[0].id, "ol-u-000001");
    assert_eq!(users[200].id, OPENLEARNING_USER_WITHOUT_EXTERNAL_ID);
    assert_eq!(users[200].external_id, None);
    assert_eq!(users[201].id, OPENLEARNING_NON_MEMBER_USER_ID);

    // Same seed, same users; a tiny sandbox has fewer.
    assert_eq!(start().await.openlearning_users(), users);
    let tiny = start_with(crosswalk_sandbox::SandboxConfig { learners: 5, ..Default::default() }).await;
    assert_eq!(tiny.openlearning_users().len(), tiny.mapping_count("saml-demo-univ") + 2);
}

#[tokio::test]
async fn managed_user_is_found_by_external_id() {
    let sandbox = start().await;
    let user = sandbox.openlearning_users().into_iter().nth(7).unwrap();
    let external_id = user.external_id.clone().unwrap();
    let path = format!("/institutions/demo-university/managed-users/?external_institution_id={external_id}");
    let (status, _, body) = api_get(&sandbox, &path, OUR_KEY).await;
    assert_eq!(status, StatusCode::OK);
    let item = json!({"user": {"id": user.id, "full_name": user.full_name, "email": user.email}, "external_institution_id": external_id});
    assert_eq!(body, json!({ "data": [item.clone()] }));

    let (status, _, body) = api_get(&sandbox, &format!("/institutions/demo-university/managed-users/{}/", user.id), OUR_KEY).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "data": item }));

    let path = "/institutions/demo-university/managed-users/?external_institution_id=s0000000-nobody";
    let (status, _, body) = api_get(&sandbox, path, Key::Query(OPENLEARNING_API_KEY)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"data": []}));

    let (status, _, body) = api_get(&sandbox, "/institutions/demo-university/managed-users/", OUR_KEY).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"].as_array().unwrap().len(), 201, "members, without the non-member");

    for missing in ["ol-u-999999", OPENLEARNING_NON_MEMBER_USER_ID] {
        let (status, _, body) = api_get(&sandbox, &format!("/institutions/demo-university/managed-users/{missing}/"), OUR_KEY).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(meta_error(&body, 404).contains("institution"));
    }
}

#[tokio::test]
async fn sign_on_answers_a_signed_lti_launch() {
    let sandbox = start().await;
    let (user_id, _, full_name) = first_user(&sandbox);
    let user = sandbox.openlearning_users().into_iter().next().unwrap();
    let (status, answer) = sign_on(&sandbox, &user_id, json!({"class_id": OPENLEARNING_CLASS_INTRO_DATA})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["url"], format!("{}/openlearning/lti/launch", sandbox.base_url()));
    assert_eq!(answer["method"], "POST");
    let params = params_of(&answer);
    for (name, value) in [
        ("lti_message_type", "basic-lti-launch-request"),
        ("lti_version", "LTI-1p0"),
        ("user_id", user_id.as_str()),
        ("roles", "Learner"),
        ("custom_class_id", OPENLEARNING_CLASS_INTRO_DATA),
        ("lis_person_contact_email_primary", user.email.as_str()),
        ("lis_person_name_full", full_name.as_str()),
        ("oauth_consumer_key", OPENLEARNING_LTI_CONSUMER_KEY),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_version", "1.0"),
        ("oauth_callback", "about:blank"),
    ] {
        assert_eq!(param(&params, name), Some(value), "{name}");
    }
    assert_eq!(param(&params, "context_id"), None);
    assert!(param(&params, "resource_link_id").is_some_and(|v| !v.is_empty()));
    let timestamp: i64 = param(&params, "oauth_timestamp").unwrap().parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() <= 5);
    let nonce = param(&params, "oauth_nonce").unwrap().to_owned();
    assert!(nonce.len() >= 32, "{nonce}");
    assert!(oauth1::verify("POST", answer["url"].as_str().unwrap(), &params, &sandbox.openlearning_lti_consumer_secret()));

    // Every answer is a fresh launch; email and full_name given are what is sent.
    let again = launch_params(&sandbox, &user_id, json!({"email": "other@example.org", "full_name": "Other Name"})).await;
    assert_ne!(param(&again, "oauth_nonce"), Some(nonce.as_str()));
    assert_eq!(param(&again, "lis_person_contact_email_primary"), Some("other@example.org"));
    assert_eq!(param(&again, "lis_person_name_full"), Some("Other Name"));
    assert_eq!(param(&again, "custom_class_id"), None);
    assert_eq!(sandbox.stats().openlearning_sign_ons, 2);
    assert!(sandbox.openlearning_launches().is_empty(), "signing on is not launching");
}

#[tokio::test]
async fn sign_on_answer_can_be_wrapped_in_data() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    assert_eq!(sandbox.openlearning_envelope(), OpenLearningEnvelope::Plain);
    sandbox.set_openlearning_envelope(OpenLearningEnvelope::Data);
    let (status, answer) = sign_on(&sandbox, &user_id, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer.as_object().unwrap().len(), 1, "{answer}");
    assert_eq!(answer["data"]["method"], "POST");
    assert_eq!(answer["data"]["url"], sandbox.openlearning_launch_url());
    let (status, _, _) = launch(&sandbox, &params_of(&answer["data"])).await;
    assert_eq!(status, StatusCode::OK);

    // And back, over the admin route.
    let url = format!("{}/openlearning/envelope", sandbox.admin_url());
    let set: Value = http().put(&url).json(&json!("plain")).send().await.unwrap().json().await.unwrap();
    assert_eq!(set, json!({"envelope": "plain"}));
    let (_, answer) = sign_on(&sandbox, &user_id, json!({})).await;
    assert_eq!(answer["method"], "POST");
    http().put(&url).json(&json!({"envelope": "data"})).send().await.unwrap();
    let got: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(got, json!({"envelope": "data"}));
    assert_eq!(sandbox.openlearning_envelope(), OpenLearningEnvelope::Data);
}

#[tokio::test]
async fn sign_on_accepts_a_form_body() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    let body = form_body(&[("class_id".into(), OPENLEARNING_CLASS_ETHICS_AI.into()), ("full_name".into(), "Zoë Ö".into())]);
    let response = http()
        .post(format!("{}?api_key={OPENLEARNING_API_KEY}", sign_on_url(&sandbox, OPENLEARNING_INSTITUTION_ID, &user_id)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, _, answer) = read(response).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let params = params_of(&answer);
    assert_eq!(param(&params, "custom_class_id"), Some(OPENLEARNING_CLASS_ETHICS_AI));
    assert_eq!(param(&params, "lis_person_name_full"), Some("Zoë Ö"));
}

#[tokio::test]
async fn context_id_wins_over_class_id() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    let body = json!({"class_id": OPENLEARNING_CLASS_ETHICS_AI, "context_id": OPENLEARNING_LINKED_CONTEXT});
    let params = launch_params(&sandbox, &user_id, body).await;
    assert_eq!(param(&params, "context_id"), Some(OPENLEARNING_LINKED_CONTEXT));
    assert_eq!(param(&params, "custom_class_id"), None);
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("enrolled in {INTRO_DATA_NAME}")), "{html}");
    // Even an unknown class id is ignored when a context id is given.
    let body = json!({"class_id": "class-nope", "context_id": OPENLEARNING_LINKED_CONTEXT});
    assert_eq!(sign_on(&sandbox, &user_id, body).await.0, StatusCode::OK);
}

#[tokio::test]
async fn sign_on_refuses_unknown_users_users_without_external_id_and_non_members() {
    let sandbox = start().await;
    let (status, body) = sign_on(&sandbox, "ol-u-999999", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"meta": {"status": 404, "error": "User not found in this institution."}}));

    let (status, body) = sign_on(&sandbox, OPENLEARNING_USER_WITHOUT_EXTERNAL_ID, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(meta_error(&body, 400).contains("external ID"), "{body}");

    let (status, body) = sign_on(&sandbox, OPENLEARNING_NON_MEMBER_USER_ID, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(meta_error(&body, 404).contains("not a member of this institution"), "{body}");

    let (user_id, _, _) = first_user(&sandbox);
    let (status, body) = sign_on(&sandbox, &user_id, json!({"class_id": "class-nope"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(meta_error(&body, 404), "Class not found.");

    let response = http()
        .get(sign_on_url(&sandbox, OPENLEARNING_INSTITUTION_ID, &user_id))
        .header("authorization", format!("Bearer {OPENLEARNING_API_KEY}"))
        .send()
        .await
        .unwrap();
    let (status, headers, body) = read(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers["allow"], "POST");
    meta_error(&body, 405);
    assert_eq!(sandbox.stats().openlearning_sign_ons, 0);
}

#[tokio::test]
async fn signed_launch_signs_the_user_in_and_enrols_them() {
    let sandbox = start().await;
    let (user_id, _, full_name) = first_user(&sandbox);
    let params = launch_params(&sandbox, &user_id, json!({"class_id": OPENLEARNING_CLASS_INTRO_DATA})).await;
    let (status, headers, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(html.contains(&format!("<h1>Signed in as {}</h1>", html_escape(&full_name))), "{html}");
    assert!(html.contains(&format!("enrolled in {INTRO_DATA_NAME}")), "{html}");
    assert_eq!(
        sandbox.openlearning_launches(),
        vec![OpenLearningLaunch { user_id: user_id.clone(), class_id: Some(OPENLEARNING_CLASS_INTRO_DATA.into()), context_id: None }]
    );
    assert_eq!(sandbox.openlearning_used_nonce_count(), 1);
    assert_eq!(sandbox.stats().openlearning_launches, 1);

    // Without a class: signed in, enrolled in nothing.
    let params = launch_params(&sandbox, &user_id, json!({})).await;
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Signed in as") && !html.contains("enrolled in"), "{html}");
}

#[tokio::test]
async fn names_on_the_launch_page_are_html_escaped() {
    let sandbox = start().await;
    // Seeded family names include O'Brien; sign such a user on when the seed has one.
    let Some(user) = sandbox.openlearning_users().into_iter().find(|u| u.full_name.contains('\'') && u.external_id.is_some()) else {
        return;
    };
    let params = launch_params(&sandbox, &user.id, json!({})).await;
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<h1>Signed in as {}</h1>", html_escape(&user.full_name))), "{html}");
    assert!(!html.contains(&user.full_name));
}

#[tokio::test]
async fn a_launch_is_accepted_once() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    let params = launch_params(&sandbox, &user_id, json!({"class_id": OPENLEARNING_CLASS_INTRO_DATA})).await;
    assert_eq!(launch(&sandbox, &params).await.0, StatusCode::OK);
    let (status, headers, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(html.contains("<h1>This launch link has already been used</h1>"), "{html}");
    assert_eq!(sandbox.openlearning_launches().len(), 1);
}

#[tokio::test]
async fn a_tampered_launch_has_an_invalid_signature() {
    let sandbox = start().await;
    let users = sandbox.openlearning_users();
    let params = launch_params(&sandbox, &users[0].id, json!({"class_id": OPENLEARNING_CLASS_INTRO_DATA})).await;
    let mut cases = Vec::new();
    let mut other_user = params.clone();
    set_param(&mut other_user, "user_id", &users[1].id);
    cases.push(other_user);
    let mut other_class = params.clone();
    set_param(&mut other_class, "custom_class_id", OPENLEARNING_CLASS_ETHICS_AI);
    cases.push(other_class);
    let mut added = params.clone();
    added.push(("roles".into(), "Administrator".into()));
    cases.push(added);
    let mut unsigned = params.clone();
    unsigned.retain(|(k, _)| k != "oauth_signature");
    unsigned.push(("oauth_signature".into(), oauth1::sign("POST", &sandbox.openlearning_launch_url(), &params, "guessed secret")));
    cases.push(unsigned);
    for tampered in cases {
        let (status, _, html) = launch(&sandbox, &tampered).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("<h1>The launch signature is not valid</h1>"), "{html}");
    }
    // A rejected signature spends no nonce: the untouched launch still works.
    assert_eq!(launch(&sandbox, &params).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_old_launch_has_expired() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    let secret = sandbox.openlearning_lti_consumer_secret();
    let url = sandbox.openlearning_launch_url();

    // Re-signed with a timestamp ten minutes old: the signature is good, the time is not.
    let mut params = launch_params(&sandbox, &user_id, json!({})).await;
    let old = chrono::Utc::now().timestamp() - 600;
    set_param(&mut params, "oauth_timestamp", &old.to_string());
    let signature = oauth1::sign("POST", &url, &params, &secret);
    set_param(&mut params, "oauth_signature", &signature);
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("<h1>This launch link has expired</h1>"), "{html}");

    // Four minutes old is still fine.
    set_param(&mut params, "oauth_timestamp", &(old + 360).to_string());
    let signature = oauth1::sign("POST", &url, &params, &secret);
    set_param(&mut params, "oauth_signature", &signature);
    assert_eq!(launch(&sandbox, &params).await.0, StatusCode::OK);

    // A link signed now, used after OpenLearning's clock moved on by more than five minutes.
    let params = launch_params(&sandbox, &user_id, json!({})).await;
    sandbox.set_openlearning_clock_offset_secs(301);
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("This launch link has expired"), "{html}");
    sandbox.set_openlearning_clock_offset_secs(0);
    assert_eq!(launch(&sandbox, &params).await.0, StatusCode::OK, "an expired launch spends no nonce");
}

#[tokio::test]
async fn an_unlinked_context_is_refused_with_an_explanation() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    assert!(sandbox.openlearning_contexts().iter().any(|c| c.id == OPENLEARNING_UNLINKED_CONTEXT && c.class_id.is_none()));
    for context in [OPENLEARNING_UNLINKED_CONTEXT, "LMS-NEVER-SEEN"] {
        let params = launch_params(&sandbox, &user_id, json!({ "context_id": context })).await;
        let (status, _, html) = launch(&sandbox, &params).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(html.contains("<h1>This course is not yet linked to a class; an administrator must set it up</h1>"), "{html}");
        assert!(html.contains(context), "{html}");
    }
    assert!(sandbox.openlearning_launches().is_empty());
}

#[tokio::test]
async fn a_closed_class_refuses_learners_not_provisioned() {
    let sandbox = start().await;
    let closed = sandbox.openlearning_classes().into_iter().find(|c| c.id == OPENLEARNING_CLOSED_CLASS).unwrap();
    let users = sandbox.openlearning_users();
    assert_eq!(closed.enrolled_user_ids[0], users[0].id);

    let params = launch_params(&sandbox, &users[0].id, json!({ "class_id": OPENLEARNING_CLOSED_CLASS })).await;
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("enrolled in {}", html_escape(&closed.name))), "{html}");

    let params = launch_params(&sandbox, &users[50].id, json!({ "class_id": OPENLEARNING_CLOSED_CLASS })).await;
    let (status, _, html) = launch(&sandbox, &params).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("<h1>This class has not been provisioned for this learner</h1>"), "{html}");
}

#[tokio::test]
async fn launch_url_takes_only_post() {
    let sandbox = start().await;
    let response = http().get(sandbox.openlearning_launch_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Launches must be posted</h1>") && html.contains("launch button"), "{html}");

    // A post that is no launch at all.
    let (status, _, html) = launch(&sandbox, &[("hello".into(), "world".into())]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("<h1>This is not a valid launch</h1>"), "{html}");
}

#[tokio::test]
async fn knobs_apply_to_the_openlearning_api() {
    let sandbox = start().await;
    let (user_id, _, _) = first_user(&sandbox);
    sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 503, probability: 1.0 }], ..Knobs::default() });
    let (status, headers, _) = api_get(&sandbox, "/users/me/institutions/", OUR_KEY).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
    sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 403, probability: 1.0 }], ..Knobs::default() });
    let (status, body) = sign_on(&sandbox, &user_id, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    meta_error(&body, 403);
    assert_eq!(sandbox.stats().status_faults, 2);
    assert_eq!(sandbox.stats().openlearning_sign_ons, 0);

    sandbox.set_knobs(Knobs { latency_ms: 300, ..Knobs::default() });
    let started = Instant::now();
    let params = launch_params(&sandbox, &user_id, json!({})).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(launch(&sandbox, &params).await.0, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}
