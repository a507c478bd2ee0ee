//! Provider mirrors: all of a provider's mappings copied into SQLite, so lookups are instant and
//! work offline.
//!
//! A sync fetches the pages (concurrently when `num_pages` is known, else in order), streams the
//! rows into a staging table as they arrive, and swaps them in with one transaction together
//! with the diff against the previous mirror. A failed, cancelled or killed sync therefore leaves
//! the previous mirror whole, and the next sync clears what the dead one left in staging.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono::SecondsFormat;
use futures::stream::{self, StreamExt};
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
use crate::lookup::LookupMode;
use crate::openedx::mapping::MAX_PAGE_SIZE;
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

/// Marks syncs a killed process left `running` as failed and drops their staging rows.
fn clear_interrupted(store: &Store, profile_id: &str, provider_id: &str, at: &str) -> Result<()> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute(
        "DELETE FROM mirror_staging WHERE sync_id IN (SELECT id FROM mirror_syncs WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'running')",
        params![profile_id, provider_id],
    )?;
    tx.execute(
        "UPDATE mirror_syncs SET status = 'failed', finished_at = ?3, note = 'interrupted (Crosswalk was closed or stopped during the sync); the mirror before it was kept' WHERE profile_id = ?1 AND provider_id = ?2 AND status = 'running'",
        params![profile_id, provider_id, at],
    )?;
    tx.commit()?;
    Ok(())
}

/// Adds a page's rows to staging; returns how many were new (a row seen on two pages counts once).
fn stage(store: &Store, sync_id: i64, rows: &[Mapping]) -> Result<u64> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    let mut added = 0;
    {
        let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO mirror_staging (sync_id, username, remote_id) VALUES (?1, ?2, ?3)")?;
        for m in rows {
            added += stmt.execute(params![sync_id, m.username, m.remote_id])? as u64;
        }
    }
    tx.commit()?;
    Ok(added)
}

/// Writes pages into staging on a thread of its own, in batches, so the async workers (which also
/// serve the network) never wait on SQLite.
struct Stager {
    tx: Option<std::sync::mpsc::Sender<Vec<Mapping>>>,
    thread: Option<std::thread::JoinHandle<Result<u64>>>,
}

impl Stager {
    fn start(store: Store, sync_id: i64) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Mapping>>();
        let thread = std::thread::spawn(move || {
            let mut total = 0;
            while let Ok(first) = rx.recv() {
                let mut batch = first;
                // Take whatever else has arrived meanwhile: one transaction for all of it.
                while batch.len() < 5_000 {
                    match rx.try_recv() {
                        Ok(more) => batch.extend(more),
                        Err(_) => break,
                    }
                }
                total += stage(&store, sync_id, &batch)?;
            }
            Ok(total)
        });
        Self { tx: Some(tx), thread: Some(thread) }
    }

    fn send(&self, rows: Vec<Mapping>) -> Result<()> {
        self.tx.as_ref().and_then(|tx| tx.send(rows).ok()).ok_or_else(|| Error::Database("the mirror's staging writer stopped".into()))
    }

    /// Waits for every row to be written; returns how many distinct rows were staged.
    async fn finish(mut self) -> Result<u64> {
        drop(self.tx.take());
        let thread = self.thread.take().expect("finished once");
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(|e| Error::Database(format!("the staging writer failed ({e})")))?
            .map_err(|_| Error::Database("the staging writer panicked".into()))?
    }
}

