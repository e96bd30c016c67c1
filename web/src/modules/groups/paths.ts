// Client-side routes of the cooperation module (working groups, the joint
// action plan's road map, joint operations), served as index.html by the node.
// ?domain=<domain>
export const GROUPS = '/groups';
export const NEW_GROUP = '/groups/new';
export const GROUP = '/groups/{id}';
export const PLANS = '/plans';
export const PLAN = '/plans/{id}';
export const OPERATIONS = '/operations';
export const NEW_OPERATION = '/operations/new';
export const OPERATION = '/operations/{id}';

export const paths = [GROUPS, NEW_GROUP, GROUP, PLANS, PLAN, OPERATIONS, NEW_OPERATION, OPERATION];
