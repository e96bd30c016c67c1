// The on-demand loader (src/app/loader.ts) behind the lazily loaded module
// screens and language messages, loaded through TypeScript's transpiler:
// idle until asked, one fetch however often it is asked while loading,
// ready with the value, failed with the error (and not fetched again by
// load()), loaded again by retry(), and subscribers told of every change.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, '..', '..', 'src', 'app', 'loader.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { createLoader } = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);

// A fetch whose answers the test gives: each call returns a promise the
// test settles with resolve(i, value) / reject(i, error).
function controlledFetch() {
  const calls = [];
  const fetch = () =>
    new Promise((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { fetch, calls };
}

function kinds(loader) {
  const seen = [];
  loader.subscribe(() => seen.push(loader.state().kind));
  return seen;
}

test('idle until asked; one fetch for concurrent loads; ready with the value', async () => {
  const { fetch, calls } = controlledFetch();
  const loader = createLoader(fetch);
  const seen = kinds(loader);
  assert.deepEqual(loader.state(), { kind: 'idle' });
  assert.equal(calls.length, 0, 'nothing fetched before load()');

  const a = loader.load();
  const b = loader.load();
  assert.equal(calls.length, 1, 'the second load joins the first');
  assert.deepEqual(loader.state(), { kind: 'loading', attempt: 1 });

  calls[0].resolve({ components: { '/x': 'X' } });
  assert.deepEqual(await a, { components: { '/x': 'X' } });
  assert.equal(await b, await a);
  assert.equal(loader.state().kind, 'ready');
  assert.deepEqual(loader.state().value, { components: { '/x': 'X' } });

  // Once ready, neither load() nor retry() fetches again.
  assert.equal(await loader.load(), await a);
  assert.equal(await loader.retry(), await a);
  assert.equal(calls.length, 1);
  assert.deepEqual(seen, ['loading', 'ready']);
});

test('a failure is kept until retry(), which fetches again and can succeed', async () => {
  const { fetch, calls } = controlledFetch();
  const loader = createLoader(fetch);
  const seen = kinds(loader);
  const chunkGone = new TypeError('Failed to fetch dynamically imported module');

  const first = loader.load();
  calls[0].reject(chunkGone);
  await assert.rejects(first, chunkGone);
  assert.deepEqual(loader.state(), { kind: 'failed', error: chunkGone, attempt: 1 });

  // load() does not hammer the network: it reports the failure.
  await assert.rejects(loader.load(), chunkGone);
  assert.equal(calls.length, 1);

  // retry() fetches again; a second failure is attempt 2.
  const second = loader.retry();
  assert.equal(calls.length, 2);
  assert.deepEqual(loader.state(), { kind: 'loading', attempt: 2 });
  calls[1].reject(chunkGone);
  await assert.rejects(second, chunkGone);
  assert.equal(loader.state().kind, 'failed');
  assert.equal(loader.state().attempt, 2);

  // The third attempt succeeds.
  const third = loader.retry();
  assert.equal(loader.retry(), loader.retry(), 'retrying while loading joins the load');
  assert.equal(calls.length, 3);
  calls[2].resolve('screens');
  assert.equal(await third, 'screens');
  assert.deepEqual(loader.state(), { kind: 'ready', value: 'screens' });
  assert.deepEqual(seen, ['loading', 'failed', 'loading', 'failed', 'loading', 'ready']);
});

test('a fetch that throws at once fails like one that rejects', async () => {
  const boom = new Error('no import()');
  let calls = 0;
  const loader = createLoader(() => {
    calls += 1;
    if (calls === 1) throw boom;
    return Promise.resolve(42);
  });
  await assert.rejects(loader.load(), boom);
  assert.equal(loader.state().kind, 'failed');
  assert.equal(await loader.retry(), 42);
  assert.equal(loader.state().kind, 'ready');
});

test('an unsubscribed listener hears nothing more; each state is a new object', async () => {
  const { fetch, calls } = controlledFetch();
  const loader = createLoader(fetch);
  let heard = 0;
  const stop = loader.subscribe(() => (heard += 1));
  const before = loader.state();
  const p = loader.load();
  assert.notEqual(loader.state(), before);
  assert.equal(heard, 1);
  stop();
  calls[0].resolve(1);
  await p;
  assert.equal(heard, 1);
});
