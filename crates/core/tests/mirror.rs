//! Provider mirrors against the sandbox: complete and exact, atomic, resilient to faults.

mod common;

use std::collections::HashSet;

use common::{env_with, openedx_profile, register};
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::lookup::{self, LookupMode, LookupRequest, Source};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_core::retry::RetryPolicy;
use crosswalk_sandbox::{Envelope, Knobs, RateLimitFault, SandboxConfig, StatusFault, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";

fn mirrored(cw: &crosswalk_core::Crosswalk, profile: &str) -> HashSet<(String, String)> {
    let mut out = Vec::new();
    mirror::export_csv(cw, profile, P, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let (u, r) = l.split_once(',').unwrap();
            (u.trim_start_matches('\'').to_string(), r.trim_start_matches('\'').to_string())
        })
        .collect()
}

fn truth(s: &crosswalk_sandbox::SandboxHandle) -> HashSet<(String, String)> {
    s.data().mappings(P).into_iter().map(|m| (m.username, m.remote_id)).collect()
}

#[tokio::test]
async fn a_sync_copies_every_mapping_exactly_once_with_either_envelope() {
    for envelope in [Envelope::Current, Envelope::Legacy] {
        let e = env_with(SandboxConfig { learners: 2_500, envelope, ..SandboxConfig::default() }).await;
        let p = register(
            &e.cw,
            openedx_profile("m", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
            STAFF_CLIENT_SECRET,
        );
        let pages = std::sync::atomic::AtomicU32::new(0);
        let rec = mirror::sync(
            &e.cw,
            &p.id,
            P,
            SyncOptions::default(),
            |_| {
                pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            },
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        let want = truth(&e.sandbox);
        assert_eq!(rec.status, "done");
        assert_eq!(rec.count as usize, want.len());
        assert_eq!(rec.added as usize, want.len(), "the first sync adds everything");
        assert_eq!(mirrored(&e.cw, &p.id), want, "{envelope:?}");
        assert_eq!(pages.load(std::sync::atomic::Ordering::Relaxed) as usize, want.len().div_ceil(100), "progress after each page");
        assert_eq!(mirror::size(&e.cw, &p.id, P).unwrap() as usize, want.len());
    }
}

#[tokio::test]
async fn injected_5xx_429_and_truncated_bodies_still_end_with_every_mapping_once() {
    let knobs = Knobs {
        faults: vec![StatusFault { status: 503, probability: 0.1 }, StatusFault { status: 502, probability: 0.05 }],
        rate_limit: Some(RateLimitFault { probability: 0.05, retry_after_secs: 0 }),
        truncate_probability: 0.05,
        ..Knobs::default()
    };
    let e = env_with(SandboxConfig { learners: 3_000, knobs, ..SandboxConfig::default() }).await;
    let mut cw = e.cw.clone();
    cw.retry = RetryPolicy { max_attempts: 8, base: std::time::Duration::from_millis(5), cap: std::time::Duration::from_secs(2) };
    let p = register(
        &cw,
        openedx_profile("f", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let rec = mirror::sync(&cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert!(e.sandbox.stats().faults_injected > 0, "faults were injected");
    assert_eq!(mirrored(&cw, &p.id), truth(&e.sandbox));
    assert_eq!(rec.count as usize, truth(&e.sandbox).len());
}

#[tokio::test]
async fn a_failed_or_cancelled_sync_keeps_the_previous_mirror_and_the_next_one_succeeds() {
    let e = env_with(SandboxConfig { learners: 2_000, ..SandboxConfig::default() }).await;
    let mut cw = e.cw.clone();
    cw.retry = RetryPolicy { max_attempts: 2, base: std::time::Duration::from_millis(1), cap: std::time::Duration::from_millis(10) };
    let p = register(
        &cw,
        openedx_profile("a", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    mirror::sync(&cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let before = mirrored(&cw, &p.id);

    // Every API request fails: the sync fails, the mirror stays as it was.
    e.sandbox.set_knobs(Knobs { faults: vec![StatusFault { status: 503, probability: 1.0 }], ..Knobs::default() });
    let err = mirror::sync(&cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(mirrored(&cw, &p.id), before);

    // Cancelled after the first page: same.
    e.sandbox.set_knobs(Knobs { latency_ms: 20, ..Knobs::default() });
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let err = mirror::sync(
        &cw,
        &p.id,
        P,
        SyncOptions { concurrency: 2, ..SyncOptions::default() },
        move |pr| {
            if pr.pages_done >= 2 {
                c2.cancel()
            }
        },
        &cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(mirrored(&cw, &p.id), before);

    let history = mirror::history(&cw, &p.id, P, 10).unwrap();
    assert_eq!(history.iter().map(|h| h.status.as_str()).collect::<Vec<_>>(), vec!["cancelled", "failed", "done"]);
    assert!(history[1].note.contains("kept"), "{}", history[1].note);

    e.sandbox.set_knobs(Knobs::default());
    let rec = mirror::sync(&cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((rec.added, rec.removed, rec.changed), (0, 0, 0), "nothing changed at the LMS");
    let staged: i64 = cw
        .store
        .path()
        .exists()
        .then(|| {
            let c = rusqlite::Connection::open(cw.store.path()).unwrap();
            c.query_row("SELECT count(*) FROM mirror_staging", [], |r| r.get(0)).unwrap()
        })
        .unwrap();
    assert_eq!(staged, 0, "no staging rows are left behind");
}

#[tokio::test]
async fn lookups_answer_from_the_mirror_offline_and_substring_search_works() {
    let e = env_with(SandboxConfig { learners: 2_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("o", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let t = e.sandbox.data().mappings(P);
    let ids = vec![t[5].username.clone(), t[7].remote_id.clone(), "ghost".to_string()];
    // The LMS is gone (offline): the mirror still answers.
    let url = e.sandbox.openedx_url();
    e.sandbox.shutdown().await;
    let r = lookup::cached(
        &e.cw,
        &LookupRequest { profile_id: p.id.clone(), providers: vec![], ids, mode: LookupMode::Auto, chunk_size: None, concurrency: None },
    )
    .unwrap();
    assert_eq!(r.rows.len(), 2);
    assert!(r.rows.iter().all(|r| r.source == Source::Cache && !r.as_of.is_empty()));
    assert_eq!(r.not_found, vec!["ghost"]);
    let needle: String = t[9].username.chars().skip(1).take(4).collect();
    let hits = mirror::search(&e.cw, &p.id, P, &needle, 50).unwrap();
    assert!(hits.iter().any(|m| m.username == t[9].username), "{needle} finds {}", t[9].username);
    assert!(mirror::search(&e.cw, &p.id, P, "ab", 50).is_err(), "two characters are too few");
    let _ = url;
}

#[tokio::test]
async fn each_sync_records_its_diff_added_removed_and_changed() {
    let e = env_with(SandboxConfig { learners: 1_500, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("d", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let rows = e.sandbox.mappings(P);
    assert!(e.sandbox.link(P, "new.learner", "s0000001"));
    assert!(e.sandbox.unlink(P, &rows[3].username));
    assert!(e.sandbox.set_remote_id(P, &rows[4].username, "s7777777"));
    let rec = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((rec.added, rec.removed, rec.changed), (1, 1, 1));
    let changes = mirror::changes(&e.cw, rec.id, 100).unwrap();
    let find = |k: &str| changes.iter().find(|c| c.kind == k).unwrap().clone();
    assert_eq!(find("added").username, "new.learner");
    assert_eq!(find("removed").username, rows[3].username);
    let changed = find("changed");
    assert_eq!(
        (changed.username.as_str(), changed.old_remote_id.as_deref(), changed.new_remote_id.as_deref()),
        (rows[4].username.as_str(), Some(rows[4].remote_id.as_str()), Some("s7777777"))
    );
    let now: HashSet<(String, String)> = e.sandbox.mappings(P).into_iter().map(|m| (m.username, m.remote_id)).collect();
    assert_eq!(mirrored(&e.cw, &p.id), now);
}

#[tokio::test]
async fn a_provider_that_grows_during_the_sync_is_noticed_and_read_again() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("g", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    // A new learner is linked every 10 requests, 3 times: the first read sees the count move.
    e.sandbox.set_knobs(Knobs {
        drift: Some(crosswalk_sandbox::DriftKnob { provider_id: P.into(), every_n_requests: 10, max_changes: 3 }),
        ..Knobs::default()
    });
    let rec = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert!(rec.note.contains("changed during the sync"), "{}", rec.note);
    assert_eq!(e.sandbox.stats().drift_changes, 3);
    let now: HashSet<(String, String)> = e.sandbox.mappings(P).into_iter().map(|m| (m.username, m.remote_id)).collect();
    assert_eq!(mirrored(&e.cw, &p.id), now, "the mirror ends equal to the provider after it settled");
    assert_eq!(rec.count as usize, now.len());
}
