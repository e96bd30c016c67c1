// Reports (src/reports on the node, docs/reports.md): the cooperation
// report, per partner agency, for supervisors, administrators and auditors
// (report.read).

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { CooperationReportScreen } from './cooperation';
import { COOPERATION_REPORT } from './paths';

export const reports: Module = {
  id: 'reports',
  screens: [
    {
      path: COOPERATION_REPORT,
      title: 'reports.cooperation.title',
      component: CooperationReportScreen,
      allow: (me) => can(me, 'report.read'),
    },
  ],
  nav: [{ path: COOPERATION_REPORT, label: 'reports.nav', allow: (me) => can(me, 'report.read') }],
};
