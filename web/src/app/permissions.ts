// Which screens and buttons a role sees. This mirrors the node's permission
// table (src/security/policy.h, docs/security.md) so that nobody is shown a
// button the node would refuse; the node still decides every request.
// A module that adds actions adds its rows here.

import type { Role } from './api';

const POLICY: Record<string, readonly Role[]> = {
  'user.list': ['admin', 'supervisor'],
  'user.read': ['admin', 'supervisor'],
  'user.create': ['admin'],
  'user.update': ['admin'],
  'user.disable': ['admin'],
  'user.reset_password': ['admin'],
  'audit.read': ['auditor'],
  'audit.verify': ['admin', 'auditor'],
  'audit.export': ['auditor'],
  // Wanted-person alerts: officers draft, supervisors approve; admins and
  // auditors see no personal data.
  'alert.create': ['supervisor', 'officer'],
  'alert.read': ['supervisor', 'officer', 'analyst'],
  'alert.list': ['supervisor', 'officer', 'analyst'],
  'alert.update': ['supervisor', 'officer'],
  'alert.activate': ['supervisor'],
  'alert.suspend': ['supervisor'],
  'alert.withdraw': ['supervisor'],
  'alert.execute': ['supervisor', 'officer'],
  'alert.extend': ['supervisor'],
  'alert.import': ['supervisor', 'officer'],
  'alert.export': ['supervisor'],
  // Screening against the active alerts.
  'screen.person': ['supervisor', 'officer', 'analyst'],
  'screen.batch': ['supervisor', 'officer', 'analyst'],
  // Hit reports on alerts.
  'hit.report': ['supervisor', 'officer'],
  'hit.read': ['supervisor', 'officer', 'analyst'],
  'hit.update': ['supervisor', 'officer'],
};

export type Action = keyof typeof POLICY;

export function can(role: Role, action: Action): boolean {
  return POLICY[action]?.includes(role) ?? false;
}
