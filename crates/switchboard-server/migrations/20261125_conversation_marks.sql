-- Moments the key figures count that leave no row of their own: a resolved conversation opened
-- again (by its customer writing or by a person), and an agent missing the queue's answer
-- time. The event log is pruned after a few days; these are kept with the conversations.
CREATE TABLE conversation_marks (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    kind TEXT NOT NULL CHECK (kind IN ('reopened', 'sla_breach')),
    -- reopened: who held it when it was resolved; sla_breach: the agent who did not answer.
    user_id INTEGER
);
CREATE INDEX conversation_marks_by_time ON conversation_marks (created_at);

-- Breaches raised before this table existed are still in the event log as alerts.
INSERT INTO conversation_marks (created_at, conversation_id, kind, user_id)
SELECT e.created_at, e.conversation_id, 'sla_breach', NULL
FROM events e JOIN conversations c ON c.id = e.conversation_id
WHERE json_extract(e.payload, '$.type') = 'alert'
  AND json_extract(e.payload, '$.text') NOT LIKE 'The filter blocked%';
