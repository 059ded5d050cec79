-- The outbox also holds conversation actions written offline (internal notes, tag changes,
-- templates), in the same order as replies: `kind` says which, `payload` holds the action as
-- JSON. Rows from before this migration are replies.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
ALTER TABLE outbox ADD COLUMN payload TEXT;

-- Internal notes as last fetched from the server, plus the ones written here that the server
-- has not stored yet (`status` pending) or refused (`status` failed, with `error`).
CREATE TABLE notes (
    key             TEXT PRIMARY KEY,
    server_id       INTEGER UNIQUE,
    conversation_id INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX notes_conversation ON notes(conversation_id, created_at, key);
