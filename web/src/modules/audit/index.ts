// The audit log for auditors: entries newest first with filters and paging,
// and verification of the hash chain (auditors and admins).
//
// The descriptor in the entry chunk: route, title, permission and the
// navigation entry; the screen is in screens.tsx, loaded on first use.

import type { Me } from '../../app/api';
import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { AUDIT } from './paths';

const allowed = (me: Me) => can(me, 'audit.read') || can(me, 'audit.verify');

export const audit: Module = {
  id: 'audit',
  screens: [{ path: AUDIT, title: 'audit.title', allow: allowed }],
  load: () => import('./screens'),
  nav: [{ path: AUDIT, label: 'audit.nav', allow: allowed }],
};
