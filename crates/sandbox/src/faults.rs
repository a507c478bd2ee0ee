//! The middleware that applies [`Knobs`](crate::Knobs) to a service's requests: latency, then
//! throttling and status faults instead of the answer, then truncated or slow bodies.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::controls::Controls;
use crate::knobs::{HostileFault, Knobs, StatusFault};
use crate::stats::Counters;

/// The kind of request, for counters and for deciding whether faults apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// The OAuth2 token endpoint.
    Token,
    /// The ID mapping API.
    Mapping,
    /// The user-links API.
    Users,
    /// Another API path.
    OtherApi,
    /// The OpenLearning API (`/openlearning/api/v2.1/...`).
    OpenLearningApi,
    /// The OpenLearning launch page: delayed, never faulted (a browser posts to it, not a client).
    OpenLearningLaunch,
    /// The OOAPI home institution's endpoints (`/ooapi/home/...`), whether called over HTTP or
    /// forwarded in-process by the enrollment receiver.
    OoapiHome,
    /// The OOAPI authorization server (`/ooapi/auth/...`): a token endpoint for the knobs.
    OoapiAuth,
    /// The OOAPI enrollment receiver (`/ooapi/receiver/...`): delayed, never faulted itself (its
    /// calls to the home side are).
    OoapiReceiver,
    /// Anything else (unknown paths).
    Other,
}

impl Route {
    fn is_api(self) -> bool {
        matches!(self, Route::Mapping | Route::Users | Route::OtherApi | Route::OpenLearningApi | Route::OoapiHome)
    }

    fn is_token(self) -> bool {
        matches!(self, Route::Token | Route::OoapiAuth)
    }
}

/// How a service words the faults it is made to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Django REST framework: `{"detail": "..."}`.
    Drf,
    /// OpenLearning: `{"meta": {"status", "error"}}`.
    OpenLearning,
    /// OOAPI v5: `application/problem+json` `{"status": "429", "title", "detail"}` (status a string).
    Problem,
    /// OOAPI v6 (RFC 9457): `application/problem+json` `{"type", "status": 429, "title", "detail"}`.
    ProblemV6,
}

/// State of the middleware: the controls, how the service names its routes and words errors.
#[derive(Clone)]
pub(crate) struct FaultScope {
    pub controls: Arc<Controls>,
    pub route_of: fn(&str) -> Route,
    pub dialect: Dialect,
}

/// The middleware function (`axum::middleware::from_fn_with_state`).
pub(crate) async fn apply_knobs(State(scope): State<FaultScope>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    // The path as the client sent it (nested routers see it without their prefix), for the
    // links a hostile answer makes.
    let original = request.extensions().get::<axum::extract::OriginalUri>().map_or_else(|| path.clone(), |u| u.path().to_owned());
    guard_at(&scope, &path, &original, next.run(request)).await
}

/// Applies the knobs to one request for `path` whose real answer `answer` would give: the
/// middleware's work, also used for requests a service forwards to another in-process (the OOAPI
/// receiver's calls to the home side). `answer` is not polled when a fault replaces it.
pub(crate) async fn guard(scope: &FaultScope, path: &str, answer: impl Future<Output = Response>) -> Response {
    guard_at(scope, path, path, answer).await
}

