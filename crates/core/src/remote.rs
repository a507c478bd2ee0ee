//! The one way Crosswalk calls a remote system: [`Crosswalk::send`].
//!
//! Every API call of every service (Open edX, OpenLearning, OOAPI partners and enrollment
//! receivers) is a [`Request`] sent through here: any method, a JSON / merge-patch / form body,
//! credentials from the connection ([`Auth`]: the cached OAuth token, an API key as a header or a
//! query parameter, HTTP Basic, or a token given for the call), one retry layer with backoff and
//! `Retry-After` ([`crate::retry`]), cancellation, the profile's timeouts, a cap on the size of an
//! answer, and plain-words errors. The typed clients (`openedx::mapping`, `openlearning::client`,
//! `enrollments::client`) build requests and read [`Answer`]s; nothing else in the code puts
//! credentials on a request (a test in this module enforces it). Token endpoints are the one
//! exception, in [`crate::token`], because they are how the credentials are obtained.

use std::sync::atomic::{AtomicU32, Ordering};

use bytes::Bytes;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use tokio_util::sync::CancellationToken;

use crate::connection::{Profile, SecretField};
use crate::crosswalk::Crosswalk;
use crate::http::{describe_transport_error, read_capped, TOO_LARGE};
use crate::retry::{is_retryable, parse_retry_after, Attempt};
use crate::secret::SecretString;
use crate::token::TokenRequest;
use crate::{Error, Result};

/// The largest answer read by default (16 MiB): a mapping page of 100 rows is a few KiB and an
/// OOAPI answer a few more, so anything near this is a broken or hostile server, not data. The
/// answer is refused before more than this is held in memory.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// Where a request's credentials come from.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    /// None: public endpoints, and the negative checks of the endpoint check.
    None,
    /// The profile's OAuth token (client credentials), cached; on a 401 it is renewed once and the
    /// request sent once more.
    Token { request: &'a TokenRequest, field: SecretField },
    /// The profile's secret `field` as `Authorization: Bearer <secret>`.
    BearerSecret(SecretField),
    /// The profile's secret `field` as the query parameter `param`. URLs that are logged or shown
    /// never carry it.
    QuerySecret { param: &'static str, field: SecretField },
    /// HTTP Basic: `user` and the profile's secret `field` (an enrollment receiver's SIS API).
    Basic { user: &'a str, field: SecretField },
    /// A bearer token given for this one call (a pasted student token).
    Bearer(&'a SecretString),
}

/// What a request carries.
#[derive(Debug, Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    /// `application/json`.
    Json(serde_json::Value),
    /// `application/merge-patch+json` (RFC 7396), how OOAPI PATCHes associations.
    MergePatch(serde_json::Value),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

/// One call to a remote system.
pub struct Request<'a> {
    /// Who is called, in the user's words ("The LMS", "OpenLearning", "OOAPI partner tue.nl").
    pub service: String,
    pub method: Method,
    pub url: url::Url,
    pub auth: Auth<'a>,
    pub body: Body,
    cancel: Option<&'a CancellationToken>,
    sent: Option<&'a AtomicU32>,
    max_bytes: usize,
    expect_json: bool,
}

impl<'a> Request<'a> {
    /// A request without credentials or body.
    pub fn new(service: impl Into<String>, method: Method, url: url::Url) -> Self {
        Self {
            service: service.into(),
            method,
            url,
            auth: Auth::None,
            body: Body::Empty,
            cancel: None,
            sent: None,
            max_bytes: MAX_ANSWER_BYTES,
            expect_json: false,
        }
    }

    /// `GET url`.
    pub fn get(service: impl Into<String>, url: url::Url) -> Self {
        Self::new(service, Method::GET, url)
    }

    pub fn auth(mut self, auth: Auth<'a>) -> Self {
        self.auth = auth;
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Stops at once (even mid-wait) when `cancel` fires.
    pub fn cancel(mut self, cancel: &'a CancellationToken) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Counts every request sent (retries and renewals included) in `sent`.
    pub fn counted(mut self, sent: &'a AtomicU32) -> Self {
        self.sent = Some(sent);
        self
    }

    /// Refuses answers larger than `bytes`.
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// A successful answer must be JSON: one that is not (cut off on the way, or garbled by a
    /// proxy) is asked for again, in the same retry layer as "not now" answers.
    pub fn expect_json(mut self) -> Self {
        self.expect_json = true;
        self
    }

    /// The URL as it may be shown or logged (never with a query secret).
    pub fn shown_url(&self) -> String {
        self.url.to_string()
    }
}

/// A remote system's answer, read in full (within the size cap).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// When the server's TLS certificate stops being valid (HTTPS only).
    pub cert_not_after: Option<chrono::DateTime<chrono::Utc>>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON of type `T`, or a plain-words "cannot read" error naming `service`.
    pub fn json<T: serde::de::DeserializeOwned>(&self, service: &str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::BadAnswer { service: service.into(), reason: not_json(&self.body, &e) })
    }

    /// The body as any JSON value (`Null` when it is not JSON).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The `Content-Type` without parameters, lower case.
    pub fn content_type(&self) -> String {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// Why a body is not the JSON expected, with a web page (a login or error page) named as such.
pub fn not_json(body: &[u8], e: &serde_json::Error) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(256)]).trim_start().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        "this is a web page, not the API's JSON: the address may point at a login page or a web site".into()
    } else if e.to_string().contains("recursion limit") {
        "not an answer of the API: its JSON is nested more than 128 levels deep, which no real answer is".into()
    } else if e.classify() == serde_json::error::Category::Data {
        format!("JSON, but not the answer expected: {e}")
    } else {
        format!("not valid JSON: {e}")
    }
}

