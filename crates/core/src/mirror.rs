//! Provider mirrors: all of a provider's mappings copied into SQLite, so lookups are instant and
//! work offline.
//!
//! A sync fetches the pages (concurrently when `num_pages` is known, else in order) and a writer
//! thread writes the rows as they arrive straight into `mirror_mappings`, tagged with the sync's
//! own *generation* (its `mirror_syncs` id): the B-tree and trigram-index work overlaps the wait
//! for the network. `mirror_current` names the live generation of each provider and every read
//! filters on it, so lookups keep seeing the previous mirror, whole, until the swap — one short
//! transaction that flips the pointer, records the diff and marks the sync done. A failed,
//! cancelled or killed sync never flips it, so the previous mirror stays as it was.
//!
//! The diff is computed by the writer while the rows arrive: it holds the previous generation in
//! memory (packed and sorted, some 35 bytes a row), records each new username as `added` right
//! away, and lists the `removed` and `changed` rows when the last page is in. Every sync records
//! its diff row by row, the first one too (everything is `added`), as before.
//!
//! The writer uses a connection of its own (WAL: lookups on the shared one never wait for it) and
//! commits at least every `COMMIT_EVERY`; it adds its rows to the trigram index a batch per
//! statement, as FTS5 writes a segment per statement.
//!
//! Superseded generations are deleted after the swap, on a thread of their own, a few thousand
//! rows per transaction ([`cleanup_finished`] waits for that). And each sync starts by deleting
//! every generation that is neither live nor being written: what a failed or killed sync wrote,
//! or a deletion the process did not live to finish.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::SecondsFormat;
use futures::stream::{self, StreamExt};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
use crate::openedx::mapping::MAX_PAGE_SIZE;
use crate::openedx::LookupMode;
use crate::openedx::{Mapping, MappingsClient};
use crate::store::Store;
use crate::{Error, Result};

/// How a sync runs.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct SyncOptions {
    /// Rows per page (at most 100, the LMS's cap).
    pub page_size: u32,
    /// Pages in flight at once when the page count is known.
    pub concurrency: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self { page_size: MAX_PAGE_SIZE, concurrency: 8 }
    }
}

/// Progress of a sync.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncProgress {
    pub pages_done: u32,
    pub pages_total: u32,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub count: u64,
}

/// One finished (or failed) sync, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub profile_id: String,
    pub provider_id: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// `running`, `done`, `failed` or `cancelled`.
    pub status: String,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub removed: u64,
    #[ts(type = "number")]
    pub changed: u64,
    /// Drift found, the error, or what was cleaned up.
    pub note: String,
}

/// A provider's mirror at a glance.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MirrorStatus {
    pub provider_id: String,
    #[ts(type = "number")]
    pub size: u64,
    pub last_sync: Option<SyncRecord>,
}

/// One line of a sync's diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MirrorChange {
    /// `added`, `removed` or `changed` (remote id changed).
    pub kind: String,
    pub username: String,
    pub old_remote_id: Option<String>,
    pub new_remote_id: Option<String>,
}

fn now(cw: &Crosswalk) -> String {
    cw.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The live generation of the provider bound to `?1` (profile) and `?2` (provider), as SQL.
const LIVE: &str = "(SELECT generation FROM mirror_current WHERE profile_id = ?1 AND provider_id = ?2)";

/// Rows per transaction when a generation is deleted: short, so other writers soon get their turn.
const PURGE_CHUNK: u32 = 2_000;

/// How long the writer keeps a transaction open at most: other writers (the activity log, a
/// profile being saved) wait for it to commit.
const COMMIT_EVERY: Duration = Duration::from_millis(250);

/// Rows the writer adds to the search index as soon as nothing else is waiting (each such
/// statement writes one FTS5 segment; the rest are indexed at the commit).
const INDEX_WHEN_IDLE: usize = 2_000;

/// One generation of one provider's mirror: the rows a sync writes.
#[derive(Debug, Clone)]
struct Generation {
    profile_id: String,
    provider_id: String,
    /// The sync's id.
    id: i64,
}

fn live_generation(conn: &Connection, profile_id: &str, provider_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT generation FROM mirror_current WHERE profile_id = ?1 AND provider_id = ?2")?
        .query_row(params![profile_id, provider_id], |r| r.get(0))
        .optional()?)
}

/// Every generation that has rows, oldest first (one index seek each).
fn generations(conn: &Connection, profile_id: &str, provider_id: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT generation FROM mirror_mappings INDEXED BY mirror_by_username
         WHERE profile_id = ?1 AND provider_id = ?2 AND generation > ?3 ORDER BY generation LIMIT 1",
    )?;
    let mut out = Vec::new();
    let mut after = i64::MIN;
    while let Some(g) = stmt.query_row(params![profile_id, provider_id, after], |r| r.get(0)).optional()? {
        out.push(g);
        after = g;
    }
    Ok(out)
}

/// Deletes one generation's rows and their search-index entries, [`PURGE_CHUNK`] rows per
/// transaction (other writers wait for each). Never the live generation. Returns how many rows went.
fn purge_generation(conn: &Connection, profile_id: &str, provider_id: &str, generation: i64) -> Result<u64> {
    let mut total = 0;
    loop {
        let n = conn.execute(
            &format!(
                "DELETE FROM mirror_mappings WHERE id IN (
                     SELECT id FROM mirror_mappings INDEXED BY mirror_by_username
                     WHERE profile_id = ?1 AND provider_id = ?2 AND generation = ?3 AND ?3 IS NOT {LIVE} LIMIT {PURGE_CHUNK})"
            ),
            params![profile_id, provider_id, generation],
        )?;
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
    }
}

