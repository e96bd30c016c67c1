// Joint cooperation (src/groups on the node): working groups with their
// members, case file and tasks; the joint action plan's road map as a time
// line; joint operations with their after-action report.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { GroupDetail, GroupList, NewGroup } from './groups';
import { NewOperation, OperationDetail, OperationList } from './operations';
import { GROUP, GROUPS, NEW_GROUP, NEW_OPERATION, OPERATION, OPERATIONS, PLAN, PLANS } from './paths';
import { PlanDetail, PlanList } from './plans';

export const groups: Module = {
  id: 'groups',
  screens: [
    { path: GROUPS, title: 'groups.title', component: GroupList, allow: (me) => can(me, 'group.read') },
    { path: NEW_GROUP, title: 'groups.new.title', component: NewGroup, allow: (me) => can(me, 'group.create') },
    { path: GROUP, title: 'groups.detail.title', component: GroupDetail, allow: (me) => can(me, 'group.read') },
    { path: PLANS, title: 'groups.plans.title', component: PlanList, allow: (me) => can(me, 'plan.read') },
    { path: PLAN, title: 'groups.roadmap.title', component: PlanDetail, allow: (me) => can(me, 'plan.read') },
    { path: OPERATIONS, title: 'groups.operations.title', component: OperationList, allow: (me) => can(me, 'operation.read') },
    { path: NEW_OPERATION, title: 'groups.operations.new_title', component: NewOperation, allow: (me) => can(me, 'operation.create') },
    { path: OPERATION, title: 'groups.operations.detail_title', component: OperationDetail, allow: (me) => can(me, 'operation.read') },
  ],
  nav: [{ path: GROUPS, label: 'groups.nav', allow: (me) => can(me, 'group.read') }],
};
