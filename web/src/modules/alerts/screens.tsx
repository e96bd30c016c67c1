// The screens of alerts (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { AlertDetail } from './detail';
import { EditAlert, NewAlert } from './form';
import { AlertsList } from './list';
import { ALERT, ALERTS, EDIT_ALERT, NEW_ALERT } from './paths';

export const components: ScreenComponents = {
  [ALERTS]: AlertsList,
  [NEW_ALERT]: NewAlert,
  [ALERT]: AlertDetail,
  [EDIT_ALERT]: EditAlert,
};
