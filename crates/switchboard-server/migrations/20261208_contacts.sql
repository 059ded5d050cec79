-- Contacts as a customer list (issue 9): profile, consent and opt-out, custom attributes, tags
-- with colours, merged duplicates, and saved segments.
--
-- `wa_id` stays the key Meta gives: the customer's number in E.164 without the `+`. Contacts
-- created by hand or by a CSV import store their normalised number there too, so the first
-- message from that number lands on the same contact.
ALTER TABLE contacts ADD COLUMN language TEXT;             -- en, ar, th; NULL when unknown
ALTER TABLE contacts ADD COLUMN country TEXT;              -- ISO 3166-1 alpha-2, from the number
ALTER TABLE contacts ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'; -- JSON object of text values
ALTER TABLE contacts ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN consent_source TEXT;       -- where the customer opted in
ALTER TABLE contacts ADD COLUMN consent_at INTEGER;        -- when (ms since the epoch)
ALTER TABLE contacts ADD COLUMN opted_out_at INTEGER;      -- set: never sent marketing
ALTER TABLE contacts ADD COLUMN opt_out_source TEXT;       -- keyword, agent, import, ...
ALTER TABLE contacts ADD COLUMN updated_at INTEGER;
-- A duplicate merged into another contact: kept so old references resolve, hidden from lists.
ALTER TABLE contacts ADD COLUMN merged_into INTEGER REFERENCES contacts(id);

CREATE INDEX contacts_country ON contacts(country) WHERE merged_into IS NULL;
-- A contact's conversations (profile, merge): the unique key starts with the business number.
CREATE INDEX conversations_contact ON conversations(contact_id);

-- The tag catalogue: one colour per tag name, shared by contact and conversation tags. Tag
-- names are unique without regard to case: writers reuse the spelling already stored.
CREATE TABLE tags (
    name       TEXT PRIMARY KEY,
    colour     TEXT NOT NULL,       -- #rrggbb
    created_at INTEGER NOT NULL
);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    tag        TEXT NOT NULL,
    added_at   INTEGER NOT NULL,
    added_by   INTEGER REFERENCES users(id),
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags(tag, contact_id);

-- Saved segments: a name and a boolean expression over contact facts.
CREATE TABLE segments (
    name        TEXT PRIMARY KEY,
    expression  TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
);
