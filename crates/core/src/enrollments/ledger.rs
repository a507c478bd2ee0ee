//! The enrollment ledger's tables (`associations`, `association_events`): this module owns them and
//! every SQL statement on them.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::{Association, AssociationEvent};
use crate::Result;

const COLUMNS: &str = "id, profile_id, home, association_id, person_id, person_name, person_email, offering_id, offering_code,
    offering_name, offering_start, offering_end, role, state, remote_state, result, status, warning, first_seen, state_since,
    last_checked, next_check, last_error, offering_result_type";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Association> {
    let result: Option<String> = r.get(15)?;
    Ok(Association {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        home: r.get(2)?,
        association_id: r.get(3)?,
        person_id: r.get(4)?,
        person_name: r.get(5)?,
        person_email: r.get(6)?,
        offering_id: r.get(7)?,
        offering_code: r.get(8)?,
        offering_name: r.get(9)?,
        offering_start: r.get(10)?,
        offering_end: r.get(11)?,
        role: r.get(12)?,
        state: r.get(13)?,
        remote_state: r.get(14)?,
        result: result.and_then(|s| serde_json::from_str(&s).ok()),
        status: r.get(16)?,
        warning: r.get(17)?,
        first_seen: r.get(18)?,
        state_since: r.get(19)?,
        last_checked: r.get(20)?,
        next_check: r.get(21)?,
        last_error: r.get(22)?,
        offering_result_type: r.get(23)?,
        stuck: false,
    })
}

/// What Crosswalk knows of an association before it is created or first read.
#[derive(Debug, Clone, Default)]
pub struct NewRow {
    pub profile_id: String,
    pub home: String,
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
    pub remote_state: Option<String>,
    /// The offering's `resultValueType`, when the body or the answer gave it.
    pub offering_result_type: Option<String>,
    pub status: &'static str,
}

pub fn insert(conn: &Connection, n: &NewRow, now: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO associations (profile_id, home, association_id, person_id, person_name, person_email, offering_id, offering_code,
             offering_name, offering_start, offering_end, role, remote_state, status, first_seen, state_since, next_check,
             offering_result_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?15, ?16)",
        params![
            n.profile_id,
            n.home,
            n.association_id,
            n.person_id,
            n.person_name,
            n.person_email,
            n.offering_id,
            n.offering_code,
            n.offering_name,
            n.offering_start,
            n.offering_end,
            n.role,
            n.remote_state,
            n.status,
            now,
            n.offering_result_type
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Association>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM associations WHERE id = ?1"), [id], row).optional()?)
}

pub fn find(conn: &Connection, profile_id: &str, association_id: &str) -> Result<Option<Association>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM associations WHERE profile_id = ?1 AND association_id = ?2"),
            [profile_id, association_id],
            row,
        )
        .optional()?)
}

/// Finds by ledger id, or by association id (in any connection).
pub fn find_any(conn: &Connection, id_or_association: &str) -> Result<Option<Association>> {
    if let Ok(id) = id_or_association.parse::<i64>() {
        if let Some(a) = get(conn, id)? {
            return Ok(Some(a));
        }
    }
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM associations WHERE association_id = ?1 LIMIT 1"), [id_or_association], row)
        .optional()?)
}

