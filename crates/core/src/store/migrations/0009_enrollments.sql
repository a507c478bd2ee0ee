-- The enrollment ledger (owned by `enrollments::ledger`): every OOAPI association Crosswalk
-- created or was told about, and a timeline of every change it observed. No token, password or
-- secret is ever stored here; request and answer bodies are kept without their headers.
CREATE TABLE associations (
    id              INTEGER PRIMARY KEY,
    profile_id      TEXT NOT NULL,
    home            TEXT NOT NULL,              -- the home institution's schacHome
    association_id  TEXT,                       -- NULL while a create's outcome is unknown
    person_id       TEXT,
    person_name     TEXT,
    person_email    TEXT,
    offering_id     TEXT,
    offering_code   TEXT,
    offering_name   TEXT,
    offering_start  TEXT,
    offering_end    TEXT,
    role            TEXT,
    state           TEXT,                       -- the home side's
    remote_state    TEXT,                       -- ours (the host's)
    result          TEXT,                       -- JSON of the last result sent or seen
    status          TEXT NOT NULL,              -- 'ok' | 'sending' | 'unknown' | 'error'
    warning         TEXT,                       -- interoperability warnings (200 for 201, non-UUID id)
    first_seen      TEXT NOT NULL,
    state_since     TEXT NOT NULL,
    last_checked    TEXT,
    next_check      TEXT,
    last_error      TEXT,
    last_request    TEXT,
    last_answer     TEXT,
    UNIQUE (profile_id, association_id)
);
CREATE INDEX associations_by_state ON associations (profile_id, state);

CREATE TABLE association_events (
    id              INTEGER PRIMARY KEY,
    association     INTEGER NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    who             TEXT NOT NULL,              -- 'home' | 'host' | 'crosswalk'
    field           TEXT NOT NULL,
    from_value      TEXT,
    to_value        TEXT,
    message         TEXT,
    request_id      TEXT
);
CREATE INDEX association_events_by_association ON association_events (association, id);
