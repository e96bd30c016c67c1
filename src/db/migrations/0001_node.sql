-- The node's own identity: which agency runs it. One row (id = 1).
-- Owner: node/.
CREATE TABLE agency (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL,
  country TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  name_fr TEXT NOT NULL DEFAULT '',
  name_ar TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
