//! The endpoint check: tests **our own** OOAPI home endpoints, the tokens partners will present
//! to them, and our SIS backend's answers, before a partner's enrollment fails on them.
//!
//! - **Token** ([`introspect`]): RFC 7662 introspection with the resource server's own client
//!   (the connection's introspection URL, client id and secret): `active`, `exp`, the institution
//!   scopes (`<domain>/persons`, `<domain>/results`, `email`), `email`, `client_id`, `aud`. A 401
//!   of the introspection endpoint (our resource-server credentials refused) is told apart from
//!   `active: false` (the token).
//! - **Endpoints** ([`run`]): the four home endpoints with that token, as a matrix of check ×
//!   endpoint with pass / info / warn / fail / skipped and a fix hint: v5 schema (with the spec's
//!   known defects relaxed and labelled, see [`super::schema`]), negative auth (no token and a
//!   garbage token → 401, a token without the institution scope → 403), the POST's status, id and
//!   message, a body without `remoteState` → 400, an unknown id → 404, the same state read twice,
//!   `expand`, PATCH as merge-patch and as the receiver sends it, every error as problem+json
//!   (v5's string `status` or v6's integer, said which), latency (the broker and the receiver give
//!   up at 20 s), certificate expiry. Associations the check created are PATCHed `canceled`.
//! - **SIS backend**: a sample `{offering, person}` posted as the receiver does, its answer held
//!   to the receiver's table of codes.
//!
//! Reports ([`report`]) are shown on screen and saved as HTML, JSON and JUnit XML; each run is kept
//! (without any token) so the next one shows what changed. No token ever reaches a report: every
//! exchange kept is cut, and any token the check used is blanked out of it.

pub mod report;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::schema::{self, Message};
use crate::connection::{Profile, ProfileSettings, SecretField};
use crate::crosswalk::Crosswalk;
use crate::remote::{Answer, Auth, Body, Request};
use crate::secret::SecretString;
use crate::{Error, Result};

/// Calls slower than this are flagged: the broker and the enrollment receiver give up at 20 s.
pub const SLOW_AFTER: Duration = Duration::from_secs(15);
/// A certificate that ends within this many days is flagged.
pub const CERT_WARN_DAYS: i64 = 30;
/// Longest answer text kept per exchange in a report.
const KEPT_ANSWER_CHARS: usize = 2_000;
/// Largest answer the check reads: a home endpoint's answer is a few KiB.
const MAX_ANSWER: usize = 4 << 20;
/// Longest SIS `message` that reads as "short": it is shown to the student as is.
const SIS_MESSAGE_MAX: usize = 300;
/// The receiver's table of SIS answer codes, with their meaning.
pub const SIS_CODES: [(u16, &str); 9] = [
    (200, "all is good"),
    (400, "backend error, or the enrollment is denied (say why in message)"),
    (404, "person endpoint not found"),
    (409, "queue/session validation failed (or enrollment not found / expired)"),
    (412, "invalid enrollment request"),
    (417, "token request failed"),
    (419, "eduID not present in the attribute release"),
    (422, "administrative error (e.g. already enrolled)"),
    (500, "not so good"),
];

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Info,
    Skipped,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Info => "info",
            Verdict::Skipped => "skipped",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

/// What a check is about: the token, one of the four endpoints, the SIS backend, or the
/// connection as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Token,
    PersonsMe,
    CreateAssociation,
    GetAssociation,
    PatchAssociation,
    Sis,
}

impl Endpoint {
    pub const HOME: [Endpoint; 4] =
        [Endpoint::PersonsMe, Endpoint::CreateAssociation, Endpoint::GetAssociation, Endpoint::PatchAssociation];

    pub fn label(self) -> &'static str {
        match self {
            Endpoint::Token => "Token",
            Endpoint::PersonsMe => "GET /persons/me",
            Endpoint::CreateAssociation => "POST /associations/external/me",
            Endpoint::GetAssociation => "GET /associations/{id}",
            Endpoint::PatchAssociation => "PATCH /associations/{id}",
            Endpoint::Sis => "SIS backend",
        }
    }
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckItem {
    /// Stable key of the check (`auth.no_token`), the same for every endpoint and every run.
    pub check: String,
    pub endpoint: Endpoint,
    /// What was checked, in words.
    pub title: String,
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do about it (for warnings and failures).
    pub hint: Option<String>,
    /// Places where the v5 specification is wrong and the check was relaxed: "spec defect, not
    /// your bug".
    pub spec_defects: Vec<String>,
    #[ts(type = "number | null")]
    pub latency_ms: Option<u64>,
    /// The request and the answer (cut, tokens blanked out), when one was made.
    pub exchange: Option<String>,
}

/// What introspection said of the token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TokenFacts {
    /// Where the token came from ("pasted", "client credentials of …").
    pub source: String,
    pub active: Option<bool>,
    pub expires_at: Option<String>,
    #[ts(type = "number | null")]
    pub expires_in_secs: Option<i64>,
    pub scopes: Vec<String>,
    pub required_scopes: Vec<String>,
    pub missing_scopes: Vec<String>,
    pub email: Option<String>,
    pub client_id: Option<String>,
    pub audience: Vec<String>,
}

/// The token check: its facts, when introspection answered, and its items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TokenReport {
    pub facts: Option<TokenFacts>,
    pub items: Vec<CheckItem>,
}

/// A check whose verdict differs from the previous run's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DiffRow {
    pub check: String,
    pub endpoint: Endpoint,
    pub title: String,
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
}

/// Counts by verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerdictCounts {
    pub pass: u32,
    pub info: u32,
    pub skipped: u32,
    pub warn: u32,
    pub fail: u32,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckReport {
    pub profile_id: String,
    pub profile_name: String,
    pub schac_home: String,
    pub persons_url: String,
    pub associations_url: String,
    pub sis_url: Option<String>,
    pub started_at: String,
    pub finished_at: String,
    pub token: Option<TokenFacts>,
    pub items: Vec<CheckItem>,
    pub counts: VerdictCounts,
    /// How the home side writes problems, as found: "v5 (status a string)", "v6 (status an
    /// integer)", or none seen.
    pub problem_dialect: Option<String>,
    /// Associations the check created, and whether each was canceled again.
    pub created: Vec<String>,
    /// Changes since the previous run (empty for a first run).
    pub diff: Vec<DiffRow>,
    /// When the previous run was, when there was one.
    pub previous_run_at: Option<String>,
}

impl CheckReport {
    /// Whether nothing failed (warnings allowed): the CLI's exit code 0.
    pub fn passed(&self) -> bool {
        self.counts.fail == 0
    }
}

/// Where the token for the check comes from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// Pasted by the person (a test student's token from the broker's sign-in).
    Pasted(SecretString),
    /// Fetched with the client credentials of the connection with this id (or name).
    Connection(String),
    /// A test student of the built-in sandbox (demo mode).
    DemoStudent(SecretString),
}

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// The OOAPI connection describing our home endpoints (URLs, introspection, SIS URL).
    pub profile_id: String,
    pub token: TokenSource,
    /// A token without the institution scopes, for the 403 checks (skipped without one).
    pub no_scope_token: Option<SecretString>,
    /// Overrides the connection's SIS backend URL.
    pub sis_url: Option<String>,
    /// Overrides [`SLOW_AFTER`].
    pub slow_after: Option<Duration>,
}

/// Where the token comes from, as the app's screen gives it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckToken {
    /// A pasted token.
    Pasted { token: String },
    /// Fetched with the client credentials of this connection.
    Connection { profile_id: String },
    /// A test student of the built-in sandbox (demo mode only; the app resolves it).
    DemoStudent,
}

