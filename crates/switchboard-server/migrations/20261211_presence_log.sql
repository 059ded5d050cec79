-- Reports (issue 10): agents' presence over time, one row per change of their status as the
-- server saw it (online: a desktop connected and not away; away: connected and set away;
-- offline: no desktop connected). A report clips these intervals to its period.
CREATE TABLE presence_log (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('online', 'away', 'offline')),
    at      INTEGER NOT NULL
);
CREATE INDEX presence_log_by_time ON presence_log (at);
CREATE INDEX presence_log_by_user ON presence_log (user_id, at);

-- Reports find the reopen before each resolve of a conversation.
CREATE INDEX conversation_marks_conversation ON conversation_marks (conversation_id, created_at);
