// The campaign upload's CSV splitter (src/modules/events/split.ts), loaded
// through TypeScript's transpiler: every part starts with the header, stays
// under the size asked, keeps a quoted field spanning lines whole, and the
// parts together hold every row once, in order.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, '..', '..', 'src', 'modules', 'events', 'split.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { splitCsv } = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);

const HEADER = 'id,name,aliases,birth_date,nationality,gender,document';

test('a list is split into parts under the size, each with the header, rows in order', () => {
  const rows = Array.from({ length: 500 }, (_, i) => `A${i},Personne Testé ${i},,1990,FR,female,`);
  const parts = splitCsv(`${HEADER}\r\n${rows.join('\r\n')}\r\n`, 2000);
  assert.ok(parts.length > 10);
  const back = [];
  for (const part of parts) {
    assert.ok(new TextEncoder().encode(part).length <= 2000, 'under the size');
    const lines = part.trimEnd().split('\n');
    assert.equal(lines[0], HEADER);
    back.push(...lines.slice(1));
  }
  assert.deepEqual(back, rows);
});

test('a quoted field spanning lines stays in one part; blank lines are dropped', () => {
  const csv = `${HEADER}\nA1,"Line one\nline two",,,,,\n\nA2,Other,,,,,\n`;
  assert.deepEqual(splitCsv(csv, 60), [`${HEADER}\nA1,"Line one\nline two",,,,,\n`, `${HEADER}\nA2,Other,,,,,\n`]);
  assert.deepEqual(splitCsv(csv, 10000), [`${HEADER}\nA1,"Line one\nline two",,,,,\nA2,Other,,,,,\n`]);
});
