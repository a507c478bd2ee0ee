//! `GET /institutions/{iid}/managed-users/` (optionally filtered by `external_institution_id`)
//! and `GET /institutions/{iid}/managed-users/{user_id}/`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::api_key::{acting_for, query_pairs, query_value};
use super::directory::{Directory, Member};
use super::{responses, OpenLearning};

/// `{"user": {"id", "full_name", "email"}, "external_institution_id"}`
fn item(directory: &Directory, member: &Member) -> Value {
    let account = &directory.accounts[member.account];
    json!({
        "user": {"id": account.id, "full_name": account.full_name, "email": account.email},
        "external_institution_id": member.external_id,
    })
}

/// Every member (seeded order), or the one whose external id is `external_institution_id`
/// (an empty `data` when none is).
pub(crate) async fn list(
    State(service): State<Arc<OpenLearning>>,
    method: Method,
    Path(institution_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query_pairs(query.as_deref());
    let directory = &service.directory;
    let institution = match acting_for(directory, &headers, &query, &institution_id) {
        Ok(institution) => institution,
        Err(refusal) => return refusal.into_response(),
    };
    if method != Method::GET {
        return responses::method_not_allowed("GET");
    }
    let data: Vec<Value> = match query_value(&query, "external_institution_id") {
        Some(external_id) => institution.member_by_external_id(external_id).map(|m| item(directory, m)).into_iter().collect(),
        None => institution.members.iter().map(|m| item(directory, m)).collect(),
    };
    responses::json(StatusCode::OK, &json!({ "data": data }))
}

/// One member; 404 for an unknown account or one that is not a member.
pub(crate) async fn one(
    State(service): State<Arc<OpenLearning>>,
    method: Method,
    Path((institution_id, user_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query_pairs(query.as_deref());
    let directory = &service.directory;
    let institution = match acting_for(directory, &headers, &query, &institution_id) {
        Ok(institution) => institution,
        Err(refusal) => return refusal.into_response(),
    };
    if method != Method::GET {
        return responses::method_not_allowed("GET");
    }
    let Some(account) = directory.account_index(&user_id) else {
        return responses::user_not_found().into_response();
    };
    match institution.member_of_account(account) {
        Some(member) => responses::json(StatusCode::OK, &json!({ "data": item(directory, member) })),
        None => responses::not_a_member().into_response(),
    }
}
