//! Connection profiles: how Crosswalk reaches one remote system. Non-secret settings only — the
//! secrets of a profile live in the OS keyring ([`crate::secrets`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::{Error, Result};

/// The kinds of remote system Crosswalk connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    /// An Open edX LMS (third-party-auth ID mapping API).
    Openedx,
    /// OpenLearning (single sign-on launches).
    Openlearning,
    /// An OOAPI v5 partner institution (enrollment).
    Ooapi,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Openedx => "openedx",
            ConnectionKind::Openlearning => "openlearning",
            ConnectionKind::Ooapi => "ooapi",
        }
    }
}

/// How an Open edX token is presented: `Authorization: JWT …` or `Authorization: Bearer …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Jwt,
    Bearer,
}

impl TokenType {
    /// The `Authorization` scheme for this token type.
    pub fn scheme(self) -> &'static str {
        match self {
            TokenType::Jwt => "JWT",
            TokenType::Bearer => "Bearer",
        }
    }
}

/// Where the OAuth client id and secret go in a token request: never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    /// HTTP Basic, id and secret form-urlencoded first (RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// How the OpenLearning API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyStyle {
    /// `Authorization: Bearer <key>` (safer: stays out of logged URLs).
    Header,
    /// `?api_key=<key>`, as OpenLearning's own examples do.
    Query,
}

/// Open edX LMS settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenEdxSettings {
    /// The LMS root, e.g. `https://courses.example.edu`.
    pub base_url: String,
    pub client_id: String,
    pub token_type: TokenType,
    pub client_auth: ClientAuth,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The provider ids to watch, e.g. `saml-ubc`, `oa2-google-oauth2`.
    #[serde(default)]
    pub providers: Vec<String>,
}

/// OpenLearning settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenLearningSettings {
    /// e.g. `https://api.openlearning.com/v2.1/`
    pub base_url: String,
    pub institution_id: String,
    pub api_key_style: ApiKeyStyle,
    /// The managed-user lookup, relative to the base URL, with `{institution_id}` and
    /// `{external_id}` placeholders. Unset: the observed
    /// `institutions/{institution_id}/managed-users/?external_institution_id={external_id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user_lookup_path: Option<String>,
}

/// OOAPI v5 partner settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OoapiSettings {
    /// The partner's schacHome, e.g. `tue.nl`.
    pub schac_home: String,
    pub persons_url: String,
    pub associations_url: String,
    pub token_url: String,
    pub client_id: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// For checking tokens on the home side (RFC 7662).
    #[serde(default)]
    pub introspection_url: Option<String>,
    #[serde(default)]
    pub introspection_client_id: Option<String>,
    /// How the home institution is reached; unset means [`OoapiTransport::Direct`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transport: Option<OoapiTransport>,
    /// The enrollment receiver's SIS API root (transport `receiver`), e.g.
    /// `https://receiver.example.edu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub receiver_url: Option<String>,
    /// The receiver's Basic-auth user (usually `sis`); the password is in the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub receiver_user: Option<String>,
    /// A pending association older than this many hours is flagged "stuck" (default 72).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stuck_after_hours: Option<u32>,
    /// The CLI reads the introspection client secret from this environment variable (never
    /// the value itself: only its name is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub introspection_secret_env: Option<String>,
    /// Our own SIS backend, as the enrollment receiver calls it (`POST {offering, person}`),
    /// for the endpoint check's SIS answer check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sis_url: Option<String>,
}

/// How Crosswalk reaches a home institution's OOAPI endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OoapiTransport {
    /// The four endpoints themselves, with a token from the connection's token settings.
    #[default]
    Direct,
    /// Through the host's enrollment receiver (its SIS API, HTTP Basic), which holds the
    /// students' tokens: how EuroTeQ institutions run in production.
    Receiver,
}

impl OoapiSettings {
    pub fn transport(&self) -> OoapiTransport {
        self.transport.unwrap_or_default()
    }
}

/// The kind-specific part of a profile. (A handful of profiles exist at a time: the OOAPI variant
/// being the largest costs nothing worth a box.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ProfileSettings {
    Openedx(OpenEdxSettings),
    Openlearning(OpenLearningSettings),
    Ooapi(OoapiSettings),
}

