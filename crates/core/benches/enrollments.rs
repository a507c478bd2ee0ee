//! `make bench`: polling 10,000 pending OOAPI associations at 20 ms per request.
//!
//! Prints the poll's time against its floor (n ÷ concurrency × latency; target ≤ 1.3×), the
//! requests sent (exactly one per association when nothing changed: no re-reads), and the
//! process's peak resident memory before and after (it should stay flat). Runs in release.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{NetworkSettings, OoapiSettings, OoapiTransport, Profile, ProfileSettings, SecretField};
use crosswalk_core::enrollments::{self, CreateRequest, POLL_CONCURRENCY};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::{Knobs, OoapiScenario, Sandbox, SandboxConfig, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_SCHAC_HOME};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

const N: usize = 10_000;
const LATENCY_MS: u64 = 20;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cw = Crosswalk::open(DataDirs::under(dir.path()), Face::Cli).unwrap();
    cw.add_demo_profile(
        Profile {
            id: "bench".into(),
            name: "Bench home".into(),
            settings: ProfileSettings::Ooapi(OoapiSettings {
                schac_home: OOAPI_SCHAC_HOME.into(),
                persons_url: sandbox.ooapi_persons_url(),
                associations_url: sandbox.ooapi_associations_url(),
                token_url: sandbox.ooapi_token_url(),
                client_id: OOAPI_CLIENT_ID.into(),
                scopes: vec![],
                audience: None,
                introspection_url: None,
                introspection_client_id: None,
                transport: Some(OoapiTransport::Direct),
                receiver_url: None,
                receiver_user: None,
                stuck_after_hours: None,
                introspection_secret_env: None,
                sis_url: None,
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        },
        vec![(SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET))],
    );
    let persons = sandbox.ooapi_persons();
    let mut offering = sandbox.ooapi_offerings()[0].to_json();
    offering["primaryCode"]["code"] = serde_json::json!(format!("{}BENCH", OoapiScenario::PendingForever.code_prefix()));
    let template = Arc::new(serde_json::json!({ "offering": offering }));
    eprintln!("creating {N} pending associations at the sandbox's home institution…");
    let cw2 = cw.clone();
    let made = futures::stream::iter(0..N)
        .map(|i| {
            let (cw, template, person) = (cw2.clone(), template.clone(), persons[i % (persons.len() - 1)].person_id.clone());
            async move {
                let req = CreateRequest {
                    profile_id: "bench".into(),
                    person_id: person,
                    offering: (*template).clone(),
                    remote_state: None,
                    person_name: None,
                    person_email: None,
                };
                enrollments::create(&cw, &req, &CancellationToken::new()).await.is_ok()
            }
        })
        .buffer_unordered(32)
        .filter(|ok| futures::future::ready(*ok))
        .count()
        .await;
    assert_eq!(made, N, "every association created");

    sandbox.set_knobs(Knobs { latency_ms: LATENCY_MS, ..Knobs::default() });
    let rss_before = peak_rss_mb();
    let sent_before = cw.requests_sent();
    let started = Instant::now();
    let report = enrollments::poll(&cw, "bench", |_| {}, &CancellationToken::new()).await.unwrap();
    let took = started.elapsed();
    let requests = cw.requests_sent() - sent_before;
    let rss_after = peak_rss_mb();
    assert_eq!(report.checked as usize, N);
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    assert!(report.changes.is_empty());

    let floor = Duration::from_millis(LATENCY_MS) * u32::try_from(N / POLL_CONCURRENCY).unwrap();
    println!("enrollments poll: {N} pending associations, {LATENCY_MS} ms per request, {POLL_CONCURRENCY} at a time");
    println!(
        "  time      {:>8.2} s   floor {:>6.2} s   ratio {:.2}× the floor (target ≤ 1.30×)",
        took.as_secs_f64(),
        floor.as_secs_f64(),
        took.as_secs_f64() / floor.as_secs_f64()
    );
    println!("  requests  {requests:>8}     expected {N}   {}", if requests as usize == N { "(no re-reads)" } else { "(MISMATCH)" });
    println!("  peak RSS  {rss_before:>8.1} MB before the poll, {rss_after:.1} MB after (+{:.1} MB)", rss_after - rss_before);
    sandbox.shutdown().await;
}