/// [`guard`] for a request whose full path (as the client sent it) is `original`.
pub(crate) async fn guard_at(scope: &FaultScope, path: &str, original: &str, answer: impl Future<Output = Response>) -> Response {
    let route = (scope.route_of)(path);
    let path_faultable = scope.controls.knobs().faults_path_contains.as_deref().is_none_or(|p| path.contains(p) || original.contains(p));
    let controls = &scope.controls;
    let counters = &controls.counters;
    match route {
        Route::Token => Counters::bump(&counters.token_requests),
        Route::Mapping => {
            Counters::bump(&counters.api_requests);
            Counters::bump(&counters.mapping_requests);
        }
        Route::Users => {
            Counters::bump(&counters.api_requests);
            Counters::bump(&counters.user_requests);
        }
        Route::OtherApi => Counters::bump(&counters.api_requests),
        Route::OpenLearningApi => Counters::bump(&counters.openlearning_requests),
        Route::OoapiHome => Counters::bump(&counters.ooapi_home_requests),
        Route::OoapiAuth => Counters::bump(&counters.ooapi_auth_requests),
        Route::OoapiReceiver => Counters::bump(&counters.ooapi_receiver_requests),
        Route::OpenLearningLaunch | Route::Other => {}
    }
    let knobs = controls.knobs();
    if knobs.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(knobs.latency_ms)).await;
    }
    let faultable = route.is_api() || (route.is_token() && knobs.faults_on_token_endpoint);
    if !faultable {
        return answer.await;
    }

    // Four draws per faultable request, whatever the knobs say, so one sequence of requests
    // always meets the same faults.
    let draw = controls.draw();
    if let Some(limit) = &knobs.rate_limit {
        if draw.rate_limit < limit.probability {
            Counters::bump(&counters.rate_limited);
            return throttled(limit.retry_after_secs, scope.dialect);
        }
    }
    if let Some(status) = chosen_status(&knobs.faults, draw.status).filter(|_| path_faultable) {
        Counters::bump(&counters.status_faults);
        return status_fault(status, scope.dialect);
    }
    if let Some(hostile) = knobs.hostile.as_ref().filter(|_| path_faultable) {
        Counters::bump(&counters.hostile);
        return hostile_answer(hostile, original, answer).await;
    }
    let response = answer.await;
    if response.status() == StatusCode::OK && draw.truncate < knobs.truncate_probability {
        Counters::bump(&counters.truncated);
        return truncated(response).await;
    }
    if let Some(slow) = slow_delay(&knobs, draw.slow_body) {
        Counters::bump(&counters.slow_bodies);
        return delayed_body(response, slow).await;
    }
    response
}

/// The status whose probability band holds `draw` (bands laid end to end, in list order).
fn chosen_status(faults: &[StatusFault], draw: f64) -> Option<u16> {
    let mut upper = 0.0;
    for fault in faults {
        upper += fault.probability.max(0.0);
        if draw < upper {
            return Some(fault.status);
        }
    }
    None
}

fn slow_delay(knobs: &Knobs, draw: f64) -> Option<Duration> {
    let slow = knobs.slow_body.as_ref()?;
    (draw < slow.probability).then(|| Duration::from_millis(slow.delay_ms))
}

/// 429 as DRF throttling (or OpenLearning) answers it.
fn throttled(retry_after_secs: u64, dialect: Dialect) -> Response {
    let message = format!("Request was throttled. Expected available in {retry_after_secs} seconds.");
    let body = error_body(dialect, StatusCode::TOO_MANY_REQUESTS, message);
    let mut response = (StatusCode::TOO_MANY_REQUESTS, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(json_type(dialect)));
    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// The service's JSON error body.
fn error_body(dialect: Dialect, status: StatusCode, message: String) -> serde_json::Value {
    match dialect {
        Dialect::Drf => json!({ "detail": message }),
        Dialect::OpenLearning => json!({"meta": {"status": status.as_u16(), "error": message}}),
        Dialect::Problem => json!({
            "status": status.as_u16().to_string(),
            "title": status.canonical_reason().unwrap_or("Error"),
            "detail": message,
        }),
        Dialect::ProblemV6 => json!({
            "type": "about:blank",
            "status": status.as_u16(),
            "title": status.canonical_reason().unwrap_or("Error"),
            "detail": message,
        }),
    }
}

/// The content type of the service's JSON error bodies.
fn json_type(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Drf | Dialect::OpenLearning => "application/json",
        Dialect::Problem | Dialect::ProblemV6 => "application/problem+json",
    }
}

