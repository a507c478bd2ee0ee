//! OOAPI v5 partners: tokens, endpoints, and validation against the v5 specification ([`schema`]).

pub mod body;
pub mod check;
pub mod schema;

use crate::connection::{ClientAuth, Profile, ProfileSettings};
use crate::token::TokenRequest;
use crate::{Error, Result};

/// The client-credentials request for an OOAPI partner: its token URL, scopes and, when set, the
/// `audience` parameter the partner's authorization server expects.
pub fn token_request(profile: &Profile) -> Result<TokenRequest> {
    let ProfileSettings::Ooapi(o) = &profile.settings else {
        return Err(Error::Invalid(format!("\"{}\" is not an OOAPI partner connection.", profile.name)));
    };
    let token_url = endpoints::token(profile)?;
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

/// The OOAPI endpoints of a partner, from the collection URLs its connection holds. Either
/// spelling of a collection URL (with or without a trailing `/`) gives the same endpoints.
pub mod endpoints {
    use super::*;

    fn settings(profile: &Profile) -> Result<&crate::connection::OoapiSettings> {
        match &profile.settings {
            ProfileSettings::Ooapi(o) => Ok(o),
            _ => Err(Error::Invalid(format!("\"{}\" is not an OOAPI partner connection.", profile.name))),
        }
    }

    /// An id as one URL path segment, whatever it contains.
    pub(crate) fn segment(id: &str) -> String {
        url::form_urlencoded::byte_serialize(id.trim().as_bytes()).collect::<String>().replace('+', "%20")
    }

    /// `GET {persons}/{personId}` (`me` for the token's own person).
    pub fn person(profile: &Profile, person_id: &str) -> Result<url::Url> {
        crate::connection::join_url("persons URL", &settings(profile)?.persons_url, &segment(person_id))
    }

    /// `POST {associations}/external/{personId}` (`me` for the token's own person).
    pub fn external_association(profile: &Profile, person_id: &str) -> Result<url::Url> {
        crate::connection::join_url("associations URL", &settings(profile)?.associations_url, &format!("external/{}", segment(person_id)))
    }

    /// `GET` / `PATCH {associations}/{associationId}`.
    pub fn association(profile: &Profile, association_id: &str) -> Result<url::Url> {
        crate::connection::join_url("associations URL", &settings(profile)?.associations_url, &segment(association_id))
    }

    /// The token URL, used exactly as typed (a trailing `/` is part of it).
    pub fn token(profile: &Profile) -> Result<url::Url> {
        crate::connection::validate_url("token URL", &settings(profile)?.token_url)
    }

    /// The RFC 7662 introspection URL, used exactly as typed, when one is set.
    pub fn introspection(profile: &Profile) -> Result<Option<url::Url>> {
        settings(profile)?
            .introspection_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| crate::connection::validate_url("introspection URL", u))
            .transpose()
    }
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
                transport: None,
                receiver_url: None,
                receiver_user: None,
                stuck_after_hours: None,
                introspection_secret_env: None,
                sis_url: None,
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

    fn partner(base: &str, slash: &str) -> Profile {
        Profile {
            id: "o".into(),
            name: "TU/e".into(),
            settings: ProfileSettings::Ooapi(OoapiSettings {
                schac_home: "tue.nl".into(),
                persons_url: format!("{base}/persons{slash}"),
                associations_url: format!("{base}/associations{slash}"),
                token_url: format!("https://auth.tue.nl/oauth2/token{slash}"),
                client_id: "crosswalk".into(),
                scopes: vec![],
                audience: None,
                introspection_url: Some(format!("https://auth.tue.nl/oauth2/introspect{slash}")),
                introspection_client_id: None,
                transport: None,
                receiver_url: None,
                receiver_user: None,
                stuck_after_hours: None,
                introspection_secret_env: None,
                sis_url: None,
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: false,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn both_spellings_of_the_collection_urls_give_the_same_endpoints() {
        for slash in ["", "/"] {
            let p = partner("https://ooapi.tue.nl/v5", slash);
            assert_eq!(endpoints::person(&p, "me").unwrap().as_str(), "https://ooapi.tue.nl/v5/persons/me", "{slash:?}");
            assert_eq!(
                endpoints::external_association(&p, "me").unwrap().as_str(),
                "https://ooapi.tue.nl/v5/associations/external/me",
                "{slash:?}"
            );
            assert_eq!(
                endpoints::association(&p, "123e4567-e89b-12d3-a456-426614174000").unwrap().as_str(),
                "https://ooapi.tue.nl/v5/associations/123e4567-e89b-12d3-a456-426614174000"
            );
            // An id is one path segment, whatever it contains.
            assert_eq!(endpoints::person(&p, "a/b c").unwrap().as_str(), "https://ooapi.tue.nl/v5/persons/a%2Fb%20c");
            // Token and introspection URLs are used exactly as typed.
            assert_eq!(endpoints::token(&p).unwrap().as_str(), format!("https://auth.tue.nl/oauth2/token{slash}"));
            assert_eq!(endpoints::introspection(&p).unwrap().unwrap().as_str(), format!("https://auth.tue.nl/oauth2/introspect{slash}"));
        }
    }
}
