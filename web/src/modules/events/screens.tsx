// The screens of events (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { CampaignDetail } from './campaign';
import { EventDetail } from './detail';
import { EventList } from './list';
import { CAMPAIGN, EVENT, EVENTS } from './paths';

export const components: ScreenComponents = {
  [EVENTS]: EventList,
  [EVENT]: EventDetail,
  [CAMPAIGN]: CampaignDetail,
};
