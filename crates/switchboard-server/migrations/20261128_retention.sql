-- Legal holds: a conversation, or every conversation of a contact, kept whatever the number's
-- retention says, until the hold is released.
CREATE TABLE legal_holds (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER REFERENCES conversations(id),
    contact_id      INTEGER REFERENCES contacts(id),
    reason          TEXT NOT NULL,
    placed_by       INTEGER REFERENCES users(id),
    placed_at       INTEGER NOT NULL,
    released_by     INTEGER REFERENCES users(id),
    released_at     INTEGER,
    CHECK ((conversation_id IS NULL) <> (contact_id IS NULL))
);
CREATE INDEX legal_holds_active ON legal_holds(conversation_id, contact_id) WHERE released_at IS NULL;
