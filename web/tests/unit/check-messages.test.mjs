// Tests of scripts/check-messages.mjs: the real catalogues pass, and each
// kind of mistake in a catalogue is reported by name.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkMessages } from '../../scripts/check-messages.mjs';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function fixture(files) {
  const root = mkdtempSync(join(tmpdir(), 'jisr-messages-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const good = {
  'modules/demo/messages/en.json': { 'demo.title': 'Title {name}', 'demo.n': { one: '{count} item', other: '{count} items' } },
  'modules/demo/messages/fr.json': { 'demo.title': 'Titre {name}', 'demo.n': { one: '{count} élément', many: '{count} d’éléments', other: '{count} éléments' } },
  'modules/demo/messages/ar.json': {
    'demo.title': 'العنوان {name}',
    'demo.n': { zero: 'لا عناصر', one: 'عنصر', two: 'عنصران', few: '{count} عناصر', many: '{count} عنصرًا', other: '{count} عنصر' },
  },
  'modules/demo/index.tsx': "t('demo.title', { name }); t('demo.n', { count })",
};

test('the real catalogues are complete and consistent', () => {
  assert.deepEqual(checkMessages(src), []);
});

test('a well-formed fixture passes', () => {
  const root = fixture(good);
  try {
    assert.deepEqual(checkMessages(root), []);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('each mistake is reported', () => {
  const root = fixture({
    ...good,
    'modules/demo/messages/fr.json': { 'demo.n': { one: '{count} élément', other: '{count} éléments' }, 'other.key': 'x' },
    'modules/demo/messages/ar.json': { 'demo.title': 'Title {who}', 'demo.n': { one: 'عنصر', other: '{count} عنصر' } },
    'modules/demo/index.tsx': "t('demo.title'); t('demo.missing'); <Msg k=\"demo.absent\" />",
    'modules/empty/messages/en.json': '{not json',
  });
  try {
    const problems = checkMessages(root).join('\n');
    assert.match(problems, /demo\/messages\/fr\.json: missing key "demo\.title"/);
    assert.match(problems, /key "other\.key" must start with "demo\."/);
    assert.match(problems, /"demo\.n" lacks the plural form "many"/);
    assert.match(problems, /ar\.json: "demo\.n" lacks the plural form "few"/);
    assert.match(problems, /"demo\.title" has different placeholders/);
    assert.match(problems, /ar\.json: "demo\.title" holds no Arabic/);
    assert.match(problems, /uses unknown message "demo\.missing"/);
    assert.match(problems, /uses unknown message "demo\.absent"/);
    assert.match(problems, /empty\/messages\/en\.json: .*JSON/);
    assert.match(problems, /empty\/messages\/ar\.json: missing/);
  } finally {
    rmSync(root, { recursive: true });
  }
});
