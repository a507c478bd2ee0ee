//! Shared set-up for the core's integration tests: a sandbox on an ephemeral port and a Crosswalk
//! instance in a temporary data folder.
#![allow(dead_code)]

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, Profile, ProfileSettings, SecretField, TokenType};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

pub struct Env {
    pub sandbox: SandboxHandle,
    pub cw: Crosswalk,
    pub dir: tempfile::TempDir,
}

pub async fn env() -> Env {
    env_with(SandboxConfig::default()).await
}

pub async fn env_with(config: SandboxConfig) -> Env {
    let sandbox = Sandbox::start(config).await.expect("sandbox starts");
    let dir = tempfile::tempdir().unwrap();
    let cw = Crosswalk::open(DataDirs::under(dir.path()), Face::Cli).unwrap();
    Env { sandbox, cw, dir }
}

/// An Open edX profile for the sandbox (not saved: session-only, like demo profiles).
pub fn openedx_profile(id: &str, base_url: &str, client_id: &str, token_type: TokenType, auth: ClientAuth, providers: &[&str]) -> Profile {
    Profile {
        id: id.into(),
        name: format!("Test {id}"),
        settings: ProfileSettings::Openedx(OpenEdxSettings {
            base_url: base_url.into(),
            client_id: client_id.into(),
            token_type,
            client_auth: auth,
            scopes: vec![],
            providers: providers.iter().map(|p| p.to_string()).collect(),
        }),
        network: NetworkSettings { connect_timeout_secs: 2, total_timeout_secs: 5, ..NetworkSettings::default() },
        secret_env: None,
        demo: true,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// Registers `profile` with `secret` for this session and returns it as registered.
pub fn register(cw: &Crosswalk, profile: Profile, secret: &str) -> Profile {
    let id = profile.id.clone();
    cw.add_demo_profile(profile, vec![(SecretField::ClientSecret, SecretString::new(secret))]);
    cw.profile(&id).unwrap()
}

/// Everything under `dir`, as text (leak tests search it for secrets).
pub fn dir_text(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all.push_str(&dir_text(&p));
        } else {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    all
}
