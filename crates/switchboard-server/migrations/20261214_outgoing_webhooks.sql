-- Outgoing webhooks (issue 10): outside systems subscribe to public events; each event becomes
-- one delivery row per subscription, retried with stored, jittered due times until delivered
-- or dead-lettered.
CREATE TABLE webhook_subscriptions (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_types TEXT NOT NULL,              -- JSON array of wire names
    enabled     INTEGER NOT NULL DEFAULT 1,
    -- The HMAC key. Stored as is because every delivery needs it; never logged, shown only at
    -- creation and rotation.
    secret      TEXT NOT NULL,
    -- Whether payloads carry masked customer details in full (the saver could see them).
    unmasked    INTEGER NOT NULL DEFAULT 0,
    -- Events up to this sequence number of `events` happened before it existed.
    after_seq   INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    -- Deliveries with the same key (a conversation) go out one after the other, in id order.
    ordering_key    TEXT,
    payload         TEXT NOT NULL,          -- the exact body, so every attempt signs the same bytes
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    -- Attempts give up this long after here: the event, or the last manual redelivery.
    window_start    INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_line ON webhook_deliveries (subscription_id, ordering_key, id)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_listed ON webhook_deliveries (state, subscription_id, id);

-- How far the fan-out has read the event log. Starts at the log's head: history from before
-- this version is not sent.
-- `started_at`: messages created before it are not announced as new when first seen.
CREATE TABLE webhook_cursor (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seq        INTEGER NOT NULL,
    started_at INTEGER NOT NULL
);
INSERT INTO webhook_cursor (id, seq, started_at)
    SELECT 1, COALESCE(MAX(seq), 0), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    FROM events;

-- What the fan-out last saw of each conversation and message, to tell a conversation's
-- creation, assignment and resolution, and a message's creation and status changes, apart
-- in the log's generic "upserted" events.
CREATE TABLE webhook_conversation_states (
    conversation_id  INTEGER PRIMARY KEY,
    status           TEXT NOT NULL,
    assigned_user_id INTEGER
);
INSERT INTO webhook_conversation_states (conversation_id, status, assigned_user_id)
    SELECT id, status, assigned_user_id FROM conversations;
CREATE TABLE webhook_message_states (
    message_id INTEGER PRIMARY KEY,
    status     TEXT NOT NULL
);
