-- Training and technical assistance (owner: training/). Programmes, their
-- sessions and the technical-assistance catalogue are owned by one agency
-- (`owner`, the provider): only its node changes them, raising `version`;
-- the agencies of `share_with` hold read-only copies received through
-- federation (envelope_id: the envelope of the copy's latest version).
-- Enrolments have two writers: the participant's agency owns the
-- participant part (`version`), the provider the outcome part
-- (`record_version`: status, attendance, completion). `body` is the whole
-- record as JSON (src/training/training.h); the other columns are its keys.
-- Times are Unix ms UTC. See docs/training.md.
CREATE TABLE training_programmes (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the owner's node
  owner TEXT NOT NULL,                 -- the provider agency
  title TEXT NOT NULL,
  topic TEXT NOT NULL,                 -- organised_crime|terrorism|...
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,            -- local: audit actor, or peer:<agency>
  created_at BIGINT NOT NULL,          -- local
  updated_at BIGINT NOT NULL,          -- local
  envelope_id TEXT                     -- local
);
CREATE INDEX training_programmes_updated_idx ON training_programmes (updated_at, id);

CREATE TABLE training_sessions (
  id TEXT PRIMARY KEY,
  programme_id TEXT NOT NULL REFERENCES training_programmes (id),
  owner TEXT NOT NULL,                 -- the programme's owner
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL CHECK (capacity > 0),
  state TEXT NOT NULL,                 -- planned|open|closed|held|cancelled
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX training_sessions_programme_idx ON training_sessions (programme_id, starts_at, id);

-- One participant of one agency in one session. At the provider: every
-- agency's participants; at a partner: its own participants only. No
-- foreign key to the session: a partner keeps its own enrolments when the
-- provider stops sharing the programme (session_starts_at and provider
-- are kept for the statistics).
CREATE TABLE training_enrolments (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the agency's node
  session_id TEXT NOT NULL,
  programme_id TEXT NOT NULL,
  provider TEXT NOT NULL,              -- the session's owner
  agency TEXT NOT NULL,                -- the participant's agency (owner of the enrolment)
  session_starts_at BIGINT NOT NULL,
  name TEXT NOT NULL,                  -- personal data
  participant_rank TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  withdrawn BIGINT NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  version BIGINT NOT NULL,             -- the agency's part
  status TEXT NOT NULL,                -- pending|confirmed|refused|withdrawn (the provider's)
  status_reason TEXT NOT NULL DEFAULT '',
  attended BIGINT CHECK (attended IN (0, 1)),
  completion TEXT NOT NULL DEFAULT '', -- ''|completed|not_completed
  certificate_number TEXT NOT NULL DEFAULT '',
  record_version BIGINT NOT NULL DEFAULT 0,  -- the provider's part
  created_by TEXT NOT NULL,            -- local
  created_at BIGINT NOT NULL,          -- local
  updated_at BIGINT NOT NULL,          -- local
  envelope_id TEXT                     -- local
);
CREATE INDEX training_enrolments_session_idx ON training_enrolments (session_id, agency, id);
CREATE INDEX training_enrolments_report_idx ON training_enrolments (provider, agency, session_starts_at);

CREATE TABLE training_catalogue (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,                 -- the agency offering it
  domain TEXT NOT NULL,                -- forensics|cybercrime|explosives|...
  title TEXT NOT NULL,
  active BIGINT NOT NULL CHECK (active IN (0, 1)),
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX training_catalogue_domain_idx ON training_catalogue (domain, owner, id);

-- An assistance request of type technical_assistance may point to an item
-- of the requested agency's catalogue (assistance/ validates it).
ALTER TABLE assistance_requests ADD COLUMN catalogue_item_id TEXT;
