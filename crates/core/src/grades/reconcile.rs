//! Matching a report's usernames to remote ids: the provider mirror first, then live lookups for
//! the usernames the mirror does not know.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::ScopedJoinHandle;

use chrono::SecondsFormat;
use tokio_util::sync::CancellationToken;

use super::links::{Ids, Links};
use super::read::{inspect, Fields, ReadAhead, RowRef, RowStream};
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
    mirror: Links,
    live: HashMap<String, Vec<String>>,
    live_state: Live,
    /// Usernames the live lookup could not check, with why.
    unchecked: HashMap<String, String>,
    /// Per row read in the first pass (in file order, problem lines included): the index of the
    /// mirror entry its username matched, plus one; 0 when the mirror does not have it. Later
    /// passes read the same file (its checksum is checked) and take the entry from here instead of
    /// looking the username up again, after checking that the entry is that username's.
    found: Vec<u32>,
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

fn field(fields: Fields<'_>, i: Option<usize>) -> &str {
    i.and_then(|i| fields.get(i)).map(str::trim).unwrap_or_default()
}

/// A row as matched, borrowing from the row and the matcher; [`Matcher::row`] makes a
/// [`GradeRow`] of it.
pub(crate) struct Judged<'a> {
    pub line: u64,
    pub student_id: &'a str,
    pub username: &'a str,
    pub email: &'a str,
    pub grade: &'a str,
    /// The username's remote ids, if it has any.
    pub ids: Option<Ids<'a>>,
    pub status: RowStatus,
}

impl<'a> Judged<'a> {
    /// The remote id, when there is exactly one.
    pub fn remote_id(&self) -> Option<&'a str> {
        self.ids.and_then(Ids::one)
    }

    /// Every remote id, when there are several (an ambiguous link).
    pub fn candidates(&self) -> Option<Ids<'a>> {
        self.ids.filter(|ids| ids.len() > 1)
    }
}

