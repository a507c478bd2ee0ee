//! Matching a report's usernames to remote ids: the provider mirror first, then live lookups for
//! the usernames the mirror does not know.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::SecondsFormat;
use tokio_util::sync::CancellationToken;

use super::read::{inspect, Row, RowStream};
use super::{ColumnMap, GradeRow, GradeRowPage, ReconcileProgress, ReconcileRequest, Reconciliation, RowProblem, RowStatus, StatusCounts};
use crate::activity::NewActivity;
use crate::lookup::{self, LookupMode, LookupRequest};
use crate::{mirror, Crosswalk, Error, Result};

/// How far the live lookups got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    /// Not asked (mirror only).
    Off,
    /// Every missing username was asked.
    Complete,
    /// Some chunks failed or were cancelled.
    Partial,
}

/// Everything needed to evaluate a row again (for paging and export) without keeping the rows.
pub(crate) struct Matcher {
    pub provider_id: String,
    pub columns: Columns,
    mirror: HashMap<String, Vec<String>>,
    live: HashMap<String, Vec<String>>,
    live_state: Live,
    /// Usernames the live lookup could not check, with why.
    unchecked: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    pub username: usize,
    pub student_id: Option<usize>,
    pub email: Option<usize>,
    pub grade: Option<usize>,
    pub enrollment_status: Option<usize>,
}

impl Columns {
    fn from_map(m: &ColumnMap, width: usize) -> Result<Self> {
        let check = |c: Option<u32>, what: &str| -> Result<Option<usize>> {
            match c {
                Some(i) if i as usize >= width => {
                    Err(Error::Invalid(format!("The {what} column ({}) is not in the file, which has {width} columns.", i + 1)))
                }
                other => Ok(other.map(|i| i as usize)),
            }
        };
        let username = check(m.username, "username")?.ok_or_else(|| {
            Error::Invalid("Choose the column that holds the Open edX usernames: Crosswalk matches learners by username.".into())
        })?;
        Ok(Self {
            username,
            student_id: check(m.student_id, "student id")?,
            email: check(m.email, "email")?,
            grade: check(m.grade, "grade")?,
            enrollment_status: check(m.enrollment_status, "enrollment status")?,
        })
    }
}

fn field(fields: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| fields.get(i)).map(|s| s.trim()).unwrap_or_default()
}

impl Matcher {
    fn ids(&self, username: &str) -> Option<&Vec<String>> {
        self.mirror.get(username).or_else(|| self.live.get(username))
    }

    /// A problem line as a row (it goes to the error file).
    pub fn problem(p: RowProblem) -> GradeRow {
        GradeRow {
            line: p.line,
            student_id: String::new(),
            username: String::new(),
            email: String::new(),
            grade: String::new(),
            remote_id: None,
            candidates: Vec::new(),
            status: RowStatus::Problem,
            message: format!("Line {} {}", p.line, p.message),
        }
    }

    pub fn evaluate(&self, row: &Row) -> GradeRow {
        let c = self.columns;
        let f = &row.fields;
        let username = field(f, Some(c.username)).to_string();
        let mut out = GradeRow {
            line: row.line,
            student_id: field(f, c.student_id).to_string(),
            email: field(f, c.email).to_string(),
            grade: field(f, c.grade).to_string(),
            username,
            remote_id: None,
            candidates: Vec::new(),
            status: RowStatus::Matched,
            message: String::new(),
        };
        if out.username.is_empty() {
            out.status = RowStatus::Problem;
            out.message = format!("Line {} has no username", row.line);
            return out;
        }
        let ids = self.ids(&out.username);
        match ids.map(Vec::as_slice) {
            Some([one]) => out.remote_id = Some(one.clone()),
            Some(many @ [_, _, ..]) => out.candidates = many.to_vec(),
            _ => {}
        }
        let unenrolled = field(f, c.enrollment_status).eq_ignore_ascii_case("unenrolled");
        let p = &self.provider_id;
        (out.status, out.message) = if unenrolled {
            (RowStatus::Unenrolled, "The learner has unenrolled from the course".into())
        } else if out.remote_id.is_some() {
            (RowStatus::Matched, String::new())
        } else if !out.candidates.is_empty() {
            (
                RowStatus::Ambiguous,
                format!(
                    "Linked to {} remote ids on {p} ({}); ask the LMS operator which link is right, or pick another provider",
                    out.candidates.len(),
                    out.candidates.join(", ")
                ),
            )
        } else if let Some(reason) = self.unchecked.get(&out.username) {
            (
                RowStatus::NotChecked,
                format!("Not in the {p} mirror, and Open edX could not be asked about it ({reason}); match again to check it"),
            )
        } else {
            let why = match self.live_state {
                // Under `Partial`, every username whose chunk failed is in `unchecked`: the rest were answered.
                Live::Complete | Live::Partial => {
                    format!("Not linked to {p}: the learner has not signed in through it, or the link was removed")
                }
                Live::Off => format!("Not in the {p} mirror (live lookup was off); sync the provider or reconcile with live lookup"),
            };
            (RowStatus::NotLinked, why)
        };
        out
    }
}

