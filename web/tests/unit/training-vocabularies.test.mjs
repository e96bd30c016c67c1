// The training screens and the cooperation report show the API's coded
// values through message keys built at run time ("training.topic.<topic>",
// "reports.figure.<column>"), which scripts/check-messages.mjs cannot see.
// This test reads each vocabulary from docs/openapi.yaml (and the CSV
// columns of the report from docs/reports.md) and fails when a language
// lacks one of its keys.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', '..');
const docs = join(web, '..', 'docs');
const openapi = readFileSync(join(docs, 'openapi.yaml'), 'utf8');

function catalogue(lang) {
  const out = {};
  for (const m of ['training', 'reports']) {
    Object.assign(out, JSON.parse(readFileSync(join(web, 'src', 'modules', m, 'messages', `${lang}.json`), 'utf8')));
  }
  return out;
}
const catalogues = { ar: catalogue('ar'), en: catalogue('en'), fr: catalogue('fr') };

// The values of the `enum: [...]` on the first line matching `anchor`.
function enumOn(anchor) {
  const line = openapi.split('\n').find((l) => anchor.test(l));
  assert.ok(line, `no line matches ${anchor} in docs/openapi.yaml`);
  const m = line.match(/enum: \[([^\]]+)\]/);
  assert.ok(m, `no enum on ${line}`);
  return m[1].split(',').map((s) => s.trim()).filter((v) => v !== 'null');
}

const VOCABULARIES = [
  ['training.topic.', /^ {8}topic: \{type: string, enum: \[organised_crime/],
  ['training.domain.', /^ {4}CatalogueDomain:/],
  ['training.state.', /^ {8}state: \{type: string, enum: \[planned, open, closed, held, cancelled\]/],
  ['training.state.', /^ {8}status: \{type: string, enum: \[pending, confirmed, refused, withdrawn\]/],
  ['training.completion.', /^ {8}completion: \{type: \[string, "null"\], enum: \[completed/],
];

test('every coded value of the training API has a message in every language', () => {
  const missing = [];
  for (const [prefix, anchor] of VOCABULARIES) {
    const values = enumOn(anchor);
    assert.ok(values.length >= 2, `${prefix}: ${values}`);
    for (const lang of ['ar', 'en', 'fr']) {
      for (const v of values) if (!(prefix + v in catalogues[lang])) missing.push(`${lang}: ${prefix}${v}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every column of the cooperation report CSV has a message in every language', () => {
  const text = readFileSync(join(docs, 'reports.md'), 'utf8');
  const block = text.match(/One header row:\s*```\s*\n([\s\S]*?)```/);
  assert.ok(block, 'the CSV header in docs/reports.md');
  const columns = block[1].replace(/\s+/g, '').split(',').filter(Boolean);
  assert.deepEqual(columns.slice(0, 2), ['agency', 'name']);
  assert.ok(columns.length > 20, columns.join());
  const missing = [];
  for (const lang of ['ar', 'en', 'fr']) {
    for (const c of columns.slice(2)) if (!(`reports.figure.${c}` in catalogues[lang])) missing.push(`${lang}: ${c}`);
  }
  assert.deepEqual(missing, []);
});
