//! The seeded third-party-auth providers and how each one stores and shows remote ids.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The kind of a third-party-auth provider; its id starts with `saml-`, `oa2-` or `lti-`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// A SAML identity provider; stored uids are `<idp_slug>:<remote_id>`.
    Saml,
    /// An OAuth2 backend (e.g. Google); the uid is the remote id.
    Oauth2,
    /// An LTI consumer; the uid (`<consumer_key>:<user_id>`) is the remote id.
    Lti,
}

impl ProviderKind {
    /// `"saml"`, `"oauth2"` or `"lti"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Saml => "saml",
            ProviderKind::Oauth2 => "oauth2",
            ProviderKind::Lti => "lti",
        }
    }

    /// Order in which the LMS lists a user's providers (OAuth2, then SAML, then LTI).
    pub(crate) fn listing_rank(self) -> u8 {
        match self {
            ProviderKind::Oauth2 => 0,
            ProviderKind::Saml => 1,
            ProviderKind::Lti => 2,
        }
    }
}

/// What a provider's remote ids look like.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RemoteIdStyle {
    /// `s1234567`: a university student number.
    StudentNumber,
    /// `<username>@<domain>`: an eduPersonPrincipalName.
    PrincipalName { domain: &'static str },
    /// `first.last42@<domain>`, sometimes with a `+tag`: a personal e-mail address.
    Email { domain: &'static str },
    /// `<consumer_key>:<32 hex digits>`: an LTI user id.
    LtiUser { consumer_key: &'static str },
}

/// One configured provider.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProviderConfig {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: ProviderKind,
    pub enabled: bool,
    /// The SAML `idp_slug` prefixed to stored uids.
    pub idp_slug: Option<&'static str>,
    /// Chance per mille that a learner is linked to this provider (the home provider also gets
    /// every learner left without a link).
    pub linked_per_mille: u32,
    pub remote_ids: RemoteIdStyle,
}

/// Index of `saml-demo-univ` in [`PROVIDERS`]: every learner without another link gets one here.
pub(crate) const HOME_PROVIDER: usize = 0;

/// The providers every sandbox has, in listing order. Independent of the seed.
pub(crate) const PROVIDERS: [ProviderConfig; 6] = [
    ProviderConfig {
        id: "saml-demo-univ",
        name: "Demo University",
        kind: ProviderKind::Saml,
        enabled: true,
        idp_slug: Some("demo-univ"),
        // Plus every learner without another link: about 90% of learners in all.
        linked_per_mille: 800,
        remote_ids: RemoteIdStyle::StudentNumber,
    },
    ProviderConfig {
        id: "saml-partner",
        name: "Partner Institute",
        kind: ProviderKind::Saml,
        enabled: true,
        idp_slug: Some("partner"),
        linked_per_mille: 100,
        remote_ids: RemoteIdStyle::PrincipalName { domain: "partner.example.org" },
    },
    ProviderConfig {
        id: "oa2-google-oauth2",
        name: "Google",
        kind: ProviderKind::Oauth2,
        enabled: true,
        idp_slug: None,
        linked_per_mille: 300,
        remote_ids: RemoteIdStyle::Email { domain: "gmail.example.com" },
    },
    ProviderConfig {
        id: "lti-canvas",
        name: "Canvas LMS",
        kind: ProviderKind::Lti,
        enabled: true,
        idp_slug: None,
        linked_per_mille: 150,
        remote_ids: RemoteIdStyle::LtiUser { consumer_key: "canvas" },
    },
    ProviderConfig {
        id: "saml-retired",
        name: "Retired Identity Provider",
        kind: ProviderKind::Saml,
        enabled: false,
        idp_slug: Some("retired"),
        linked_per_mille: 50,
        remote_ids: RemoteIdStyle::StudentNumber,
    },
    ProviderConfig {
        id: "saml-very-long-provider-name",
        name: "Very Long Provider Name Consortium",
        kind: ProviderKind::Saml,
        enabled: true,
        idp_slug: Some("very-long-provider-name"),
        linked_per_mille: 30,
        remote_ids: RemoteIdStyle::PrincipalName { domain: "consortium.example.net" },
    },
];

impl ProviderConfig {
    /// The uid stored for `remote_id` (the LMS's `get_social_auth_uid`): SAML prefixes its slug.
    pub fn social_auth_uid<'a>(&self, remote_id: &'a str) -> Cow<'a, str> {
        match self.idp_slug {
            Some(slug) => Cow::Owned(format!("{slug}:{remote_id}")),
            None => Cow::Borrowed(remote_id),
        }
    }

    /// The remote id shown for a stored uid (the LMS's `get_remote_id_from_social_auth`):
    /// SAML strips its `<idp_slug>:` prefix.
    pub fn remote_id<'a>(&self, uid: &'a str) -> &'a str {
        match self.idp_slug {
            Some(slug) => uid.strip_prefix(slug).and_then(|rest| rest.strip_prefix(':')).unwrap_or(uid),
            None => uid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saml_uids_carry_the_slug_and_remote_ids_do_not() {
        let saml = &PROVIDERS[HOME_PROVIDER];
        assert_eq!(saml.social_auth_uid("s1234567"), "demo-univ:s1234567");
        assert_eq!(saml.remote_id("demo-univ:s1234567"), "s1234567");
        let google = PROVIDERS.iter().find(|p| p.kind == ProviderKind::Oauth2).unwrap();
        assert_eq!(google.social_auth_uid("a+b@x.org"), "a+b@x.org");
        assert_eq!(google.remote_id("a+b@x.org"), "a+b@x.org");
    }

    #[test]
    fn only_one_enabled_provider_id_is_too_long_for_a_filter() {
        // A filter `tpa_provider:<id>` is stored in at most 32 characters.
        let too_long: Vec<_> = PROVIDERS.iter().filter(|p| "tpa_provider:".len() + p.id.len() > 32).map(|p| p.id).collect();
        assert_eq!(too_long, ["saml-very-long-provider-name"]);
    }
}
