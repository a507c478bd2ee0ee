-- Periodic work owned by the core (mirror syncs, enrollment polling): one row per job, with its
-- schedule and its last and next run. The desktop app runs due jobs while it is open (window shown
-- or not); `crosswalk jobs run-due` runs the same jobs from cron or a systemd timer.
CREATE TABLE jobs (
    kind            TEXT NOT NULL,               -- 'mirror_sync' | 'enrollments_poll'
    profile_id      TEXT NOT NULL,
    every_minutes   INTEGER NOT NULL CHECK (every_minutes > 0),
    enabled         INTEGER NOT NULL DEFAULT 1,
    next_run_at     TEXT NOT NULL,
    last_run_at     TEXT,
    last_outcome    TEXT,                        -- 'ok' | 'failed' | 'partly'
    last_detail     TEXT,
    running_since   TEXT,                        -- claimed by a process; stale after an hour
    running_face    TEXT,
    PRIMARY KEY (kind, profile_id)
) WITHOUT ROWID;

-- The oldest schema version that can still open this file. Additive changes (a new table) do not
-- raise it, so an older Crosswalk keeps opening a database a newer one has touched.
CREATE TABLE schema_compat (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    min_reader  INTEGER NOT NULL
);
INSERT INTO schema_compat (id, min_reader) VALUES (1, 7);