/// Deletes the generations that are neither live, nor `writing`, nor being written by a sync
/// still marked running: what failed, cancelled and killed syncs wrote, and superseded
/// generations whose deletion did not finish. Returns how many rows went.
fn purge_stale(conn: &Connection, profile_id: &str, provider_id: &str, writing: i64) -> Result<u64> {
    let live = live_generation(conn, profile_id, provider_id)?;
    let mut running = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM mirror_syncs WHERE id = ?1 AND status = 'running')")?;
    let mut total = 0;
    for g in generations(conn, profile_id, provider_id)? {
        if Some(g) != live && g != writing && !running.query_row([g], |r| r.get::<_, bool>(0))? {
            total += purge_generation(conn, profile_id, provider_id, g)?;
        }
    }
    if total > 0 {
        tracing::info!(provider_id, rows = total, "removed mirror rows no sync uses any more");
    }
    Ok(total)
}

/// Deletions running on their own threads (see [`cleanup_finished`]).
static CLEANUPS: Mutex<Vec<std::thread::JoinHandle<()>>> = Mutex::new(Vec::new());

/// Deletes a generation on a thread of its own. Should the process end first, the next sync of
/// the provider finishes the job.
fn purge_later(store: &Store, generation: Generation) {
    let store = store.clone();
    let spawned = std::thread::Builder::new().name("mirror-cleanup".into()).spawn(move || {
        let started = std::time::Instant::now();
        let purged =
            store.connect().and_then(|conn| purge_generation(&conn, &generation.profile_id, &generation.provider_id, generation.id));
        match purged {
            Ok(rows) => tracing::info!(
                provider_id = generation.provider_id,
                generation = generation.id,
                rows,
                ms = started.elapsed().as_millis() as u64,
                "mirror generation deleted"
            ),
            Err(e) => tracing::warn!(
                provider_id = generation.provider_id,
                generation = generation.id,
                "could not delete a mirror generation now; the next sync will ({e})"
            ),
        }
    });
    match spawned {
        Ok(handle) => {
            let mut all = CLEANUPS.lock().unwrap_or_else(|e| e.into_inner());
            all.retain(|h| !h.is_finished());
            all.push(handle);
        }
        Err(e) => tracing::warn!("could not start the mirror cleanup; the next sync will do it ({e})"),
    }
}

/// Waits until the superseded and abandoned mirror generations of finished syncs are deleted
/// (a sync returns as soon as its mirror is live and deletes the previous one in the background).
/// For short-lived processes such as the CLI, and for tests.
pub async fn cleanup_finished() {
    let handles: Vec<_> = std::mem::take(&mut *CLEANUPS.lock().unwrap_or_else(|e| e.into_inner()));
    let _ = tokio::task::spawn_blocking(move || {
        for h in handles {
            let _ = h.join();
        }
    })
    .await;
}

/// A running sync whose process has not said it is alive for this long is taken as interrupted.
const LEASE_SECS: i64 = 60;
/// How often a running sync says it is alive.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

/// This machine's name, to tell whether a recorded pid can be checked here.
fn host() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

