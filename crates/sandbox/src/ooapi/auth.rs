//! The authorization server (MyAcademicID's part): the clients, the `client_credentials` token
//! endpoint, RFC 7662 introspection, student tokens for tests, and the check every home endpoint
//! makes of a bearer token (the same rules as introspection, in-process).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::problem::{self, Problem};
use super::{Ooapi, OoapiPerson};

/// The host's OAuth client (Crosswalk): `client_credentials` tokens with the home institution's
/// scopes.
pub const OOAPI_CLIENT_ID: &str = "crosswalk-host";
/// Secret of [`OOAPI_CLIENT_ID`].
pub const OOAPI_CLIENT_SECRET: &str = "crosswalk-host-demo-secret";
/// A client whose tokens carry only `email`: every home endpoint answers it 403.
pub const OOAPI_NO_SCOPE_CLIENT_ID: &str = "crosswalk-no-scope";
/// Secret of [`OOAPI_NO_SCOPE_CLIENT_ID`].
pub const OOAPI_NO_SCOPE_CLIENT_SECRET: &str = "crosswalk-no-scope-demo-secret";
/// The home side's own client, the only one allowed to introspect.
pub const OOAPI_RESOURCE_CLIENT_ID: &str = "home-resource-server";
/// Secret of [`OOAPI_RESOURCE_CLIENT_ID`].
pub const OOAPI_RESOURCE_CLIENT_SECRET: &str = "home-resource-server-demo-secret";
/// The scope the persons endpoints require.
pub const OOAPI_PERSONS_SCOPE: &str = "home.example.edu/persons";
/// The scope the associations endpoints require.
pub const OOAPI_RESULTS_SCOPE: &str = "home.example.edu/results";
/// Every scope [`OOAPI_CLIENT_ID`] may have (all of them unless it asks for fewer).
pub const OOAPI_HOST_SCOPES: [&str; 4] = ["email", "schac_personal_unique_code", OOAPI_PERSONS_SCOPE, OOAPI_RESULTS_SCOPE];
/// The scopes of a student token (what the broker's OIDC flow asks for).
pub const OOAPI_STUDENT_SCOPES: [&str; 5] = ["openid", "email", "schac_personal_unique_code", OOAPI_PERSONS_SCOPE, OOAPI_RESULTS_SCOPE];
/// Lifetime of tokens, unless [`Knobs::token_lifetime_secs`](crate::Knobs::token_lifetime_secs) says otherwise.
pub const OOAPI_TOKEN_LIFETIME_SECS: u64 = 3_600;

/// Past this many remembered tokens, the expired ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// What the authorization server knows of a token.
#[derive(Clone, Debug)]
pub(crate) struct TokenInfo {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The student the token was issued to; `None` for a client's own token.
    pub person_id: Option<String>,
    pub email: Option<String>,
    pub iat: i64,
    pub exp: i64,
}

impl TokenInfo {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Tokens issued, by value.
pub(crate) struct Tokens {
    issued: Mutex<HashMap<String, TokenInfo>>,
    rng: Mutex<ChaCha8Rng>,
}

impl Tokens {
    pub fn new(seed: u64) -> Self {
        Self { issued: Mutex::new(HashMap::new()), rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x6f6f_6170_6974_6f6b)) }
    }

    /// Remembers `info` under a new random token.
    pub fn issue(&self, info: TokenInfo) -> String {
        let value: u128 = self.rng.lock().unwrap_or_else(PoisonError::into_inner).random();
        let token = format!("ooapi-{value:032x}");
        let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        if issued.len() >= PRUNE_ABOVE {
            let now = info.iat;
            issued.retain(|_, t| t.exp > now);
        }
        issued.insert(token.clone(), info);
        token
    }

    /// The token's data while it is active at `now` (Unix seconds).
    pub fn active(&self, token: &str, now: i64) -> Option<TokenInfo> {
        let issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        issued.get(token).filter(|t| now < t.exp).cloned()
    }
}

/// Which client presented credentials, how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    Host,
    NoScope,
    Resource,
}

fn client_of(id: &str, secret: &str) -> Option<Client> {
    match (id, secret) {
        (OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET) => Some(Client::Host),
        (OOAPI_NO_SCOPE_CLIENT_ID, OOAPI_NO_SCOPE_CLIENT_SECRET) => Some(Client::NoScope),
        (OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET) => Some(Client::Resource),
        _ => None,
    }
}

/// `(id, secret)` of HTTP Basic, each form-urlencoded before base64 (RFC 6749 §2.3.1).
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unquote = |s: &str| url::form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unquote(id)?, unquote(secret)?))
}

/// The form fields of a body.
fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Basic credentials, or `client_id`/`client_secret` in the body.
fn presented_client(headers: &HeaderMap, form: &[(String, String)]) -> Option<(String, String)> {
    basic_credentials(headers)
        .or_else(|| Some((field(form, "client_id")?.to_owned(), field(form, "client_secret").unwrap_or_default().to_owned())))
}

