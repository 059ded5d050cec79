-- API tokens (issue 10): credentials for integrations calling the REST API. Only the SHA-256
-- of the secret is kept; the secret is shown once when the token is created. A token holds
-- its own permissions (a subset of its creator's when created) and, like a custom role, may be
-- limited to numbers and teams.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,                 -- the secret's first 8 characters
    permissions     TEXT NOT NULL,                 -- JSON array of permission names
    numbers         TEXT NOT NULL DEFAULT '[]',    -- JSON array of phone number ids; empty: all
    teams           TEXT NOT NULL DEFAULT '[]',    -- JSON array of team ids; empty: all
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,                       -- written at most once a minute
    expires_at      INTEGER,
    revoked_at      INTEGER,
    rate_per_second INTEGER CHECK (rate_per_second IS NULL OR rate_per_second > 0)
);
