-- Provider mirrors: a local copy of each watched provider's username ↔ remote_id mappings.
CREATE TABLE mirror_mappings (
    id           INTEGER PRIMARY KEY,
    profile_id   TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    username     TEXT NOT NULL,
    remote_id    TEXT NOT NULL,
    UNIQUE (profile_id, provider_id, username, remote_id)
);
CREATE INDEX mirror_by_remote_id ON mirror_mappings (profile_id, provider_id, remote_id);
CREATE INDEX mirror_by_username ON mirror_mappings (username);

-- Substring search (e.g. "smi" finds "jsmith"): a trigram index kept in step by triggers.
CREATE VIRTUAL TABLE mirror_search USING fts5 (
    username, remote_id, content = 'mirror_mappings', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER mirror_mappings_ai AFTER INSERT ON mirror_mappings BEGIN
    INSERT INTO mirror_search (rowid, username, remote_id) VALUES (new.id, new.username, new.remote_id);
END;
CREATE TRIGGER mirror_mappings_ad AFTER DELETE ON mirror_mappings BEGIN
    INSERT INTO mirror_search (mirror_search, rowid, username, remote_id) VALUES ('delete', old.id, old.username, old.remote_id);
END;

-- A sync writes here first; the swap into mirror_mappings is one transaction, so a failed,
-- cancelled or killed sync leaves the previous mirror whole.
CREATE TABLE mirror_staging (
    sync_id    INTEGER NOT NULL,
    username   TEXT NOT NULL,
    remote_id  TEXT NOT NULL,
    PRIMARY KEY (sync_id, username, remote_id)
) WITHOUT ROWID;

CREATE TABLE mirror_syncs (
    id            INTEGER PRIMARY KEY,
    profile_id    TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    count         INTEGER NOT NULL DEFAULT 0,
    added         INTEGER NOT NULL DEFAULT 0,
    removed       INTEGER NOT NULL DEFAULT 0,
    changed       INTEGER NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mirror_syncs_by_provider ON mirror_syncs (profile_id, provider_id, id DESC);

-- Each sync's diff against the mirror before it.
CREATE TABLE mirror_changes (
    sync_id        INTEGER NOT NULL REFERENCES mirror_syncs (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'changed')),
    username       TEXT NOT NULL,
    old_remote_id  TEXT,
    new_remote_id  TEXT
);
CREATE INDEX mirror_changes_by_sync ON mirror_changes (sync_id);
