//! Secrets in the OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows. One entry per profile and field, under a service name namespaced by app and build.
//!
//! There is no fallback: without a keyring, setting or reading a secret fails with an error that
//! names the fix (`docs/linux.md`). For middleware without a keyring, a profile may name an
//! environment variable instead; only the CLI reads it.

use serde::Serialize;
use ts_rs::TS;

use crate::connection::{Profile, SecretField};
use crate::secret::SecretString;
use crate::{Error, Result};

/// The keyring service name: release builds and debug builds (and tests) never share entries.
pub const SERVICE: &str = if cfg!(debug_assertions) { "org.crosswalk.desktop.debug" } else { "org.crosswalk.desktop" };

/// Where a secret came from, or that it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretSource {
    Keyring,
    /// The environment variable the profile names (CLI only).
    Environment,
    /// Demo connections use the sandbox's published credentials.
    Demo,
    NotSet,
    /// The keyring could not be asked (no Secret Service, locked…): set or not is unknown.
    Unknown,
}

/// What the UI may know about a secret: set or not, and from where. Never its value.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SecretStatus {
    pub field: SecretField,
    pub label: String,
    pub source: SecretSource,
}

/// The keyring, for one service name.
#[derive(Debug, Clone)]
pub struct Secrets {
    service: String,
    /// Whether each entry is set, as last read or written by this process: listing connections
    /// does not ask the keyring again (each ask is a D-Bus call, and on macOS may prompt).
    known: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, bool>>>,
    /// How long one keyring call may take.
    timeout: std::time::Duration,
}

/// How long a keyring call may take before Crosswalk gives up: a locked collection waiting on a
/// prompt nobody sees, or a keyring service that never answers, must not hang the app.
pub const KEYRING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(8);

impl Default for Secrets {
    fn default() -> Self {
        Self::with_service(SERVICE)
    }
}

fn account(profile_id: &str, field: SecretField) -> String {
    format!("{profile_id}/{}", field.as_str())
}

