// Every feature module of the web interface, in navigation order. A new
// module adds its folder and one line here (and one in paths.ts).

import type { Module } from '../app/module';
import { home } from './home';
import { alerts } from './alerts';
import { screening } from './screening';
import { hits } from './hits';
import { assistance } from './assistance';
import { messages } from './messages';
import { groups } from './groups';
import { events } from './events';
import { training } from './training';
import { reports } from './reports';
import { users } from './users';
import { audit } from './audit';
import { admin } from './admin';

export const modules: Module[] = [home, alerts, screening, hits, assistance, messages, groups, events, training, reports, users, audit, admin];
