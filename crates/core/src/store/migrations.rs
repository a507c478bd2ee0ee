//! Embedded, ordered schema migrations, applied in one transaction at start-up.
//!
//! Append a new `M::up(include_str!(...))` for each schema change; never edit a released one.

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::{Error, Result};

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_activity.sql")),
        M::up(include_str!("migrations/0002_profiles.sql")),
        M::up(include_str!("migrations/0003_mirror.sql")),
        M::up(include_str!("migrations/0005_grades.sql")),
        M::up(include_str!("migrations/0006_openlearning.sql")),
    ])
});

/// The schema version this build writes (SQLite's `user_version`).
pub const SCHEMA_VERSION: i64 = 5;

pub(super) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { path: path.display().to_string(), found, known: SCHEMA_VERSION });
    }
    // rusqlite_migration applies every pending step inside one transaction and sets user_version.
    MIGRATIONS.to_latest(conn).map_err(|e| Error::Database(format!("could not update the database schema ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_match_the_declared_version() {
        assert!(MIGRATIONS.validate().is_ok());
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}
