-- alerts/ screening jobs: the PAXLST message a job was submitted with
-- (every passenger and crew member of a flight) was kept after the job
-- ended, though nothing reads it again and the results name the persons
-- with a match (a CSV list is stored row by row, and those rows were
-- deleted). The transaction that ends a job (done or failed) now empties
-- it; this empties it for the jobs ended before. Same text on SQLite and
-- PostgreSQL.
UPDATE screening_jobs SET input = '' WHERE state IN ('done', 'failed') AND input <> '';
