// The address of a view of the threads list (list.tsx) and the purpose the
// messages screens state, apart from those screens so that the home page
// (in the entry chunk) reads the unread threads and links to them without
// loading the messages screens.

import { MESSAGES } from './paths';

// Stated with every read of messages (recorded in the audit log: their texts
// and attachments may hold personal data).
export const PURPOSE = 'secure message exchange (web interface)';

export interface ListQuery {
  q: string;
  agency: string;
  handling_code: string;
  unread: boolean;
  page: number;
}

// The address of a list view.
export function messagesHref(q: Partial<ListQuery>): string {
  const n = new URLSearchParams();
  if (q.q) n.set('q', q.q);
  if (q.agency) n.set('agency', q.agency);
  if (q.handling_code) n.set('handling_code', q.handling_code);
  if (q.unread) n.set('unread', 'true');
  if (q.page && q.page > 1) n.set('page', String(q.page));
  const s = n.toString();
  return s ? `${MESSAGES}?${s}` : MESSAGES;
}