/// Every association (of one connection, or all), newest first.
pub fn all(conn: &Connection, profile_id: Option<&str>) -> Result<Vec<Association>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM associations WHERE (?1 IS NULL OR profile_id = ?1) ORDER BY id DESC"))?;
    let rows = stmt.query_map([profile_id], row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `(ledger id, association id)` of every association to ask about now: pending, queued or never
/// read (every poll), and associated ones whose next check is due (the home side may still
/// cancel them, so they are read again daily). Denied and canceled ones are final.
pub fn pollable(conn: &Connection, profile_id: &str, now: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, association_id FROM associations
         WHERE profile_id = ?1 AND association_id IS NOT NULL AND status IN ('ok', 'error')
           AND (state IS NULL OR state IN ('pending', 'queued')
                OR (state IN ('associated', 'finished') AND (next_check IS NULL OR next_check <= ?2)))
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![profile_id, now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn events(conn: &Connection, id: i64) -> Result<Vec<AssociationEvent>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, who, field, from_value, to_value, message, request_id FROM association_events WHERE association = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(AssociationEvent {
            id: r.get(0)?,
            at: r.get(1)?,
            who: r.get(2)?,
            field: r.get(3)?,
            from_value: r.get(4)?,
            to_value: r.get(5)?,
            message: r.get(6)?,
            request_id: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One timeline entry.
pub struct Event<'a> {
    pub who: &'a str,
    pub field: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub message: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

pub fn add_event(conn: &Connection, id: i64, at: &str, e: &Event<'_>) -> Result<()> {
    conn.execute(
        "INSERT INTO association_events (association, at, who, field, from_value, to_value, message, request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, at, e.who, e.field, e.from, e.to, e.message, e.request_id],
    )?;
    Ok(())
}

/// The last request and answer (no headers: never a token).
pub fn set_exchange(conn: &Connection, id: i64, request: &str, answer: &str) -> Result<()> {
    conn.execute("UPDATE associations SET last_request = ?2, last_answer = ?3 WHERE id = ?1", params![id, request, answer])?;
    Ok(())
}

pub fn exchange(conn: &Connection, id: i64) -> Result<(Option<String>, Option<String>)> {
    Ok(conn.query_row("SELECT last_request, last_answer FROM associations WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub fn set_status(conn: &Connection, id: i64, status: &str, error: Option<&str>) -> Result<()> {
    conn.execute("UPDATE associations SET status = ?2, last_error = ?3 WHERE id = ?1", params![id, status, error])?;
    Ok(())
}

pub fn set_checked(conn: &Connection, id: i64, at: &str, next: Option<&str>, error: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE associations SET last_checked = ?2, next_check = ?3, last_error = ?4,
             status = CASE WHEN ?4 IS NULL THEN 'ok' ELSE status END
         WHERE id = ?1",
        params![id, at, next, error],
    )?;
    Ok(())
}

pub fn set_created(conn: &Connection, id: i64, association_id: &str, warning: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE associations SET association_id = ?2, status = 'ok', warning = ?3, last_error = NULL WHERE id = ?1",
        params![id, association_id, warning],
    )?;
    Ok(())
}

/// Writes one field if it changed; returns the previous value when it did.
pub fn set_field(conn: &Connection, id: i64, field: Field, value: Option<&str>, at: &str) -> Result<Option<Option<String>>> {
    let column = field.column();
    let before: Option<String> = conn.query_row(&format!("SELECT {column} FROM associations WHERE id = ?1"), [id], |r| r.get(0))?;
    if before.as_deref() == value {
        return Ok(None);
    }
    conn.execute(&format!("UPDATE associations SET {column} = ?2 WHERE id = ?1"), params![id, value])?;
    // A state's age counts from its change; the first reading of an imported association keeps
    // the time it is known to exist since.
    if field == Field::State && before.is_some() {
        conn.execute("UPDATE associations SET state_since = ?2 WHERE id = ?1", params![id, at])?;
    }
    Ok(Some(before))
}

/// Fields kept from an answer, quietly (no timeline entry): who the person and offering are.
pub fn set_details(conn: &Connection, id: i64, d: &NewRow) -> Result<()> {
    conn.execute(
        "UPDATE associations SET person_id = coalesce(?2, person_id), person_name = coalesce(?3, person_name),
             person_email = coalesce(?4, person_email), offering_id = coalesce(?5, offering_id),
             offering_code = coalesce(?6, offering_code), offering_name = coalesce(?7, offering_name),
             offering_start = coalesce(?8, offering_start), offering_end = coalesce(?9, offering_end), role = coalesce(?10, role),
             offering_result_type = coalesce(?11, offering_result_type)
         WHERE id = ?1",
        params![
            id,
            d.person_id,
            d.person_name,
            d.person_email,
            d.offering_id,
            d.offering_code,
            d.offering_name,
            d.offering_start,
            d.offering_end,
            d.role,
            d.offering_result_type
        ],
    )?;
    Ok(())
}

/// The fields whose changes go to the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    State,
    RemoteState,
    Result,
}

impl Field {
    fn column(self) -> &'static str {
        match self {
            Field::State => "state",
            Field::RemoteState => "remote_state",
            Field::Result => "result",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::State => "state",
            Field::RemoteState => "remoteState",
            Field::Result => "result",
        }
    }
}

/// A result as kept: compact JSON with sorted keys, so equal results compare equal.
pub fn result_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The result settings last used for an offering (JSON), if any.
pub fn result_defaults(conn: &Connection, profile_id: &str, offering: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT settings FROM result_defaults WHERE profile_id = ?1 AND offering = ?2", [profile_id, offering], |r| r.get(0))
        .optional()?)
}

pub fn save_result_defaults(conn: &Connection, profile_id: &str, offering: &str, settings: &str, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO result_defaults (profile_id, offering, settings, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (profile_id, offering) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
        params![profile_id, offering, settings, at],
    )?;
    Ok(())
}

/// Records a result the home side accepted: the ledger's current result and a timeline entry.
pub fn record_result(conn: &Connection, id: i64, result: &Value, e: &Event<'_>, at: &str) -> Result<()> {
    conn.execute("UPDATE associations SET result = ?2 WHERE id = ?1", params![id, result_text(result)])?;
    add_event(conn, id, at, e)
}