/// Whether process `pid` on this machine is gone, where that can be told (`/proc` on Linux).
fn process_gone(pid: i64) -> bool {
    let proc = std::path::Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// A sync recorded as running, and who runs it.
struct RunningSync {
    id: i64,
    owner: Option<String>,
    pid: Option<i64>,
    host: Option<String>,
    heartbeat: Option<String>,
    started: String,
}

/// The sync of `provider_id` running now in a live process (another one, or this one), in
/// words ("the CLI (pid 4242), started …"); `None` when none is, or only dead ones are left.
fn live_sync(cw: &Crosswalk, conn: &rusqlite::Connection, profile_id: &str, provider_id: &str) -> Result<Option<String>> {
    let here = host();
    let now = cw.clock.now();
    let running: Vec<RunningSync> = {
        let mut q = conn.prepare(
            "SELECT id, owner, pid, host, heartbeat_at, started_at FROM mirror_syncs
             WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'running'",
        )?;
        let rows = q.query_map(params![profile_id, provider_id], |r| {
            Ok(RunningSync { id: r.get(0)?, owner: r.get(1)?, pid: r.get(2)?, host: r.get(3)?, heartbeat: r.get(4)?, started: r.get(5)? })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for RunningSync { id, owner, pid, host, heartbeat, started } in &running {
        let fresh = heartbeat
            .as_deref()
            .and_then(|h| chrono::DateTime::parse_from_rfc3339(h).ok())
            .is_some_and(|h| (now - h.with_timezone(&chrono::Utc)).num_seconds() < LEASE_SECS);
        let on_this_host = host.as_deref() == Some(here.as_str());
        let alive = if on_this_host && *pid == Some(i64::from(std::process::id())) {
            // This process: alive while its sync has not ended or been dropped.
            live_syncs().contains(&(cw.store.path().to_path_buf(), *id))
        } else {
            fresh && !(on_this_host && pid.is_some_and(process_gone))
        };
        if alive {
            return Ok(Some(format!("{}, started {started}", owner.as_deref().unwrap_or("another Crosswalk"))));
        }
    }
    Ok(None)
}

/// Who is syncing `provider_id` right now, if a live process is ("the app (pid 4242), started
/// …"): a scheduled sync leaves it to them.
pub fn running_sync(cw: &Crosswalk, profile_id: &str, provider_id: &str) -> Result<Option<String>> {
    let conn = cw.store.conn();
    live_sync(cw, &conn, profile_id, provider_id)
}

/// Starts a sync of `provider_id`: refuses while another live process (or this one) is syncing
/// it, marks one a dead process left `running` as interrupted (dropping the diff rows it had
/// recorded; the rows it wrote are deleted by the writer of the sync that follows), and records
/// the new sync with its owner — in one transaction, so two processes starting at once cannot
/// both win.
fn begin_sync(cw: &Crosswalk, profile_id: &str, provider_id: &str, at: &str) -> Result<i64> {
    let owner = format!("{} (pid {})", cw.face.describe(), std::process::id());
    let here = host();
    let mut conn = cw.store.conn();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if let Some(who) = live_sync(cw, &tx, profile_id, provider_id)? {
        return Err(Error::Invalid(format!(
            "A sync of {provider_id} is already running in {who}. Wait for it to finish (or stop it there), then sync again."
        )));
    }
    tx.execute(
        "DELETE FROM mirror_changes WHERE sync_id IN (SELECT id FROM mirror_syncs WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'running')",
        params![profile_id, provider_id],
    )?;
    tx.execute(
        "UPDATE mirror_syncs SET status = 'failed', finished_at = ?3, note = 'interrupted (Crosswalk was closed or stopped during the sync); the mirror before it was kept' WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'running'",
        params![profile_id, provider_id, at],
    )?;
    tx.execute(
        "INSERT INTO mirror_syncs (profile_id, provider_id, started_at, status, owner, pid, host, heartbeat_at)
         VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?3)",
        params![profile_id, provider_id, at, owner, i64::from(std::process::id()), here],
    )?;
    let id = tx.last_insert_rowid();
    // Alive for this process before any other sync can see the row.
    let key = (cw.store.path().to_path_buf(), id);
    live_syncs().insert(key.clone());
    if let Err(e) = tx.commit() {
        live_syncs().remove(&key);
        return Err(e.into());
    }
    Ok(id)
}

/// The syncs running in this process, by database file and sync id (a sync whose future was
/// dropped is not).
fn live_syncs() -> std::sync::MutexGuard<'static, std::collections::HashSet<(std::path::PathBuf, i64)>> {
    static LIVE: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<(std::path::PathBuf, i64)>>> = std::sync::OnceLock::new();
    LIVE.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

/// Says "still alive" for sync `id` (to other processes every [`HEARTBEAT`], to this one at
/// once) until dropped.
struct Heartbeat((std::path::PathBuf, i64), tokio::task::JoinHandle<()>);

impl Heartbeat {
    /// For sync `id`, which [`begin_sync`] has marked alive for this process.
    fn start(cw: &Crosswalk, id: i64) -> Self {
        let (store, clock) = (cw.store.clone(), cw.clock.clone());
        let key = (cw.store.path().to_path_buf(), id);
        Heartbeat(
            key,
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(HEARTBEAT).await;
                    let at = clock.now().to_rfc3339();
                    let store = store.clone();
                    let _ = tokio::task::spawn_blocking(move || {
                        store
                            .conn()
                            .execute("UPDATE mirror_syncs SET heartbeat_at = ?2 WHERE id = ?1 AND status = 'running'", params![id, at])
                    })
                    .await;
                }
            }),
        )
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        live_syncs().remove(&self.0);
        self.1.abort();
    }
}

fn as_text(v: rusqlite::types::ValueRef<'_>) -> Result<&str> {
    v.as_str().map_err(|e| Error::Database(e.to_string()))
}

/// The generation a sync replaces, packed into one string and sorted by (username, remote id),
/// with what the new generation has shown of each username so far.
struct Previous {
    generation: i64,
    text: String,
    /// Per row: where its username starts, where its remote id starts (= where the username
    /// ends), and where the remote id ends.
    rows: Vec<[u32; 3]>,
    /// The new generation has this row too.
    kept: Vec<bool>,
    /// Remote ids the new generation has for a username (keyed by its first row) and this one
    /// does not.
    extra: HashMap<u32, Vec<String>>,
}

impl Previous {
    /// Reads a generation, in (username, remote id) order.
    fn load(conn: &Connection, profile_id: &str, provider_id: &str, generation: i64) -> Result<Self> {
        let mut p = Previous { generation, text: String::new(), rows: Vec::new(), kept: Vec::new(), extra: HashMap::new() };
        let too_big = || Error::Database("the mirror is too large to compare in memory".into());
        let mut stmt = conn.prepare(
            "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_username
             WHERE profile_id = ?1 AND provider_id = ?2 AND generation = ?3 ORDER BY username, remote_id",
        )?;
        let mut rows = stmt.query(params![profile_id, provider_id, generation])?;
        while let Some(r) = rows.next()? {
            let us = u32::try_from(p.text.len()).map_err(|_| too_big())?;
            p.text.push_str(as_text(r.get_ref(0)?)?);
            let rs = u32::try_from(p.text.len()).map_err(|_| too_big())?;
            p.text.push_str(as_text(r.get_ref(1)?)?);
            let re = u32::try_from(p.text.len()).map_err(|_| too_big())?;
            p.rows.push([us, rs, re]);
        }
        // SQLite's BINARY collation orders as Rust compares strings (bytes, then length); make sure.
        let Previous { text, rows, .. } = &mut p;
        let key = |x: &[u32; 3]| (&text[x[0] as usize..x[1] as usize], &text[x[1] as usize..x[2] as usize]);
        if !rows.is_sorted_by(|a, b| key(a) <= key(b)) {
            rows.sort_by(|a, b| key(a).cmp(&key(b)));
        }
        p.kept = vec![false; p.rows.len()];
        Ok(p)
    }

