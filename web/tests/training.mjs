// Browser tests of the training screens (web/src/modules/training:
// programmes, sessions, enrolments, attendance, the technical-assistance
// catalogue and a technical-assistance request naming a partner's item) and
// of the cooperation report (web/src/modules/reports: the
// figures per partner, the CSV file, the SVG charts), registered by run.mjs
// (registerTrainingTests at its end) so that they share its browser, its
// page helpers and its clean-up. Two paired nodes of their own, MA-DGSN
// (demo accounts) and FR-DGPN, so that the report has a partner with
// figures and a programme crosses as a read-only copy. Every screen is
// inspected (translated, AA contrast) and saved in ar, fr and en.
// Synthetic test data only.

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { apiGet, apiToken, freePort, initNode, LANGS, msg, pairNodes, quickRetries, serveNode, signIn, switchLang } from './harness.mjs';

const PROGRAMME = 'Cryptocurrency investigations (test)';
const ITEM = 'Mobile phone extraction laboratory (test)';
const PARTNER_ITEM = 'Détection de stupéfiants par chiens (test)';
// The partner's item a technical-assistance request names.
const REQUESTED_ITEM = 'Balistique comparée des munitions (test)';
// A well-formed identifier of no catalogue item.
const NO_ITEM = '0190a000-0000-7000-8000-0000000000ff';
// Participants (synthetic persons): one written in Arabic, one in Latin letters.
const PARTICIPANT = 'سمير الاختباري';
const SECOND = 'Amina Exemplia';
const PARTNER_PARTICIPANT = 'Jean Testeur';
const CSV_HEADER = 'agency,name,alerts_shared_with,alerts_received_from,alerts_in_force_shared_with';

// FR-DGPN's supervisor offers `item` (its share_with: MA-DGSN) through the
// API; returns the item's id.
async function offerItem(fr, item) {
  const token = await apiToken(fr, 'demo.supervisor');
  const offered = await fetch(`${fr.url}/api/v1/training/catalogue`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Purpose': 'browser test' },
    body: JSON.stringify({ ...item, share_with: ['MA-DGSN'] }),
  });
  const text = await offered.text();
  assert.equal(offered.status, 201, text);
  return JSON.parse(text).id;
}

// Reloads `p` (waiting for `ready` each time) until `wanted` is on it, for a
// record still travelling from the partner; fails naming `what` after 30 s.
// Each load is given 2 s to show it: a screen reads its data after showing
// its title, and reloading sooner would abort that read on a slow machine.
async function reloadUntil(p, wanted, ready, what) {
  const until = Date.now() + 30000;
  for (;;) {
    if (await wanted.first().waitFor({ timeout: 2000 }).then(() => true, () => false)) return;
    if (Date.now() > until) throw new Error(`${what} did not arrive`);
    await p.reload();
    await ready.waitFor();
  }
}

