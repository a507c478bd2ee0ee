//! The core's one error type, and the `{code, message}` shape every face shows to people.

use serde::Serialize;
use ts_rs::TS;

/// Everything that can go wrong in the core. Each message says what happened and what to do next,
/// in the words of the person using Crosswalk. No message ever carries a secret or a token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder could not be created or opened.
    #[error("Crosswalk cannot use its data folder {path}: {reason}. Check that the folder exists and that you may write to it, or choose another with --data-dir.")]
    DataDir { path: String, reason: String },

    /// The database file was written by a newer Crosswalk.
    #[error("This database ({path}) was written by a newer version of Crosswalk (schema {found}, this version knows up to {known}). Install the newer Crosswalk, or point this one at another data folder with --data-dir.")]
    SchemaTooNew { path: String, found: i64, known: i64 },

    /// The database could not take a write: still busy after the busy timeout, read-only, or
    /// the disk full or failing. `code` is `database_busy`, `database_read_only`, `disk_full` or
    /// `database_io`; nothing of
    /// the failed change was kept and what was saved before is intact (SQLite's transactions).
    #[error("{message}")]
    Storage { code: &'static str, message: String },

    /// SQLite refused an operation.
    #[error("The local database failed: {0}. If this keeps happening, close other Crosswalk windows and check the disk is not full.")]
    Database(String),

    /// A remote service could not be reached at all.
    #[error("{service} could not be reached at {url}: {reason}. Check the address in Connections and your network or proxy.")]
    Unreachable { service: String, url: String, reason: String },

    /// The token endpoint refused the client's credentials or request.
    #[error("{service} refused to issue a token: {reason}")]
    TokenRefused { service: String, reason: String },

    /// The remote API answered with an error status.
    #[error("{service} answered {status}: {diagnosis}")]
    Remote { service: String, status: u16, diagnosis: String },

    /// The remote API answered something that is not what its documentation promises.
    #[error("{service} sent an answer Crosswalk cannot read ({reason}). The address may point at the wrong service, or a proxy changed the answer.")]
    BadAnswer { service: String, reason: String },

    /// The OS keyring is missing, locked or failed. The message names the fix.
    #[error("Crosswalk could not use the OS keyring: {0}")]
    Keyring(String),

    /// A secret the action needs is not set.
    #[error("The {field} of \"{profile}\" is not set. Set it in Connections (or `crosswalk secret set {profile}`).")]
    SecretMissing { profile: String, field: String },

    /// The person cancelled the action.
    #[error("Cancelled. Nothing more was sent; what was already done is kept.")]
    Cancelled,

    /// Part of the work could not be done; what was done is reported and kept. The message says
    /// what could not be done and why. (The CLI exits with 2 for this, 1 for every other error.)
    #[error("{0}")]
    Incomplete(String),

    /// Something the user asked for does not exist.
    #[error("{0}")]
    NotFound(String),

    /// The user's input cannot be used as it is.
    #[error("{0}")]
    Invalid(String),
}

/// Shorthand used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable code the UI and scripts may branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::DataDir { .. } => "data_dir",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Database(_) => "database",
            Error::Storage { code, .. } => code,
            Error::Unreachable { .. } => "unreachable",
            Error::TokenRefused { .. } => "token_refused",
            Error::Remote { .. } => "remote",
            Error::BadAnswer { .. } => "bad_answer",
            Error::Keyring(_) => "keyring",
            Error::SecretMissing { .. } => "secret_missing",
            Error::Cancelled => "cancelled",
            Error::Incomplete(_) => "incomplete",
            Error::NotFound(_) => "not_found",
            Error::Invalid(_) => "invalid",
        }
    }

    /// The shape the UI and `--json` output receive.
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { code: self.code().to_string(), message: self.to_string() }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let storage = |code, message: &str| Error::Storage { code, message: message.to_string() };
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => storage(
                "database_busy",
                "Crosswalk's database stayed busy: another Crosswalk (the app, a command or a scheduled job) kept writing to it for more than 30 seconds. Nothing of this action was saved; try it again in a moment.",
            ),
            Some(ErrorCode::ReadOnly) => storage(
                "database_read_only",
                "Crosswalk cannot write to its database: the file, its folder or the disk is read-only. Nothing of this action was saved, and what was saved before is intact. Check the data folder's permissions, or choose another folder with --data-dir.",
            ),
            Some(ErrorCode::SystemIoFailure) if std::io::Error::last_os_error().kind() != std::io::ErrorKind::StorageFull => storage(
                "database_io",
                "Crosswalk's database could not be written or read (a disk I/O error): the disk may be full, failing or removed. Nothing of this action was saved, and what was saved before is intact. Free some space or check the disk, then try again.",
            ),
            Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => storage(
                "disk_full",
                "The disk holding Crosswalk's database is full. Nothing of this action was saved, and what was saved before is intact. Free some space and try again.",
            ),
            _ => Error::Database(e.to_string()),
        }
    }
}

/// What a face shows for an error: a stable `code` and a `message` that says what to do.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}
