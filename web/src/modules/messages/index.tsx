// Secure messages between agencies (src/exchange on the node): the threads
// with their unread counts and a full-text search, one thread with its
// messages (handling and evaluation codes, attachments, delivery states,
// read / acknowledge / reply / forward), and writing a message.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { ComposeScreen } from './compose';
import { MessagesList } from './list';
import { MESSAGES, NEW_MESSAGE, THREAD } from './paths';
import { ThreadScreen } from './thread';

export const messages: Module = {
  id: 'messages',
  screens: [
    { path: MESSAGES, title: 'messages.title', component: MessagesList, allow: (me) => can(me, 'message.list') },
    { path: NEW_MESSAGE, title: 'messages.compose.title', component: ComposeScreen, allow: (me) => can(me, 'message.send') },
    { path: THREAD, title: 'messages.thread.title', component: ThreadScreen, allow: (me) => can(me, 'message.read') },
  ],
  nav: [{ path: MESSAGES, label: 'messages.nav', allow: (me) => can(me, 'message.list') }],
};
