//! Periodic work owned by the core: mirror syncs and enrollment polling, with their schedules and
//! last/next runs in SQLite (table `jobs`, owned by this module).
//!
//! The desktop app calls [`run_due`] every half minute while it runs (window shown or hidden) and
//! forwards the [`JobEvent`]s to the UI; `crosswalk jobs run-due` does the same from cron or a
//! systemd timer. A job is claimed in the database before it runs, so the app and a CLI started
//! by cron never run the same job at once.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
use crate::{Error, Result};

/// A claim older than this is taken for a process that died mid-run.
const STALE_CLAIM: TimeDelta = TimeDelta::hours(1);
/// Schedules are between every 5 minutes and once a week.
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 7 * 24 * 60;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Sync every watched provider of an Open edX connection whose mirror is older than the
    /// schedule.
    MirrorSync,
    /// Ask the home institution about every pending or queued association of an OOAPI connection.
    EnrollmentsPoll,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::MirrorSync => "mirror_sync",
            JobKind::EnrollmentsPoll => "enrollments_poll",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "mirror_sync" => Some(JobKind::MirrorSync),
            "enrollments_poll" => Some(JobKind::EnrollmentsPoll),
            _ => None,
        }
    }

    /// In the user's words.
    pub fn label(self) -> &'static str {
        match self {
            JobKind::MirrorSync => "mirror sync",
            JobKind::EnrollmentsPoll => "enrollment check",
        }
    }
}

/// One job and its schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Job {
    pub kind: JobKind,
    pub profile_id: String,
    pub every_minutes: u32,
    pub enabled: bool,
    pub next_run_at: String,
    pub last_run_at: Option<String>,
    /// `ok`, `partly` or `failed`.
    pub last_outcome: Option<String>,
    pub last_detail: Option<String>,
    /// When a process is running it now (app or cli), since when.
    pub running_since: Option<String>,
}

/// What the UI hears while jobs run.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JobEvent {
    pub kind: JobKind,
    pub profile_id: String,
    /// `started` or `finished`.
    pub phase: String,
    /// For `finished`: `ok`, `partly` or `failed`.
    pub outcome: Option<String>,
    pub detail: String,
}

/// What one job run came to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JobRun {
    pub kind: JobKind,
    pub profile_id: String,
    pub profile_name: String,
    pub outcome: String,
    pub detail: String,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    let kind: String = r.get(0)?;
    Ok(Job {
        kind: JobKind::parse(&kind).unwrap_or(JobKind::MirrorSync),
        profile_id: r.get(1)?,
        every_minutes: r.get(2)?,
        enabled: r.get(3)?,
        next_run_at: r.get(4)?,
        last_run_at: r.get(5)?,
        last_outcome: r.get(6)?,
        last_detail: r.get(7)?,
        running_since: r.get(8)?,
    })
}

const COLUMNS: &str = "kind, profile_id, every_minutes, enabled, next_run_at, last_run_at, last_outcome, last_detail, running_since";

/// Every job, by connection.
pub fn list(cw: &Crosswalk) -> Result<Vec<Job>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM jobs ORDER BY profile_id, kind"))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One connection's job of `kind`, if it was ever scheduled.
pub fn get(cw: &Crosswalk, kind: JobKind, profile_id: &str) -> Result<Option<Job>> {
    let conn = cw.store.conn();
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM jobs WHERE kind = ?1 AND profile_id = ?2"), params![kind.as_str(), profile_id], row)
        .optional()?)
}

/// Sets (or creates) a connection's schedule. Switching a job on makes it due at once; changing
/// the interval moves the next run to last run + interval.
pub fn set(cw: &Crosswalk, kind: JobKind, profile_id: &str, every_minutes: u32, enabled: bool) -> Result<Job> {
    let profile = cw.profile(profile_id)?;
    let wanted = match kind {
        JobKind::MirrorSync => crate::connection::ConnectionKind::Openedx,
        JobKind::EnrollmentsPoll => crate::connection::ConnectionKind::Ooapi,
    };
    if profile.kind() != wanted {
        return Err(Error::Invalid(format!(
            "A {} runs for {} connections; \"{}\" is not one.",
            kind.label(),
            wanted.as_str(),
            profile.name
        )));
    }
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&every_minutes) {
        return Err(Error::Invalid(format!("Choose an interval between {MIN_MINUTES} minutes and {} days.", MAX_MINUTES / (24 * 60))));
    }
    let now = cw.clock.now();
    let before = get(cw, kind, &profile.id)?;
    let next = match &before {
        Some(b) if b.enabled || !enabled => b
            .last_run_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map_or(now, |t| t.with_timezone(&Utc) + TimeDelta::minutes(every_minutes.into())),
        _ => now,
    };
    cw.store.conn().execute(
        "INSERT INTO jobs (kind, profile_id, every_minutes, enabled, next_run_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind, profile_id) DO UPDATE SET every_minutes = ?3, enabled = ?4, next_run_at = ?5",
        params![kind.as_str(), profile.id, every_minutes, enabled, stamp(next)],
    )?;
    let detail = if enabled { format!("every {every_minutes} minutes") } else { "switched off".into() };
    cw.activity.record(NewActivity::ok("jobs.schedule", &profile.name, format!("{}: {detail}", kind.label())));
    get(cw, kind, &profile.id)?.ok_or_else(|| Error::Database("the schedule was not saved".into()))
}