/// A server error page for 5xx (as a proxy or Django would send it), the service's JSON otherwise.
fn status_fault(status: u16, dialect: Dialect) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, body) = if status.is_server_error() {
        let reason = status.canonical_reason().unwrap_or("Server Error");
        (
            "text/html; charset=utf-8",
            format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n",
                code = status.as_u16()
            ),
        )
    } else {
        (json_type(dialect), error_body(dialect, status, format!("Sandbox fault: status {}.", status.as_u16())).to_string())
    };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The first half of the body, sent chunked so the client sees a complete but invalid answer.
async fn truncated(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    let stream = futures::stream::once(async move { Ok::<Bytes, Infallible>(half) });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Headers at once, the body after `delay`.
async fn delayed_body(response: Response, delay: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    let stream = futures::stream::once(async move {
        tokio::time::sleep(delay).await;
        Ok::<Bytes, Infallible>(bytes)
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// What a hostile server answers to a request for `path` whose real answer `answer` would give.
async fn hostile_answer(hostile: &HostileFault, path: &str, answer: impl Future<Output = Response>) -> Response {
    const CHUNK: &[u8] = b"{\"username\":\"endless\",\"remote_id\":\"endless\"},";
    let json = |body: Body| {
        let mut r = Response::new(body);
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    };
    let endless = || {
        let head = futures::stream::once(async { Ok::<Bytes, Infallible>(Bytes::from_static(b"{\"results\":[")) });
        let block = Bytes::from(CHUNK.repeat(256));
        let tail = futures::stream::repeat_with(move || Ok::<Bytes, Infallible>(block.clone()));
        Body::from_stream(futures::StreamExt::chain(head, tail))
    };
    match hostile {
        HostileFault::EndlessBody => json(endless()),
        HostileFault::HugeBody => {
            let mut r = json(endless());
            r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("1073741824"));
            r
        }
        HostileFault::Trickle { interval_ms } => {
            let (mut parts, body) = answer.await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            let interval = Duration::from_millis(*interval_ms);
            let stream = futures::stream::unfold(0usize, move |i| {
                let bytes = bytes.clone();
                async move {
                    if i >= bytes.len() {
                        return None;
                    }
                    tokio::time::sleep(interval).await;
                    Some((Ok::<Bytes, Infallible>(bytes.slice(i..i + 1)), i + 1))
                }
            });
            Response::from_parts(parts, Body::from_stream(stream))
        }
        // Deep inside an object field no client knows, so a typed reader must still skip through it.
        HostileFault::DeepJson { depth } => json(Body::from(format!("{{\"detail\":{}{}}}", "[".repeat(*depth), "]".repeat(*depth)))),
        HostileFault::HtmlLoginPage => {
            let page = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form method=\"post\" action=\"/login\">\
                        <input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form></body></html>\n";
            let mut r = Response::new(Body::from(page));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            r
        }
        HostileFault::RedirectTo { location } => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        HostileFault::NextLoop => with_next(answer.await, format!("{path}?page=2&loop=1")).await,
        HostileFault::NextElsewhere { base } => with_next(answer.await, format!("{}{path}?page=2", base.trim_end_matches('/'))).await,
    }
}

/// A JSON answer whose `next` link is replaced by `next` and whose `count` promises more pages.
async fn with_next(response: Response, next: String) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(obj) = value.as_object_mut() {
        obj.insert("next".into(), serde_json::Value::String(next));
        obj.insert("count".into(), json!(1_000_000));
        obj.insert("num_pages".into(), json!(10_000));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bands_are_laid_end_to_end() {
        let faults = [StatusFault { status: 500, probability: 0.1 }, StatusFault { status: 503, probability: 0.2 }];
        assert_eq!(chosen_status(&faults, 0.05), Some(500));
        assert_eq!(chosen_status(&faults, 0.25), Some(503));
        assert_eq!(chosen_status(&faults, 0.35), None);
        assert_eq!(chosen_status(&[], 0.0), None);
    }
}