/// What the app's screen asks for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct CheckInput {
    pub profile_id: String,
    pub token: CheckToken,
    #[ts(optional)]
    pub no_scope_token: Option<String>,
    #[ts(optional)]
    pub sis_url: Option<String>,
}

impl CheckInput {
    /// The request. `demo` holds the built-in sandbox's test student tokens (every scope, and
    /// none of the institution's) in demo mode; without them a demo student cannot be asked for.
    pub fn into_request(self, demo: Option<(SecretString, SecretString)>) -> Result<CheckRequest> {
        let mut no_scope_token = self.no_scope_token.filter(|t| !t.trim().is_empty()).map(|t| SecretString::new(t.trim()));
        let token = match self.token {
            CheckToken::Pasted { token } => TokenSource::Pasted(SecretString::new(token)),
            CheckToken::Connection { profile_id } => TokenSource::Connection(profile_id),
            CheckToken::DemoStudent => {
                let Some((token, no_scope)) = demo else {
                    return Err(Error::Invalid("A demo test student's token exists only in demo mode. Paste a token instead.".into()));
                };
                no_scope_token = no_scope_token.or(Some(no_scope));
                TokenSource::DemoStudent(token)
            }
        };
        Ok(CheckRequest {
            profile_id: self.profile_id,
            token,
            no_scope_token,
            sis_url: self.sis_url.filter(|u| !u.trim().is_empty()),
            slow_after: None,
        })
    }
}

fn item(check: &str, endpoint: Endpoint, title: &str, verdict: Verdict, detail: impl Into<String>) -> CheckItem {
    CheckItem {
        check: check.into(),
        endpoint,
        title: title.into(),
        verdict,
        detail: detail.into(),
        hint: None,
        spec_defects: Vec::new(),
        latency_ms: None,
        exchange: None,
    }
}

impl CheckItem {
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn seen(mut self, seen: &Seen) -> Self {
        self.latency_ms = Some(seen.ms);
        self.exchange = Some(seen.exchange.clone());
        self
    }
}

/// The scopes a partner's token must carry for our endpoints.
pub fn required_scopes(schac_home: &str) -> Vec<String> {
    vec![format!("{schac_home}/persons"), format!("{schac_home}/results"), "email".into()]
}

fn settings(profile: &Profile) -> Result<&crate::connection::OoapiSettings> {
    match &profile.settings {
        ProfileSettings::Ooapi(o) => Ok(o),
        _ => {
            Err(Error::Invalid(format!("\"{}\" is not an OOAPI connection: pick the one that describes our home endpoints.", profile.name)))
        }
    }
}

/// A token for the check.
pub async fn resolve_token(cw: &Crosswalk, source: &TokenSource) -> Result<(SecretString, String)> {
    match source {
        TokenSource::Pasted(t) => {
            let t = SecretString::new(t.expose().trim().trim_start_matches("Bearer ").trim());
            if t.expose().is_empty() {
                return Err(Error::Invalid("The pasted token is empty. Paste a test student's access token.".into()));
            }
            Ok((t, "pasted".into()))
        }
        TokenSource::DemoStudent(t) => Ok((t.clone(), "a demo test student of the built-in sandbox".into())),
        TokenSource::Connection(id) => {
            let q = cw.profile(id)?;
            let req = super::token_request(&q)?;
            let token = cw.token(&q, &req, SecretField::ClientSecret).await?;
            Ok((token.value.clone(), format!("client credentials of \"{}\"", q.name)))
        }
    }
}

/// RFC 7662 introspection of `token` with the resource server's own client of `profile`.
pub async fn introspect(
    cw: &Crosswalk,
    profile: &Profile,
    token: &SecretString,
    source: &str,
    cancel: &CancellationToken,
) -> Result<TokenReport> {
    let o = settings(profile)?;
    let required = required_scopes(&o.schac_home);
    let title = "Introspection (RFC 7662)";
    let Some(url) = super::endpoints::introspection(profile)? else {
        return Ok(TokenReport {
            facts: None,
            items: vec![item(
                "token.introspection",
                Endpoint::Token,
                title,
                Verdict::Skipped,
                "No introspection URL is set for this connection, so the token was not introspected.",
            )
            .hint("Add the introspection URL, the resource server's client id and its secret to the connection in Connections.")],
        });
    };
    let client_id = o.introspection_client_id.clone().unwrap_or_default();
    let started = Instant::now();
    let req = Request::new("The introspection endpoint", Method::POST, url.clone())
        .auth(Auth::Basic { user: &client_id, field: SecretField::IntrospectionSecret })
        .body(Body::Form(vec![("token".into(), token.expose().to_string())]))
        .cancel(cancel)
        .max_bytes(MAX_ANSWER);
    let answer = match cw.send(profile, req).await {
        Ok(a) => a,
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(e) => {
            return Ok(TokenReport {
                facts: None,
                items: vec![item("token.introspection", Endpoint::Token, title, Verdict::Fail, e.to_string())
                    .hint("Check the introspection URL and the resource server's client id and secret in Connections.")],
            })
        }
    };
    let seen = Seen::of(&format!("POST {url}\ntoken=[token]"), &answer, started, &[token]);
    let mut items = Vec::new();
    match answer.status {
        200 => {}
        401 | 403 => {
            items.push(
                item(
                    "token.introspection",
                    Endpoint::Token,
                    title,
                    Verdict::Fail,
                    format!("The introspection endpoint refused our resource server's credentials ({}): this says nothing about the token.", answer.status),
                )
                .hint(format!("Check the introspection client id (\"{client_id}\") and its secret in Connections; the authorization server must know them as a resource server."))
                .seen(&seen),
            );
            return Ok(TokenReport { facts: None, items });
        }
        s => {
            items.push(
                item("token.introspection", Endpoint::Token, title, Verdict::Fail, format!("The introspection endpoint answered {s}."))
                    .hint("Check the introspection URL in Connections.")
                    .seen(&seen),
            );
            return Ok(TokenReport { facts: None, items });
        }
    }
    let v = answer.value();
    if !v.is_object() {
        items.push(
            item("token.introspection", Endpoint::Token, title, Verdict::Fail, "The introspection answer is not a JSON object.")
                .hint("Check the introspection URL in Connections: it may point at a web page.")
                .seen(&seen),
        );
        return Ok(TokenReport { facts: None, items });
    }
    items.push(
        item(
            "token.introspection",
            Endpoint::Token,
            title,
            Verdict::Pass,
            "The introspection endpoint accepted our resource server's credentials.",
        )
        .seen(&seen),
    );
    let active = v.get("active").and_then(Value::as_bool);
    let scopes: Vec<String> = v.get("scope").and_then(Value::as_str).unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    let missing: Vec<String> = required.iter().filter(|r| !scopes.contains(r)).cloned().collect();
    let exp = v.get("exp").and_then(Value::as_i64);
    let now = cw.clock.now();
    let facts = TokenFacts {
        source: source.into(),
        active,
        expires_at: exp.and_then(|e| chrono::DateTime::from_timestamp(e, 0)).map(|d| d.to_rfc3339()),
        expires_in_secs: exp.map(|e| e - now.timestamp()),
        scopes: scopes.clone(),
        required_scopes: required.clone(),
        missing_scopes: missing.clone(),
        email: v.get("email").and_then(Value::as_str).map(str::to_owned),
        client_id: v.get("client_id").and_then(Value::as_str).map(str::to_owned),
        audience: match v.get("aud") {
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        },
    };
    if active != Some(true) {
        items.push(
            item("token.active", Endpoint::Token, "Token is active", Verdict::Fail, "Introspection says the token is not active (`active: false`): it expired, was revoked, or was never issued by this authorization server.")
                .hint("Get a fresh token (sign in again as the test student) and run the check again."),
        );
        return Ok(TokenReport { facts: Some(facts), items });
    }
    items.push(item("token.active", Endpoint::Token, "Token is active", Verdict::Pass, "Introspection says `active: true`."));
    items.push(match facts.expires_in_secs {
        None => item("token.expiry", Endpoint::Token, "Token expiry", Verdict::Warn, "Introspection gives no `exp`.")
            .hint("A token without an end is a risk; ask the authorization server's team whether `exp` is left out on purpose."),
        Some(s) if s <= 0 => item(
            "token.expiry",
            Endpoint::Token,
            "Token expiry",
            Verdict::Fail,
            "The token's `exp` is in the past, yet it is called active.",
        )
        .hint("The authorization server's clock or its introspection is wrong; tell its team."),
        Some(s) if s < 300 => item(
            "token.expiry",
            Endpoint::Token,
            "Token expiry",
            Verdict::Warn,
            format!("The token expires in {s} s: the check may outlive it."),
        )
        .hint("Get a fresh token before running the check."),
        Some(s) => item("token.expiry", Endpoint::Token, "Token expiry", Verdict::Pass, format!("Expires in {}.", human_duration(s))),
    });
    items.push(if missing.is_empty() {
        item("token.scopes", Endpoint::Token, "Institution scopes", Verdict::Pass, format!("The token carries {}.", required.join(", ")))
    } else {
        item(
            "token.scopes",
            Endpoint::Token,
            "Institution scopes",
            Verdict::Fail,
            format!("Missing: {}. The token has: {}.", missing.join(", "), if scopes.is_empty() { "no scope".to_string() } else { scopes.join(" ") }),
        )
        .hint(format!("Ask the authorization server's team (MyAcademicID for EuroTeQ) to grant the partner's client the scopes {}; then partners ask for them when the student signs in.", missing.join(" ")))
    });
    items.push(match &facts.email {
        Some(e) if !e.trim().is_empty() => item(
            "token.email",
            Endpoint::Token,
            "E-mail address",
            Verdict::Pass,
            "The token carries `email`; the home endpoints find the student by it.",
        ),
        _ => item(
            "token.email",
            Endpoint::Token,
            "E-mail address",
            Verdict::Fail,
            "The token carries no `email`, so our endpoints cannot find whose it is (a client's own token?).",
        )
        .hint("Use the token of a test student who signed in through the broker, with the `email` scope."),
    });
    items.push(item(
        "token.client",
        Endpoint::Token,
        "Client and audience",
        Verdict::Info,
        format!(
            "client_id {}; aud {}.",
            facts.client_id.as_deref().unwrap_or("(none)"),
            if facts.audience.is_empty() { "(none)".to_string() } else { facts.audience.join(", ") }
        ),
    ));
    Ok(TokenReport { facts: Some(facts), items })
}

