-- Greetings on a customer's first contact and satisfaction surveys after a resolve (issue 8).

-- The administrator's settings, each stored whole as JSON: 'greetings' holds
-- `switchboard_protocol::GreetingSettings`, 'csat' holds `CsatSettings`.
CREATE TABLE courtesy_settings (
    name       TEXT PRIMARY KEY CHECK (name IN ('greetings', 'csat')),
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per resolve that called for a survey. agent_id: who held the conversation when it
-- was resolved (else who resolved it); team_id: the team it was transferred to, else the
-- agent's team serving its number. skipped says why no survey went out ('window_closed': the
-- customer's 24-hour window had closed; 'filtered': the outbound filter held it back).
-- score and answered_at: the customer's first answer; later answers change nothing. No
-- foreign keys on messages, which retention deletes.
CREATE TABLE csat_surveys (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations(id),
    phone_number_id   TEXT NOT NULL,
    contact_id        INTEGER NOT NULL,
    agent_id          INTEGER,
    resolved_by       INTEGER,
    team_id           INTEGER,
    language          TEXT NOT NULL,
    message_id        INTEGER,
    sent_at           INTEGER NOT NULL,
    skipped           TEXT CHECK (skipped IN ('window_closed', 'filtered')),
    score             INTEGER CHECK (score BETWEEN 1 AND 5),
    answered_at       INTEGER,
    answer_message_id INTEGER
);
CREATE INDEX csat_surveys_contact ON csat_surveys (contact_id, phone_number_id, sent_at);
CREATE INDEX csat_surveys_answered ON csat_surveys (answered_at) WHERE score IS NOT NULL;
CREATE INDEX csat_surveys_sent ON csat_surveys (sent_at);
