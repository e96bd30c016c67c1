// Client-side routes of the screening module (served as index.html by the node).
export const SCREENING = '/screening';
export const SCREENING_LISTS = '/screening/lists';
export const SCREENING_JOB = '/screening/jobs/{id}';

export const paths = [SCREENING, SCREENING_LISTS, SCREENING_JOB];
