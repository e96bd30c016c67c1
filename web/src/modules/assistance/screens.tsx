// The screens of assistance (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { AssistanceDetail } from './detail';
import { AssistanceList } from './list';
import { NewAssistance } from './new';
import { ASSISTANCE, ASSISTANCE_REQUEST, NEW_ASSISTANCE } from './paths';

export const components: ScreenComponents = {
  [ASSISTANCE]: AssistanceList,
  [NEW_ASSISTANCE]: NewAssistance,
  [ASSISTANCE_REQUEST]: AssistanceDetail,
};
