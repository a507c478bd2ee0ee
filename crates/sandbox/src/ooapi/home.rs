//! The home institution's four endpoints (`/ooapi/home/...`), and `GET /persons/{personId}` for
//! a host acting with its own client token. [`serve`] takes a plain request, so the enrollment
//! receiver can forward to it in-process.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::auth::{authorize, Caller};
use super::problem::{self, message, Problem};
use super::scenarios::{OoapiScenario, OoapiState, OOAPI_DENIAL_REASON};
use super::store::Stored;
use super::{no_such_endpoint, Ooapi, OoapiFault, OOAPI_PERSONS_SCOPE, OOAPI_RESULTS_SCOPE, PATH_PREFIX};

/// Largest request body read.
const BODY_LIMIT: usize = 1 << 20;

/// The axum handler for every `/home/...` path. Home finishes what it started even when the
/// caller stops waiting (a client timing out on a slow POST still leaves the association).
pub(crate) async fn entry(State(ooapi): State<Arc<Ooapi>>, request: Request) -> Response {
    let v6 = ooapi.v6();
    tokio::spawn(serve(ooapi, request)).await.unwrap_or_else(|_| {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "the request could not be handled").respond(v6)
    })
}

/// Answers one request whose path is `/home/...` (with or without the `/ooapi` prefix).
pub(crate) async fn serve(ooapi: Arc<Ooapi>, request: Request) -> Response {
    if let OoapiFault::Slow(delay) = ooapi.fault() {
        tokio::time::sleep(delay).await;
    }
    let v6 = ooapi.v6();
    if let Some(wait) = ooapi.rate_limit(request.uri().path()) {
        let mut response = Problem::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests", format!("try again in {wait} s")).respond(v6);
        if let Ok(value) = axum::http::HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        return response;
    }
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let path = path.strip_prefix(PATH_PREFIX).unwrap_or(path);
    let rest = path.strip_prefix("/home").unwrap_or(path);
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    let method = &parts.method;
    let headers = &parts.headers;
    let answer = match segments.as_slice() {
        ["persons", who] => match *method {
            Method::GET => person(&ooapi, headers, who),
            _ => Err(Problem::method_not_allowed("GET")),
        },
        ["associations", "external", who] => match *method {
            Method::POST => {
                ooapi.count_post();
                match read_body(body).await {
                    Ok(bytes) => create(&ooapi, headers, who, &bytes),
                    Err(problem) => Err(problem),
                }
            }
            _ => Err(Problem::method_not_allowed("POST")),
        },
        ["associations", id] => match *method {
            Method::GET => association(&ooapi, headers, id, parts.uri.query()),
            Method::PATCH => match read_body(body).await {
                Ok(bytes) => update(&ooapi, headers, id, &bytes),
                Err(problem) => Err(problem),
            },
            _ => Err(Problem::method_not_allowed("GET, PATCH")),
        },
        _ => return no_such_endpoint(v6),
    };
    answer.unwrap_or_else(|problem| ooapi.refuse(problem))
}

async fn read_body(body: Body) -> Result<Vec<u8>, Problem> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map(|b| b.to_vec()).map_err(|_| Problem::bad_request("the body could not be read"))
}

/// `GET /persons/me` and `GET /persons/{personId}`.
fn person(ooapi: &Ooapi, headers: &HeaderMap, who: &str) -> Result<Response, Problem> {
    let caller = authorize(ooapi, headers, OOAPI_PERSONS_SCOPE)?;
    let person = match (&caller, who) {
        (Caller::Student(person), "me") => person.clone(),
        (Caller::Client, "me") => {
            return Err(Problem::not_found(
                "Person not found",
                "this token belongs to no person (a client's own token): use /persons/{personId}",
            ))
        }
        (caller, person_id) => {
            if !caller.may_act_for(person_id) {
                return Err(Problem::forbidden("a student's token may read only that student"));
            }
            ooapi.person(person_id).cloned().ok_or_else(|| Problem::not_found("Person not found", format!("no person {person_id}")))?
        }
    };
    Ok(problem::json(StatusCode::OK, &person.to_json()))
}

