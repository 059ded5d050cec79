-- Keyword auto-replies (issue 8). Each rule is stored whole as the JSON of
-- `switchboard_automation::Rule`, under the id the administrator gave it, so a rule keeps its
-- id (and its cooldowns) when the list is replaced. `position` keeps the order it was saved in.
CREATE TABLE auto_reply_rules (
    id         INTEGER PRIMARY KEY,
    position   INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Every time a rule answered a customer: the history of automatic answers and the cooldown
-- lookup. No foreign keys on messages, which retention deletes; `reply_message_id` is NULL
-- when the filter held the reply back (the firing still counts, so the same refusal is not
-- raised again within the cooldown).
CREATE TABLE auto_reply_firings (
    id               INTEGER PRIMARY KEY,
    rule_id          INTEGER NOT NULL,
    contact_id       INTEGER NOT NULL,
    phone_number_id  TEXT NOT NULL,
    conversation_id  INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,
    reply_message_id INTEGER,
    fired_at         INTEGER NOT NULL
);
CREATE INDEX auto_reply_firings_cooldown ON auto_reply_firings (rule_id, contact_id, fired_at);
CREATE INDEX auto_reply_firings_conversation ON auto_reply_firings (conversation_id, fired_at);
