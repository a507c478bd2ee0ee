//! Enrollments between institutions (OOAPI v5): the ledger of every association Crosswalk created
//! or was told about, the calls that create, check and change them, and the poll that follows the
//! pending ones. See `shared/reference/ooapi-enrollment.md` for how the real systems behave.
//!
//! We are the **host**: a student of a **home** institution enrols in one of our courses. We tell
//! the home side (POST), it decides (`state`), we follow its decision (GET, polled) and report our
//! own side's changes (`remoteState`, PATCH).

pub use crate::ooapi::body;
pub mod home;
mod ledger;
pub mod results;
pub mod state;
pub mod student_token;
pub mod templates;

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::connection::Profile;
use crate::crosswalk::Crosswalk;
use crate::{Error, Result};
use ledger::{Event, Field, NewRow};

/// Requests in flight at once while polling.
pub const POLL_CONCURRENCY: usize = 8;
/// A pending association older than this is "stuck" unless the connection says otherwise.
pub const DEFAULT_STUCK_HOURS: u32 = 72;

/// One association in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Association {
    #[ts(type = "number")]
    pub id: i64,
    pub profile_id: String,
    /// The home institution's schacHome.
    pub home: String,
    /// Null while a create's outcome is unknown.
    pub association_id: Option<String>,
    pub person_id: Option<String>,
    pub person_name: Option<String>,
    pub person_email: Option<String>,
    pub offering_id: Option<String>,
    pub offering_code: Option<String>,
    pub offering_name: Option<String>,
    pub offering_start: Option<String>,
    pub offering_end: Option<String>,
    pub role: Option<String>,
    /// The home side's state.
    pub state: Option<String>,
    /// Ours (the host's).
    pub remote_state: Option<String>,
    #[ts(type = "unknown")]
    pub result: Option<Value>,
    /// `ok`; `sending` (a create under way); `unknown` (a create whose outcome is unknown: check
    /// before sending again); `error` (the last call failed, see `last_error`).
    pub status: String,
    /// Interoperability warnings (a 200 where 201 was due, an id that is not a UUID).
    pub warning: Option<String>,
    pub first_seen: String,
    /// Since when the home state is what it is.
    pub state_since: String,
    pub last_checked: Option<String>,
    pub next_check: Option<String>,
    pub last_error: Option<String>,
    /// The offering's `resultValueType` (`0-100`, `1-10`, `US letter`, `UK letter`,
    /// `pass-or-fail`), when known: how a returned score is written.
    pub offering_result_type: Option<String>,
    /// Pending longer than the connection's "stuck" time.
    pub stuck: bool,
}

/// One observed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AssociationEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    /// `home` (the home institution changed it), `host` (we did) or `crosswalk` (a note).
    pub who: String,
    pub field: String,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

/// An association with its timeline, for the detail panel and `enrollments show`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssociationDetail {
    pub association: Association,
    pub events: Vec<AssociationEvent>,
    /// The last request sent (method, URL, body; never a header, so never a token).
    pub last_request: Option<String>,
    pub last_answer: Option<String>,
    /// What the home state means, in plain words.
    pub state_explained: String,
    /// What to do, when something needs doing (stuck, unknown outcome, error).
    pub advice: Option<String>,
}

/// Counts by state for the filter chips.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct EnrollmentCounts {
    pub total: u32,
    pub pending: u32,
    pub queued: u32,
    pub associated: u32,
    pub denied: u32,
    pub canceled: u32,
    pub finished: u32,
    pub stuck: u32,
    /// The last call failed, or a create's outcome is unknown.
    pub error: u32,
}

/// Which associations to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AssociationQuery {
    #[serde(default)]
    #[ts(optional)]
    pub profile_id: Option<String>,
    /// A state, or `stuck` / `error`.
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<String>,
    /// Matches the person's name, email or id, the offering's code or name, or the association id.
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
}

/// The associations asked for, and the counts of all (of the connection).
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssociationList {
    pub rows: Vec<Association>,
    pub counts: EnrollmentCounts,
}

