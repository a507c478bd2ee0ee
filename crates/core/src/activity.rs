//! The Activity (audit) trail: who did what to which remote system, when, and how it went.
//!
//! Every action that reaches a remote system is recorded here. Entries carry a human summary,
//! never a secret, a token or launch parameters.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::store::Store;
use crate::Result;

/// How an action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Error,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
        }
    }
}

/// Which face of Crosswalk acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    App,
    Cli,
}

impl Face {
    pub fn as_str(self) -> &'static str {
        face_str(self)
    }

    /// In words: "the app" or "the CLI".
    pub fn describe(self) -> &'static str {
        match self {
            Face::App => "the app",
            Face::Cli => "the CLI",
        }
    }
}

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActivityEntry {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub face: Face,
    pub action: String,
    pub target: String,
    pub outcome: Outcome,
    pub detail: String,
}

/// What to record. `detail` is a human summary: counts, or an error's message.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub action: String,
    pub target: String,
    pub outcome: Outcome,
    pub detail: String,
}

impl NewActivity {
    pub fn ok(action: impl Into<String>, target: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { action: action.into(), target: target.into(), outcome: Outcome::Ok, detail: detail.into() }
    }
    pub fn error(action: impl Into<String>, target: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { action: action.into(), target: target.into(), outcome: Outcome::Error, detail: detail.into() }
    }
}

/// Filters for the Activity screen and `crosswalk activity`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ActivityQuery {
    /// Words to find in the action, target, actor or detail.
    pub text: Option<String>,
    /// Only this action (exact).
    pub action: Option<String>,
    pub outcome: Option<Outcome>,
    /// Only entries at or after this RFC 3339 instant.
    pub since: Option<String>,
    /// At most this many entries, newest first (default 500).
    pub limit: Option<u32>,
}

/// The answer to an [`ActivityQuery`].
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActivityList {
    pub entries: Vec<ActivityEntry>,
    /// How many entries match in all (the list may be cut at `limit`).
    pub total: u32,
    /// Every action name recorded so far, for the filter menu.
    pub actions: Vec<String>,
}

/// Records actions for one face and actor.
#[derive(Clone)]
pub struct ActivityLog {
    store: Store,
    clock: std::sync::Arc<dyn Clock>,
    face: Face,
    actor: String,
}

impl ActivityLog {
    /// The actor is the OS account running Crosswalk.
    pub fn new(store: Store, clock: std::sync::Arc<dyn Clock>, face: Face) -> Self {
        let actor = whoami::username();
        Self { store, clock, face, actor }
    }

    /// Writes one entry. Failure to record is logged, never fatal to the action itself.
    pub fn record(&self, entry: NewActivity) {
        if let Err(e) = self.try_record(&entry) {
            tracing::warn!(action = %entry.action, error = %e, "could not record activity");
        }
    }

    fn try_record(&self, e: &NewActivity) -> Result<()> {
        let at = self.clock.now().to_rfc3339_opts(SecondsFormat::Millis, true);
        self.store.conn().execute(
            "INSERT INTO activity (at, actor, face, action, target, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![at, self.actor, face_str(self.face), e.action, e.target, e.outcome.as_str(), e.detail],
        )?;
        Ok(())
    }

    /// Lists entries, newest first.
    pub fn list(&self, q: &ActivityQuery) -> Result<ActivityList> {
        list(&self.store, q)
    }
}

fn face_str(f: Face) -> &'static str {
    match f {
        Face::App => "app",
        Face::Cli => "cli",
    }
}