/// Maps the keyring's platform failures to messages that name the fix.
/// What to do about a keyring that fails, per system.
fn fix() -> &'static str {
    if cfg!(target_os = "linux") {
        "Crosswalk keeps secrets only in the Secret Service keyring (GNOME Keyring, KWallet or KeePassXC). Start or unlock one — see docs/linux.md — or, for a server without a desktop, give the profile an environment variable with --secret-env."
    } else if cfg!(target_os = "macos") {
        "Unlock the login Keychain (Keychain Access) and allow Crosswalk when macOS asks."
    } else {
        "Check that Windows Credential Manager is available for your account."
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    let fix = fix();
    let what = match &e {
        keyring::Error::NoStorageAccess(inner) => format!("the keyring is not available or locked ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("the keyring failed ({inner})"),
        keyring::Error::TooLong(field, max) => return Error::Invalid(format!("The {field} is too long for the keyring (at most {max}).")),
        keyring::Error::BadEncoding(_) => "the stored secret is not text; set it again".to_string(),
        other => other.to_string(),
    };
    Error::Keyring(format!("{what}. {fix}"))
}

impl Secrets {
    /// A keyring under another service name (tests that must not collide).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self { service: service.into(), known: Default::default(), timeout: KEYRING_TIMEOUT }
    }

    /// The same keyring with another time limit per call (tests).
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs one keyring call on a thread of its own and waits at most the time limit: a keyring
    /// that does not answer gives a clear error, never a hang (the call is left to finish or fail
    /// on its thread).
    fn call<T: Send + 'static>(
        &self,
        profile_id: &str,
        field: SecretField,
        doing: &str,
        op: impl FnOnce(keyring::Entry) -> std::result::Result<T, keyring::Error> + Send + 'static,
    ) -> Result<std::result::Result<T, keyring::Error>> {
        let entry = self.entry(profile_id, field)?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || {
                let _ = tx.send(op(entry));
            })
            .map_err(|e| Error::Keyring(format!("could not start a keyring call ({e})")))?;
        rx.recv_timeout(self.timeout).map_err(|_| {
            Error::Keyring(format!(
                "the keyring did not answer within {} s while {doing}: it may be locked and waiting for a password prompt, or its service is stuck. {}",
                self.timeout.as_secs_f32().round(),
                fix()
            ))
        })
    }

    fn remember(&self, profile_id: &str, field: SecretField, set: bool) {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).insert(account(profile_id, field), set);
    }

    fn entry(&self, profile_id: &str, field: SecretField) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &account(profile_id, field)).map_err(keyring_error)
    }

    /// Stores (or replaces) a secret.
    pub fn set(&self, profile_id: &str, field: SecretField, value: &SecretString) -> Result<()> {
        if value.expose().trim().is_empty() {
            return Err(Error::Invalid(format!("The {} is empty. Paste the value, or use Clear to remove it.", field.label())));
        }
        let value = value.clone();
        self.call(profile_id, field, "storing a secret", move |e| e.set_password(value.expose()))?.map_err(keyring_error)?;
        self.remember(profile_id, field, true);
        Ok(())
    }

    /// Reads a secret; `None` when it was never set.
    pub fn get(&self, profile_id: &str, field: SecretField) -> Result<Option<SecretString>> {
        let found = match self.call(profile_id, field, "reading a secret", |e| e.get_password())? {
            Ok(v) => Some(SecretString::new(v)),
            Err(keyring::Error::NoEntry) => None,
            Err(e) => return Err(keyring_error(e)),
        };
        self.remember(profile_id, field, found.is_some());
        Ok(found)
    }

    /// Whether a secret is set, from memory when this process has already read or written it.
    pub fn is_set(&self, profile_id: &str, field: SecretField) -> Result<bool> {
        if let Some(set) = self.known.lock().unwrap_or_else(|p| p.into_inner()).get(&account(profile_id, field)) {
            return Ok(*set);
        }
        Ok(self.get(profile_id, field)?.is_some())
    }

    /// Removes a secret; clearing one that is not set is fine.
    pub fn clear(&self, profile_id: &str, field: SecretField) -> Result<()> {
        match self.call(profile_id, field, "removing a secret", |e| e.delete_credential())? {
            Ok(()) | Err(keyring::Error::NoEntry) => {
                self.remember(profile_id, field, false);
                Ok(())
            }
            Err(e) => Err(keyring_error(e)),
        }
    }

    /// Removes every secret a profile may have.
    pub fn clear_all(&self, profile_id: &str) -> Result<()> {
        for field in [
            SecretField::ClientSecret,
            SecretField::ApiKey,
            SecretField::IntrospectionSecret,
            SecretField::ReceiverPassword,
            SecretField::StudentToken,
        ] {
            self.clear(profile_id, field)?;
        }
        Ok(())
    }

    /// Where each secret of `profile` comes from, for listing and showing profiles. Never fails:
    /// a profile whose secret comes from the environment (CLI) does not touch the keyring, and an
    /// unavailable keyring shows as [`SecretSource::Unknown`].
    pub fn status(&self, profile: &Profile, face: crate::activity::Face) -> Vec<SecretStatus> {
        profile
            .settings
            .secret_fields()
            .into_iter()
            .map(|field| {
                let source = if profile.demo {
                    SecretSource::Demo
                } else if face == crate::activity::Face::Cli && env_var(profile, field).is_some() {
                    SecretSource::Environment
                } else {
                    match self.is_set(&profile.id, field) {
                        Ok(true) => SecretSource::Keyring,
                        Ok(false) => SecretSource::NotSet,
                        Err(e) => {
                            tracing::warn!(profile = %profile.name, "secret status unknown: {e}");
                            SecretSource::Unknown
                        }
                    }
                };
                SecretStatus { field, label: field.label().to_string(), source }
            })
            .collect()
    }
}

/// The environment variable the CLI reads `field` of `profile` from, when one is set: the
/// introspection secret has its own, every other secret the profile's.
pub fn env_var(profile: &Profile, field: SecretField) -> Option<&str> {
    match (field, &profile.settings) {
        (SecretField::IntrospectionSecret, crate::connection::ProfileSettings::Ooapi(o)) => o.introspection_secret_env.as_deref(),
        (SecretField::IntrospectionSecret, _) | (SecretField::StudentToken, _) => None,
        _ => profile.secret_env.as_deref(),
    }
}
