-- Everyone who has held a conversation, so an agent refused on a conversation taken from them
-- is told where it went instead of "not found".
CREATE TABLE conversation_holders (
    conversation_id INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO conversation_holders (conversation_id, user_id)
SELECT id, assigned_user_id FROM conversations WHERE assigned_user_id IS NOT NULL;
INSERT OR IGNORE INTO conversation_holders (conversation_id, user_id)
SELECT DISTINCT conversation_id, assignee_id FROM events
WHERE conversation_id IS NOT NULL AND assignee_id IS NOT NULL;
