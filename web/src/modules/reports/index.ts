// Reports (src/reports on the node, docs/reports.md): the cooperation
// report, per partner agency, for supervisors, administrators and auditors
// (report.read).
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { COOPERATION_REPORT } from './paths';

export const reports: Module = {
  id: 'reports',
  screens: [
    {
      path: COOPERATION_REPORT,
      title: 'reports.cooperation.title',
      allow: (me) => can(me, 'report.read'),
    },
  ],
  load: () => import('./screens'),
  nav: [{ path: COOPERATION_REPORT, label: 'reports.nav', allow: (me) => can(me, 'report.read') }],
};
