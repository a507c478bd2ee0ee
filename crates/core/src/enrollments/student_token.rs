//! A pasted student token, for direct connections to a home institution. The home endpoints act
//! for the student whose token they get (`/persons/me`, `/associations/external/me`); a host
//! without an enrollment receiver (or testing one) can paste such a token — e.g. a test student's,
//! from the broker's sign-in — and Crosswalk uses it for that student's associations only. The
//! token is kept in the OS keyring (never in SQLite, logs or the UI) for this session: until it
//! expires, it is removed, or the app quits; whose it is stays in memory only.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::connection::{OoapiTransport, Profile, SecretField};
use crate::crosswalk::Crosswalk;
use crate::remote::{Auth, Request};
use crate::secret::SecretString;
use crate::{Error, Result};

/// Whose the pasted token of a connection is (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StudentToken {
    pub profile_id: String,
    pub person_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// From the token's `exp` when it is a JWT; null when the token does not say.
    pub expires_at: Option<String>,
    pub pasted_at: String,
}

impl StudentToken {
    fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.as_deref().and_then(|e| DateTime::parse_from_rfc3339(e).ok()).is_some_and(|e| e <= now)
    }

    fn who(&self) -> String {
        self.name.clone().or_else(|| self.email.clone()).unwrap_or_else(|| self.person_id.clone())
    }
}

/// The pasted tokens of this process, by connection.
#[derive(Debug, Default)]
pub struct Pasted(Mutex<HashMap<String, StudentToken>>);

impl Pasted {
    fn get(&self, profile_id: &str) -> Option<StudentToken> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(profile_id).cloned()
    }
    fn set(&self, t: StudentToken) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(t.profile_id.clone(), t);
    }
    fn remove(&self, profile_id: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(profile_id);
    }
    fn ids(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect()
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What was pasted, cleaned: surrounding space and a `Bearer ` prefix removed.
fn cleaned(pasted: &SecretString) -> Result<SecretString> {
    let t = pasted.expose().trim();
    let t = t.strip_prefix("Bearer ").or_else(|| t.strip_prefix("bearer ")).unwrap_or(t).trim();
    if t.is_empty() {
        return Err(Error::Invalid("The pasted token is empty. Paste the student's access token.".into()));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(Error::Invalid(
            "The pasted text has spaces or line breaks inside, so it is not one access token. Paste only the token.".into(),
        ));
    }
    Ok(SecretString::new(t))
}

/// Checks the token with the home institution (`GET /persons/me`), then keeps it in the keyring
/// for this session. Only direct connections use one.
pub async fn paste(cw: &Crosswalk, profile_id: &str, pasted: &SecretString, cancel: &CancellationToken) -> Result<StudentToken> {
    let profile = cw.profile(profile_id)?;
    let o = super::home::settings(&profile)?;
    if o.transport() == OoapiTransport::Receiver {
        return Err(Error::Invalid(format!(
            "\"{}\" reaches the home side through the enrollment receiver, which holds the students' tokens itself. A pasted token is for direct connections.",
            profile.name
        )));
    }
    let token = cleaned(pasted)?;
    let now = cw.clock.now();
    let expires_at = crate::jwt::claims(token.expose()).and_then(|c| c.exp).and_then(|e| DateTime::<Utc>::from_timestamp(e, 0));
    if let Some(e) = expires_at.filter(|e| *e <= now) {
        return Err(Error::Invalid(format!(
            "This token expired at {} UTC. Ask the student to sign in again (or sign in again as the test student) and paste the new token.",
            e.format("%Y-%m-%d %H:%M")
        )));
    }
    let url = crate::ooapi::endpoints::person(&profile, "me")?;
    let service = super::home::service(&profile);
    let answer = cw.send(&profile, Request::new(service.clone(), Method::GET, url).auth(Auth::Bearer(&token)).cancel(cancel)).await?;
    if !answer.is_success() {
        let e = super::home::explain(&profile, &answer, "the student of this token");
        return Err(match answer.status {
            401 => Error::Remote {
                service,
                status: 401,
                diagnosis: "The home institution does not accept this token: it is unknown there or has expired. Paste a fresh token of the student.".into(),
            },
            _ => e,
        });
    }
    let me: Value = answer.json("the student of this token")?;
    let person_id = me.get("personId").and_then(Value::as_str).filter(|p| !p.trim().is_empty()).ok_or_else(|| Error::BadAnswer {
        service: service.clone(),
        reason: "GET /persons/me answered without a personId, so whose token this is is unknown".into(),
    })?;
    let name = me
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            let given = me.get("givenName").and_then(Value::as_str)?;
            Some(format!("{given} {}", me.get("surname").and_then(Value::as_str).unwrap_or_default()).trim().to_string())
        })
        .filter(|n| !n.is_empty());
    let email = me.get("mail").and_then(Value::as_str).map(str::to_string);
    cw.secrets.set(&profile.id, SecretField::StudentToken, &token)?;
    let t = StudentToken {
        profile_id: profile.id.clone(),
        person_id: person_id.to_string(),
        name,
        email,
        expires_at: expires_at.map(stamp),
        pasted_at: stamp(now),
    };
    cw.state::<Pasted>().set(t.clone());
    cw.activity.record(crate::activity::NewActivity::ok(
        "enrollments.student_token",
        &profile.name,
        format!("a student token of {} was pasted for this session", t.who()),
    ));
    Ok(t)
}

