// Hit reports: the inbox of hits on this agency's alerts, filing a report
// on an alert, and one report with its follow-up.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { HIT, HITS, NEW_HIT } from './paths';

export const hits: Module = {
  id: 'hits',
  screens: [
    { path: HITS, title: 'hits.title', allow: (me) => can(me, 'hit.read') },
    { path: NEW_HIT, title: 'hits.new.title', allow: (me) => can(me, 'hit.report') },
    { path: HIT, title: 'hits.detail.title', allow: (me) => can(me, 'hit.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: HITS, label: 'hits.nav', allow: (me) => can(me, 'hit.read') }],
};
