//! The home institution's association endpoints, reached directly (OOAPI with a token) or through
//! the host's enrollment receiver (its SIS API with HTTP Basic). Every call goes through
//! [`Crosswalk::send`]; this module only builds requests and explains answers.

use std::sync::atomic::AtomicU32;

use reqwest::Method;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::connection::{OoapiSettings, OoapiTransport, Profile, ProfileSettings, SecretField};
use crate::crosswalk::Crosswalk;
use crate::ooapi::endpoints::segment;
use crate::remote::{Answer, Auth, Body, Request};
use crate::{Error, Result};

/// The OOAPI settings of `profile`, or a clear error.
pub fn settings(profile: &Profile) -> Result<&OoapiSettings> {
    match &profile.settings {
        ProfileSettings::Ooapi(o) => Ok(o),
        _ => Err(Error::Invalid(format!("\"{}\" is not an OOAPI connection. Pick one in Enrollments.", profile.name))),
    }
}

/// Who is called, in the user's words.
pub fn service(profile: &Profile) -> String {
    match settings(profile) {
        Ok(o) if o.transport() == OoapiTransport::Receiver => format!("The enrollment receiver (home {})", o.schac_home),
        Ok(o) => format!("The home institution {}", o.schac_home),
        Err(_) => profile.name.clone(),
    }
}

fn receiver(profile: &Profile, path: &str) -> Result<url::Url> {
    let o = settings(profile)?;
    let base = o.receiver_url.as_deref().filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        Error::Invalid(format!(
            "\"{}\" reaches the home side through an enrollment receiver, but has no receiver URL. Set it in Connections.",
            profile.name
        ))
    })?;
    crate::connection::join_url("enrollment receiver URL", base, path)
}

/// One call to the home side, as kept in the ledger: the request line and body, the answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: String,
    pub answer: Answer,
}

impl Exchange {
    /// The answer as shown in the detail panel (status and body, cut at 4 KiB).
    pub fn answer_text(&self) -> String {
        let body = String::from_utf8_lossy(&self.answer.body);
        let body: String = body.chars().take(4096).collect();
        format!("{} {}\n{body}", self.answer.status, self.answer.content_type())
    }
}

/// Whose token a direct call carries: the connection's own, or the student's pasted one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Acting {
    Connection,
    Student,
}

/// [`Acting::Student`] when the connection has a pasted token of `person_id`'s (direct only).
fn acting(cw: &Crosswalk, profile: &Profile, person_id: Option<&str>) -> Result<Acting> {
    if settings(profile)?.transport() == OoapiTransport::Receiver {
        return Ok(Acting::Connection);
    }
    Ok(match super::student_token::for_person(cw, profile, person_id)? {
        Some(_) => Acting::Student,
        None => Acting::Connection,
    })
}

#[allow(clippy::too_many_arguments)]
async fn call(
    cw: &Crosswalk,
    profile: &Profile,
    method: Method,
    url: url::Url,
    body: Body,
    cancel: &CancellationToken,
    sent: Option<&AtomicU32>,
    acting: Acting,
) -> Result<Exchange> {
    let o = settings(profile)?;
    let token_request;
    let user;
    let auth = match o.transport() {
        OoapiTransport::Direct if acting == Acting::Student => Auth::BearerSecret(SecretField::StudentToken),
        OoapiTransport::Direct => {
            token_request = crate::ooapi::token_request(profile)?;
            Auth::Token { request: &token_request, field: SecretField::ClientSecret }
        }
        OoapiTransport::Receiver => {
            user = o.receiver_user.clone().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| "sis".into());
            Auth::Basic { user: &user, field: SecretField::ReceiverPassword }
        }
    };
    let shown_body = match &body {
        Body::Json(v) | Body::MergePatch(v) => format!("\n{}", serde_json::to_string_pretty(v).unwrap_or_default()),
        _ => String::new(),
    };
    let request = format!("{method} {url}{shown_body}");
    let mut req = Request::new(service(profile), method, url).auth(auth).body(body).cancel(cancel);
    if let Some(sent) = sent {
        req = req.counted(sent);
    }
    let answer = cw.send(profile, req).await?;
    if acting == Acting::Student && answer.status == 401 {
        // Refused before anything was done: the pasted token, not the connection, is at fault.
        let who = super::student_token::current(cw, &profile.id).map(|t| t.name.unwrap_or(t.person_id)).unwrap_or_default();
        return Err(Error::Invalid(format!(
            "{} answered 401: it no longer accepts the pasted student token of {who} (it expired or was revoked). Paste a fresh one in Enrollments (Student token), or remove it to use the connection's own token.",
            service(profile)
        )));
    }
    Ok(Exchange { request, answer })
}

/// `GET` one association (with the person and offering expanded where the transport allows),
/// counting the requests sent in `sent` when given. `person_id` (the association's student, when
/// known) picks a pasted student token of theirs over the connection's own.
pub async fn get(
    cw: &Crosswalk,
    profile: &Profile,
    association_id: &str,
    person_id: Option<&str>,
    cancel: &CancellationToken,
    sent: Option<&AtomicU32>,
) -> Result<Exchange> {
    let acting = acting(cw, profile, person_id)?;
    let url = match settings(profile)?.transport() {
        OoapiTransport::Direct => {
            let mut u = crate::ooapi::endpoints::association(profile, association_id)?;
            u.query_pairs_mut().append_pair("expand", "person,offering");
            u
        }
        OoapiTransport::Receiver => receiver(profile, &format!("associations/{}", segment(association_id)))?,
    };
    call(cw, profile, Method::GET, url, Body::Empty, cancel, sent, acting).await
}

