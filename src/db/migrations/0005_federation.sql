-- Federation (owner: federation/): the partner nodes this node exchanges
-- with, the transactional outbox of envelopes to send, the inbox of envelopes
-- received (metadata only: the bodies of received records live in the
-- feature modules' tables, so a purge leaves nothing here), and the newest
-- version applied per received record. Times are Unix ms UTC.
CREATE TABLE peers (
  code TEXT PRIMARY KEY,               -- agency code, e.g. FR-DGPN
  card TEXT NOT NULL,                  -- the peer's card (JSON) as registered
  url TEXT NOT NULL,                   -- https://HOST:PORT of its federation listener
  tls_fingerprint TEXT NOT NULL UNIQUE, -- sha256:... of its TLS certificate
  signing_key TEXT NOT NULL,           -- its Ed25519 public key, base64
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL
);

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,                 -- the envelope id, UUIDv7 (time-ordered)
  recipient TEXT NOT NULL,             -- agency code
  kind TEXT NOT NULL,                  -- e.g. alert.upsert
  record_id TEXT NOT NULL,             -- e.g. alert:<uuid>
  version BIGINT NOT NULL,             -- the record's version
  body TEXT NOT NULL,                  -- JSON
  created_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,                -- a sender's lease on the row
  delivered_at BIGINT,
  last_error TEXT NOT NULL DEFAULT ''
);
-- A sender claims its peer's undelivered rows oldest first (no sort of the
-- backlog); NextDue and the health figures read the same rows.
CREATE INDEX outbox_claim_idx ON outbox (recipient, delivered_at, id);

CREATE TABLE inbox (
  id TEXT PRIMARY KEY,                 -- the envelope id
  sender TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  sent_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  body_hash TEXT NOT NULL,             -- BLAKE2b-256 of the body, hex
  signature TEXT NOT NULL,             -- Ed25519 signature, base64
  outcome TEXT NOT NULL                -- applied|superseded
);
CREATE INDEX inbox_sender_idx ON inbox (sender, received_at);

CREATE TABLE inbox_records (
  sender TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,             -- newest version applied
  envelope_id TEXT NOT NULL,
  PRIMARY KEY (sender, record_id)
);
