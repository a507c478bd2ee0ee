//! The OOAPI v5 home institution, its authorization server and the enrollment receiver
//! (`shared/reference/ooapi-enrollment.md`), driven over HTTP.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crosswalk_sandbox::{
    Knobs, OoapiFault, OoapiScenario, OoapiState, RateLimitFault, SandboxHandle, SandboxInfo, StatusFault, OOAPI_CLIENT_ID,
    OOAPI_CLIENT_SECRET, OOAPI_DENIAL_REASON, OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, OOAPI_RECEIVER_PASSWORD,
    OOAPI_RECEIVER_USER, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET,
};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

const HOST_SCOPE: &str = "email schac_personal_unique_code home.example.edu/persons home.example.edu/results";
const MERGE_PATCH: &str = "application/merge-patch+json";

/// A `client_credentials` token (Basic auth), optionally for fewer scopes.
async fn client_token(sandbox: &SandboxHandle, id: &str, secret: &str, scope: Option<&str>) -> (StatusCode, Value) {
    let mut body = "grant_type=client_credentials".to_owned();
    if let Some(scope) = scope {
        body.push_str(&format!("&scope={}", form_encode(scope)));
    }
    let response = http()
        .post(sandbox.ooapi_token_url())
        .header("authorization", basic(id, secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("token request");
    let (status, _, json) = read(response).await;
    (status, json)
}

/// The host's access token with every scope.
async fn host_token(sandbox: &SandboxHandle) -> String {
    let (status, json) = client_token(sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["access_token"].as_str().expect("access_token").to_owned()
}

/// A student's token from the admin route.
async fn student_token(sandbox: &SandboxHandle, person_id: &str, scope: Option<&str>) -> String {
    let mut body = json!({ "personId": person_id });
    if let Some(scope) = scope {
        body["scope"] = json!(scope);
    }
    let response = http().post(format!("{}/ooapi/student-token", sandbox.admin_url())).json(&body).send().await.unwrap();
    let (status, _, json) = read(response).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["access_token"].as_str().expect("access_token").to_owned()
}

async fn introspect(sandbox: &SandboxHandle, id: &str, secret: &str, token: &str) -> (StatusCode, Value) {
    let response = http()
        .post(sandbox.ooapi_introspection_url())
        .header("authorization", basic(id, secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={}", form_encode(token)))
        .send()
        .await
        .unwrap();
    let (status, _, json) = read(response).await;
    (status, json)
}

/// A request with an optional bearer token and an optional body of `content_type`.
async fn call(method: Method, url: &str, token: Option<&str>, body: Option<&Value>, content_type: &str) -> (StatusCode, HeaderMap, Value) {
    let mut request = http().request(method, url);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request.header("content-type", content_type).body(body.to_string());
    }
    read(request.send().await.expect("request")).await
}

/// A request to the receiver with the SIS's credentials.
async fn receiver(sandbox: &SandboxHandle, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, HeaderMap, Value) {
    let mut request = http()
        .request(method, format!("{}{path}", sandbox.ooapi_receiver_url()))
        .header("authorization", basic(OOAPI_RECEIVER_USER, OOAPI_RECEIVER_PASSWORD));
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    read(request.send().await.expect("receiver request")).await
}

/// A POST body for the first seeded offering, under another offering code.
fn body_with_code(sandbox: &SandboxHandle, code: &str, remote_state: OoapiState) -> Value {
    let mut body = sandbox.ooapi_offerings()[0].association_body(remote_state);
    body["offering"]["primaryCode"]["code"] = json!(code);
    body
}

fn default_body(sandbox: &SandboxHandle) -> Value {
    sandbox.ooapi_offerings()[1].association_body(OoapiState::Associated)
}

/// POSTs as the host for `person_id`.
async fn post_for(sandbox: &SandboxHandle, token: &str, person_id: &str, body: &Value) -> (StatusCode, HeaderMap, Value) {
    let url = format!("{}/external/{person_id}", sandbox.ooapi_associations_url());
    call(Method::POST, &url, Some(token), Some(body), "application/json").await
}

async fn association(sandbox: &SandboxHandle, token: &str, id: &str) -> Value {
    let (status, _, json) = call(Method::GET, &format!("{}/{id}", sandbox.ooapi_associations_url()), Some(token), None, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json
}

fn assert_problem(status: StatusCode, headers: &HeaderMap, json: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{json}");
    assert_eq!(headers["content-type"], "application/problem+json", "{json}");
    assert_eq!(json["status"], json!(expected.as_u16().to_string()), "v5 problem status is a string: {json}");
    assert!(json["title"].as_str().is_some_and(|t| !t.is_empty()), "{json}");
}

fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12] && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn first_person(sandbox: &SandboxHandle) -> String {
    sandbox.ooapi_persons()[0].person_id.clone()
}

#[tokio::test]
async fn token_endpoint_grants_scopes_and_refuses_wrong_credentials() {
    let sandbox = start().await;
    let (status, json) = client_token(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["expires_in"], 3600);
    assert_eq!(json["scope"], HOST_SCOPE);
    let (_, subset) = client_token(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, Some("email home.example.edu/persons")).await;
    assert_eq!(subset["scope"], "email home.example.edu/persons");
    let (status, json) = client_token(&sandbox, OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, None).await;
    assert_eq!((status, json["scope"].clone()), (StatusCode::OK, json!("email")));
    let (status, json) = client_token(&sandbox, OOAPI_CLIENT_ID, "wrong", None).await;
    assert_eq!((status, json), (StatusCode::UNAUTHORIZED, json!({"error": "invalid_client"})));
    let (status, json) = client_token(&sandbox, OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, Some(HOST_SCOPE)).await;
    assert_eq!((status, json["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_scope")));
    // Credentials in the body work too.
    let body = format!("grant_type=client_credentials&client_id={OOAPI_CLIENT_ID}&client_secret={OOAPI_CLIENT_SECRET}");
    let response =
        http().post(sandbox.ooapi_token_url()).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sandbox.stats().ooapi_auth_requests, 6);
}

#[tokio::test]
async fn introspection_describes_active_tokens_for_the_resource_server_only() {
    let sandbox = start().await;
    let token = host_token(&sandbox).await;
    let (status, json) = introspect(&sandbox, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["active"], true);
    assert_eq!(json["scope"], HOST_SCOPE);
    assert_eq!(json["client_id"], OOAPI_CLIENT_ID);
    assert_eq!(json["aud"], OOAPI_RESOURCE_CLIENT_ID);
    assert_eq!(json["exp"].as_i64().unwrap() - json["iat"].as_i64().unwrap(), 3600);
    assert!(json["sub"].is_string());

    let person = sandbox.ooapi_persons()[3].clone();
    let student = student_token(&sandbox, &person.person_id, None).await;
    let (_, json) = introspect(&sandbox, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, &student).await;
    assert_eq!(json["active"], true);
    assert_eq!(json["email"], person.mail);
    assert_eq!(json["sub"], person.person_id);

    let (status, json) = introspect(&sandbox, OOAPI_RESOURCE_CLIENT_ID, "wrong", &token).await;
    assert_eq!((status, json["error"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_client")));
    let (status, _) = introspect(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "only the resource server introspects");
    let (status, json) = introspect(&sandbox, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, "garbage").await;
    assert_eq!((status, json), (StatusCode::OK, json!({"active": false})));
}

#[tokio::test]
async fn tokens_expire_on_the_virtual_clock() {
    let sandbox = start().await;
    let token = host_token(&sandbox).await;
    let url = format!("{}/{}", sandbox.ooapi_persons_url(), first_person(&sandbox));
    assert_eq!(call(Method::GET, &url, Some(&token), None, "").await.0, StatusCode::OK);
    // Over HTTP, as a script would.
    let response = http().post(format!("{}/ooapi/advance?secs=3600", sandbox.admin_url())).send().await.unwrap();
    let (status, _, json) = read(response).await;
    assert_eq!((status, json["offset_secs"].clone()), (StatusCode::OK, json!(3600)));
    let (_, json) = introspect(&sandbox, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, &token).await;
    assert_eq!(json, json!({"active": false}));
    let (status, headers, json) = call(Method::GET, &url, Some(&token), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::UNAUTHORIZED);
    assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
}

#[tokio::test]
async fn every_home_endpoint_wants_an_active_token_with_its_scope() {
    let sandbox = start().await;
    let person = first_person(&sandbox);
    let host = host_token(&sandbox).await;
    let (status, _, created) = post_for(&sandbox, &host, &person, &default_body(&sandbox)).await;
    assert_eq!(status, StatusCode::CREATED);
    let created = created["associationId"].as_str().unwrap().to_owned();
    let (_, no_scope) = client_token(&sandbox, OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET, None).await;
    let no_scope = no_scope["access_token"].as_str().unwrap().to_owned();
    let (_, persons_only) = client_token(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, Some("email home.example.edu/persons")).await;
    let persons_only = persons_only["access_token"].as_str().unwrap().to_owned();
    let (_, results_only) = client_token(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, Some("email home.example.edu/results")).await;
    let results_only = results_only["access_token"].as_str().unwrap().to_owned();
    let student_without_scopes = student_token(&sandbox, &person, Some("openid email")).await;

    let persons = sandbox.ooapi_persons_url();
    let associations = sandbox.ooapi_associations_url();
    let body = default_body(&sandbox);
    let patch = json!({"remoteState": "associated"});
    let endpoints: Vec<(Method, String, Option<&Value>, &str, &str)> = vec![
        (Method::GET, format!("{persons}/me"), None, "", "persons"),
        (Method::GET, format!("{persons}/{person}"), None, "", "persons"),
        (Method::POST, format!("{associations}/external/me"), Some(&body), "application/json", "results"),
        (Method::POST, format!("{associations}/external/{person}"), Some(&body), "application/json", "results"),
        (Method::GET, format!("{associations}/{created}"), None, "", "results"),
        (Method::PATCH, format!("{associations}/{created}"), Some(&patch), MERGE_PATCH, "results"),
    ];
    let before = sandbox.ooapi_associations().len();
    for (method, url, body, content_type, scope) in endpoints {
        let (status, headers, json) = call(method.clone(), &url, None, body, content_type).await;
        assert_problem(status, &headers, &json, StatusCode::UNAUTHORIZED);
        let (status, headers, json) = call(method.clone(), &url, Some("garbage"), body, content_type).await;
        assert_problem(status, &headers, &json, StatusCode::UNAUTHORIZED);
        let (status, headers, json) = call(method.clone(), &url, Some(&no_scope), body, content_type).await;
        assert_problem(status, &headers, &json, StatusCode::FORBIDDEN);
        assert!(json["detail"].as_str().unwrap().contains("insufficient_scope"), "{json}");
        assert!(headers["www-authenticate"].to_str().unwrap().contains("insufficient_scope"));
        let wrong_scope = if scope == "persons" { &results_only } else { &persons_only };
        let (status, headers, json) = call(method.clone(), &url, Some(wrong_scope), body, content_type).await;
        assert_problem(status, &headers, &json, StatusCode::FORBIDDEN);
        let (status, headers, json) = call(method.clone(), &url, Some(&student_without_scopes), body, content_type).await;
        assert_problem(status, &headers, &json, StatusCode::FORBIDDEN);
    }
    assert_eq!(sandbox.ooapi_associations().len(), before, "refused POSTs create nothing");
}

#[tokio::test]
async fn persons_me_is_the_student_of_the_token() {
    let sandbox = start().await;
    let persons = sandbox.ooapi_persons();
    let (me, other) = (&persons[2], &persons[5]);
    let token = student_token(&sandbox, &me.person_id, None).await;
    let (status, headers, json) = call(Method::GET, &format!("{}/me", sandbox.ooapi_persons_url()), Some(&token), None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(json["personId"], me.person_id);
    assert!(is_uuid(json["personId"].as_str().unwrap()));
    assert_eq!(json["givenName"], me.given_name);
    assert_eq!(json["surname"], me.surname);
    assert_eq!(json["displayName"], me.display_name);
    assert_eq!(json["mail"], me.mail);
    assert_eq!(json["activeEnrollment"], true);
    assert_eq!(json["affiliations"], json!(["student"]));
    assert_eq!(json["primaryCode"]["codeType"], "studentNumber");
    assert!(json["primaryCode"]["code"].is_string());

    let own = call(Method::GET, &format!("{}/{}", sandbox.ooapi_persons_url(), me.person_id), Some(&token), None, "").await;
    assert_eq!(own.2, json);
    let (status, headers, body) =
        call(Method::GET, &format!("{}/{}", sandbox.ooapi_persons_url(), other.person_id), Some(&token), None, "").await;
    assert_problem(status, &headers, &body, StatusCode::FORBIDDEN);

    let host = host_token(&sandbox).await;
    let (status, _, body) = call(Method::GET, &format!("{}/{}", sandbox.ooapi_persons_url(), me.person_id), Some(&host), None, "").await;
    assert_eq!((status, body), (StatusCode::OK, json));
    let unknown = format!("{}/00000000-0000-4000-8000-000000000000", sandbox.ooapi_persons_url());
    let (status, headers, body) = call(Method::GET, &unknown, Some(&host), None, "").await;
    assert_problem(status, &headers, &body, StatusCode::NOT_FOUND);
    let (status, headers, body) = call(Method::GET, &format!("{}/me", sandbox.ooapi_persons_url()), Some(&host), None, "").await;
    assert_problem(status, &headers, &body, StatusCode::NOT_FOUND);
    assert!(!sandbox.ooapi_persons().last().unwrap().active_enrollment);
}

#[tokio::test]
async fn post_creates_an_association_and_answers_201() {
    let sandbox = start().await;
    let person = sandbox.ooapi_persons()[1].clone();
    let token = student_token(&sandbox, &person.person_id, None).await;
    let body = body_with_code(&sandbox, "SCN-APPROVE-ML", OoapiState::Pending);
    let url = format!("{}/external/me", sandbox.ooapi_associations_url());
    let (status, headers, json) = call(Method::POST, &url, Some(&token), Some(&body), "application/json").await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let id = json["associationId"].as_str().expect("associationId");
    assert!(is_uuid(id), "{id}");
    let message = json["message"].as_array().expect("message");
    assert!(!message.is_empty());
    assert_eq!(message[0]["language"], "en");
    assert!(message[0]["value"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(json["state"], "pending");
    assert_eq!(headers["location"], format!("/ooapi/home/associations/{id}"));
    assert_eq!(sandbox.ooapi_post_count(), 1);

    let at_home = sandbox.ooapi_associations().into_iter().find(|a| a.id == id).expect("stored");
    assert_eq!(at_home.person_id, person.person_id);
    assert_eq!(at_home.offering_id, body["offering"]["offeringId"].as_str().unwrap());
    assert_eq!((at_home.state, at_home.remote_state, at_home.result), (OoapiState::Pending, OoapiState::Pending, None));
    assert_eq!(at_home.scenario, OoapiScenario::PendingThenAssociated);
}

#[tokio::test]
async fn post_refuses_bad_bodies_and_unknown_people() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let person = first_person(&sandbox);
    let mut body = default_body(&sandbox);
    body.as_object_mut().unwrap().remove("remoteState");
    let (status, headers, json) = post_for(&sandbox, &host, &person, &body).await;
    assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    assert!(json["detail"].as_str().unwrap().contains("remoteState"), "{json}");
    for remote_state in [json!("cancelled"), json!("denied"), json!(3)] {
        body["remoteState"] = remote_state;
        let (status, headers, json) = post_for(&sandbox, &host, &person, &body).await;
        assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    }
    let mut body = default_body(&sandbox);
    body.as_object_mut().unwrap().remove("offering");
    let (status, headers, json) = post_for(&sandbox, &host, &person, &body).await;
    assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    let url = format!("{}/external/{person}", sandbox.ooapi_associations_url());
    let (status, headers, json) = call(Method::POST, &url, Some(&host), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    let (status, headers, json) = post_for(&sandbox, &host, "00000000-0000-4000-8000-000000000000", &default_body(&sandbox)).await;
    assert_problem(status, &headers, &json, StatusCode::NOT_FOUND);
    assert_eq!(sandbox.ooapi_associations().len(), sandbox.ooapi_demo_associations().len(), "nothing created");
}

#[tokio::test]
async fn get_association_answers_ids_or_expanded_objects_and_404_problems() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let person = sandbox.ooapi_persons()[4].clone();
    let body = body_with_code(&sandbox, "SCN-INSTANT-ML", OoapiState::Associated);
    let (_, _, created) = post_for(&sandbox, &host, &person.person_id, &body).await;
    let id = created["associationId"].as_str().unwrap();

    let json = association(&sandbox, &host, id).await;
    assert_eq!(json["associationId"], id);
    assert_eq!(json["associationType"], "courseOfferingAssociation");
    assert_eq!(json["role"], "student");
    assert_eq!(json["state"], "associated");
    assert_eq!(json["remoteState"], "associated");
    assert_eq!(json["person"], person.person_id);
    assert_eq!(json["offering"], body["offering"]["offeringId"]);
    assert!(json.get("result").is_none());

    let expanded = association(&sandbox, &host, &format!("{id}?expand=person,offering")).await;
    assert_eq!(expanded["person"]["personId"], person.person_id);
    assert_eq!(expanded["person"]["mail"], person.mail);
    assert_eq!(expanded["offering"], body["offering"]);
    let only_offering = association(&sandbox, &host, &format!("{id}?expand=offering")).await;
    assert_eq!((only_offering["person"].clone(), only_offering["offering"].clone()), (json!(person.person_id), body["offering"].clone()));

    let base = sandbox.ooapi_associations_url();
    let (status, headers, json) = call(Method::GET, &format!("{base}/{id}?expand=teacher"), Some(&host), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    let (status, headers, json) = call(Method::GET, &format!("{base}/00000000-0000-4000-8000-000000000000"), Some(&host), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::NOT_FOUND);
    // Another student's token does not see it.
    let other = student_token(&sandbox, &sandbox.ooapi_persons()[5].person_id, None).await;
    let (status, headers, json) = call(Method::GET, &format!("{base}/{id}"), Some(&other), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::NOT_FOUND);
    let own = student_token(&sandbox, &person.person_id, None).await;
    assert_eq!(association(&sandbox, &own, id).await["associationId"], id);
}

#[tokio::test]
async fn patch_takes_merge_patch_with_remote_state_and_results() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let (_, _, created) = post_for(&sandbox, &host, &first_person(&sandbox), &default_body(&sandbox)).await;
    let id = created["associationId"].as_str().unwrap().to_owned();
    let url = format!("{}/{id}", sandbox.ooapi_associations_url());

    let patch = json!({"remoteState": "canceled"});
    let (status, headers, json) = call(Method::PATCH, &url, Some(&host), Some(&patch), "text/plain").await;
    assert_problem(status, &headers, &json, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _, json) = call(Method::PATCH, &url, Some(&host), Some(&patch), MERGE_PATCH).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["associationId"], id);
    assert_eq!(json["message"][0]["language"], "en");
    assert!(json["state"].is_string());
    assert_eq!(association(&sandbox, &host, &id).await["remoteState"], "canceled");

    for bad in [
        json!({"remoteState": "pending"}),
        json!({"remoteState": "cancelled"}),
        json!({"result": {"state": "completed"}}),
        json!({"result": {"resultDate": "2026-07-01"}}),
        json!({"result": {"state": "done", "resultDate": "2026-07-01"}}),
        json!({"result": {"state": "completed", "resultDate": "yesterday"}}),
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": 8}}),
        // A course result needs its study load.
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "80"}}),
        // The score must fit the result value type (the offering's is 0-100; ext overrides it).
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "120", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "B", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "11", "studyLoad": {"studyLoadUnit": "ects", "value": 5}, "ext": {"resultValueType": "1-10"}}}),
        json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "A+", "studyLoad": {"studyLoadUnit": "ects", "value": 5}, "ext": {"resultValueType": "UK letter"}}}),
    ] {
        let (status, headers, json) = call(Method::PATCH, &url, Some(&host), Some(&bad), MERGE_PATCH).await;
        assert_problem(status, &headers, &json, StatusCode::BAD_REQUEST);
    }
    let result = json!({
        "state": "completed", "resultDate": "2026-07-01", "pass": "passed", "score": "8",
        "studyLoad": {"studyLoadUnit": "ects", "value": 5}, "ext": {"resultValueType": "1-10"},
    });
    // The receiver sends application/json with personId added: accepted too.
    let patch = json!({"remoteState": "associated", "result": result, "personId": first_person(&sandbox)});
    let (status, _, json) = call(Method::PATCH, &url, Some(&host), Some(&patch), "application/json; charset=utf-8").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let got = association(&sandbox, &host, &id).await;
    assert_eq!((got["remoteState"].clone(), got["result"].clone()), (json!("associated"), result.clone()));
    let at_home = sandbox.ooapi_associations().into_iter().find(|a| a.id == id).unwrap();
    assert_eq!(at_home.result, Some(result.clone()));
    assert_eq!(at_home.remote_state, OoapiState::Associated);

    // A second result wins; home keeps both; letters and pass-or-fail fit their own scales.
    let second = json!({
        "state": "completed", "resultDate": "2026-07-02", "pass": "passed", "score": "B+",
        "studyLoad": {"studyLoadUnit": "ects", "value": 5}, "ext": {"resultValueType": "US letter"},
    });
    let (status, _, json) = call(Method::PATCH, &url, Some(&host), Some(&json!({"result": second})), MERGE_PATCH).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let at_home = sandbox.ooapi_associations().into_iter().find(|a| a.id == id).unwrap();
    assert_eq!(at_home.result, Some(second.clone()));
    assert_eq!(at_home.results, vec![result, second]);

    // A result for an association home does not know: 404 problem+json.
    let unknown = format!("{}/{}", sandbox.ooapi_associations_url(), "00000000-0000-4000-8000-000000000000");
    let ok = json!({"result": {"state": "completed", "resultDate": "2026-07-01", "score": "80", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}});
    let (status, headers, json) = call(Method::PATCH, &unknown, Some(&host), Some(&ok), MERGE_PATCH).await;
    assert_problem(status, &headers, &json, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_scenario_moves_on_the_virtual_clock() {
    use OoapiState::*;
    let sandbox = start().await;
    let person = first_person(&sandbox);
    let host = host_token(&sandbox).await;
    let scenarios = OoapiScenario::ALL;
    let mut ids = Vec::new();
    for scenario in scenarios {
        let body = body_with_code(&sandbox, &format!("{}X1", scenario.code_prefix()), OoapiState::Associated);
        let (status, _, json) = post_for(&sandbox, &host, &person, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        ids.push(json["associationId"].as_str().unwrap().to_owned());
    }
    // (virtual seconds since creation, expected state per scenario in ALL's order)
    let timeline: [(i64, [OoapiState; 7]); 6] = [
        (0, [Associated, Pending, Pending, Queued, Pending, Associated, Pending]),
        (599, [Associated, Pending, Pending, Queued, Pending, Associated, Pending]),
        (600, [Associated, Associated, Denied, Associated, Pending, Associated, Associated]),
        (1_200, [Associated, Associated, Denied, Associated, Pending, Associated, Pending]),
        (1_800, [Associated, Associated, Denied, Associated, Pending, Associated, Associated]),
        (86_400, [Associated, Associated, Denied, Associated, Pending, Canceled, Associated]),
    ];
    let mut elapsed = 0;
    for (at, expected) in timeline {
        sandbox.ooapi_advance(at - elapsed);
        elapsed = at;
        let token = host_token(&sandbox).await;
        for ((id, scenario), state) in ids.iter().zip(scenarios).zip(expected) {
            let json = association(&sandbox, &token, id).await;
            assert_eq!(json["state"], state.as_str(), "{scenario} at +{at}s");
            // Asking twice gives the same answer.
            assert_eq!(association(&sandbox, &token, id).await["state"], state.as_str());
            if state == Denied {
                assert_eq!(json["message"][0]["value"], OOAPI_DENIAL_REASON);
            }
        }
    }
}

#[tokio::test]
async fn without_a_scenario_code_the_students_own_scenario_applies() {
    let sandbox = start().await;
    let persons = sandbox.ooapi_persons();
    let covered: HashSet<OoapiScenario> = persons.iter().map(|p| p.scenario).collect();
    assert_eq!(covered.len(), OoapiScenario::ALL.len(), "every scenario has students");
    let host = host_token(&sandbox).await;
    for person in persons.iter().take(7) {
        let (status, _, json) = post_for(&sandbox, &host, &person.person_id, &default_body(&sandbox)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(json["state"], person.scenario.state_after(0).as_str(), "{}", person.scenario);
        let id = json["associationId"].as_str().unwrap();
        let stored = sandbox.ooapi_associations().into_iter().find(|a| a.id == id).unwrap();
        assert_eq!(stored.scenario, person.scenario);
    }
    // Another seed gives the students other scenarios, the same seed the same ones.
    let again = start().await;
    assert_eq!(again.ooapi_persons(), persons);
    let other = start_with(crosswalk_sandbox::SandboxConfig { seed: 7, ..Default::default() }).await;
    assert_ne!(other.ooapi_persons(), persons);
}

#[tokio::test]
async fn create_then_fail_creates_one_association_directly_and_two_through_the_receiver() {
    let sandbox = start().await;
    sandbox.ooapi_set_fault(OoapiFault::CreateThenFail);
    let person = first_person(&sandbox);
    let host = host_token(&sandbox).await;
    let before = sandbox.ooapi_associations().len();
    let (status, headers, json) = post_for(&sandbox, &host, &person, &default_body(&sandbox)).await;
    assert_problem(status, &headers, &json, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(sandbox.ooapi_associations().len(), before + 1, "created, then failed");
    assert_eq!(sandbox.ooapi_post_count(), 1);

    let (status, _, json) =
        receiver(&sandbox, Method::POST, &format!("/associations/external/{person}"), Some(&default_body(&sandbox))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{json}");
    assert_eq!(json["error"], true);
    assert_eq!(json["status"], 500);
    let reference = json["reference"].as_u64().expect("numeric reference");
    assert!((1000..10_000).contains(&reference), "{reference}");
    let details = json["details"].as_str().expect("details");
    let home: Value = serde_json::from_str(details).expect("home's body as text");
    assert_eq!(home["status"], "500");
    assert!(json["message"].as_str().is_some_and(|m| m.contains("500")));
    assert!(json["description"].as_str().is_some_and(|d| d.contains("/ooapi/home/associations/external/me")));
    assert_eq!(sandbox.ooapi_associations().len(), before + 3, "the receiver re-sent the POST after the error");
    assert_eq!(sandbox.ooapi_post_count(), 3);
    assert_eq!(sandbox.ooapi_receiver_association_count(), 0);
}

#[tokio::test]
async fn receiver_forwards_with_the_students_token_and_remembers_201s() {
    let sandbox = start().await;
    let person = sandbox.ooapi_persons()[6].clone();
    let (status, _, json) = receiver(&sandbox, Method::GET, &format!("/person/{}", person.person_id), None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!((json["personId"].clone(), json["mail"].clone()), (json!(person.person_id), json!(person.mail)));

    let body = body_with_code(&sandbox, "SCN-QUEUE-X", OoapiState::Pending);
    let (status, _, json) = receiver(&sandbox, Method::POST, &format!("/associations/external/{}", person.person_id), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["state"], "queued");
    let id = json["associationId"].as_str().unwrap().to_owned();
    assert!(sandbox.ooapi_receiver_knows(&id));
    let at_home = sandbox.ooapi_associations().into_iter().find(|a| a.id == id).unwrap();
    assert_eq!(at_home.person_id, person.person_id);

    let (status, _, json) = receiver(&sandbox, Method::GET, &format!("/associations/{id}"), None).await;
    assert_eq!((status, json["state"].clone(), json["person"].clone()), (StatusCode::OK, json!("queued"), json!(person.person_id)));
    let (status, _, json) =
        receiver(&sandbox, Method::PATCH, &format!("/associations/{id}"), Some(&json!({"remoteState": "denied"}))).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["associationId"], id);
    assert_eq!(sandbox.ooapi_associations().into_iter().find(|a| a.id == id).unwrap().remote_state, OoapiState::Denied);
    assert_eq!(sandbox.stats().ooapi_receiver_requests, 4);
    assert_eq!(sandbox.stats().ooapi_home_requests, 4);
}

#[tokio::test]
async fn receiver_answers_409_for_what_it_does_not_know_and_401_without_the_sis_password() {
    let sandbox = start().await;
    let demo = &sandbox.ooapi_demo_associations()[0];
    let unknown_person = "00000000-0000-4000-8000-000000000000";
    for (method, path, body) in [
        (Method::POST, format!("/associations/external/{unknown_person}"), Some(default_body(&sandbox))),
        (Method::GET, format!("/person/{unknown_person}"), None),
        (Method::GET, format!("/associations/{}", demo.id), None),
        (Method::PATCH, format!("/associations/{}", demo.id), Some(json!({"remoteState": "canceled"}))),
    ] {
        let (status, _, json) = receiver(&sandbox, method.clone(), &path, body.as_ref()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method} {path}: {json}");
        assert_eq!(json["message"], "Enrollment not found.");
        assert_eq!(json["status"], 409);
    }
    let response = http()
        .get(format!("{}/person/{}", sandbox.ooapi_receiver_url(), first_person(&sandbox)))
        .header("authorization", basic(OOAPI_RECEIVER_USER, "wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = http().get(format!("{}/person/{}", sandbox.ooapi_receiver_url(), first_person(&sandbox))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sandbox.stats().ooapi_home_requests, 0, "nothing reached home");
}

#[tokio::test]
async fn receiver_wraps_home_errors_after_one_retry() {
    let sandbox = start().await;
    let person = first_person(&sandbox);
    let mut body = default_body(&sandbox);
    body.as_object_mut().unwrap().remove("remoteState");
    let (status, _, json) = receiver(&sandbox, Method::POST, &format!("/associations/external/{person}"), Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert_eq!(json["error"], true);
    assert_eq!(json["status"], 400);
    assert!(json["reference"].as_u64().is_some_and(|r| (1000..10_000).contains(&r)));
    let details: Value = serde_json::from_str(json["details"].as_str().unwrap()).unwrap();
    assert_eq!(details["status"], "400");
    assert!(details["detail"].as_str().unwrap().contains("remoteState"));
    for key in ["message", "description"] {
        assert!(json[key].as_str().is_some_and(|v| !v.is_empty()), "{key}: {json}");
    }
    assert_eq!(sandbox.ooapi_post_count(), 2, "sent once more after the error");

    // A token expired on the virtual clock costs one failed call, then the refreshed one works.
    let (status, _, _) = receiver(&sandbox, Method::GET, &format!("/person/{person}"), None).await;
    assert_eq!(status, StatusCode::OK);
    sandbox.ooapi_advance(4_000);
    let home_before = sandbox.stats().ooapi_home_requests;
    let (status, _, json) = receiver(&sandbox, Method::GET, &format!("/person/{person}"), None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(sandbox.stats().ooapi_home_requests - home_before, 2);
}

#[tokio::test]
async fn post_answering_200_leaves_the_receiver_without_the_id() {
    let sandbox = start().await;
    sandbox.ooapi_set_fault(OoapiFault::PostAnswers200);
    let person = first_person(&sandbox);
    let host = host_token(&sandbox).await;
    let (status, _, json) = post_for(&sandbox, &host, &person, &default_body(&sandbox)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(json["associationId"].is_string());
    let (status, _, json) =
        receiver(&sandbox, Method::POST, &format!("/associations/external/{person}"), Some(&default_body(&sandbox))).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let id = json["associationId"].as_str().unwrap().to_owned();
    assert!(sandbox.ooapi_associations().iter().any(|a| a.id == id), "home has it");
    assert!(!sandbox.ooapi_receiver_knows(&id));
    let (status, _, json) = receiver(&sandbox, Method::GET, &format!("/associations/{id}"), None).await;
    assert_eq!((status, json["message"].clone()), (StatusCode::CONFLICT, json!("Enrollment not found.")));
}

#[tokio::test]
async fn v6_spelling_says_cancelled_finished_and_integer_problem_status() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let person = first_person(&sandbox);
    let (_, _, cancels) = post_for(&sandbox, &host, &person, &body_with_code(&sandbox, "SCN-CANCEL-A", OoapiState::Associated)).await;
    let (_, _, completes) = post_for(&sandbox, &host, &person, &body_with_code(&sandbox, "SCN-INSTANT-A", OoapiState::Associated)).await;
    let (cancels, completes) = (cancels["associationId"].as_str().unwrap(), completes["associationId"].as_str().unwrap());
    sandbox.ooapi_set_fault(OoapiFault::V6Spelling);
    let url = format!("{}/{completes}", sandbox.ooapi_associations_url());
    let result = json!({"result": {"state": "completed", "resultDate": "2026-07-01", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}, "remoteState": "cancelled"});
    let (status, _, json) = call(Method::PATCH, &url, Some(&host), Some(&result), MERGE_PATCH).await;
    assert_eq!(status, StatusCode::OK, "v6 accepts `cancelled`: {json}");
    assert_eq!(json["state"], "finished");
    let got = association(&sandbox, &host, completes).await;
    assert_eq!((got["state"].clone(), got["remoteState"].clone()), (json!("finished"), json!("cancelled")));

    sandbox.ooapi_advance(86_400);
    let host = host_token(&sandbox).await;
    assert_eq!(association(&sandbox, &host, cancels).await["state"], "cancelled");
    let (status, headers, json) = call(Method::GET, &format!("{}/nope", sandbox.ooapi_associations_url()), Some(&host), None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(json["status"], 404, "an integer under v6: {json}");
    assert!(json["type"].is_string());

    // The knobs' problems are spelled the same way.
    sandbox.set_knobs(Knobs { rate_limit: Some(RateLimitFault { probability: 1.0, retry_after_secs: 1 }), ..Knobs::default() });
    let (status, _, json) = call(Method::GET, &format!("{}/{cancels}", sandbox.ooapi_associations_url()), Some(&host), None, "").await;
    assert_eq!((status, json["status"].clone()), (StatusCode::TOO_MANY_REQUESTS, json!(429)));
    sandbox.set_knobs(Knobs::default());

    sandbox.ooapi_set_fault(OoapiFault::None);
    assert_eq!(association(&sandbox, &host, cancels).await["state"], "canceled");
    assert_eq!(association(&sandbox, &host, completes).await["state"], "associated");
}

#[tokio::test]
async fn slow_fault_delays_every_home_answer() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    sandbox.ooapi_set_fault(OoapiFault::Slow(Duration::from_millis(400)));
    let url = format!("{}/{}", sandbox.ooapi_persons_url(), first_person(&sandbox));
    let started = Instant::now();
    let (status, _, _) = call(Method::GET, &url, Some(&host), None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
    sandbox.ooapi_set_fault(OoapiFault::None);
    let started = Instant::now();
    call(Method::GET, &url, Some(&host), None, "").await;
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn a_slow_home_still_creates_what_the_caller_gave_up_on() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let person = first_person(&sandbox);
    let before = sandbox.ooapi_associations().len();
    sandbox.ooapi_set_fault(OoapiFault::Slow(Duration::from_millis(600)));
    // A client that times out first.
    let url = format!("{}/external/{person}", sandbox.ooapi_associations_url());
    let outcome =
        reqwest::Client::new().post(&url).bearer_auth(&host).json(&default_body(&sandbox)).timeout(Duration::from_millis(150)).send().await;
    assert!(outcome.is_err_and(|e| e.is_timeout()));
    assert_eq!(sandbox.ooapi_associations().len(), before, "not yet");
    // The receiver gives up after its timeout with Spring's 500 and no retry.
    sandbox.ooapi_set_receiver_timeout(Duration::from_millis(150));
    let started = Instant::now();
    let (status, _, json) =
        receiver(&sandbox, Method::POST, &format!("/associations/external/{person}"), Some(&default_body(&sandbox))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{json}");
    assert!(json["message"].as_str().unwrap().ends_with("timeout"), "{json}");
    assert!(started.elapsed() < Duration::from_millis(600));
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(sandbox.ooapi_associations().len(), before + 2, "home finished both");
    assert_eq!(sandbox.ooapi_post_count(), 2);
    assert_eq!(sandbox.ooapi_receiver_association_count(), 0);
}

#[tokio::test]
async fn generic_knobs_fault_the_home_endpoints_but_not_the_token_endpoint() {
    let sandbox = start().await;
    let host = host_token(&sandbox).await;
    let url = format!("{}/{}", sandbox.ooapi_persons_url(), first_person(&sandbox));
    sandbox.set_knobs(Knobs { rate_limit: Some(RateLimitFault { probability: 1.0, retry_after_secs: 9 }), ..Knobs::default() });
    let (status, headers, json) = call(Method::GET, &url, Some(&host), None, "").await;
    assert_problem(status, &headers, &json, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "9");
    sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 503, probability: 1.0 }], ..Knobs::default() });
    let (status, _, _) = call(Method::GET, &url, Some(&host), None, "").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = client_token(&sandbox, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, None).await;
    assert_eq!(status, StatusCode::OK, "the token endpoint is faulted only with faults_on_token_endpoint");
    // Limited to a path (relative to /ooapi): persons answer, associations fail.
    sandbox.set_knobs(Knobs {
        faults: vec![StatusFault { status: 502, probability: 1.0 }],
        faults_path_contains: Some("/home/associations/".to_owned()),
        ..Knobs::default()
    });
    assert_eq!(call(Method::GET, &url, Some(&host), None, "").await.0, StatusCode::OK);
    let demo = &sandbox.ooapi_demo_associations()[0].id;
    let (status, _, _) = call(Method::GET, &format!("{}/{demo}", sandbox.ooapi_associations_url()), Some(&host), None, "").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 503, probability: 1.0 }], ..Knobs::default() });
    // The receiver's forwarded calls meet them too: two tries, then home's 503 wrapped.
    let before = sandbox.stats().status_faults;
    let (status, _, json) = receiver(&sandbox, Method::GET, &format!("/person/{}", first_person(&sandbox)), None).await;
    assert_eq!((status, json["status"].clone()), (StatusCode::SERVICE_UNAVAILABLE, json!(503)));
    assert_eq!(sandbox.stats().status_faults - before, 2);
}

#[tokio::test]
async fn demo_associations_cover_every_state_and_move_on_the_clock() {
    let sandbox = start().await;
    let demo = sandbox.ooapi_demo_associations();
    assert!((30..=40).contains(&demo.len()), "{}", demo.len());
    let states: HashSet<OoapiState> = demo.iter().map(|a| a.state).collect();
    assert_eq!(states, OoapiState::ALL.into_iter().collect::<HashSet<_>>());
    let scenarios: HashSet<OoapiScenario> = demo.iter().map(|a| a.scenario).collect();
    assert_eq!(scenarios.len(), OoapiScenario::ALL.len());
    let now = sandbox.ooapi_now();
    let stuck = demo.iter().filter(|a| a.state == OoapiState::Pending && now - a.created > chrono::TimeDelta::days(14)).count();
    assert!(stuck >= 3, "pending for weeks: {stuck}");
    let offerings: HashSet<String> = sandbox.ooapi_offerings().into_iter().map(|o| o.offering_id).collect();
    let persons: HashSet<String> = sandbox.ooapi_persons().into_iter().map(|p| p.person_id).collect();
    for a in &demo {
        assert!(offerings.contains(&a.offering_id) && persons.contains(&a.person_id));
        assert!(!a.offering_code.is_empty() && !a.offering_name.is_empty());
        assert!(a.start_date < a.end_date);
    }
    // The API agrees with the snapshot.
    let host = host_token(&sandbox).await;
    for a in &demo {
        let json = association(&sandbox, &host, &a.id).await;
        assert_eq!(json["state"], a.state.as_str());
        assert_eq!(json["remoteState"], a.remote_state.as_str());
    }
    // Those associated with an offering that has ended carry a grade.
    let graded: Vec<_> = demo.iter().filter(|a| a.result.is_some()).collect();
    assert!(!graded.is_empty());
    for a in graded {
        assert!(a.end_date < now.date_naive() && a.state == OoapiState::Associated);
        let json = association(&sandbox, &host, &a.id).await;
        assert_eq!(json["result"]["state"], "completed");
        assert!(json["result"]["score"].is_string() && json["result"]["resultDate"].is_string());
    }
    // Some move within ten virtual minutes.
    sandbox.ooapi_advance(600);
    let later = sandbox.ooapi_demo_associations();
    let moved = demo.iter().zip(&later).filter(|(a, b)| a.state != b.state).count();
    assert!(moved >= 5, "{moved} moved");
    let response = http().get(format!("{}/ooapi/demo-associations", sandbox.admin_url())).send().await.unwrap();
    let over_http: Vec<Value> = response.json().await.unwrap();
    assert_eq!(over_http.len(), demo.len());
}

#[tokio::test]
async fn admin_routes_set_faults_and_info_lists_the_ooapi_urls() {
    let sandbox = start().await;
    let url = format!("{}/ooapi/fault", sandbox.admin_url());
    let response = http().put(&url).json(&json!({"fault": "slow", "delay_ms": 21000})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sandbox.ooapi_fault(), OoapiFault::Slow(Duration::from_millis(21_000)));
    http().put(&url).json(&json!("create_then_fail")).send().await.unwrap();
    assert_eq!(sandbox.ooapi_fault(), OoapiFault::CreateThenFail);
    let got: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(got, json!({"fault": "create_then_fail"}));
    let response = http().put(&url).json(&json!({"fault": "sometimes"})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response =
        http().post(format!("{}/ooapi/student-token", sandbox.admin_url())).json(&json!({"personId": "nobody"})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let info: SandboxInfo = http().get(format!("{}/info", sandbox.admin_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(info, sandbox.info());
    assert_eq!(info.ooapi_url, sandbox.ooapi_url());
    assert_eq!(info.ooapi_url, format!("{}/ooapi", sandbox.base_url()));
    assert_eq!(info.ooapi_persons_url, format!("{}/ooapi/home/persons", sandbox.base_url()));
    assert_eq!(info.ooapi_associations_url, format!("{}/ooapi/home/associations", sandbox.base_url()));
    assert_eq!(info.ooapi_token_url, format!("{}/ooapi/auth/token", sandbox.base_url()));
    assert_eq!(info.ooapi_introspection_url, format!("{}/ooapi/auth/introspect", sandbox.base_url()));
    assert_eq!(info.ooapi_receiver_url, format!("{}/ooapi/receiver", sandbox.base_url()));
}
