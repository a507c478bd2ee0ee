//! Reading a JWT's claims — for display and expiry only. Crosswalk never trusts these claims for
//! a security decision (it cannot verify the signature and does not need to: the issuer does).

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The claims Crosswalk shows an administrator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JwtClaims {
    pub scopes: Vec<String>,
    pub filters: Vec<String>,
    pub is_restricted: Option<bool>,
    #[ts(type = "number | null")]
    pub exp: Option<i64>,
    #[ts(type = "number | null")]
    pub iat: Option<i64>,
    pub iss: Option<String>,
    pub preferred_username: Option<String>,
    pub grant_type: Option<String>,
}

/// Decodes the payload of a compact JWT; `None` if the token is not a JWT.
pub fn claims(token: &str) -> Option<JwtClaims> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    // `aud` may be a string or a list and `scope` may be a space list: read what we show.
    let raw: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let mut c: JwtClaims = serde_json::from_value(raw.clone()).unwrap_or_default();
    if c.scopes.is_empty() {
        if let Some(s) = raw.get("scope").and_then(|s| s.as_str()) {
            c.scopes = s.split_whitespace().map(String::from).collect();
        }
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", e.encode(r#"{"alg":"HS256"}"#), e.encode(payload))
    }

    #[test]
    fn reads_open_edx_claims() {
        let c = claims(&jwt(r#"{"scopes":["read","tpa:read"],"filters":["tpa_provider:saml-ubc"],"is_restricted":true,"exp":1900000000}"#))
            .unwrap();
        assert_eq!(c.scopes, vec!["read", "tpa:read"]);
        assert_eq!(c.filters, vec!["tpa_provider:saml-ubc"]);
        assert_eq!(c.exp, Some(1_900_000_000));
    }

    #[test]
    fn reads_a_space_separated_scope_claim() {
        let c = claims(&jwt(r#"{"scope":"a b"}"#)).unwrap();
        assert_eq!(c.scopes, vec!["a", "b"]);
    }

    #[test]
    fn opaque_tokens_are_not_jwts() {
        assert!(claims("abc123").is_none());
        assert!(claims("a.b").is_none());
    }
}
