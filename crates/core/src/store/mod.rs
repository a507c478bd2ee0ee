//! The local SQLite database: one file in the data folder, WAL mode, migrated at start.

mod migrations;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::{Error, Result};

pub use migrations::SCHEMA_VERSION;

/// How long a statement waits for another process's write (the app, a command, a cron job) to
/// finish before giving up with a plain-words "busy" error. Writes are short transactions, so
/// this is only reached when something is badly stuck.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A handle on the database. Cheap to clone; all clones share one connection.
#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date in one
    /// transaction. A database written by a newer Crosswalk is refused, untouched.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path).map_err(|e| Error::DataDir { path: path.display().to_string(), reason: e.to_string() })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrations::run(&mut conn, path)?;
        Ok(Self { path: path.to_path_buf(), conn: Arc::new(Mutex::new(conn)) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the modules that own a table.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (statements are atomic), so a
        // poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Another connection to the same database, with the same settings, for a thread that
    /// writes a lot (the mirror's writer): in WAL mode the shared connection's readers are not
    /// held up by it, and its open transaction never mixes with anyone else's statements.
    pub(crate) fn connect(&self) -> Result<Connection> {
        let conn =
            Connection::open(&self.path).map_err(|e| Error::DataDir { path: self.path.display().to_string(), reason: e.to_string() })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(conn)
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn().pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The journal mode SQLite reports (`wal` once open).
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self.conn().pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_wal_mode_at_the_latest_schema() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("db.sqlite3")).unwrap();
        assert_eq!(store.journal_mode().unwrap(), "wal");
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn reopening_keeps_data_and_version() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("db.sqlite3");
        {
            let store = Store::open(&path).unwrap();
            store.conn().execute("INSERT INTO activity (at, actor, face, action, target, outcome) VALUES ('2026-01-01T00:00:00Z','a','cli','x','y','ok')", []).unwrap();
        }
        let store = Store::open(&path).unwrap();
        let n: i64 = store.conn().query_row("SELECT count(*) FROM activity", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_newer_schema_is_refused_with_a_clear_message_and_left_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("db.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;").unwrap();
        }
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.code(), "schema_too_new");
        let msg = err.to_string();
        assert!(msg.contains("newer version of Crosswalk") && msg.contains("999"), "{msg}");
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, 999, "the newer database must not be modified");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("db.sqlite3");
        std::fs::write(&path, b"this is not sqlite, it is a shopping list").unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err.code(), "database" | "data_dir"), "{err:?}");
    }
}