/// The body's JSON object, or 400.
fn object(bytes: &[u8]) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Problem::bad_request("the body must be a JSON object")),
        Err(error) => Err(Problem::bad_request(format!("the body is not valid JSON: {error}"))),
    }
}

/// `POST /associations/external/me` and `POST /associations/external/{personId}`.
fn create(ooapi: &Ooapi, headers: &HeaderMap, who: &str, bytes: &[u8]) -> Result<Response, Problem> {
    let v6 = ooapi.v6();
    let caller = authorize(ooapi, headers, OOAPI_RESULTS_SCOPE)?;
    let person = match (&caller, who) {
        (Caller::Student(person), "me") => person.clone(),
        (Caller::Client, "me") => {
            return Err(Problem::not_found("Person not found", "this token belongs to no person: use /associations/external/{personId}"))
        }
        (caller, person_id) => {
            if !caller.may_act_for(person_id) {
                return Err(Problem::forbidden("a student's token may enroll only that student"));
            }
            ooapi.person(person_id).cloned().ok_or_else(|| Problem::not_found("Person not found", format!("no person {person_id}")))?
        }
    };
    let body = object(bytes)?;
    let remote_state = match body.get("remoteState") {
        None | Some(Value::Null) => return Err(Problem::bad_request("`remoteState` is required")),
        Some(value) => value
            .as_str()
            .and_then(|s| OoapiState::parse(s, v6))
            .filter(|s| matches!(s, OoapiState::Associated | OoapiState::Pending | OoapiState::Queued))
            .ok_or_else(|| Problem::bad_request(format!("`remoteState` must be associated, pending or queued, not {value}")))?,
    };
    let role = match body.get("role") {
        None => "student".to_owned(),
        Some(value) => value
            .as_str()
            .filter(|r| ["student", "lecturer", "teaching assistant", "coordinator", "guest"].contains(r))
            .ok_or_else(|| Problem::bad_request(format!("`role` is not an associationRole: {value}")))?
            .to_owned(),
    };
    let Some(offering) = body.get("offering").filter(|o| o.is_object()) else {
        return Err(Problem::bad_request("`offering` (an object) is required"));
    };
    let Some(offering_id) = offering.get("offeringId").and_then(Value::as_str).filter(|id| !id.is_empty()) else {
        return Err(Problem::bad_request("`offering.offeringId` is required"));
    };
    let offering_code = offering.pointer("/primaryCode/code").and_then(Value::as_str).map(str::to_owned);
    let scenario = offering_code.as_deref().and_then(OoapiScenario::of_offering_code).unwrap_or(person.scenario);
    let now = ooapi.now();
    let row = Stored {
        id: ooapi.new_id(),
        person_id: person.person_id.clone(),
        offering_id: offering_id.to_owned(),
        offering_code,
        offering: offering.clone(),
        role,
        remote_state,
        result: None,
        results: Vec::new(),
        scenario,
        created: now,
    };
    let state = spelled_state(&row, row.state_at(now), now.date_naive(), v6);
    let answer = json!({"associationId": row.id, "message": message(scenario.created_message()), "state": state});
    let location = format!("{PATH_PREFIX}/home/associations/{}", row.id);
    ooapi.store.insert(row, false);
    let status = match ooapi.fault() {
        OoapiFault::CreateThenFail => {
            return Err(Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
                "the enrollment could not be confirmed; please try again later",
            ))
        }
        OoapiFault::PostAnswers200 => StatusCode::OK,
        _ => StatusCode::CREATED,
    };
    let mut response = problem::json(status, &answer);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The association's `state` as answered: v5, or v6 (`cancelled`; `finished` once associated
/// and completed or past the offering's end).
fn spelled_state(row: &Stored, state: OoapiState, today: NaiveDate, v6: bool) -> &'static str {
    match state {
        OoapiState::Canceled if v6 => "cancelled",
        OoapiState::Associated if v6 => {
            let completed = row.result.as_ref().and_then(|r| r["state"].as_str()) == Some("completed");
            let ended = row.end_date().is_some_and(|end| end < today);
            if completed || ended {
                "finished"
            } else {
                "associated"
            }
        }
        state => state.as_str(),
    }
}

