// Training and technical assistance (src/training on the node,
// docs/training.md): the programmes agencies offer each other and their
// sessions, who of each agency takes part, attendance and completion, and
// the catalogue of technical assistance each agency offers.

import type { Module } from '../../app/module';
import { can } from '../../app/permissions';
import { Catalogue } from './catalogue';
import { ProgrammeDetail } from './programme';
import { Programmes } from './programmes';
import { SessionDetail } from './session';
import { CATALOGUE, PROGRAMME, SESSION, TRAINING } from './paths';

const allowed = (me: Parameters<typeof can>[0]) => can(me, 'training.read');

export const training: Module = {
  id: 'training',
  screens: [
    { path: TRAINING, title: 'training.title', component: Programmes, allow: allowed },
    { path: CATALOGUE, title: 'training.catalogue.title', component: Catalogue, allow: allowed },
    { path: PROGRAMME, title: 'training.programme.title', component: ProgrammeDetail, allow: allowed },
    { path: SESSION, title: 'training.session.title', component: SessionDetail, allow: allowed },
  ],
  nav: [{ path: TRAINING, label: 'training.nav', allow: allowed }],
};