impl Matcher {
    fn ids(&self, username: &str) -> Option<Ids<'_>> {
        self.mirror.get(username).or_else(|| self.live.get(username).map(|v| Ids::Owned(v)))
    }

    /// Starts fetching what judging rows a little after the `ordinal`th will read from the mirror,
    /// so those reads do not wait on memory (rows are judged in file order, their entries are
    /// scattered over the mirror).
    #[inline]
    pub fn prefetch(&self, ordinal: usize) {
        if let Some(&i) = self.found.get(ordinal + 16).filter(|&&i| i > 0) {
            self.mirror.prefetch_entry(i - 1);
        }
        if let Some(&i) = self.found.get(ordinal + 8).filter(|&&i| i > 0) {
            self.mirror.prefetch_name(i - 1);
        }
    }

    /// The remote ids of the `ordinal`th row read, whose username is `username`.
    fn ids_of_row(&self, ordinal: usize, username: &str) -> Option<Ids<'_>> {
        match self.found.get(ordinal) {
            Some(&i) if i > 0 => self.mirror.at(i - 1, username).or_else(|| self.ids(username)),
            _ => self.ids(username),
        }
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

    /// How the `ordinal`th row read (counting problem lines) ends, without copying anything out of it.
    pub fn judge<'a>(&'a self, ordinal: usize, row: RowRef<'a>) -> Judged<'a> {
        let c = self.columns;
        let f = row.fields;
        let mut out = Judged {
            line: row.line,
            student_id: field(f, c.student_id),
            username: field(f, Some(c.username)),
            email: field(f, c.email),
            grade: field(f, c.grade),
            ids: None,
            status: RowStatus::Matched,
        };
        if out.username.is_empty() {
            out.status = RowStatus::Problem;
            return out;
        }
        out.ids = self.ids_of_row(ordinal, out.username).filter(|ids| ids.len() > 0);
        let unenrolled = field(f, c.enrollment_status).eq_ignore_ascii_case("unenrolled");
        out.status = if unenrolled {
            RowStatus::Unenrolled
        } else if out.remote_id().is_some() {
            RowStatus::Matched
        } else if out.candidates().is_some() {
            RowStatus::Ambiguous
        } else if self.unchecked.contains_key(out.username) {
            RowStatus::NotChecked
        } else {
            RowStatus::NotLinked
        };
        out
    }

    /// Why a row ended as it did (empty for a match).
    pub fn message(&self, j: &Judged<'_>) -> String {
        let p = &self.provider_id;
        match j.status {
            RowStatus::Problem => format!("Line {} has no username", j.line),
            RowStatus::Unenrolled => "The learner has unenrolled from the course".into(),
            RowStatus::Matched => String::new(),
            RowStatus::Ambiguous => {
                let ids = j.candidates().expect("an ambiguous row has candidates");
                format!(
                    "Linked to {} remote ids on {p} ({}); ask the LMS operator which link is right, or pick another provider",
                    ids.len(),
                    ids.to_vec().join(", ")
                )
            }
            RowStatus::NotChecked => {
                let reason = self.unchecked.get(j.username).map(String::as_str).unwrap_or_default();
                format!("Not in the {p} mirror, and Open edX could not be asked about it ({reason}); match again to check it")
            }
            RowStatus::NotLinked => match self.live_state {
                // Under `Partial`, every username whose chunk failed is in `unchecked`: the rest were answered.
                Live::Complete | Live::Partial => {
                    format!("Not linked to {p}: the learner has not signed in through it, or the link was removed")
                }
                Live::Off => format!("Not in the {p} mirror (live lookup was off); sync the provider or reconcile with live lookup"),
            },
        }
    }

    /// The row, owned.
    pub fn row(&self, j: &Judged<'_>) -> GradeRow {
        GradeRow {
            line: j.line,
            student_id: j.student_id.to_owned(),
            username: j.username.to_owned(),
            email: j.email.to_owned(),
            grade: j.grade.to_owned(),
            remote_id: j.remote_id().map(str::to_owned),
            candidates: j.candidates().map(Ids::to_vec).unwrap_or_default(),
            status: j.status,
            message: self.message(j),
        }
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
    let last_sync = mirror::last_sync(cw, &req.profile_id, &req.provider_id)?;
    let expected = last_sync.as_ref().map_or(0, |s| s.count);
    let mirror_synced_at = last_sync.and_then(|s| s.finished_at);

    // Pass 1: read every row; count what the mirror settles; remember the usernames it does not.
    // The mirror is loaded on a thread of its own meanwhile.
    let progress = Arc::new(progress);
    let first = {
        let (path, columns, cancel, progress) = (path.to_path_buf(), req.columns.clone(), cancel.clone(), Arc::clone(&progress));
        let (store, profile_id, provider_id) = (cw.store.clone(), req.profile_id.clone(), req.provider_id.clone());
        let load = move || Links::load(expected, |each| mirror::each_link_by_username(&store, &profile_id, &provider_id, each));
        tokio::task::spawn_blocking(move || first_pass(&path, &columns, load, &*progress, &cancel))
            .await
            .map_err(|e| Error::Database(format!("reading the report failed ({e})")))??
    };
    let FirstPass { mut counts, problems, missing, checksum, columns, mirror: mirror_map, found } = first;

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
    let matcher = Matcher { provider_id: req.provider_id.clone(), columns, mirror: mirror_map, live, live_state, unchecked, found };
    cw.state::<Sessions>().put(Arc::new(Session { summary: summary.clone(), matcher }));
    Ok(summary)
}

struct FirstPass {
    counts: StatusCounts,
    problems: Vec<RowProblem>,
    /// Usernames the mirror does not know → how many matchable rows carry them.
    missing: HashMap<String, u32>,
    checksum: String,
    columns: Columns,
    mirror: Links,
    /// See [`Matcher::found`].
    found: Vec<u32>,
}

/// At most this many problems travel in the summary; all of them go to the error file.
const PROBLEMS_SHOWN: usize = 200;

/// Rows read while the mirror is still loading wait here (their usernames and whether they are
/// unenrolled) to be matched once it is in; past this many bytes, reading waits for the mirror.
/// (A 100,000-row report fits, so reading a report of that size never waits for a mirror of the
/// same size to load from SQLite.)
const BACKLOG_BYTES: usize = 8 << 20;

/// The rows that a mirror settles, counted; the usernames it does not know, remembered.
struct Tally {
    counts: StatusCounts,
    missing: HashMap<String, u32>,
}

impl Tally {
    /// Adds what another thread counted.
    fn merge(&mut self, other: Tally) {
        let (c, o) = (&mut self.counts, other.counts);
        c.matched += o.matched;
        c.ambiguous += o.ambiguous;
        c.unenrolled += o.unenrolled;
        for (username, n) in other.missing {
            *self.missing.entry(username).or_default() += n;
        }
    }