/// The credentials of one request, resolved.
enum Credentials {
    None,
    Header(String),
    Query(&'static str, SecretString),
}

impl Crosswalk {
    /// Sends `req` for `profile` and reads the whole answer. Connection failures and "not now"
    /// answers (429, 502, 503, 504; and, with [`Request::expect_json`], a cut-off body) are tried
    /// again with backoff and `Retry-After` (a POST only after 429 or a refused connection); a
    /// 401 with an OAuth token renews the token once.
    /// Every other status is returned for the typed client to explain.
    pub async fn send(&self, profile: &Profile, req: Request<'_>) -> Result<Answer> {
        let never = CancellationToken::new();
        let cancel = req.cancel.unwrap_or(&never);
        let api = self.clients(profile)?.api;
        let shown = req.shown_url();
        let mut renewed = false;
        loop {
            let (creds, token) = match req.auth {
                Auth::None => (Credentials::None, None),
                Auth::Token { request, field } => {
                    let token = self.token(profile, request, field).await?;
                    (Credentials::Header(token.authorization()), Some(token))
                }
                Auth::BearerSecret(field) => (Credentials::Header(format!("Bearer {}", self.secret(profile, field)?.expose())), None),
                Auth::QuerySecret { param, field } => (Credentials::Query(param, self.secret(profile, field)?), None),
                Auth::Basic { user, field } => {
                    let password = self.secret(profile, field)?;
                    (Credentials::Header(basic(user, password.expose())), None)
                }
                Auth::Bearer(token) => (Credentials::Header(format!("Bearer {}", token.expose())), None),
            };
            let mut url = req.url.clone();
            if let Credentials::Query(param, secret) = &creds {
                url.query_pairs_mut().append_pair(param, secret.expose());
            }
            let make = || {
                self.count_request();
                if let Some(sent) = req.sent {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
                let mut r = api.request(req.method.clone(), url.clone()).header(ACCEPT, "application/json");
                if let Credentials::Header(value) = &creds {
                    r = r.header(AUTHORIZATION, value);
                }
                match &req.body {
                    Body::Empty => r,
                    Body::Json(v) => r.json(v),
                    Body::MergePatch(v) => r.header(CONTENT_TYPE, "application/merge-patch+json").body(v.to_string()),
                    Body::Form(pairs) => r.form(pairs),
                }
            };
            // A POST creates something: it is sent again only when it surely did not arrive (no
            // connection) or the server said "not now" (429). After a timeout or a 5xx the caller
            // must find out what happened instead of creating a second one.
            let replayable = req.method != Method::POST;
            let answer = crate::retry::run(self.retry, cancel, &req.service, || {
                let request = make();
                let (service, shown, clock) = (req.service.as_str(), shown.as_str(), self.clock.as_ref());
                async move {
                    let resp = match request.send().await {
                        Ok(resp) => resp,
                        Err(e) => {
                            let err =
                                Error::Unreachable { service: service.into(), url: shown.into(), reason: describe_transport_error(&e) };
                            let again = (e.is_connect() && !e.is_timeout()) || (replayable && e.is_timeout());
                            return if again { Attempt::Again { wait: None, last: Err(err) } } else { Attempt::Fail(err) };
                        }
                    };
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    let cert_not_after = resp
                        .extensions()
                        .get::<reqwest::tls::TlsInfo>()
                        .and_then(|info| info.peer_certificate())
                        .and_then(crate::x509::not_after);
                    let wait = headers.get(RETRY_AFTER).and_then(|h| h.to_str().ok()).and_then(|h| parse_retry_after(h, clock.now()));
                    let body = match read_capped(resp, req.max_bytes, service).await {
                        Ok(b) => b,
                        Err(e @ Error::BadAnswer { .. }) if replayable && !is_too_large(&e) => {
                            return Attempt::Again { wait: None, last: Err(e) }
                        }
                        Err(e) => return Attempt::Fail(e),
                    };
                    let answer = Answer { status, headers, body, cert_not_after };
                    if is_retryable(status) && (replayable || status == 429) {
                        return Attempt::Again { wait, last: Ok(answer) };
                    }
                    if req.expect_json && replayable && answer.is_success() {
                        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&answer.body) {
                            let err = Error::BadAnswer { service: service.into(), reason: not_json(&answer.body, &e) };
                            return Attempt::Again { wait: None, last: Err(err) };
                        }
                    }
                    Attempt::Done(answer)
                }
            })
            .await?;
            tracing::debug!(service = %req.service, method = %req.method, url = %shown, status = answer.status, "remote call");
            if answer.status == 401 && !renewed {
                if let Some(token) = token {
                    renewed = true;
                    self.forget_token(&profile.id, &token).await;
                    continue;
                }
            }
            return Ok(answer);
        }
    }
}

fn is_too_large(e: &Error) -> bool {
    matches!(e, Error::BadAnswer { reason, .. } if reason.starts_with(TOO_LARGE))
}

/// `Basic base64(user:password)` (RFC 7617).
fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_follow_rfc_7617() {
        assert_eq!(basic("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn a_web_page_is_named_as_such() {
        let page = b"<!DOCTYPE html><html><body>Sign in</body></html>";
        let e = serde_json::from_slice::<serde_json::Value>(page).unwrap_err();
        assert!(not_json(page, &e).contains("web page"));
        let e = serde_json::from_slice::<serde_json::Value>(b"{\"a\":").unwrap_err();
        assert!(not_json(b"{\"a\":", &e).starts_with("not valid JSON"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = serde_json::from_slice::<serde_json::Value>(deep.as_bytes()).unwrap_err();
        assert!(not_json(deep.as_bytes(), &e).contains("nested more than 128 levels"));
    }

    /// Nothing but this module (and the token endpoint client) puts credentials on a request.
    #[test]
    fn only_this_module_builds_an_authorised_request() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let allowed = ["remote.rs", "token.rs"];
        let needles = [
            ".bearer_auth(",
            ".basic_auth(",
            "header(AUTHORIZATION",
            "header(reqwest::header::AUTHORIZATION",
            "\"Authorization\"",
            "append_pair(\"api_key\"",
        ];
        let mut offenders = Vec::new();
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !allowed.iter().any(|a| path.ends_with(a)) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                    for n in needles {
                        if code.contains(n) {
                            offenders.push(format!("{} uses {n}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "authorised requests built outside remote.rs: {offenders:#?}");
    }
}
