// The logic behind useLoad (src/app/load.ts), the hook through which the
// screens read their data, loaded through TypeScript's transpiler: a load
// reports its value or its failure once, never after it was aborted (the
// screen's inputs changed, or it closed), and the state keeps the last value
// while the next load runs and when it fails, the failure until a load
// succeeds.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, '..', '..', 'src', 'app', 'load.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { startLoad, sameInputs, initialLoad, beginLoad, idleLoad, settleLoad, visibleLoad } = await import(
  `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`
);

// A load whose answer the test gives: resolve(value) / reject(error), and
// the signal it was given.
function controlledLoad() {
  const seen = {};
  const load = (signal) =>
    new Promise((resolve, reject) => {
      seen.signal = signal;
      seen.resolve = resolve;
      seen.reject = reject;
    });
  return { load, seen };
}

// Lets the promise callbacks run.
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a load that succeeds reports its value once, with an unaborted signal', async () => {
  const { load, seen } = controlledLoad();
  const outcomes = [];
  startLoad(load, (o) => outcomes.push(o));
  assert.ok(seen.signal instanceof AbortSignal);
  assert.equal(seen.signal.aborted, false);
  assert.deepEqual(outcomes, [], 'nothing before the answer');
  seen.resolve({ users: [] });
  await settled();
  assert.deepEqual(outcomes, [{ ok: true, value: { users: [] } }]);
});

test('a load that fails reports the error as it was thrown', async () => {
  const { load, seen } = controlledLoad();
  const outcomes = [];
  startLoad(load, (o) => outcomes.push(o));
  const problem = Object.assign(new Error('not found'), { status: 404 });
  seen.reject(problem);
  await settled();
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0].ok, false);
  assert.equal(outcomes[0].error, problem, 'the same object, for the translated notice');
});

test('an aborted load never reports, whether it then resolves or rejects', async () => {
  for (const end of ['resolve', 'reject']) {
    const { load, seen } = controlledLoad();
    const outcomes = [];
    const abort = startLoad(load, (o) => outcomes.push(o));
    abort();
    assert.equal(seen.signal.aborted, true, 'the signal passed to call() is aborted');
    if (end === 'resolve') seen.resolve('late');
    else seen.reject(new DOMException('aborted', 'AbortError'));
    await settled();
    assert.deepEqual(outcomes, [], `${end} after abort`);
  }
});

test('aborting after the load settled changes nothing', async () => {
  const { load, seen } = controlledLoad();
  const outcomes = [];
  const abort = startLoad(load, (o) => outcomes.push(o));
  seen.resolve(1);
  await settled();
  abort();
  await settled();
  assert.deepEqual(outcomes, [{ ok: true, value: 1 }]);
});

test('a load that throws instead of returning a promise has failed', async () => {
  const outcomes = [];
  const boom = new Error('boom');
  startLoad(
    () => {
      throw boom;
    },
    (o) => outcomes.push(o),
  );
  await settled();
  assert.deepEqual(outcomes, [{ ok: false, error: boom }]);
});

test('inputs compare element by element, as hook dependencies', () => {
  assert.equal(sameInputs([], []), true);
  assert.equal(sameInputs(['?q=a', 1], ['?q=a', 1]), true);
  assert.equal(sameInputs(['?q=a'], ['?q=b']), false);
  assert.equal(sameInputs(['a'], ['a', 'b']), false);
  assert.equal(sameInputs([NaN], [NaN]), true);
  assert.equal(sameInputs([{}], [{}]), false, 'objects by identity');
});

test('the state: loading, the value, kept through a failure, failure cleared by a success', () => {
  let s = initialLoad(true);
  assert.deepEqual(s, { data: null, error: null, loading: true, inputs: null, dataInputs: null });
  assert.equal(initialLoad(false).loading, false, 'nothing to load');
  assert.equal(beginLoad(s), s, 'already loading: same object (no render)');

  s = settleLoad(s, ['a'], { ok: true, value: 'A' });
  assert.deepEqual(s, { data: 'A', error: null, loading: false, inputs: ['a'], dataInputs: ['a'] });

  s = beginLoad(s);
  assert.deepEqual(s, { data: 'A', error: null, loading: true, inputs: ['a'], dataInputs: ['a'] }, 'the value stays while loading');

  const failure = new Error('network');
  s = settleLoad(s, ['b'], { ok: false, error: failure });
  assert.equal(s.data, 'A', 'the last value stays after a failure');
  assert.equal(s.error, failure);
  assert.equal(s.loading, false);
  assert.deepEqual(s.inputs, ['b']);

  s = beginLoad(s);
  assert.equal(s.error, failure, 'the failure stays while the next load runs');

  s = settleLoad(s, ['b'], { ok: true, value: 'B' });
  assert.deepEqual(s, { data: 'B', error: null, loading: false, inputs: ['b'], dataInputs: ['b'] });

  assert.equal(idleLoad(s), s, 'not loading: same object');
  assert.deepEqual(idleLoad(beginLoad(s)), s);
});

test('what a screen shows: with keep, the last value and failure; without, only what answers the current inputs', () => {
  const failure = new Error('q too short');
  let s = settleLoad(initialLoad(true), ['?q=smith'], { ok: true, value: 'smith page' });
  s = settleLoad(beginLoad(s), ['?q=a'], { ok: false, error: failure });
  assert.deepEqual(visibleLoad(s, ['?q=a'], true), { data: 'smith page', error: failure });
  assert.deepEqual(visibleLoad(s, ['?q=a'], false), { data: null, error: failure }, 'never the previous query\'s rows under its failure');
  assert.deepEqual(visibleLoad(s, ['?q=b'], false), { data: null, error: null }, 'neither, for inputs no load answered yet');
  assert.deepEqual(visibleLoad(s, ['?q=smith'], false), { data: 'smith page', error: null }, 'back to the query the value answers');
  s = settleLoad(beginLoad(s), ['?q=ab'], { ok: true, value: 'ab page' });
  assert.deepEqual(visibleLoad(s, ['?q=ab'], false), { data: 'ab page', error: null });
});