    /// Counts a row; returns what [`Matcher::found`] keeps for it.
    fn add(&mut self, mirror: &Links, username: &str, unenrolled: bool) -> u32 {
        let counts = &mut self.counts;
        let Some((index, ids)) = mirror.get_with_index(username) else {
            // Unenrolled rows are looked up too (an export may include them) but counted as unenrolled.
            let n = self.missing.entry(username.to_string()).or_default();
            if unenrolled {
                counts.unenrolled += 1;
            } else {
                *n += 1;
            }
            return 0;
        };
        match ids.len() {
            _ if unenrolled => counts.unenrolled += 1,
            1 => counts.matched += 1,
            _ => counts.ambiguous += 1,
        }
        index + 1
    }
}

/// Usernames of rows read before the mirror was in (all of them bounded by [`BACKLOG_BYTES`]).
#[derive(Default)]
struct Backlog {
    names: String,
    rows: Vec<Waiting>,
}

/// A row in the backlog.
#[derive(Clone, Copy)]
struct Waiting {
    /// Where its username ends in `names`.
    end: usize,
    unenrolled: bool,
    /// Its place in [`Matcher::found`].
    ordinal: usize,
}

impl Backlog {
    fn push(&mut self, username: &str, unenrolled: bool, ordinal: usize) {
        self.names.push_str(username);
        self.rows.push(Waiting { end: self.names.len(), unenrolled, ordinal });
    }

    fn full(&self) -> bool {
        self.names.len() + self.rows.len() * std::mem::size_of::<Waiting>() >= BACKLOG_BYTES
    }

    /// Matches the rows that waited, on two threads when there are many (the mirror is shared),
    /// noting each one's entry in `found` (see [`Matcher::found`]).
    fn drain_into(&mut self, tally: &mut Tally, mirror: &Links, found: &mut [u32]) {
        // `found` starts at row `base`.
        let add = |tally: &mut Tally, rows: &[Waiting], mut start: usize, found: &mut [u32], base: usize| {
            for w in rows {
                found[w.ordinal - base] = tally.add(mirror, &self.names[start..w.end], w.unenrolled);
                start = w.end;
            }
        };
        if self.rows.len() < 16_384 {
            add(tally, &self.rows, 0, found, 0);
        } else {
            let (first, second) = self.rows.split_at(self.rows.len() / 2);
            let second_start = first.last().map_or(0, |w| w.end);
            // Rows wait in file order, so the second half's rows all come after the first's.
            let base = second[0].ordinal;
            let (found_first, found_second) = found.split_at_mut(base);
            let other = std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let mut t = Tally { counts: StatusCounts::default(), missing: HashMap::new() };
                    add(&mut t, second, second_start, found_second, base);
                    t
                });
                add(tally, first, 0, found_first, 0);
                other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            tally.merge(other);
        }
        *self = Backlog::default();
    }
}

