-- Offline search. Each message gets a search id that orders like (created_at, insertion) —
-- created_at * 4096 plus a counter for messages of the same millisecond — so the index is
-- read newest first straight from its rowids, and `search_id < cursor` pages by keyset. The
-- folded text (see fold.rs) is what both the index and short-query scans look at; the
-- original stays in `body` for display. Rows are filled in by the migration's Rust step.
ALTER TABLE messages ADD COLUMN search_id INTEGER;
ALTER TABLE messages ADD COLUMN search_text TEXT;
CREATE UNIQUE INDEX messages_search ON messages(search_id);
CREATE INDEX messages_conversation_search ON messages(conversation_id, search_id);

-- Trigram tokens find any substring of three characters or more, which is what Thai (written
-- without spaces) and Arabic (prefixes glued to words) need. Contentless: the text lives in
-- `messages` once.
CREATE VIRTUAL TABLE message_search USING fts5(
    search_text,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
WHEN new.search_id IS NOT NULL BEGIN
    INSERT INTO message_search (rowid, search_text) VALUES (new.search_id, new.search_text);
END;

CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
WHEN old.search_id IS NOT NULL BEGIN
    DELETE FROM message_search WHERE rowid = old.search_id;
END;

CREATE TRIGGER messages_search_update AFTER UPDATE OF search_id, search_text ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.search_id;
    INSERT INTO message_search (rowid, search_text)
    SELECT new.search_id, new.search_text WHERE new.search_id IS NOT NULL;
END;
