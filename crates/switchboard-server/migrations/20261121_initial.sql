CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
    created_at    INTEGER NOT NULL
);

-- Which business numbers a user answers; last_assigned_at drives round robin.
CREATE TABLE user_numbers (
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    phone_number_id  TEXT NOT NULL,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, phone_number_id)
);

-- Opaque bearer tokens, stored only as SHA-256 hashes.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE numbers (
    phone_number_id      TEXT PRIMARY KEY,
    display_phone_number TEXT NOT NULL,
    name                 TEXT NOT NULL,
    waba_id              TEXT NOT NULL
);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    wa_id      TEXT UNIQUE,
    user_id    TEXT UNIQUE,
    name       TEXT,
    created_at INTEGER NOT NULL,
    CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL)
);

CREATE TABLE conversations (
    id                   INTEGER PRIMARY KEY,
    phone_number_id      TEXT NOT NULL REFERENCES numbers(phone_number_id),
    contact_id           INTEGER NOT NULL REFERENCES contacts(id),
    status               TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    assigned_user_id     INTEGER REFERENCES users(id),
    last_message_at      INTEGER NOT NULL,
    last_message_preview TEXT NOT NULL,
    last_inbound_at      INTEGER,
    created_at           INTEGER NOT NULL,
    UNIQUE (phone_number_id, contact_id)
);
CREATE INDEX conversations_waiting ON conversations(phone_number_id, last_message_at)
    WHERE assigned_user_id IS NULL AND status = 'open';

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    direction       TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    wamid           TEXT UNIQUE,
    kind            TEXT NOT NULL,
    text            TEXT NOT NULL,
    body            TEXT NOT NULL,  -- the typed MessageBody as JSON
    context         TEXT,           -- MessageContext as JSON, when there is one
    payload         TEXT,           -- the message exactly as the webhook carried it
    status          TEXT NOT NULL,
    error           TEXT,
    sender_user_id  INTEGER REFERENCES users(id),
    idempotency_key TEXT UNIQUE,
    -- A template sent while the customer's window was closed: counts toward Meta's daily
    -- limit of customers a business may message first; counted_at is when it took its place.
    business_initiated INTEGER NOT NULL DEFAULT 0,
    counted_at      INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE INDEX messages_queued ON messages(id) WHERE status = 'queued';

-- Media of inbound messages: fetched from Meta after the webhook is stored, kept by content
-- (sha256 hex) under the data directory.
CREATE TABLE message_media (
    message_id      INTEGER PRIMARY KEY REFERENCES messages(id),
    phone_number_id TEXT NOT NULL,
    media_id        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
    mime_type       TEXT,
    sha256          TEXT,
    size            INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX message_media_pending ON message_media(message_id) WHERE status = 'pending';

-- Every status webhook as received, also for ids not (yet) known.
CREATE TABLE status_history (
    id          INTEGER PRIMARY KEY,
    wamid       TEXT NOT NULL,
    status      TEXT NOT NULL,
    timestamp   INTEGER,
    payload     TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (wamid, status)
);

-- Raw webhook bodies, committed before Meta gets its 200.
CREATE TABLE intake (
    id           INTEGER PRIMARY KEY,
    received_at  INTEGER NOT NULL,
    app_name     TEXT NOT NULL,
    body         BLOB NOT NULL,
    processed_at INTEGER
);

-- The change log desktops sync from; assignee_id is who held the conversation at the time.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at      INTEGER NOT NULL,
    conversation_id INTEGER,
    assignee_id     INTEGER,
    payload         TEXT NOT NULL
);

CREATE TABLE filter_policies (
    version    INTEGER PRIMARY KEY,
    entries    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Outbound texts the server refused, with who tried and which rule.
CREATE TABLE filter_blocks (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users(id),
    conversation_id INTEGER REFERENCES conversations(id),
    text            TEXT NOT NULL,
    phrase          TEXT NOT NULL,
    policy_version  INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
