// User administration: the list of accounts, creating one, and one account's
// record with the changes an administrator may make.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { UserDetail } from './detail';
import { UsersList } from './list';
import { NewUser } from './new';
import { NEW_USER, USER, USERS } from './paths';

export const users: Module = {
  id: 'users',
  screens: [
    { path: USERS, title: 'users.title', component: UsersList, allow: (me) => can(me, 'user.list') },
    { path: NEW_USER, title: 'users.new.title', component: NewUser, allow: (me) => can(me, 'user.create') },
    { path: USER, title: 'users.detail.title', component: UserDetail, allow: (me) => can(me, 'user.read') },
  ],
  nav: [{ path: USERS, label: 'users.nav', allow: (me) => can(me, 'user.list') }],
};
