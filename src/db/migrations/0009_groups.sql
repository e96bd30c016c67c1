-- Working groups, the joint action plan and joint operations (owner:
-- groups/). Every record is owned by one agency (`owner`): only that agency's
-- node changes it, raising `version`; partners hold read-only copies received
-- through federation (envelope_id: the envelope of the copy's latest
-- version). `body` is the whole record as JSON (src/groups/groups.h, the
-- same form that crosses); the other columns are its keys for listing and
-- ordering. Times are Unix ms UTC. See docs/groups.md.
CREATE TABLE working_groups (
  id TEXT PRIMARY KEY,                 -- UUIDv7, made by the owner's node
  owner TEXT NOT NULL,                 -- agency code
  name TEXT NOT NULL,
  domain TEXT NOT NULL,                -- organised_crime|terrorism|...
  state TEXT NOT NULL,                 -- active|closed
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,            -- local: audit actor, or peer:<agency>
  created_at BIGINT NOT NULL,          -- local
  updated_at BIGINT NOT NULL,          -- local
  envelope_id TEXT                     -- local
);
CREATE INDEX working_groups_updated_idx ON working_groups (updated_at, id);

CREATE TABLE action_plans (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,                 -- active|closed
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX action_plans_updated_idx ON action_plans (updated_at, id);

-- Objectives and actions of a plan: each its own record, owned by its
-- owner agency (who alone edits it), versioned on its own.
CREATE TABLE plan_objectives (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES action_plans (id),
  owner TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,                 -- planned|in_progress|done|cancelled
  due_at BIGINT,
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX plan_objectives_plan_idx ON plan_objectives (plan_id, id);

CREATE TABLE plan_actions (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES action_plans (id),
  objective_id TEXT NOT NULL REFERENCES plan_objectives (id),
  owner TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at BIGINT,
  version BIGINT NOT NULL,
  body TEXT NOT NULL,                  -- with its milestones and indicators
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX plan_actions_plan_idx ON plan_actions (plan_id, objective_id, id);

CREATE TABLE joint_operations (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  code_name TEXT NOT NULL,
  state TEXT NOT NULL,                 -- planned|active|completed|cancelled
  starts_at BIGINT NOT NULL,
  group_id TEXT,                       -- the linked working group, if any
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  envelope_id TEXT
);
CREATE INDEX joint_operations_starts_idx ON joint_operations (starts_at, id);
