// Each feature module is split in two (src/app/module.ts): index.ts, the
// descriptor in the entry chunk (routes with titles and permissions,
// navigation), and screens.tsx, loaded with import() on first use. This test
// reads the sources and fails when a descriptor's routes and its screens'
// components differ (a route would fail at run time), when a descriptor
// imports anything beyond the small files it may (which would pull screens
// into the entry chunk), or when a module is left out of the split.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const modulesDir = join(here, '..', '..', 'src', 'modules');
// Loaded with the entry chunk, its screen in index.tsx.
const EAGER = new Set(['home']);
// What a descriptor may import: types and permissions from the shell, route
// patterns, and the module's own small files.
const ALLOWED_IMPORTS = [
  /^\.\.\/\.\.\/app\/(module|permissions|api)$/,
  /^\.\/paths$/,
  /^\.\.\/\w+\/paths$/,
  /^\.\/sections$/,
];

const lazyModules = readdirSync(modulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !EAGER.has(d.name))
  .map((d) => d.name)
  .sort();

function imports(source) {
  return [...source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
}

test('every feature module but home has a descriptor (index.ts) and screens (screens.tsx)', () => {
  assert.ok(lazyModules.length >= 12, lazyModules.join());
  for (const id of lazyModules) {
    assert.ok(existsSync(join(modulesDir, id, 'index.ts')), `${id}/index.ts`);
    assert.ok(!existsSync(join(modulesDir, id, 'index.tsx')), `${id}/index.tsx must not hold screens`);
    assert.ok(existsSync(join(modulesDir, id, 'screens.tsx')), `${id}/screens.tsx`);
  }
});

test('a descriptor loads its screens with import() and imports nothing heavy', () => {
  for (const id of lazyModules) {
    const source = readFileSync(join(modulesDir, id, 'index.ts'), 'utf8');
    assert.match(source, /load: \(\) => import\('\.\/screens'\)/, `${id}/index.ts loads ./screens`);
    for (const from of imports(source)) {
      assert.ok(ALLOWED_IMPORTS.some((re) => re.test(from)), `${id}/index.ts imports ${from}`);
    }
    assert.doesNotMatch(source, /component:/, `${id}/index.ts names no component`);
  }
});

test('a descriptor’s routes and its screens’ components are the same patterns', () => {
  for (const id of lazyModules) {
    const descriptor = readFileSync(join(modulesDir, id, 'index.ts'), 'utf8');
    const screensArray = descriptor.slice(descriptor.indexOf('screens: ['), descriptor.indexOf('load:'));
    const routes = [...screensArray.matchAll(/path: (\w+),/g)].map((m) => m[1]).sort();
    const screens = readFileSync(join(modulesDir, id, 'screens.tsx'), 'utf8');
    const table = screens.slice(screens.indexOf('export const components'));
    const components = [...table.matchAll(/\[(\w+)\]: \w+/g)].map((m) => m[1]).sort();
    assert.ok(routes.length > 0, `${id}: routes found`);
    assert.deepEqual(components, routes, `${id}: screens.tsx components = index.ts routes`);
  }
});