/// Create an association.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CreateRequest {
    pub profile_id: String,
    pub person_id: String,
    /// The offering template (see [`body::post_body`]).
    #[ts(type = "unknown")]
    pub offering: Value,
    /// `associated` (default), `pending` or `queued`.
    #[serde(default)]
    #[ts(optional)]
    pub remote_state: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub person_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub person_email: Option<String>,
}

/// What a create came to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CreateOutcome {
    pub association: Association,
    /// The home side's `message`.
    pub message: Option<String>,
}

/// A poll's progress.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PollProgress {
    pub done: u32,
    pub total: u32,
    pub changed: u32,
    pub failed: u32,
}

/// A change a poll saw, for notifications.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StateChange {
    #[ts(type = "number")]
    pub id: i64,
    pub student: String,
    pub offering: String,
    pub field: String,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
}

impl std::fmt::Display for StateChange {
    /// `Zoë de Vries (Data science): state pending → associated`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        write!(f, "{} ({}): {} {} → {}", self.student, self.offering, self.field, or_dash(&self.from_value), or_dash(&self.to_value))
    }
}

/// One association a poll could not check.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PollFailure {
    #[ts(type = "number")]
    pub id: i64,
    pub association_id: String,
    pub reason: String,
}

/// What a poll did.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct PollReport {
    pub checked: u32,
    pub changes: Vec<StateChange>,
    pub failed: Vec<PollFailure>,
    /// Requests sent (retries included).
    pub requests: u32,
    pub cancelled: bool,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssociationImport {
    pub added: u32,
    pub already_known: u32,
    pub file: String,
}

