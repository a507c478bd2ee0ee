//! OOAPI v5 partners: tokens for now (the enrollment endpoints arrive with the Enrollments feature).

use crate::connection::{ClientAuth, Profile, ProfileSettings};
use crate::token::TokenRequest;
use crate::{Error, Result};

/// The client-credentials request for an OOAPI partner: its token URL, scopes and, when set, the
/// `audience` parameter the partner's authorization server expects.
pub fn token_request(profile: &Profile) -> Result<TokenRequest> {
    let ProfileSettings::Ooapi(o) = &profile.settings else {
        return Err(Error::Invalid(format!("\"{}\" is not an OOAPI partner connection.", profile.name)));
    };
    let token_url = crate::connection::validate_url("token URL", &o.token_url)?;
    let mut extra = Vec::new();
    if let Some(aud) = o.audience.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        extra.push(("audience".to_string(), aud.to_string()));
    }
    Ok(TokenRequest {
        service: format!("OOAPI partner {}", o.schac_home),
        token_url,
        client_id: o.client_id.clone(),
        client_auth: ClientAuth::Basic,
        scopes: o.scopes.clone(),
        extra,
        scheme: "Bearer",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{NetworkSettings, OoapiSettings};

    #[test]
    fn the_audience_and_scopes_go_into_the_token_request() {
        let p = Profile {
            id: "o".into(),
            name: "TU/e".into(),
            settings: ProfileSettings::Ooapi(OoapiSettings {
                schac_home: "tue.nl".into(),
                persons_url: "https://ooapi.tue.nl/persons".into(),
                associations_url: "https://ooapi.tue.nl/associations".into(),
                token_url: "https://auth.tue.nl/oauth2/token".into(),
                client_id: "crosswalk".into(),
                scopes: vec!["eduxchange".into()],
                audience: Some("https://ooapi.tue.nl".into()),
                introspection_url: None,
                introspection_client_id: None,
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: false,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let r = token_request(&p).unwrap();
        assert_eq!(r.extra, vec![("audience".to_string(), "https://ooapi.tue.nl".to_string())]);
        assert_eq!(r.scopes, vec!["eduxchange"]);
        assert_eq!(r.token_url.as_str(), "https://auth.tue.nl/oauth2/token");
    }
}
