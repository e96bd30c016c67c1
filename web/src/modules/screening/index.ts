// Screening against the active alerts: one person with each match
// explained; a list (CSV) or a flight (PAXLST) in the background with its
// progress and review queue.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { SCREENING, SCREENING_JOB, SCREENING_LISTS } from './paths';

export const screening: Module = {
  id: 'screening',
  screens: [
    { path: SCREENING, title: 'screening.title', allow: (me) => can(me, 'screen.person') },
    { path: SCREENING_LISTS, title: 'screening.lists.title', allow: (me) => can(me, 'screen.batch') },
    { path: SCREENING_JOB, title: 'screening.job.title', allow: (me) => can(me, 'screen.batch') },
  ],
  load: () => import('./screens'),
  nav: [{ path: SCREENING, label: 'screening.nav', allow: (me) => can(me, 'screen.person') }],
};
