-- Custom roles: a set of permissions (JSON array of names), scoped to business numbers and
-- teams (JSON arrays; empty: all), built on a built-in role that decides whether routing hands
-- its holders conversations and which desk screens they start with.
CREATE TABLE roles (
    name        TEXT PRIMARY KEY,
    base        TEXT NOT NULL CHECK (base IN ('admin', 'supervisor', 'agent')),
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL,
    numbers     TEXT NOT NULL DEFAULT '[]',
    teams       TEXT NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The custom role a user holds; `role` then holds the custom role's base.
ALTER TABLE users ADD COLUMN custom_role TEXT REFERENCES roles(name);

-- The event log position at which the user's rights last changed: a desktop whose cursor is
-- older gets a snapshot, so it forgets conversations it may no longer read.
ALTER TABLE users ADD COLUMN access_changed_seq INTEGER NOT NULL DEFAULT 0;
