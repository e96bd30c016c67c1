// scripts/check-messages.mjs and a module whose folder is itself named
// "messages" (src/modules/messages, the secure messages): its code files are
// not mistaken for a catalogue folder, and its own messages/ folder is
// checked like any other.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { checkMessages } from '../../scripts/check-messages.mjs';

function fixture(files) {
  const root = mkdtempSync(join(tmpdir(), 'jisr-messages-module-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const module = {
  'modules/messages/index.tsx': "t('messages.title')",
  'modules/messages/common.tsx': "t('messages.title')",
  'modules/messages/messages/en.json': { 'messages.title': 'Messages' },
  'modules/messages/messages/fr.json': { 'messages.title': 'Messages' },
  'modules/messages/messages/ar.json': { 'messages.title': 'الرسائل' },
};

test('a module folder named messages is not a catalogue folder', () => {
  const root = fixture(module);
  try {
    assert.deepEqual(checkMessages(root), []);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('the catalogues inside a module named messages are still checked', () => {
  const root = fixture({
    ...module,
    'modules/messages/messages/ar.json': { 'messages.title': 'Messages' },
    'modules/messages/messages/notes.txt': 'x',
  });
  try {
    const problems = checkMessages(root).join('\n');
    assert.match(problems, /messages\/messages\/ar\.json: "messages\.title" holds no Arabic/);
    assert.match(problems, /messages\/messages\/notes\.txt: unexpected file/);
    assert.doesNotMatch(problems, /modules\/messages\/index\.tsx/);
  } finally {
    rmSync(root, { recursive: true });
  }
});
