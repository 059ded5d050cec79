-- Broadcasts (issue 9): one approved template sent to a segment from one or several business
-- numbers, with a row per recipient so sending is a durable job that resumes after a crash
-- without sending anyone a second message.

CREATE TABLE broadcasts (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN
                     ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled')),
    audience     TEXT NOT NULL,          -- a saved segment's name or a segment expression
    template     TEXT NOT NULL,          -- name in [[templates]]
    language     TEXT NOT NULL,          -- the template's language code (en_US)
    parameters   TEXT NOT NULL DEFAULT '[]', -- JSON: one ParameterSource per {{n}}
    numbers      TEXT NOT NULL DEFAULT '[]', -- JSON: phone_number_ids to send from
    scheduled_at INTEGER,                -- when sending starts
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    started_at   INTEGER,
    -- Set once every recipient row is written; until then a restart writes them again
    -- (idempotent through UNIQUE(broadcast_id, contact_id)).
    materialized_at INTEGER,
    finished_at  INTEGER,                -- completed or cancelled
    recipients   INTEGER NOT NULL DEFAULT 0,  -- rows written when it started
    queued_messages INTEGER NOT NULL DEFAULT 0 -- recipients whose message was queued
);
CREATE INDEX broadcasts_active ON broadcasts(state) WHERE state IN ('scheduled', 'sending');

-- One row per contact of the audience. `state` is where the row itself is: queued (waiting
-- for its message), excluded, cancelled, or failed before a message existed; once
-- `message_id` is set, the message's own delivery status (and any later inbound message in
-- its conversation, for `replied`) says how far it got, so status webhooks need no second
-- bookkeeping here.
CREATE TABLE broadcast_recipients (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts(id),
    contact_id      INTEGER NOT NULL REFERENCES contacts(id),
    phone_number_id TEXT,                 -- the number it goes from
    state           TEXT NOT NULL CHECK (state IN
                        ('queued', 'excluded', 'sending', 'sent', 'delivered', 'read',
                         'replied', 'failed', 'cancelled')),
    reason          TEXT,                 -- exclusion (ExclusionReason word) or failure, plain
    message_id      INTEGER REFERENCES messages(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (broadcast_id, contact_id)
);
CREATE INDEX broadcast_recipients_queued ON broadcast_recipients(broadcast_id, id)
    WHERE state = 'queued';
CREATE INDEX broadcast_recipients_message ON broadcast_recipients(message_id)
    WHERE message_id IS NOT NULL;

-- Broadcast messages go in the governor's broadcast lane. `send_started_at` is set, for them,
-- in its own commit just before the Graph call: a message found with it set and no wamid was
-- perhaps sent by a run that crashed, so it is never sent again, only reconciled from a status
-- that echoes its `biz_opaque_callback_data`, or failed after a grace period.
ALTER TABLE messages ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts(id);
ALTER TABLE messages ADD COLUMN send_started_at INTEGER;
CREATE INDEX messages_broadcast ON messages(broadcast_id) WHERE broadcast_id IS NOT NULL;
