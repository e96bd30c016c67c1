// Browser tests of the secure messages (web/src/modules/messages), registered
// by run.mjs (registerMessageTests at its end) so that they share its
// browser, its page helpers and its clean-up. Two paired nodes of their own,
// MA-DGSN and FR-DGPN with the demo accounts: an officer at MA-DGSN writes
// to FR-DGPN with an attachment; FR-DGPN's officer finds it, downloads the
// attachment (same hash), reads and acknowledges it, is refused forwarding
// the H2 message with the node's reason, and replies; MA-DGSN sees the
// delivery, read and acknowledgement states. Every screen in ar/fr/en.

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { apiGet, apiToken, freePort, initNode, LANGS, msg, pairNodes, quickRetries, serveNode, signIn, switchLang } from './harness.mjs';

// Synthetic test data only.
const SUBJECT = 'Convoi de véhicules volés vers Algésiras (test)';
const TEXT =
  'Trois véhicules signalés volés (plaques TEST-101, TEST-102, TEST-103) embarqueraient vendredi à Tanger Med. ' +
  'Évasion possible du convoyeur (données synthétiques de test).';
// A little over four 64 KiB chunks, so that the attachment crosses in pieces.
const ATTACHMENT = {
  name: 'rapport-test.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from(
    Array.from({ length: 4500 }, (_, i) => `ligne ${String(i).padStart(5, '0')} : relevé synthétique de test\n`).join(''),
    'utf8',
  ),
};
const H1_SUBJECT = 'Témoignage à ne pas produire en justice (test)';

