-- The tamper-evident audit log (owner: audit/). Append-only: rows are written
-- by audit::AuditLog::Append and never updated or deleted by the node.
-- Each row's hash covers its predecessor's hash and its own fields (the exact
-- encoding is documented in src/audit/audit_log.h); times are Unix ms UTC.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  occurred_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  purpose TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_object_idx ON audit_log (object, seq);
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);

-- The head of the chain: the last seq and its hash. Exactly one row (id = 1).
-- Appenders lock it with UPDATE ... RETURNING, which serialises them.
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
