-- Wanted-person alerts, their history and the hit reports filed on them
-- (owner: alerts/). Times are Unix ms UTC; calendar days are 'YYYY-MM-DD'
-- text. The alert's content (names, documents, warrant, ...) is one JSON
-- object in `content` (the API's form, see src/alerts/alert.h); the columns
-- beside it are copies used for filtering and ordering.
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  owner TEXT NOT NULL,                 -- owning agency code, e.g. MA-DGSN
  source TEXT,                         -- import source id (e.g. interpol:2025/1234); NULL if written here
  category TEXT NOT NULL,
  status TEXT NOT NULL,                -- draft|active|suspended|withdrawn|executed|expired
  version BIGINT NOT NULL,             -- 1, 2, ... incremented on every change
  primary_name TEXT NOT NULL,
  search_text TEXT NOT NULL,           -- normalised names, ' | ' separated, for ?q=
  content TEXT NOT NULL,               -- JSON object
  handling_code TEXT NOT NULL,
  review_at BIGINT,                    -- set on activation
  review_warned_at BIGINT,
  created_by TEXT NOT NULL,            -- audit actor
  created_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,            -- audit actor of the last content change
  updated_at BIGINT NOT NULL,
  activated_by TEXT,
  activated_at BIGINT,
  status_reason TEXT NOT NULL DEFAULT '',
  executed_on TEXT,
  executed_place TEXT
);
CREATE INDEX alerts_status_idx ON alerts (status, category, id);
CREATE INDEX alerts_review_idx ON alerts (status, review_at);
CREATE UNIQUE INDEX alerts_source_idx ON alerts (owner, source);

-- Every version of every alert: what changed, who did it, and the whole alert
-- as it was afterwards (JSON, the API's form).
CREATE TABLE alert_history (
  alert_id TEXT NOT NULL REFERENCES alerts (id),
  version BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  change TEXT NOT NULL,                -- create|update|activate|suspend|withdraw|execute|extend|expire|review_warning
  fields TEXT NOT NULL,                -- JSON array of the content fields changed
  note TEXT NOT NULL DEFAULT '',       -- reason, justification or place
  snapshot TEXT NOT NULL,              -- JSON object
  PRIMARY KEY (alert_id, version)
);

-- Hit reports (SIRENE form G in spirit): an officer's report that the subject
-- of an alert was found, and its follow-up by the owning agency.
CREATE TABLE alert_hits (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  alert_id TEXT NOT NULL REFERENCES alerts (id),
  alert_owner TEXT NOT NULL,           -- the agency whose inbox holds it
  reporting_agency TEXT NOT NULL,
  state TEXT NOT NULL,                 -- reported|acknowledged|closed
  false_match BIGINT NOT NULL DEFAULT 0 CHECK (false_match IN (0, 1)),
  place TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  circumstances TEXT NOT NULL,
  action_taken TEXT NOT NULL,
  contact TEXT NOT NULL,
  reply TEXT NOT NULL DEFAULT '',
  reported_by TEXT NOT NULL,
  reported_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX alert_hits_alert_idx ON alert_hits (alert_id, reported_at);
CREATE INDEX alert_hits_inbox_idx ON alert_hits (alert_owner, state, reported_at);

-- Batch screening jobs (a list of persons in CSV, or a flight's PAXLST
-- message) and their results, screened in the background by
-- alerts::ScreeningJobService.
CREATE TABLE screening_jobs (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  created_by TEXT NOT NULL,            -- audit actor
  created_at BIGINT NOT NULL,
  purpose TEXT NOT NULL,
  format TEXT NOT NULL,                -- csv|paxlst
  input TEXT NOT NULL,                 -- the file as submitted
  description TEXT NOT NULL DEFAULT '', -- e.g. the flight of a PAXLST message
  threshold DOUBLE PRECISION NOT NULL,
  top_k BIGINT NOT NULL,
  state TEXT NOT NULL,                 -- queued|running|done|failed
  total BIGINT NOT NULL,               -- persons in the input
  processed BIGINT NOT NULL DEFAULT 0, -- persons screened so far
  matched BIGINT NOT NULL DEFAULT 0,   -- persons with at least one match
  error TEXT NOT NULL DEFAULT '',
  heartbeat_at BIGINT,                 -- last progress of the process running it
  finished_at BIGINT
);
CREATE INDEX screening_jobs_state_idx ON screening_jobs (state, created_at);

CREATE TABLE screening_job_results (
  job_id TEXT NOT NULL REFERENCES screening_jobs (id),
  item BIGINT NOT NULL,                -- 0-based position of the person in the input
  rank BIGINT NOT NULL,                -- 0-based rank of the match for that person
  input_id TEXT NOT NULL,
  input_name TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  matched_name TEXT NOT NULL,
  category TEXT NOT NULL,
  owner TEXT NOT NULL,
  action TEXT NOT NULL,
  warnings TEXT NOT NULL,              -- JSON array
  explanation TEXT NOT NULL,           -- JSON object
  PRIMARY KEY (job_id, item, rank)
);
