-- alerts/ screening jobs: the PAXLST message a job was submitted with
-- (every passenger and crew member of a flight) was kept after the job was
-- done, though nothing reads it again and the results name the persons with
-- a match (a CSV list is stored row by row and those rows were deleted). The completing transaction now empties it; this
-- empties it for the jobs done before. Same text on SQLite and PostgreSQL.
UPDATE screening_jobs SET input = '' WHERE state = 'done';
