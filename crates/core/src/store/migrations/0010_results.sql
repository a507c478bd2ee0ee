-- Grade return (owned by `enrollments::ledger`): the offering's result value type as the home side
-- or the create body gave it, and the result settings last used per offering (the defaults for
-- the next return). Additive: older builds that know version 9 still read this file.
ALTER TABLE associations ADD COLUMN offering_result_type TEXT;

CREATE TABLE result_defaults (
    profile_id  TEXT NOT NULL,
    offering    TEXT NOT NULL,                  -- the offering's code, else its id
    settings    TEXT NOT NULL,                  -- JSON of the ResultSettings used
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (profile_id, offering)
);
