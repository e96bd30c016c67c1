// The screens of messages (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { ComposeScreen } from './compose';
import { MessagesList } from './list';
import { ThreadScreen } from './thread';
import { MESSAGES, NEW_MESSAGE, THREAD } from './paths';

export const components: ScreenComponents = {
  [MESSAGES]: MessagesList,
  [NEW_MESSAGE]: ComposeScreen,
  [THREAD]: ThreadScreen,
};
