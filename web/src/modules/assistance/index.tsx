// Mutual-assistance requests (src/assistance on the node): the incoming and
// outgoing requests with their live deadlines, one request with its steps
// and history, and submitting a new one.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { AssistanceDetail } from './detail';
import { AssistanceList } from './list';
import { NewAssistance } from './new';
import { ASSISTANCE, ASSISTANCE_REQUEST, NEW_ASSISTANCE } from './paths';

export const assistance: Module = {
  id: 'assistance',
  screens: [
    { path: ASSISTANCE, title: 'assistance.title', component: AssistanceList, allow: (me) => can(me, 'assistance.list') },
    {
      path: NEW_ASSISTANCE,
      title: 'assistance.new.title',
      component: NewAssistance,
      allow: (me) => can(me, 'assistance.create'),
    },
    {
      path: ASSISTANCE_REQUEST,
      title: 'assistance.detail.title',
      component: AssistanceDetail,
      allow: (me) => can(me, 'assistance.read'),
    },
  ],
  nav: [{ path: ASSISTANCE, label: 'assistance.nav', allow: (me) => can(me, 'assistance.list') }],
};
