-- Endpoint check runs (owned by `ooapi::check::runs`): each run's report as JSON, without any
-- token, so the next run shows what changed. The last 20 per connection are kept.
-- Additive: older builds that know version 10 still read this file.
CREATE TABLE endpoint_checks (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    failed      INTEGER NOT NULL,
    report      TEXT NOT NULL
);
CREATE INDEX endpoint_checks_by_profile ON endpoint_checks (profile_id, id);