impl ProfileSettings {
    pub fn kind(&self) -> ConnectionKind {
        match self {
            ProfileSettings::Openedx(_) => ConnectionKind::Openedx,
            ProfileSettings::Openlearning(_) => ConnectionKind::Openlearning,
            ProfileSettings::Ooapi(_) => ConnectionKind::Ooapi,
        }
    }

    /// The secrets this kind of profile needs, by field name.
    pub fn secret_fields(&self) -> Vec<SecretField> {
        match self {
            ProfileSettings::Openedx(_) => vec![SecretField::ClientSecret],
            ProfileSettings::Openlearning(_) => vec![SecretField::ApiKey],
            ProfileSettings::Ooapi(o) => {
                let mut f = vec![SecretField::ClientSecret];
                if o.transport() == OoapiTransport::Receiver {
                    f = vec![SecretField::ReceiverPassword];
                }
                if o.introspection_url.is_some() {
                    f.push(SecretField::IntrospectionSecret);
                }
                f
            }
        }
    }

    /// The main base URL, for lists.
    pub fn base_url(&self) -> &str {
        match self {
            ProfileSettings::Openedx(o) => &o.base_url,
            ProfileSettings::Openlearning(o) => &o.base_url,
            ProfileSettings::Ooapi(o) => &o.persons_url,
        }
    }
}

/// A named secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretField {
    ClientSecret,
    ApiKey,
    IntrospectionSecret,
    /// The enrollment receiver's SIS API password.
    ReceiverPassword,
    /// A student's access token pasted for this session (direct OOAPI connections; see
    /// `enrollments::student_token`). Not a setting of the connection: never listed, exported or
    /// read from the environment.
    StudentToken,
}

impl SecretField {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretField::ClientSecret => "client_secret",
            SecretField::ApiKey => "api_key",
            SecretField::IntrospectionSecret => "introspection_secret",
            SecretField::ReceiverPassword => "receiver_password",
            SecretField::StudentToken => "student_token",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SecretField::ClientSecret => "client secret",
            SecretField::ApiKey => "API key",
            SecretField::IntrospectionSecret => "introspection client secret",
            SecretField::ReceiverPassword => "enrollment receiver password",
            SecretField::StudentToken => "pasted student token",
        }
    }
}

/// Proxy choice for a profile's HTTP clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum ProxySettings {
    /// The system's proxy (environment variables `HTTPS_PROXY`, `NO_PROXY`, …).
    #[default]
    System,
    /// Connect directly.
    None,
    /// This proxy, except for the hosts in `bypass` (comma list, like `NO_PROXY`).
    Manual { url: String, bypass: String },
}

/// Network settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NetworkSettings {
    pub proxy: ProxySettings,
    /// A PEM file of extra certificate authorities to trust besides the OS's.
    pub extra_ca_file: Option<String>,
    pub connect_timeout_secs: u32,
    pub total_timeout_secs: u32,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self { proxy: ProxySettings::System, extra_ca_file: None, connect_timeout_secs: 10, total_timeout_secs: 60 }
    }
}

/// What a person fills in to create or edit a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileDraft {
    pub name: String,
    pub settings: ProfileSettings,
    #[serde(default)]
    pub network: NetworkSettings,
    /// For middleware without a keyring: the environment variable that holds the secret (CLI only).
    #[serde(default)]
    pub secret_env: Option<String>,
}

/// A saved profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub settings: ProfileSettings,
    pub network: NetworkSettings,
    pub secret_env: Option<String>,
    /// Points at the built-in sandbox (demo mode); never saved.
    pub demo: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Profile {
    pub fn kind(&self) -> ConnectionKind {
        self.settings.kind()
    }

    /// The Open edX settings, or a clear error for another kind.
    pub fn openedx(&self) -> Result<&OpenEdxSettings> {
        match &self.settings {
            ProfileSettings::Openedx(o) => Ok(o),
            _ => Err(Error::Invalid(format!("The connection \"{}\" is not an Open edX connection. Pick an Open edX one.", self.name))),
        }
    }
}

