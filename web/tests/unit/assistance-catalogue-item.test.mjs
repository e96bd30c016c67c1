// The catalogue item of a request for technical assistance
// (src/modules/assistance/catalogue-item.ts), loaded through TypeScript's
// transpiler: when the form reads the partner's catalogue, which items it
// offers (the partner's own, active, sorted by title), which choice
// survives (never an item of another agency), that a change of partner or
// type clears the item, and that the request sends it only for technical
// assistance. Synthetic items only.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, '..', '..', 'src', 'modules', 'assistance', 'catalogue-item.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { CATALOGUE_TYPE, isAgencyCode, wantsCatalogue, offeredItems, keptChoice, withChange, catalogueMember } = await import(
  `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`
);

const FR1 = '0190a000-0000-7000-8000-000000000001';
const FR2 = '0190a000-0000-7000-8000-000000000002';
const FR3 = '0190a000-0000-7000-8000-000000000003';
const ES1 = '0190a000-0000-7000-8000-000000000004';
const ITEMS = [
  { id: FR1, owner: 'FR-DGPN', domain: 'dog_units', title: 'Détection de stupéfiants par chiens (test)', active: true },
  { id: FR2, owner: 'FR-DGPN', domain: 'ballistics', title: 'Balistique comparée (test)', active: true },
  { id: FR3, owner: 'FR-DGPN', domain: 'dna', title: 'Analyse ADN (test)', active: false },
  { id: ES1, owner: 'ES-CNP', domain: 'explosives', title: 'Artificieros (test)', active: true },
];

test('the technical-assistance type is the one that names a catalogue item', () => {
  assert.equal(CATALOGUE_TYPE, 'technical_assistance');
});

test('an agency code is complete when the node would accept it as an owner', () => {
  for (const ok of ['FR-DGPN', 'MA-DGSN', 'ES-CNP', 'DE-BKA1', 'XX-AB', 'AB-CDEFGHIJKLMNOP12']) assert.ok(isAgencyCode(ok), ok);
  for (const no of ['', 'F', 'FR', 'FR-', 'FR-D', 'fr-dgpn', 'FR_DGPN', 'F1-DGPN', 'FR-DG PN', 'FR-DGPN-X', 'AB-CDEFGHIJKLMNOP123'])
    assert.ok(!isAgencyCode(no), no);
});

test('the catalogue is read for technical assistance to a complete code only', () => {
  assert.ok(wantsCatalogue('technical_assistance', 'FR-DGPN'));
  assert.ok(wantsCatalogue('technical_assistance', ' FR-DGPN '), 'spaces around a typed code');
  assert.ok(!wantsCatalogue('technical_assistance', ''));
  assert.ok(!wantsCatalogue('technical_assistance', 'FR-D'));
  for (const type of ['', 'information', 'operational_action', 'training', 'hit_follow_up']) assert.ok(!wantsCatalogue(type, 'FR-DGPN'), type);
});

test('the form offers the partner’s own active items, sorted by title', () => {
  assert.deepEqual(
    offeredItems(ITEMS, 'FR-DGPN', 'fr').map((i) => i.id),
    [FR2, FR1],
    'no inactive item, no item of another agency',
  );
  assert.deepEqual(offeredItems(ITEMS, 'ES-CNP').map((i) => i.id), [ES1]);
  assert.deepEqual(offeredItems(ITEMS, 'PT-PJ'), []);
  assert.deepEqual(offeredItems([], 'FR-DGPN'), []);
  // The same title twice: ordered by identifier, whatever the input order.
  const twins = [
    { id: 'b', owner: 'FR-DGPN', domain: 'dna', title: 'ADN', active: true },
    { id: 'a', owner: 'FR-DGPN', domain: 'dna', title: 'adn', active: true },
  ];
  assert.deepEqual(offeredItems(twins, 'FR-DGPN', 'fr').map((i) => i.id), ['a', 'b']);
  assert.equal(ITEMS.length, 4, 'the input is not changed');
});

test('a choice stands only when the partner offers it', () => {
  const offered = offeredItems(ITEMS, 'FR-DGPN');
  assert.equal(keptChoice(FR1, offered), FR1);
  assert.equal(keptChoice(ES1, offered), '', 'an item of another agency');
  assert.equal(keptChoice(FR3, offered), '', 'an inactive item');
  assert.equal(keptChoice('0190a000-0000-7000-8000-0000000000ff', offered), '', 'an item not held here');
  assert.equal(keptChoice('', offered), '');
  assert.equal(keptChoice(FR1, []), '');
});

test('a change of partner or type clears the item; other changes keep it', () => {
  const values = { requested_agency: 'FR-DGPN', type: 'technical_assistance', catalogue_item_id: FR1, subject: '' };
  assert.deepEqual(withChange(values, 'requested_agency', 'ES-CNP'), { ...values, requested_agency: 'ES-CNP', catalogue_item_id: '' });
  assert.deepEqual(withChange(values, 'type', 'information'), { ...values, type: 'information', catalogue_item_id: '' });
  assert.deepEqual(withChange(values, 'subject', 'Dogs (test)'), { ...values, subject: 'Dogs (test)' });
  assert.deepEqual(withChange(values, 'catalogue_item_id', FR2), { ...values, catalogue_item_id: FR2 });
  // Setting the same partner or type again (a select's change to itself) keeps it.
  assert.deepEqual(withChange(values, 'requested_agency', 'FR-DGPN'), values);
  assert.deepEqual(withChange(values, 'type', 'technical_assistance'), values);
  assert.equal(values.catalogue_item_id, FR1, 'the old values are not changed');
});

test('the request names the item for technical assistance only, and only when one is chosen', () => {
  assert.equal(catalogueMember('technical_assistance', FR1), FR1);
  assert.equal(catalogueMember('technical_assistance', ` ${FR1} `), FR1);
  assert.equal(catalogueMember('technical_assistance', ''), undefined);
  assert.equal(catalogueMember('technical_assistance', '  '), undefined);
  for (const type of ['', 'information', 'operational_action', 'training', 'hit_follow_up']) {
    assert.equal(catalogueMember(type, FR1), undefined, type);
  }
});
