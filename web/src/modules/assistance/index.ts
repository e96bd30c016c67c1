// Mutual-assistance requests (src/assistance on the node): the incoming and
// outgoing requests with their live deadlines, one request with its steps
// and history, and submitting a new one.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { ASSISTANCE, ASSISTANCE_REQUEST, NEW_ASSISTANCE } from './paths';

export const assistance: Module = {
  id: 'assistance',
  screens: [
    { path: ASSISTANCE, title: 'assistance.title', allow: (me) => can(me, 'assistance.list') },
    {
      path: NEW_ASSISTANCE,
      title: 'assistance.new.title',
      allow: (me) => can(me, 'assistance.create'),
    },
    {
      path: ASSISTANCE_REQUEST,
      title: 'assistance.detail.title',
      allow: (me) => can(me, 'assistance.read'),
    },
  ],
  load: () => import('./screens'),
  nav: [{ path: ASSISTANCE, label: 'assistance.nav', allow: (me) => can(me, 'assistance.list') }],
};