// POST or PUT of a JSON body through the API; returns [status, JSON].
async function apiSend(on, token, method, path, body) {
  const r = await fetch(`${on.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'X-Purpose': 'browser test',
      Accept: 'application/json',
    },
    body: JSON.stringify(body),
  });
  return [r.status, await r.json()];
}

// Clicks the screen's "Refresh now" until `locator` is there, for at most
// `seconds` (the federation delivers within moments).
async function refreshUntil(p, locator, seconds = 15) {
  const until = Date.now() + seconds * 1000;
  while ((await locator.count()) === 0) {
    if (Date.now() > until) throw new Error(`not shown within ${seconds} s: ${locator}`);
    await p.locator('#messages-refresh').click();
    await p.waitForTimeout(250);
  }
}

// Reloads the page until `locator` is there, for at most `seconds`.
async function reloadUntil(p, locator, seconds = 15) {
  const until = Date.now() + seconds * 1000;
  while ((await locator.count()) === 0) {
    if (Date.now() > until) throw new Error(`not shown within ${seconds} s: ${locator}`);
    await p.waitForTimeout(300);
    await p.reload();
    await p.locator('main h1').waitFor();
    await p.waitForTimeout(200);
  }
}

// Registers the tests. ctx: {page(options, node), inspect(p, lang, name),
// noProblems(p), unlabelled(p), extraNodes} from run.mjs.
export function registerMessageTests(ctx) {
  const { page, inspect, noProblems, unlabelled, extraNodes } = ctx;
  const nodes = { ma: null, fr: null };

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

  test('secure messages across two nodes: MA writes to FR-DGPN with an attachment, FR downloads it (same hash), reads and acknowledges it, may not forward the H2 message, replies; MA sees every state; every screen in ar/fr/en', async () => {
    const { ma, fr } = await pairedNodes();

    // A unit at MA-DGSN with the demo officer in it (units are managed by
    // administrators; the interface only addresses them).
    const maOfficerToken = await apiToken(ma, 'demo.officer');
    const maOfficer = await apiGet(ma, maOfficerToken, '/api/v1/me');
    for (const p of ['message.send', 'message.forward', 'message.list', 'message.ack']) {
      assert.ok(maOfficer.permissions.includes(p), `an officer may ${p}`);
    }
    const maAdmin = await apiToken(ma, 'admin');
    const [unitStatus] = await apiSend(ma, maAdmin, 'PUT', '/api/v1/units/DPJ', {
      name: 'Police judiciaire (test)',
      members: [maOfficer.id],
    });
    assert.equal(unitStatus, 200);

    // --- MA-DGSN: the officer writes a new message.
    const m = await page({}, ma);
    await signIn(m, 'demo.officer', ma.accounts['demo.officer']);
    await m.locator('nav a', { hasText: msg('en', 'messages.nav') }).click();
    await m.locator('h1', { hasText: msg('en', 'messages.title') }).waitFor();
    await m.locator('#messages-results-title').waitFor();
    await m.locator('main p', { hasText: msg('en', 'messages.list.empty') }).waitFor();
    await inspect(m, 'en', 'messages-empty');
    await m.locator('a.button', { hasText: msg('en', 'messages.new') }).click();
    await m.locator('h1', { hasText: msg('en', 'messages.compose.title') }).waitFor();
    await m.locator('#messages-unit-DPJ').waitFor();
    assert.deepEqual(await unlabelled(m), [], 'every control has a label');
    // An officer may not read the partner nodes: agencies are typed.
    assert.equal(await m.locator('#messages-agencies').evaluate((e) => e.tagName), 'INPUT');
    // Every code is explained where it is chosen.
    for (const [id, key] of [
      ['messages-handling-code-H1-hint', 'messages.handling.H1.explain'],
      ['messages-handling-code-H2-hint', 'messages.handling.H2.explain'],
      ['messages-source-reliability-B-hint', 'messages.reliability.B'],
      ['messages-information-accuracy-2-hint', 'messages.accuracy.2'],
    ]) {
      assert.equal(await m.locator(`#${id}`).textContent(), msg('en', key), id);
    }
    await inspect(m, 'en', 'messages-compose');

    // Nothing filled in: the node names a member and nothing is sent.
    await m.locator('#messages-send').click();
    await m.locator('[role=alert]', { hasText: msg('en', 'messages.compose.fix') }).waitFor();
    assert.ok((await m.locator('.field-error').count()) >= 1, 'a field error is shown');
    // Focus moves to the control the node named.
    await m.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true' || document.activeElement?.classList.contains('field-invalid'));

    // H3 without its restrictions: the node names handling_text.
    await m.locator('#messages-subject').fill(SUBJECT);
    await m.locator('#messages-agencies').fill('fr-dgpn, es-nope');
    assert.equal(await m.locator('#messages-agencies').inputValue(), 'FR-DGPN, ES-NOPE', 'codes are capitals');
    await m.locator('#messages-unit-DPJ').check();
    await m.locator('#messages-text').fill(TEXT);
    await m.locator('#messages-handling-code-H3').check();
    await m.locator('#messages-source-reliability-B').check();
    await m.locator('#messages-information-accuracy-2').check();
    await m.locator('#messages-send').click();
    await m.locator('#messages-handling-text-error').waitFor();
    assert.equal(await m.locator('#messages-handling-text-error').textContent(), msg('en', 'messages.error.handling_text'));
    assert.equal(await m.locator('#messages-handling-text').getAttribute('aria-invalid'), 'true');
    await m.waitForFunction(() => document.activeElement.id === 'messages-handling-text');
    await inspect(m, 'en', 'messages-compose-error');

    // H2, but one agency is no partner: the node names that recipient.
    await m.locator('#messages-handling-code-H2').check();
    assert.equal(await m.locator('#messages-handling-text').count(), 0, 'restrictions only for H3');
    await m.locator('#messages-send').click();
    await m.locator('#messages-recipients-error', { hasText: 'ES-NOPE' }).waitFor();
    await m.waitForFunction(() => document.activeElement.id === 'messages-recipients');

    // The attachment: uploaded at once, with its progress, then its hash,
    // the same as the one computed in the browser.
    await m.locator('#messages-agencies').fill('FR-DGPN');
    await m.locator('#messages-attachments').setInputFiles(ATTACHMENT);
    const upload = m.locator('li.upload').first();
    await m.locator('li.upload[data-state=done]').waitFor({ timeout: 15000 });
    await m.waitForFunction(() => document.querySelector('li.upload')?.dataset.local);
    const hash = await upload.getAttribute('data-hash');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(await upload.getAttribute('data-local'), hash, 'the node hashes the bytes as the browser does');
    assert.equal(await upload.locator('.hash-value code').textContent(), hash);
    await upload.locator('[data-check=match]', { hasText: msg('en', 'messages.upload.hash_match') }).waitFor();
    await m.locator('#messages-ack-requested').check();
    await inspect(m, 'en', 'messages-compose-attachment');
    await m.locator('#messages-send').click();
    await m.waitForURL(/\/messages\/[0-9a-f-]{36}\?sent=1#message-[0-9a-f-]{36}$/);
    const threadId = new URL(m.url()).pathname.split('/').pop();
    const messageId = new URL(m.url()).hash.slice('#message-'.length);
    await m.locator('[role=status][data-notice=sent]', { hasText: msg('en', 'messages.done.sent') }).waitFor();
    const sent = m.locator(`article[data-message="${messageId}"]`);
    await sent.waitFor();
    assert.equal(await m.locator('h1 bdi').textContent(), SUBJECT);
    assert.equal(await sent.getAttribute('data-handling'), 'H2');
    await sent.locator('.handling-notice', { hasText: msg('en', 'messages.handling.H2.rule') }).waitFor();
    await sent.locator('.attachment .hash-value code', { hasText: hash }).waitFor();
    // Every recipient's state for the sender: the unit at once, the partner
    // when its node confirms delivery.
    assert.equal(await sent.locator('tr[data-recipient=DPJ]').getAttribute('data-state'), 'delivered');
    await refreshUntil(m, sent.locator('tr[data-recipient=FR-DGPN][data-state=delivered]'));
    await inspect(m, 'en', 'messages-thread-sent');

    // --- FR-DGPN: the home page counts the unread message.
    const f = await page({ locale: 'fr-FR' }, fr);
    await signIn(f, 'demo.officer', fr.accounts['demo.officer']);
    const card = f.locator('section.unread-messages');
    await card.waitFor();
    await reloadUntil(f, f.locator('section.unread-messages[data-count="1"]'));
    assert.equal(await card.locator('.count').textContent(), '1');
    for (const lang of ['ar', 'en', 'fr']) {
      await switchLang(f, lang);
      await card.locator('h3', { hasText: msg(lang, 'messages.home.title') }).waitFor();
      await inspect(f, lang, 'messages-home');
    }
    await card.locator('#home-unread-messages-link').click();
    await f.waitForURL(/\/messages\?unread=true$/);
    assert.equal(await f.locator('#messages-unread').isChecked(), true);
    const row = f.locator(`tr[data-thread="${threadId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-unread'), '1');
    await row.locator('.badge-unread').waitFor();
    await inspect(f, 'fr', 'messages-unread');

    // The thread: sender, handling code explained, evaluation in words.
    await row.locator('a').first().click();
    const got = f.locator(`article[data-message="${messageId}"]`);
    await got.waitFor();
    assert.equal(await got.getAttribute('data-read'), 'false');
    assert.equal(await got.locator('.message-head bdi.name').textContent(), 'Demo Officer');
    await got.locator('.message-head [data-agency=MA-DGSN]').waitFor();
    await got.locator('.handling-notice', { hasText: msg('fr', 'messages.handling.H2.rule') }).waitFor();
    await got.locator('[data-field=source_reliability]', { hasText: msg('fr', 'messages.reliability.B') }).waitFor();
    await got.locator('[data-field=information_accuracy]', { hasText: msg('fr', 'messages.accuracy.2') }).waitFor();
    await got.locator('.badge', { hasText: msg('fr', 'messages.message.ack_requested') }).waitFor();
    assert.equal(await got.locator('.message-text').textContent(), TEXT);
    await inspect(f, 'fr', 'messages-thread-received');

    // The attachment, downloaded with the bearer token: same bytes, same hash.
    const attachment = got.locator(`li.attachment[data-hash="${hash}"]`);
    await refreshUntil(f, got.locator(`li.attachment[data-hash="${hash}"] button[data-action=download]:not([disabled])`));
    const [download] = await Promise.all([
      f.waitForEvent('download'),
      got.locator(`li.attachment[data-hash="${hash}"] button[data-action=download]`).click(),
    ]);
    assert.equal(download.suggestedFilename(), ATTACHMENT.name);
    const bytes = readFileSync(await download.path());
    assert.ok(bytes.equals(ATTACHMENT.buffer), 'the downloaded bytes are those attached');
    await attachment.locator('.download-status[data-state=ok]').waitFor();
    assert.equal(await attachment.locator('.download-status').getAttribute('data-computed'), hash, 'same hash at FR-DGPN');
    await attachment.locator('.badge-ok', { hasText: msg('fr', 'messages.attachment.verified') }).waitFor();

    // Read, then acknowledged with a note.
    await got.locator('button[data-action=read]').click();
    await got.locator('[role=status][data-done=read]').waitFor();
    assert.equal(await got.getAttribute('data-read'), 'true');
    assert.equal(await got.locator('button[data-action=read]').count(), 0);
    await got.locator('button[data-action=ack]').click();
    await got.locator('textarea[id^=ack-note-]').fill('Bien reçu, vérification en cours (test).');
    await got.locator('button[data-action=ack-confirm]').click();
    await got.locator('[role=status][data-done=ack]', { hasText: msg('fr', 'messages.done.ack') }).waitFor();
    assert.equal(await got.locator('button[data-action=ack]').count(), 0, 'acknowledged once');
    assert.equal(await got.locator('tr[data-recipient=FR-DGPN]').getAttribute('data-state'), 'acknowledged');

    // Forwarding the H2 message to another agency: warned, then refused by
    // the node with its reason, the recipient named.
    await got.locator('button[data-action=forward]').click();
    const fwd = got.locator('form.forward-form');
    await fwd.locator('[data-warning=h2]').waitFor();
    assert.deepEqual(await unlabelled(f), [], 'every control has a label');
    await fwd.locator(`#forward-${messageId}-agencies`).fill('ES-CNP');
    await fwd.locator('button[data-action=forward-confirm]').click();
    const refusal = fwd.locator('[role=alert][data-refused]');
    await refusal.waitFor();
    assert.equal(await refusal.locator('p').first().textContent(), msg('fr', 'messages.forward.refused'));
    const reason = await refusal.locator('.refusal-reason').textContent();
    assert.match(reason, /H2/);
    assert.match(reason, /only MA-DGSN may pass it on to ES-CNP/);
    assert.equal(
      await fwd.locator(`#forward-${messageId}-recipients-error`).textContent(),
      msg('fr', 'messages.forward.refused_recipient', { code: 'ES-CNP' }),
    );
    await inspect(f, 'fr', 'messages-forward-refused');
    await switchLang(f, 'ar');
    await refusal.locator('p', { hasText: msg('ar', 'messages.forward.refused') }).waitFor();
    await inspect(f, 'ar', 'messages-forward-refused');
    await switchLang(f, 'en');
    await inspect(f, 'en', 'messages-forward-refused');

    // --- MA-DGSN sees FR-DGPN's read and acknowledgement.
    const frRow = sent.locator('tr[data-recipient=FR-DGPN]');
    await refreshUntil(m, sent.locator('tr[data-recipient=FR-DGPN][data-state=acknowledged]'));
    await frRow.locator('.delivery', { hasText: msg('en', 'messages.delivery.acknowledged') }).waitFor();
    await frRow.locator('bdi.name', { hasText: 'Demo Officer' }).first().waitFor();
    await frRow.locator('bdi.text', { hasText: 'Bien reçu' }).waitFor();
    assert.equal(await frRow.locator('time').count(), 3, 'delivered, read and acknowledged times');
    for (const lang of LANGS) {
      await switchLang(m, lang);
      await frRow.locator('.delivery', { hasText: msg(lang, 'messages.delivery.acknowledged') }).waitFor();
      await inspect(m, lang, 'messages-thread-acknowledged');
    }
    assert.equal(await m.evaluate(() => document.documentElement.dir), 'ltr');

    // --- FR-DGPN replies in the thread: only the thread's agencies.
    await switchLang(f, 'fr');
    await got.locator('a[data-action=reply]').click();
    await f.locator('h1', { hasText: msg('fr', 'messages.compose.reply_title') }).waitFor();
    await f.locator('#messages-agency-MA-DGSN').waitFor();
    assert.equal(await f.locator('#messages-agency-MA-DGSN').isChecked(), true, 'the sender is chosen');
    assert.equal(await f.locator('#messages-agencies').count(), 0, 'no other agency can be typed');
    assert.equal(await f.locator('#messages-subject').count(), 0, 'the subject is the thread’s');
    assert.deepEqual(await unlabelled(f), []);
    for (const lang of ['fr', 'ar']) {
      await switchLang(f, lang);
      await inspect(f, lang, 'messages-reply');
    }
    await switchLang(f, 'fr');
    await f.locator('#messages-text').fill('Véhicule TEST-102 localisé au port (réponse de test).');
    await f.locator('#messages-handling-code-H0').check();
    await f.locator('#messages-source-reliability-A').check();
    await f.locator('#messages-information-accuracy-1').check();
    await f.locator('#messages-send').click();
    await f.waitForURL(new RegExp(`/messages/${threadId}\\?sent=1#message-`));
    const replyId = new URL(f.url()).hash.slice('#message-'.length);
    await f.locator(`article[data-message="${replyId}"]`).waitFor();
    assert.equal(await f.locator('ol.messages-thread > li').count(), 2);

    // MA-DGSN receives the reply in the same thread, unread.
    const reply = m.locator(`article[data-message="${replyId}"]`);
    await refreshUntil(m, reply);
    assert.equal(await reply.getAttribute('data-read'), 'false');
    await reply.locator('.message-head [data-agency=FR-DGPN]').waitFor();
    await reply.locator('.handling-notice[data-handling=H0]').waitFor();

    // --- Search at MA-DGSN: accents ignored, the hit leads to the message.
    await switchLang(m, 'en');
    await m.goto('/messages');
    await m.locator('#messages-q').fill('evasion convoyeur');
    await m.locator('#messages-search').click();
    await m.waitForURL(/\/messages\?q=evasion\+convoyeur$/);
    const hit = m.locator(`ol.search-hits li[data-message="${messageId}"]`);
    await hit.waitFor();
    await hit.locator('.handling[data-handling=H2]').waitFor();
    await hit.locator('[data-evaluation=B2]').waitFor();
    assert.match(await hit.locator('.sub', { hasText: msg('en', 'messages.search.attachments') }).textContent(), /rapport-test\.txt/);
    for (const lang of LANGS) {
      await switchLang(m, lang);
      await inspect(m, lang, 'messages-search');
    }
    await hit.locator('a').first().click();
    await m.waitForURL(new RegExp(`/messages/${threadId}#message-${messageId}$`));
    await m.locator(`article[data-message="${messageId}"]`).waitFor();

    // The thread list at MA-DGSN, filtered by code, in every language.
    await m.goto('/messages?handling_code=H2');
    await m.locator(`tr[data-thread="${threadId}"]`).waitFor();
    assert.equal(await m.locator('#messages-handling-code').inputValue(), 'H2');
    for (const lang of LANGS) {
      await switchLang(m, lang);
      await inspect(m, lang, 'messages-list');
    }
    await m.locator('#messages-handling-code').selectOption('H1');
    await m.locator('main p', { hasText: msg('en', 'messages.list.empty') }).waitFor();
    noProblems(m);
    noProblems(f);
  });

  test('H1 content is marked “not for judicial proceedings without the sender’s permission” in ar/fr/en; a supervisor chooses partners from the list', async () => {
    const { ma, fr } = await pairedNodes();
    const token = await apiToken(ma, 'demo.officer');
    const [status, sent] = await apiSend(ma, token, 'POST', '/api/v1/messages', {
      subject: H1_SUBJECT,
      text: 'Un témoin protégé (fictif) confirme le rendez-vous de vendredi (test).',
      handling_code: 'H1',
      source_reliability: 'C',
      information_accuracy: 3,
      recipients: [{ type: 'agency', code: 'FR-DGPN' }],
    });
    assert.equal(status, 201, JSON.stringify(sent));

    const f = await page({ locale: 'ar-MA' }, fr);
    await signIn(f, 'demo.officer', fr.accounts['demo.officer']);
    assert.equal(await f.evaluate(() => document.documentElement.dir), 'rtl');
    await f.goto(`/messages/${sent.thread_id}`);
    const article = f.locator(`article[data-message="${sent.id}"]`);
    await reloadUntil(f, article);
    for (const lang of ['ar', 'fr', 'en']) {
      if (lang !== 'ar') await switchLang(f, lang);
      const banners = article.locator('.h1-banner');
      assert.equal(await banners.count(), 2, 'before and after the content');
      assert.equal((await banners.first().textContent()).replace(/^⚠\s*/, ''), msg(lang, 'messages.h1.banner'));
      assert.equal((await banners.last().textContent()).replace(/^⚠\s*/, ''), msg(lang, 'messages.h1.end'));
      await article.locator('.handling-notice', { hasText: msg(lang, 'messages.handling.H1.explain') }).waitFor();
      await article.locator('[data-field=source_reliability]', { hasText: msg(lang, 'messages.reliability.C') }).waitFor();
      await inspect(f, lang, 'messages-h1');
    }

    // A supervisor, who may read the partner nodes, ticks partners by name.
    const s = await page({ locale: 'ar-MA' }, ma);
    await signIn(s, 'demo.supervisor', ma.accounts['demo.supervisor']);
    await s.goto('/messages/new');
    const partner = s.locator('#messages-agency-FR-DGPN');
    await partner.waitFor();
    await s.locator('label[for=messages-agency-FR-DGPN]', { hasText: 'المديرية العامة للشرطة الوطنية' }).waitFor();
    assert.equal(await s.locator('#messages-agencies').count(), 0);
    for (const lang of ['ar', 'fr', 'en']) {
      if (lang !== 'ar') await switchLang(s, lang);
      await inspect(s, lang, 'messages-compose-supervisor');
    }

    // An administrator sees no messages.
    const a = await page({}, ma);
    await signIn(a, 'admin', ma.accounts.admin);
    assert.equal(await a.locator('nav a', { hasText: msg('en', 'messages.nav') }).count(), 0);
    await a.goto('/messages');
    await a.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
    noProblems(f);
    noProblems(s);
    noProblems(a);
  });
}
