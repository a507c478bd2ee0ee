//! The OpenLearning API calls: user lookup by external id and the sign-on call.

use std::fmt;

use reqwest::Method;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{LaunchRequest, LaunchSummary, OpenLearningUser, ShownParam, UserRef};
use crate::activity::NewActivity;
use crate::connection::{validate_url, ApiKeyStyle, OpenLearningSettings, Profile, ProfileSettings, SecretField};
use crate::remote::{Auth, Body, Request};
use crate::{Crosswalk, Error, Result};

/// The observed managed-user lookup, relative to the API base URL (configurable per connection).
pub const DEFAULT_USER_LOOKUP: &str = "institutions/{institution_id}/managed-users/?external_institution_id={external_id}";

/// A signed launch: the form to post. It is a credential — it has no `Serialize` and its `Debug`
/// hides the values, so it cannot slip into a log line or an IPC answer by accident.
pub struct SignedLaunch {
    pub action: Url,
    pub method: String,
    pub params: Vec<(String, String)>,
}

impl fmt::Debug for SignedLaunch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("SignedLaunch").field("action", &self.action.as_str()).field("params", &names).finish()
    }
}

/// Parameter names whose values are never shown: together they are the credential.
pub fn is_secret_param(name: &str) -> bool {
    matches!(name, "oauth_signature" | "oauth_nonce" | "signature" | "oauth_token") || name.ends_with("_signature")
}

impl SignedLaunch {
    /// The parameters as the app may show them: signature and nonce masked.
    pub fn shown(&self) -> Vec<ShownParam> {
        self.params
            .iter()
            .map(|(k, v)| {
                let masked = is_secret_param(k);
                ShownParam { name: k.clone(), value: if masked { "••••••".into() } else { v.clone() }, masked }
            })
            .collect()
    }
}

fn settings(profile: &Profile) -> Result<&OpenLearningSettings> {
    match &profile.settings {
        ProfileSettings::Openlearning(s) => Ok(s),
        _ => {
            Err(Error::Invalid(format!("The connection \"{}\" is not an OpenLearning connection. Pick an OpenLearning one.", profile.name)))
        }
    }
}

fn remote(status: u16, diagnosis: String) -> Error {
    Error::Remote { service: "OpenLearning".into(), status, diagnosis }
}

/// The error text OpenLearning sent, from `{"meta": {"error"}}`, `{"detail"}` or `{"error"}`.
fn said(body: &Value) -> Option<String> {
    body.pointer("/meta/error")
        .or_else(|| body.get("detail"))
        .or_else(|| body.get("error"))
        .or_else(|| body.get("message"))
        .and_then(Value::as_str)
        .map(|s| s.chars().take(300).collect())
}

/// What to do about an error status, for the call `what`.
fn diagnose(status: u16, body: &Value, s: &OpenLearningSettings, what: &str) -> Error {
    let they = said(body).map(|m| format!(" OpenLearning said: \"{m}\".")).unwrap_or_default();
    let d = match status {
        401 => format!(
            "OpenLearning refused the API key (401).{they} Set the institution administrator's current API key in Connections."
        ),
        403 => format!(
            "The API key may not act for institution \"{}\" (403).{they} Use the API key of an administrator of that institution portal, or check the institution id.",
            s.institution_id
        ),
        404 => format!(
            "OpenLearning did not find {what} (404).{they} A learner can only be signed on when they are a managed user of institution \"{}\" (or were invited into its portal) and have an institution external ID; a class id must exist.",
            s.institution_id
        ),
        400 | 422 => format!(
            "OpenLearning refused {what} ({status}).{they} Check that the user has an institution external ID and that the class or context id is right."
        ),
        429 => format!("OpenLearning is limiting requests (429).{they} Wait a minute and try again."),
        s if s >= 500 => format!("OpenLearning had an internal error ({s}).{they} Try again later; if it persists, contact OpenLearning support."),
        s => format!("OpenLearning answered {s} to {what}.{they}"),
    };
    remote(status, d)
}

