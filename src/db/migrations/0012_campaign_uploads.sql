-- Screening-job input staged row by row (owner: alerts/screening_jobs): a
-- list uploaded in parts (an accreditation campaign of events/ may list a
-- million applicants) is never held whole: each part is checked and stored
-- here in its own transaction, the job runner reads it back block by block,
-- and the rows are deleted when the job ends (they hold personal data the
-- results do not need). Campaigns of events/ being uploaded in parts.
CREATE TABLE screening_job_inputs (
  job_id TEXT NOT NULL REFERENCES screening_jobs (id),
  item BIGINT NOT NULL,                -- 0-based position of the person in the whole upload
  input_id TEXT NOT NULL,              -- the person's id, unique in the job
  part BIGINT NOT NULL,                -- 1-based part that brought it
  line BIGINT NOT NULL,                -- line of its record in that part
  record TEXT NOT NULL,                -- the person as one CSV record (jisr screen columns)
  PRIMARY KEY (job_id, item)
);
CREATE UNIQUE INDEX screening_job_inputs_id ON screening_job_inputs (job_id, input_id);

-- Parts uploaded; 0 for a job whose input is the `input` column (PAXLST, and
-- the jobs stored before this migration).
ALTER TABLE screening_jobs ADD COLUMN parts BIGINT NOT NULL DEFAULT 0;

-- 1 while the campaign's applicants are being uploaded (not started yet).
ALTER TABLE event_campaigns ADD COLUMN uploading BIGINT NOT NULL DEFAULT 0;
