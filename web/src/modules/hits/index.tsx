// Hit reports: the inbox of hits on this agency's alerts, filing a report
// on an alert, and one report with its follow-up.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { HitDetail } from './detail';
import { HitInbox } from './inbox';
import { NewHit } from './new';
import { HIT, HITS, NEW_HIT } from './paths';

export const hits: Module = {
  id: 'hits',
  screens: [
    { path: HITS, title: 'hits.title', component: HitInbox, allow: (me) => can(me, 'hit.read') },
    { path: NEW_HIT, title: 'hits.new.title', component: NewHit, allow: (me) => can(me, 'hit.report') },
    { path: HIT, title: 'hits.detail.title', component: HitDetail, allow: (me) => can(me, 'hit.read') },
  ],
  nav: [{ path: HITS, label: 'hits.nav', allow: (me) => can(me, 'hit.read') }],
};
