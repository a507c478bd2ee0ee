//! Grades: reconcile an Open edX grade report (which knows learners only by their Open edX
//! username) into a file the university's LMS or SIS can import (which knows them by the id the
//! identity provider sent — the mapping's `remote_id`).
//!
//! The report is read as a stream, twice at most: once to match and count, once to export. Only
//! the identifiers missing from the provider mirror are kept in memory between the two, so a
//! report of any length is reconciled in bounded memory. The report is never modified.

mod export;
mod history;
mod links;
mod read;
mod reconcile;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use export::{default_errors_path, export, preview, write_errors, ERROR_HEADER};
pub use history::{history, last_options, record};
pub use read::{inspect, Row, RowStream};
pub use reconcile::{reconcile, reopen, rows, Sessions};

/// Opens a CSV (any of the encodings and delimiters [`inspect`] recognises) or XLSX for reading
/// row by row, with broken lines reported by number.
pub fn open_rows(path: &std::path::Path) -> crate::Result<RowStream> {
    RowStream::open(path)
}

/// What kind of file a report is, recognised by its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The instructor's course grade report (`Student ID, Email, Username, Grade, …`).
    CourseGrades,
    /// The problem grade report (`Student ID, Email, Username, Enrollment Status, Grade, …`).
    ProblemGrades,
    /// Any other CSV or XLSX with a username column (the person maps the columns).
    Custom,
}

/// Which column (0-based) holds what. `username` is required to reconcile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMap {
    pub username: Option<u32>,
    pub student_id: Option<u32>,
    pub email: Option<u32>,
    /// The grade to export unless the export picks another column.
    pub grade: Option<u32>,
    pub enrollment_status: Option<u32>,
}

/// A report as Crosswalk read it: what it is, how it is encoded, its columns and first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GradeFile {
    pub path: String,
    pub file_name: String,
    pub kind: ReportKind,
    /// `csv` or `xlsx`.
    pub format: String,
    /// `UTF-8`, `UTF-8 with BOM` or `Windows-1252` (XLSX: `XLSX`).
    pub encoding: String,
    /// The delimiter found: `,`, `;`, `tab` or `|`.
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The columns Crosswalk recognised (for a custom file, its best guess).
    pub columns: ColumnMap,
    /// Columns that hold grades (overall, assignment types, problems' earned points).
    pub grade_columns: Vec<u32>,
    /// The first rows, as read.
    pub sample: Vec<Vec<String>>,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// What to reconcile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReconcileRequest {
    pub path: String,
    /// An Open edX connection.
    pub profile_id: String,
    pub provider_id: String,
    pub columns: ColumnMap,
    /// Look the usernames missing from the mirror up live (in chunks of 50). Off: mirror only.
    pub live: bool,
}

/// How one row of the report ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Exactly one remote id.
    Matched,
    /// The username has no link to this provider (the LMS, or the mirror when live lookup was
    /// off, said so).
    NotLinked,
    /// Not in the mirror, and the live lookup could not ask the LMS about it (refused, failed or
    /// cancelled): whether it is linked is unknown.
    NotChecked,
    /// The username is linked more than once on this provider.
    Ambiguous,
    /// `Enrollment Status` says `unenrolled`.
    Unenrolled,
    /// The row itself is broken (quoting, missing username, wrong number of columns).
    Problem,
}

/// Progress of a reconciliation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReconcileProgress {
    /// `reading` the report, then `looking_up` the usernames missing from the mirror.
    pub phase: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    pub ids_done: u32,
    pub ids_total: u32,
    #[ts(type = "number | null")]
    pub eta_ms: Option<u64>,
}

/// How many rows ended how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusCounts {
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub matched: u64,
    #[ts(type = "number")]
    pub not_linked: u64,
    #[ts(type = "number")]
    #[serde(default)]
    pub not_checked: u64,
    #[ts(type = "number")]
    pub ambiguous: u64,
    #[ts(type = "number")]
    pub unenrolled: u64,
    #[ts(type = "number")]
    pub problems: u64,
}

/// A row-level problem, by line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowProblem {
    #[ts(type = "number")]
    pub line: u64,
    pub message: String,
}

/// The outcome of matching a report, before anything is exported.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Reconciliation {
    /// Its history id (reopen and re-export with it).
    #[ts(type = "number")]
    pub id: i64,
    pub file: GradeFile,
    pub request: ReconcileRequest,
    /// SHA-256 of the report, hex.
    pub checksum: String,
    pub counts: StatusCounts,
    /// The first problems (all of them go to the error file).
    pub problems: Vec<RowProblem>,
    /// Usernames missing from the mirror that were looked up live.
    pub live_looked_up: u32,
    /// Live lookups that failed (those rows stay "not linked"), in plain words.
    pub live_errors: Vec<String>,
    /// The person cancelled the live lookups: the rows not looked up stay "not linked".
    pub cancelled: bool,
    /// When the provider mirror was last synced (RFC 3339), if there is one.
    pub mirror_synced_at: Option<String>,
    pub created_at: String,
}

