//! Demo mode: the built-in sandbox, started in-process, and demo connections pointing at it.

use crosswalk_core::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, Profile, ProfileSettings, SecretField, TokenType};
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::{Knobs, Sandbox, SandboxConfig, SandboxHandle, RESTRICTED_CLIENT_ID, STAFF_CLIENT_ID};

/// How many made-up learners the demo LMS has.
const DEMO_LEARNERS: usize = 5_000;

/// Each demo API answer takes this long, like a real LMS across the internet, so progress bars
/// and concurrency are visible rather than instant.
const DEMO_LATENCY_MS: u64 = 25;

/// Starts the sandbox and registers one demo connection per seeded API client that can read
/// mappings: the staff application (every provider) and the restricted one (only the providers
/// its filters name — the others show the permission diagnosis).
pub async fn start(cw: &Crosswalk) -> std::io::Result<SandboxHandle> {
    let sandbox = Sandbox::start(SandboxConfig {
        learners: DEMO_LEARNERS,
        knobs: Knobs { latency_ms: DEMO_LATENCY_MS, ..Knobs::default() },
        ..SandboxConfig::default()
    })
    .await?;
    let providers: Vec<String> = sandbox.providers().into_iter().filter(|p| p.enabled).map(|p| p.id).collect();
    for client in sandbox.credentials() {
        let (id, name) = match client.client_id.as_str() {
            STAFF_CLIENT_ID => ("demo-staff", "Demo LMS (staff application)"),
            RESTRICTED_CLIENT_ID => ("demo-restricted", "Demo LMS (restricted application)"),
            _ => continue,
        };
        let profile = Profile {
            id: id.into(),
            name: name.into(),
            settings: ProfileSettings::Openedx(OpenEdxSettings {
                base_url: sandbox.openedx_url(),
                client_id: client.client_id.clone(),
                token_type: TokenType::Jwt,
                client_auth: ClientAuth::Basic,
                scopes: Vec::new(),
                providers: providers.clone(),
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        };
        cw.add_demo_profile(profile, vec![(SecretField::ClientSecret, SecretString::new(client.client_secret.clone()))]);
    }
    tracing::info!(url = %sandbox.base_url(), learners = DEMO_LEARNERS, "demo sandbox started");
    Ok(sandbox)
}
