// Wanted-person alerts: the list with search and filters, one alert with its
// history and lifecycle, drafting and editing.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { ALERT, ALERTS, EDIT_ALERT, NEW_ALERT } from './paths';

export const alerts: Module = {
  id: 'alerts',
  screens: [
    { path: ALERTS, title: 'alerts.title', allow: (me) => can(me, 'alert.list') },
    { path: NEW_ALERT, title: 'alerts.new.title', allow: (me) => can(me, 'alert.create') },
    { path: ALERT, title: 'alerts.detail.title', allow: (me) => can(me, 'alert.read') },
    { path: EDIT_ALERT, title: 'alerts.edit.title', allow: (me) => can(me, 'alert.update') },
  ],
  load: () => import('./screens'),
  nav: [{ path: ALERTS, label: 'alerts.nav', allow: (me) => can(me, 'alert.list') }],
};
