-- Alerts received from partners (owner: alerts/): the envelope that brought
-- the copy's current version (its sender and signature are in inbox), and the
-- tombstones left when an owner purges a shared alert (id, version, when;
-- nothing personal).
ALTER TABLE alerts ADD COLUMN envelope_id TEXT;

CREATE TABLE alert_tombstones (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  version BIGINT NOT NULL,
  purged_at BIGINT NOT NULL
);
