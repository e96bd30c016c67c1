// The screens show the API's coded values (alert categories, statuses,
// warning flags, document types, history changes, hit and job states,
// assistance request types, states, refusal reasons, transitions and
// deadline rules; working groups' domains, roles, links and states, plan
// and operation states; incident types and severities, campaign states and
// review decisions)
// through message keys built at run time ("alerts.status.<status>"), which
// scripts/check-messages.mjs cannot see. This test reads each vocabulary
// from docs/openapi.yaml and fails when a language lacks one of its keys.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', '..');
const openapi = readFileSync(join(web, '..', 'docs', 'openapi.yaml'), 'utf8');

function catalogue(lang) {
  const out = {};
  for (const m of ['alerts', 'hits', 'screening', 'assistance', 'groups', 'events']) {
    Object.assign(out, JSON.parse(readFileSync(join(web, 'src', 'modules', m, 'messages', `${lang}.json`), 'utf8')));
  }
  return out;
}
const catalogues = { ar: catalogue('ar'), en: catalogue('en'), fr: catalogue('fr') };

// The values of the first `enum: [...]` after the line matching `anchor`.
function enumAfter(anchor) {
  const lines = openapi.split('\n');
  const start = lines.findIndex((l) => anchor.test(l));
  assert.ok(start >= 0, `no line matches ${anchor} in docs/openapi.yaml`);
  for (let i = start; i < Math.min(lines.length, start + 4); i++) {
    const m = lines[i].match(/enum: \[([^\]]+)\]/);
    if (m) return m[1].split(',').map((s) => s.trim());
  }
  throw new Error(`no enum after ${anchor}`);
}

const VOCABULARIES = [
  ['alerts.category.', /^ {4}AlertCategory:/],
  ['alerts.status.', /^ {4}AlertStatus:/],
  ['alerts.warning.', /^ {4}WarningFlag:/],
  ['alerts.name_kind.', /^ {14}kind: \{type: string, enum: \[primary/],
  ['alerts.gender.', /^ {8}gender: \{type: string, enum: \[unknown/],
  ['alerts.document_type.', /^ {14}type: \{type: string, enum: \[passport/],
  ['alerts.handling.', /^ {8}handling_code: \{type: string, enum/],
  ['alerts.change.', /change: \{type: string, enum/],
  ['hits.state.', /^ {8}state: \{type: string, enum: \[reported/],
  ['screening.job.state.', /^ {8}state: \{type: string, enum: \[(staging, )?queued/],
  ['screening.lists.format.', /^ {8}format: \{type: string, enum: \[csv, paxlst\]/],
  ['assistance.state.', /^ {4}AssistanceState:/],
  ['assistance.refusal.', /^ {4}RefusalReason:/],
  ['assistance.type.', /^ {8}type: \{type: string, enum: \[information/],
  ['assistance.urgency.', /^ {8}urgency: \{type: string, enum: \[urgent/],
  ['assistance.transition.', /^ {8}transition: \{type: string, enum: \[submit/],
  ['assistance.rule.', /^ {8}rule: \{type: string, enum: \[urgent_direct/],
  ['assistance.direction.', /^ {12}direction: \{type: string, enum: \[outgoing/],
  ['groups.domain.', /^ {8}domain: \{type: string, enum: \[organised_crime/],
  ['groups.state.', /^ {8}state: \{type: string, enum: \[active, closed\]/],
  ['groups.role.', /^ {14}role: \{type: string, enum: \[lead/],
  ['groups.link.', /^ {14}kind: \{type: string, enum: \[alert, thread/],
  ['groups.state.', /^ {14}state: \{type: string, enum: \[open, in_progress/],
  ['groups.state.', /^ {8}state: \{type: string, enum: \[planned, in_progress/],
  ['groups.state.', /^ {8}state: \{type: string, enum: \[planned, active/],
  ['groups.kind.', /^ {14}kind: \{type: string, enum: \[objective, action, milestone\]/],
  ['events.type.', /^ {8}type: \{type: string, enum: \[public_order/],
  ['events.severity.', /^ {8}severity: \{type: string, enum: \[low/],
  ['events.decision.', /^ {8}decision: \{type: string, enum: \[pending/],
  ['events.review.', /^ {16}decision: \{type: string, enum: \[clear/],
  ['events.campaign.state.', /^ {8}state: \{type: string, enum: \[(uploading, )?screening/],
];

test('every coded value of the API has a message in every language', () => {
  const missing = [];
  for (const [prefix, anchor] of VOCABULARIES) {
    const values = enumAfter(anchor);
    assert.ok(values.length >= 2, `${prefix}: ${values}`);
    for (const v of values) {
      for (const [lang, c] of Object.entries(catalogues)) {
        if (!(`${prefix}${v}` in c)) missing.push(`${lang}: ${prefix}${v}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('the enum reader finds the values it is pointed at', () => {
  assert.deepEqual(enumAfter(/^ {4}AlertStatus:/), ['draft', 'active', 'suspended', 'withdrawn', 'executed', 'expired']);
  assert.throws(() => enumAfter(/^no such line$/));
});
