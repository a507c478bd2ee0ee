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

/// (generation, rows) of every generation in the database for the provider.
fn generations(cw: &crosswalk_core::Crosswalk, profile: &str) -> Vec<(i64, i64)> {
    let c = rusqlite::Connection::open(cw.store.path()).unwrap();
    let mut stmt = c
        .prepare("SELECT generation, count(*) FROM mirror_mappings WHERE profile_id = ?1 AND provider_id = ?2 GROUP BY generation")
        .unwrap();
    stmt.query_map([profile, P], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
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
    mirror::cleanup_finished().await;
    assert_eq!(generations(&cw, &p.id), vec![(rec.id, rec.count as i64)], "only the live generation's rows are left behind");
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

/// The sandbox's mappings now (after any link, unlink or set_remote_id).
fn live_truth(s: &crosswalk_sandbox::SandboxHandle) -> HashSet<(String, String)> {
    s.mappings(P).into_iter().map(|m| (m.username, m.remote_id)).collect()
}

/// FTS5's own check that the trigram index holds exactly the rows of `mirror_mappings`.
fn assert_search_index_matches_the_rows(cw: &crosswalk_core::Crosswalk) {
    let c = rusqlite::Connection::open(cw.store.path()).unwrap();
    c.execute("INSERT INTO mirror_search (mirror_search, rank) VALUES ('integrity-check', 1)", [])
        .expect("the search index matches the rows");
}

fn usernames(found: &[crosswalk_core::openedx::Mapping]) -> HashSet<(String, String)> {
    found.iter().map(|m| (m.username.clone(), m.remote_id.clone())).collect()
}

#[tokio::test]
async fn a_resync_records_link_unlink_and_new_remote_id_and_drops_the_previous_generation() {
    let e = env_with(SandboxConfig { learners: 2_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("r", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let first = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(mirror::changes(&e.cw, first.id, 100_000).unwrap().len() as u64, first.count, "the first sync lists every row as added");
    let rows = e.sandbox.mappings(P);
    assert!(e.sandbox.link(P, "new.learner", "s0000001"));
    assert!(e.sandbox.unlink(P, &rows[3].username));
    assert!(e.sandbox.set_remote_id(P, &rows[4].username, "s7777777"));

    let rec = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((rec.count, rec.added, rec.removed, rec.changed), (first.count, 1, 1, 1));
    let mut changes = mirror::changes(&e.cw, rec.id, 100).unwrap();
    changes.sort_by(|a, b| a.kind.cmp(&b.kind));
    let summary: Vec<_> =
        changes.iter().map(|c| (c.kind.as_str(), c.username.as_str(), c.old_remote_id.as_deref(), c.new_remote_id.as_deref())).collect();
    assert_eq!(
        summary,
        vec![
            ("added", "new.learner", None, Some("s0000001")),
            ("changed", rows[4].username.as_str(), Some(rows[4].remote_id.as_str()), Some("s7777777")),
            ("removed", rows[3].username.as_str(), Some(rows[3].remote_id.as_str()), None),
        ]
    );
    assert_eq!(mirrored(&e.cw, &p.id), live_truth(&e.sandbox));

    // The previous generation is deleted after the swap, with its search-index entries.
    mirror::cleanup_finished().await;
    assert_eq!(generations(&e.cw, &p.id), vec![(rec.id, rec.count as i64)]);
    assert_search_index_matches_the_rows(&e.cw);
    assert!(mirror::search(&e.cw, &p.id, P, &rows[3].username, 50).unwrap().is_empty(), "an unlinked learner is not found any more");
    assert_eq!(mirror::search(&e.cw, &p.id, P, "new.learner", 50).unwrap().len(), 1);
    let (found, _) = mirror::find_exact(&e.cw, &p.id, P, &[rows[4].remote_id.clone(), "s7777777".into()], LookupMode::RemoteId).unwrap();
    assert_eq!(usernames(&found), HashSet::from([(rows[4].username.clone(), "s7777777".to_string())]));

    // Nothing changed: an empty diff.
    let again = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((again.added, again.removed, again.changed), (0, 0, 0));
    assert!(mirror::changes(&e.cw, again.id, 100).unwrap().is_empty());
}

#[tokio::test]
async fn lookups_during_a_sync_see_the_previous_mirror_while_the_new_one_is_written() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("w", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let first = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let rows = e.sandbox.mappings(P);
    assert!(e.sandbox.link(P, "new.learner", "s0000001"));
    assert!(e.sandbox.unlink(P, &rows[3].username));
    assert!(e.sandbox.set_remote_id(P, &rows[4].username, "s7777777"));
    // About a second in all, so the writer commits several times while pages still arrive.
    e.sandbox.set_knobs(Knobs { latency_ms: 30, ..Knobs::default() });
    let ids = vec!["new.learner".to_string(), rows[3].username.clone(), rows[4].username.clone()];
    let old = HashSet::from([(rows[3].username.clone(), rows[3].remote_id.clone()), (rows[4].username.clone(), rows[4].remote_id.clone())]);
    let checks = std::sync::atomic::AtomicU32::new(0);
    let written_meanwhile = std::sync::atomic::AtomicI64::new(0);
    let rec = mirror::sync(
        &e.cw,
        &p.id,
        P,
        SyncOptions { concurrency: 1, ..SyncOptions::default() },
        |pr| {
            let (found, synced_at) = mirror::find_exact(&e.cw, &p.id, P, &ids, LookupMode::Username).unwrap();
            assert_eq!(usernames(&found), old, "page {}: the previous mirror answers", pr.pages_done);
            assert_eq!(synced_at, first.finished_at.clone().unwrap());
            assert_eq!(mirror::size(&e.cw, &p.id, P).unwrap(), first.count);
            assert!(mirror::search(&e.cw, &p.id, P, "new.learner", 50).unwrap().is_empty());
            if pr.pages_done == pr.pages_total {
                let rows_of_the_new_one: i64 = generations(&e.cw, &p.id).iter().filter(|(g, _)| *g != first.id).map(|(_, n)| n).sum();
                written_meanwhile.store(rows_of_the_new_one, std::sync::atomic::Ordering::Relaxed);
            }
            checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(checks.load(std::sync::atomic::Ordering::Relaxed) as u64, rec.count.div_ceil(100), "one check per page");
    assert!(written_meanwhile.load(std::sync::atomic::Ordering::Relaxed) > 0, "rows are written while the pages arrive");
    assert_eq!((rec.added, rec.removed, rec.changed), (1, 1, 1));
    let (found, _) = mirror::find_exact(&e.cw, &p.id, P, &ids, LookupMode::Username).unwrap();
    assert_eq!(
        usernames(&found),
        HashSet::from([("new.learner".to_string(), "s0000001".to_string()), (rows[4].username.clone(), "s7777777".to_string())]),
        "after the swap the new mirror answers"
    );
}

#[tokio::test]
async fn a_sync_stopped_midway_leaves_rows_no_read_sees_and_the_next_sync_removes() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("k", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let first = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let before = mirrored(&e.cw, &p.id);
    let rows = e.sandbox.mappings(P);
    assert!(e.sandbox.link(P, "new.learner", "s0000001"));
    assert!(e.sandbox.unlink(P, &rows[3].username));
    assert!(e.sandbox.set_remote_id(P, &rows[4].username, "s7777777"));
    e.sandbox.set_knobs(Knobs { latency_ms: 40, ..Knobs::default() });

    // The sync is dropped once it has written rows: nothing after that point runs, as when the
    // process is killed (the CLI's killed_sync test does that for real).
    {
        let never = CancellationToken::new();
        let sync = mirror::sync(&e.cw, &p.id, P, SyncOptions { concurrency: 1, ..SyncOptions::default() }, |_| {}, &never);
        tokio::pin!(sync);
        let written = async {
            while generations(&e.cw, &p.id).len() < 2 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        };
        tokio::select! {
            r = &mut sync => panic!("the sync finished before it was stopped: {r:?}"),
            _ = written => {}
        }
    }
    let left = generations(&e.cw, &p.id);
    assert_eq!(left.len(), 2, "{left:?}");
    let stale = left.iter().find(|(g, _)| *g != first.id).unwrap().0;
    assert_eq!(mirror::history(&e.cw, &p.id, P, 1).unwrap()[0].status, "running");

    // No read sees the half-written generation.
    assert_eq!(mirrored(&e.cw, &p.id), before);
    assert_eq!(mirror::size(&e.cw, &p.id, P).unwrap(), first.count);
    let (found, _) = mirror::find_exact(
        &e.cw,
        &p.id,
        P,
        &["new.learner".to_string(), rows[3].username.clone(), rows[4].username.clone(), "s7777777".to_string()],
        LookupMode::Auto,
    )
    .unwrap();
    assert_eq!(
        usernames(&found),
        HashSet::from([(rows[3].username.clone(), rows[3].remote_id.clone()), (rows[4].username.clone(), rows[4].remote_id.clone())])
    );
    // The stale generation's rows are in the search index too; none may come back.
    for m in rows.iter().skip(5).step_by(97).take(20) {
        let hits = mirror::search(&e.cw, &p.id, P, &m.username, 50).unwrap();
        assert!(hits.iter().all(|h| before.contains(&(h.username.clone(), h.remote_id.clone()))));
        assert_eq!(hits.iter().filter(|h| h.username == m.username).count(), 1, "{}", m.username);
    }
    assert!(mirror::search(&e.cw, &p.id, P, "new.learner", 50).unwrap().is_empty());
    // (A Jwt client may not ask the LMS for another user's links: this is the mirror alone.)
    let links = crosswalk_core::learners::links(&e.cw, &p.id, &rows[4].username).await.unwrap();
    assert_eq!(links.links.iter().map(|l| l.remote_id.as_str()).collect::<Vec<_>>(), vec![rows[4].remote_id.as_str()]);
    assert!(crosswalk_core::learners::links(&e.cw, &p.id, "new.learner").await.unwrap().links.is_empty());

    // The next sync marks the dead one interrupted, removes its rows first, and diffs right.
    e.sandbox.set_knobs(Knobs::default());
    let rec = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((rec.added, rec.removed, rec.changed), (1, 1, 1));
    assert!(generations(&e.cw, &p.id).iter().all(|(g, _)| *g != stale), "the stale rows went before the sync returned");
    let history = mirror::history(&e.cw, &p.id, P, 10).unwrap();
    assert_eq!(history.iter().map(|h| h.status.as_str()).collect::<Vec<_>>(), vec!["done", "failed", "done"]);
    assert!(history[1].note.contains("interrupted"), "{}", history[1].note);
    assert!(mirror::changes(&e.cw, stale, 10).unwrap().is_empty(), "the dead sync's partial diff is dropped");
    mirror::cleanup_finished().await;
    assert_eq!(generations(&e.cw, &p.id), vec![(rec.id, rec.count as i64)]);
    assert_search_index_matches_the_rows(&e.cw);
    assert_eq!(mirrored(&e.cw, &p.id), live_truth(&e.sandbox));
}

/// Two Crosswalks on one database (the app and the CLI): a second sync of the provider being
/// synced is refused with a message naming the one running, while another provider syncs at the
/// same time; once the first is done, the provider syncs again.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_sync_of_the_same_provider_is_refused_naming_the_one_running() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    let profile = openedx_profile("m", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P, "saml-partner"]);
    let p = register(&e.cw, profile.clone(), STAFF_CLIENT_SECRET);
    let app =
        crosswalk_core::Crosswalk::open(crosswalk_core::paths::DataDirs::under(e.dir.path()), crosswalk_core::activity::Face::App).unwrap();
    register(&app, profile, STAFF_CLIENT_SECRET);
    e.sandbox.set_knobs(Knobs { latency_ms: 40, ..Knobs::default() });
    let never = CancellationToken::new();
    let running = std::sync::atomic::AtomicBool::new(false);
    let first = mirror::sync(
        &app,
        &p.id,
        P,
        SyncOptions { page_size: 50, ..SyncOptions::default() },
        |_| running.store(true, std::sync::atomic::Ordering::SeqCst),
        &never,
    );
    let second = async {
        while !running.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // A scheduled sync sees who is syncing and leaves the provider to them.
        let who = mirror::running_sync(&e.cw, &p.id, P).unwrap().expect("the first sync is seen running");
        assert!(who.starts_with("the app (pid "), "{who}");
        let refused = mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &never).await;
        let other = mirror::sync(&e.cw, &p.id, "saml-partner", SyncOptions::default(), |_| {}, &never).await;
        (refused, other)
    };
    let (first, (refused, other)) = tokio::join!(first, second);
    let first = first
        .unwrap_or_else(|e| panic!("the first sync completes, untouched by the refused one: {e}; second: {refused:?}; other: {other:?}"));
    assert_eq!(first.count as usize, truth(&e.sandbox).len());
    let message = refused.expect_err("a second sync of the same provider is refused").to_string();
    assert!(message.contains("already running in the app (pid ") && message.contains(P), "{message}");
    other.expect("another provider syncs at the same time");
    assert_eq!(mirrored(&e.cw, &p.id), truth(&e.sandbox));
    e.sandbox.set_knobs(Knobs::default());
    assert_eq!(mirror::running_sync(&e.cw, &p.id, P).unwrap(), None);
    mirror::sync(&e.cw, &p.id, P, SyncOptions::default(), |_| {}, &never).await.expect("syncs again once the first is done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_writer_is_held_up_fetching_waits_instead_of_holding_the_provider_in_memory() {
    let e = env_with(SandboxConfig { learners: 15_000, ..SandboxConfig::default() }).await;
    let p = register(
        &e.cw,
        openedx_profile("b", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    // Each page takes a little while, so the database can be locked before page 1 is written.
    e.sandbox.set_knobs(Knobs { latency_ms: 20, ..Knobs::default() });
    let sent = std::sync::atomic::AtomicU32::new(0);
    let total = std::sync::atomic::AtomicU32::new(0);
    let cancel = CancellationToken::new();
    let sync = mirror::sync(
        &e.cw,
        &p.id,
        P,
        SyncOptions::default(),
        |pr| {
            sent.fetch_max(pr.pages_done, std::sync::atomic::Ordering::Relaxed);
            total.store(pr.pages_total, std::sync::atomic::Ordering::Relaxed);
        },
        &cancel,
    );
    tokio::pin!(sync);

    // Once the sync is registered (its own bookkeeping is done), another connection takes the
    // database's write lock: from then on the mirror's writer cannot write a row.
    let blocker = rusqlite::Connection::open(e.dir.path().join("crosswalk.sqlite3")).unwrap();
    blocker.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    let running = || blocker.query_row("SELECT count(*) FROM mirror_syncs WHERE status = 'running'", [], |r| r.get::<_, i64>(0)).unwrap();
    loop {
        tokio::select! {
            _ = &mut sync => panic!("the sync ended before it could be held up"),
            _ = tokio::time::sleep(std::time::Duration::from_millis(1)) => {}
        }
        if running() == 1 {
            break;
        }
    }
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Long enough to fetch every page several times over (8 at a time, 20 ms each).
    tokio::select! {
        _ = &mut sync => panic!("the sync finished while its writer could not write"),
        _ = tokio::time::sleep(std::time::Duration::from_millis(1_500)) => {}
    }
    let (sent_while_held, pages) = (sent.load(std::sync::atomic::Ordering::Relaxed), total.load(std::sync::atomic::Ordering::Relaxed));
    assert!(pages >= 100, "the provider has {pages} pages");
    // The writer's queue holds 32 pages; a page or two may have been written before the lock.
    assert!(
        (1..=34).contains(&sent_while_held),
        "{sent_while_held} of {pages} pages were fetched and queued while nothing could be written"
    );

    blocker.execute_batch("COMMIT").unwrap();
    let rec = sync.await.unwrap();
    assert_eq!(rec.status, "done");
    assert_eq!(mirrored(&e.cw, &p.id), truth(&e.sandbox), "every mapping once, once the writer could go on");
}
