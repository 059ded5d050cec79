-- Small facts about the session: server URL, signed-in user, sync cursor, filter policy.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    last_message_at INTEGER NOT NULL,
    unread          INTEGER NOT NULL DEFAULT 0,
    body            TEXT NOT NULL
);
CREATE INDEX conversations_recent ON conversations(last_message_at DESC);

-- Messages by their stable key; server_id is absent while a message waits in the outbox.
CREATE TABLE messages (
    key             TEXT PRIMARY KEY,
    server_id       INTEGER UNIQUE,
    conversation_id INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, created_at, key);

-- Replies written on this desktop that the server has not accepted yet, in writing order.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    conversation_id INTEGER NOT NULL,
    text            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
