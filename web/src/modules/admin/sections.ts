// The administrative sections the administration page links to (partner
// nodes, users, audit log), each with who may open it. Small and free of
// screens: the module's descriptor (index.ts, in the entry chunk) needs it
// for its permission, the page (screens.tsx, loaded on first use) for its
// links.

import type { Me } from '../../app/api';
import { can } from '../../app/permissions';
import { AUDIT } from '../audit/paths';
import { USERS } from '../users/paths';
import { PARTNERS } from './paths';

export interface Section {
  path: string;
  // Message keys of the link and of its one-line description.
  label: string;
  text: string;
  allow: (me: Me) => boolean;
}

export const SECTIONS: Section[] = [
  {
    path: PARTNERS,
    label: 'admin.partners.title',
    text: 'admin.partners.summary',
    allow: (me) => can(me, 'federation.read'),
  },
  { path: USERS, label: 'admin.users.title', text: 'admin.users.summary', allow: (me) => can(me, 'user.list') },
  {
    path: AUDIT,
    label: 'admin.audit.title',
    text: 'admin.audit.summary',
    allow: (me) => can(me, 'audit.read') || can(me, 'audit.verify'),
  },
];

// True when the user may open at least one section (and so the page).
export const allowed = (me: Me) => SECTIONS.some((s) => s.allow(me));
