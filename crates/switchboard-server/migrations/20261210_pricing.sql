-- What WhatsApp messages cost (issues 9 and 10): the rate card an admin loads from Meta's
-- per-message price list, and one cost record per message from the pricing objects of
-- status webhooks.

-- Price of one message by market and category. `market` is a two-letter country code (that
-- country only) or one of Meta's market names for a group of countries ('Rest of Middle
-- East', 'North America', 'Other'); a country's own row beats its group's. Several prices of
-- one market and category are periods: the one with the latest `effective_from` at or before
-- a message's time applies. A new card replaces every row in one transaction.
CREATE TABLE rate_card (
    market         TEXT NOT NULL,
    category       TEXT NOT NULL CHECK (category IN
                       ('marketing', 'utility', 'authentication', 'authentication_international', 'service')),
    effective_from INTEGER NOT NULL DEFAULT 0,  -- ms since the epoch; 0: always
    amount_micros  INTEGER NOT NULL CHECK (amount_micros >= 0),  -- millionths of the currency
    currency       TEXT NOT NULL,               -- ISO 4217, upper case
    PRIMARY KEY (market, category, effective_from)
) WITHOUT ROWID;

-- One row per WhatsApp message Meta priced, written from the first status that carried a
-- `pricing` object; later statuses of the same message add nothing (Meta repeats the object
-- on `sent` and `delivered`). Meta charges a message when it is delivered: `charged_at` is
-- set by the first delivered, read or played status. `message_id` is not a foreign key:
-- spend outlives the retention purge of the message itself.
CREATE TABLE message_costs (
    wamid           TEXT PRIMARY KEY,
    message_id      INTEGER,                -- our message, once its send stored the wamid
    phone_number_id TEXT NOT NULL,          -- the business number that sent it
    country         TEXT,                   -- the recipient's, from the number; NULL unknown
    market          TEXT,                   -- the rate card row that priced it, when one did
    category        TEXT NOT NULL,          -- Meta's, as reported (marketing, utility, ...)
    pricing_type    TEXT,                   -- regular, free_customer_service, free_entry_point
    pricing_model   TEXT,                   -- PMP (or CBP before July 2025)
    billable        INTEGER NOT NULL,       -- Meta charges it (type regular)
    amount_micros   INTEGER,                -- NULL: billable but the card has no price
    currency        TEXT,
    priced_at       INTEGER NOT NULL,       -- Meta's time of the first priced status (ms)
    charged_at      INTEGER                 -- when it was delivered (ms); NULL until then
) WITHOUT ROWID;
CREATE INDEX message_costs_charged ON message_costs(charged_at) WHERE charged_at IS NOT NULL;
CREATE INDEX message_costs_message ON message_costs(message_id) WHERE message_id IS NOT NULL;

-- A status can arrive before the send call stored the message's wamid; the cost finds its
-- message when it does.
CREATE TRIGGER message_costs_link AFTER UPDATE OF wamid ON messages
WHEN NEW.wamid IS NOT NULL
BEGIN
    UPDATE message_costs SET message_id = NEW.id WHERE wamid = NEW.wamid AND message_id IS NULL;
END;
