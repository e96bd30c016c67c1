// Client-side routes of the assistance module (served as index.html by the
// node).
// ?direction=incoming|outgoing&state=<state>|open&overdue=true&sort=deadline&page=N
export const ASSISTANCE = '/assistance';
// ?alert=<id>&hit=<id>&type=<type>: a request linked to an alert or a hit.
export const NEW_ASSISTANCE = '/assistance/new';
export const ASSISTANCE_REQUEST = '/assistance/{id}';

export const paths = [ASSISTANCE, NEW_ASSISTANCE, ASSISTANCE_REQUEST];
