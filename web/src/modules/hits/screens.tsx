// The screens of hits (see index.ts), loaded in their own chunk the first
// time the user opens one of them.

import type { ScreenComponents } from '../../app/module';
import { HitDetail } from './detail';
import { HitInbox } from './inbox';
import { NewHit } from './new';
import { HIT, HITS, NEW_HIT } from './paths';

export const components: ScreenComponents = {
  [HITS]: HitInbox,
  [NEW_HIT]: NewHit,
  [HIT]: HitDetail,
};
