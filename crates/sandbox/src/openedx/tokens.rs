//! Issued access tokens: opaque tokens tracked server-side and HS256 JWTs verified by signature
//! and expiry, both judged against the sandbox clock.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, TimeZone, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::clients::{Registration, JWT_AUDIENCE, JWT_SIGNING_KEY};

/// Lifetime of an opaque token (the LMS's `ACCESS_TOKEN_EXPIRE_SECONDS`).
pub(crate) const OPAQUE_LIFETIME_SECS: u64 = 36_000;
/// Lifetime of a JWT (the LMS's `JWT_ACCESS_TOKEN_EXPIRE_SECONDS`).
pub(crate) const JWT_LIFETIME_SECS: u64 = 3_600;
/// `version` claim of issued JWTs.
const JWT_VERSION: &str = "1.2.0";
/// Length and alphabet of opaque tokens (oauthlib's `generate_token`).
const OPAQUE_LEN: usize = 30;
const OPAQUE_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Past this many tracked opaque tokens, long-expired ones are forgotten.
const PRUNE_ABOVE: usize = 100_000;

/// Claims of a sandbox JWT, as the LMS issues them for `client_credentials`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct JwtClaims {
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub preferred_username: String,
    pub email: String,
    pub administrator: bool,
    pub scopes: Vec<String>,
    pub filters: Vec<String>,
    pub is_restricted: bool,
    pub grant_type: String,
    pub version: String,
}

/// The body of a successful token answer.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct IssuedToken {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds; negative (and fractional, as the LMS computes it) for a token issued expired.
    pub expires_in: serde_json::Number,
    pub scope: String,
}

/// Why an opaque token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpaqueRefusal {
    Nonexistent,
    Expired,
}

/// Why a JWT was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JwtRefusal {
    Expired,
    Invalid,
}

#[derive(Clone, Copy, Debug)]
struct OpaqueToken {
    registration: usize,
    expires_at: DateTime<Utc>,
}

/// Everything the token endpoint issued.
pub(crate) struct Tokens {
    opaque: Mutex<HashMap<String, OpaqueToken>>,
    rng: Mutex<ChaCha8Rng>,
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
    issuer: String,
    /// Every token issued (at most [`REMEMBER_ISSUED`]), so leak tests know what to look for.
    issued: Mutex<Vec<String>>,
    /// Tokens the server has forgotten ([`Tokens::revoke_all`]): refused as nonexistent.
    revoked: Mutex<std::collections::HashSet<String>>,
}

/// How many issued tokens [`Tokens::issued`] remembers.
const REMEMBER_ISSUED: usize = 10_000;

