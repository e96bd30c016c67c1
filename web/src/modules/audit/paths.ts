// Client-side routes of the audit module (served as index.html by the node).
export const AUDIT = '/audit';

export const paths = [AUDIT];
