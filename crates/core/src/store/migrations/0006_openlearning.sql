-- OpenLearning user ids found by external id, so the next launch skips the lookup.
-- Launch parameters are single-use credentials and are never stored anywhere.
CREATE TABLE openlearning_users (
    profile_id    TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    full_name     TEXT,
    email         TEXT,
    found_at      TEXT NOT NULL,
    PRIMARY KEY (profile_id, external_id)
) WITHOUT ROWID;