fn now(cw: &Crosswalk) -> String {
    stamp(cw.clock.now())
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn stuck_hours(cw: &Crosswalk, profile_id: &str) -> u32 {
    cw.profile(profile_id).ok().and_then(|p| home::settings(&p).ok().and_then(|o| o.stuck_after_hours)).unwrap_or(DEFAULT_STUCK_HOURS)
}

fn mark_stuck(cw: &Crosswalk, rows: &mut [Association]) {
    let now = cw.clock.now();
    let mut hours = std::collections::HashMap::new();
    for a in rows {
        let h = *hours.entry(a.profile_id.clone()).or_insert_with(|| stuck_hours(cw, &a.profile_id));
        let since = DateTime::parse_from_rfc3339(&a.state_since).map(|t| t.with_timezone(&Utc)).unwrap_or(now);
        a.stuck = a.state.as_deref() == Some("pending") && now - since > TimeDelta::hours(h.into());
    }
}

fn counts(rows: &[Association]) -> EnrollmentCounts {
    let mut c = EnrollmentCounts { total: u32::try_from(rows.len()).unwrap_or(u32::MAX), ..Default::default() };
    for a in rows {
        match a.state.as_deref() {
            Some("pending") => c.pending += 1,
            Some("queued") => c.queued += 1,
            Some("associated") => c.associated += 1,
            Some("denied") => c.denied += 1,
            Some("canceled") => c.canceled += 1,
            Some("finished") => c.finished += 1,
            _ => {}
        }
        c.stuck += u32::from(a.stuck);
        c.error += u32::from(a.status != "ok");
    }
    c
}

fn matches(a: &Association, filter: Option<&str>, text: &str) -> bool {
    let by_state = match filter {
        None | Some("" | "all") => true,
        Some("stuck") => a.stuck,
        Some("error") => a.status != "ok",
        Some(s) => a.state.as_deref() == Some(state::normalise(s).0.as_str()),
    };
    by_state
        && (text.is_empty()
            || [&a.person_name, &a.person_email, &a.person_id, &a.offering_code, &a.offering_name, &a.association_id]
                .iter()
                .any(|f| f.as_deref().is_some_and(|v| v.to_lowercase().contains(text))))
}

/// The ledger, filtered, with the counts of every association of the connection (or all).
pub fn list(cw: &Crosswalk, q: &AssociationQuery) -> Result<AssociationList> {
    let profile_id = match q.profile_id.as_deref() {
        Some(p) if !p.is_empty() => Some(cw.profile(p)?.id),
        _ => None,
    };
    let mut all = ledger::all(&cw.store.conn(), profile_id.as_deref())?;
    mark_stuck(cw, &mut all);
    let counts = counts(&all);
    let text = q.text.as_deref().unwrap_or_default().trim().to_lowercase();
    let rows = all.into_iter().filter(|a| matches(a, q.filter.as_deref(), &text)).collect();
    Ok(AssociationList { rows, counts })
}

fn find(cw: &Crosswalk, id: &str) -> Result<Association> {
    let mut a = ledger::find_any(&cw.store.conn(), id.trim())?
        .ok_or_else(|| Error::NotFound(format!("No association \"{id}\" in the ledger. `crosswalk enrollments list` shows them all.")))?;
    mark_stuck(cw, std::slice::from_mut(&mut a));
    Ok(a)
}

/// One association with its timeline.
pub fn detail(cw: &Crosswalk, id: &str) -> Result<AssociationDetail> {
    let association = find(cw, id)?;
    let conn = cw.store.conn();
    let events = ledger::events(&conn, association.id)?;
    let (last_request, last_answer) = ledger::exchange(&conn, association.id)?;
    // The store's connection is not re-entrant: let it go before reading the profile.
    drop(conn);
    let state_explained = match association.state.as_deref() {
        Some(s) => state::explain_state(s).to_string(),
        None if association.association_id.is_none() => "Not created at the home side (or not known to be).".into(),
        None => "Not read from the home side yet: Crosswalk reads it at the next check.".into(),
    };
    let advice = advice(&association, stuck_hours(cw, &association.profile_id));
    Ok(AssociationDetail { association, events, last_request, last_answer, state_explained, advice })
}

fn advice(a: &Association, stuck_hours: u32) -> Option<String> {
    match a.status.as_str() {
        "unknown" | "sending" => Some(
            "The home institution may or may not have created this association (the answer never arrived). Do not send it again: ask the home institution for the association id and import it, or check their list. Crosswalk will not re-send it by itself.".into(),
        ),
        "error" if a.association_id.is_none() => Some("The home institution refused to create it (see the last answer). Fix what it says and create it again.".into()),
        "error" => Some(format!("The last check failed: {}. Crosswalk tries again at the next check.", a.last_error.as_deref().unwrap_or("see the last answer"))),
        _ if a.stuck => Some(format!(
            "Pending for more than {stuck_hours} hours. Contact the home institution's mobility office (schacHome {}) with the association id, or cancel it if the student gave up.",
            a.home
        )),
        _ => None,
    }
}

/// Reads one answer (GET, POST or PATCH) into the ledger; returns the changes it made.
fn apply(cw: &Crosswalk, a: &Association, v: &Value, who: &str, request_id: Option<&str>) -> Result<Vec<StateChange>> {
    let at = now(cw);
    let conn = cw.store.conn();
    let message = home::messages(v);
    let mut changes = Vec::new();
    let mut note = |conn: &rusqlite::Connection, field: Field, to: Option<String>, who: &str, message: Option<&str>| -> Result<()> {
        if let Some(before) = ledger::set_field(conn, a.id, field, to.as_deref(), &at)? {
            ledger::add_event(
                conn,
                a.id,
                &at,
                &Event { who, field: field.name(), from: before.as_deref(), to: to.as_deref(), message, request_id },
            )?;
            if before.is_none() {
                // The first reading of an imported association is not news.
                return Ok(());
            }
            changes.push(StateChange {
                id: a.id,
                student: a.person_name.clone().or_else(|| a.person_id.clone()).unwrap_or_default(),
                offering: a.offering_name.clone().or_else(|| a.offering_code.clone()).unwrap_or_default(),
                field: field.name().into(),
                from_value: before,
                to_value: to,
            });
        }
        Ok(())
    };
    if let Some(raw) = v.get("state").and_then(Value::as_str) {
        let (s, spelling) = state::normalise(raw);
        let msg = match (&message, &spelling) {
            (Some(m), Some(n)) => Some(format!("{m} ({n})")),
            (Some(m), None) => Some(m.clone()),
            (None, n) => n.clone(),
        };
        note(&conn, Field::State, Some(s), "home", msg.as_deref())?;
    }
    if let Some(raw) = v.get("remoteState").and_then(Value::as_str) {
        note(&conn, Field::RemoteState, Some(state::normalise(raw).0), who, None)?;
    }
    if let Some(r) = v.get("result").filter(|r| !r.is_null()) {
        note(&conn, Field::Result, Some(ledger::result_text(r)), who, None)?;
    }
    let mut d = NewRow::default();
    if let Some(p) = v.get("person").filter(|p| p.is_object()) {
        d.person_id = p.get("personId").and_then(Value::as_str).map(str::to_string);
        d.person_name = p.get("displayName").and_then(Value::as_str).map(str::to_string).or_else(|| {
            let given = p.get("givenName").and_then(Value::as_str)?;
            Some(format!("{given} {}", p.get("surname").and_then(Value::as_str).unwrap_or_default()).trim().to_string())
        });
        d.person_email = p.get("mail").and_then(Value::as_str).map(str::to_string);
    }
    if let Some(o) = v.get("offering").filter(|o| o.is_object()) {
        let [id, code, name, start, end] = body::offering_fields(o);
        (d.offering_id, d.offering_code, d.offering_name, d.offering_start, d.offering_end) = (id, code, name, start, end);
        d.offering_result_type = o.get("resultValueType").and_then(Value::as_str).map(str::to_string);
    }
    d.role = v.get("role").and_then(Value::as_str).map(str::to_string);
    ledger::set_details(&conn, a.id, &d)?;
    Ok(changes)
}

fn request_id(answer: &crate::remote::Answer) -> Option<String> {
    ["x-request-id", "x-correlation-id", "request-id"]
        .iter()
        .find_map(|h| answer.headers.get(*h).and_then(|v| v.to_str().ok()).map(str::to_string))
}

/// Asks the home side for one association and records what changed.
async fn check_one(
    cw: &Crosswalk,
    profile: &Profile,
    a: &Association,
    association_id: &str,
    cancel: &CancellationToken,
    sent: Option<&AtomicU32>,
) -> Result<Vec<StateChange>> {
    let at = now(cw);
    let next = stamp(cw.clock.now() + TimeDelta::minutes(15));
    let outcome = home::get(cw, profile, association_id, a.person_id.as_deref(), cancel, sent).await;
    let conn_err = |e: &Error| -> Result<()> {
        ledger::set_checked(&cw.store.conn(), a.id, &at, Some(&next), Some(&e.to_string()))?;
        ledger::set_status(&cw.store.conn(), a.id, "error", Some(&e.to_string()))
    };
    let x = match outcome {
        Ok(x) => x,
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(e) => {
            conn_err(&e)?;
            return Err(e);
        }
    };
    ledger::set_exchange(&cw.store.conn(), a.id, &x.request, &x.answer_text())?;
    if !x.answer.is_success() {
        let e = home::explain(profile, &x.answer, &format!("association {association_id}"));
        conn_err(&e)?;
        return Err(e);
    }
    let v = x.answer.json::<Value>(&home::service(profile))?;
    let changes = apply(cw, a, &v, "host", request_id(&x.answer).as_deref())?;
    // Undecided ones are asked at every poll; approved ones daily (home may still cancel);
    // refused and cancelled ones are final.
    let state = v.get("state").and_then(Value::as_str).map(|s| state::normalise(s).0);
    let next = match state.as_deref() {
        Some("associated" | "finished") => Some(stamp(cw.clock.now() + TimeDelta::hours(24))),
        Some("denied" | "canceled") => None,
        _ => Some(next),
    };
    ledger::set_checked(&cw.store.conn(), a.id, &at, next.as_deref(), None)?;
    Ok(changes)
}

/// Asks the home side about one association now ("Check now").
pub async fn refresh(cw: &Crosswalk, id: &str, cancel: &CancellationToken) -> Result<AssociationDetail> {
    let a = find(cw, id)?;
    let association_id = a.association_id.clone().ok_or_else(|| {
        Error::Invalid("This association has no id yet (its create's outcome is unknown), so the home side cannot be asked about it. Import its id when the home institution gives it.".into())
    })?;
    let profile = cw.profile(&a.profile_id)?;
    check_one(cw, &profile, &a, &association_id, cancel, None).await?;
    detail(cw, &a.id.to_string())
}

/// Asks the home side about every pending, queued or never-read association of `profile_id`,
/// [`POLL_CONCURRENCY`] at a time. An association that cannot be checked is listed with the
/// reason and keeps what the ledger knew; a cancelled poll keeps every answer already read.
pub async fn poll(
    cw: &Crosswalk,
    profile_id: &str,
    progress: impl Fn(PollProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<PollReport> {
    let profile = cw.profile(profile_id)?;
    home::settings(&profile)?;
    let items = ledger::pollable(&cw.store.conn(), &profile.id, &now(cw))?;
    let total = u32::try_from(items.len()).unwrap_or(u32::MAX);
    let (done, changed, failed) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0));
    let sent = AtomicU32::new(0);
    let mut report = PollReport::default();
    let mut stream = futures::stream::iter(items)
        .map(|(id, association_id)| {
            let (profile, sent) = (&profile, &sent);
            async move {
                let a = ledger::get(&cw.store.conn(), id)?.ok_or_else(|| Error::NotFound(format!("association {id} was removed")))?;
                let r = check_one(cw, profile, &a, &association_id, cancel, Some(sent)).await;
                Ok::<_, Error>((id, association_id, r))
            }
        })
        .buffer_unordered(POLL_CONCURRENCY);
    while let Some(item) = stream.next().await {
        let (id, association_id, r) = item?;
        match r {
            Ok(changes) => {
                report.checked += 1;
                changed.fetch_add(u32::from(!changes.is_empty()), Ordering::Relaxed);
                report.changes.extend(changes);
            }
            Err(Error::Cancelled) => report.cancelled = true,
            Err(e) => {
                failed.fetch_add(1, Ordering::Relaxed);
                report.failed.push(PollFailure { id, association_id, reason: e.to_string() });
            }
        }
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(PollProgress { done: d, total, changed: changed.load(Ordering::Relaxed), failed: failed.load(Ordering::Relaxed) });
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
    }
    report.requests = sent.load(Ordering::Relaxed);
    let detail =
        format!("checked {} of {total}; {} changes; {} could not be checked", report.checked, report.changes.len(), report.failed.len());
    let entry = if report.failed.is_empty() && !report.cancelled { NewActivity::ok } else { NewActivity::error };
    cw.activity.record(entry("enrollments.poll", &profile.name, detail));
    Ok(report)
}

/// The scheduled poll ([`crate::jobs`]): `(nothing failed, what happened)`.
pub async fn poll_job(cw: &Crosswalk, profile_id: &str, cancel: &CancellationToken) -> Result<(bool, String)> {
    let r = poll(cw, profile_id, |_| {}, cancel).await?;
    if r.cancelled {
        return Err(Error::Cancelled);
    }
    let mut detail = format!("checked {}, {} changed", r.checked, r.changes.len());
    for c in r.changes.iter().take(5) {
        detail.push_str(&format!("; {c}"));
    }
    if !r.failed.is_empty() {
        detail.push_str(&format!("; {} could not be checked ({})", r.failed.len(), r.failed[0].reason));
    }
    if r.checked == 0 && !r.failed.is_empty() {
        return Err(Error::Incomplete(detail));
    }
    Ok((r.failed.is_empty(), detail))
}

fn is_uuid(s: &str) -> bool {
    let hex: Vec<usize> = s.split('-').map(str::len).collect();
    hex == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// Creates an association at the home side. The attempt is in the ledger before anything is
/// sent; after a timeout or a 5xx it is marked "unknown — check", never sent again by itself.
pub async fn create(cw: &Crosswalk, req: &CreateRequest, cancel: &CancellationToken) -> Result<CreateOutcome> {
    let profile = cw.profile(&req.profile_id)?;
    let o = home::settings(&profile)?.clone();
    let person_id = req.person_id.trim();
    if person_id.is_empty() {
        return Err(Error::Invalid("Type the student's personId at the home institution.".into()));
    }
    let remote_state = req.remote_state.as_deref().unwrap_or("associated");
    let body = body::post_body(&req.offering, remote_state)?;
    let [offering_id, offering_code, offering_name, offering_start, offering_end] = body::offering_fields(&body["offering"]);
    let at = now(cw);
    let id = {
        let conn = cw.store.conn();
        let id = ledger::insert(
            &conn,
            &NewRow {
                profile_id: profile.id.clone(),
                home: o.schac_home.clone(),
                association_id: None,
                person_id: Some(person_id.to_string()),
                person_name: req.person_name.clone(),
                person_email: req.person_email.clone(),
                offering_id,
                offering_code,
                offering_name,
                offering_start,
                offering_end,
                role: body["role"].as_str().map(str::to_string),
                remote_state: Some(remote_state.to_string()),
                offering_result_type: body["offering"].get("resultValueType").and_then(Value::as_str).map(str::to_string),
                status: "sending",
            },
            &at,
        )?;
        ledger::add_event(
            &conn,
            id,
            &at,
            &Event {
                who: "host",
                field: "created",
                from: None,
                to: Some(remote_state),
                message: Some("sent to the home institution"),
                request_id: None,
            },
        )?;
        id
    };
    let outcome = home::create(cw, &profile, person_id, body, cancel).await;
    let conn_fail = |status: &str, e: &Error| ledger::set_status(&cw.store.conn(), id, status, Some(&e.to_string()));
    let x = match outcome {
        Ok(x) => x,
        Err(e @ (Error::SecretMissing { .. } | Error::Keyring(_) | Error::TokenRefused { .. } | Error::Invalid(_))) => {
            // Nothing reached the home side.
            conn_fail("error", &e)?;
            return Err(e);
        }
        Err(e) => {
            conn_fail("unknown", &e)?;
            cw.activity.record(NewActivity::error("enrollments.create", &profile.name, format!("{person_id}: outcome unknown ({e})")));
            return Err(Error::Remote {
                service: home::service(&profile),
                status: 0,
                diagnosis: format!("{e} The association may or may not exist at the home side now; it is in the ledger as \"unknown — check\". Do not send it again before you know."),
            });
        }
    };
    ledger::set_exchange(&cw.store.conn(), id, &x.request, &x.answer_text())?;
    let status = x.answer.status;
    if !x.answer.is_success() {
        let mut e = home::explain(&profile, &x.answer, &format!("this student or offering (personId {person_id})"));
        if status >= 500 {
            // The home side may have created it before failing (SURF's receiver even re-sends).
            conn_fail("unknown", &e)?;
            e = Error::Remote {
                service: home::service(&profile),
                status,
                diagnosis: format!("{e} The association may or may not exist at the home side now; it is in the ledger as \"unknown — check\". Do not send it again before you know."),
            };
        } else {
            conn_fail("error", &e)?;
        }
        cw.activity.record(NewActivity::error("enrollments.create", &profile.name, format!("{person_id}: {e}")));
        return Err(e);
    }
    let v = x.answer.value();
    let Some(association_id) = v.get("associationId").and_then(Value::as_str).map(str::to_string) else {
        let e = Error::BadAnswer { service: home::service(&profile), reason: format!("the answer ({status}) has no associationId") };
        conn_fail("unknown", &e)?;
        return Err(e);
    };
    let mut warnings = Vec::new();
    if status != 201 {
        warnings
            .push(format!("the home side answered {status} instead of 201 Created; an enrollment receiver drops the id of such answers"));
    }
    if !is_uuid(&association_id) {
        warnings.push(format!("the association id \"{association_id}\" is not a UUID as OOAPI v5 requires"));
    }
    let warning = (!warnings.is_empty()).then(|| format!("Interoperability: {}.", warnings.join("; ")));
    ledger::set_created(&cw.store.conn(), id, &association_id, warning.as_deref())?;
    // The next student of this offering starts from what the home side just accepted.
    if let Err(e) = templates::remember(&cw.store.conn(), &profile.id, &req.offering, &now(cw)) {
        tracing::warn!("the offering template was not remembered: {e}");
    }
    let a = ledger::get(&cw.store.conn(), id)?.ok_or_else(|| Error::Database("the new association vanished".into()))?;
    apply(cw, &a, &v, "host", request_id(&x.answer).as_deref())?;
    let message = home::messages(&v);
    cw.activity.record(NewActivity::ok("enrollments.create", &profile.name, format!("{person_id}: association {association_id}")));
    Ok(CreateOutcome { association: find(cw, &id.to_string())?, message })
}

/// Changes our side's `remoteState` (associated, denied, canceled) with a merge-patch.
pub async fn set_remote_state(
    cw: &Crosswalk,
    id: &str,
    new_state: &str,
    cancel: &CancellationToken,
) -> Result<(AssociationDetail, Option<String>)> {
    let a = find(cw, id)?;
    let Some(wanted) = state::for_v5(new_state).filter(|s| state::HOST_CHANGES.contains(s)) else {
        return Err(Error::Invalid(format!("Our side can move an association to associated, denied or canceled, not \"{new_state}\".")));
    };
    let association_id =
        a.association_id.clone().ok_or_else(|| Error::Invalid("This association has no id yet, so it cannot be changed.".into()))?;
    let profile = cw.profile(&a.profile_id)?;
    let x =
        home::patch(cw, &profile, &association_id, a.person_id.as_deref(), serde_json::json!({ "remoteState": wanted }), cancel).await?;
    ledger::set_exchange(&cw.store.conn(), a.id, &x.request, &x.answer_text())?;
    if !x.answer.is_success() {
        let e = home::explain(&profile, &x.answer, &format!("association {association_id}"));
        cw.activity.record(NewActivity::error("enrollments.set_state", &profile.name, format!("{association_id} → {wanted}: {e}")));
        return Err(e);
    }
    let v = x.answer.value();
    let message = home::messages(&v);
    let at = now(cw);
    {
        let conn = cw.store.conn();
        if let Some(before) = ledger::set_field(&conn, a.id, Field::RemoteState, Some(wanted), &at)? {
            ledger::add_event(
                &conn,
                a.id,
                &at,
                &Event {
                    who: "host",
                    field: "remoteState",
                    from: before.as_deref(),
                    to: Some(wanted),
                    message: message.as_deref(),
                    request_id: request_id(&x.answer).as_deref(),
                },
            )?;
        }
    }
    // The PATCH answer carries the home state too.
    apply(cw, &a, &serde_json::json!({ "state": v.get("state"), "message": v.get("message") }), "host", None)?;
    cw.activity.record(NewActivity::ok("enrollments.set_state", &profile.name, format!("{association_id} → {wanted}")));
    Ok((detail(cw, &a.id.to_string())?, message))
}

/// An association Crosswalk is told about (not created by it).
#[derive(Debug, Clone, Default)]
pub struct KnownAssociation {
    pub association_id: String,
    pub person_id: Option<String>,
    /// The student's name and email, when the source gives them (the home side's answer fills
    /// them in at the first check otherwise).
    pub person_name: Option<String>,
    pub person_email: Option<String>,
    /// Since when it exists, when known (an RFC 3339 time or a date): its age counts from then.
    pub since: Option<String>,
}

/// Adds associations created elsewhere (the SIS, the broker) to the ledger; known ids are left as
/// they are. Their state is read at the next poll.
pub fn add_known(cw: &Crosswalk, profile_id: &str, items: &[KnownAssociation], source: &str) -> Result<AssociationImport> {
    let profile = cw.profile(profile_id)?;
    let o = home::settings(&profile)?.clone();
    let at = now(cw);
    let (mut added, mut known) = (0, 0);
    let mut conn = cw.store.conn();
    let tx = conn.transaction()?;
    for item in items {
        let aid = item.association_id.trim();
        if aid.is_empty() {
            continue;
        }
        if ledger::find(&tx, &profile.id, aid)?.is_some() {
            known += 1;
            continue;
        }
        let since = item
            .since
            .as_deref()
            .and_then(|s| {
                DateTime::parse_from_rfc3339(s.trim()).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
                    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
                })
            })
            .map_or_else(|| at.clone(), stamp);
        let id = ledger::insert(
            &tx,
            &NewRow {
                profile_id: profile.id.clone(),
                home: o.schac_home.clone(),
                association_id: Some(aid.to_string()),
                person_id: item.person_id.clone().filter(|p| !p.trim().is_empty()),
                person_name: item.person_name.clone().filter(|p| !p.trim().is_empty()),
                person_email: item.person_email.clone().filter(|p| !p.trim().is_empty()),
                status: "ok",
                ..Default::default()
            },
            &since,
        )?;
        ledger::add_event(
            &tx,
            id,
            &at,
            &Event {
                who: "crosswalk",
                field: "imported",
                from: None,
                to: Some(aid),
                message: Some(&format!("from {source}")),
                request_id: None,
            },
        )?;
        added += 1;
    }
    tx.commit()?;
    drop(conn);
    cw.activity.record(NewActivity::ok("enrollments.import", &profile.name, format!("{added} added, {known} already known ({source})")));
    Ok(AssociationImport { added, already_known: known, file: source.to_string() })
}