fn spelled_remote(state: OoapiState, v6: bool) -> &'static str {
    match state {
        OoapiState::Canceled if v6 => "cancelled",
        state => state.as_str(),
    }
}

/// The row `id`, when the caller may see it (a student only their own): 404 otherwise.
fn visible(ooapi: &Ooapi, caller: &Caller, id: &str) -> Result<Stored, Problem> {
    ooapi
        .store
        .get(id)
        .filter(|row| caller.may_act_for(&row.person_id))
        .ok_or_else(|| Problem::not_found("Association not found", format!("no association {id}")))
}

/// `GET /associations/{associationId}[?expand=person,offering]`.
fn association(ooapi: &Ooapi, headers: &HeaderMap, id: &str, query: Option<&str>) -> Result<Response, Problem> {
    let v6 = ooapi.v6();
    let caller = authorize(ooapi, headers, OOAPI_RESULTS_SCOPE)?;
    let mut expand_person = false;
    let mut expand_offering = false;
    let pairs = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes());
    for (_, value) in pairs.filter(|(k, _)| k == "expand") {
        for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match item {
                "person" => expand_person = true,
                "offering" => expand_offering = true,
                other => return Err(Problem::bad_request(format!("`expand` takes person and offering, not `{other}`"))),
            }
        }
    }
    let row = match visible(ooapi, &caller, id) {
        Ok(row) => row,
        Err(_) if ooapi.fault() == OoapiFault::No404 => {
            // As SURF's home mock does: any id is an association.
            let answer = json!({
                "associationId": id,
                "associationType": "courseOfferingAssociation",
                "role": "student",
                "state": "associated",
                "remoteState": "associated",
                "person": "00000000-0000-4000-8000-000000000000",
                "offering": "00000000-0000-4000-8000-000000000000",
            });
            return Ok(problem::json(StatusCode::OK, &answer));
        }
        Err(problem) => return Err(problem),
    };
    let now = ooapi.now();
    let state = row.state_at(now);
    let person = match ooapi.person(&row.person_id) {
        Some(person) if expand_person => person.to_json(),
        _ => json!(row.person_id),
    };
    let offering = if expand_offering { row.offering.clone() } else { json!(row.offering_id) };
    let mut answer = json!({
        "associationId": row.id,
        "associationType": "courseOfferingAssociation",
        "role": row.role,
        "state": if ooapi.fault() == OoapiFault::RandomState { ooapi.next_random_state() } else { spelled_state(&row, state, now.date_naive(), v6) },
        "remoteState": spelled_remote(row.remote_state, v6),
        "person": person,
        "offering": offering,
    });
    if let Some(result) = &row.result {
        answer["result"] = result.clone();
    }
    if state == OoapiState::Denied {
        answer["message"] = message(OOAPI_DENIAL_REASON);
    }
    Ok(problem::json(StatusCode::OK, &answer))
}

/// Whether a PATCH's content type is `application/merge-patch+json` or `application/json`.
fn patch_media_type(headers: &HeaderMap) -> Result<(), Problem> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type == "application/merge-patch+json" || media_type == "application/json" {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            format!("PATCH takes application/merge-patch+json, not `{content_type}`"),
        ))
    }
}

/// `PATCH /associations/{associationId}`.
fn update(ooapi: &Ooapi, headers: &HeaderMap, id: &str, bytes: &[u8]) -> Result<Response, Problem> {
    let v6 = ooapi.v6();
    let caller = authorize(ooapi, headers, OOAPI_RESULTS_SCOPE)?;
    patch_media_type(headers)?;
    let stored = visible(ooapi, &caller, id)?;
    let body = object(bytes)?;
    let remote_state = match body.get("remoteState") {
        None => None,
        Some(value) => Some(
            value
                .as_str()
                .and_then(|s| OoapiState::parse(s, v6))
                .filter(|s| matches!(s, OoapiState::Associated | OoapiState::Denied | OoapiState::Canceled))
                .ok_or_else(|| Problem::bad_request(format!("`remoteState` must be associated, denied or canceled, not {value}")))?,
        ),
    };
    let result = match body.get("result") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(result) => {
            validate_result(result, &stored.offering)?;
            Some(Some(result.clone()))
        }
    };
    let now = ooapi.now();
    let state = ooapi
        .store
        .update(id, |row| {
            if let Some(remote_state) = remote_state {
                row.remote_state = remote_state;
            }
            if let Some(result) = result {
                if let Some(result) = &result {
                    row.results.push(result.clone());
                }
                row.result = result;
            }
            spelled_state(row, row.state_at(now), now.date_naive(), v6)
        })
        .ok_or_else(|| Problem::not_found("Association not found", format!("no association {id}")))?;
    let answer = json!({"associationId": id, "message": message("Your home institution has recorded the change."), "state": state});
    Ok(problem::json(StatusCode::OK, &answer))
}