// A date and time `days` from now, for a datetime-local input (local time).
function later(days, hour) {
  const d = new Date(Date.now() + days * 86400000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

// Inspects the current screen in every language, ending in English. The
// page title is set in an effect after the render, so it waits for the title
// to change too (each of these screens has a different title in each language).
async function everyLanguage(p, inspect, name, check = async () => {}) {
  for (const lang of LANGS) {
    const before = await p.title();
    const current = await p.evaluate(() => document.documentElement.lang);
    await switchLang(p, lang);
    if (current !== lang) await p.waitForFunction((t) => document.title !== t, before);
    await check(lang);
    await inspect(p, lang, name);
  }
  await switchLang(p, 'en');
}

export function registerTrainingTests({ page, inspect, noProblems, unlabelled, extraNodes }) {
  const nodes = { ma: null, fr: null };

  // MA-DGSN and FR-DGPN, both with the demo accounts, paired, served.
  async function pairedNodes() {
    if (nodes.ma) return nodes;
    const ports = [await freePort(), await freePort()];
    while (ports[1] === ports[0]) ports[1] = await freePort();
    const maInit = initNode({ agency: 'MA-DGSN', federationPort: ports[0] });
    extraNodes.push({ stop: async () => rmSync(maInit.base, { recursive: true, force: true }) });
    const frInit = initNode({ agency: 'FR-DGPN', federationPort: ports[1] });
    extraNodes.push({ stop: async () => rmSync(frInit.base, { recursive: true, force: true }) });
    quickRetries(maInit);
    quickRetries(frInit);
    pairNodes(maInit, frInit);
    nodes.ma = await serveNode(maInit);
    extraNodes.push(nodes.ma);
    nodes.fr = await serveNode(frInit);
    extraNodes.push(nodes.fr);
    return nodes;
  }

  test('training: a supervisor creates a programme (field error first) and a session, enrols participants, withdraws one and records a completion', async () => {
    const { ma, fr } = await pairedNodes();
    const p = await page({}, ma);
    await signIn(p, 'demo.supervisor', ma.accounts['demo.supervisor']);
    await p.locator('nav a', { hasText: msg('en', 'training.nav') }).click();
    await p.locator('h1', { hasText: msg('en', 'training.title') }).waitFor();
    await p.locator('main p.notice', { hasText: msg('en', 'training.programmes.empty') }).waitFor();
    await everyLanguage(p, inspect, 'training-empty');

    // No title, no language: the node names the field, shown and focused there.
    await p.locator('#programme-new').click();
    await p.locator('#programme-topic').selectOption('cybercrime');
    await p.locator('form.programme-form button[type=submit]').click();
    await p.locator('.field-error').first().waitFor();
    await p.waitForFunction(() => ['programme-title', 'programme-languages'].includes(document.activeElement?.id ?? ''));
    const named = await p.locator('.field-error').first().getAttribute('id');
    assert.ok(['programme-title-error', 'programme-languages-error'].includes(named), named);
    assert.deepEqual(await unlabelled(p), []);
    await inspect(p, 'en', 'training-programme-error');
    await p.locator('#programme-title').fill(PROGRAMME);
    await p.locator('#programme-description').fill('Tracing virtual assets in drug trafficking cases (synthetic).');
    await p.locator('#programme-languages-fr').check();
    await p.locator('#programme-languages-ar').check();
    await p.locator('#programme-share').fill('FR-DGPN');
    await p.locator('form.programme-form button[type=submit]').click();
    await p.waitForURL(/\/training\/programmes\/[0-9a-f-]{36}$/);
    await p.locator('h1', { hasText: PROGRAMME }).waitFor();
    await p.locator('dd[data-field=topic]', { hasText: msg('en', 'training.topic.cybercrime') }).waitFor();

    // A session of two places, open for enrolment; a bad capacity first.
    await p.locator('#session-new').click();
    await p.locator('#session-starts').fill(later(30, 9));
    await p.locator('#session-ends').fill(later(32, 17));
    await p.locator('#session-place').fill('Police academy, Kenitra (test)');
    await p.locator('#session-capacity').fill('0');
    await p.locator('#session-state').selectOption('open');
    await p.locator('form.session-form button[type=submit]').click();
    await p.locator('#session-capacity-error').waitFor();
    await p.locator('#session-capacity').fill('2');
    await p.locator('form.session-form button[type=submit]').click();
    await p.locator('[role=status]', { hasText: msg('en', 'training.done.session_added') }).waitFor();
    await p.locator('table.sessions tbody tr').first().waitFor();
    await everyLanguage(p, inspect, 'training-programme');

    // The session: enrol two of our participants (decided at once: we provide it).
    await p.locator('table.sessions tbody tr a').first().click();
    await p.waitForURL(/\/training\/sessions\/[0-9a-f-]{36}$/);
    const sessionPath = new URL(p.url()).pathname;
    await p.locator('h1', { hasText: msg('en', 'training.session.title') }).waitFor();
    await p.locator('#enrol-name').fill(PARTICIPANT);
    await p.locator('#enrol-rank').fill('Inspector (test)');
    await p.locator('#enrol-unit').fill('Cybercrime unit (test)');
    await p.locator('#enrol-email').fill('not-an-address');
    await p.locator('form.enrol-form button[type=submit]').click();
    await p.locator('#enrol-email-error').waitFor();
    await p.waitForFunction(() => document.activeElement?.id === 'enrol-email');
    await p.locator('#enrol-email').fill('samir.test@example.invalid');
    await p.locator('form.enrol-form button[type=submit]').click();
    await p.locator('[role=status]', { hasText: msg('en', 'training.done.enrolled') }).waitFor();
    const first = p.locator(`li.enrolment[data-enrolment="${PARTICIPANT}"]`);
    await first.waitFor();
    assert.equal(await first.getAttribute('data-status'), 'confirmed');
    assert.equal(await first.locator('h3 bdi.name').textContent(), PARTICIPANT);
    await p.locator('#enrol-name').fill(SECOND);
    await p.locator('#enrol-email').fill('');
    await p.locator('form.enrol-form button[type=submit]').click();
    const second = p.locator(`li.enrolment[data-enrolment="${SECOND}"]`);
    await second.waitFor();
    await p.locator('dd[data-field=confirmed][data-value="2"]').waitFor();
    assert.equal(await p.locator('table.by-agency tr[data-agency=MA-DGSN] td[data-field=confirmed]').textContent(), '2');

    // Withdraw the second: the place is free again.
    await second.locator('button', { hasText: msg('en', 'training.withdraw') }).click();
    await p.locator('[role=status]', { hasText: msg('en', 'training.done.withdrawn') }).waitFor();
    await p.locator(`li.enrolment[data-enrolment="${SECOND}"][data-status=withdrawn]`).waitFor();
    await p.locator('dd[data-field=confirmed][data-value="1"]').waitFor();

    // Attendance and completion of the first (we provide the session).
    await first.locator('select[id$=-attended]').selectOption('yes');
    await first.locator('select[id$=-completion]').selectOption('completed');
    await first.locator('input[id$=-certificate]').fill('CERT-TEST-0001');
    await first.locator('form.record-form button[type=submit]').click();
    await p.locator('[role=status]', { hasText: msg('en', 'training.done.recorded') }).waitFor();
    await p.locator(`li.enrolment[data-enrolment="${PARTICIPANT}"] dd[data-field=outcome]`, { hasText: msg('en', 'training.completion.completed') }).waitFor();
    assert.deepEqual(await unlabelled(p), []);
    await everyLanguage(p, inspect, 'training-session');

    // The list shows the programme as ours.
    await p.locator('nav a', { hasText: msg('en', 'training.nav') }).click();
    await p.locator(`table.programmes tr[data-programme="${PROGRAMME}"] [data-owner=self]`).waitFor();
    await everyLanguage(p, inspect, 'training-programmes');

    // FR-DGPN receives a read-only copy: no edit, no new session, provider shown.
    const f = await page({}, fr);
    await signIn(f, 'demo.supervisor', fr.accounts['demo.supervisor']);
    await f.goto('/training');
    await reloadUntil(
      f,
      f.locator(`table.programmes tr[data-programme="${PROGRAMME}"]`),
      f.locator('h1', { hasText: msg('en', 'training.title') }),
      'the programme at FR-DGPN',
    );
    await f.locator(`table.programmes tr[data-programme="${PROGRAMME}"] [data-owner=MA-DGSN]`).waitFor();
    await f.locator(`table.programmes tr[data-programme="${PROGRAMME}"] a`).click();
    await f.locator('main p.notice', { hasText: msg('en', 'training.programme.read_only') }).waitFor();
    assert.equal(await f.locator('#programme-edit').count(), 0);
    assert.equal(await f.locator('#session-new').count(), 0);
    await everyLanguage(f, inspect, 'training-programme-partner');

    // FR-DGPN's officer enrols one of theirs: pending until MA-DGSN decides,
    // then confirmed; MA-DGSN counts it under FR-DGPN.
    const o = await page({}, fr);
    await signIn(o, 'demo.officer', fr.accounts['demo.officer']);
    await o.goto(sessionPath);
    await reloadUntil(
      o,
      o.locator('#enrol-name'),
      o.locator('h1', { hasText: msg('en', 'training.session.title') }),
      'the session at FR-DGPN',
    );
    await o.locator('main p.hint', { hasText: msg('en', 'training.enrol.hint_partner') }).waitFor();
    await o.locator('#enrol-name').fill(PARTNER_PARTICIPANT);
    await o.locator('form.enrol-form button[type=submit]').click();
    const theirs = o.locator(`li.enrolment[data-enrolment="${PARTNER_PARTICIPANT}"]`);
    await theirs.waitFor();
    // Pending until the decision arrives (which may be at once on loopback).
    assert.ok(['pending', 'confirmed'].includes(await theirs.getAttribute('data-status')));
    const untilDecided = Date.now() + 20000;
    while ((await o.locator(`li.enrolment[data-enrolment="${PARTNER_PARTICIPANT}"][data-status=confirmed]`).count()) === 0) {
      if (Date.now() > untilDecided) throw new Error('the decision did not come back to FR-DGPN');
      await o.waitForTimeout(500);
      await o.reload();
      await theirs.waitFor();
    }
    assert.equal(await o.locator('li.enrolment').count(), 1, 'a partner holds only its own participants');
    await everyLanguage(o, inspect, 'training-session-partner');
    await p.goto(sessionPath);
    await p.locator('table.by-agency tr[data-agency=FR-DGPN] td[data-field=confirmed]', { hasText: '1' }).waitFor();
    await p.locator('dd[data-field=confirmed][data-value="2"]').waitFor();
    noProblems(p);
    noProblems(f);
    noProblems(o);
  });

  test('training: a supervisor offers a catalogue item; an officer sees it and a partner’s item read-only with its provenance, and filters by domain', async () => {
    const { ma, fr } = await pairedNodes();
    // FR-DGPN offers an item to MA-DGSN (through its API).
    const partnerItemId = await offerItem(fr, {
      domain: 'dog_units',
      title: PARTNER_ITEM,
      contact_unit: 'Groupe cynophile national (test)',
      languages: ['fr'],
    });
    assert.match(partnerItemId, /^[0-9a-f-]{36}$/);
    const s = await page({}, ma);
    await signIn(s, 'demo.supervisor', ma.accounts['demo.supervisor']);
    await s.goto('/training/catalogue');
    await s.locator('h1', { hasText: msg('en', 'training.catalogue.title') }).waitFor();
    await s.locator('#item-new').click();
    await s.locator('#item-domain').selectOption('digital_forensics');
    await s.locator('#item-title').fill(ITEM);
    await s.locator('#item-contact').fill('Central forensic laboratory (test)');
    await s.locator('form.item-form button[type=submit]').click();
    await s.locator('#item-languages-error').waitFor();
    await s.locator('#item-languages-fr').check();
    await s.locator('form.item-form button[type=submit]').click();
    await s.locator(`li.catalogue-item[data-item="${ITEM}"]`).waitFor();
    assert.equal(await s.locator(`li.catalogue-item[data-item="${ITEM}"] button`, { hasText: msg('en', 'training.catalogue.edit') }).count(), 1);

    const o = await page({}, ma);
    await signIn(o, 'demo.officer', ma.accounts['demo.officer']);
    await o.locator('nav a', { hasText: msg('en', 'training.nav') }).click();
    await o.locator('h1', { hasText: msg('en', 'training.title') }).waitFor();
    assert.equal(await o.locator('#programme-new').count(), 0, 'an officer does not create programmes');
    await o.locator('a', { hasText: msg('en', 'training.catalogue.title') }).first().click();
    await o.locator(`li.catalogue-item[data-item="${ITEM}"]`).waitFor();
    assert.equal(await o.locator('#item-new').count(), 0);
    assert.equal(await o.locator('li.catalogue-item button').count(), 0, 'no edit button for an officer');
    assert.deepEqual(await unlabelled(o), []);
    // The partner's item: read-only, with the agency that sent it.
    const partner = o.locator(`li.catalogue-item[data-item="${PARTNER_ITEM}"]`);
    await reloadUntil(o, partner, o.locator(`li.catalogue-item[data-item="${ITEM}"]`), 'the partner item at MA-DGSN');
    await partner.locator('[data-owner=FR-DGPN]').waitFor();
    await partner.locator('dd.provenance code', { hasText: 'FR-DGPN' }).waitFor();
    assert.equal(await partner.locator('button').count(), 0, 'a partner item is not edited here');
    // The request link names the partner and the item.
    assert.equal(
      await partner.locator('a.button').getAttribute('href'),
      `/assistance/new?type=technical_assistance&partner=FR-DGPN&item=${partnerItemId}`,
    );
    assert.equal(await o.locator(`li.catalogue-item[data-item="${ITEM}"] a.button`).count(), 0, 'no request to ourselves');
    await everyLanguage(o, inspect, 'training-catalogue');
    await o.locator('#catalogue-domain').selectOption('explosives');
    await o.waitForURL(/domain=explosives/);
    await o.locator('main p.notice', { hasText: msg('en', 'training.catalogue.empty') }).waitFor();
    await o.locator('#catalogue-domain').selectOption('digital_forensics');
    await o.locator(`li.catalogue-item[data-item="${ITEM}"]`).waitFor();
    // Nor does an officer get the cooperation report.
    assert.equal(await o.locator('nav a', { hasText: msg('en', 'reports.nav') }).count(), 0);
    noProblems(s);
    noProblems(o);
  });

  test('training: an officer follows a partner’s catalogue item to a technical-assistance request that names it (preselected, cleared on a change, refused at its field), and its page shows the item', async () => {
    const { ma, fr } = await pairedNodes();
    // FR-DGPN offers an item to MA-DGSN (through its API).
    const itemId = await offerItem(fr, {
      domain: 'ballistics',
      title: REQUESTED_ITEM,
      description: 'Comparaison de douilles et de projectiles (synthétique).',
      contact_unit: 'Laboratoire de balistique (test)',
      languages: ['fr', 'en'],
    });

    const o = await page({}, ma);
    await signIn(o, 'demo.officer', ma.accounts['demo.officer']);
    await o.goto('/training/catalogue');
    await o.locator('h1', { hasText: msg('en', 'training.catalogue.title') }).waitFor();
    const card = o.locator(`li.catalogue-item[data-item="${REQUESTED_ITEM}"]`);
    await reloadUntil(o, card, o.locator('h1', { hasText: msg('en', 'training.catalogue.title') }), 'the partner item at MA-DGSN');
    const link = card.locator('a.button', { hasText: msg('en', 'training.catalogue.request') });
    assert.equal(await link.getAttribute('href'), `/assistance/new?type=technical_assistance&partner=FR-DGPN&item=${itemId}`);

    // The form: type, partner and the item filled in; the select lists
    // what FR-DGPN offers here (active items only), nothing of ours.
    await link.click();
    await o.waitForURL(/\/assistance\/new\?/);
    await o.locator('h1', { hasText: msg('en', 'assistance.new.title') }).waitFor();
    const select = o.locator('#assistance-catalogue-item-id');
    await o.locator('#assistance-catalogue-item-id[data-state=list]').waitFor();
    assert.equal(await o.locator('#assistance-type').inputValue(), 'technical_assistance');
    assert.equal(await o.locator('#assistance-requested-agency').inputValue(), 'FR-DGPN');
    assert.equal(await select.inputValue(), itemId, 'the item of the link is preselected');
    const maToken = await apiToken(ma, 'demo.officer');
    const held = await apiGet(ma, maToken, '/api/v1/training/catalogue?owner=FR-DGPN&page_size=200');
    const expected = held.items.filter((i) => i.active).map((i) => i.id).sort();
    assert.ok(expected.includes(itemId));
    const listed = await select.locator('option').evaluateAll((os) => os.map((x) => x.value));
    assert.equal(listed[0], '', 'no item is an option');
    assert.deepEqual(listed.slice(1).sort(), expected, 'the active items FR-DGPN offers, held here');
    assert.match(await select.locator(`option[value="${itemId}"]`).textContent(), new RegExp(`^${REQUESTED_ITEM.replace(/[()]/g, '\\$&')} \\(${msg('en', 'training.domain.ballistics')}\\)$`));
    assert.equal(await o.locator('#assistance-catalogue-item-id-hint code').textContent(), 'FR-DGPN');
    assert.deepEqual(await unlabelled(o), []);
    await everyLanguage(o, inspect, 'assistance-new-catalogue-item');

    // Another type: no item; back to technical assistance: the item was cleared.
    await o.locator('#assistance-type').selectOption('information');
    await o.waitForFunction(() => !document.getElementById('assistance-catalogue-item-id'));
    await o.locator('#assistance-type').selectOption('technical_assistance');
    await o.locator('#assistance-catalogue-item-id[data-state=list]').waitFor();
    assert.equal(await select.inputValue(), '', 'a change of type clears the item');
    await select.selectOption(itemId);
    // Another partner (no registered one, its catalogue empty here): cleared too.
    await o.locator('#assistance-requested-agency').fill('XX-TEST');
    await o.locator('#assistance-catalogue-item-id-hint', { hasText: msg('en', 'assistance.catalogue.empty', { agency: 'XX-TEST' }) }).waitFor();
    assert.equal(await select.getAttribute('data-state'), 'list');
    assert.equal(await select.inputValue(), '');
    assert.ok(await select.isDisabled(), 'nothing to choose from');
    assert.deepEqual(await select.locator('option').evaluateAll((os) => os.map((x) => x.value)), ['']);
    await o.locator('#assistance-requested-agency').fill('FR-DGPN');
    await o.locator(`#assistance-catalogue-item-id[data-state=list] option[value="${itemId}"]`).waitFor({ state: 'attached' });
    assert.equal(await select.inputValue(), '', 'a change of partner clears the item');
    await select.selectOption(itemId);

    await o.locator('#assistance-urgency-normal').check();
    await o.locator('#assistance-subject').fill('Comparison of cartridge cases (test)');
    await o.locator('#assistance-description').fill('Please compare two cartridge cases with your reference collection (synthetic test request).');
    await o.locator('#assistance-grounds').fill('Shots fired near a border crossing; the weapon may have been used in France (test).');
    await o.locator('#assistance-case-reference').fill('MA-TEST-BALLISTICS');

    // An item the node refuses (not held here): the error is at the field,
    // which gets the focus. The request is altered on its way to the node.
    let sentItem = null;
    const altered = async (route) => {
      const body = JSON.parse(route.request().postData());
      sentItem = body.catalogue_item_id;
      await route.continue({ postData: JSON.stringify({ ...body, catalogue_item_id: NO_ITEM }) });
    };
    await o.route('**/api/v1/assistance-requests', altered);
    await o.locator('form.assistance-form button[type=submit]').click();
    await o.locator('#assistance-catalogue-item-id-error').waitFor();
    assert.equal(await o.locator('#assistance-catalogue-item-id-error').textContent(), msg('en', 'assistance.error.catalogue_item_id'));
    assert.equal(await select.getAttribute('aria-invalid'), 'true');
    await o.waitForFunction(() => document.activeElement?.id === 'assistance-catalogue-item-id');
    await o.locator('[role=alert]', { hasText: msg('en', 'assistance.new.fix') }).waitFor();
    await o.unroute('**/api/v1/assistance-requests', altered);
    assert.equal(sentItem, itemId, 'the form sends the chosen item');
    await inspect(o, 'en', 'assistance-new-catalogue-item-error');

    // Sent as chosen: the node keeps the item with the request.
    await o.locator('form.assistance-form button[type=submit]').click();
    await o.waitForURL(/\/assistance\/[0-9a-f-]{36}\?saved=submitted$/);
    const requestId = new URL(o.url()).pathname.split('/').pop();
    const stored = await apiGet(ma, maToken, `/api/v1/assistance-requests/${requestId}`);
    assert.equal(stored.catalogue_item_id, itemId);
    assert.equal(stored.type, 'technical_assistance');
    assert.equal(stored.requested, 'FR-DGPN');

    // The request's page shows the item: its title, domain and provider.
    const fact = o.locator(`dd[data-field=catalogue_item][data-item="${itemId}"][data-state=held]`);
    await fact.waitFor();
    assert.equal(await fact.locator('a bdi').textContent(), REQUESTED_ITEM);
    assert.equal(await fact.locator('a').getAttribute('href'), '/training/catalogue?domain=ballistics');
    assert.equal(await fact.locator('code').textContent(), 'FR-DGPN');
    await fact.locator('.sub', { hasText: msg('en', 'training.domain.ballistics') }).waitFor();
    await everyLanguage(o, inspect, 'assistance-request-catalogue-item', async () => {
      await fact.waitFor();
    });

    // The item crosses with the request: FR-DGPN holds it, naming its own item.
    const frOfficer = await apiToken(fr, 'demo.officer');
    const untilCrossed = Date.now() + 20000;
    for (;;) {
      const r = await fetch(`${fr.url}/api/v1/assistance-requests/${requestId}`, {
        headers: { Authorization: `Bearer ${frOfficer}`, 'X-Purpose': 'browser test', Accept: 'application/json' },
      });
      if (r.status === 200) {
        const theirs = await r.json();
        assert.equal(theirs.catalogue_item_id, itemId);
        assert.equal(theirs.direction, 'incoming');
        break;
      }
      assert.equal(r.status, 404, await r.text());
      if (Date.now() > untilCrossed) throw new Error('the request did not reach FR-DGPN');
      await new Promise((done) => setTimeout(done, 500));
    }

    // A link naming an item FR-DGPN does not offer here: dropped, and said so.
    await o.goto(`/assistance/new?type=technical_assistance&partner=FR-DGPN&item=${NO_ITEM}`);
    await o.locator('p.notice[data-dropped]').waitFor();
    await o.locator('p.notice[data-dropped] code', { hasText: 'FR-DGPN' }).waitFor();
    assert.equal(await select.inputValue(), '');
    noProblems(o);
  });

  test('reports: a supervisor reads the cooperation report per partner, downloads the CSV and sees it right-to-left in Arabic', async () => {
    const { ma } = await pairedNodes();
    // A figure for FR-DGPN: an assistance request we send it.
    const token = await apiToken(ma, 'demo.officer');
    const r = await fetch(`${ma.url}/api/v1/assistance-requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Purpose': 'browser test' },
      body: JSON.stringify({
        requested_agency: 'FR-DGPN',
        type: 'information',
        urgency: 'normal',
        subject: 'Registration of a vehicle (test)',
        description: 'Please tell us who holds the registration TEST-9 (synthetic test request).',
        grounds: 'The vehicle was seen at a border crossing (test).',
        case_reference: 'MA-TEST-REPORT',
      }),
    });
    assert.equal(r.status, 201, await r.text());
    // Every request MA-DGSN sent (all to FR-DGPN, its only partner; the
    // catalogue test sends one too).
    const sent = String((await apiGet(ma, token, '/api/v1/assistance-requests?direction=outgoing')).total);

    const p = await page({}, ma);
    await signIn(p, 'demo.supervisor', ma.accounts['demo.supervisor']);
    await p.locator('nav a', { hasText: msg('en', 'reports.nav') }).click();
    await p.locator('h1', { hasText: msg('en', 'reports.cooperation.title') }).waitFor();
    const row = p.locator('table.cooperation tbody tr[data-partner=FR-DGPN]');
    await row.waitFor();
    assert.equal(await p.locator('table.cooperation tbody tr').count(), 1, 'one row per partner');
    const columns = await p.locator('table.cooperation thead th[data-column]').count();
    assert.equal(await row.locator('td').count(), columns, 'every figure');
    assert.equal(await row.locator('td').nth(6).getAttribute('data-value'), sent, 'assistance requests sent');
    assert.equal(await p.locator('table.cooperation tfoot td').nth(6).getAttribute('data-value'), sent, 'total');
    // The default period is the last twelve months, to today.
    const to = await p.locator('#report-to').inputValue();
    const from = await p.locator('#report-from').inputValue();
    assert.equal(to, new Date().toISOString().slice(0, 10));
    assert.equal(Number(to.slice(0, 4)) - Number(from.slice(0, 4)), 1);
    // The charts: images named by their title, the figure written beside each bar.
    assert.equal(await p.locator('svg.chart-svg[role=img][aria-label]').count(), 2);
    assert.equal(await p.locator(`svg.exchange g[data-series=assistance][data-value="${sent}"] text.chart-value`).textContent(), sent);
    assert.equal(await p.locator('svg.deadline g[data-direction=sent] text.chart-value').textContent(), msg('en', 'reports.no_response'));
    assert.deepEqual(await unlabelled(p), []);

    // Keyboard only: the period's fields, then its button, then the download
    // (Tab also steps through the day, month and year of a date field).
    const active = () => p.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');
    const tabTo = async (expected) => {
      for (let i = 0; i < 5 && (await active()) !== expected; i++) await p.keyboard.press('Tab');
      assert.equal(await active(), expected);
    };
    await p.locator('#report-from').focus();
    await tabTo('report-to');
    await tabTo(msg('en', 'reports.apply'));
    await p.keyboard.press('Enter');
    await row.waitFor();
    await p.keyboard.press('Tab');
    assert.equal(await active(), 'report-csv');

    // The CSV: the node's file name, the header first.
    const [download] = await Promise.all([p.waitForEvent('download'), p.locator('#report-csv').click()]);
    assert.match(download.suggestedFilename(), /^cooperation-MA-DGSN-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith(CSV_HEADER), csv.slice(0, 200));
    // The table has a column for every figure of the file, in its order.
    const shown = await p.locator('table.cooperation thead th[data-column]').evaluateAll((els) => els.map((e) => e.dataset.column));
    assert.deepEqual(csv.split('\r\n')[0].split(',').slice(2), shown);
    assert.match(csv, /\r\nFR-DGPN,/);
    assert.match(csv, /\r\nTOTAL,/);
    await p.locator('.download-status code', { hasText: download.suggestedFilename() }).waitFor();

    // A period the node refuses: the field is named.
    await p.locator('#report-from').fill('2030-01-01');
    await p.locator('#report-to').fill('2029-01-01');
    await p.locator('form.report-period button[type=submit]').click();
    await p.locator('#report-from-error').waitFor();
    await p.locator('#report-from').fill(from);
    await p.locator('#report-to').fill(to);
    await p.locator('form.report-period button[type=submit]').click();
    await row.waitFor();

    await everyLanguage(p, inspect, 'cooperation-report', async (lang) => {
      if (lang !== 'ar') return;
      assert.equal(await p.evaluate(() => document.documentElement.dir), 'rtl');
      assert.equal(await p.locator('table.cooperation').evaluate((t) => getComputedStyle(t).direction), 'rtl');
      // The bars grow from the right: a bar ends at the drawing's right edge.
      const bar = p.locator('svg.exchange g[data-series=assistance] rect.chart-bar').first();
      const box = await bar.boundingBox();
      const track = await p.locator('svg.exchange g[data-series=assistance] rect.chart-track').first().boundingBox();
      assert.ok(Math.abs(box.x + box.width - (track.x + track.width)) < 2, 'bar anchored at the right in Arabic');
      await p.locator('h1', { hasText: msg('ar', 'reports.cooperation.title') }).waitFor();
    });
    noProblems(p);
  });
}