/// `POST` a new association for `person_id` (as `external/me` with the student's pasted token).
pub async fn create(cw: &Crosswalk, profile: &Profile, person_id: &str, body: Value, cancel: &CancellationToken) -> Result<Exchange> {
    let acting = acting(cw, profile, Some(person_id))?;
    let url = match settings(profile)?.transport() {
        OoapiTransport::Direct if acting == Acting::Student => crate::ooapi::endpoints::external_association(profile, "me")?,
        OoapiTransport::Direct => crate::ooapi::endpoints::external_association(profile, person_id)?,
        OoapiTransport::Receiver => receiver(profile, &format!("associations/external/{}", segment(person_id)))?,
    };
    call(cw, profile, Method::POST, url, Body::Json(body), cancel, None, acting).await
}

/// `PATCH` an association (`remoteState` and/or `result`), as merge-patch directly; the receiver
/// takes plain JSON and forwards it.
pub async fn patch(
    cw: &Crosswalk,
    profile: &Profile,
    association_id: &str,
    person_id: Option<&str>,
    body: Value,
    cancel: &CancellationToken,
) -> Result<Exchange> {
    let acting = acting(cw, profile, person_id)?;
    let (url, body) = match settings(profile)?.transport() {
        OoapiTransport::Direct => (crate::ooapi::endpoints::association(profile, association_id)?, Body::MergePatch(body)),
        OoapiTransport::Receiver => (receiver(profile, &format!("associations/{}", segment(association_id)))?, Body::Json(body)),
    };
    call(cw, profile, Method::PATCH, url, body, cancel, None, acting).await
}

/// The `message` texts of an answer (`[{language, value}]`), English first.
pub fn messages(v: &Value) -> Option<String> {
    let list = v.get("message")?.as_array()?;
    let mut texts: Vec<(bool, String)> = list
        .iter()
        .filter_map(|m| {
            Some((m.get("language").and_then(Value::as_str).is_some_and(|l| l.starts_with("en")), m.get("value")?.as_str()?.to_string()))
        })
        .collect();
    texts.sort_by_key(|(en, _)| !*en);
    texts.into_iter().next().map(|(_, t)| t)
}

/// An error answer in plain words: OOAPI problem+json (`status` a string in v5, a number in v6),
/// the receiver's wrapper `{error, reference, message, details, ...}` and its
/// `409 "Enrollment not found."`.
pub fn explain(profile: &Profile, answer: &Answer, what: &str) -> Error {
    let service = service(profile);
    let status = answer.status;
    let text = String::from_utf8_lossy(&answer.body).trim().to_string();
    let v = answer.value();
    let receiver = settings(profile).is_ok_and(|o| o.transport() == OoapiTransport::Receiver);
    let said = if v.get("error").is_some() && v.get("details").is_some() {
        // The receiver's wrapper around a home error.
        let reference = v.get("reference").map(|r| r.to_string().trim_matches('"').to_string()).unwrap_or_default();
        let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
        let details = v.get("details").and_then(Value::as_str).unwrap_or_default();
        let inner: Value = serde_json::from_str(details).unwrap_or(Value::Null);
        let home = problem_text(&inner).unwrap_or_else(|| details.chars().take(300).collect());
        format!(" The receiver says \"{message}\" (reference {reference}); the home institution said: {home}.")
    } else if let Some(p) = problem_text(&v) {
        format!(" It said: {p}.")
    } else if !text.is_empty() && text.len() < 300 && !text.starts_with('<') {
        format!(" It said: \"{text}\".")
    } else {
        String::new()
    };
    let next = match status {
        409 if receiver && text.contains("Enrollment not found") => format!(
            "The enrollment receiver does not know {what}. It only keeps associations created through it that the home side answered with 201; import the association into a direct connection, or check the id."
        ),
        401 => "The credentials were refused. Check the connection's secret (or the receiver password) in Connections.".to_string(),
        403 => "The token lacks the home institution's scopes (e.g. <domain>/persons and <domain>/results). Ask the home institution which scopes to request, and add them in Connections.".to_string(),
        404 => format!("The home institution does not know {what}. Check the id; it may have been removed at home."),
        400 | 422 => format!("The home institution refused {what} as invalid. Check the body shown in the detail panel."),
        429 => "The home institution is limiting requests. Crosswalk waited as asked and gave up; try again later.".to_string(),
        s if s >= 500 => "The home institution had an error. Try again later; if it persists, contact its OOAPI team.".to_string(),
        s => format!("Unexpected answer {s}."),
    };
    Error::Remote { service, status, diagnosis: format!("{next}{said}") }
}

fn problem_text(v: &Value) -> Option<String> {
    let title = v.get("title").and_then(Value::as_str);
    let detail = v.get("detail").and_then(Value::as_str);
    match (title, detail) {
        (Some(t), Some(d)) => Some(format!("\"{t}: {d}\"")),
        (Some(t), None) => Some(format!("\"{t}\"")),
        (None, Some(d)) => Some(format!("\"{d}\"")),
        _ => None,
    }
}
