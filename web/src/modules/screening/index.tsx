// Screening against the active alerts: one person with each match
// explained; a list (CSV) or a flight (PAXLST) in the background with its
// progress and review queue.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { ScreeningJob } from './job';
import { ScreenLists } from './lists';
import { ScreenPerson } from './person';
import { SCREENING, SCREENING_JOB, SCREENING_LISTS } from './paths';

export const screening: Module = {
  id: 'screening',
  screens: [
    { path: SCREENING, title: 'screening.title', component: ScreenPerson, allow: (me) => can(me, 'screen.person') },
    { path: SCREENING_LISTS, title: 'screening.lists.title', component: ScreenLists, allow: (me) => can(me, 'screen.batch') },
    { path: SCREENING_JOB, title: 'screening.job.title', component: ScreeningJob, allow: (me) => can(me, 'screen.batch') },
  ],
  nav: [{ path: SCREENING, label: 'screening.nav', allow: (me) => can(me, 'screen.person') }],
};