fn human_duration(secs: i64) -> String {
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7_200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3_600),
        s => format!("{} days", s / 86_400),
    }
}

/// One answer, as the check keeps it.
#[derive(Debug, Clone)]
struct Seen {
    status: u16,
    content_type: String,
    value: Value,
    text: String,
    ms: u64,
    exchange: String,
    cert_not_after: Option<chrono::DateTime<chrono::Utc>>,
}

impl Seen {
    fn of(request: &str, answer: &Answer, started: Instant, tokens: &[&SecretString]) -> Self {
        let text = String::from_utf8_lossy(&answer.body).to_string();
        let kept: String = text.chars().take(KEPT_ANSWER_CHARS).collect();
        let cut = if kept.len() < text.len() { "\n[cut]" } else { "" };
        let exchange = blank(&format!("{request}\n\n{} {}\n{kept}{cut}", answer.status, answer.content_type()), tokens);
        Seen {
            status: answer.status,
            content_type: answer.content_type(),
            value: answer.value(),
            text,
            ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            exchange,
            cert_not_after: answer.cert_not_after,
        }
    }

    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `text` with every token blanked out.
fn blank(text: &str, tokens: &[&SecretString]) -> String {
    let mut out = text.to_string();
    for t in tokens {
        let t = t.expose();
        if t.len() >= 4 {
            out = out.replace(t, "[token]");
        }
    }
    out
}

/// A token that no authorization server issued.
const GARBAGE_TOKEN: &str = "crosswalk-endpoint-check-not-a-token";

/// The token to present on one call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Presented {
    Valid,
    NoToken,
    Garbage,
    NoScope,
}

impl Presented {
    fn shown(self) -> &'static str {
        match self {
            Presented::Valid => "Authorization: Bearer [token]",
            Presented::NoToken => "(no Authorization header)",
            Presented::Garbage => "Authorization: Bearer [a made-up token]",
            Presented::NoScope => "Authorization: Bearer [token without the institution scopes]",
        }
    }
}

/// The state of one run of the endpoint checks.
struct Probe<'a> {
    cw: &'a Crosswalk,
    profile: &'a Profile,
    cancel: &'a CancellationToken,
    token: SecretString,
    no_scope: Option<SecretString>,
    garbage: SecretString,
    /// Error answers seen, per endpoint: for the problem+json check.
    errors: BTreeMap<Endpoint, Vec<Seen>>,
    /// Slowest call per endpoint.
    slowest: BTreeMap<Endpoint, u64>,
    cert: Option<chrono::DateTime<chrono::Utc>>,
    created: Vec<String>,
    items: Vec<CheckItem>,
}

impl<'a> Probe<'a> {
    fn service(&self) -> String {
        format!("Our home endpoints ({})", settings(self.profile).map(|o| o.schac_home.as_str()).unwrap_or_default())
    }

    /// Sends one request; a transport failure becomes an `Err` with plain words.
    async fn call(&mut self, endpoint: Endpoint, method: Method, url: url::Url, who: Presented, body: Body) -> Result<Seen> {
        let token = match who {
            Presented::Valid => Some(&self.token),
            Presented::NoToken => None,
            Presented::Garbage => Some(&self.garbage),
            Presented::NoScope => self.no_scope.as_ref(),
        };
        let shown_body = match &body {
            Body::Json(v) => format!("\nContent-Type: application/json\n\n{}", serde_json::to_string_pretty(v).unwrap_or_default()),
            Body::MergePatch(v) => {
                format!("\nContent-Type: application/merge-patch+json\n\n{}", serde_json::to_string_pretty(v).unwrap_or_default())
            }
            _ => String::new(),
        };
        let request = format!("{method} {url}\n{}{shown_body}", who.shown());
        let mut req = Request::new(self.service(), method, url).body(body).cancel(self.cancel).max_bytes(MAX_ANSWER);
        if let Some(t) = token {
            req = req.auth(Auth::Bearer(t));
        }
        let started = Instant::now();
        let answer = self.cw.send(self.profile, req).await?;
        let mut tokens = vec![&self.token, &self.garbage];
        if let Some(n) = &self.no_scope {
            tokens.push(n);
        }
        let seen = Seen::of(&request, &answer, started, &tokens);
        let slowest = self.slowest.entry(endpoint).or_default();
        *slowest = (*slowest).max(seen.ms);
        if seen.cert_not_after.is_some() {
            self.cert = seen.cert_not_after;
        }
        if !seen.ok() {
            self.errors.entry(endpoint).or_default().push(seen.clone());
        }
        if seen.ok() && endpoint == Endpoint::CreateAssociation {
            if let Some(id) = seen.value.get("associationId").and_then(Value::as_str) {
                if !self.created.iter().any(|c| c == id) {
                    self.created.push(id.to_owned());
                }
            }
        }
        Ok(seen)
    }