/// Lists entries matching `q`, newest first.
pub fn list(store: &Store, q: &ActivityQuery) -> Result<ActivityList> {
    let mut clauses = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        clauses.push(
            "(action LIKE ?1 ESCAPE '\\' OR target LIKE ?1 ESCAPE '\\' OR actor LIKE ?1 ESCAPE '\\' OR detail LIKE ?1 ESCAPE '\\')"
                .to_string(),
        );
        args.push(Value::Text(format!("%{}%", escape_like(text))));
    }
    if let Some(action) = q.action.as_deref().filter(|a| !a.is_empty()) {
        args.push(Value::Text(action.to_string()));
        clauses.push(format!("action = ?{}", args.len()));
    }
    if let Some(outcome) = q.outcome {
        args.push(Value::Text(outcome.as_str().to_string()));
        clauses.push(format!("outcome = ?{}", args.len()));
    }
    if let Some(since) = q.since.as_deref().filter(|s| !s.is_empty()) {
        let since = DateTime::parse_from_rfc3339(since)
            .map_err(|_| {
                crate::Error::Invalid(format!(
                    "\"{since}\" is not a date and time Crosswalk understands; use a form like 2026-11-22T09:00:00Z."
                ))
            })?
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        args.push(Value::Text(since));
        clauses.push(format!("at >= ?{}", args.len()));
    }
    let filter = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    let limit = q.limit.unwrap_or(500).clamp(1, 10_000);
    let conn = store.conn();
    let total: u32 = conn.query_row(&format!("SELECT count(*) FROM activity {filter}"), params_from_iter(args.iter()), |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT id, at, actor, face, action, target, outcome, detail FROM activity {filter} ORDER BY at DESC, id DESC LIMIT {limit}"
    ))?;
    let entries = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            let face: String = r.get(3)?;
            let outcome: String = r.get(6)?;
            Ok(ActivityEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                face: if face == "cli" { Face::Cli } else { Face::App },
                action: r.get(4)?,
                target: r.get(5)?,
                outcome: if outcome == "ok" { Outcome::Ok } else { Outcome::Error },
                detail: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let actions = conn
        .prepare("SELECT DISTINCT action FROM activity ORDER BY action")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ActivityList { entries, total, actions })
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use chrono::TimeZone;
    use std::sync::Arc;

    fn log() -> (tempfile::TempDir, ActivityLog, Arc<FixedClock>) {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("db.sqlite3")).unwrap();
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()));
        (tmp, ActivityLog::new(store, clock.clone(), Face::App), clock)
    }

    #[test]
    fn records_and_lists_newest_first_with_filters() {
        let (_tmp, log, clock) = log();
        log.record(NewActivity::ok("openedx.token", "Demo LMS", "token issued"));
        clock.set(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap());
        log.record(NewActivity::error("openedx.mappings.page", "Demo LMS · saml-demo-univ", "403: not permitted"));
        clock.set(Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap());
        log.record(NewActivity::ok("openedx.mappings.page", "Demo LMS · oa2-google-oauth2", "10 rows"));

        let all = log.list(&ActivityQuery::default()).unwrap();
        assert_eq!(all.total, 3);
        assert_eq!(all.entries[0].target, "Demo LMS · oa2-google-oauth2");
        assert_eq!(all.actions, vec!["openedx.mappings.page", "openedx.token"]);

        let errors = log.list(&ActivityQuery { outcome: Some(Outcome::Error), ..Default::default() }).unwrap();
        assert_eq!(errors.total, 1);
        assert_eq!(errors.entries[0].detail, "403: not permitted");

        let text = log.list(&ActivityQuery { text: Some("google".into()), ..Default::default() }).unwrap();
        assert_eq!(text.total, 1);

        let since = log.list(&ActivityQuery { since: Some("2026-11-02T00:00:00Z".into()), ..Default::default() }).unwrap();
        assert_eq!(since.total, 2);

        let action = log.list(&ActivityQuery { action: Some("openedx.token".into()), ..Default::default() }).unwrap();
        assert_eq!(action.total, 1);
    }

    #[test]
    fn like_wildcards_in_the_search_text_are_literal() {
        let (_tmp, log, _) = log();
        log.record(NewActivity::ok("a", "t", "100% done"));
        log.record(NewActivity::ok("a", "t", "100 done"));
        let hits = log.list(&ActivityQuery { text: Some("100%".into()), ..Default::default() }).unwrap();
        assert_eq!(hits.total, 1);
    }

    #[test]
    fn a_malformed_since_is_a_clear_error() {
        let (_tmp, log, _) = log();
        let err = log.list(&ActivityQuery { since: Some("yesterday".into()), ..Default::default() }).unwrap_err();
        assert!(err.to_string().contains("2026-11-22T09:00:00Z"));
    }
}
