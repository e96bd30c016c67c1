// Training and technical assistance (src/training on the node,
// docs/training.md): the programmes agencies offer each other and their
// sessions, who of each agency takes part, attendance and completion, and
// the catalogue of technical assistance each agency offers.
//
// The descriptor in the entry chunk: routes, titles, permissions and the
// navigation entry; the screens are in screens.tsx, loaded on first use.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { CATALOGUE, PROGRAMME, SESSION, TRAINING } from './paths';

const allowed = (me: Parameters<typeof can>[0]) => can(me, 'training.read');

export const training: Module = {
  id: 'training',
  screens: [
    { path: TRAINING, title: 'training.title', allow: allowed },
    { path: CATALOGUE, title: 'training.catalogue.title', allow: allowed },
    { path: PROGRAMME, title: 'training.programme.title', allow: allowed },
    { path: SESSION, title: 'training.session.title', allow: allowed },
  ],
  load: () => import('./screens'),
  nav: [{ path: TRAINING, label: 'training.nav', allow: allowed }],
};
