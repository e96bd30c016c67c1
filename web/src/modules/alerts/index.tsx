// Wanted-person alerts: the list with search and filters, one alert with its
// history and lifecycle, drafting and editing.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { AlertDetail } from './detail';
import { EditAlert, NewAlert } from './form';
import { AlertsList } from './list';
import { ALERT, ALERTS, EDIT_ALERT, NEW_ALERT } from './paths';

export const alerts: Module = {
  id: 'alerts',
  screens: [
    { path: ALERTS, title: 'alerts.title', component: AlertsList, allow: (me) => can(me, 'alert.list') },
    { path: NEW_ALERT, title: 'alerts.new.title', component: NewAlert, allow: (me) => can(me, 'alert.create') },
    { path: ALERT, title: 'alerts.detail.title', component: AlertDetail, allow: (me) => can(me, 'alert.read') },
    { path: EDIT_ALERT, title: 'alerts.edit.title', component: EditAlert, allow: (me) => can(me, 'alert.update') },
  ],
  nav: [{ path: ALERTS, label: 'alerts.nav', allow: (me) => can(me, 'alert.list') }],
};
