// The screens of users (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { UserDetail } from './detail';
import { UsersList } from './list';
import { NewUser } from './new';
import { NEW_USER, USER, USERS } from './paths';

export const components: ScreenComponents = {
  [USERS]: UsersList,
  [NEW_USER]: NewUser,
  [USER]: UserDetail,
};
