-- Major events (owner: events/): the events with their venues, host and
-- partner agencies; liaison-officer deployments; the incident log shared
-- live with the event's agencies; accreditation screening campaigns (each
-- one screening job of alerts/, referenced by id) and the review of every
-- applicant with a match. Times are Unix ms UTC; days are YYYY-MM-DD text;
-- lists are JSON arrays in TEXT. See src/events/event.h and docs/events.md.
CREATE TABLE events (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the host's node
  host TEXT NOT NULL,                  -- agency code of the host (owner)
  name TEXT NOT NULL,                  -- e.g. "AFCON 2025"
  starts_on TEXT NOT NULL,             -- YYYY-MM-DD
  ends_on TEXT NOT NULL,               -- YYYY-MM-DD, >= starts_on
  venues TEXT NOT NULL,                -- JSON [{code, name, city}]
  partners TEXT NOT NULL,              -- JSON [agency code]
  description TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  created_by TEXT NOT NULL,            -- audit actor, or peer:<code>
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT                     -- the envelope that brought this version (copies)
);
CREATE INDEX events_starts ON events (starts_on, id);

CREATE TABLE event_incidents (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the owner's node
  event_id TEXT NOT NULL REFERENCES events (id),
  owner TEXT NOT NULL,                 -- agency code that logged it
  occurred_at BIGINT NOT NULL,
  venue TEXT NOT NULL,                 -- a venue code of the event
  type TEXT NOT NULL,                  -- incidents.h IncidentType names
  severity TEXT NOT NULL,              -- low|medium|high|critical
  description TEXT NOT NULL,
  alert_ids TEXT NOT NULL,             -- JSON [alert id]
  persons TEXT NOT NULL,               -- JSON [name or reference]
  version BIGINT NOT NULL,
  reported_by TEXT NOT NULL,           -- display name at the owner
  created_at BIGINT NOT NULL,          -- when stored here
  envelope_id TEXT
);
CREATE INDEX event_incidents_event ON event_incidents (event_id, occurred_at, id);

CREATE TABLE event_deployments (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events (id),
  agency TEXT NOT NULL,                -- the officer's agency (the record's owner)
  officer_name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  venue TEXT NOT NULL,                 -- a venue code of the event
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX event_deployments_event ON event_deployments (event_id, starts_at, id);

-- Local only: campaigns and reviews never cross (the applicants are this
-- agency's accreditation requests).
CREATE TABLE event_campaigns (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events (id),
  name TEXT NOT NULL,
  job_id TEXT NOT NULL UNIQUE,         -- alerts/ screening_jobs.id
  purpose TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  total BIGINT NOT NULL,               -- applicants uploaded
  screened BIGINT NOT NULL DEFAULT 0,  -- applicants screened so far
  finished_at BIGINT
);
CREATE INDEX event_campaigns_event ON event_campaigns (event_id, created_at);

CREATE TABLE event_campaign_applicants (
  campaign_id TEXT NOT NULL REFERENCES event_campaigns (id),
  item BIGINT NOT NULL,                -- 0-based line of the applicant in the upload
  input_id TEXT NOT NULL,
  input_name TEXT NOT NULL,
  alert_id TEXT NOT NULL,              -- best match
  score DOUBLE PRECISION NOT NULL,
  matches BIGINT NOT NULL,
  decision TEXT NOT NULL,              -- pending|cleared|referred|refused
  reviewer TEXT NOT NULL DEFAULT '',   -- audit actor
  reason TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  PRIMARY KEY (campaign_id, item)
);
CREATE INDEX event_campaign_applicants_decision ON event_campaign_applicants (campaign_id, decision, item);
