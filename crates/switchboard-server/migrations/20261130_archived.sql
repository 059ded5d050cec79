-- Conversations imported from an earlier system (a WhatsApp chat export): kept to read, never
-- replied to, until the customer writes again.
ALTER TABLE conversations ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
