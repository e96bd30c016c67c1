-- federation/: dead-lettering of envelopes a partner keeps refusing. A row
-- the recipient answered "rejected" (not "deferred", not a transport
-- failure) SenderOptions::max_refusals times gets dead_at and is no longer
-- sent (ClaimBatch, NextDue and the pending figures skip it) until an
-- administrator retries it (dead_at NULL, refusals 0) or discards it (row
-- deleted). `attempts` keeps counting every failed attempt, `refusals` only
-- the refusals. Plain ADD COLUMN: the same text on SQLite and PostgreSQL.
ALTER TABLE outbox ADD COLUMN refusals BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN dead_at BIGINT;   -- Unix ms UTC, NULL for a live row
-- A partner's dead letters, newest first, and the health figures.
CREATE INDEX outbox_dead_idx ON outbox (recipient, dead_at);
