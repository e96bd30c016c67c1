-- Messages between agencies (owner: exchange/): threads, messages, their
-- recipients and per-recipient delivery states, who may see a thread, what
-- each user has read, the internal units and their members, and the
-- attachments (their bytes live in DATA/attachments, content-addressed by
-- BLAKE2b-256; partners' attachments arrive in chunks, kept here until
-- complete). Times are Unix ms UTC. See src/exchange/message.h and
-- docs/exchange.md.
--
-- The full-text index is not created here because its SQL differs between
-- the stores: exchange::EnsureSearchIndex creates an FTS5 table
-- (exchange_search) on SQLite and a GIN index on
-- to_tsvector('simple', search_text) on PostgreSQL when the node starts.

CREATE TABLE exchange_units (
  code TEXT PRIMARY KEY,               -- e.g. DPJ-BNPJ
  name TEXT NOT NULL,
  updated_by TEXT NOT NULL,            -- audit actor
  updated_at BIGINT NOT NULL
);

CREATE TABLE exchange_unit_members (
  unit TEXT NOT NULL REFERENCES exchange_units (code) ON DELETE CASCADE,
  user_id TEXT NOT NULL,               -- users.id
  PRIMARY KEY (unit, user_id)
);
CREATE INDEX exchange_unit_members_user_idx ON exchange_unit_members (user_id, unit);

CREATE TABLE exchange_threads (
  id TEXT PRIMARY KEY,                 -- UUIDv7, the same on every node
  subject TEXT NOT NULL,
  origin TEXT NOT NULL,                -- the agency that opened it
  link_type TEXT,                      -- alert|assistance_request|working_group|event
  link_id TEXT,
  created_at BIGINT NOT NULL,
  last_message_at BIGINT NOT NULL,
  message_count BIGINT NOT NULL
);
CREATE INDEX exchange_threads_recent_idx ON exchange_threads (last_message_at, id);
CREATE INDEX exchange_threads_link_idx ON exchange_threads (link_type, link_id);

-- The agencies taking part in a thread (senders and recipients of its
-- messages): a reply may only be addressed to them, and only they may add
-- messages to it.
CREATE TABLE exchange_thread_agencies (
  thread_id TEXT NOT NULL REFERENCES exchange_threads (id),
  agency TEXT NOT NULL,
  PRIMARY KEY (thread_id, agency)
);
CREATE INDEX exchange_thread_agencies_agency_idx ON exchange_thread_agencies (agency, thread_id);

-- Who may see a thread here (besides supervisors, who see every thread):
-- kind 'user' (value users.id: its local senders), 'unit' (value: a unit
-- addressed), 'agency' (value '': a partner's message to this agency,
-- visible to every officer and analyst).
CREATE TABLE exchange_thread_access (
  thread_id TEXT NOT NULL REFERENCES exchange_threads (id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (thread_id, kind, value)
);
CREATE INDEX exchange_thread_access_value_idx ON exchange_thread_access (kind, value, thread_id);

CREATE TABLE exchange_messages (
  id TEXT PRIMARY KEY,                 -- UUIDv7, the same on every node
  thread_id TEXT NOT NULL REFERENCES exchange_threads (id),
  in_reply_to TEXT,
  origin TEXT NOT NULL,                -- the agency that sent it
  content_origin TEXT NOT NULL,        -- the agency whose information it carries
  sender_user_id TEXT,                 -- users.id when sent here; NULL for a partner's
  sender_username TEXT NOT NULL,
  sender_name TEXT NOT NULL,
  body TEXT NOT NULL,
  handling_code TEXT NOT NULL,         -- H0|H1|H2|H3
  handling_text TEXT NOT NULL DEFAULT '',
  source_reliability TEXT NOT NULL,    -- A|B|C|X
  information_accuracy BIGINT NOT NULL CHECK (information_accuracy BETWEEN 1 AND 4),
  ack_requested BIGINT NOT NULL DEFAULT 0 CHECK (ack_requested IN (0, 1)),
  forwarded_from TEXT,                 -- JSON object, or NULL
  recipients TEXT NOT NULL,            -- JSON array [{type, code}] as addressed
  sent_at BIGINT NOT NULL,
  received_at BIGINT,                  -- a partner's message: when it arrived
  envelope_id TEXT,                    -- a partner's message: the envelope (inbox) that brought it
  search_text TEXT NOT NULL            -- folded subject, text and file names (exchange::SearchText)
);
CREATE INDEX exchange_messages_thread_idx ON exchange_messages (thread_id, sent_at, id);
CREATE INDEX exchange_messages_sent_idx ON exchange_messages (sent_at, id);

-- Per recipient: at the sending node every recipient; at a receiving node
-- its own agency. State pending|delivered|read|acknowledged, never back.
CREATE TABLE exchange_deliveries (
  message_id TEXT NOT NULL REFERENCES exchange_messages (id),
  kind TEXT NOT NULL,                  -- agency|unit
  code TEXT NOT NULL,
  state TEXT NOT NULL,
  delivered_at BIGINT,
  read_at BIGINT,
  read_by TEXT NOT NULL DEFAULT '',
  acknowledged_at BIGINT,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (message_id, kind, code)
);

-- What each local user has read (for "unread" and the read receipt).
CREATE TABLE exchange_reads (
  message_id TEXT NOT NULL REFERENCES exchange_messages (id),
  user_id TEXT NOT NULL,
  read_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, user_id)
);
CREATE INDEX exchange_reads_user_idx ON exchange_reads (user_id, message_id);

-- Attachments whose bytes are stored here (DATA/attachments/ab/<hash>).
CREATE TABLE exchange_attachments (
  hash TEXT PRIMARY KEY,               -- BLAKE2b-256 of the bytes, hex
  size BIGINT NOT NULL,
  stored_at BIGINT NOT NULL
);

-- Who uploaded which bytes (a user may attach what they uploaded, or what
-- they can already see in a message).
CREATE TABLE exchange_attachment_uploads (
  hash TEXT NOT NULL REFERENCES exchange_attachments (hash),
  user_id TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  PRIMARY KEY (hash, user_id)
);

CREATE TABLE exchange_message_attachments (
  message_id TEXT NOT NULL REFERENCES exchange_messages (id),
  position BIGINT NOT NULL,
  hash TEXT NOT NULL,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX exchange_message_attachments_hash_idx ON exchange_message_attachments (hash, message_id);

-- Attachments queued for a partner once (the same bytes are not sent twice).
CREATE TABLE exchange_attachment_transfers (
  hash TEXT NOT NULL,
  agency TEXT NOT NULL,
  queued_at BIGINT NOT NULL,
  PRIMARY KEY (hash, agency)
);

-- Chunks of a partner's attachment received so far; deleted once the whole
-- attachment is assembled and its hash checked (or when stale).
CREATE TABLE exchange_attachment_chunks (
  hash TEXT NOT NULL,
  sender TEXT NOT NULL,
  idx BIGINT NOT NULL,
  chunk_count BIGINT NOT NULL,
  total_size BIGINT NOT NULL,
  chunk_offset BIGINT NOT NULL,
  data BYTEA NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (hash, sender, idx)
);
