// What the signed-in user may do, as the node says: GET /api/v1/me lists the
// actions of the node's policy table (src/security/policy.h,
// docs/security.md) that the user's role allows. Screens and buttons are shown
// only for those actions, so that nobody is offered what the node would
// refuse; the node still decides every request. No copy of the table lives
// here: a change of policy on the node changes the interface at next sign-in.

import type { Me } from './api';

// The action names the interface asks about ("<module>.<verb>", as the node
// names them). Only names: which roles may perform them is the node's to say.
export type Action =
  | 'user.list'
  | 'user.read'
  | 'user.create'
  | 'user.update'
  | 'user.disable'
  | 'user.reset_password'
  | 'audit.read'
  | 'audit.verify'
  | 'audit.export'
  | 'alert.create'
  | 'alert.read'
  | 'alert.list'
  | 'alert.update'
  | 'alert.activate'
  | 'alert.suspend'
  | 'alert.withdraw'
  | 'alert.execute'
  | 'alert.extend'
  | 'alert.import'
  | 'alert.export'
  | 'screen.person'
  | 'screen.batch'
  | 'hit.report'
  | 'hit.read'
  | 'hit.update'
  | 'assistance.create'
  | 'assistance.read'
  | 'assistance.list'
  | 'assistance.update'
  | 'assistance.stats'
  | 'message.send'
  | 'message.forward'
  | 'message.list'
  | 'message.read'
  | 'message.search'
  | 'message.ack'
  | 'message.export'
  | 'message.attachment_upload'
  | 'message.attachment_read'
  | 'message.unit_list'
  | 'message.unit_manage'
  | 'federation.read'
  | 'partner.list'
  | 'peer.manage'
  | 'federation.outbox.manage'
  | 'group.create'
  | 'group.read'
  | 'group.update'
  | 'plan.create'
  | 'plan.read'
  | 'plan.update'
  | 'operation.create'
  | 'operation.read'
  | 'operation.update'
  | 'event.create'
  | 'event.update'
  | 'event.read'
  | 'event.deploy'
  | 'incident.create'
  | 'incident.read'
  | 'campaign.create'
  | 'campaign.read'
  | 'campaign.review'
  | 'training.read'
  | 'training.manage'
  | 'training.enrol'
  | 'report.read';

// True when the node lets `me` perform `action`.
export function can(me: Pick<Me, 'permissions'>, action: Action): boolean {
  return me.permissions.includes(action);
}
