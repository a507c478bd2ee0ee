//! Offering templates: for each offering a connection sends students to, the offering and issuer
//! JSON that a create's body is built from, so the next student starts from it instead of from an
//! example. A template is saved by hand (checked as a create would check it, nothing sent) or
//! remembered when a create succeeds. This module owns the `offering_templates` table.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::body;
use crate::crosswalk::Crosswalk;
use crate::{Error, Result};

/// One saved offering template.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfferingTemplate {
    pub profile_id: String,
    pub offering_id: String,
    pub code: Option<String>,
    pub name: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// `{"offering", "issuer", "role"?}` as [`body::post_body`] takes it.
    #[ts(type = "unknown")]
    pub template: Value,
    pub saved_at: String,
    /// When a create last used it (null: saved, never sent).
    pub last_used: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OfferingTemplate> {
    let text: String = r.get(6)?;
    Ok(OfferingTemplate {
        profile_id: r.get(0)?,
        offering_id: r.get(1)?,
        code: r.get(2)?,
        name: r.get(3)?,
        start_date: r.get(4)?,
        end_date: r.get(5)?,
        template: serde_json::from_str(&text).unwrap_or(Value::Null),
        saved_at: r.get(7)?,
        last_used: r.get(8)?,
    })
}

const COLUMNS: &str = "profile_id, offering_id, code, name, start_date, end_date, template, saved_at, last_used";

/// The offering of `template`, checked as a create checks it: the template as given, its
/// offering's id, and the fields shown in lists.
fn checked(template: &Value) -> Result<(Value, String, [Option<String>; 5])> {
    // The same local check a create runs, with the state every create may start with.
    let built = body::post_body(template, "associated")?;
    let fields = body::offering_fields(&built["offering"]);
    let id = fields[0].clone().filter(|id| !id.trim().is_empty()).ok_or_else(|| {
        Error::Invalid("The offering has no offeringId, so it cannot be saved as that offering's template. Add offering.offeringId.".into())
    })?;
    // Keep what the person wrote (an offering alone, or {offering, issuer, role}).
    Ok((template.clone(), id, fields))
}

fn upsert(conn: &Connection, profile_id: &str, template: &Value, at: &str, used: bool) -> Result<String> {
    let (template, id, [_, code, name, start, end]) = checked(template)?;
    conn.execute(
        "INSERT INTO offering_templates (profile_id, offering_id, code, name, start_date, end_date, template, saved_at, last_used)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CASE WHEN ?9 THEN ?8 END)
         ON CONFLICT (profile_id, offering_id) DO UPDATE SET code = ?3, name = ?4, start_date = ?5, end_date = ?6,
             template = ?7, saved_at = ?8, last_used = CASE WHEN ?9 THEN ?8 ELSE last_used END",
        params![profile_id, id, code, name, start, end, template.to_string(), at, used],
    )?;
    Ok(id)
}

fn get(conn: &Connection, profile_id: &str, offering_id: &str) -> Result<Option<OfferingTemplate>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM offering_templates WHERE profile_id = ?1 AND offering_id = ?2"),
            params![profile_id, offering_id],
            row,
        )
        .optional()?)
}

/// The saved templates of a connection, the most recently used first.
pub fn list(cw: &Crosswalk, profile_id: &str) -> Result<Vec<OfferingTemplate>> {
    let profile = cw.profile(profile_id)?;
    super::home::settings(&profile)?;
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM offering_templates WHERE profile_id = ?1
         ORDER BY coalesce(last_used, saved_at) DESC, code, offering_id"
    ))?;
    let rows = stmt.query_map(params![profile.id], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One saved template, or a clear "not saved".
pub fn find(cw: &Crosswalk, profile_id: &str, offering_id: &str) -> Result<OfferingTemplate> {
    let profile = cw.profile(profile_id)?;
    get(&cw.store.conn(), &profile.id, offering_id.trim())?.ok_or_else(|| {
        Error::NotFound(format!(
            "No template is saved for offering \"{}\" on \"{}\". `crosswalk enrollments templates list` shows the saved ones.",
            offering_id.trim(),
            profile.name
        ))
    })
}

/// Saves `template` as its offering's template (replacing an earlier one), after the same check a
/// create runs; nothing is sent.
pub fn save(cw: &Crosswalk, profile_id: &str, template: &Value) -> Result<OfferingTemplate> {
    let profile = cw.profile(profile_id)?;
    super::home::settings(&profile)?;
    let at = super::now(cw);
    let conn = cw.store.conn();
    let id = upsert(&conn, &profile.id, template, &at, false)?;
    get(&conn, &profile.id, &id)?.ok_or_else(|| Error::Database("the template just saved could not be read back".into()))
}

/// Remembers the template of a create that the home side accepted.
pub(super) fn remember(conn: &Connection, profile_id: &str, template: &Value, at: &str) -> Result<()> {
    upsert(conn, profile_id, template, at, true).map(|_| ())
}

/// Deletes a saved template.
pub fn delete(cw: &Crosswalk, profile_id: &str, offering_id: &str) -> Result<()> {
    let found = find(cw, profile_id, offering_id)?;
    cw.store.conn().execute(
        "DELETE FROM offering_templates WHERE profile_id = ?1 AND offering_id = ?2",
        params![found.profile_id, found.offering_id],
    )?;
    Ok(())
}
