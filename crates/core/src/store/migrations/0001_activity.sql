-- The audit trail: every action that reaches a remote system. Never holds a secret.
CREATE TABLE activity (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL,            -- RFC 3339, UTC
    actor    TEXT    NOT NULL,            -- the OS user who ran Crosswalk
    face     TEXT    NOT NULL,            -- 'app' or 'cli'
    action   TEXT    NOT NULL,            -- e.g. 'openedx.token', 'openedx.mappings.page'
    target   TEXT    NOT NULL,            -- the connection and object acted on
    outcome  TEXT    NOT NULL CHECK (outcome IN ('ok', 'error')),
    detail   TEXT    NOT NULL DEFAULT ''  -- a human summary (counts, the error's message)
);
CREATE INDEX activity_at ON activity (at DESC);
CREATE INDEX activity_action ON activity (action);