/// A PATCHed `result`: `state` and `resultDate` required, `pass`, `score`, `comment`,
/// `studyLoad` checked when present and required for a course; the score must fit the offering's
/// `resultValueType` (as sent in `ext.resultValueType`, else the offering's own).
fn validate_result(result: &Value, offering: &Value) -> Result<(), Problem> {
    let Some(result) = result.as_object() else {
        return Err(Problem::bad_request("`result` must be an object"));
    };
    let state = result.get("state").and_then(Value::as_str);
    if !state.is_some_and(|s| ["in progress", "postponed", "completed", "queued"].contains(&s)) {
        return Err(Problem::bad_request("`result.state` is required: in progress, postponed, completed or queued"));
    }
    let date = result.get("resultDate").and_then(Value::as_str);
    if date.is_none_or(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
        return Err(Problem::bad_request("`result.resultDate` is required: a date (YYYY-MM-DD)"));
    }
    if let Some(pass) = result.get("pass") {
        if !pass.as_str().is_some_and(|p| ["unknown", "passed", "failed"].contains(&p)) {
            return Err(Problem::bad_request("`result.pass` must be unknown, passed or failed"));
        }
    }
    for field in ["score", "comment"] {
        if result.get(field).is_some_and(|v| !v.is_string()) {
            return Err(Problem::bad_request(format!("`result.{field}` must be a string")));
        }
    }
    if let Some(load) = result.get("studyLoad") {
        let unit = load.get("studyLoadUnit").and_then(Value::as_str);
        let valid_unit = unit.is_none_or(|u| ["contacttime", "ects", "sbu", "sp", "hour"].contains(&u));
        if !load.is_object() || !valid_unit || load.get("value").is_some_and(|v| !v.is_number()) {
            return Err(Problem::bad_request("`result.studyLoad` must be {studyLoadUnit: contacttime|ects|sbu|sp|hour, value: number}"));
        }
    }
    let course = offering.get("offeringType").and_then(Value::as_str).is_none_or(|t| t == "course");
    if course && result.get("studyLoad").is_none() {
        return Err(Problem::bad_request("`result.studyLoad` is required for a course result"));
    }
    let value_type =
        result.get("ext").and_then(|e| e.get("resultValueType")).or_else(|| offering.get("resultValueType")).and_then(Value::as_str);
    if let (Some(score), Some(value_type)) = (result.get("score").and_then(Value::as_str), value_type) {
        if !score_fits(score, value_type) {
            return Err(Problem::bad_request(format!("`result.score` \"{score}\" is not a {value_type} score")));
        }
    }
    Ok(())
}

/// Whether a score is written the way its `resultValueType` says.
fn score_fits(score: &str, value_type: &str) -> bool {
    let number = score.trim().replace(',', ".").parse::<f64>().ok();
    match value_type {
        "0-100" => number.is_some_and(|n| (0.0..=100.0).contains(&n)),
        "1-10" => number.is_some_and(|n| (1.0..=10.0).contains(&n)),
        "US letter" => {
            let base = score.trim().trim_end_matches(['+', '-']);
            ["A", "B", "C", "D", "F"].contains(&base)
        }
        "UK letter" => ["A*", "A", "B", "C", "D", "E", "F", "U"].contains(&score.trim()),
        "pass-or-fail" => ["pass", "fail", "passed", "failed"].contains(&score.trim().to_ascii_lowercase().as_str()),
        _ => false,
    }
}
