//! How the home side answers: JSON bodies, and refusals as `application/problem+json`
//! (`{"status": "404", "title", "detail"}`, `status` a string as v5 has it; an integer and a
//! `type` under the v6-spelling fault).

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// A JSON answer with `content_type`.
pub(crate) fn json_as(status: StatusCode, body: &Value, content_type: &'static str) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// An `application/json` answer.
pub(crate) fn json(status: StatusCode, body: &Value) -> Response {
    json_as(status, body, "application/json")
}

/// A refusal of the home side.
#[derive(Debug)]
pub(crate) struct Problem {
    pub status: StatusCode,
    pub title: Cow<'static, str>,
    pub detail: String,
    /// `WWW-Authenticate` value, for 401 and 403.
    pub challenge: Option<String>,
    /// `Allow` value, for 405.
    pub allow: Option<&'static str>,
}

impl Problem {
    pub fn new(status: StatusCode, title: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self { status, title: title.into(), detail: detail.into(), challenge: None, allow: None }
    }

    /// 400.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", detail)
    }

    /// 404.
    pub fn not_found(title: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, title, detail)
    }

    /// 401 for a missing, unknown or expired bearer token.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        let mut problem = Self::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail);
        problem.challenge = Some(r#"Bearer realm="home.example.edu", error="invalid_token""#.to_owned());
        problem
    }

    /// 403 for a token without `scope`.
    pub fn insufficient_scope(scope: &str) -> Self {
        let mut problem = Self::new(
            StatusCode::FORBIDDEN,
            "Insufficient scope",
            format!("insufficient_scope: the access token lacks the scope `{scope}`"),
        );
        problem.challenge = Some(format!(r#"Bearer realm="home.example.edu", error="insufficient_scope", scope="{scope}""#));
        problem
    }

    /// 403 for a student acting for someone else.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", detail)
    }

    /// 405.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        let mut problem = Self::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", format!("this endpoint accepts {allow}"));
        problem.allow = Some(allow);
        problem
    }

    /// The answer; `v6` words it as OOAPI v6 does (RFC 9457: integer `status`, a `type`).
    pub fn respond(self, v6: bool) -> Response {
        let body = if v6 {
            json!({"type": "about:blank", "status": self.status.as_u16(), "title": self.title, "detail": self.detail})
        } else {
            json!({"status": self.status.as_u16().to_string(), "title": self.title, "detail": self.detail})
        };
        let mut response = json_as(self.status, &body, "application/problem+json");
        if let Some(challenge) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        if let Some(allow) = self.allow {
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

impl Problem {
    /// As a broken home answers: v5 otherwise, but `status` an integer.
    pub fn respond_numeric_status(self) -> Response {
        let body = json!({"status": self.status.as_u16(), "title": self.title, "detail": self.detail});
        json_as(self.status, &body, "application/problem+json")
    }

    /// As a broken home (or the proxy in front of it) answers: an HTML page.
    pub fn respond_html(self) -> Response {
        let page = format!(
            "<!DOCTYPE html><html><head><title>{0} {1}</title></head><body><h1>{0} {1}</h1><p>{2}</p></body></html>",
            self.status.as_u16(),
            self.title,
            self.detail
        );
        let mut response = (self.status, page).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }
}

/// `[{"language": "en", "value": text}]`
pub(crate) fn message(text: &str) -> Value {
    json!([{"language": "en", "value": text}])
}
