//! The answers the LMS gives when it refuses: DRF's JSON error bodies and Django's HTML 404.

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// `WWW-Authenticate` of views whose first authenticator is `JwtAuthentication`.
pub(crate) const JWT_CHALLENGE: &str = r#"JWT realm="api""#;
/// `WWW-Authenticate` of views whose first authenticator is the Bearer one.
pub(crate) const BEARER_CHALLENGE: &str = r#"Bearer realm="api""#;

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// 401 with the view's challenge.
pub(crate) fn unauthorized(body: &Value, challenge: &'static str) -> Response {
    let mut response = json(StatusCode::UNAUTHORIZED, body);
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    response
}

/// 401: no (usable) credentials at all.
pub(crate) fn not_authenticated(challenge: &'static str) -> Response {
    unauthorized(&json!({"detail": "Authentication credentials were not provided."}), challenge)
}

/// 403: authenticated but not allowed.
pub(crate) fn permission_denied() -> Response {
    json(StatusCode::FORBIDDEN, &json!({"detail": "You do not have permission to perform this action."}))
}

/// 404 from `Http404` inside a DRF view (unknown or disabled provider).
pub(crate) fn not_found() -> Response {
    json(StatusCode::NOT_FOUND, &json!({"detail": "Not found."}))
}

/// 404 for a page number out of range or not a number.
pub(crate) fn invalid_page() -> Response {
    json(StatusCode::NOT_FOUND, &json!({"detail": "Invalid page."}))
}

/// 405 from DRF, after authentication and permissions passed.
pub(crate) fn method_not_allowed(method: &Method, allow: &'static str) -> Response {
    let mut response = json(StatusCode::METHOD_NOT_ALLOWED, &json!({"detail": format!("Method \"{method}\" not allowed.")}));
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// A bare status without a body (DRF `Response(status=...)`).
pub(crate) fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// Django's 404 page: no URL pattern matched (e.g. a trailing slash after `/users`).
pub(crate) fn page_not_found_html() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  \
<title>Page Not Found | Open edX</title>\n</head>\n<body>\n  <main>\n    <h1>Page not found</h1>\n    \
<p>The page that you were looking for was not found. Go back to the homepage or let us know \
about any pages that may have been moved.</p>\n  </main>\n</body>\n</html>\n";
    let mut response = (StatusCode::NOT_FOUND, PAGE).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}
