//! `GET /users/me/institutions/`: the institutions the key can act for.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::api_key::{caller, query_pairs};
use super::{responses, OpenLearning};

pub(crate) async fn mine(
    State(service): State<Arc<OpenLearning>>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query_pairs(query.as_deref());
    let institution = match caller(&service.directory, &headers, &query) {
        Ok(institution) => institution,
        Err(refusal) => return refusal.into_response(),
    };
    if method != Method::GET {
        return responses::method_not_allowed("GET");
    }
    responses::json(StatusCode::OK, &json!({"data": [{"id": institution.id, "name": institution.name}]}))
}
