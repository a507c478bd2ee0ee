//! "Test connection": get a token, make the cheapest real call for the profile's kind, and explain
//! the outcome in plain words. Every check is recorded in Activity.

use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::connection::{ApiKeyStyle, Profile, ProfileSettings, SecretField};
use crate::crosswalk::Crosswalk;
use crate::jwt::JwtClaims;
use crate::openedx::{self, MappingsClient};
use crate::remote::{Auth, Request};
use crate::{Error, Result};

/// One step of a check.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CheckStep {
    pub name: String,
    pub ok: bool,
    /// What happened, and on failure what to do.
    pub detail: String,
}

/// The result of "Test connection".
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionCheck {
    pub ok: bool,
    pub summary: String,
    pub steps: Vec<CheckStep>,
    /// The token's claims when it is a JWT (scopes, filters), for display.
    pub claims: Option<JwtClaims>,
}

impl ConnectionCheck {
    fn push(&mut self, name: &str, result: std::result::Result<String, String>) -> bool {
        let ok = result.is_ok();
        self.steps.push(CheckStep { name: name.into(), ok, detail: result.unwrap_or_else(|e| e) });
        ok
    }
}

/// Checks `profile_id` and records the outcome.
pub async fn check(cw: &Crosswalk, profile_id: &str) -> Result<ConnectionCheck> {
    let profile = cw.profile(profile_id)?;
    let mut c = ConnectionCheck { ok: false, summary: String::new(), steps: Vec::new(), claims: None };
    match &profile.settings {
        ProfileSettings::Openedx(s) => check_openedx(cw, &profile, &s.providers, &mut c).await?,
        ProfileSettings::Openlearning(_) => check_openlearning(cw, &profile, &mut c).await?,
        ProfileSettings::Ooapi(_) => check_ooapi(cw, &profile, &mut c).await?,
    }
    c.ok = !c.steps.is_empty() && c.steps.iter().all(|s| s.ok);
    c.summary = if c.ok {
        format!("\"{}\" works.", profile.name)
    } else {
        let failed = c.steps.iter().find(|s| !s.ok).map(|s| s.detail.clone()).unwrap_or_default();
        format!("\"{}\" does not work yet: {failed}", profile.name)
    };
    let entry = if c.ok { NewActivity::ok } else { NewActivity::error };
    cw.activity.record(entry("connection.test", &profile.name, c.summary.clone()));
    Ok(c)
}

async fn check_openedx(cw: &Crosswalk, profile: &Profile, providers: &[String], c: &mut ConnectionCheck) -> Result<()> {
    let req = openedx::token_request(profile)?;
    let token = match cw.token(profile, &req, SecretField::ClientSecret).await {
        Ok(t) => t,
        Err(e @ (Error::SecretMissing { .. } | Error::Keyring(_))) => return Err(e),
        Err(e) => {
            c.push("Token", Err(e.to_string()));
            return Ok(());
        }
    };
    c.claims = token.claims.clone();
    let lifetime = token.expires_at.map(|e| format!(", valid until {}", e.format("%H:%M UTC"))).unwrap_or_default();
    c.push("Token", Ok(format!("The LMS issued a {} token{lifetime}.", req.scheme)));
    let Some(provider) = providers.first() else {
        c.push("Mapping API", Err("Add at least one provider id to watch, so Crosswalk can check that this client may read it.".into()));
        return Ok(());
    };
    let result = MappingsClient::new(cw, profile).page(provider, 1, 1, &CancellationToken::new()).await;
    let detail = match result {
        Ok(p) => Ok(format!("Provider \"{provider}\" can be read: {} learners linked.", p.count)),
        Err(Error::Remote { status: 403, diagnosis, .. }) => Err(match &c.claims {
            Some(cl) => {
                format!("{diagnosis} The token's scopes are [{}] and its filters [{}].", cl.scopes.join(", "), cl.filters.join(", "))
            }
            None => diagnosis,
        }),
        Err(e) => Err(e.to_string()),
    };
    c.push("Mapping API", detail);
    Ok(())
}

async fn check_ooapi(cw: &Crosswalk, profile: &Profile, c: &mut ConnectionCheck) -> Result<()> {
    let ProfileSettings::Ooapi(o) = &profile.settings else { return Ok(()) };
    if o.transport() == crate::connection::OoapiTransport::Direct {
        let req = crate::ooapi::token_request(profile)?;
        match cw.token(profile, &req, SecretField::ClientSecret).await {
            Ok(t) => {
                c.claims = t.claims.clone();
                let lifetime = t.expires_at.map(|e| format!(", valid until {}", e.format("%H:%M UTC"))).unwrap_or_default();
                c.push("Token", Ok(format!("The partner's authorization server issued a token{lifetime}.")));
            }
            Err(e @ (Error::SecretMissing { .. } | Error::Keyring(_))) => return Err(e),
            Err(e) => {
                c.push("Token", Err(e.to_string()));
                return Ok(());
            }
        }
    }
    // The cheapest real call: an association id nobody has. A working endpoint answers "not
    // found" (404; a receiver 409 "Enrollment not found."); 401/403 mean the credentials or scopes.
    let probe = "00000000-0000-4000-8000-000000000000";
    let step = if o.transport() == crate::connection::OoapiTransport::Receiver { "Enrollment receiver" } else { "Associations endpoint" };
    let detail = match crate::enrollments::home::get(cw, profile, probe, None, &CancellationToken::new(), None).await {
        Err(e @ (Error::SecretMissing { .. } | Error::Keyring(_))) => return Err(e),
        Err(e) => Err(e.to_string()),
        Ok(x) => match x.answer.status {
            404 | 409 => Ok(format!(
                "It answers and accepts Crosswalk's credentials ({} for an unknown association, as it should).",
                x.answer.status
            )),
            s if (200..300).contains(&s) => Ok(format!("It answers ({s}).")),
            _ => Err(crate::enrollments::home::explain(profile, &x.answer, "a test association id").to_string()),
        },
    };
    c.push(step, detail);
    Ok(())
}

async fn check_openlearning(cw: &Crosswalk, profile: &Profile, c: &mut ConnectionCheck) -> Result<()> {
    let ProfileSettings::Openlearning(s) = &profile.settings else { return Ok(()) };
    let url = crate::connection::join_url("OpenLearning API base URL", &s.base_url, "users/me/institutions/")?;
    let auth = match s.api_key_style {
        ApiKeyStyle::Header => Auth::BearerSecret(SecretField::ApiKey),
        ApiKeyStyle::Query => Auth::QuerySecret { param: "api_key", field: SecretField::ApiKey },
    };
    let detail = match cw.send(profile, Request::get("OpenLearning", url).auth(auth)).await {
        Err(e @ (Error::SecretMissing { .. } | Error::Keyring(_))) => return Err(e),
        Err(Error::Unreachable { reason, .. }) => Err(format!("OpenLearning could not be reached: {reason}")),
        Err(e) => Err(e.to_string()),
        Ok(r) => match r.status {
            200 => Ok("The API key works.".to_string()),
            401 => Err("OpenLearning refused the API key (401). Set the institution administrator's current API key.".into()),
            403 => Err("The API key may not act for this institution (403). Use a key of an institution administrator.".into()),
            404 => Err("The API base URL looks wrong (404). It is usually https://api.openlearning.com/v2.1/.".into()),
            s => Err(format!("OpenLearning answered {s}.")),
        },
    };
    c.push("API key", detail);
    Ok(())
}