/// One row of the report, matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GradeRow {
    #[ts(type = "number")]
    pub line: u64,
    pub student_id: String,
    pub username: String,
    pub email: String,
    pub grade: String,
    pub remote_id: Option<String>,
    /// For an ambiguous row: every remote id the username is linked to.
    pub candidates: Vec<String>,
    pub status: RowStatus,
    /// Why, for anything but a match.
    pub message: String,
}

/// A page of matched rows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GradeRowPage {
    pub rows: Vec<GradeRow>,
    /// Rows with the status asked for (all rows when none).
    #[ts(type = "number")]
    pub total: u64,
}

/// What the receiving system imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// `remote_id, username, grade`.
    Generic,
    /// Canvas gradebook import: `Student, ID, SIS User ID, SIS Login ID, Section, <assignment>`.
    Canvas,
    /// Moodle "Import grades from CSV": `ID number, Email address, <grade item>`.
    Moodle,
    /// Brightspace grade import: `OrgDefinedId, <item> Points Grade, End-of-Line Indicator`.
    Brightspace,
    /// The columns the person chose.
    Custom,
}

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    Csv,
    Xlsx,
}

/// How a 0–1 grade is written.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scale {
    /// As in the report (a fraction 0–1 for Open edX grades).
    AsIs,
    /// × 100.
    Percent,
    /// × the assignment's points.
    Points { max: f64 },
}

/// What to do with `Not Attempted` (and empty) grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotAttempted {
    /// Write 0.
    Zero,
    /// Write an empty grade (most gradebooks then leave the grade untouched).
    Blank,
    /// Leave the row out.
    Skip,
}

/// A letter (or pass/fail) band: a grade of at least `min_percent` gets `label`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LetterBand {
    pub min_percent: f64,
    pub label: String,
}

/// Where a custom column's values come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnSource {
    RemoteId,
    Username,
    Email,
    StudentId,
    /// The grade, converted as the options say.
    Grade,
    /// A column of the report, copied as is.
    Column {
        index: u32,
    },
    /// The same text on every row.
    Text {
        value: String,
    },
}

/// One column of a custom export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomColumn {
    pub header: String,
    pub source: ColumnSource,
}

/// How to export a reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportOptions {
    pub template: Template,
    pub format: OutputFormat,
    /// CSV only: start with a byte-order mark so Excel reads UTF-8.
    pub bom: bool,
    /// The grade column to export; `None` = the mapped grade column.
    pub grade_column: Option<u32>,
    /// The assignment / grade item name the receiving side shows (Canvas, Moodle, Brightspace).
    pub item_name: String,
    pub scale: Scale,
    /// Decimal places (0–4).
    pub decimals: u8,
    /// Non-empty: write a letter (or Pass/Fail) from these bands instead of a number.
    pub letters: Vec<LetterBand>,
    pub not_attempted: NotAttempted,
    /// Also export rows whose enrollment status is `unenrolled` (when they match).
    pub include_unenrolled: bool,
    /// The columns of a custom export.
    pub columns: Vec<CustomColumn>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            template: Template::Generic,
            format: OutputFormat::Csv,
            bom: false,
            grade_column: None,
            item_name: "Open edX grade".into(),
            scale: Scale::Percent,
            decimals: 2,
            letters: Vec::new(),
            not_attempted: NotAttempted::Blank,
            include_unenrolled: false,
            columns: Vec::new(),
        }
    }
}

/// The first rows an export would write, and how many it would write in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportPreview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    #[ts(type = "number")]
    pub rows_to_write: u64,
    /// Rows left out on purpose (unenrolled, `Not Attempted` when skipped).
    #[ts(type = "number")]
    pub skipped: u64,
    /// Rows that go to the error file.
    #[ts(type = "number")]
    pub errors: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExportResult {
    pub out_path: String,
    /// Written when some rows could not be exported.
    pub errors_path: Option<String>,
    #[ts(type = "number")]
    pub rows_written: u64,
    #[ts(type = "number")]
    pub errors_written: u64,
    #[ts(type = "number")]
    pub skipped: u64,
}

/// A saved reconciliation (History).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReconciliationRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub created_at: String,
    pub file_name: String,
    pub file_path: String,
    pub checksum: String,
    pub kind: ReportKind,
    pub profile_id: String,
    pub provider_id: String,
    pub counts: StatusCounts,
    pub template: Option<Template>,
    pub export_path: Option<String>,
    pub errors_path: Option<String>,
    pub exported_at: Option<String>,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::CourseGrades => "course_grades",
            ReportKind::ProblemGrades => "problem_grades",
            ReportKind::Custom => "custom",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "course_grades" => ReportKind::CourseGrades,
            "problem_grades" => ReportKind::ProblemGrades,
            _ => ReportKind::Custom,
        }
    }
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Generic => "generic",
            Template::Canvas => "canvas",
            Template::Moodle => "moodle",
            Template::Brightspace => "brightspace",
            Template::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "generic" => Template::Generic,
            "canvas" => Template::Canvas,
            "moodle" => Template::Moodle,
            "brightspace" => Template::Brightspace,
            "custom" => Template::Custom,
            _ => return None,
        })
    }
}

/// Whether `path` is the report, upload or error file of a kept reconciliation.
pub fn knows_file(cw: &crate::Crosswalk, path: &str) -> crate::Result<bool> {
    history::knows_file(cw, path)
}
