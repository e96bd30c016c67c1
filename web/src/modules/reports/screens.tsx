// The screens of reports (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { CooperationReportScreen } from './cooperation';
import { COOPERATION_REPORT } from './paths';

export const components: ScreenComponents = {
  [COOPERATION_REPORT]: CooperationReportScreen,
};
