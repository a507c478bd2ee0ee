//! Provider permissions: which Open edX API client may read which provider's mappings, probed
//! live, with the exact steps an LMS operator takes to grant what is missing.

use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::connection::{Profile, SecretField, TokenType};
use crate::crosswalk::Crosswalk;
use crate::jwt::JwtClaims;
use crate::openedx::{self, MappingsClient};
use crate::{Error, Result};

/// A filter entry is stored in at most 32 characters; `tpa_provider:` takes 13 of them.
pub const MAX_GRANTABLE_PROVIDER_ID: usize = 19;

/// What a probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Granted,
    /// 401 or 403.
    NotPermitted,
    /// 404: no such (enabled) provider.
    UnknownProvider,
    Error,
}

/// One profile × provider cell.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PermissionCell {
    pub provider_id: String,
    pub access: Access,
    pub status: Option<u16>,
    pub detail: String,
    /// For a missing grant: what the LMS operator does, ready to copy.
    pub fix: Option<String>,
    /// For JWT profiles: whether the token's scopes and filters allow this provider.
    pub token_allows: Option<bool>,
}

/// One profile's row of the matrix.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PermissionRow {
    pub profile_id: String,
    pub profile_name: String,
    pub client_id: String,
    pub token_type: TokenType,
    pub claims: Option<JwtClaims>,
    /// Why no cell could be probed (e.g. no token), else empty.
    pub problem: String,
    pub cells: Vec<PermissionCell>,
}

/// What the token's claims say about `provider_id` (restricted JWTs need both).
pub fn token_allows(claims: &JwtClaims, provider_id: &str) -> bool {
    claims.scopes.iter().any(|s| s == "tpa:read") && claims.filters.iter().any(|f| f == &format!("tpa_provider:{provider_id}"))
}

/// The steps an LMS operator takes so that `client_id` may read `provider_id`.
pub fn fix_steps(client_id: &str, provider_id: &str) -> String {
    let mut s = String::new();
    if provider_id.len() > MAX_GRANTABLE_PROVIDER_ID {
        s.push_str(&format!(
            "Note: \"{provider_id}\" is {} characters long. A filter is stored in at most 32 characters and \"tpa_provider:\" takes 13, so only provider ids of up to {MAX_GRANTABLE_PROVIDER_ID} characters can be granted this way. For this provider the application's owner must be staff instead (all providers), or the provider's slug shortened.\n\n",
            provider_id.len()
        ));
    }
    s.push_str(&format!(
        "On the LMS server (as the Open edX operator):\n\
         1. If the application does not exist yet, create it:\n   \
            ./manage.py lms create_dot_application {client_id} <service-username> --grant-type client-credentials --scopes tpa:read\n\
         2. In Django admin → Django OAuth Toolkit → Applications, open \"{client_id}\" and keep it restricted (Restricted applications → add it).\n\
         3. In Django admin → OAuth Dispatch → Application access, give the application the scope \"tpa:read\" and add the filter:\n   \
            tpa_provider:{provider_id}\n\
         4. In Crosswalk, use the token type JWT for this connection (a restricted application's opaque tokens are issued already expired).\n"
    ));
    s
}

async fn probe(cw: &Crosswalk, profile: &Profile, provider_id: &str, claims: Option<&JwtClaims>, client_id: &str) -> PermissionCell {
    let token_allows = claims.filter(|c| c.is_restricted == Some(true)).map(|c| token_allows(c, provider_id));
    let r = MappingsClient::new(cw, profile).page(provider_id, 1, 1, &CancellationToken::new()).await;
    let (access, status, detail) = match r {
        Ok(p) => (Access::Granted, Some(200), format!("{} learners linked", p.count)),
        Err(Error::Remote { status: s @ (401 | 403), diagnosis, .. }) => (Access::NotPermitted, Some(s), diagnosis),
        Err(Error::Remote { status: 404, diagnosis, .. }) => (Access::UnknownProvider, Some(404), diagnosis),
        Err(Error::Remote { status, diagnosis, .. }) => (Access::Error, Some(status), diagnosis),
        Err(e) => (Access::Error, None, e.to_string()),
    };
    let fix = (access == Access::NotPermitted).then(|| fix_steps(client_id, provider_id));
    PermissionCell { provider_id: provider_id.to_string(), access, status, detail, fix, token_allows }
}

/// Probes every provider of `providers` (or each profile's watched ones when empty) for every
/// Open edX profile in `profile_ids` (all when empty), with `page_size=1`.
pub async fn matrix(cw: &Crosswalk, profile_ids: &[String], providers: &[String]) -> Result<Vec<PermissionRow>> {
    let profiles: Vec<Profile> = cw
        .profiles()?
        .into_iter()
        .filter(|p| p.openedx().is_ok())
        .filter(|p| profile_ids.is_empty() || profile_ids.contains(&p.id) || profile_ids.contains(&p.name))
        .collect();
    if profiles.is_empty() {
        return Err(Error::Invalid("There is no Open edX connection to check. Add one in Connections.".into()));
    }
    let mut rows = Vec::new();
    for profile in profiles {
        let s = profile.openedx()?.clone();
        let wanted: Vec<String> = if providers.is_empty() { s.providers.clone() } else { providers.to_vec() };
        let mut row = PermissionRow {
            profile_id: profile.id.clone(),
            profile_name: profile.name.clone(),
            client_id: s.client_id.clone(),
            token_type: s.token_type,
            claims: None,
            problem: String::new(),
            cells: Vec::new(),
        };
        match cw.token(&profile, &openedx::token_request(&profile)?, SecretField::ClientSecret).await {
            Ok(t) => row.claims = t.claims,
            Err(e) => {
                row.problem = e.to_string();
                rows.push(row);
                continue;
            }
        }
        for provider in &wanted {
            row.cells.push(probe(cw, &profile, provider, row.claims.as_ref(), &s.client_id).await);
        }
        let granted = row.cells.iter().filter(|c| c.access == Access::Granted).count();
        cw.activity.record(NewActivity::ok(
            "openedx.permissions.check",
            &profile.name,
            format!("{granted} of {} providers readable", row.cells.len()),
        ));
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_tokens_need_both_the_scope_and_the_filter() {
        let c = JwtClaims { scopes: vec!["tpa:read".into()], filters: vec!["tpa_provider:saml-a".into()], ..Default::default() };
        assert!(token_allows(&c, "saml-a"));
        assert!(!token_allows(&c, "saml-b"));
        let no_scope = JwtClaims { scopes: vec!["read".into()], ..c };
        assert!(!token_allows(&no_scope, "saml-a"));
    }

    #[test]
    fn fix_steps_name_the_command_the_filter_and_the_length_limit() {
        let s = fix_steps("crosswalk", "saml-partner");
        assert!(s.contains("create_dot_application crosswalk <service-username> --grant-type client-credentials --scopes tpa:read"));
        assert!(s.contains("tpa_provider:saml-partner"));
        assert!(!s.contains("characters long"));
        let long = fix_steps("crosswalk", "saml-very-long-provider-name");
        assert!(long.contains("28 characters long") && long.contains("up to 19"));
    }
}
