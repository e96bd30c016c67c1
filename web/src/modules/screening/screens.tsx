// The screens of screening (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { ScreeningJob } from './job';
import { ScreenLists } from './lists';
import { ScreenPerson } from './person';
import { SCREENING, SCREENING_JOB, SCREENING_LISTS } from './paths';

export const components: ScreenComponents = {
  [SCREENING]: ScreenPerson,
  [SCREENING_LISTS]: ScreenLists,
  [SCREENING_JOB]: ScreeningJob,
};
