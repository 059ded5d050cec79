-- Each reply remembers the filter policy version it was checked with, so a reply written
-- before a policy change is checked again before it leaves; whether the agent confirmed the
-- policy's warnings; and how often the server failed it in ways a retry might fix, so one
-- broken reply cannot hold the outbox back forever. Rows from before this migration count as
-- checked with no policy (version 0) and are therefore checked again.
ALTER TABLE outbox ADD COLUMN filter_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN confirmed_warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
