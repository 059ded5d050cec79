-- A note written on a desk carries the key it was written with, so the desk can send it again
-- after a lost answer (or from its offline outbox) without the note being stored twice.
ALTER TABLE notes ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX notes_idempotency ON notes(idempotency_key) WHERE idempotency_key IS NOT NULL;
