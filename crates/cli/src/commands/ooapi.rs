//! `crosswalk ooapi …`: the token and endpoint checks of our own OOAPI home endpoints.

use std::time::Duration;

use crosswalk_core::ooapi::check::{self, report, CheckRequest, TokenSource, Verdict};
use crosswalk_core::secret::SecretString;
use crosswalk_core::{Crosswalk, Error};

use crate::args::{OoapiCmd, TokenArgs};
use crate::output::Output;

fn token_source(t: &TokenArgs, default_profile: Option<&str>) -> Result<TokenSource, Error> {
    if t.token_stdin {
        return Ok(TokenSource::Pasted(super::secret::read_secret("Token: ")?));
    }
    match t.from_profile.as_deref().or(default_profile) {
        Some(p) => Ok(TokenSource::Connection(p.to_string())),
        None => Err(Error::Invalid("Give the token to check: --token-stdin, or --from-profile CONNECTION to fetch one.".into())),
    }
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: OoapiCmd) -> Result<(), Error> {
    let cancel = super::cancel_on_ctrl_c();
    match cmd {
        OoapiCmd::Introspect { profile, token } => {
            let p = cw.profile(&profile)?;
            let (value, source) = check::resolve_token(cw, &token_source(&token, None)?).await?;
            let r = check::introspect(cw, &p, &value, &source, &cancel).await?;
            out.print(&r, || {
                let mut t = String::new();
                if let Some(f) = &r.facts {
                    t.push_str(&format!(
                        "Token ({}): active {}, expires {}\n  scopes:   {}\n  missing:  {}\n  email:    {}\n  client:   {}\n  aud:      {}\n",
                        f.source,
                        f.active.map_or("unknown".into(), |a| a.to_string()),
                        f.expires_at.as_deref().unwrap_or("(no exp)"),
                        if f.scopes.is_empty() { "(none)".to_string() } else { f.scopes.join(" ") },
                        if f.missing_scopes.is_empty() { "(none)".to_string() } else { f.missing_scopes.join(" ") },
                        f.email.as_deref().unwrap_or("(none)"),
                        f.client_id.as_deref().unwrap_or("(none)"),
                        if f.audience.is_empty() { "(none)".to_string() } else { f.audience.join(", ") },
                    ));
                }
                for i in &r.items {
                    t.push_str(&format!("{:<7} {}: {}\n", i.verdict.as_str().to_uppercase(), i.title, i.detail));
                    if let Some(h) = i.hint.as_ref().filter(|_| matches!(i.verdict, Verdict::Fail | Verdict::Warn)) {
                        t.push_str(&format!("        → {h}\n"));
                    }
                }
                t
            });
            let failed: Vec<&str> = r.items.iter().filter(|i| i.verdict == Verdict::Fail).map(|i| i.title.as_str()).collect();
            if !failed.is_empty() {
                Err(Error::Invalid(format!("The token check failed: {}.", failed.join(", "))))
            } else if r.facts.is_none() {
                // Nothing was learnt of the token (no introspection URL): never a silent success.
                Err(Error::Invalid(format!(
                    "The token could not be checked: \"{profile}\" has no introspection URL. Add --introspection-url and --introspection-client-id to the profile."
                )))
            } else {
                Ok(())
            }
        }
        OoapiCmd::Check { profile, token, no_scope_token_env, sis_url, slow_after, html, junit, save_json } => {
            let no_scope_token = match no_scope_token_env {
                None => None,
                Some(var) => match std::env::var(&var) {
                    Ok(v) if !v.trim().is_empty() => Some(SecretString::new(v.trim())),
                    _ => return Err(Error::Invalid(format!("--no-scope-token-env names {var}, which is not set."))),
                },
            };
            let slow_after = match slow_after {
                Some(s) if !(s > 0.0 && s.is_finite()) => {
                    return Err(Error::Invalid("--slow-after takes a number of seconds above 0.".into()))
                }
                s => s.map(Duration::from_secs_f64),
            };
            let req = CheckRequest {
                profile_id: profile.clone(),
                token: token_source(&token, Some(&profile))?,
                no_scope_token,
                sis_url,
                slow_after,
            };
            eprintln!("Checking the endpoints of \"{profile}\"… (test associations are canceled at the end)");
            let r = check::run(cw, &req, &cancel).await?;
            // The format follows the option, whatever the file is called.
            for (path, what, body) in [
                (&html, "HTML", report::html as fn(&check::CheckReport) -> String),
                (&junit, "JUnit", report::junit),
                (&save_json, "JSON", report::json),
            ] {
                if let Some(path) = path {
                    std::fs::write(path, body(&r)).map_err(|e| {
                        Error::Invalid(format!("The {what} report could not be saved to {}: {e}. Choose another folder.", path.display()))
                    })?;
                    eprintln!("{what} report saved to {}", path.display());
                }
            }
            out.print(&r, || report::text(&r));
            if r.passed() {
                Ok(())
            } else {
                let failed: Vec<String> = r
                    .items
                    .iter()
                    .filter(|i| i.verdict == Verdict::Fail)
                    .map(|i| format!("{} — {}", i.endpoint.label(), i.title))
                    .collect();
                Err(Error::Invalid(format!("{} check(s) failed: {}.", failed.len(), failed.join("; "))))
            }
        }
    }
}