/// Parses and checks a URL: `https` is required, except for loopback addresses (local tests and
/// the sandbox).
pub fn validate_url(label: &str, value: &str) -> Result<Url> {
    let url = Url::parse(value.trim()).map_err(|e| {
        Error::Invalid(format!("The {label} \"{value}\" is not a web address ({e}). Use a full address such as https://lms.example.edu."))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Invalid(format!(
                "The {label} must use https (\"{value}\" uses http). Plain http is allowed only for this computer (127.0.0.1, localhost)."
            )))
        }
        other => return Err(Error::Invalid(format!("The {label} must be an https address, not {other}:."))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Invalid(format!("The {label} \"{value}\" has no host name.")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Invalid(format!(
            "The {label} must not contain a user name or password. Put the secret in the secret field, where it is kept in the OS keyring."
        )));
    }
    Ok(url)
}

/// A configured base URL (an LMS root, an API root, an OOAPI collection) as a base to join paths
/// onto: validated, and with a path that ends in `/` whether or not the person typed one.
/// (`Url::join` on `https://api.openlearning.com/v2.1` would drop `v2.1`.) The one rule every
/// client and check uses, through [`join_url`] or this function.
pub fn base_url(label: &str, value: &str) -> Result<Url> {
    let mut url = validate_url(label, value)?;
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

/// `relative` (a path such as `users/me/institutions/`, with any query) under the base URL
/// `value`; a leading `/` on `relative` is ignored, so the base's own path is always kept.
pub fn join_url(label: &str, value: &str, relative: &str) -> Result<Url> {
    base_url(label, value)?
        .join(relative.trim_start_matches('/'))
        .map_err(|e| Error::Invalid(format!("The path \"{relative}\" cannot be added to the {label} ({e}).")))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl ProfileDraft {
    /// Checks every field and returns the draft tidied (trimmed names, no empty list items).
    pub fn validated(mut self) -> Result<Self> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            return Err(Error::Invalid("Give the connection a name, e.g. \"Courses LMS (production)\".".into()));
        }
        if self.name.chars().count() > 80 {
            return Err(Error::Invalid("The connection name is too long: keep it under 80 characters.".into()));
        }
        let tidy = |v: &mut Vec<String>| {
            *v = v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            v.dedup();
        };
        match &mut self.settings {
            ProfileSettings::Openedx(o) => {
                validate_url("LMS base URL", &o.base_url)?;
                require("client id", &o.client_id)?;
                tidy(&mut o.scopes);
                tidy(&mut o.providers);
                for p in &o.providers {
                    if !p.chars().all(|c| c.is_alphanumeric() || "_.+-:".contains(c)) {
                        return Err(Error::Invalid(format!(
                            "\"{p}\" is not a provider id. Provider ids look like saml-<idp-slug>, oa2-<backend> or lti-<key>."
                        )));
                    }
                }
            }
            ProfileSettings::Openlearning(o) => {
                validate_url("OpenLearning API base URL", &o.base_url)?;
                require("institution id", &o.institution_id)?;
            }
            ProfileSettings::Ooapi(o) => {
                require("schacHome", &o.schac_home)?;
                validate_url("persons URL", &o.persons_url)?;
                validate_url("associations URL", &o.associations_url)?;
                match o.transport() {
                    OoapiTransport::Direct => {
                        validate_url("token URL", &o.token_url)?;
                        require("client id", &o.client_id)?;
                        o.receiver_url = None;
                        o.receiver_user = None;
                    }
                    OoapiTransport::Receiver => {
                        let url = o.receiver_url.as_deref().unwrap_or_default();
                        if url.trim().is_empty() {
                            return Err(Error::Invalid("Through an enrollment receiver, the connection needs the receiver's URL.".into()));
                        }
                        validate_url("enrollment receiver URL", url)?;
                        if o.receiver_user.as_deref().is_none_or(|u| u.trim().is_empty()) {
                            o.receiver_user = Some("sis".into());
                        }
                    }
                }
                tidy(&mut o.scopes);
                if let Some(u) = o.introspection_url.as_deref().filter(|u| !u.trim().is_empty()) {
                    validate_url("introspection URL", u)?;
                    if o.introspection_client_id.as_deref().is_none_or(|c| c.trim().is_empty()) {
                        return Err(Error::Invalid("An introspection URL needs its own resource-server client id.".into()));
                    }
                } else {
                    o.introspection_url = None;
                    o.introspection_client_id = None;
                }
            }
        }
        if let ProxySettings::Manual { url, .. } = &self.network.proxy {
            Url::parse(url).map_err(|e| Error::Invalid(format!("The proxy address \"{url}\" is not a web address ({e}).")))?;
        }
        if let Some(var) = &self.secret_env {
            if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::Invalid(format!("\"{var}\" is not an environment variable name (letters, digits and _ only).")));
            }
        }
        if self.network.connect_timeout_secs == 0 || self.network.total_timeout_secs == 0 {
            return Err(Error::Invalid("Timeouts must be at least one second.".into()));
        }
        Ok(self)
    }
}

