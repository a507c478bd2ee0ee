//! [`Crosswalk`]: one opened instance of the core — database, activity trail, clock, keyring,
//! token cache and the HTTP clients of each profile. Both faces (desktop app and CLI) open one and
//! call the use-case functions with it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::activity::{ActivityLog, Face};
use crate::clock::{Clock, SystemClock};
use crate::connection::{NetworkSettings, Profile, SecretField};
use crate::http::Clients;
use crate::paths::DataDirs;
use crate::retry::RetryPolicy;
use crate::secret::SecretString;
use crate::secrets::Secrets;
use crate::store::Store;
use crate::token::{AccessToken, TokenCache, TokenRequest};
use crate::{Error, Result};

/// A profile that exists only for this session (demo mode), with its published demo secrets.
#[derive(Clone)]
struct DemoProfile {
    profile: Profile,
    secrets: HashMap<SecretField, SecretString>,
}

/// The opened core.
#[derive(Clone)]
pub struct Crosswalk {
    pub dirs: DataDirs,
    pub store: Store,
    pub activity: ActivityLog,
    pub clock: Arc<dyn Clock>,
    pub secrets: Secrets,
    pub face: Face,
    pub retry: RetryPolicy,
    tokens: Arc<TokenCache>,
    clients: Arc<Mutex<HashMap<String, (NetworkSettings, Clients)>>>,
    demo: Arc<Mutex<Vec<DemoProfile>>>,
    /// Requests sent to remote systems by this process (retries included).
    requests: Arc<std::sync::atomic::AtomicU32>,
    /// Files this process opened or wrote for the person (dialogs, exports, saved launches).
    files: Arc<Mutex<std::collections::HashSet<std::path::PathBuf>>>,
    /// What feature modules keep for the life of this instance (open grade reconciliations, the
    /// launch page server, pasted student tokens), one value per type: see [`Crosswalk::state`].
    states: Arc<Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>>,
}

impl Crosswalk {
    /// Creates the folders, opens and migrates the database.
    pub fn open(dirs: DataDirs, face: Face) -> Result<Self> {
        Self::open_with_clock(dirs, face, Arc::new(SystemClock))
    }

    /// As [`Crosswalk::open`], with a clock of the caller's (tests).
    pub fn open_with_clock(dirs: DataDirs, face: Face, clock: Arc<dyn Clock>) -> Result<Self> {
        dirs.create()?;
        let store = Store::open(&dirs.database())?;
        let activity = ActivityLog::new(store.clone(), clock.clone(), face);
        Ok(Self {
            dirs,
            store,
            activity,
            clock,
            secrets: Secrets::default(),
            face,
            retry: RetryPolicy::default(),
            tokens: Arc::default(),
            clients: Arc::default(),
            demo: Arc::default(),
            files: Arc::default(),
            requests: Arc::default(),
            states: Arc::default(),
        })
    }

    /// Adds a session-only demo profile (demo mode). Its secrets are the sandbox's published
    /// demo credentials, not anybody's secrets, so they are held in memory for the session.
    pub fn add_demo_profile(&self, mut profile: Profile, secrets: Vec<(SecretField, SecretString)>) {
        profile.demo = true;
        let mut demo = self.demo.lock().unwrap_or_else(|p| p.into_inner());
        // Adding one again replaces it (settings and secrets).
        demo.retain(|d| d.profile.id != profile.id);
        demo.push(DemoProfile { profile, secrets: secrets.into_iter().collect() });
    }

    /// The value of type `T` this instance keeps for a feature module, made with `T::default()`
    /// on first use. Each module keeps its state in a type of its own, so this type needs to know
    /// none of them (the modules use the core; the core does not use them).
    pub(crate) fn state<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut states = self.states.lock().unwrap_or_else(|p| p.into_inner());
        let any = states.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(T::default())).clone();
        any.downcast::<T>().unwrap_or_else(|_| unreachable!("kept under its own type id"))
    }

    /// Remembers a file the person chose or Crosswalk wrote for them, so it may be shown in its folder.
    pub fn remember_file(&self, path: &std::path::Path) {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_path_buf());
    }

    /// Whether `path` was chosen or written in this process (see [`Crosswalk::knows_file`]).
    pub(crate) fn remembers_file(&self, path: &std::path::Path) -> bool {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).contains(path)
    }

    /// The demo profiles of this session.
    pub fn demo_profiles(&self) -> Vec<Profile> {
        self.demo.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|d| d.profile.clone()).collect()
    }

    /// A demo profile of this session by id or name.
    pub(crate) fn demo_profile(&self, id_or_name: &str) -> Option<Profile> {
        self.demo
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|d| d.profile.id == id_or_name || d.profile.name == id_or_name)
            .map(|d| d.profile.clone())
    }

    /// The secret `field` of `profile`: demo credentials, the keyring, or (CLI only) the profile's
    /// environment variable.
    pub fn secret(&self, profile: &Profile, field: SecretField) -> Result<SecretString> {
        if profile.demo {
            let demo = self.demo.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(s) = demo.iter().find(|d| d.profile.id == profile.id).and_then(|d| d.secrets.get(&field)) {
                return Ok(s.clone());
            }
        }
        // The CLI reads secrets from the environment where the profile says so: the
        // introspection secret from its own variable, every other from the profile's.
        if let (Face::Cli, Some(var)) = (self.face, crate::secrets::env_var(profile, field)) {
            return match std::env::var(var) {
                Ok(v) if !v.is_empty() => {
                    tracing::info!(profile = %profile.name, variable = %var, "reading the secret from the environment");
                    Ok(SecretString::new(v))
                }
                _ => Err(Error::Invalid(format!(
                    "The connection \"{}\" reads its {} from the environment variable {var}, which is not set.",
                    profile.name,
                    field.label()
                ))),
            };
        }
        self.secrets
            .get(&profile.id, field)?
            .ok_or_else(|| Error::SecretMissing { profile: profile.name.clone(), field: field.label().to_string() })
    }

    /// The HTTP clients of `profile`, built once and rebuilt when its network settings change.
    pub fn clients(&self, profile: &Profile) -> Result<Clients> {
        let mut cache = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((net, c)) = cache.get(&profile.id) {
            if *net == profile.network {
                return Ok(c.clone());
            }
        }
        let c = Clients::new(&profile.network)?;
        cache.insert(profile.id.clone(), (profile.network.clone(), c.clone()));
        Ok(c)
    }

    /// A token for `profile` from the cache, fetched when missing or about to expire.
    pub async fn token(&self, profile: &Profile, req: &TokenRequest, field: SecretField) -> Result<AccessToken> {
        let http = self.clients(profile)?.token;
        // The secret is read (from the keyring) only when a token must be fetched, not on every call.
        self.tokens
            .get(&profile.id, self.clock.as_ref(), || async {
                let secret = self.secret(profile, field)?;
                crate::token::fetch(&http, req, &secret, self.clock.as_ref()).await
            })
            .await
    }

    /// Forgets a profile's cached token and clients (its settings or secret changed).
    pub fn forget_profile(&self, profile_id: &str) {
        self.tokens.forget(profile_id);
        self.clients.lock().unwrap_or_else(|p| p.into_inner()).remove(profile_id);
    }

    /// Requests this process sent to remote systems so far (retries included).
    pub fn requests_sent(&self) -> u32 {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn count_request(&self) {
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Drops `token` from the cache when it is still the cached one (the server refused it).
    pub(crate) async fn forget_token(&self, profile_id: &str, token: &AccessToken) {
        self.tokens.invalidate(profile_id, token).await;
    }
}
