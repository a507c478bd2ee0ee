//! A roster: a CSV or XLSX of learners (external id, and optionally class, context, email, name)
//! to launch one by one. Only the list is read; no launch is made until a row's button is pressed.

use std::path::Path;

use super::{Roster, RosterRow};
use crate::grades::RowProblem;
use crate::{Error, Result};

const EXTERNAL: &[&str] = &["external_id", "external id", "external_institution_id", "student id", "student number", "remote_id", "id"];
const CLASS: &[&str] = &["class_id", "class id", "class"];
const CONTEXT: &[&str] = &["context_id", "context id", "context"];
const EMAIL: &[&str] = &["email", "email address", "e-mail"];
const NAME: &[&str] = &["full_name", "full name", "name"];

/// Reads a roster. The external id column is found by its header (`external_id`, `student id`,
/// …); a line without one is reported by number.
pub fn read(path: &Path) -> Result<Roster> {
    let mut stream = crate::grades::open_rows(path)?;
    let norm: Vec<String> = stream.headers().iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |names: &[&str]| names.iter().find_map(|n| norm.iter().position(|h| h == n));
    let external = find(EXTERNAL).ok_or_else(|| {
        Error::Invalid(format!(
            "{} has no external id column. Name the column \"external_id\" (or \"student id\"); optional columns: class_id, context_id, email, full_name.",
            path.display()
        ))
    })?;
    let (class, context, email, name) = (find(CLASS), find(CONTEXT), find(EMAIL), find(NAME));
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    while let Some(next) = stream.next_row() {
        let row = match next {
            Ok(r) => r,
            Err(p) => {
                problems.push(RowProblem { line: p.line, message: format!("Line {} {}", p.line, p.message) });
                continue;
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| row.fields.get(i)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        match get(Some(external)) {
            Some(external_id) => rows.push(RosterRow {
                line: row.line,
                external_id,
                class_id: get(class),
                context_id: get(context),
                email: get(email),
                full_name: get(name),
            }),
            None => problems.push(RowProblem { line: row.line, message: format!("Line {} has no external id", row.line) }),
        }
    }
    Ok(Roster { file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), rows, problems })
}
