-- Spend per team and campaign, and monthly budgets with warnings (issue 10).

-- The team a message's spend counts for: its conversation's team when Meta priced it (a
-- transfer), else the lowest-numbered team serving its number; NULL: no team. Set once, so a
-- later transfer does not move past spend. The broadcast it belonged to, if any.
ALTER TABLE message_costs ADD COLUMN team_id INTEGER;
ALTER TABLE message_costs ADD COLUMN broadcast_id INTEGER;
UPDATE message_costs SET
    broadcast_id = (SELECT m.broadcast_id FROM messages m WHERE m.id = message_costs.message_id),
    team_id = COALESCE(
        (SELECT c.team_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id = message_costs.message_id),
        (SELECT MIN(tn.team_id) FROM team_numbers tn
         WHERE tn.phone_number_id = message_costs.phone_number_id));

DROP TRIGGER message_costs_link;
CREATE TRIGGER message_costs_link AFTER UPDATE OF wamid ON messages
WHEN NEW.wamid IS NOT NULL
BEGIN
    UPDATE message_costs SET message_id = NEW.id, broadcast_id = NEW.broadcast_id
    WHERE wamid = NEW.wamid AND message_id IS NULL;
END;

-- Delivered spend per month (UTC, '2026-12'), number, team (0: none) and currency, kept in
-- step with message_costs when a message is charged and rebuilt when the card changes, so a
-- budget check reads a handful of rows rather than a month of messages.
CREATE TABLE monthly_spend (
    month           TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    team_id         INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    amount_micros   INTEGER NOT NULL,
    PRIMARY KEY (month, phone_number_id, team_id, currency)
) WITHOUT ROWID;
INSERT INTO monthly_spend (month, phone_number_id, team_id, currency, amount_micros)
SELECT strftime('%Y-%m', charged_at / 1000, 'unixepoch'), phone_number_id, COALESCE(team_id, 0),
       currency, SUM(amount_micros)
FROM message_costs
WHERE charged_at IS NOT NULL AND amount_micros IS NOT NULL AND currency IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- Monthly caps. scope 'account' (target ''), 'number' (target: phone_number_id) or 'team'
-- (target: the team's id). thresholds: JSON array of percentages, ascending.
CREATE TABLE budgets (
    scope       TEXT NOT NULL CHECK (scope IN ('account', 'number', 'team')),
    target      TEXT NOT NULL,
    cap_micros  INTEGER NOT NULL CHECK (cap_micros > 0),
    currency    TEXT NOT NULL,
    thresholds  TEXT NOT NULL DEFAULT '[80,100]',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, target)
) WITHOUT ROWID;

-- One row per budget, month and threshold crossed: the primary key is what makes a warning
-- go out at most once, whatever order statuses arrive in and across restarts.
CREATE TABLE budget_warnings (
    scope        TEXT NOT NULL,
    target       TEXT NOT NULL,
    month        TEXT NOT NULL,
    threshold    INTEGER NOT NULL,
    spent_micros INTEGER NOT NULL,
    cap_micros   INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    warned_at    INTEGER NOT NULL,
    PRIMARY KEY (scope, target, month, threshold)
) WITHOUT ROWID;
