// Administration: a page of the node's administrative sections the user's
// role opens (partner nodes, users, audit log), and the partner nodes with
// the health of deliveries to each (federation.read: administrators,
// supervisors, auditors).
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { ADMIN, PARTNERS } from './paths';
import { allowed } from './sections';

export const admin: Module = {
  id: 'admin',
  screens: [
    { path: ADMIN, title: 'admin.title', allow: allowed },
    { path: PARTNERS, title: 'admin.partners.title', allow: (me) => can(me, 'federation.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: ADMIN, label: 'admin.nav', allow: allowed }],
};