impl Tokens {
    /// A store whose JWTs name `issuer` (`{lms}/oauth2`) and whose opaque tokens come from a
    /// generator seeded with `seed`.
    pub fn new(issuer: String, seed: u64) -> Self {
        Self {
            opaque: Mutex::new(HashMap::new()),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x746f_6b65_6e73)),
            encoding_key: EncodingKey::from_secret(JWT_SIGNING_KEY.as_bytes()),
            decoding_key: DecodingKey::from_secret(JWT_SIGNING_KEY.as_bytes()),
            issuer,
            issued: Mutex::new(Vec::new()),
            revoked: Mutex::new(std::collections::HashSet::new()),
        }
    }

    /// Issues an opaque Bearer token. A restricted application's token is issued already
    /// expired (expiry 1970-01-01, `expires_in` negative), as the LMS does.
    pub fn issue_opaque(
        &self,
        registration_index: usize,
        registration: &Registration,
        scopes: &[String],
        lifetime_secs: Option<u64>,
        now: DateTime<Utc>,
    ) -> IssuedToken {
        let token = self.random_token();
        let (expires_at, expires_in) = if registration.is_restricted() {
            let epoch = Utc.timestamp_opt(0, 0).single().unwrap_or(now);
            let seconds = (epoch - now).num_microseconds().unwrap_or(i64::MIN) as f64 / 1e6;
            let expires_in = serde_json::Number::from_f64(seconds).unwrap_or_else(|| (-1).into());
            (epoch, expires_in)
        } else {
            let lifetime = lifetime_secs.unwrap_or(OPAQUE_LIFETIME_SECS);
            (now + seconds(lifetime), lifetime.into())
        };
        let mut opaque = self.opaque.lock().unwrap_or_else(PoisonError::into_inner);
        if opaque.len() > PRUNE_ABOVE {
            let horizon = now - Duration::hours(1);
            opaque.retain(|_, t| t.expires_at > horizon);
        }
        opaque.insert(token.clone(), OpaqueToken { registration: registration_index, expires_at });
        self.remember(&token);
        IssuedToken { access_token: token, token_type: "Bearer", expires_in, scope: scopes.join(" ") }
    }

    /// Issues a signed JWT carrying the application's scopes and filters.
    pub fn issue_jwt(&self, registration: &Registration, scopes: &[String], lifetime_secs: Option<u64>, now: DateTime<Utc>) -> IssuedToken {
        let lifetime = lifetime_secs.unwrap_or(JWT_LIFETIME_SECS);
        let claims = JwtClaims {
            iss: self.issuer.clone(),
            aud: JWT_AUDIENCE.to_owned(),
            exp: (now + seconds(lifetime)).timestamp(),
            iat: now.timestamp(),
            preferred_username: registration.owner.username.to_owned(),
            email: registration.owner.email.to_owned(),
            administrator: registration.owner.is_staff,
            scopes: scopes.to_vec(),
            filters: registration.filters().to_vec(),
            is_restricted: registration.is_restricted(),
            grant_type: "client-credentials".to_owned(),
            version: JWT_VERSION.to_owned(),
        };
        let access_token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding_key).unwrap_or_default();
        self.remember(&access_token);
        IssuedToken { access_token, token_type: "JWT", expires_in: lifetime.into(), scope: scopes.join(" ") }
    }

    fn remember(&self, token: &str) {
        let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        if issued.len() < REMEMBER_ISSUED {
            issued.push(token.to_owned());
        }
    }

    /// Every token issued so far (up to a bound).
    pub fn issued(&self) -> Vec<String> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Forgets every token issued so far, as an LMS whose token table was cleared: presenting one
    /// answers 401 `token_nonexistent` (opaque) or 401 (JWT).
    pub fn revoke_all(&self) {
        let issued = self.issued();
        self.revoked.lock().unwrap_or_else(PoisonError::into_inner).extend(issued);
        self.opaque.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    fn is_revoked(&self, token: &str) -> bool {
        self.revoked.lock().unwrap_or_else(PoisonError::into_inner).contains(token)
    }

    /// The registration index behind a live opaque token.
    pub fn opaque(&self, token: &str, now: DateTime<Utc>) -> Result<usize, OpaqueRefusal> {
        let opaque = self.opaque.lock().unwrap_or_else(PoisonError::into_inner);
        let found = opaque.get(token).ok_or(OpaqueRefusal::Nonexistent)?;
        if now >= found.expires_at {
            return Err(OpaqueRefusal::Expired);
        }
        Ok(found.registration)
    }

    /// The claims of a JWT with a valid signature, audience and issuer that has not expired.
    pub fn verify_jwt(&self, token: &str, now: DateTime<Utc>) -> Result<JwtClaims, JwtRefusal> {
        if self.is_revoked(token) {
            return Err(JwtRefusal::Invalid);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[JWT_AUDIENCE]);
        validation.set_issuer(&[self.issuer.as_str()]);
        // Expiry is judged against the sandbox clock below, without leeway.
        validation.validate_exp = false;
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<JwtClaims>(token, &self.decoding_key, &validation).map_err(|_| JwtRefusal::Invalid)?;
        if data.claims.exp <= now.timestamp() {
            return Err(JwtRefusal::Expired);
        }
        Ok(data.claims)
    }

    fn random_token(&self) -> String {
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        (0..OPAQUE_LEN).map(|_| OPAQUE_ALPHABET[rng.random_range(0..OPAQUE_ALPHABET.len())] as char).collect()
    }
}

fn seconds(secs: u64) -> Duration {
    Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openedx::clients::registrations;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn opaque_tokens_expire_at_their_lifetime() {
        let tokens = Tokens::new("http://lms/oauth2".into(), 1);
        let regs = registrations();
        let issued = tokens.issue_opaque(0, &regs[0], &regs[0].scopes, Some(10), at(0));
        assert_eq!(issued.expires_in, serde_json::Number::from(10));
        assert_eq!(tokens.opaque(&issued.access_token, at(9)), Ok(0));
        assert_eq!(tokens.opaque(&issued.access_token, at(10)), Err(OpaqueRefusal::Expired));
        assert_eq!(tokens.opaque("nope", at(0)), Err(OpaqueRefusal::Nonexistent));
    }

    #[test]
    fn jwts_carry_the_registration_and_expire() {
        let tokens = Tokens::new("http://lms/oauth2".into(), 1);
        let regs = registrations();
        let restricted = regs.iter().find(|r| r.is_restricted()).unwrap();
        let issued = tokens.issue_jwt(restricted, &restricted.scopes, None, at(0));
        let claims = tokens.verify_jwt(&issued.access_token, at(3_599)).unwrap();
        assert!(claims.is_restricted);
        assert!(claims.filters.contains(&"tpa_provider:saml-demo-univ".to_owned()));
        assert_eq!(tokens.verify_jwt(&issued.access_token, at(3_600)), Err(JwtRefusal::Expired));
        let other_issuer = Tokens::new("http://elsewhere/oauth2".into(), 1);
        assert_eq!(other_issuer.verify_jwt(&issued.access_token, at(0)), Err(JwtRefusal::Invalid));
    }
}
