// Client-side routes of the administration module (served as index.html by
// the node).
export const ADMIN = '/admin';
export const PARTNERS = '/admin/partners';

export const paths = [ADMIN, PARTNERS];
