-- Connection profiles: non-secret settings only. Secrets live in the OS keyring.
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,          -- stable id, also the keyring account prefix
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL CHECK (kind IN ('openedx', 'openlearning', 'ooapi')),
    body        TEXT NOT NULL,             -- JSON: settings, network, secret_env
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