    fn push(&mut self, item: CheckItem) {
        self.items.push(item);
    }

    /// A call whose transport failed: the check fails with the reason.
    fn failed(&mut self, check: &str, endpoint: Endpoint, title: &str, e: &Error) {
        self.push(
            item(check, endpoint, title, Verdict::Fail, e.to_string())
                .hint("Check that the endpoint is up and reachable from here (address, network, proxy, certificate)."),
        );
    }

    /// Schema validation of an answer as `message`.
    fn schema(&mut self, endpoint: Endpoint, message: Message, seen: &Seen) {
        let title = "Answer follows the OOAPI v5 schema";
        let report = schema::validate(message, &seen.value);
        let defects: Vec<String> = report
            .relaxations
            .iter()
            .map(|r| format!("{}: {} (spec defect, not your bug)", if r.at.is_empty() { "(body)" } else { &r.at }, r.note))
            .collect();
        let mut it = if seen.value.is_null() {
            item(
                "schema",
                endpoint,
                title,
                Verdict::Fail,
                format!("The answer is not JSON ({}).", if seen.content_type.is_empty() { "no content type" } else { &seen.content_type }),
            )
            .hint("The endpoint must answer application/json.")
        } else if report.is_valid() {
            item("schema", endpoint, title, Verdict::Pass, "Valid against the v5 specification.")
        } else {
            item("schema", endpoint, title, Verdict::Fail, report.summary())
                .hint("Fix the answer so that it follows the OOAPI v5 specification (shared/specs/ooapi-v5.yaml).")
        };
        it.spec_defects = defects;
        self.push(it.seen(seen));
    }

    /// Negative auth on one endpoint: no token and a garbage token → 401; a token without the
    /// institution scope → 403.
    async fn negative_auth(&mut self, endpoint: Endpoint, method: Method, url: &url::Url, body: Option<&Value>) {
        for (who, check, title) in
            [(Presented::NoToken, "auth.no_token", "No token → 401"), (Presented::Garbage, "auth.garbage_token", "Made-up token → 401")]
        {
            let b = body.map_or(Body::Empty, |v| Body::Json(v.clone()));
            match self.call(endpoint, method.clone(), url.clone(), who, b).await {
                Ok(seen) => {
                    let it = match seen.status {
                        401 => item(check, endpoint, title, Verdict::Pass, "Refused with 401."),
                        s if (200..300).contains(&s) => item(check, endpoint, title, Verdict::Fail, format!("Answered {s}: the endpoint does not check tokens."))
                            .hint("Validate every bearer token by introspection before answering; answer 401 when it is missing or not active."),
                        s => item(check, endpoint, title, Verdict::Fail, format!("Answered {s}, not 401."))
                            .hint("A missing or unknown token must be answered 401 (with WWW-Authenticate: Bearer), before anything else is looked at."),
                    };
                    self.push(it.seen(&seen));
                }
                Err(Error::Cancelled) => return,
                Err(e) => self.failed(check, endpoint, title, &e),
            }
        }
        let title = "Token without the institution scope → 403";
        if self.no_scope.is_none() {
            self.push(
                item("auth.no_scope", endpoint, title, Verdict::Skipped, "Not checked: no token without the institution scopes was given.")
                    .hint("Give a second token that lacks <domain>/persons and <domain>/results to check the scope is enforced."),
            );
            return;
        }
        let b = body.map_or(Body::Empty, |v| Body::Json(v.clone()));
        match self.call(endpoint, method, url.clone(), Presented::NoScope, b).await {
            Ok(seen) => {
                let it = match seen.status {
                    403 => item("auth.no_scope", endpoint, title, Verdict::Pass, "Refused with 403."),
                    401 => item("auth.no_scope", endpoint, title, Verdict::Warn, "Refused, but with 401 instead of 403 (insufficient_scope).")
                        .hint("Answer 403 with error=\"insufficient_scope\" so partners know to ask for the scope rather than a new token."),
                    s if (200..300).contains(&s) => item(
                        "auth.no_scope",
                        endpoint,
                        title,
                        Verdict::Fail,
                        format!("Answered {s}: a token without our institution scopes was accepted, so any token of the authorization server works here."),
                    )
                    .hint("After introspection, check that the token's `scope` holds <domain>/persons (persons) or <domain>/results (associations); answer 403 otherwise."),
                    s => item("auth.no_scope", endpoint, title, Verdict::Fail, format!("Answered {s}, not 403.")).hint("A token without the institution scope must be answered 403."),
                };
                self.push(it.seen(&seen));
            }
            Err(Error::Cancelled) => {}
            Err(e) => self.failed("auth.no_scope", endpoint, title, &e),
        }
    }
}

/// The POST body the check sends: the example EuroTeQ offering (the one the create form shows),
/// made recognisable as a test and given a fresh offering id, built and checked as every create
/// body is ([`crate::ooapi::body::post_body`]).
pub fn sample_create_body(host_schac_home: &str) -> Result<Value> {
    let text = |t: &str| json!([{"language": "en-GB", "value": t}]);
    let mut template = crate::ooapi::body::example_template(host_schac_home);
    let o = &mut template["offering"];
    o["offeringId"] = json!(new_uuid());
    o["primaryCode"]["code"] = json!("CROSSWALK-ENDPOINT-CHECK");
    o["name"] = text("Crosswalk endpoint check (test enrollment, canceled at once)");
    o["description"] = text("Sent by Crosswalk's endpoint check to test the associations endpoint. It is canceled when the check ends.");
    o["resultValueType"] = json!("0-100");
    o["course"]["primaryCode"]["code"] = json!("CROSSWALK-CHECK");
    o["course"]["name"] = text("Crosswalk endpoint check");
    template["issuer"]["name"] = text("Crosswalk endpoint check");
    template["issuer"]["shortName"] = json!("CHECK");
    crate::ooapi::body::post_body(&template, "pending")
}

/// A random (version 4) UUID.
fn new_uuid() -> String {
    uuid::Builder::from_random_bytes(rand::random()).into_uuid().to_string()
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok() && s.len() == 36
}

/// Runs every check and keeps the run (without tokens) for the next diff.
pub async fn run(cw: &Crosswalk, req: &CheckRequest, cancel: &CancellationToken) -> Result<CheckReport> {
    let profile = cw.profile(&req.profile_id)?;
    let o = settings(&profile)?.clone();
    let started_at = cw.clock.now();
    let (token, source) = resolve_token(cw, &req.token).await?;
    let mut token_report = introspect(cw, &profile, &token, &source, cancel).await?;
    let slow_after = req.slow_after.unwrap_or(SLOW_AFTER);
    let mut p = Probe {
        cw,
        profile: &profile,
        cancel,
        token,
        no_scope: req.no_scope_token.clone(),
        garbage: SecretString::new(GARBAGE_TOKEN),
        errors: BTreeMap::new(),
        slowest: BTreeMap::new(),
        cert: None,
        created: Vec::new(),
        items: std::mem::take(&mut token_report.items),
    };

    let probed = probe_endpoints(&mut p, &profile, &o, slow_after).await;
    clean_up(&mut p, &profile).await;
    let Probed { person, body, mut dialects } = probed?;

    // SIS backend.
    let sis_url = req.sis_url.clone().or(o.sis_url.clone()).filter(|u| !u.trim().is_empty());
    let sis_items = sis_check(cw, &profile, sis_url.as_deref(), &body["offering"], person.as_ref(), cancel).await?;
    p.items.extend(sis_items);

    let items = p.items;
    let created = p.created;
    let mut counts = VerdictCounts::default();
    for it in &items {
        match it.verdict {
            Verdict::Pass => counts.pass += 1,
            Verdict::Info => counts.info += 1,
            Verdict::Skipped => counts.skipped += 1,
            Verdict::Warn => counts.warn += 1,
            Verdict::Fail => counts.fail += 1,
        }
    }
    dialects.sort();
    dialects.dedup();
    let mut report = CheckReport {
        profile_id: profile.id.clone(),
        profile_name: profile.name.clone(),
        schac_home: o.schac_home.clone(),
        persons_url: o.persons_url.clone(),
        associations_url: o.associations_url.clone(),
        sis_url,
        started_at: started_at.to_rfc3339(),
        finished_at: cw.clock.now().to_rfc3339(),
        token: token_report.facts,
        items,
        counts,
        problem_dialect: (!dialects.is_empty()).then(|| dialects.join(" and ")),
        created,
        diff: Vec::new(),
        previous_run_at: None,
    };
    runs::record(cw, &mut report)?;
    Ok(report)
}

