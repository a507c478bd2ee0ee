//! Shared set-up for the core's integration tests: a sandbox on an ephemeral port and a Crosswalk
//! instance in a temporary data folder.
#![allow(dead_code)]

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{
    ApiKeyStyle, ClientAuth, NetworkSettings, OoapiSettings, OoapiTransport, OpenEdxSettings, OpenLearningSettings, Profile,
    ProfileSettings, SecretField, TokenType,
};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::openlearning::OPENLEARNING_INSTITUTION_ID;
use crosswalk_sandbox::{Sandbox, SandboxConfig, SandboxHandle, OOAPI_CLIENT_ID, OOAPI_SCHAC_HOME};

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

/// A session-only profile (like a demo one, never saved) with short timeouts, as tests use them.
pub fn test_profile(id: &str, name: &str, settings: ProfileSettings) -> Profile {
    Profile {
        id: id.into(),
        name: name.into(),
        settings,
        network: NetworkSettings { connect_timeout_secs: 2, total_timeout_secs: 5, ..NetworkSettings::default() },
        secret_env: None,
        demo: true,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// An Open edX profile for the sandbox (not saved: session-only, like demo profiles).
pub fn openedx_profile(id: &str, base_url: &str, client_id: &str, token_type: TokenType, auth: ClientAuth, providers: &[&str]) -> Profile {
    let settings = ProfileSettings::Openedx(OpenEdxSettings {
        base_url: base_url.into(),
        client_id: client_id.into(),
        token_type,
        client_auth: auth,
        scopes: vec![],
        providers: providers.iter().map(|p| p.to_string()).collect(),
    });
    test_profile(id, &format!("Test {id}"), settings)
}

/// An OpenLearning profile for the sandbox's simulator.
pub fn openlearning_profile(s: &SandboxHandle, id: &str, style: ApiKeyStyle) -> Profile {
    let settings = ProfileSettings::Openlearning(OpenLearningSettings {
        base_url: s.openlearning_url(),
        institution_id: OPENLEARNING_INSTITUTION_ID.into(),
        api_key_style: style,
        user_lookup_path: None,
    });
    test_profile(id, &format!("OpenLearning {id}"), settings)
}

/// The sandbox's OOAPI home institution as connection settings: its endpoints and token URL, the
/// enrollment receiver (user `sis`) in front of it, no introspection and no SIS answer check.
pub fn ooapi_settings(s: &SandboxHandle, transport: OoapiTransport) -> OoapiSettings {
    OoapiSettings {
        schac_home: OOAPI_SCHAC_HOME.into(),
        persons_url: s.ooapi_persons_url(),
        associations_url: s.ooapi_associations_url(),
        token_url: s.ooapi_token_url(),
        client_id: OOAPI_CLIENT_ID.into(),
        scopes: vec![],
        audience: None,
        introspection_url: None,
        introspection_client_id: None,
        transport: Some(transport),
        receiver_url: Some(s.ooapi_receiver_url()),
        receiver_user: Some("sis".into()),
        stuck_after_hours: Some(1),
        introspection_secret_env: None,
        sis_url: None,
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
