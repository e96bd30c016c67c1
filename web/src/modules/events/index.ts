// Major events (src/events on the node): events with their venues, host and
// partners; the live incident log; liaison officers deployed; accreditation
// screening campaigns with their review queue.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { CAMPAIGN, EVENT, EVENTS } from './paths';

export const events: Module = {
  id: 'events',
  screens: [
    { path: EVENTS, title: 'events.title', allow: (me) => can(me, 'event.read') },
    { path: EVENT, title: 'events.detail.title', allow: (me) => can(me, 'event.read') },
    { path: CAMPAIGN, title: 'events.campaign.title', allow: (me) => can(me, 'campaign.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: EVENTS, label: 'events.nav', allow: (me) => can(me, 'event.read') }],
};
