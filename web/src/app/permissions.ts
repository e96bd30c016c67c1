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
  'user.reset_password': ['admin'],
  'audit.read': ['auditor'],
  'audit.verify': ['admin', 'auditor'],
};

export type Action = keyof typeof POLICY;

export function can(role: Role, action: Action): boolean {
  return POLICY[action]?.includes(role) ?? false;
}
