// Secure messages between agencies (src/exchange on the node): the threads
// with their unread counts and a full-text search, one thread with its
// messages (handling and evaluation codes, attachments, delivery states,
// read / acknowledge / reply / forward), and writing a message.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { MESSAGES, NEW_MESSAGE, THREAD } from './paths';

export const messages: Module = {
  id: 'messages',
  screens: [
    { path: MESSAGES, title: 'messages.title', allow: (me) => can(me, 'message.list') },
    { path: NEW_MESSAGE, title: 'messages.compose.title', allow: (me) => can(me, 'message.send') },
    { path: THREAD, title: 'messages.thread.title', allow: (me) => can(me, 'message.read') },
  ],
  load: () => import('./screens'),
  nav: [{ path: MESSAGES, label: 'messages.nav', allow: (me) => can(me, 'message.list') }],
};
