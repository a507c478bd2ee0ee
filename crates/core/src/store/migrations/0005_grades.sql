-- Grade reconciliations: each run is kept so an instructor can reopen and re-export it.
-- The report itself stays where it was (Crosswalk never modifies or copies it); its checksum
-- tells a reopen whether it is still the same file.
CREATE TABLE grade_reconciliations (
    id            INTEGER PRIMARY KEY,
    created_at    TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_path     TEXT NOT NULL,
    checksum      TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    request       TEXT NOT NULL,   -- the ReconcileRequest as JSON (columns chosen, live or not)
    rows          INTEGER NOT NULL,
    matched       INTEGER NOT NULL,
    not_linked    INTEGER NOT NULL,
    ambiguous     INTEGER NOT NULL,
    unenrolled    INTEGER NOT NULL,
    problems      INTEGER NOT NULL,
    template      TEXT,
    options       TEXT,            -- the last ExportOptions as JSON
    export_path   TEXT,
    errors_path   TEXT,
    exported_at   TEXT
);
CREATE INDEX grade_reconciliations_by_time ON grade_reconciliations (id DESC);
