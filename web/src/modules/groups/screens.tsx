// The screens of groups (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { GroupDetail, GroupList, NewGroup } from './groups';
import { NewOperation, OperationDetail, OperationList } from './operations';
import { PlanDetail, PlanList } from './plans';
import { GROUP, GROUPS, NEW_GROUP, NEW_OPERATION, OPERATION, OPERATIONS, PLAN, PLANS } from './paths';

export const components: ScreenComponents = {
  [GROUPS]: GroupList,
  [NEW_GROUP]: NewGroup,
  [GROUP]: GroupDetail,
  [PLANS]: PlanList,
  [PLAN]: PlanDetail,
  [OPERATIONS]: OperationList,
  [NEW_OPERATION]: NewOperation,
  [OPERATION]: OperationDetail,
};