    fn username(&self, i: usize) -> &str {
        let [u, r, _] = self.rows[i];
        &self.text[u as usize..r as usize]
    }

    fn remote_id(&self, i: usize) -> &str {
        let [_, r, e] = self.rows[i];
        &self.text[r as usize..e as usize]
    }

    /// The rows of `username`.
    fn rows_of(&self, username: &str) -> Range<usize> {
        let text = &self.text;
        let name = |x: &[u32; 3]| &text[x[0] as usize..x[1] as usize];
        let start = self.rows.partition_point(|x| name(x) < username);
        start..start + self.rows[start..].partition_point(|x| name(x) == username)
    }

    /// Notes a row of the new generation. False when its username is new (an `added` row).
    fn record(&mut self, username: &str, remote_id: &str) -> bool {
        let rows = self.rows_of(username);
        if rows.is_empty() {
            return false;
        }
        match rows.clone().find(|&i| self.remote_id(i) == remote_id) {
            Some(i) => self.kept[i] = true,
            None => self.extra.entry(rows.start as u32).or_default().push(remote_id.to_string()),
        }
        true
    }

    /// The rest of the diff, once every new row was recorded: a username the new generation does
    /// not have is `removed`; a row it does not have, while it has the username with other
    /// remote ids, is `changed` (once per new remote id).
    fn removed_and_changed(&self) -> Vec<MirrorChange> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < self.rows.len() {
            let username = self.username(start);
            let mut end = start + 1;
            while end < self.rows.len() && self.username(end) == username {
                end += 1;
            }
            let now: Vec<&str> = (start..end)
                .filter(|&i| self.kept[i])
                .map(|i| self.remote_id(i))
                .chain(self.extra.get(&(start as u32)).into_iter().flatten().map(String::as_str))
                .collect();
            for i in (start..end).filter(|&i| !self.kept[i]) {
                let old = Some(self.remote_id(i).to_string());
                if now.is_empty() {
                    out.push(MirrorChange {
                        kind: "removed".into(),
                        username: username.into(),
                        old_remote_id: old.clone(),
                        new_remote_id: None,
                    });
                }
                for new in &now {
                    out.push(MirrorChange {
                        kind: "changed".into(),
                        username: username.into(),
                        old_remote_id: old.clone(),
                        new_remote_id: Some(new.to_string()),
                    });
                }
            }
            start = end;
        }
        out
    }
}

/// What a writer wrote: the distinct rows of its generation, and the diff against the
/// generation that was live when it started.
#[derive(Debug)]
struct Written {
    count: u64,
    added: u64,
    /// The generation it was compared with (none: the first sync).
    previous: Option<i64>,
    /// `removed` and `changed` rows; the `added` ones are already recorded.
    changes: Vec<MirrorChange>,
}

/// Writes rows into one generation on a connection of its own, in transactions of at most
/// [`COMMIT_EVERY`], diffing them against the previous generation as they go.
struct GenerationWriter<'c> {
    conn: &'c Connection,
    gen: &'c Generation,
    previous: Option<Previous>,
    count: u64,
    added: u64,
    /// Rows written but not yet in the search index.
    unindexed: Vec<i64>,
    /// When the open transaction began.
    open_since: Option<Instant>,
}

