// What a feature folder under src/modules/ contributes to the application:
// its screens (one per client-side route) and its entries in the navigation.
// A new module adds a folder with index.ts (exporting a Module: the small
// descriptor the entry chunk holds), screens.tsx (its screens' components,
// loaded with import() the first time the user opens one of them, see
// Module.load), paths.ts (its route patterns, listed in src/modules/paths.ts
// so the node serves them) and messages/{ar,en,fr}.json, then one line in
// src/modules/index.ts.

import type { ComponentType } from 'preact';
import type { Agency, Me } from './api';
import type { RouteParams } from './router';

export interface ScreenProps {
  params: RouteParams;
  me: Me;
  agency: Agency;
  // When the session ends (RFC 3339).
  expiresAt: string;
}

export interface Screen {
  // Route pattern, e.g. "/users/{id}"; must be listed in the module's paths.ts.
  path: string;
  // Message key of the page title (document title and navigation).
  title: string;
  // Who may open the screen; everyone signed in when absent.
  allow?: (me: Me) => boolean;
  // The screen itself, for a module loaded with the entry chunk (home); the
  // other modules give their components through Module.load.
  component?: ComponentType<ScreenProps>;
}

// A module's screen components by route pattern (Screen.path).
export type ScreenComponents = Record<string, ComponentType<ScreenProps>>;

// What a module's screens.tsx exports.
export interface ScreensPart {
  components: ScreenComponents;
}

export interface NavEntry {
  path: string;
  // Message key of the link text.
  label: string;
  allow?: (me: Me) => boolean;
}

export interface Module {
  // The folder name; also the prefix of the module's message keys.
  id: string;
  // Every route of the module, with its title and permission: known without
  // loading the module's screens.
  screens: Screen[];
  nav?: NavEntry[];
  // Loads the module's screens (its own chunk: () => import('./screens'))
  // the first time one of them is opened; absent when every screen has its
  // component.
  load?: () => Promise<ScreensPart>;
}