async fn call(
    cw: &Crosswalk,
    profile: &Profile,
    method: Method,
    path: &str,
    body: Option<Value>,
    what: &str,
    cancel: &CancellationToken,
) -> Result<Value> {
    let s = settings(profile)?;
    let url = crate::connection::join_url("OpenLearning API base URL", &s.base_url, path)?;
    let auth = match s.api_key_style {
        ApiKeyStyle::Header => Auth::BearerSecret(SecretField::ApiKey),
        ApiKeyStyle::Query => Auth::QuerySecret { param: "api_key", field: SecretField::ApiKey },
    };
    let mut request = Request::new("OpenLearning", method, url).auth(auth).cancel(cancel);
    if let Some(b) = body {
        request = request.body(Body::Json(b));
    }
    let answer = cw.send(profile, request).await?;
    read_answer(answer.status, &answer.body, s, what)
}

/// An OpenLearning answer: the error explained for an error status, else the JSON (unwrapped
/// from the observed `{"data": ...}` envelope).
pub(crate) fn read_answer(status: u16, body: &[u8], s: &OpenLearningSettings, what: &str) -> Result<Value> {
    let parsed = serde_json::from_slice::<Value>(body);
    if !(200..300).contains(&status) {
        return Err(diagnose(status, parsed.as_ref().unwrap_or(&Value::Null), s, what));
    }
    let value = match parsed {
        Ok(Value::Null) => {
            return Err(remote(status, format!("OpenLearning's answer to {what} is empty. Check the API base URL in Connections.")))
        }
        Ok(v) => v,
        Err(e) => {
            return Err(remote(
                status,
                format!(
                    "OpenLearning's answer to {what} cannot be read: {}. Check the API base URL in Connections.",
                    crate::remote::not_json(body, &e)
                ),
            ))
        }
    };
    // The observed `{"data": ...}` envelope, or the plain answer.
    Ok(match value {
        Value::Object(mut o) if o.contains_key("data") && !o.contains_key("url") => o.remove("data").unwrap_or(Value::Null),
        v => v,
    })
}

