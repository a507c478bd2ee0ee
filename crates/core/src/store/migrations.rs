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
        M::up(include_str!("migrations/0004_mirror_generations.sql")),
        M::up(include_str!("migrations/0005_grades.sql")),
        M::up(include_str!("migrations/0006_openlearning.sql")),
        M::up(include_str!("migrations/0007_grades_not_checked.sql")),
        M::up(include_str!("migrations/0008_jobs.sql")),
        M::up(include_str!("migrations/0009_enrollments.sql")),
        M::up(include_str!("migrations/0010_results.sql")),
        M::up(include_str!("migrations/0011_endpoint_checks.sql")),
        M::up(include_str!("migrations/0012_sync_lease.sql")),
        M::up(include_str!("migrations/0013_offering_templates.sql")),
    ])
});

/// The schema version this build writes (SQLite's `user_version`).
pub const SCHEMA_VERSION: i64 = 13;

/// The oldest schema version that can open a file this build wrote (kept in `schema_compat`).
/// Raise it only when a change would mislead an older build (a column it writes changes meaning,
/// a table it reads is replaced); adding a table or a column does not.
pub const MIN_READER: i64 = 7;

pub(super) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        // A newer Crosswalk wrote this file. It may still be opened, untouched by migrations,
        // when that version said this one can read it.
        let min_reader: Option<i64> = conn.query_row("SELECT min_reader FROM schema_compat WHERE id = 1", [], |r| r.get(0)).ok();
        return match min_reader {
            Some(min) if min <= SCHEMA_VERSION => Ok(()),
            _ => Err(Error::SchemaTooNew { path: path.display().to_string(), found, known: SCHEMA_VERSION }),
        };
    }
    // rusqlite_migration applies every pending step inside one transaction and sets user_version.
    MIGRATIONS.to_latest(conn).map_err(|e| Error::Database(format!("could not update the database schema ({e})")))?;
    conn.execute("UPDATE schema_compat SET min_reader = max(min_reader, ?1) WHERE id = 1", [MIN_READER])?;
    Ok(())
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

    #[test]
    fn a_newer_file_that_says_this_version_can_read_it_opens_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        conn.execute_batch(&format!("CREATE TABLE from_the_future (x); PRAGMA user_version = {};", SCHEMA_VERSION + 3)).unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION + 3, "left as the newer version wrote it");
        // ... but not when that version says it needs a newer reader.
        conn.execute("UPDATE schema_compat SET min_reader = ?1", [SCHEMA_VERSION + 1]).unwrap();
        let err = run(&mut conn, Path::new(":memory:")).unwrap_err();
        assert_eq!(err.code(), "schema_too_new");
    }

    #[test]
    fn mirrors_written_before_generations_become_the_live_generation_with_their_search_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![
            M::up(include_str!("migrations/0001_activity.sql")),
            M::up(include_str!("migrations/0002_profiles.sql")),
            M::up(include_str!("migrations/0003_mirror.sql")),
        ])
        .to_latest(&mut conn)
        .unwrap();
        conn.execute_batch(
            "INSERT INTO mirror_syncs (id, profile_id, provider_id, started_at, status) VALUES
                 (1, 'p', 'x', 't', 'done'), (2, 'p', 'x', 't', 'failed');
             INSERT INTO mirror_mappings (profile_id, provider_id, username, remote_id) VALUES
                 ('p', 'x', 'jsmith', 's1'), ('p', 'x', 'adoe', 's2'), ('p', 'y', 'jsmithson', 's3');
             INSERT INTO mirror_staging VALUES (2, 'left', 'over');",
        )
        .unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();

        let current: Vec<(String, i64)> = conn
            .prepare("SELECT provider_id, generation FROM mirror_current ORDER BY provider_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(current, vec![("x".to_string(), 1), ("y".to_string(), 0)], "the last finished sync, or 0 without one");
        let generations: Vec<(String, i64)> = conn
            .prepare("SELECT username, generation FROM mirror_mappings ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(generations, vec![("jsmith".into(), 1), ("adoe".into(), 1), ("jsmithson".into(), 0)]);
        conn.execute("INSERT INTO mirror_search (mirror_search, rank) VALUES ('integrity-check', 1)", []).unwrap();
        let found: Vec<String> = conn
            .prepare("SELECT m.username FROM mirror_search s JOIN mirror_mappings m ON m.id = s.rowid WHERE mirror_search MATCH '\"smi\"' ORDER BY m.id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(found, vec!["jsmith", "jsmithson"]);
        // A new generation may hold the same rows; deleting the old one keeps the index right.
        conn.execute(
            "INSERT INTO mirror_mappings (profile_id, provider_id, generation, username, remote_id) VALUES ('p', 'x', 3, 'jsmith', 's1')",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO mirror_search (rowid, username, remote_id) SELECT id, username, remote_id FROM mirror_mappings WHERE generation = 3", [])
            .unwrap();
        conn.execute("DELETE FROM mirror_mappings WHERE generation = 1", []).unwrap();
        conn.execute("INSERT INTO mirror_search (mirror_search, rank) VALUES ('integrity-check', 1)", []).unwrap();
        let staging: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'mirror_staging'", [], |r| r.get(0)).unwrap();
        assert_eq!(staging, 0);
    }
}
