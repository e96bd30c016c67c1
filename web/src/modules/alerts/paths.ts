// Client-side routes of the alerts module (served as index.html by the node).
export const ALERTS = '/alerts';
export const NEW_ALERT = '/alerts/new';
export const ALERT = '/alerts/{id}';
export const EDIT_ALERT = '/alerts/{id}/edit';

export const paths = [ALERTS, NEW_ALERT, ALERT, EDIT_ALERT];
