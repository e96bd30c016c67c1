// Every feature module of the web interface, in navigation order. A new
// module adds its folder and one line here (and one in paths.ts).

import type { Module } from '../app/module';
import { home } from './home';
import { users } from './users';
import { audit } from './audit';

export const modules: Module[] = [home, users, audit];