fn first_pass(
    path: &Path,
    map: &ColumnMap,
    load: impl FnOnce() -> Result<Links> + Send,
    progress: &(dyn Fn(ReconcileProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<FirstPass> {
    std::thread::scope(|scope| {
        let mut loading = Some(scope.spawn(load));
        let read = read_first_pass(path, map, &mut loading, progress, cancel);
        match (read, loading) {
            // A mirror that could not be loaded is the error to report, as when it was loaded first.
            (Err(e), Some(l)) => Err(loaded(l).err().unwrap_or(e)),
            (read, _) => read,
        }
    })
}

/// The mirror, once its thread is done.
fn loaded(loading: ScopedJoinHandle<'_, Result<Links>>) -> Result<Links> {
    loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn read_first_pass<'s>(
    path: &Path,
    map: &ColumnMap,
    loading: &mut Option<ScopedJoinHandle<'s, Result<Links>>>,
    progress: &(dyn Fn(ReconcileProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<FirstPass> {
    let stream = RowStream::open(path)?;
    let columns = Columns::from_map(map, stream.headers.len())?;
    let mut stream = ReadAhead::new(stream);
    let mut tally = Tally { counts: StatusCounts::default(), missing: HashMap::new() };
    let mut problems = Vec::new();
    let mut mirror: Option<Links> = None;
    let mut backlog = Backlog::default();
    let mut found: Vec<u32> = Vec::new();
    let mut note = |counts: &mut StatusCounts, p: RowProblem| {
        counts.problems += 1;
        if problems.len() < PROBLEMS_SHOWN {
            problems.push(p);
        }
    };
    while let Some(next) = stream.next_ref() {
        let ordinal = found.len();
        found.push(0);
        tally.counts.rows += 1;
        if tally.counts.rows.is_multiple_of(20_000) {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            progress(ReconcileProgress { phase: "reading".into(), rows_read: tally.counts.rows, ids_done: 0, ids_total: 0, eta_ms: None });
        }
        let row = match next {
            Ok(r) => r,
            Err(p) => {
                note(&mut tally.counts, p);
                continue;
            }
        };
        let username = field(row.fields, Some(columns.username));
        if username.is_empty() {
            note(&mut tally.counts, RowProblem { line: row.line, message: "has no username".into() });
            continue;
        }
        let unenrolled = field(row.fields, columns.enrollment_status).eq_ignore_ascii_case("unenrolled");
        if let Some(m) = &mirror {
            found[ordinal] = tally.add(m, username, unenrolled);
            continue;
        }
        backlog.push(username, unenrolled, ordinal);
        let ready = loading.as_ref().is_some_and(|l| backlog.rows.len().is_multiple_of(256) && l.is_finished());
        if ready || backlog.full() {
            let m = loaded(loading.take().expect("still loading"))?;
            backlog.drain_into(&mut tally, &m, &mut found);
            mirror = Some(m);
        }
    }
    let mirror = match mirror {
        Some(m) => m,
        None => loaded(loading.take().expect("still loading"))?,
    };
    backlog.drain_into(&mut tally, &mirror, &mut found);
    let checksum = stream.checksum()?;
    let Tally { counts, missing } = tally;
    Ok(FirstPass { counts, problems, missing, checksum, columns, mirror, found })
}

/// Rows of an open reconciliation, filtered by status, a page at a time (the file is read again;
/// nothing but the matches is kept in memory).
pub fn rows(cw: &Crosswalk, id: i64, status: Option<RowStatus>, offset: u64, limit: u32) -> Result<GradeRowPage> {
    let session = cw.state::<Sessions>().get(id)?;
    let mut stream = RowStream::open(Path::new(&session.summary.file.path))?;
    let mut page = Vec::new();
    let mut total = 0u64;
    let mut ordinal = 0;
    while let Some(next) = stream.next_ref() {
        ordinal += 1;
        let row = match next {
            Ok(r) => {
                session.matcher.prefetch(ordinal - 1);
                let j = session.matcher.judge(ordinal - 1, r);
                if status.is_some_and(|s| s != j.status) {
                    continue;
                }
                if total < offset || page.len() >= limit as usize {
                    total += 1;
                    continue;
                }
                session.matcher.row(&j)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_backlog_drained_on_two_threads_counts_as_one_thread_would() {
        let links = Links::load(0, |each| {
            for i in 0..30_000 {
                each(&format!("u{i:05}"), &format!("r{i}"));
                if i % 1000 == 0 {
                    each(&format!("u{i:05}"), &format!("r{i}-second"));
                }
            }
            Ok(())
        })
        .unwrap();
        let mut backlog = Backlog::default();
        let mut one = Tally { counts: StatusCounts::default(), missing: HashMap::new() };
        let mut found_one = Vec::new();
        for i in 0..40_000 {
            let username = format!("u{:05}", i % 35_000);
            let unenrolled = i % 97 == 0;
            // Every 1000th row is a problem line: it has a place in `found` but never waits.
            if i % 1000 == 500 {
                found_one.push(0);
                continue;
            }
            backlog.push(&username, unenrolled, found_one.len());
            found_one.push(one.add(&links, &username, unenrolled));
        }
        assert!(backlog.rows.len() >= 16_384, "drained on two threads");
        let mut two = Tally { counts: StatusCounts::default(), missing: HashMap::new() };
        let mut found_two = vec![0; found_one.len()];
        backlog.drain_into(&mut two, &links, &mut found_two);
        assert_eq!(two.counts, one.counts);
        assert_eq!(two.missing, one.missing);
        assert_eq!(found_two, found_one, "each row's mirror entry is noted where the row is");
        assert!(found_one.iter().filter(|&&f| f == 0).count() > 5000, "rows not in the mirror are noted as such");
        assert!(one.counts.ambiguous > 0 && one.counts.unenrolled > 0 && !one.missing.is_empty());
    }
}
