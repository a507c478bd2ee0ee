-- Who runs a mirror sync (owned by `mirror`): the process (`owner`, e.g. "the CLI (pid 4242)",
-- its `pid` and `host`) and when it last said it was alive (`heartbeat_at`, every few seconds).
-- A second sync of the same provider is refused while the first is alive; one left `running` by
-- a process that died is taken as interrupted. Additive: older builds that know version 11 still
-- read this file.
ALTER TABLE mirror_syncs ADD COLUMN owner TEXT;
ALTER TABLE mirror_syncs ADD COLUMN pid INTEGER;
ALTER TABLE mirror_syncs ADD COLUMN host TEXT;
ALTER TABLE mirror_syncs ADD COLUMN heartbeat_at TEXT;
