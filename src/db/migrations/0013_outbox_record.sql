-- federation/: the highest version published of a record
-- (federation::LastPublishedVersion, for records versioned by time such as
-- a task's progress) without scanning the outbox.
CREATE INDEX outbox_record_idx ON outbox (record_id, version);
