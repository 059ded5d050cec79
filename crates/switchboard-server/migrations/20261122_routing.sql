-- Routing: teams, queues with strategies, capacity, skills, priorities, SLA and snoozing.

-- Capacity override (NULL: the server's default), the agent's own status, and the global turn
-- of their last assignment (round robin and least-load ties go to the lowest turn).
ALTER TABLE users ADD COLUMN max_open INTEGER;
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'available'
    CHECK (status IN ('available', 'away'));
ALTER TABLE users ADD COLUMN last_turn INTEGER NOT NULL DEFAULT 0;

CREATE TABLE teams (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE TABLE team_numbers (
    team_id         INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    phone_number_id TEXT NOT NULL,
    PRIMARY KEY (team_id, phone_number_id)
);

-- How conversations of a number (phone_number_id set) or of a team (team_id set) are routed.
CREATE TABLE queues (
    id              INTEGER PRIMARY KEY,
    phone_number_id TEXT UNIQUE,
    team_id         INTEGER UNIQUE REFERENCES teams(id) ON DELETE CASCADE,
    strategy        TEXT NOT NULL
        CHECK (strategy IN ('round_robin', 'least_load', 'skills', 'sticky', 'manual')),
    sticky_days     INTEGER NOT NULL DEFAULT 7,
    sla_minutes     INTEGER,
    sla_action      TEXT NOT NULL DEFAULT 'reassign' CHECK (sla_action IN ('reassign', 'escalate')),
    -- Sent to a customer who has to wait; {position} is their place in line.
    waiting_message TEXT,
    -- BusinessHours as JSON: sla_minutes count only while open.
    business_hours  TEXT,
    CHECK ((phone_number_id IS NULL) <> (team_id IS NULL))
);

CREATE TABLE agent_skills (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill   TEXT NOT NULL,
    level   INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
    PRIMARY KEY (user_id, skill)
);
CREATE TABLE conversation_skills (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    skill           TEXT NOT NULL,
    level           INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (conversation_id, skill)
);

-- team_id: the team a conversation was transferred to (NULL: the number's own routing).
-- queued_at: when it started waiting. last_agent_id: who held it last (sticky routing).
-- sla_due_at: when the assignee must have answered. snoozed_until: hidden until then.
ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN team_id INTEGER REFERENCES teams(id);
ALTER TABLE conversations ADD COLUMN queued_at INTEGER;
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
ALTER TABLE conversations ADD COLUMN first_response_at INTEGER;
ALTER TABLE conversations ADD COLUMN last_agent_id INTEGER REFERENCES users(id);
ALTER TABLE conversations ADD COLUMN last_agent_at INTEGER;
ALTER TABLE conversations ADD COLUMN sla_due_at INTEGER;
ALTER TABLE conversations ADD COLUMN snoozed_until INTEGER;
ALTER TABLE conversations ADD COLUMN resolved_at INTEGER;

CREATE INDEX conversations_held ON conversations(assigned_user_id) WHERE status = 'open';
-- The line is now ordered by priority first; the older index served only waiting time.
DROP INDEX conversations_waiting;
CREATE INDEX conversations_queue ON conversations(priority DESC, queued_at)
    WHERE assigned_user_id IS NULL AND status = 'open';
CREATE INDEX conversations_sla ON conversations(sla_due_at) WHERE sla_due_at IS NOT NULL;
CREATE INDEX conversations_snoozed ON conversations(snoozed_until)
    WHERE snoozed_until IS NOT NULL;

-- Internal notes on a conversation (also the note of a transfer).
CREATE TABLE notes (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    author_id       INTEGER REFERENCES users(id),
    text            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX notes_conversation ON notes(conversation_id, id);

-- How many open conversations each user holds, kept by triggers so routing reads one row per
-- agent instead of counting conversations.
ALTER TABLE users ADD COLUMN open_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET open_count = (SELECT COUNT(*) FROM conversations c
    WHERE c.assigned_user_id = users.id AND c.status = 'open');
CREATE TRIGGER conversations_held_insert AFTER INSERT ON conversations
    WHEN NEW.assigned_user_id IS NOT NULL AND NEW.status = 'open'
BEGIN
    UPDATE users SET open_count = open_count + 1 WHERE id = NEW.assigned_user_id;
END;
CREATE TRIGGER conversations_held_update AFTER UPDATE OF assigned_user_id, status ON conversations
    WHEN OLD.assigned_user_id IS NOT NEW.assigned_user_id OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE users SET open_count = open_count - 1
        WHERE id = OLD.assigned_user_id AND OLD.status = 'open';
    UPDATE users SET open_count = open_count + 1
        WHERE id = NEW.assigned_user_id AND NEW.status = 'open';
END;
CREATE TRIGGER conversations_held_delete AFTER DELETE ON conversations
    WHEN OLD.assigned_user_id IS NOT NULL AND OLD.status = 'open'
BEGIN
    UPDATE users SET open_count = open_count - 1 WHERE id = OLD.assigned_user_id;
END;
CREATE INDEX users_turn ON users(last_turn);
CREATE INDEX conversations_assigned_at ON conversations(assigned_at) WHERE assigned_at IS NOT NULL;
CREATE INDEX conversations_resolved_at ON conversations(resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX user_numbers_number ON user_numbers(phone_number_id, user_id);
CREATE INDEX users_load ON users(open_count, last_turn);

-- Tags on a conversation (JSON array of strings), and tags that raise its place in line.
ALTER TABLE conversations ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
CREATE TABLE priority_tags (
    tag      TEXT PRIMARY KEY,
    priority INTEGER NOT NULL
);