impl Drop for Stager {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The swap: diff against the current mirror, replace it, record the history — one transaction.
fn swap(store: &Store, sync_id: i64, profile_id: &str, provider_id: &str, at: &str, note: &str) -> Result<SyncRecord> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS mirror_old (username TEXT NOT NULL, remote_id TEXT NOT NULL);
         DELETE FROM temp.mirror_old;
         CREATE INDEX IF NOT EXISTS temp.mirror_old_u ON mirror_old (username);",
    )?;
    tx.execute(
        "INSERT INTO temp.mirror_old SELECT username, remote_id FROM mirror_mappings WHERE profile_id = ?1 AND provider_id = ?2",
        params![profile_id, provider_id],
    )?;
    let added = tx.execute(
        "INSERT INTO mirror_changes (sync_id, kind, username, new_remote_id)
         SELECT ?1, 'added', s.username, s.remote_id FROM mirror_staging s
         WHERE s.sync_id = ?1 AND NOT EXISTS (SELECT 1 FROM temp.mirror_old o WHERE o.username = s.username)",
        [sync_id],
    )?;
    let removed = tx.execute(
        "INSERT INTO mirror_changes (sync_id, kind, username, old_remote_id)
         SELECT ?1, 'removed', o.username, o.remote_id FROM temp.mirror_old o
         WHERE NOT EXISTS (SELECT 1 FROM mirror_staging s WHERE s.sync_id = ?1 AND s.username = o.username)",
        [sync_id],
    )?;
    let changed = tx.execute(
        "INSERT INTO mirror_changes (sync_id, kind, username, old_remote_id, new_remote_id)
         SELECT ?1, 'changed', o.username, o.remote_id, s.remote_id FROM temp.mirror_old o
         JOIN mirror_staging s ON s.sync_id = ?1 AND s.username = o.username
         WHERE s.remote_id <> o.remote_id
           AND NOT EXISTS (SELECT 1 FROM mirror_staging s2 WHERE s2.sync_id = ?1 AND s2.username = o.username AND s2.remote_id = o.remote_id)",
        [sync_id],
    )?;
    // Apply only the difference: a re-sync of a provider that barely changed rewrites a few rows
    // (and their search index entries), not all of them.
    tx.execute(
        "DELETE FROM mirror_mappings WHERE profile_id = ?2 AND provider_id = ?3 AND NOT EXISTS (
             SELECT 1 FROM mirror_staging s WHERE s.sync_id = ?1 AND s.username = mirror_mappings.username AND s.remote_id = mirror_mappings.remote_id)",
        params![sync_id, profile_id, provider_id],
    )?;
    tx.execute(
        "INSERT INTO mirror_mappings (profile_id, provider_id, username, remote_id)
         SELECT ?2, ?3, s.username, s.remote_id FROM mirror_staging s
         WHERE s.sync_id = ?1 AND NOT EXISTS (
             SELECT 1 FROM mirror_mappings m WHERE m.profile_id = ?2 AND m.provider_id = ?3 AND m.username = s.username AND m.remote_id = s.remote_id)",
        params![sync_id, profile_id, provider_id],
    )?;
    let count: usize = tx.query_row("SELECT count(*) FROM mirror_staging WHERE sync_id = ?1", [sync_id], |r| r.get(0))?;
    tx.execute("DELETE FROM mirror_staging WHERE sync_id = ?1", [sync_id])?;
    tx.execute(
        "UPDATE mirror_syncs SET status = 'done', finished_at = ?2, count = ?3, added = ?4, removed = ?5, changed = ?6, note = ?7 WHERE id = ?1",
        params![sync_id, at, count, added, removed, changed, note],
    )?;
    tx.execute("DELETE FROM temp.mirror_old", [])?;
    tx.commit()?;
    drop(conn);
    sync_record(store, sync_id)
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

fn finish_failed(store: &Store, sync_id: i64, at: &str, status: &str, note: &str) -> Result<()> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM mirror_staging WHERE sync_id = ?1", [sync_id])?;
    tx.execute("UPDATE mirror_syncs SET status = ?2, finished_at = ?3, note = ?4 WHERE id = ?1", params![sync_id, status, at, note])?;
    tx.commit()?;
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
    clear_interrupted(&cw.store, &profile.id, provider_id, &started)?;
    let sync_id: i64 = {
        let conn = cw.store.conn();
        conn.execute(
            "INSERT INTO mirror_syncs (profile_id, provider_id, started_at, status) VALUES (?1, ?2, ?3, 'running')",
            params![profile.id, provider_id, started],
        )?;
        conn.last_insert_rowid()
    };
    let target = format!("{} · {provider_id}", profile.name);
    let fetch_started = std::time::Instant::now();
    let outcome = fetch_all(cw, &profile, provider_id, sync_id, opts, &progress, cancel).await;
    let at = now(cw);
    match outcome {
        Ok(note) => {
            let fetched = fetch_started.elapsed();
            let store = cw.store.clone();
            let (pid, prov, at2) = (profile.id.clone(), provider_id.to_string(), at.clone());
            let record = tokio::task::spawn_blocking(move || swap(&store, sync_id, &pid, &prov, &at2, &note))
                .await
                .map_err(|e| Error::Database(format!("the mirror update stopped unexpectedly ({e})")))??;
            tracing::info!(
                provider_id,
                rows = record.count,
                fetch_ms = fetched.as_millis() as u64,
                swap_ms = (fetch_started.elapsed() - fetched).as_millis() as u64,
                "mirror synced"
            );
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
            finish_failed(&cw.store, sync_id, &at, status, &format!("{e} The mirror before this sync was kept."))?;
            cw.activity.record(NewActivity::error("openedx.mirror.sync", &target, format!("{status}: {e}")));
            Err(e)
        }
    }
}

