// Major events (src/events on the node): events with their venues, host and
// partners; the live incident log; liaison officers deployed; accreditation
// screening campaigns with their review queue.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { CampaignDetail } from './campaign';
import { EventDetail } from './detail';
import { EventList } from './list';
import { CAMPAIGN, EVENT, EVENTS } from './paths';

export const events: Module = {
  id: 'events',
  screens: [
    { path: EVENTS, title: 'events.title', component: EventList, allow: (me) => can(me, 'event.read') },
    { path: EVENT, title: 'events.detail.title', component: EventDetail, allow: (me) => can(me, 'event.read') },
    { path: CAMPAIGN, title: 'events.campaign.title', component: CampaignDetail, allow: (me) => can(me, 'campaign.read') },
  ],
  nav: [{ path: EVENTS, label: 'events.nav', allow: (me) => can(me, 'event.read') }],
};