/// Claims a due job for this process; false when it is not due or another process runs it.
fn claim(cw: &Crosswalk, job: &Job, now: DateTime<Utc>) -> Result<bool> {
    let stale = stamp(now - STALE_CLAIM);
    let n = cw.store.conn().execute(
        "UPDATE jobs SET running_since = ?3, running_face = ?4
         WHERE kind = ?1 AND profile_id = ?2 AND enabled = 1 AND next_run_at <= ?3
           AND (running_since IS NULL OR running_since < ?5)",
        params![job.kind.as_str(), job.profile_id, stamp(now), cw.face.as_str(), stale],
    )?;
    Ok(n == 1)
}

fn finish(cw: &Crosswalk, job: &Job, outcome: &str, detail: &str) -> Result<()> {
    let now = cw.clock.now();
    let next = now + TimeDelta::minutes(job.every_minutes.into());
    cw.store.conn().execute(
        "UPDATE jobs SET running_since = NULL, running_face = NULL, last_run_at = ?3, last_outcome = ?4, last_detail = ?5, next_run_at = ?6
         WHERE kind = ?1 AND profile_id = ?2",
        params![job.kind.as_str(), job.profile_id, stamp(now), outcome, detail, stamp(next)],
    )?;
    Ok(())
}

/// Runs every due job (one after another), reporting each start and end on `on_event`. A job that
/// fails is recorded with its reason and tried again at its next time; the others still run.
/// Returns what each job came to.
pub async fn run_due(cw: &Crosswalk, on_event: impl Fn(JobEvent) + Send + Sync, cancel: &CancellationToken) -> Result<Vec<JobRun>> {
    let now = cw.clock.now();
    let due: Vec<Job> = list(cw)?.into_iter().filter(|j| j.enabled && j.next_run_at.as_str() <= stamp(now).as_str()).collect();
    let mut runs = Vec::new();
    for job in due {
        if cancel.is_cancelled() {
            break;
        }
        if !claim(cw, &job, now)? {
            continue;
        }
        let name = cw.profile(&job.profile_id).map(|p| p.name).unwrap_or_else(|_| job.profile_id.clone());
        on_event(JobEvent {
            kind: job.kind,
            profile_id: job.profile_id.clone(),
            phase: "started".into(),
            outcome: None,
            detail: String::new(),
        });
        let (outcome, detail) = match run_one(cw, &job, cancel).await {
            Ok((true, detail)) => ("ok", detail),
            Ok((false, detail)) => ("partly", detail),
            Err(e) => ("failed", e.to_string()),
        };
        finish(cw, &job, outcome, &detail)?;
        let entry = if outcome == "ok" { NewActivity::ok } else { NewActivity::error };
        cw.activity.record(entry("jobs.run", &name, format!("{}: {detail}", job.kind.label())));
        on_event(JobEvent {
            kind: job.kind,
            profile_id: job.profile_id.clone(),
            phase: "finished".into(),
            outcome: Some(outcome.into()),
            detail: detail.clone(),
        });
        runs.push(JobRun { kind: job.kind, profile_id: job.profile_id.clone(), profile_name: name, outcome: outcome.into(), detail });
    }
    if !runs.is_empty() {
        // What the jobs allocated is freed; the app runs on for hours after them.
        crate::memory::give_back();
    }
    Ok(runs)
}

/// `(everything worked, what happened)`.
async fn run_one(cw: &Crosswalk, job: &Job, cancel: &CancellationToken) -> Result<(bool, String)> {
    match job.kind {
        JobKind::MirrorSync => sync_stale_providers(cw, job, cancel).await,
        JobKind::EnrollmentsPoll => crate::enrollments::poll_job(cw, &job.profile_id, cancel).await,
    }
}

/// Syncs each watched provider whose last sync is older than the schedule (or never happened).
async fn sync_stale_providers(cw: &Crosswalk, job: &Job, cancel: &CancellationToken) -> Result<(bool, String)> {
    let profile = cw.profile(&job.profile_id)?;
    let providers = profile.openedx()?.providers.clone();
    if providers.is_empty() {
        return Err(Error::Invalid(format!("\"{}\" watches no provider: add one in Connections.", profile.name)));
    }
    let every = TimeDelta::minutes(job.every_minutes.into());
    let now = cw.clock.now();
    let (mut synced, mut failed, mut fresh, mut busy) = (Vec::new(), Vec::new(), 0, Vec::new());
    for provider in providers {
        let last = crate::mirror::last_sync(cw, &profile.id, &provider)?;
        let finished = last.as_ref().filter(|s| s.status == "done").and_then(|s| s.finished_at.as_deref());
        let is_fresh = finished.and_then(|t| DateTime::parse_from_rfc3339(t).ok()).is_some_and(|t| now - t.with_timezone(&Utc) < every);
        if is_fresh {
            fresh += 1;
            continue;
        }
        // Being synced right now (by hand, or by the CLI): that sync is this one's work.
        if let Some(who) = crate::mirror::running_sync(cw, &profile.id, &provider)? {
            busy.push(format!("{provider} (being synced by {who})"));
            continue;
        }
        match crate::mirror::sync(cw, &profile.id, &provider, crate::mirror::SyncOptions::default(), |_| {}, cancel).await {
            Ok(r) => synced.push(format!("{provider} ({} learners)", r.count)),
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => failed.push(format!("{provider}: {e}")),
        }
    }
    let mut parts = Vec::new();
    if !synced.is_empty() {
        parts.push(format!("synced {}", synced.join(", ")));
    }
    if fresh > 0 {
        parts.push(format!("{fresh} already fresh"));
    }
    if !busy.is_empty() {
        parts.push(format!("left to the sync running: {}", busy.join(", ")));
    }
    if !failed.is_empty() {
        parts.push(format!("failed {}", failed.join("; ")));
    }
    if synced.is_empty() && fresh == 0 && busy.is_empty() {
        return Err(Error::Incomplete(parts.join("; ")));
    }
    Ok((failed.is_empty(), parts.join("; ")))
}
