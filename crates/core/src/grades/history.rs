//! Every reconciliation is kept: file, checksum, connection, provider, counts, and the last export.

use chrono::SecondsFormat;
use rusqlite::{params, OptionalExtension};

use super::{ExportOptions, ExportResult, ReconcileRequest, Reconciliation, ReconciliationRecord, ReportKind, StatusCounts, Template};
use crate::{Crosswalk, Error, Result};

/// Saves a reconciliation (a new row, or the reopened one updated); returns its id.
pub(super) fn save(cw: &Crosswalk, r: &Reconciliation, existing: Option<i64>) -> Result<i64> {
    let request = serde_json::to_string(&r.request).map_err(|e| Error::Database(e.to_string()))?;
    let c = r.counts;
    let conn = cw.store.conn();
    match existing {
        Some(id) => {
            conn.execute(
                "UPDATE grade_reconciliations SET created_at = ?2, checksum = ?3, size_bytes = ?4, kind = ?5, rows = ?6, matched = ?7,
                 not_linked = ?8, ambiguous = ?9, unenrolled = ?10, problems = ?11, not_checked = ?12 WHERE id = ?1",
                params![
                    id,
                    r.created_at,
                    r.checksum,
                    r.file.size_bytes as i64,
                    r.file.kind.as_str(),
                    c.rows as i64,
                    c.matched as i64,
                    c.not_linked as i64,
                    c.ambiguous as i64,
                    c.unenrolled as i64,
                    c.problems as i64,
                    c.not_checked as i64
                ],
            )?;
            Ok(id)
        }
        None => {
            conn.execute(
                "INSERT INTO grade_reconciliations (created_at, file_name, file_path, checksum, size_bytes, kind, profile_id, provider_id,
                 request, rows, matched, not_linked, ambiguous, unenrolled, problems, not_checked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    r.created_at,
                    r.file.file_name,
                    r.file.path,
                    r.checksum,
                    r.file.size_bytes as i64,
                    r.file.kind.as_str(),
                    r.request.profile_id,
                    r.request.provider_id,
                    request,
                    c.rows as i64,
                    c.matched as i64,
                    c.not_linked as i64,
                    c.ambiguous as i64,
                    c.unenrolled as i64,
                    c.problems as i64,
                    c.not_checked as i64
                ],
            )?;
            Ok(conn.last_insert_rowid())
        }
    }
}

pub(super) fn request_of(cw: &Crosswalk, id: i64) -> Result<ReconcileRequest> {
    let json: Option<String> =
        cw.store.conn().query_row("SELECT request FROM grade_reconciliations WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let json = json.ok_or_else(|| Error::NotFound(format!("reconciliation {id}")))?;
    serde_json::from_str(&json).map_err(|e| Error::Database(format!("reconciliation {id} could not be read ({e})")))
}

pub(super) fn exported(cw: &Crosswalk, id: i64, opts: &ExportOptions, r: &ExportResult) -> Result<()> {
    let options = serde_json::to_string(opts).map_err(|e| Error::Database(e.to_string()))?;
    let at = cw.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
    cw.store.conn().execute(
        "UPDATE grade_reconciliations SET template = ?2, options = ?3, export_path = ?4, errors_path = ?5, exported_at = ?6 WHERE id = ?1",
        params![id, opts.template.as_str(), options, r.out_path, r.errors_path, at],
    )?;
    Ok(())
}

const COLUMNS: &str = "id, created_at, file_name, file_path, checksum, kind, profile_id, provider_id, rows, matched, not_linked,
    ambiguous, unenrolled, problems, template, export_path, errors_path, exported_at, not_checked";

fn to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReconciliationRecord> {
    let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
    Ok(ReconciliationRecord {
        id: r.get(0)?,
        created_at: r.get(1)?,
        file_name: r.get(2)?,
        file_path: r.get(3)?,
        checksum: r.get(4)?,
        kind: ReportKind::parse(&r.get::<_, String>(5)?),
        profile_id: r.get(6)?,
        provider_id: r.get(7)?,
        counts: StatusCounts {
            rows: n(8)?,
            matched: n(9)?,
            not_linked: n(10)?,
            not_checked: n(18)?,
            ambiguous: n(11)?,
            unenrolled: n(12)?,
            problems: n(13)?,
        },
        template: r.get::<_, Option<String>>(14)?.as_deref().and_then(Template::parse),
        export_path: r.get(15)?,
        errors_path: r.get(16)?,
        exported_at: r.get(17)?,
    })
}

/// The newest reconciliations first.
pub fn history(cw: &Crosswalk, limit: u32) -> Result<Vec<ReconciliationRecord>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM grade_reconciliations ORDER BY id DESC LIMIT ?1"))?;
    let rows = stmt.query_map([limit], to_record)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One saved reconciliation.
pub fn record(cw: &Crosswalk, id: i64) -> Result<ReconciliationRecord> {
    cw.store
        .conn()
        .query_row(&format!("SELECT {COLUMNS} FROM grade_reconciliations WHERE id = ?1"), [id], to_record)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("reconciliation {id}")))
}

/// The export options last used for a reconciliation, if it was exported.
pub fn last_options(cw: &Crosswalk, id: i64) -> Result<Option<ExportOptions>> {
    let json: Option<Option<String>> =
        cw.store.conn().query_row("SELECT options FROM grade_reconciliations WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(json.flatten().and_then(|j| serde_json::from_str(&j).ok()))
}

/// Whether `path` is a report, upload or error file of a kept reconciliation.
pub(super) fn knows_file(cw: &Crosswalk, path: &str) -> Result<bool> {
    Ok(cw.store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM grade_reconciliations WHERE file_path = ?1 OR export_path = ?1 OR errors_path = ?1)",
        [path],
        |r| r.get(0),
    )?)
}
