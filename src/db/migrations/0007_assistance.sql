-- Mutual-assistance requests (owner: assistance/): the requests this node
-- sent (requester = this agency) and received (requested = this agency), and
-- the history of their transitions. Both nodes hold the same request and
-- history; the columns marked "local" never cross. Times are Unix ms UTC.
-- See src/assistance/assistance.h and docs/assistance.md.
CREATE TABLE assistance_requests (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the requester's node
  requester TEXT NOT NULL,             -- agency codes
  requested TEXT NOT NULL,
  type TEXT NOT NULL,                  -- information|operational_action|technical_assistance|training|hit_follow_up
  urgency TEXT NOT NULL,               -- urgent|normal
  directly_accessible BIGINT NOT NULL CHECK (directly_accessible IN (0, 1)),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  grounds TEXT NOT NULL,
  urgency_reason TEXT NOT NULL DEFAULT '',
  case_reference TEXT NOT NULL DEFAULT '',
  alert_id TEXT,                       -- a linked alert, if any
  hit_id TEXT,                         -- a linked hit report, if any
  state TEXT NOT NULL,                 -- submitted|received|in_progress|clarification_requested|clarified|answered|refused|closed
  version BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  received_at BIGINT,                  -- at the requested node: starts the deadline
  deadline_at BIGINT,                  -- derived (deadline.h)
  warning_at BIGINT,                   -- derived: 75 % of the period
  suspended_ms BIGINT NOT NULL DEFAULT 0, -- awaiting clarifications (Art. 6(3))
  suspended_since BIGINT,              -- local: requester, question received
  clarification_question TEXT NOT NULL DEFAULT '',
  clarification_requested_at BIGINT,
  clarification TEXT NOT NULL DEFAULT '',
  clarified_at BIGINT,
  answer TEXT NOT NULL DEFAULT '',
  answered_at BIGINT,
  refusal_reason TEXT,                 -- legal_grounds|disproportionate|not_available|other
  refusal_text TEXT NOT NULL DEFAULT '',
  refused_at BIGINT,
  close_note TEXT NOT NULL DEFAULT '',
  closed_at BIGINT,
  created_by TEXT NOT NULL,            -- local: audit actor, or peer:<agency>
  created_at BIGINT NOT NULL,          -- local
  updated_at BIGINT NOT NULL,          -- local
  warned_at BIGINT,                    -- local: the 75 % reminder was given
  overdue_at BIGINT,                   -- local: flagged overdue
  envelope_id TEXT                     -- local: the envelope of the partner's latest change
);
CREATE INDEX assistance_requests_due_idx ON assistance_requests (state, deadline_at);
CREATE INDEX assistance_requests_submitted_idx ON assistance_requests (submitted_at, id);
CREATE INDEX assistance_requests_partner_idx ON assistance_requests (requester, requested, submitted_at);

-- Every transition: who (agency; actor is the local audit actor or
-- peer:<agency>), what, when, and its text (answer, refusal text, question,
-- clarification, closing note). A transition of the requested agency that
-- crossed the requester's close shares its version with the close, hence the
-- agency in the key.
CREATE TABLE assistance_history (
  request_id TEXT NOT NULL REFERENCES assistance_requests (id),
  version BIGINT NOT NULL,
  agency TEXT NOT NULL,
  transition TEXT NOT NULL,            -- submit|receive|start|answer|refuse|request_clarification|clarify|close
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',     -- refusal reason
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (request_id, version, agency)
);