/// One reconciliation held in memory so its rows can be paged and exported.
pub(crate) struct Session {
    pub summary: Reconciliation,
    pub matcher: Matcher,
}

/// The reconciliations opened in this process (the last few; history reopens older ones).
#[derive(Default)]
pub struct Sessions(Mutex<VecDeque<Arc<Session>>>);

impl Sessions {
    const KEEP: usize = 6;

    fn put(&self, s: Arc<Session>) {
        let mut q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        q.retain(|o| o.summary.id != s.summary.id);
        q.push_front(s);
        q.truncate(Self::KEEP);
    }

    pub(crate) fn get(&self, id: i64) -> Result<Arc<Session>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|s| s.summary.id == id).cloned().ok_or_else(|| {
            Error::Invalid(format!("Reconciliation {id} is not open. Reopen it from History (Crosswalk checks the file again)."))
        })
    }
}

/// Reads the report, matches every row and saves the result in History. Nothing is exported yet.
pub async fn reconcile(
    cw: &Crosswalk,
    req: &ReconcileRequest,
    progress: impl Fn(ReconcileProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<Reconciliation> {
    run(cw, req, None, progress, cancel).await
}

/// Opens a saved reconciliation again: reads its file again (saying so if it changed) and matches
/// it against today's mirror.
pub async fn reopen(
    cw: &Crosswalk,
    id: i64,
    progress: impl Fn(ReconcileProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<Reconciliation> {
    let req = super::history::request_of(cw, id)?;
    run(cw, &req, Some(id), progress, cancel).await
}

async fn run(
    cw: &Crosswalk,
    req: &ReconcileRequest,
    existing: Option<i64>,
    progress: impl Fn(ReconcileProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<Reconciliation> {
    let profile = cw.profile(&req.profile_id)?;
    profile.openedx()?;
    if req.provider_id.trim().is_empty() {
        return Err(Error::Invalid("Choose the provider whose remote ids the receiving system knows.".into()));
    }
    let path = Path::new(&req.path);
    let file = inspect(path)?;
    let mirror_map = mirror::links_by_username(cw, &req.profile_id, &req.provider_id)?;
    let mirror_synced_at = mirror::last_sync(cw, &req.profile_id, &req.provider_id)?.and_then(|s| s.finished_at);

    // Pass 1: read every row; count what the mirror settles; remember the usernames it does not.
    let progress = Arc::new(progress);
    let first = {
        let (path, columns, cancel, progress) = (path.to_path_buf(), req.columns.clone(), cancel.clone(), Arc::clone(&progress));
        tokio::task::spawn_blocking(move || first_pass(&path, &columns, mirror_map, &*progress, &cancel))
            .await
            .map_err(|e| Error::Database(format!("reading the report failed ({e})")))??
    };
    let FirstPass { mut counts, problems, missing, checksum, columns, mirror: mirror_map } = first;

    // Live: the missing usernames, in chunks of 50, with progress and cancel.
    let mut live: HashMap<String, Vec<String>> = HashMap::new();
    let mut live_errors = Vec::new();
    let mut unchecked: HashMap<String, String> = HashMap::new();
    let mut cancelled = false;
    let live_state = if !req.live || missing.is_empty() {
        if req.live {
            Live::Complete
        } else {
            Live::Off
        }
    } else {
        let ids: Vec<String> = missing.keys().cloned().collect();
        let total = ids.len() as u32;
        let lreq = LookupRequest {
            profile_id: req.profile_id.clone(),
            providers: vec![req.provider_id.clone()],
            ids,
            mode: LookupMode::Username,
            chunk_size: None,
            concurrency: None,
        };
        let p = Arc::clone(&progress);
        let result = lookup::live(
            cw,
            &lreq,
            move |lp| {
                p(ReconcileProgress {
                    phase: "looking_up".into(),
                    rows_read: counts.rows,
                    ids_done: lp.done_ids,
                    ids_total: total,
                    eta_ms: lp.eta_ms,
                })
            },
            cancel,
        )
        .await?;
        for row in result.rows {
            if !row.username.is_empty() {
                live.entry(row.username).or_default().push(row.remote_id);
            }
        }
        for v in live.values_mut() {
            v.sort();
            v.dedup();
        }
        live_errors = result.errors;
        cancelled = result.cancelled;
        for n in result.not_checked {
            for id in n.ids {
                if !live.contains_key(&id) {
                    unchecked.entry(id).or_insert_with(|| n.reason.clone());
                }
            }
        }
        if cancelled || !live_errors.is_empty() {
            Live::Partial
        } else {
            Live::Complete
        }
    };
    for (username, rows) in &missing {
        match live.get(username).map(Vec::len) {
            Some(1) => counts.matched += u64::from(*rows),
            Some(n) if n > 1 => counts.ambiguous += u64::from(*rows),
            _ if unchecked.contains_key(username) => counts.not_checked += u64::from(*rows),
            _ => counts.not_linked += u64::from(*rows),
        }
    }

    let created_at = cw.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut summary = Reconciliation {
        id: 0,
        file,
        request: req.clone(),
        checksum,
        counts,
        problems,
        live_looked_up: if req.live { missing.len() as u32 } else { 0 },
        live_errors,
        cancelled,
        mirror_synced_at,
        created_at,
    };
    summary.id = super::history::save(cw, &summary, existing)?;
    let c = summary.counts;
    cw.activity.record(NewActivity::ok(
        if existing.is_some() { "Reopened grade reconciliation" } else { "Reconciled grades" },
        &summary.file.file_name,
        format!(
            "{} rows on {}: {} matched, {} not linked, {} not checked, {} ambiguous, {} unenrolled, {} problems",
            c.rows, req.provider_id, c.matched, c.not_linked, c.not_checked, c.ambiguous, c.unenrolled, c.problems
        ),
    ));
    let matcher = Matcher { provider_id: req.provider_id.clone(), columns, mirror: mirror_map, live, live_state, unchecked };
    cw.grades.put(Arc::new(Session { summary: summary.clone(), matcher }));
    Ok(summary)
}

struct FirstPass {
    counts: StatusCounts,
    problems: Vec<RowProblem>,
    /// Usernames the mirror does not know → how many matchable rows carry them.
    missing: HashMap<String, u32>,
    checksum: String,
    columns: Columns,
    mirror: HashMap<String, Vec<String>>,
}

/// At most this many problems travel in the summary; all of them go to the error file.
const PROBLEMS_SHOWN: usize = 200;

fn first_pass(
    path: &Path,
    map: &ColumnMap,
    mirror: HashMap<String, Vec<String>>,
    progress: &(dyn Fn(ReconcileProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<FirstPass> {
    let mut stream = RowStream::open(path)?;
    let columns = Columns::from_map(map, stream.headers.len())?;
    let mut counts = StatusCounts::default();
    let mut problems = Vec::new();
    let mut missing: HashMap<String, u32> = HashMap::new();
    let mut note = |counts: &mut StatusCounts, p: RowProblem| {
        counts.problems += 1;
        if problems.len() < PROBLEMS_SHOWN {
            problems.push(p);
        }
    };
    while let Some(next) = stream.next_row() {
        counts.rows += 1;
        if counts.rows % 20_000 == 0 {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            progress(ReconcileProgress { phase: "reading".into(), rows_read: counts.rows, ids_done: 0, ids_total: 0, eta_ms: None });
        }
        let row = match next {
            Ok(r) => r,
            Err(p) => {
                note(&mut counts, p);
                continue;
            }
        };
        let username = field(&row.fields, Some(columns.username));
        if username.is_empty() {
            note(&mut counts, RowProblem { line: row.line, message: "has no username".into() });
            continue;
        }
        let unenrolled = field(&row.fields, columns.enrollment_status).eq_ignore_ascii_case("unenrolled");
        match mirror.get(username).map(Vec::len) {
            None => {
                // Unenrolled rows are looked up too (an export may include them) but counted as unenrolled.
                let n = missing.entry(username.to_string()).or_default();
                if unenrolled {
                    counts.unenrolled += 1;
                } else {
                    *n += 1;
                }
            }
            Some(_) if unenrolled => counts.unenrolled += 1,
            Some(1) => counts.matched += 1,
            Some(_) => counts.ambiguous += 1,
        }
    }
    let checksum = stream.checksum();
    Ok(FirstPass { counts, problems, missing, checksum, columns, mirror })
}

/// Rows of an open reconciliation, filtered by status, a page at a time (the file is read again;
/// nothing but the matches is kept in memory).
pub fn rows(cw: &Crosswalk, id: i64, status: Option<RowStatus>, offset: u64, limit: u32) -> Result<GradeRowPage> {
    let session = cw.grades.get(id)?;
    let mut stream = RowStream::open(Path::new(&session.summary.file.path))?;
    let mut page = Vec::new();
    let mut total = 0u64;
    while let Some(next) = stream.next_row() {
        let row = match next {
            Ok(r) => session.matcher.evaluate(&r),
            Err(p) => Matcher::problem(p),
        };
        if status.is_some_and(|s| s != row.status) {
            continue;
        }
        if total >= offset && page.len() < limit as usize {
            page.push(row);
        }
        total += 1;
    }
    Ok(GradeRowPage { rows: page, total })
}
