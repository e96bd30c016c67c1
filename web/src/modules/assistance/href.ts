// The address of a view of the requests list (list.tsx), apart from the list
// itself so that the home page (in the entry chunk) links to views without
// loading the assistance screens.

import type { Direction } from './common';
import { ASSISTANCE } from './paths';

export interface ListQuery {
  direction: Direction;
  // A state, "open" (not answered, refused or closed), or "" (any).
  state: string;
  overdue: boolean;
  sort: 'newest' | 'deadline';
  page: number;
}

// The address of a list view.
export function listHref(q: Partial<ListQuery>): string {
  const n = new URLSearchParams();
  if (q.direction) n.set('direction', q.direction);
  if (q.state) n.set('state', q.state);
  if (q.overdue) n.set('overdue', 'true');
  if (q.sort === 'deadline') n.set('sort', 'deadline');
  if (q.page && q.page > 1) n.set('page', String(q.page));
  const s = n.toString();
  return s ? `${ASSISTANCE}?${s}` : ASSISTANCE;
}
