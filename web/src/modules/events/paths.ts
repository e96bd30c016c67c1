// Client-side routes of the major-events module, served as index.html by the node.
export const EVENTS = '/events';
export const EVENT = '/events/{id}';
export const CAMPAIGN = '/campaigns/{id}';

export const paths = [EVENTS, EVENT, CAMPAIGN];