/// Fetches every page into staging. Returns a note (drift found and handled), or the error.
async fn fetch_all(
    cw: &Crosswalk,
    profile: &crate::connection::Profile,
    provider_id: &str,
    sync_id: i64,
    opts: SyncOptions,
    progress: &(impl Fn(SyncProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<String> {
    let client = MappingsClient::new(cw, profile);
    let page_size = opts.page_size.clamp(1, MAX_PAGE_SIZE);
    let mut notes = Vec::new();
    // A provider that changes while it is read can make rows move between pages (the LMS gives
    // no ordering guarantee). Read again until two counts agree with what was staged, at most 3 times.
    for round in 1..=3 {
        cw.store.conn().execute("DELETE FROM mirror_staging WHERE sync_id = ?1", [sync_id])?;
        let first = client.page(provider_id, 1, page_size, cancel).await?;
        let (count, pages) = (first.count, first.num_pages.max(1));
        let legacy = first.envelope == "legacy";
        let stager = Stager::start(cw.store.clone(), sync_id);
        let received = AtomicU64::new(first.results.len() as u64);
        stager.send(first.results)?;
        let done = AtomicU32::new(1);
        progress(SyncProgress { pages_done: 1, pages_total: pages, rows: received.load(Ordering::Relaxed), count });
        let seen_counts = std::sync::Mutex::new(HashSet::from([count]));
        let fetch = |page: u32| {
            let (client, done, seen_counts, received, stager) = (&client, &done, &seen_counts, &received, &stager);
            async move {
                let p = client.page(provider_id, page, page_size, cancel).await?;
                seen_counts.lock().unwrap_or_else(|e| e.into_inner()).insert(p.count);
                let rows = received.fetch_add(p.results.len() as u64, Ordering::Relaxed) + p.results.len() as u64;
                stager.send(p.results)?;
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(SyncProgress { pages_done: d, pages_total: pages, rows, count });
                Ok::<_, Error>(())
            }
        };
        // Known page count (current envelope): pages in parallel. Legacy envelope: in order.
        let width = if legacy { 1 } else { opts.concurrency.clamp(1, 64) as usize };
        let mut results = stream::iter(2..=pages).map(fetch).buffer_unordered(width);
        while let Some(r) = results.next().await {
            r?;
        }
        drop(results);
        let staged = stager.finish().await?;
        let counts = seen_counts.into_inner().unwrap_or_else(|e| e.into_inner());
        let recheck = client.page(provider_id, 1, 1, cancel).await?.count;
        if counts.len() == 1 && recheck == count && staged == count {
            return Ok(notes.join(" "));
        }
        let mut all: Vec<u64> = counts.into_iter().collect();
        all.sort_unstable();
        notes.push(format!(
            "The provider changed during the sync (round {round}: counts {all:?}, then {recheck}; {staged} rows read), so Crosswalk read it again."
        ));
        tracing::warn!(provider_id, round, staged, recheck, "mapping count drifted during sync");
        if round == 3 {
            notes.push("It kept changing: the mirror holds the last full read; sync again later.".into());
        }
    }
    Ok(notes.join(" "))
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
        let marks = vec!["?"; chunk.len()].join(",");
        let mut queries = Vec::new();
        if mode != LookupMode::RemoteId {
            queries.push(format!(
                "SELECT username, remote_id FROM mirror_mappings WHERE profile_id = ? AND provider_id = ? AND username IN ({marks})"
            ));
        }
        if mode != LookupMode::Username {
            queries.push(format!(
                "SELECT username, remote_id FROM mirror_mappings INDEXED BY mirror_by_remote_id WHERE profile_id = ? AND provider_id = ? AND remote_id IN ({marks})"
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
        "SELECT m.username, m.remote_id FROM mirror_search s CROSS JOIN mirror_mappings m ON m.id = s.rowid
         WHERE mirror_search MATCH ?1 AND m.profile_id = ?2 AND m.provider_id = ?3 LIMIT ?4",
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
        "SELECT count(*) FROM mirror_mappings WHERE profile_id = ?1 AND provider_id = ?2",
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
    let mut stmt =
        conn.prepare("SELECT username, remote_id FROM mirror_mappings WHERE profile_id = ?1 AND provider_id = ?2 ORDER BY username")?;
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

/// Every username of a provider's mirror with its remote ids (sorted), in one scan — what a
/// grade reconciliation matches against.
pub fn links_by_username(cw: &Crosswalk, profile_id: &str, provider_id: &str) -> Result<std::collections::HashMap<String, Vec<String>>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare_cached("SELECT username, remote_id FROM mirror_mappings WHERE profile_id = ?1 AND provider_id = ?2")?;
    let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    let mut rows = stmt.query(params![profile_id, provider_id])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    out.values_mut().filter(|v| v.len() > 1).for_each(|v| v.sort());
    Ok(out)
}