/// What the endpoint checks leave for the rest of the run.
struct Probed {
    person: Option<Value>,
    body: Value,
    dialects: Vec<String>,
}

/// The checks of the four endpoints, into `p.items`. A cancel stops them; the caller cleans up.
async fn probe_endpoints(
    p: &mut Probe<'_>,
    profile: &Profile,
    o: &crate::connection::OoapiSettings,
    slow_after: Duration,
) -> Result<Probed> {
    let cancel = p.cancel;
    let cw = p.cw;
    // GET /persons/me
    let persons_me = super::endpoints::person(profile, "me")?;
    let mut person: Option<Value> = None;
    let e = Endpoint::PersonsMe;
    match p.call(e, Method::GET, persons_me.clone(), Presented::Valid, Body::Empty).await {
        Ok(seen) if seen.status == 200 => {
            p.push(item("status", e, "Answers with the test token", Verdict::Pass, "200 OK.").seen(&seen));
            p.schema(e, Message::PersonMe, &seen);
            person = Some(seen.value.clone());
        }
        Ok(seen) => {
            let it = item("status", e, "Answers with the test token", Verdict::Fail, format!("Answered {}, not 200.", seen.status));
            p.push(status_hint(it, seen.status).seen(&seen));
        }
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(err) => p.failed("status", e, "Answers with the test token", &err),
    }
    p.negative_auth(e, Method::GET, &persons_me, None).await;
    cancelled(cancel)?;

    // POST /associations/external/me
    let e = Endpoint::CreateAssociation;
    let create_url = super::endpoints::external_association(profile, "me")?;
    let body = sample_create_body(&format!("crosswalk-check.{}", o.schac_home))?;
    let mut association: Option<String> = None;
    match p.call(e, Method::POST, create_url.clone(), Presented::Valid, Body::Json(body.clone())).await {
        Ok(seen) => {
            let status_item = match seen.status {
                201 => item("status", e, "Creates with 201", Verdict::Pass, "201 Created."),
                200 => item("status", e, "Creates with 201", Verdict::Warn, "Answered 200, not 201: the enrollment receiver keeps an association id only after a 201, so partners lose track of it.")
                    .hint("Answer a new association with 201 Created."),
                s => status_hint(item("status", e, "Creates with 201", Verdict::Fail, format!("Answered {s}: the test association was refused.")), s),
            };
            p.push(status_item.seen(&seen));
            if seen.ok() {
                let id = seen.value.get("associationId").and_then(Value::as_str).map(str::to_owned);
                p.push(match &id {
                    Some(id) if is_uuid(id) => {
                        item("create.association_id", e, "associationId is a UUID", Verdict::Pass, format!("associationId {id}."))
                    }
                    Some(id) => item(
                        "create.association_id",
                        e,
                        "associationId is a UUID",
                        Verdict::Fail,
                        format!("associationId \"{id}\" is not a UUID."),
                    )
                    .hint("v5 says associationId is a UUID; partners store it as one."),
                    None => item(
                        "create.association_id",
                        e,
                        "associationId is a UUID",
                        Verdict::Fail,
                        "The answer has no associationId: the partner can never ask about this enrollment again.",
                    )
                    .hint("Answer {associationId, message, state} as v5 says."),
                });
                let messages = seen.value.get("message").and_then(Value::as_array).map(|m| {
                    m.iter()
                        .filter(|x| x.get("language").and_then(Value::as_str).is_some() && x.get("value").and_then(Value::as_str).is_some())
                        .count()
                });
                p.push(match messages {
                    Some(n) if n > 0 => {
                        item("create.message", e, "message in at least one language", Verdict::Pass, format!("{n} message text(s)."))
                    }
                    _ => item(
                        "create.message",
                        e,
                        "message in at least one language",
                        Verdict::Fail,
                        "No `message` with at least one {language, value}: the broker has nothing to show the student.",
                    )
                    .hint("Answer `message: [{\"language\": \"en-GB\", \"value\": \"…\"}]`."),
                });
                p.schema(e, Message::CreateAnswer, &seen);
                association = id;
            }
        }
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(err) => p.failed("status", e, "Creates with 201", &err),
    }
    let mut without = body.clone();
    if let Some(m) = without.as_object_mut() {
        m.remove("remoteState");
    }
    let title = "Body without remoteState → 400";
    match p.call(e, Method::POST, create_url.clone(), Presented::Valid, Body::Json(without)).await {
        Ok(seen) => {
            let it = match seen.status {
                400 => item("create.missing_remote_state", e, title, Verdict::Pass, "Refused with 400."),
                s if (200..300).contains(&s) => item(
                    "create.missing_remote_state",
                    e,
                    title,
                    Verdict::Fail,
                    format!("Answered {s}: an association without remoteState was accepted."),
                )
                .hint("remoteState is required (associated, pending or queued); answer 400 problem+json without it."),
                s => item("create.missing_remote_state", e, title, Verdict::Fail, format!("Answered {s}, not 400."))
                    .hint("A body that breaks the schema is answered 400 problem+json."),
            };
            p.push(it.seen(&seen));
        }
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(err) => p.failed("create.missing_remote_state", e, title, &err),
    }
    p.negative_auth(e, Method::POST, &create_url, Some(&body)).await;
    cancelled(cancel)?;

    // GET /associations/{id}
    let e = Endpoint::GetAssociation;
    let unknown = new_uuid();
    let target = association.clone().unwrap_or_else(|| unknown.clone());
    let get_url = super::endpoints::association(profile, &target)?;
    if let Some(id) = &association {
        let mut expanded = get_url.clone();
        expanded.query_pairs_mut().append_pair("expand", "person,offering");
        match p.call(e, Method::GET, expanded, Presented::Valid, Body::Empty).await {
            Ok(seen) if seen.status == 200 => {
                p.push(item("status", e, "Reads the new association", Verdict::Pass, "200 OK.").seen(&seen));
                p.schema(e, Message::Association, &seen);
                let person_expanded = seen.value.get("person").is_some_and(Value::is_object);
                let offering_expanded = seen.value.get("offering").is_some_and(Value::is_object);
                p.push(if person_expanded && offering_expanded {
                    item("get.expand", e, "?expand=person,offering honoured", Verdict::Pass, "person and offering came as objects.")
                } else {
                    item(
                        "get.expand",
                        e,
                        "?expand=person,offering honoured",
                        Verdict::Warn,
                        format!(
                            "Not expanded: {}.",
                            [(!person_expanded).then_some("person"), (!offering_expanded).then_some("offering")]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    )
                    .hint("Give the person and the offering as objects when ?expand asks for them; staff tools show names from them.")
                });
                let first = seen.value.get("state").and_then(Value::as_str).map(str::to_owned);
                let title = "The same id read twice gives the same state";
                match p.call(e, Method::GET, get_url.clone(), Presented::Valid, Body::Empty).await {
                    Ok(again) if again.status == 200 => {
                        let second = again.value.get("state").and_then(Value::as_str).map(str::to_owned);
                        p.push(
                            if first == second {
                                item(
                                    "get.same_state",
                                    e,
                                    title,
                                    Verdict::Pass,
                                    format!("state {} both times.", first.as_deref().unwrap_or("(none)")),
                                )
                            } else {
                                item(
                                    "get.same_state",
                                    e,
                                    title,
                                    Verdict::Fail,
                                    format!(
                                "The state changed between two reads a moment apart ({} then {}): partners polling it would see it flip.",
                                first.as_deref().unwrap_or("(none)"),
                                second.as_deref().unwrap_or("(none)")
                            ),
                                )
                                .hint("Answer the association's stored state; never make one up per request.")
                            }
                            .seen(&again),
                        );
                    }
                    Ok(again) => p.push(
                        item("get.same_state", e, title, Verdict::Fail, format!("The second read answered {}.", again.status)).seen(&again),
                    ),
                    Err(Error::Cancelled) => return Err(Error::Cancelled),
                    Err(err) => p.failed("get.same_state", e, title, &err),
                }
            }
            Ok(seen) => {
                let it = item(
                    "status",
                    e,
                    "Reads the new association",
                    Verdict::Fail,
                    format!("Answered {} for the association it just created ({id}).", seen.status),
                );
                p.push(status_hint(it, seen.status).seen(&seen));
            }
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(err) => p.failed("status", e, "Reads the new association", &err),
        }
    } else {
        p.push(item("status", e, "Reads the new association", Verdict::Skipped, "Not checked: the POST created no association to read."));
    }
    let title = "Unknown id → 404";
    let unknown_url = super::endpoints::association(profile, &unknown)?;
    match p.call(e, Method::GET, unknown_url, Presented::Valid, Body::Empty).await {
        Ok(seen) => {
            let it = match seen.status {
                404 => item("get.unknown_id", e, title, Verdict::Pass, "404 for an id that does not exist."),
                s if (200..300).contains(&s) => item("get.unknown_id", e, title, Verdict::Fail, format!("Answered {s} for an association that does not exist ({unknown}): partners cannot tell a lost enrollment from a real one."))
                    .hint("Answer 404 problem+json for an id you do not know."),
                s => item("get.unknown_id", e, title, Verdict::Fail, format!("Answered {s}, not 404.")).hint("Answer 404 problem+json for an id you do not know."),
            };
            p.push(it.seen(&seen));
        }
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(err) => p.failed("get.unknown_id", e, title, &err),
    }
    p.negative_auth(e, Method::GET, &get_url, None).await;
    cancelled(cancel)?;

    // PATCH /associations/{id}
    let e = Endpoint::PatchAssociation;
    if association.is_some() {
        let title = "merge-patch+json → 200";
        match p.call(e, Method::PATCH, get_url.clone(), Presented::Valid, Body::MergePatch(json!({"remoteState": "associated"}))).await {
            Ok(seen) if seen.status == 200 => {
                p.push(item("status", e, title, Verdict::Pass, "200 OK.").seen(&seen));
                p.schema(e, Message::PatchAnswer, &seen);
            }
            Ok(seen) => {
                let it = item("status", e, title, Verdict::Fail, format!("Answered {}, not 200.", seen.status));
                p.push(status_hint(it, seen.status).seen(&seen));
            }
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(err) => p.failed("status", e, title, &err),
        }
        let title = "application/json with personId (as the receiver sends)";
        let person_id = person.as_ref().and_then(|v| v.get("personId")).and_then(Value::as_str).unwrap_or("unknown").to_owned();
        match p
            .call(
                e,
                Method::PATCH,
                get_url.clone(),
                Presented::Valid,
                Body::Json(json!({"remoteState": "associated", "personId": person_id})),
            )
            .await
        {
            Ok(seen) => {
                let it = if seen.ok() {
                    item(
                        "patch.receiver_style",
                        e,
                        title,
                        Verdict::Info,
                        "Tolerated: the enrollment receiver's PATCHes (plain JSON with an extra personId) will work.",
                    )
                } else {
                    item(
                        "patch.receiver_style",
                        e,
                        title,
                        Verdict::Warn,
                        format!(
                            "Refused with {}: PATCHes forwarded by SURF's enrollment receiver (application/json plus personId) would fail.",
                            seen.status
                        ),
                    )
                    .hint("Accept application/json as well as application/merge-patch+json, and ignore members you do not know.")
                };
                p.push(it.seen(&seen));
            }
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(err) => p.failed("patch.receiver_style", e, title, &err),
        }
    } else {
        p.push(item("status", e, "merge-patch+json → 200", Verdict::Skipped, "Not checked: the POST created no association to change."));
    }
    let patch_body = json!({"remoteState": "associated"});
    p.negative_auth(e, Method::PATCH, &get_url, Some(&patch_body)).await;
    cancelled(cancel)?;

    // Every error answer: problem+json with status and title.
    let mut dialects = Vec::new();
    for e in Endpoint::HOME {
        let seen = p.errors.get(&e).cloned().unwrap_or_default();
        let it = problem_check(e, &seen, &mut dialects);
        p.push(it);
    }
    // Latency.
    for e in Endpoint::HOME {
        let title = "Answers in time";
        let it = match p.slowest.get(&e) {
            None => item("latency", e, title, Verdict::Skipped, "No call was answered."),
            Some(ms) if Duration::from_millis(*ms) > slow_after => item(
                "latency",
                e,
                title,
                Verdict::Warn,
                format!("The slowest call took {:.1} s (over {} s).", *ms as f64 / 1000.0, slow_after.as_secs_f64()),
            )
            .hint("The broker and the enrollment receiver give up after 20 s and tell the student to wait for mail; make this endpoint faster."),
            Some(ms) => item("latency", e, title, Verdict::Pass, format!("The slowest call took {ms} ms.")),
        };
        let mut it = it;
        it.latency_ms = p.slowest.get(&e).copied();
        p.push(it);
    }
    // Transport: HTTPS and the certificate.
    let transport = transport_check(&o.persons_url, p.cert, cw.clock.now());
    p.push(transport);

    Ok(Probed { person, body, dialects })
}

/// Cancels every association the check created (also after a cancel or a failure).
async fn clean_up(p: &mut Probe<'_>, profile: &Profile) {
    // Clean up: cancel what the check created.
    let mut canceled = Vec::new();
    let mut left = Vec::new();
    for id in p.created.clone() {
        let url = match super::endpoints::association(profile, &id) {
            Ok(u) => u,
            Err(err) => {
                left.push(format!("{id} ({err})"));
                continue;
            }
        };
        let never = CancellationToken::new();
        let req = Request::new(p.service(), Method::PATCH, url)
            .auth(Auth::Bearer(&p.token))
            .body(Body::MergePatch(json!({"remoteState": "canceled"})))
            .cancel(&never);
        match p.cw.send(profile, req).await {
            Ok(a) if a.is_success() => canceled.push(id),
            Ok(a) => left.push(format!("{id} (answered {})", a.status)),
            Err(err) => left.push(format!("{id} ({err})")),
        }
    }
    let title = "Test associations canceled";
    p.push(if p.created.is_empty() {
        item("cleanup", Endpoint::PatchAssociation, title, Verdict::Info, "The check created no association.")
    } else if left.is_empty() {
        item(
            "cleanup",
            Endpoint::PatchAssociation,
            title,
            Verdict::Pass,
            format!("Canceled the {} association(s) the check created.", canceled.len()),
        )
    } else {
        item("cleanup", Endpoint::PatchAssociation, title, Verdict::Warn, format!("Could not cancel: {}.", left.join(", ")))
            .hint("Cancel these test associations by hand in the home system.")
    });
}

fn cancelled(cancel: &CancellationToken) -> Result<()> {
    if cancel.is_cancelled() {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}

/// A hint for an unexpected status with the valid test token.
fn status_hint(it: CheckItem, status: u16) -> CheckItem {
    match status {
        401 => it.hint("Our endpoint refused the test token: check the token check above (active, scopes, email) and that the endpoint introspects at the right authorization server."),
        403 => it.hint("Our endpoint says the token lacks a scope: compare the token's scopes with what the endpoint requires."),
        404 => it.hint("Not found: check the persons / associations URL of the connection, and that the test student exists in our SIS (found by the token's email)."),
        s if s >= 500 => it.hint("Our endpoint had an error: see its logs."),
        _ => it.hint("See the answer below."),
    }
}

/// Every error answer of `endpoint` must be `application/problem+json` with `status` (a string in
/// v5) and `title`.
/// The problem+json verdict on one error answer (the fuzz target's way in).
pub(crate) fn problem_verdict(status: u16, content_type: &str, body: &[u8]) -> CheckItem {
    let text = String::from_utf8_lossy(body).into_owned();
    let seen = Seen {
        status,
        content_type: content_type.to_string(),
        value: serde_json::from_slice(body).unwrap_or(Value::Null),
        text,
        ms: 0,
        exchange: String::new(),
        cert_not_after: None,
    };
    problem_check(Endpoint::GetAssociation, &[seen], &mut Vec::new())
}

fn problem_check(e: Endpoint, seen: &[Seen], dialects: &mut Vec<String>) -> CheckItem {
    let title = "Errors are problem+json";
    if seen.is_empty() {
        return item("errors.problem_json", e, title, Verdict::Skipped, "No error answer was seen.");
    }
    let mut faults = Vec::new();
    let mut example: Option<&Seen> = None;
    for s in seen {
        let mut wrong = Vec::new();
        if s.value.is_null() {
            let page = s.text.trim_start().starts_with('<');
            wrong.push(format!(
                "{} answered {} ({})",
                s.status,
                if page { "a web page" } else { "no JSON" },
                if s.content_type.is_empty() { "no content type" } else { &s.content_type }
            ));
        } else {
            if s.content_type != "application/problem+json" {
                wrong.push(format!(
                    "{} answered {} instead of application/problem+json",
                    s.status,
                    if s.content_type.is_empty() { "no content type" } else { &s.content_type }
                ));
            }
            match s.value.get("status") {
                Some(Value::String(st)) => {
                    dialects.push("v5 (status a string)".into());
                    if st.trim() != s.status.to_string() {
                        wrong.push(format!("{} has status \"{st}\"", s.status));
                    }
                }
                Some(Value::Number(n)) => {
                    dialects.push("v6 (status an integer)".into());
                    wrong.push(format!(
                        "{} has status {n} as an integer, as OOAPI v6 writes it; v5 says a string (\"{}\")",
                        s.status, s.status
                    ));
                }
                _ => wrong.push(format!("{} has no status", s.status)),
            }
            if !s.value.get("title").is_some_and(Value::is_string) {
                wrong.push(format!("{} has no title", s.status));
            }
        }
        if !wrong.is_empty() && example.is_none() {
            example = Some(s);
        }
        faults.extend(wrong);
    }
    if faults.is_empty() {
        return item(
            "errors.problem_json",
            e,
            title,
            Verdict::Pass,
            format!("All {} error answer(s) are problem+json with status and title.", seen.len()),
        );
    }
    faults.dedup();
    let mut it = item("errors.problem_json", e, title, Verdict::Fail, format!("{}.", faults.join("; ")))
        .hint("Answer every error as application/problem+json {\"status\": \"404\", \"title\": \"…\", \"detail\": \"…\"} (status a string in v5), also from proxies and gateways in front of the endpoint.");
    if let Some(s) = example {
        it = it.seen(s);
    }
    it
}

/// HTTPS, and the certificate's end.
fn transport_check(url: &str, cert: Option<chrono::DateTime<chrono::Utc>>, now: chrono::DateTime<chrono::Utc>) -> CheckItem {
    let title = "HTTPS and certificate";
    let e = Endpoint::PersonsMe;
    let parsed = url::Url::parse(url).ok();
    let loopback =
        parsed.as_ref().and_then(|u| u.host_str().map(str::to_owned)).is_some_and(|h| h == "localhost" || h == "127.0.0.1" || h == "[::1]");
    if parsed.as_ref().is_some_and(|u| u.scheme() == "http") {
        return if loopback {
            item("transport.tls", e, title, Verdict::Info, "Plain HTTP on this computer (a test server): no certificate to check.")
        } else {
            item(
                "transport.tls",
                e,
                title,
                Verdict::Fail,
                "The endpoints are served over plain HTTP: tokens and student data travel unencrypted.",
            )
            .hint("Serve the OOAPI endpoints over HTTPS only.")
        };
    }
    match cert {
        None => item("transport.tls", e, title, Verdict::Info, "HTTPS; the certificate's end could not be read."),
        Some(end) => {
            let days = (end - now).num_days();
            if end <= now {
                item("transport.tls", e, title, Verdict::Fail, format!("The certificate expired on {}.", end.format("%Y-%m-%d")))
                    .hint("Renew the server's certificate now.")
            } else if days < CERT_WARN_DAYS {
                item(
                    "transport.tls",
                    e,
                    title,
                    Verdict::Warn,
                    format!("The certificate expires in {days} day(s), on {}.", end.format("%Y-%m-%d")),
                )
                .hint("Renew the server's certificate before it expires: partners' calls fail the moment it does.")
            } else {
                item(
                    "transport.tls",
                    e,
                    title,
                    Verdict::Pass,
                    format!("HTTPS; the certificate is valid until {} ({days} days).", end.format("%Y-%m-%d")),
                )
            }
        }
    }
}

/// Posts a sample `{offering, person}` to our SIS backend, as the receiver does, and holds its
/// answer to the receiver's table.
async fn sis_check(
    cw: &Crosswalk,
    profile: &Profile,
    url: Option<&str>,
    offering: &Value,
    person: Option<&Value>,
    cancel: &CancellationToken,
) -> Result<Vec<CheckItem>> {
    let e = Endpoint::Sis;
    let title = "Answers HTTP 200";
    let Some(url) = url else {
        return Ok(vec![item(
            "sis.http_status",
            e,
            title,
            Verdict::Skipped,
            "No SIS backend URL is set, so the SIS answer was not checked.",
        )
        .hint("Set the SIS backend URL (the one the enrollment receiver calls) on the connection, or give --sis-url.")]);
    };
    let url = crate::connection::validate_url("SIS backend URL", url)?;
    let person = person.cloned().unwrap_or_else(|| {
        json!({"personId": new_uuid(), "givenName": "Test", "surname": "Student", "displayName": "Test Student", "activeEnrollment": true, "affiliations": ["student"], "mail": "test.student@example.edu"})
    });
    let body = json!({"offering": offering, "person": person});
    let started = Instant::now();
    let req =
        Request::new("Our SIS backend", Method::POST, url.clone()).body(Body::Json(body.clone())).cancel(cancel).max_bytes(MAX_ANSWER);
    let answer = match cw.send(profile, req).await {
        Ok(a) => a,
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(err) => {
            return Ok(vec![item("sis.http_status", e, title, Verdict::Fail, err.to_string())
                .hint("Check the SIS backend URL and that the backend is up.")])
        }
    };
    let seen = Seen::of(
        &format!("POST {url}\nContent-Type: application/json\n\n{}", serde_json::to_string_pretty(&body).unwrap_or_default()),
        &answer,
        started,
        &[],
    );
    let mut items = Vec::new();
    items.push(
        if seen.status == 200 {
            item("sis.http_status", e, title, Verdict::Pass, "HTTP 200.")
        } else {
            item(
                "sis.http_status",
                e,
                title,
                Verdict::Fail,
                format!("HTTP {}: the receiver expects 200 always, with the outcome in `code`.", seen.status),
            )
            .hint("Answer HTTP 200 whatever the outcome; put the outcome in `code` and `message`.")
        }
        .seen(&seen),
    );
    let v = &seen.value;
    if !v.is_object() {
        items.push(
            item("sis.result", e, "`result` present", Verdict::Fail, "The answer is not a JSON object.")
                .hint("Answer {\"result\": \"ok\", \"code\": 200, \"message\": \"…\"}."),
        );
        return Ok(items);
    }
    items.push(match v.get("result") {
        Some(Value::String(r)) if !r.is_empty() => item("sis.result", e, "`result` present", Verdict::Pass, format!("result \"{r}\".")),
        _ => item("sis.result", e, "`result` present", Verdict::Fail, "No `result`.").hint("Add \"result\": \"ok\"."),
    });
    let code =
        v.get("code").and_then(|c| c.as_u64().or_else(|| c.as_str().and_then(|s| s.parse().ok()))).and_then(|c| u16::try_from(c).ok());
    let known = code.and_then(|c| SIS_CODES.iter().find(|(k, _)| *k == c));
    items.push(match (code, known) {
        (Some(c), Some((_, meaning))) => {
            item("sis.code", e, "`code` from the receiver's table", Verdict::Pass, format!("code {c}: {meaning}."))
        }
        (Some(c), None) => {
            item("sis.code", e, "`code` from the receiver's table", Verdict::Fail, format!("code {c} is not in the receiver's table."))
                .hint(format!("Use one of: {}.", SIS_CODES.iter().map(|(c, m)| format!("{c} ({m})")).collect::<Vec<_>>().join(", ")))
        }
        (None, _) => item("sis.code", e, "`code` from the receiver's table", Verdict::Fail, "No `code`.")
            .hint("Add \"code\": 200 (or the code of the outcome)."),
    });
    let message = v.get("message").and_then(Value::as_str).map(str::trim).filter(|m| !m.is_empty());
    let denying = code.is_some_and(|c| c != 200);
    items.push(match (message, denying) {
        (Some(m), _) if m.chars().count() > SIS_MESSAGE_MAX => item(
            "sis.message",
            e,
            "`message` short and present when denying",
            Verdict::Warn,
            format!("The message has {} characters; it is shown to the student as is.", m.chars().count()),
        )
        .hint("Keep the message to a sentence or two."),
        (Some(m), _) => item("sis.message", e, "`message` short and present when denying", Verdict::Pass, format!("\"{m}\"")),
        (None, true) => item(
            "sis.message",
            e,
            "`message` short and present when denying",
            Verdict::Fail,
            "A refusal without `message`: the student is not told why.",
        )
        .hint("Say in `message`, short and clear, why the enrollment is refused and what to do."),
        (None, false) => {
            item("sis.message", e, "`message` short and present when denying", Verdict::Info, "No message (allowed when all is good).")
        }
    });
    items.push(match v.get("redirect") {
        None | Some(Value::Null) => item("sis.redirect", e, "`redirect` a URL when present", Verdict::Pass, "No redirect."),
        Some(Value::String(r)) if url::Url::parse(r).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http") => {
            item("sis.redirect", e, "`redirect` a URL when present", Verdict::Pass, format!("redirect {r}."))
        }
        Some(r) => item(
            "sis.redirect",
            e,
            "`redirect` a URL when present",
            Verdict::Fail,
            format!("redirect {r} is not a web address: the student would be sent nowhere."),
        )
        .hint("Give an absolute https:// URL of the form, or leave redirect out."),
    });
    Ok(items)
}

/// The runs kept, for the diff against the previous one.
pub mod runs {
    use rusqlite::{params, OptionalExtension};

    use super::*;

    /// Runs kept per connection.
    const KEEP: i64 = 20;

    /// Fills in the diff against the previous run of the same connection, then keeps `report`.
    pub fn record(cw: &Crosswalk, report: &mut CheckReport) -> Result<()> {
        let conn = cw.store.conn();
        let previous: Option<(String, String)> = conn
            .query_row(
                "SELECT started_at, report FROM endpoint_checks WHERE profile_id = ?1 ORDER BY id DESC LIMIT 1",
                params![report.profile_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((at, json)) = previous {
            if let Ok(prev) = serde_json::from_str::<CheckReport>(&json) {
                report.diff = diff(&prev, report);
                report.previous_run_at = Some(at);
            }
        }
        let json = serde_json::to_string(report).map_err(|e| Error::Invalid(format!("the check report cannot be kept: {e}")))?;
        conn.execute(
            "INSERT INTO endpoint_checks (profile_id, started_at, failed, report) VALUES (?1, ?2, ?3, ?4)",
            params![report.profile_id, report.started_at, report.counts.fail, json],
        )?;
        conn.execute(
            "DELETE FROM endpoint_checks WHERE profile_id = ?1 AND id NOT IN
               (SELECT id FROM endpoint_checks WHERE profile_id = ?1 ORDER BY id DESC LIMIT ?2)",
            params![report.profile_id, KEEP],
        )?;
        Ok(())
    }

    /// The last run of a connection.
    pub fn last(cw: &Crosswalk, profile_id: &str) -> Result<Option<CheckReport>> {
        let conn = cw.store.conn();
        let json: Option<String> = conn
            .query_row("SELECT report FROM endpoint_checks WHERE profile_id = ?1 ORDER BY id DESC LIMIT 1", params![profile_id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Checks whose verdict changed, appeared or went away.
    pub fn diff(before: &CheckReport, after: &CheckReport) -> Vec<DiffRow> {
        let key = |i: &CheckItem| (i.endpoint, i.check.clone());
        let old: BTreeMap<_, _> = before.items.iter().map(|i| (key(i), i)).collect();
        let new: BTreeMap<_, _> = after.items.iter().map(|i| (key(i), i)).collect();
        let mut rows = Vec::new();
        for (k, n) in &new {
            let b = old.get(k).map(|o| o.verdict);
            if b != Some(n.verdict) {
                rows.push(DiffRow {
                    check: n.check.clone(),
                    endpoint: n.endpoint,
                    title: n.title.clone(),
                    before: b,
                    after: Some(n.verdict),
                });
            }
        }
        for (k, o) in &old {
            if !new.contains_key(k) {
                rows.push(DiffRow {
                    check: o.check.clone(),
                    endpoint: o.endpoint,
                    title: o.title.clone(),
                    before: Some(o.verdict),
                    after: None,
                });
            }
        }
        rows
    }
}
