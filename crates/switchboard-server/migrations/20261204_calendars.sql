-- Business calendars per number and the off-hours reply (issue 8).

-- Named, reusable lists of closed dates ("Saudi public holidays 2027"); numbers' calendars
-- name them in their hours. `dates` is a JSON array of YYYY-MM-DD.
CREATE TABLE holiday_calendars (
    name       TEXT PRIMARY KEY,
    dates      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One calendar per number: `hours` is the JSON of `switchboard_domain::BusinessHours`
-- (openings, time zone, closed dates, holiday calendar names, one-off closures). The
-- off-hours reply is sent only when at least one of its texts is set.
CREATE TABLE number_calendars (
    phone_number_id      TEXT PRIMARY KEY,
    hours                TEXT NOT NULL,
    reply_en             TEXT,
    reply_ar             TEXT,
    reply_th             TEXT,
    agent_active_minutes INTEGER NOT NULL DEFAULT 15,
    updated_at           INTEGER NOT NULL
);

-- Every off-hours notice: at most one per conversation and closure (the closure key is when
-- the number opens again). No foreign keys on messages, which retention deletes;
-- `reply_message_id` is NULL when the filter held the notice back (it still counts, so the
-- refusal is not raised again in the same closure).
CREATE TABLE off_hours_notices (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL,
    phone_number_id  TEXT NOT NULL,
    closure_key      TEXT NOT NULL,
    message_id       INTEGER NOT NULL,
    reply_message_id INTEGER,
    language         TEXT NOT NULL,
    sent_at          INTEGER NOT NULL,
    UNIQUE (conversation_id, closure_key)
);
