// Joint cooperation (src/groups on the node): working groups with their
// members, case file and tasks; the joint action plan's road map as a time
// line; joint operations with their after-action report.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { GROUP, GROUPS, NEW_GROUP, NEW_OPERATION, OPERATION, OPERATIONS, PLAN, PLANS } from './paths';

export const groups: Module = {
  id: 'groups',
  screens: [
    { path: GROUPS, title: 'groups.title', allow: (me) => can(me, 'group.read') },
    { path: NEW_GROUP, title: 'groups.new.title', allow: (me) => can(me, 'group.create') },
    { path: GROUP, title: 'groups.detail.title', allow: (me) => can(me, 'group.read') },
    { path: PLANS, title: 'groups.plans.title', allow: (me) => can(me, 'plan.read') },
    { path: PLAN, title: 'groups.roadmap.title', allow: (me) => can(me, 'plan.read') },
    { path: OPERATIONS, title: 'groups.operations.title', allow: (me) => can(me, 'operation.read') },
    { path: NEW_OPERATION, title: 'groups.operations.new_title', allow: (me) => can(me, 'operation.create') },
    { path: OPERATION, title: 'groups.operations.detail_title', allow: (me) => can(me, 'operation.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: GROUPS, label: 'groups.nav', allow: (me) => can(me, 'group.read') }],
};
