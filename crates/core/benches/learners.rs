//! `make bench`: Crosswalk's Learners paths against baselines measured in the same run.
//!
//! 1. Mirror ~100,000 mappings from the sandbox at 20 ms latency per request: Crosswalk vs a
//!    sequential loop that follows `next` one page at a time (what a curl or Python script does),
//!    and vs the floor = pages ÷ concurrency × latency.
//! 2. Look up 10,000 usernames: requests made (must be 200) and time vs its floor.
//! 3. Search a 1,000,000-row mirror: exact lookup p99 and substring search p95.
//!
//! Prints ratios, not just times. Runs in release (`cargo bench`).

use std::time::{Duration, Instant};

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, Profile, ProfileSettings, SecretField, TokenType};
use crosswalk_core::lookup::{self, LookupMode, LookupRequest};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::{Knobs, Sandbox, SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";
const LATENCY_MS: u64 = 20;

fn profile(url: &str) -> Profile {
    Profile {
        id: "bench".into(),
        name: "Bench LMS".into(),
        settings: ProfileSettings::Openedx(OpenEdxSettings {
            base_url: url.into(),
            client_id: STAFF_CLIENT_ID.into(),
            token_type: TokenType::Jwt,
            client_auth: ClientAuth::Basic,
            scopes: vec![],
            providers: vec![P.into()],
        }),
        network: NetworkSettings::default(),
        secret_env: None,
        demo: true,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// The baseline: one page at a time, following `next`, as a shell or Python loop would.
async fn sequential_baseline(lms: &str, token: &str) -> (usize, Duration) {
    let http = reqwest::Client::new();
    let mut url = format!("{lms}/api/third_party_auth/v0/providers/{P}/users?page_size=100");
    let started = Instant::now();
    let mut rows = 0;
    loop {
        let v: serde_json::Value =
            http.get(&url).header("Authorization", format!("JWT {token}")).send().await.unwrap().json().await.unwrap();
        rows += v["results"].as_array().unwrap().len();
        match v["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    (rows, started.elapsed())
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    // The sync logs how long fetching and the SQLite swap took.
    tracing_subscriber::fmt().with_env_filter("crosswalk_core::mirror=info").with_writer(std::io::stderr).init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        println!("Crosswalk benchmarks (release build, {} cores)\n", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));

        // ---- 1. Mirror 100,000 mappings at 20 ms per request ------------------------------------
        let sandbox = Sandbox::start(SandboxConfig {
            learners: 111_200,
            knobs: Knobs { latency_ms: LATENCY_MS, ..Knobs::default() },
            ..SandboxConfig::default()
        })
        .await
        .unwrap();
        let n = sandbox.data().mapping_count(P);
        let pages = n.div_ceil(100);
        let dir = tempfile::tempdir().unwrap();
        let cw = Crosswalk::open(DataDirs::under(dir.path()), Face::Cli).unwrap();
        cw.add_demo_profile(profile(&sandbox.openedx_url()), vec![(SecretField::ClientSecret, SecretString::new(STAFF_CLIENT_SECRET))]);
        let p = cw.profile("bench").unwrap();
        let token = cw.token(&p, &crosswalk_core::openedx::token_request(&p).unwrap(), SecretField::ClientSecret).await.unwrap();

        let (base_rows, base) = sequential_baseline(&sandbox.openedx_url(), token.value.expose()).await;
        assert_eq!(base_rows, n);
        let opts = SyncOptions::default();
        let started = Instant::now();
        let rec = mirror::sync(&cw, "bench", P, opts, |_| {}, &CancellationToken::new()).await.unwrap();
        let ours = started.elapsed();
        assert_eq!(rec.count as usize, n);
        let floor = Duration::from_millis(LATENCY_MS) * (pages as u32).div_ceil(opts.concurrency);
        println!("1. Mirror {n} mappings ({pages} pages, {LATENCY_MS} ms per request, concurrency {}):", opts.concurrency);
        println!("   sequential baseline (follow next)  {:>8.2} s", base.as_secs_f64());
        println!("   floor (pages ÷ concurrency × latency) {:>6.2} s", floor.as_secs_f64());
        println!("   Crosswalk (fetch + SQLite swap)     {:>8.2} s", ours.as_secs_f64());
        println!(
            "   → {:.1}× faster than the baseline (target ≥ 6×), {:.2}× the floor (target ≤ 1.3×)\n",
            base.as_secs_f64() / ours.as_secs_f64(),
            ours.as_secs_f64() / floor.as_secs_f64()
        );

        // ---- 2. Look up 10,000 usernames -------------------------------------------------------
        let ids: Vec<String> = sandbox.data().mappings(P).into_iter().take(10_000).map(|m| m.username).collect();
        sandbox.reset_stats();
        let req = LookupRequest {
            profile_id: "bench".into(),
            providers: vec![P.into()],
            ids,
            mode: LookupMode::Username,
            chunk_size: None,
            concurrency: None,
        };
        let started = Instant::now();
        let r = lookup::live(&cw, &req, |_| {}, &CancellationToken::new()).await.unwrap();
        let took = started.elapsed();
        let requests = sandbox.stats().mapping_requests;
        let floor = Duration::from_millis(LATENCY_MS) * 200 / 4;
        println!("2. Look up 10,000 usernames (chunks of 50, concurrency 4, {LATENCY_MS} ms per request):");
        println!("   requests made: {requests} (must be 200); found {} rows", r.rows.len());
        println!(
            "   Crosswalk {:.2} s vs floor {:.2} s → {:.2}× the floor\n",
            took.as_secs_f64(),
            floor.as_secs_f64(),
            took.as_secs_f64() / floor.as_secs_f64()
        );
        assert_eq!(requests, 200);
        sandbox.shutdown().await;

        // ---- 3. Search a 1,000,000-row mirror -------------------------------------------------
        let sandbox = Sandbox::start(SandboxConfig { learners: 1_112_000, ..SandboxConfig::default() }).await.unwrap();
        let all = sandbox.data().mappings(P);
        let dir = tempfile::tempdir().unwrap();
        let cw = Crosswalk::open(DataDirs::under(dir.path()), Face::Cli).unwrap();
        cw.add_demo_profile(profile(&sandbox.openedx_url()), vec![(SecretField::ClientSecret, SecretString::new(STAFF_CLIENT_SECRET))]);
        let started = Instant::now();
        let rec =
            mirror::sync(&cw, "bench", P, SyncOptions { concurrency: 16, ..SyncOptions::default() }, |_| {}, &CancellationToken::new())
                .await
                .unwrap();
        println!("3. Mirror of {} rows built in {:.1} s (no latency)", rec.count, started.elapsed().as_secs_f64());
        let mut exact = Vec::new();
        for i in 0..2_000 {
            let m = &all[(i * 7919) % all.len()];
            let ids = if i % 2 == 0 { vec![m.username.clone()] } else { vec![m.remote_id.clone()] };
            let mode = if i % 2 == 0 { LookupMode::Username } else { LookupMode::RemoteId };
            let t = Instant::now();
            let (found, _) = mirror::find_exact(&cw, "bench", P, &ids, mode).unwrap();
            exact.push(t.elapsed());
            assert_eq!(found.len(), 1);
        }
        let mut sub = Vec::new();
        for i in 0..300 {
            let m = &all[(i * 104_729) % all.len()];
            let needle: String = m.username.chars().skip(1).take(4).collect();
            let t = Instant::now();
            let hits = mirror::search(&cw, "bench", P, &needle, 50).unwrap();
            sub.push(t.elapsed());
            assert!(!hits.is_empty());
        }
        let (p99, p95) = (pct(exact, 0.99), pct(sub, 0.95));
        println!("   exact lookup p99   {:>8.3} ms (target < 1 ms) → {:.2}× the target", p99.as_secs_f64() * 1e3, p99.as_secs_f64() * 1e3);
        println!(
            "   substring search p95 {:>6.2} ms (target < 30 ms) → {:.2}× the target",
            p95.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3 / 30.0
        );
    });
}