impl GenerationWriter<'_> {
    fn write(&mut self, rows: &[Mapping]) -> Result<()> {
        let conn = self.conn;
        if self.open_since.is_none() {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open_since = Some(Instant::now());
        }
        let mut insert = conn.prepare_cached(
            "INSERT OR IGNORE INTO mirror_mappings (profile_id, provider_id, generation, username, remote_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut add =
            conn.prepare_cached("INSERT INTO mirror_changes (sync_id, kind, username, new_remote_id) VALUES (?1, 'added', ?2, ?3)")?;
        let g = self.gen;
        for m in rows {
            // A row seen on two pages counts once.
            if insert.execute(params![g.profile_id, g.provider_id, g.id, m.username, m.remote_id])? == 0 {
                continue;
            }
            self.unindexed.push(conn.last_insert_rowid());
            self.count += 1;
            if !self.previous.as_mut().is_some_and(|p| p.record(&m.username, &m.remote_id)) {
                add.execute(params![g.id, m.username, m.remote_id])?;
                self.added += 1;
            }
        }
        Ok(())
    }

    /// Adds the rows written since the last call to the search index, in one statement: FTS5
    /// writes a segment per statement, which is why there is no per-row trigger for this.
    fn index(&mut self) -> Result<()> {
        if self.unindexed.is_empty() {
            return Ok(());
        }
        let ids = format!("[{}]", self.unindexed.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        self.conn
            .prepare_cached(
                "INSERT INTO mirror_search (rowid, username, remote_id)
                 SELECT id, username, remote_id FROM mirror_mappings WHERE id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([ids])?;
        self.unindexed.clear();
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.index()?;
        if self.open_since.take().is_some() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}

/// The writer's loop: clean up, load the live generation, then write rows as they arrive.
fn write_generation(
    store: &Store,
    gen: &Generation,
    first_round: bool,
    rows: &mpsc::Receiver<Batch>,
    stop: &AtomicBool,
) -> Result<Written> {
    // Its own connection: lookups on the shared one are never held up, and its transactions
    // can stay open while rows arrive. (Closing it rolls back what was not committed.)
    let conn = store.connect()?;
    // Room for the indexes being written (the default is 2 MB); freed when the sync ends.
    conn.pragma_update(None, "cache_size", -65_536)?;
    if first_round {
        purge_stale(&conn, &gen.profile_id, &gen.provider_id, gen.id)?;
    } else {
        // A re-read (the provider drifted) starts from nothing again.
        purge_generation(&conn, &gen.profile_id, &gen.provider_id, gen.id)?;
        conn.execute("DELETE FROM mirror_changes WHERE sync_id = ?1", [gen.id])?;
    }
    let previous = match live_generation(&conn, &gen.profile_id, &gen.provider_id)? {
        Some(g) => Some(Previous::load(&conn, &gen.profile_id, &gen.provider_id, g)?),
        None => None,
    };
    let mut w = GenerationWriter { conn: &conn, gen, previous, count: 0, added: 0, unindexed: Vec::new(), open_since: None };
    loop {
        let next = match w.open_since {
            Some(t) => rows.recv_timeout(COMMIT_EVERY.saturating_sub(t.elapsed())),
            None => rows.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        if stop.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        match next {
            Ok((batch, _room)) => {
                w.write(&batch)?;
                // Whatever else has arrived meanwhile.
                while let Ok((more, _room)) = rows.try_recv() {
                    w.write(&more)?;
                }
                // Nothing is waiting: a good moment to index what was written.
                if w.unindexed.len() >= INDEX_WHEN_IDLE {
                    w.index()?;
                }
                if w.open_since.is_some_and(|t| t.elapsed() >= COMMIT_EVERY) {
                    w.commit()?;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => w.commit()?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                w.commit()?;
                break;
            }
        }
    }
    let changes = w.previous.as_ref().map(Previous::removed_and_changed).unwrap_or_default();
    Ok(Written { count: w.count, added: w.added, previous: w.previous.map(|p| p.generation), changes })
}

/// One page's rows on their way to the writer, with the room they take in its queue (given back
/// once they are written).
type Batch = (Vec<Mapping>, tokio::sync::OwnedSemaphorePermit);

/// How many pages may wait for the writer. When SQLite falls behind the network, fetching waits
/// rather than holding the whole provider in memory (at 100 rows a page: a few thousand rows).
const WRITER_QUEUE: usize = 32;

/// Writes a sync's rows on a thread of its own, in batches, so the async workers (which also
/// serve the network) never wait on SQLite.
struct Writer {
    tx: Option<mpsc::Sender<Batch>>,
    room: Arc<tokio::sync::Semaphore>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<Written>>>,
}

impl Writer {
    /// `first_round`: the sync's first read of the provider (else a re-read after drift).
    fn start(store: Store, gen: Generation, first_round: bool) -> Result<Self> {
        let (tx, rx) = mpsc::channel::<Batch>();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("mirror-writer".into())
            .spawn(move || write_generation(&store, &gen, first_round, &rx, &stop2))
            .map_err(|e| Error::Database(format!("could not start the mirror's writer ({e})")))?;
        Ok(Self { tx: Some(tx), room: Arc::new(tokio::sync::Semaphore::new(WRITER_QUEUE)), stop, thread: Some(thread) })
    }

    /// Queues a page's rows, first waiting for room if the writer is behind.
    async fn send(&self, rows: Vec<Mapping>) -> Result<()> {
        let stopped = || Error::Database("the mirror's writer stopped".into());
        // The semaphore is never closed: this waits only for room.
        let room = self.room.clone().acquire_owned().await.map_err(|_| stopped())?;
        self.tx.as_ref().and_then(|tx| tx.send((rows, room)).ok()).ok_or_else(stopped)
    }

    async fn join(mut self) -> Result<Written> {
        drop(self.tx.take());
        let thread = self.thread.take().expect("joined once");
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(|e| Error::Database(format!("the mirror's writer failed ({e})")))?
            .map_err(|_| Error::Database("the mirror's writer panicked".into()))?
    }

    /// Waits for every row to be written; returns what was written and the diff.
    async fn finish(self) -> Result<Written> {
        self.join().await
    }

    /// Stops the writer after the batch in hand. Returns its own error if it failed (that is
    /// what made `e` happen), else `e`.
    async fn abandon(self, e: Error) -> Error {
        self.stop.store(true, Ordering::Relaxed);
        match self.join().await {
            Err(Error::Cancelled) | Ok(_) => e,
            Err(own) => own,
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The swap, one short transaction: mark the sync done, make its generation the live one,
/// record the rest of the diff.
fn swap(store: &Store, gen: &Generation, at: &str, note: &str, written: &Written) -> Result<SyncRecord> {
    let removed = written.changes.iter().filter(|c| c.kind == "removed").count();
    let changed = written.changes.len() - removed;
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    let marked = tx.execute(
        "UPDATE mirror_syncs SET status = 'done', finished_at = ?2, count = ?3, added = ?4, removed = ?5, changed = ?6, note = ?7
         WHERE id = ?1 AND status = 'running'",
        params![gen.id, at, written.count, written.added, removed, changed, note],
    )?;
    let flipped = match written.previous {
        Some(previous) => tx.execute(
            "UPDATE mirror_current SET generation = ?3 WHERE profile_id = ?1 AND provider_id = ?2 AND generation = ?4",
            params![gen.profile_id, gen.provider_id, gen.id, previous],
        )?,
        None => tx.execute(
            "INSERT INTO mirror_current (profile_id, provider_id, generation) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![gen.profile_id, gen.provider_id, gen.id],
        )?,
    };
    if marked != 1 || flipped != 1 {
        // Another sync of the same provider started meanwhile (and marked this one interrupted),
        // or finished first: its mirror stands.
        return Err(Error::Invalid(
            "Another sync of this provider ran at the same time; this one was dropped. Sync again if needed.".into(),
        ));
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mirror_changes (sync_id, kind, username, old_remote_id, new_remote_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in &written.changes {
            stmt.execute(params![gen.id, c.kind, c.username, c.old_remote_id, c.new_remote_id])?;
        }
    }
    tx.commit()?;
    drop(conn);
    sync_record(store, gen.id)
}

fn sync_record(store: &Store, id: i64) -> Result<SyncRecord> {
    Ok(store.conn().query_row(
        "SELECT id, profile_id, provider_id, started_at, finished_at, status, count, added, removed, changed, note FROM mirror_syncs WHERE id = ?1",
        [id],
        row_to_record,
    )?)
}

fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncRecord> {
    Ok(SyncRecord {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        provider_id: r.get(2)?,
        started_at: r.get(3)?,
        finished_at: r.get(4)?,
        status: r.get(5)?,
        count: r.get(6)?,
        added: r.get(7)?,
        removed: r.get(8)?,
        changed: r.get(9)?,
        note: r.get(10)?,
    })
}

/// Records a sync that did not finish. Its rows are deleted in the background.
fn finish_failed(store: &Store, gen: &Generation, at: &str, status: &str, note: &str) -> Result<()> {
    {
        let mut conn = store.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM mirror_changes WHERE sync_id = ?1", [gen.id])?;
        tx.execute(
            "UPDATE mirror_syncs SET status = ?2, finished_at = ?3, note = ?4 WHERE id = ?1 AND status = 'running'",
            params![gen.id, status, at, note],
        )?;
        tx.commit()?;
    }
    purge_later(store, gen.clone());
    Ok(())
}

/// Copies all of `provider_id`'s mappings into the mirror. `progress` is called after each page.
pub async fn sync(
    cw: &Crosswalk,
    profile_id: &str,
    provider_id: &str,
    opts: SyncOptions,
    progress: impl Fn(SyncProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<SyncRecord> {
    let profile = cw.profile(profile_id)?;
    profile.openedx()?;
    let started = now(cw);
    let sync_id = begin_sync(cw, &profile.id, provider_id, &started)?;
    let _alive = Heartbeat::start(cw, sync_id);
    let gen = Generation { profile_id: profile.id.clone(), provider_id: provider_id.to_string(), id: sync_id };
    let target = format!("{} · {provider_id}", profile.name);
    let fetch_started = std::time::Instant::now();
    let outcome = fetch_all(cw, &profile, &gen, opts, &progress, cancel).await;
    // The writer's page cache and the pages that queued for it are freed by now.
    crate::memory::give_back();
    let outcome = match outcome {
        Ok((note, written)) => {
            let fetched = fetch_started.elapsed();
            let (store, g, at) = (cw.store.clone(), gen.clone(), now(cw));
            tokio::task::spawn_blocking(move || swap(&store, &g, &at, &note, &written).map(|r| (r, written.previous)))
                .await
                .map_err(|e| Error::Database(format!("the mirror update stopped unexpectedly ({e})")))
                .and_then(|r| r)
                .map(|(record, previous)| (record, previous, fetched))
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok((record, previous, fetched)) => {
            tracing::info!(
                provider_id,
                rows = record.count,
                fetch_ms = fetched.as_millis() as u64,
                swap_ms = (fetch_started.elapsed() - fetched).as_millis() as u64,
                "mirror synced"
            );
            if let Some(previous) = previous {
                purge_later(&cw.store, Generation { id: previous, ..gen });
            }
            cw.activity.record(NewActivity::ok(
                "openedx.mirror.sync",
                &target,
                format!(
                    "{} mappings: {} added, {} removed, {} changed{}",
                    record.count,
                    record.added,
                    record.removed,
                    record.changed,
                    if record.note.is_empty() { String::new() } else { format!(" — {}", record.note) }
                ),
            ));
            Ok(record)
        }
        Err(e) => {
            let status = if matches!(e, Error::Cancelled) { "cancelled" } else { "failed" };
            finish_failed(&cw.store, &gen, &now(cw), status, &format!("{e} The mirror before this sync was kept."))?;
            cw.activity.record(NewActivity::error("openedx.mirror.sync", &target, format!("{status}: {e}")));
            Err(e)
        }
    }
}

/// Fetches every page into the sync's generation. Returns a note (drift found and handled) and
/// what was written, or the error.
async fn fetch_all(
    cw: &Crosswalk,
    profile: &crate::connection::Profile,
    gen: &Generation,
    opts: SyncOptions,
    progress: &(impl Fn(SyncProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<(String, Written)> {
    let provider_id = gen.provider_id.as_str();
    let client = MappingsClient::new(cw, profile);
    let page_size = opts.page_size.clamp(1, MAX_PAGE_SIZE);
    let mut notes = Vec::new();
    // A provider that changes while it is read can make rows move between pages (the LMS gives
    // no ordering guarantee). Read again until two counts agree with what was written, at most 3 times.
    for round in 1..=3 {
        // Started first: it cleans up and loads the live generation while page 1 is on its way.
        let writer = Writer::start(cw.store.clone(), gen.clone(), round == 1)?;
        let first = match client.page(provider_id, 1, page_size, cancel).await {
            Ok(p) => p,
            Err(e) => return Err(writer.abandon(e).await),
        };
        let (count, pages) = (first.count, first.num_pages.max(1));
        let legacy = first.envelope == "legacy";
        let received = AtomicU64::new(first.results.len() as u64);
        if let Err(e) = writer.send(first.results).await {
            return Err(writer.abandon(e).await);
        }
        let done = AtomicU32::new(1);
        progress(SyncProgress { pages_done: 1, pages_total: pages, rows: received.load(Ordering::Relaxed), count });
        let seen_counts = std::sync::Mutex::new(HashSet::from([count]));
        let fetch = |page: u32| {
            let (client, done, seen_counts, received, writer) = (&client, &done, &seen_counts, &received, &writer);
            async move {
                let p = client.page(provider_id, page, page_size, cancel).await?;
                seen_counts.lock().unwrap_or_else(|e| e.into_inner()).insert(p.count);
                let rows = received.fetch_add(p.results.len() as u64, Ordering::Relaxed) + p.results.len() as u64;
                writer.send(p.results).await?;
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(SyncProgress { pages_done: d, pages_total: pages, rows, count });
                Ok::<_, Error>(())
            }
        };
        // Known page count (current envelope): pages in parallel. Legacy envelope: in order.
        let width = if legacy { 1 } else { opts.concurrency.clamp(1, 64) as usize };
        let mut results = stream::iter(2..=pages).map(fetch).buffer_unordered(width);
        let mut failed = None;
        while let Some(r) = results.next().await {
            if let Err(e) = r {
                failed = Some(e);
                break;
            }
        }
        drop(results);
        if let Some(e) = failed {
            return Err(writer.abandon(e).await);
        }
        // The writer's last rows and the re-check of the count, at the same time.
        let (written, recheck) = tokio::join!(writer.finish(), client.page(provider_id, 1, 1, cancel));
        let (written, recheck) = (written?, recheck?.count);
        let counts = seen_counts.into_inner().unwrap_or_else(|e| e.into_inner());
        if counts.len() == 1 && recheck == count && written.count == count {
            return Ok((notes.join(" "), written));
        }
        let mut all: Vec<u64> = counts.into_iter().collect();
        all.sort_unstable();
        let rows = written.count;
        notes.push(format!(
            "The provider changed during the sync (round {round}: counts {all:?}, then {recheck}; {rows} rows read), so Crosswalk read it again."
        ));
        tracing::warn!(provider_id, round, rows, recheck, "mapping count drifted during sync");
        if round == 3 {
            notes.push("It kept changing: the mirror holds the last full read; sync again later.".into());
            return Ok((notes.join(" "), written));
        }
    }
    unreachable!("the third round returns")
}

/// Exact lookups in the mirror (both directions indexed). Returns the rows and when the mirror
/// was last synced (empty when never).
pub fn find_exact(cw: &Crosswalk, profile_id: &str, provider_id: &str, ids: &[String], mode: LookupMode) -> Result<(Vec<Mapping>, String)> {
    let synced_at = last_sync(cw, profile_id, provider_id)?.and_then(|r| r.finished_at).unwrap_or_default();
    let mut out = Vec::new();
    let conn = cw.store.conn();
    // One indexed query per direction. (Written as two queries, not an OR: without table
    // statistics SQLite may otherwise walk the whole provider through the wrong index.)
    let mut seen = HashSet::new();
    for chunk in ids.chunks(500) {
        // ?1 and ?2 are the profile and provider (the live generation is looked up from them).
        let marks = (3..3 + chunk.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(",");
        let mut queries = Vec::new();
        if mode != LookupMode::RemoteId {
            queries.push(format!(
                "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_username
                 WHERE profile_id = ?1 AND provider_id = ?2 AND generation = {LIVE} AND username IN ({marks})"
            ));
        }
        if mode != LookupMode::Username {
            queries.push(format!(
                "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_remote_id
                 WHERE profile_id = ?1 AND provider_id = ?2 AND generation = {LIVE} AND remote_id IN ({marks})"
            ));
        }
        for sql in queries {
            let mut args: Vec<&str> = vec![profile_id, provider_id];
            args.extend(chunk.iter().map(String::as_str));
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| Ok(Mapping { username: r.get(0)?, remote_id: r.get(1)? }))?;
            for r in rows {
                let m = r?;
                if seen.insert((m.username.clone(), m.remote_id.clone())) {
                    out.push(m);
                }
            }
        }
    }
    Ok((out, synced_at))
}

/// Substring search over usernames and remote ids (a trigram index: fast at a million rows).
/// Needs at least 3 characters.
pub fn search(cw: &Crosswalk, profile_id: &str, provider_id: &str, text: &str, limit: u32) -> Result<Vec<Mapping>> {
    let text = text.trim();
    if text.chars().count() < 3 {
        return Err(Error::Invalid("Type at least 3 characters to search inside usernames and remote ids.".into()));
    }
    let phrase = format!("\"{}\"", text.replace('"', "\"\""));
    let conn = cw.store.conn();
    let mut stmt = conn.prepare_cached(
        // CROSS JOIN keeps the search index as the outer loop, so LIMIT stops it early.
        // The index covers every generation; only the live one's rows are kept.
        "SELECT m.username, m.remote_id FROM mirror_search s CROSS JOIN mirror_mappings m ON m.id = s.rowid
         WHERE mirror_search MATCH ?1 AND m.profile_id = ?2 AND m.provider_id = ?3
           AND m.generation = (SELECT generation FROM mirror_current WHERE profile_id = ?2 AND provider_id = ?3) LIMIT ?4",
    )?;
    let rows =
        stmt.query_map(params![phrase, profile_id, provider_id, limit], |r| Ok(Mapping { username: r.get(0)?, remote_id: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The latest sync of a provider, if any.
pub fn last_sync(cw: &Crosswalk, profile_id: &str, provider_id: &str) -> Result<Option<SyncRecord>> {
    Ok(cw
        .store
        .conn()
        .query_row(
            "SELECT id, profile_id, provider_id, started_at, finished_at, status, count, added, removed, changed, note FROM mirror_syncs
             WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'done' ORDER BY id DESC LIMIT 1",
            params![profile_id, provider_id],
            row_to_record,
        )
        .optional()?)
}

/// Sync history of a provider, newest first.
pub fn history(cw: &Crosswalk, profile_id: &str, provider_id: &str, limit: u32) -> Result<Vec<SyncRecord>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(
        "SELECT id, profile_id, provider_id, started_at, finished_at, status, count, added, removed, changed, note FROM mirror_syncs
         WHERE profile_id = ?1 AND provider_id = ?2 ORDER BY id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![profile_id, provider_id, limit], row_to_record)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The diff one sync recorded.
pub fn changes(cw: &Crosswalk, sync_id: i64, limit: u32) -> Result<Vec<MirrorChange>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(
        "SELECT kind, username, old_remote_id, new_remote_id FROM mirror_changes WHERE sync_id = ?1 ORDER BY kind, username LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![sync_id, limit], |r| {
            Ok(MirrorChange { kind: r.get(0)?, username: r.get(1)?, old_remote_id: r.get(2)?, new_remote_id: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Number of mappings in a provider's mirror.
pub fn size(cw: &Crosswalk, profile_id: &str, provider_id: &str) -> Result<u64> {
    Ok(cw.store.conn().query_row(
        &format!("SELECT count(*) FROM mirror_mappings INDEXED BY mirror_by_username WHERE profile_id = ?1 AND provider_id = ?2 AND generation = {LIVE}"),
        params![profile_id, provider_id],
        |r| r.get(0),
    )?)
}

/// Writes a provider's mirror as CSV (`username,remote_id`). Returns the number of rows.
pub fn export_csv(cw: &Crosswalk, profile_id: &str, provider_id: &str, out: impl std::io::Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    let bad = |e: csv::Error| Error::Invalid(format!("Could not write the CSV: {e}"));
    w.write_record(["username", "remote_id"]).map_err(bad)?;
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_username
         WHERE profile_id = ?1 AND provider_id = ?2 AND generation = {LIVE} ORDER BY username, remote_id"
    ))?;
    let mut rows = stmt.query(params![profile_id, provider_id])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let (u, id): (String, String) = (r.get(0)?, r.get(1)?);
        w.write_record([crate::spreadsheet::neutralise(&u).as_ref(), crate::spreadsheet::neutralise(&id).as_ref()]).map_err(bad)?;
        n += 1;
    }
    w.flush().map_err(|e| Error::Invalid(format!("Could not write the CSV: {e}")))?;
    Ok(n)
}

/// `(provider, remote id)` of every link of `username` in the profile's mirrors (each provider's
/// live generation), ordered by provider and remote id.
pub fn links_of_username(cw: &Crosswalk, profile_id: &str, username: &str) -> Result<Vec<(String, String)>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(
        "SELECT m.provider_id, m.remote_id FROM mirror_current c
         JOIN mirror_mappings m ON m.profile_id = c.profile_id AND m.provider_id = c.provider_id AND m.generation = c.generation
         WHERE c.profile_id = ?1 AND m.username = ?2 ORDER BY m.provider_id, m.remote_id",
    )?;
    let rows = stmt.query_map(params![profile_id, username], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every username of a provider's mirror with its remote ids (sorted), in one scan — what a
/// grade reconciliation matches against.
pub fn links_by_username(cw: &Crosswalk, profile_id: &str, provider_id: &str) -> Result<std::collections::HashMap<String, Vec<String>>> {
    let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    each_link_by_username(&cw.store, profile_id, provider_id, |username, remote_id| {
        out.entry(username.to_owned()).or_default().push(remote_id.to_owned());
    })?;
    Ok(out)
}

/// Every (username, remote id) of a provider's live mirror, in one scan of the username index,
/// borrowed (nothing is copied): ordered by username, then remote id, so a username's remote ids
/// arrive one after the other, sorted.
pub(crate) fn each_link_by_username(store: &Store, profile_id: &str, provider_id: &str, mut each: impl FnMut(&str, &str)) -> Result<()> {
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_username
         WHERE profile_id = ?1 AND provider_id = ?2 AND generation = {LIVE} ORDER BY username, remote_id"
    ))?;
    fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
        let v = r.get_ref(i)?;
        v.as_str().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))
    }
    let mut rows = stmt.query(params![profile_id, provider_id])?;
    while let Some(r) = rows.next()? {
        each(text(r, 0)?, text(r, 1)?);
    }
    Ok(())
}
