-- Filter policies edited in the app: exceptions, who saved a version, and whether it came
-- from the server's settings file.
ALTER TABLE filter_policies ADD COLUMN allowlist TEXT NOT NULL DEFAULT '[]';
ALTER TABLE filter_policies ADD COLUMN created_by INTEGER REFERENCES users(id);
ALTER TABLE filter_policies ADD COLUMN from_settings INTEGER NOT NULL DEFAULT 1;

-- Refused messages: what sent them and which entry refused them.
ALTER TABLE filter_blocks ADD COLUMN source TEXT NOT NULL DEFAULT 'agent';
ALTER TABLE filter_blocks ADD COLUMN action TEXT NOT NULL DEFAULT 'block';
ALTER TABLE filter_blocks ADD COLUMN rule INTEGER;
CREATE INDEX filter_blocks_recent ON filter_blocks (created_at);
