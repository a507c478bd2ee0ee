-- Mirror generations: a sync writes its rows straight into mirror_mappings, tagged with its own
-- generation (= its mirror_syncs id), while the pages arrive. mirror_current says which
-- generation of each provider is live; every read filters on it. The swap is then one short
-- transaction that flips the pointer, and superseded generations are deleted afterwards.

-- Which generation of each provider's mirror is live (no row: never synced).
CREATE TABLE mirror_current (
    profile_id   TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    generation   INTEGER NOT NULL,
    PRIMARY KEY (profile_id, provider_id)
) WITHOUT ROWID;

-- The mirrors that exist become generation = their last finished sync (0 if there is none).
INSERT INTO mirror_current (profile_id, provider_id, generation)
SELECT p.profile_id, p.provider_id,
       coalesce((SELECT max(s.id) FROM mirror_syncs s
                 WHERE s.profile_id = p.profile_id AND s.provider_id = p.provider_id AND s.status = 'done'), 0)
FROM (SELECT DISTINCT profile_id, provider_id FROM mirror_mappings) p;

-- mirror_mappings gains the generation (part of the unique key, so two generations can hold the
-- same row). SQLite cannot change a table's constraints, so the table is rebuilt; rows keep their
-- ids and contents, so the trigram index (keyed by id) stays valid as it is.
DROP TRIGGER mirror_mappings_ai;
DROP TRIGGER mirror_mappings_ad;
CREATE TABLE mirror_mappings_v4 (
    id           INTEGER PRIMARY KEY,
    profile_id   TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    generation   INTEGER NOT NULL,
    username     TEXT NOT NULL,
    remote_id    TEXT NOT NULL
);
INSERT INTO mirror_mappings_v4 (id, profile_id, provider_id, generation, username, remote_id)
SELECT m.id, m.profile_id, m.provider_id, c.generation, m.username, m.remote_id
FROM mirror_mappings m JOIN mirror_current c ON c.profile_id = m.profile_id AND c.provider_id = m.provider_id;
DROP TABLE mirror_mappings;
ALTER TABLE mirror_mappings_v4 RENAME TO mirror_mappings;

-- Exact lookups, one index per direction; the first also keeps a generation free of duplicates
-- and returns it in username order (exports, the diff).
CREATE UNIQUE INDEX mirror_by_username ON mirror_mappings (profile_id, provider_id, generation, username, remote_id);
CREATE INDEX mirror_by_remote_id ON mirror_mappings (profile_id, provider_id, generation, remote_id);

-- The search index: rows are added to it by the mirror's writer, a batch per statement, right
-- after it inserts them (FTS5 writes a segment per statement, so a per-row insert trigger wrote
-- one per row; only the writer inserts into mirror_mappings). Deletes still go through a trigger.
CREATE TRIGGER mirror_mappings_ad AFTER DELETE ON mirror_mappings BEGIN
    INSERT INTO mirror_search (mirror_search, rowid, username, remote_id) VALUES ('delete', old.id, old.username, old.remote_id);
END;

-- Staging is replaced by the generations. (A sync that was running when this build was installed
-- is marked failed by the next sync, as before; its staging rows go with the table.)
DROP TABLE mirror_staging;
