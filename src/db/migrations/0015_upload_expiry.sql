-- alerts/ screening jobs and events/ campaigns: a list uploaded in parts
-- holds personal data (the applicants staged in screening_job_inputs) from
-- its first part; an upload neither started nor discarded used to keep it
-- for ever. Each part (and the creation) now moves the expiry forward by
-- ScreeningJobOptions::upload_expiry (node config upload_expiry_hours,
-- default 24); the node's housekeeping deletes a staging job whose expiry
-- has passed, with its staged persons and its campaign, audited as
-- "system"; from that time on it takes no part and does not start. NULL
-- once the job is started. Uploads staged before this
-- migration expire a week after their creation. Plain ADD COLUMN: the same
-- text on SQLite and PostgreSQL.
ALTER TABLE screening_jobs ADD COLUMN upload_expires_at BIGINT;  -- Unix ms UTC
UPDATE screening_jobs SET upload_expires_at = created_at + 604800000 WHERE state = 'staging';
-- The campaign's copy, written in the same transactions (events/ never reads
-- alerts/' tables), shown with the campaign while it is uploading.
ALTER TABLE event_campaigns ADD COLUMN upload_expires_at BIGINT;  -- Unix ms UTC
UPDATE event_campaigns SET upload_expires_at =
  (SELECT j.upload_expires_at FROM screening_jobs j WHERE j.id = event_campaigns.job_id)
  WHERE uploading = 1;
