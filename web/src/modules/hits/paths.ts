// Client-side routes of the hits module (served as index.html by the node).
export const HITS = '/hits';
// ?alert=<id>: file a hit report on that alert.
export const NEW_HIT = '/hits/new';
export const HIT = '/hits/{id}';

export const paths = [HITS, NEW_HIT, HIT];
