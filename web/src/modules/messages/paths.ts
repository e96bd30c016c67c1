// Client-side routes of the messages module (served as index.html by the
// node).
// ?q=<words> (search) or ?agency=<code>&handling_code=H0..H3&unread=true&page=N
export const MESSAGES = '/messages';
// ?thread=<id>&reply_to=<message id> (a reply), ?link_type=&link_id= (a new
// thread about a record), ?to=<agency code> (a first recipient).
export const NEW_MESSAGE = '/messages/new';
export const THREAD = '/messages/{id}';

export const paths = [MESSAGES, NEW_MESSAGE, THREAD];
