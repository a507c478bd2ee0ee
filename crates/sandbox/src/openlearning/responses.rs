//! The API's JSON answers: `{"meta": {"status", "error"}}` when it refuses.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A refusal: answered as `{"meta": {"status": N, "error": "..."}}` with status N.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: Cow<'static, str>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self { status, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json(self.status, &json!({"meta": {"status": self.status.as_u16(), "error": self.message}}));
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Bearer realm="api""#));
        }
        response
    }
}

/// 401 for a missing or unknown API key.
pub(crate) fn invalid_api_key() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "Invalid or missing API key.")
}

/// 403 for a key of another institution.
pub(crate) fn not_your_institution() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "You do not have permission to act for this institution.")
}

/// 404 for an unknown institution id.
pub(crate) fn institution_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Institution not found.")
}

/// 404 for a user id that is no account at all.
pub(crate) fn user_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "User not found in this institution.")
}

/// 404 for an account that is not a member of the institution.
pub(crate) fn not_a_member() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "User not found in this institution: the account exists but is not a member of this institution. Invite it into the institution portal first.",
    )
}

/// 404 for an unknown path below the API base URL.
pub(crate) fn no_such_route() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "Not found.").into_response()
}

/// 405 with the methods the route takes.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response {
    let mut response =
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, format!("Method not allowed; this endpoint accepts {allow}.")).into_response();
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}
