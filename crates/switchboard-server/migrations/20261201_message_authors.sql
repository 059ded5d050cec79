-- Who wrote an imported message in the system it came from, when they have no account here:
-- shown as its sender.
ALTER TABLE messages ADD COLUMN author TEXT;
