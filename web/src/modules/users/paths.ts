// Client-side routes of the users module (served as index.html by the node).
export const USERS = '/users';
export const NEW_USER = '/users/new';
export const USER = '/users/{id}';

export const paths = [USERS, NEW_USER, USER];