/// An OAuth error answer, never cached.
fn oauth_error(status: StatusCode, error: &str, basic: bool) -> Response {
    let mut response = problem::json(status, &json!({ "error": error }));
    if status == StatusCode::UNAUTHORIZED && basic {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Basic realm="ooapi-auth""#));
    }
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /ooapi/auth/token`: `grant_type=client_credentials`, optional `scope`.
pub(crate) async fn token(State(ooapi): State<Arc<Ooapi>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = form(&body);
    let basic = basic_credentials(&headers).is_some();
    let Some(client) = presented_client(&headers, &form).and_then(|(id, secret)| client_of(&id, &secret)) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", basic);
    };
    if field(&form, "grant_type") != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", false);
    }
    let allowed: &[&str] = match client {
        Client::Host => &OOAPI_HOST_SCOPES,
        Client::NoScope => &["email"],
        Client::Resource => return oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client", false),
    };
    let scopes: Vec<String> = match field(&form, "scope").map(str::split_whitespace) {
        Some(requested) => {
            let requested: Vec<String> = requested.map(str::to_owned).collect();
            if requested.iter().any(|s| !allowed.contains(&s.as_str())) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", false);
            }
            if requested.is_empty() {
                allowed.iter().map(|s| (*s).to_owned()).collect()
            } else {
                requested
            }
        }
        None => allowed.iter().map(|s| (*s).to_owned()).collect(),
    };
    let client_id = match client {
        Client::Host => OOAPI_CLIENT_ID,
        _ => OOAPI_NO_SCOPE_CLIENT_ID,
    };
    let (token, lifetime) = ooapi.issue_token(client_id, scopes.clone(), None);
    no_store(problem::json(
        StatusCode::OK,
        &json!({"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": scopes.join(" ")}),
    ))
}

/// `POST /ooapi/auth/introspect` (RFC 7662), for the resource server's client only.
pub(crate) async fn introspect(State(ooapi): State<Arc<Ooapi>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = form(&body);
    let basic = basic_credentials(&headers).is_some();
    let client = presented_client(&headers, &form).and_then(|(id, secret)| client_of(&id, &secret));
    if client != Some(Client::Resource) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", basic);
    }
    let Some(token) = field(&form, "token").filter(|t| !t.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", false);
    };
    let answer = match ooapi.tokens.active(token, ooapi.now().timestamp()) {
        Some(info) => introspection(&ooapi, &info),
        None => json!({ "active": false }),
    };
    no_store(problem::json(StatusCode::OK, &answer))
}

/// The answer for an active token.
fn introspection(ooapi: &Ooapi, info: &TokenInfo) -> Value {
    let mut answer = json!({
        "active": true,
        "scope": info.scopes.join(" "),
        "client_id": info.client_id,
        "token_type": "Bearer",
        "exp": info.exp,
        "iat": info.iat,
        "sub": info.person_id.as_deref().unwrap_or(&info.client_id),
        "aud": OOAPI_RESOURCE_CLIENT_ID,
        "iss": ooapi.issuer,
    });
    if let Some(email) = &info.email {
        answer["email"] = json!(email);
    }
    answer
}

/// Who a valid bearer token speaks for.
#[derive(Clone, Debug)]
pub(crate) enum Caller {
    /// A client's own token (the host, acting for any student).
    Client,
    /// A student's token.
    Student(OoapiPerson),
}

impl Caller {
    /// Whether the caller may act for `person_id`.
    pub fn may_act_for(&self, person_id: &str) -> bool {
        match self {
            Caller::Client => true,
            Caller::Student(person) => person.person_id == person_id,
        }
    }
}

/// What a correct home checks: a bearer token (401 when missing, unknown or expired), the
/// scope (403), then whose it is, found by the token's `email` (a student token whose address
/// is no student's is refused 401).
pub(crate) fn authorize(ooapi: &Ooapi, headers: &HeaderMap, scope: &str) -> Result<Caller, Problem> {
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
    });
    let Some(token) = presented.filter(|t| !t.is_empty()) else {
        return Err(Problem::unauthorized("a bearer access token is required"));
    };
    let Some(info) = ooapi.tokens.active(&token, ooapi.now().timestamp()) else {
        return Err(Problem::unauthorized("the access token is not active (unknown or expired)"));
    };
    if !info.has_scope(scope) && ooapi.fault() != super::OoapiFault::NoScopeCheck {
        return Err(Problem::insufficient_scope(scope));
    }
    match &info.email {
        None => Ok(Caller::Client),
        Some(email) => match ooapi.persons.iter().find(|p| p.mail.eq_ignore_ascii_case(email)) {
            Some(person) => Ok(Caller::Student(person.clone())),
            None => Err(Problem::unauthorized("the token's e-mail address is no student of this institution")),
        },
    }
}
