// Every client-side route of the application, for the node to serve
// index.html at (vite.config.ts writes them to dist/routes.json). Pure data:
// no imports but each module's paths.ts.

import { paths as home } from './home/paths.ts';
import { paths as alerts } from './alerts/paths.ts';
import { paths as screening } from './screening/paths.ts';
import { paths as hits } from './hits/paths.ts';
import { paths as assistance } from './assistance/paths.ts';
import { paths as messages } from './messages/paths.ts';
import { paths as groups } from './groups/paths.ts';
import { paths as events } from './events/paths.ts';
import { paths as training } from './training/paths.ts';
import { paths as reports } from './reports/paths.ts';
import { paths as users } from './users/paths.ts';
import { paths as audit } from './audit/paths.ts';
import { paths as admin } from './admin/paths.ts';

export const SIGN_IN = '/sign-in';

export const clientRoutes: string[] = [SIGN_IN, ...home, ...alerts, ...screening, ...hits, ...assistance, ...messages, ...groups, ...events, ...training, ...reports, ...users, ...audit, ...admin];