/// The connection's pasted token, if one is kept in this session.
pub fn current(cw: &Crosswalk, profile_id: &str) -> Option<StudentToken> {
    cw.state::<Pasted>().get(profile_id)
}

/// Removes the connection's pasted token from the keyring and from memory.
pub fn forget(cw: &Crosswalk, profile_id: &str) -> Result<()> {
    cw.state::<Pasted>().remove(profile_id);
    cw.secrets.clear(profile_id, SecretField::StudentToken)
}

/// Removes every token pasted in this session (when the app quits).
pub fn forget_all(cw: &Crosswalk) {
    for id in cw.state::<Pasted>().ids() {
        if let Err(e) = forget(cw, &id) {
            tracing::warn!("a pasted student token could not be removed: {e}");
        }
    }
}

/// Removes the tokens an earlier session left in the keyring (it crashed or was killed before it
/// could): every OOAPI connection's, except those pasted in this session.
pub fn forget_left_behind(cw: &Crosswalk) {
    let Ok(profiles) = crate::profiles::list(cw) else { return };
    let pasted = cw.state::<Pasted>().ids();
    for p in profiles.iter().filter(|p| super::home::settings(p).is_ok() && !pasted.contains(&p.id)) {
        if let Err(e) = cw.secrets.clear(&p.id, SecretField::StudentToken) {
            tracing::warn!(profile = %p.name, "a student token left by an earlier session could not be removed: {e}");
        }
    }
}

/// The pasted token to call with for `person_id`'s requests, when the connection has one for that
/// student; an expired one is an error that says what to do.
pub(super) fn for_person(cw: &Crosswalk, profile: &Profile, person_id: Option<&str>) -> Result<Option<StudentToken>> {
    let Some(t) = current(cw, &profile.id) else { return Ok(None) };
    if person_id.is_none_or(|p| p.trim() != t.person_id) {
        return Ok(None);
    }
    if t.expired(cw.clock.now()) {
        return Err(Error::Invalid(format!(
            "The pasted student token of {} expired at {}. Paste a fresh one in Enrollments (Student token), or remove it to use the connection's own token.",
            t.who(),
            t.expires_at.as_deref().unwrap_or_default()
        )));
    }
    Ok(Some(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_token_is_cleaned_or_refused_in_plain_words() {
        assert_eq!(cleaned(&SecretString::new("  Bearer abc.def.ghi \n")).unwrap().expose(), "abc.def.ghi");
        assert!(cleaned(&SecretString::new("   ")).unwrap_err().to_string().contains("empty"));
        let e = cleaned(&SecretString::new("abc def")).unwrap_err().to_string();
        assert!(e.contains("not one access token") && !e.contains("abc"), "{e}");
    }
}
