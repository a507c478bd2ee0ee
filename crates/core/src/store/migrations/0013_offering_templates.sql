-- Offering templates (owned by `enrollments::templates`): the offering and issuer JSON of each
-- offering a connection sends students to, so the next association starts from it. Saved by hand
-- or when a create succeeds. Additive: older builds that know version 7 still read this file.
CREATE TABLE offering_templates (
    profile_id   TEXT NOT NULL,
    offering_id  TEXT NOT NULL,
    code         TEXT,
    name         TEXT,
    start_date   TEXT,
    end_date     TEXT,
    template     TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    last_used    TEXT,
    PRIMARY KEY (profile_id, offering_id)
);
