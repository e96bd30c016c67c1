// The screens of training (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { Catalogue } from './catalogue';
import { ProgrammeDetail } from './programme';
import { Programmes } from './programmes';
import { SessionDetail } from './session';
import { CATALOGUE, PROGRAMME, SESSION, TRAINING } from './paths';

export const components: ScreenComponents = {
  [TRAINING]: Programmes,
  [CATALOGUE]: Catalogue,
  [PROGRAMME]: ProgrammeDetail,
  [SESSION]: SessionDetail,
};