/// Adds association ids from a CSV or XLSX file: the column `associationId` (else the first),
/// and, when present, `personId`, `name`, `email` and `since` (when it was created: its age counts from then).
pub fn import(cw: &Crosswalk, profile_id: &str, path: &std::path::Path) -> Result<AssociationImport> {
    let rows = crate::id_file::rows(path)?;
    let header: Vec<String> = rows.first().map(|r| r.iter().map(|h| h.trim().to_ascii_lowercase()).collect()).unwrap_or_default();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let id_col = col(&["associationid", "association_id", "association id"]);
    let person_col = col(&["personid", "person_id"]);
    let name_col = col(&["name", "displayname", "student"]);
    let email_col = col(&["email", "mail"]);
    let since_col = col(&["since", "created", "first_seen"]);
    let has_header = id_col.is_some() || header.first().is_some_and(|h| h == "id");
    let id_col = id_col.unwrap_or(0);
    let cell = |r: &Vec<String>, c: Option<usize>| c.and_then(|c| r.get(c)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let items: Vec<KnownAssociation> = rows
        .iter()
        .skip(usize::from(has_header))
        .filter_map(|r| {
            Some(KnownAssociation {
                association_id: cell(r, Some(id_col))?,
                person_id: cell(r, person_col),
                person_name: cell(r, name_col),
                person_email: cell(r, email_col),
                since: cell(r, since_col),
            })
        })
        .collect();
    if items.is_empty() {
        return Err(Error::Invalid(format!(
            "{} holds no association id. Put them in a column named associationId (one per row).",
            path.display()
        )));
    }
    add_known(cw, profile_id, &items, &path.display().to_string())
}

/// The export's columns.
pub const EXPORT_HEADER: [&str; 16] = [
    "ledger_id",
    "connection",
    "home",
    "association_id",
    "person_id",
    "person_name",
    "person_email",
    "offering_code",
    "offering_name",
    "state",
    "remote_state",
    "status",
    "stuck",
    "first_seen",
    "last_checked",
    "last_error",
];

/// The ledger as rows of text for CSV/XLSX.
pub fn export_rows(cw: &Crosswalk, q: &AssociationQuery) -> Result<Vec<Vec<String>>> {
    let names: std::collections::HashMap<String, String> = cw.profiles()?.into_iter().map(|p| (p.id, p.name)).collect();
    Ok(list(cw, q)?
        .rows
        .into_iter()
        .map(|a| {
            let o = |v: Option<String>| v.unwrap_or_default();
            vec![
                a.id.to_string(),
                names.get(&a.profile_id).cloned().unwrap_or(a.profile_id),
                a.home,
                o(a.association_id),
                o(a.person_id),
                o(a.person_name),
                o(a.person_email),
                o(a.offering_code),
                o(a.offering_name),
                o(a.state),
                o(a.remote_state),
                a.status,
                a.stuck.to_string(),
                a.first_seen,
                o(a.last_checked),
                o(a.last_error),
            ]
        })
        .collect())
}

/// Writes the ledger to `path` (`.xlsx` or CSV by extension); returns the rows written.
pub fn export(cw: &Crosswalk, q: &AssociationQuery, path: &std::path::Path) -> Result<usize> {
    let rows = export_rows(cw, q)?;
    let xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        crate::id_file::write_xlsx(path, &EXPORT_HEADER, &rows)?;
    } else {
        crate::id_file::write_csv(path, &EXPORT_HEADER, &rows, false)?;
    }
    cw.remember_file(path);
    Ok(rows.len())
}
