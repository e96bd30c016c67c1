// Client-side routes of the home module (served as index.html by the node).
export const HOME = '/';

export const paths = [HOME];
