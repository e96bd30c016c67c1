// User administration: the list of accounts, creating one, and one account's
// record with the changes an administrator may make.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { NEW_USER, USER, USERS } from './paths';

export const users: Module = {
  id: 'users',
  screens: [
    { path: USERS, title: 'users.title', allow: (me) => can(me, 'user.list') },
    { path: NEW_USER, title: 'users.new.title', allow: (me) => can(me, 'user.create') },
    { path: USER, title: 'users.detail.title', allow: (me) => can(me, 'user.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: USERS, label: 'users.nav', allow: (me) => can(me, 'user.list') }],
};