fn require(label: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::Invalid(format!("The {label} is required.")))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_required_except_for_loopback() {
        assert!(validate_url("x", "https://lms.example.edu").is_ok());
        assert!(validate_url("x", "http://127.0.0.1:8000/openedx").is_ok());
        assert!(validate_url("x", "http://localhost:8000").is_ok());
        assert!(validate_url("x", "http://[::1]:8000").is_ok());
        let err = validate_url("LMS base URL", "http://lms.example.edu").unwrap_err().to_string();
        assert!(err.contains("must use https"), "{err}");
        assert!(validate_url("x", "ftp://lms.example.edu").is_err());
        assert!(validate_url("x", "lms.example.edu").is_err());
        assert!(validate_url("x", "https://user:pw@lms.example.edu").unwrap_err().to_string().contains("keyring"));
    }

    #[test]
    fn drafts_are_tidied_and_checked() {
        let d = ProfileDraft {
            name: "  LMS  ".into(),
            settings: ProfileSettings::Openedx(OpenEdxSettings {
                base_url: "https://lms.example.edu".into(),
                client_id: "id".into(),
                token_type: TokenType::Jwt,
                client_auth: ClientAuth::Basic,
                scopes: vec![" read ".into(), "".into()],
                providers: vec!["saml-ubc".into(), " ".into()],
            }),
            network: NetworkSettings::default(),
            secret_env: None,
        }
        .validated()
        .unwrap();
        assert_eq!(d.name, "LMS");
        let ProfileSettings::Openedx(o) = &d.settings else { panic!() };
        assert_eq!(o.scopes, vec!["read"]);
        assert_eq!(o.providers, vec!["saml-ubc"]);

        let mut bad = d.clone();
        bad.secret_env = Some("MY VAR".into());
        assert!(bad.validated().is_err());
        let mut bad = d.clone();
        let ProfileSettings::Openedx(o) = &mut bad.settings else { panic!() };
        o.providers = vec!["saml ubc".into()];
        assert!(bad.validated().unwrap_err().to_string().contains("provider id"));
    }

    #[test]
    fn a_path_joins_onto_a_base_url_typed_with_or_without_a_trailing_slash() {
        for base in ["https://api.openlearning.com/v2.1", "https://api.openlearning.com/v2.1/", " https://api.openlearning.com/v2.1/ "] {
            assert_eq!(
                join_url("API base URL", base, "users/me/institutions/").unwrap().as_str(),
                "https://api.openlearning.com/v2.1/users/me/institutions/",
                "{base:?}"
            );
            // A leading slash does not replace the base's path.
            assert_eq!(
                join_url("API base URL", base, "/institutions/x/managed-users/?external_institution_id=s%2B1").unwrap().as_str(),
                "https://api.openlearning.com/v2.1/institutions/x/managed-users/?external_institution_id=s%2B1"
            );
        }
        for base in ["https://lms.example.edu", "https://lms.example.edu/"] {
            assert_eq!(
                join_url("LMS base URL", base, "oauth2/access_token").unwrap().as_str(),
                "https://lms.example.edu/oauth2/access_token"
            );
        }
        assert!(join_url("LMS base URL", "http://lms.example.edu", "x").is_err(), "the base is validated first");
    }
}
