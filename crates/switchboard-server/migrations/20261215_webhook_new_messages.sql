-- Outgoing webhooks tell a new message from one that existed before they started watching by
-- its id, not its time: WhatsApp's timestamps are whole seconds and may lag, so a message that
-- arrived just after webhooks started could look older than the start. A message with an id
-- above `last_old_message_id` is announced as created when the fan-out first sees it.
ALTER TABLE webhook_cursor ADD COLUMN last_old_message_id INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_cursor SET last_old_message_id = COALESCE(
    (SELECT MAX(id) FROM messages WHERE created_at < webhook_cursor.started_at), 0);