/// The users in a user-lookup answer: a list, `{"results": [...]}` or one user, each either the
/// user itself or `{"user": {...}, "external_institution_id"}`.
pub(crate) fn users_from(data: &Value) -> Vec<OpenLearningUser> {
    let items = match data {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o.get("results").and_then(Value::as_array).cloned().unwrap_or_else(|| vec![data.clone()]),
        _ => Vec::new(),
    };
    items
        .iter()
        .filter_map(|item| {
            let user = item.get("user").unwrap_or(item);
            Some(OpenLearningUser {
                user_id: text(user, "id")?,
                external_id: text(item, "external_institution_id").or_else(|| text(user, "external_institution_id")),
                full_name: text(user, "full_name").or_else(|| text(user, "name")),
                email: text(user, "email"),
            })
        })
        .collect()
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Finds a user by the institution's external id (and remembers the id found).
/// Stops at once when `cancel` fires (the learner is then not remembered).
pub async fn find_user(cw: &Crosswalk, profile_id: &str, external_id: &str, cancel: &CancellationToken) -> Result<OpenLearningUser> {
    let external_id = external_id.trim();
    if external_id.is_empty() {
        return Err(Error::Invalid("Type the learner's external id (student number, email or the id your system uses).".into()));
    }
    let profile = cw.profile(profile_id)?;
    let s = settings(&profile)?;
    let template = s.user_lookup_path.as_deref().filter(|p| !p.trim().is_empty()).unwrap_or(DEFAULT_USER_LOOKUP);
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let path = template.replace("{institution_id}", &enc(&s.institution_id)).replace("{external_id}", &enc(external_id));
    let data = call(cw, &profile, Method::GET, &path, None, "the user lookup", cancel).await?;
    let found = users_from(&data);
    let user = match found.as_slice() {
        [] => {
            return Err(Error::NotFound(format!(
                "no OpenLearning user with external id \"{external_id}\" in institution \"{}\". The learner must be a managed user of the institution (or invited into its portal) with that institution external ID",
                s.institution_id
            )))
        }
        [one] => one.clone(),
        many => {
            return Err(Error::Invalid(format!(
                "{} OpenLearning users have external id \"{external_id}\" ({}). Launch by user id instead.",
                many.len(),
                many.iter().map(|u| u.user_id.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
    };
    super::users::remember(cw, &profile.id, external_id, &user)?;
    Ok(user)
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Asks OpenLearning for a fresh signed launch. Activity records who launched whom into what —
/// never the parameters. Stops at once when `cancel` fires.
pub async fn sign_on(cw: &Crosswalk, req: &LaunchRequest, cancel: &CancellationToken) -> Result<(SignedLaunch, LaunchSummary)> {
    let profile = cw.profile(&req.profile_id)?;
    let s = settings(&profile)?.clone();
    let user_id = match &req.user {
        UserRef::UserId(id) if !id.trim().is_empty() => id.trim().to_string(),
        UserRef::ExternalId(x) if !x.trim().is_empty() => match super::users::remembered(cw, &profile.id, x.trim())? {
            Some(id) => id,
            None => find_user(cw, &profile.id, x, cancel).await?.user_id,
        },
        _ => return Err(Error::Invalid("Choose the learner: an OpenLearning user id or the institution's external id.".into())),
    };
    let (class_id, context_id) = (clean(&req.class_id), clean(&req.context_id));
    let mut notes = Vec::new();
    if class_id.is_some() && context_id.is_some() {
        notes.push("Both a class id and a context id were given: OpenLearning uses the context id and ignores the class id.".to_string());
    }
    let mut body = serde_json::Map::new();
    for (k, v) in
        [("class_id", &class_id), ("context_id", &context_id), ("email", &clean(&req.email)), ("full_name", &clean(&req.full_name))]
    {
        if let Some(v) = v {
            body.insert(k.into(), json!(v));
        }
    }
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let path = format!("institutions/{}/managed-users/{}/sign-on/", enc(&s.institution_id), enc(&user_id));
    let answer = call(cw, &profile, Method::POST, &path, Some(Value::Object(body)), "the sign-on", cancel).await;
    let target = match (&context_id, &class_id) {
        (Some(c), _) => format!("context {c}"),
        (None, Some(c)) => format!("class {c}"),
        _ => "no class".into(),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            cw.activity.record(NewActivity::error("Launch", &user_id, format!("{target}: {e}")));
            return Err(e);
        }
    };
    let launch = parse_launch(&answer)?;
    cw.activity.record(NewActivity::ok("Launch", &user_id, format!("signed launch made for {target}")));
    let summary = LaunchSummary {
        user_id,
        class_id,
        context_id,
        action: launch.action.to_string(),
        method: launch.method.clone(),
        params: launch.shown(),
        notes,
        expires_at: None,
    };
    Ok((launch, summary))
}

/// Checks the sign-on answer: a web address to post to (https, or loopback http for local
/// tests), a method, and string parameters. Anything else is refused, not passed on.
pub(crate) fn parse_launch(v: &Value) -> Result<SignedLaunch> {
    let bad = |why: &str| {
        remote(200, format!("OpenLearning's sign-on answer was not usable ({why}). Nothing was opened; try again or contact OpenLearning."))
    };
    let url = v.get("url").and_then(Value::as_str).ok_or_else(|| bad("no url"))?;
    let action = validate_url("launch address", url).map_err(|_| bad("the launch address is not an https web address"))?;
    let method = v.get("method").and_then(Value::as_str).unwrap_or("POST").to_ascii_uppercase();
    if method != "POST" && method != "GET" {
        return Err(bad("the method is neither POST nor GET"));
    }
    let params = match v.get("params") {
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                Value::Number(n) => Ok((k.clone(), n.to_string())),
                Value::Bool(b) => Ok((k.clone(), b.to_string())),
                _ => Err(bad("a parameter is not text")),
            })
            .collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
        _ => return Err(bad("params is not an object")),
    };
    Ok(SignedLaunch { action, method, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_sign_on_answers_are_refused() {
        assert!(parse_launch(&json!({"url": "javascript:alert(1)", "params": {}})).is_err());
        assert!(parse_launch(&json!({"url": "http://evil.example/x", "params": {}})).is_err());
        assert!(parse_launch(&json!({"url": "https://ol.example/launch", "method": "DELETE"})).is_err());
        assert!(parse_launch(&json!({"url": "https://ol.example/launch", "params": {"a": {"b": 1}}})).is_err());
        let ok = parse_launch(&json!({"url": "https://ol.example/launch", "params": {"oauth_signature": "s", "user_id": 7}})).unwrap();
        assert_eq!(ok.params.len(), 2);
        let shown = ok.shown();
        assert!(shown.iter().any(|p| p.name == "oauth_signature" && p.masked && p.value != "s"));
        assert!(!format!("{ok:?}").contains("\"s\""), "Debug hides values");
    }
}
