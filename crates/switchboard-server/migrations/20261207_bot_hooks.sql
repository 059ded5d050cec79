-- Bot hooks (issue 8): every time a hook rule fired. The row is written in the webhook's
-- ingest transaction; the bot hook worker makes the HTTP call after commit (and after a
-- restart, for rows still pending), and settles the row in the same transaction that queues
-- the answer or hands the conversation over, guarded by `status = 'pending'`, so one call
-- never produces two answers. What the customer wrote is kept here because the worker builds
-- the hook's request from it. No foreign keys on messages, which retention deletes.
CREATE TABLE bot_hook_calls (
    id               INTEGER PRIMARY KEY,
    rule_id          INTEGER NOT NULL,
    phone_number_id  TEXT NOT NULL,
    contact_id       INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL,
    -- The customer's message that fired the rule.
    message_id       INTEGER NOT NULL,
    text             TEXT NOT NULL,
    keyword          TEXT NOT NULL,
    -- JSON object of what the rule's named regular-expression groups captured.
    captures         TEXT NOT NULL DEFAULT '{}',
    -- en, ar or th: the language the customer wrote in.
    language         TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'answered', 'handed_over')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    -- Why the last attempt failed, in English, for administrators and logs.
    last_error       TEXT,
    -- The automatic message sent: the answer, or the hand-over text.
    reply_message_id INTEGER,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX bot_hook_calls_pending ON bot_hook_calls (next_attempt_at) WHERE status = 'pending';
CREATE INDEX bot_hook_calls_conversation ON bot_hook_calls (conversation_id, id);
