-- Users and their sessions (owner: security/). Times are Unix ms UTC.
CREATE TABLE users (
  id TEXT PRIMARY KEY,                      -- UUIDv7
  username TEXT NOT NULL UNIQUE,            -- lower case, [a-z0-9._-], 3..64
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,                       -- admin|supervisor|officer|analyst|auditor
  password_hash TEXT NOT NULL,              -- argon2id string (libsodium)
  disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins BIGINT NOT NULL DEFAULT 0,  -- consecutive failures since the last success or lock
  locked_until BIGINT,                      -- NULL when not locked out
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);
CREATE INDEX users_role_idx ON users (role, disabled);

-- A session is known only by the BLAKE2b-256 hash (hex) of its bearer token.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  client_info TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
