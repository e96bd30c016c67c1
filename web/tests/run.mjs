#!/usr/bin/env node
// Browser tests of the web interface, in Debian's headless Chromium against a
// node started here (see harness.mjs). Run: node tests/run.mjs [--jisr PATH]
// [--web-root DIR] [--artifacts DIR]. Screenshots of every screen in every
// language are written to the artifacts directory.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AGENCIES,
  apiGet,
  apiToken,
  artifact,
  config,
  freePort,
  initNode,
  jisr,
  LANGS,
  launchBrowser,
  lowContrast,
  messages,
  msg,
  openPage,
  pairNodes,
  quickRetries,
  serveNode,
  signIn,
  startNode,
  switchLang,
  untranslated,
  WEB_DIR,
} from './harness.mjs';
import { registerMessageTests } from './messages.mjs';
import { registerCooperationTests } from './cooperation.mjs';
import { registerTrainingTests } from './training.mjs';

let node;
let browser;
const pages = [];
// Nodes started by single tests (the paired MA-DGSN and FR-DGPN), stopped at the end.
const extraNodes = [];
// The account the tests create (synthetic person).
const created = { username: 'test.officer', displayName: 'سمير الاختباري', id: '', password: '' };
// The alert, hit and screening job the alert tests create: a synthetic
// person written in French spelling, screened later in Arabic script.
const flow = { name: 'Mohamed Benfictif', arabic: 'محمد بنفكتيف', alertId: '', hitId: '', jobId: '' };

async function page(options, on = node) {
  const p = await openPage(browser, on.url, options);
  pages.push(p);
  return p;
}

function noProblems(p) {
  assert.deepEqual(p.problems, [], 'console errors, exceptions or 5xx answers');
}

// Untranslated text and contrast of the current screen, then its screenshot.
async function inspect(p, lang, name) {
  await p.waitForFunction((l) => document.documentElement.lang === l, lang);
  assert.deepEqual(await untranslated(p, lang), [], `untranslated text on ${name} in ${lang}`);
  assert.deepEqual(await lowContrast(p), [], `contrast below WCAG AA on ${name} in ${lang}`);
  await p.screenshot({ path: artifact(`${name}-${lang}.png`), fullPage: true });
}

before(async () => {
  node = await startNode();
  browser = await launchBrowser();
});

after(async () => {
  for (const p of pages) await p.context().close().catch(() => {});
  await browser?.close();
  await node?.stop();
  for (const n of extraNodes.reverse()) await n.stop().catch(() => {});
});

test('the node serves the application at every client route, with its security headers', async () => {
  const { routes } = JSON.parse(readFileSync(join(config.webRoot, 'routes.json'), 'utf8'));
  assert.ok(routes.includes('/') && routes.includes('/sign-in') && routes.includes('/audit'));
  const index = readFileSync(join(config.webRoot, 'index.html'), 'utf8');
  for (const route of routes) {
    const r = await fetch(node.url + route.replace('{id}', '0190f1e2-0000-7000-8000-000000000000'));
    assert.equal(r.status, 200, route);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', route);
    assert.match(r.headers.get('content-security-policy'), /script-src 'self'/, route);
    assert.equal(await r.text(), index, route);
  }
  const script = index.match(/src="(\/assets\/[^"]+\.js)"/)[1];
  const js = await fetch(node.url + script);
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const api = await fetch(`${node.url}/api/v1/no-such-thing`);
  assert.equal(api.status, 404);
  assert.equal(api.headers.get('content-type'), 'application/problem+json');
  const traversal = await fetch(`${node.url}/assets/..%2F..%2Findex.html`);
  assert.equal(traversal.status, 404);
});

test('sign-in refuses a wrong password in the browser’s language (French)', async () => {
  const p = await page({ locale: 'fr-FR' });
  await p.goto('/');
  await p.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(await p.locator('label[for=signin-username]').textContent(), msg('fr', 'app.signin.username'));
  assert.equal(await p.locator('label[for=signin-password]').textContent(), msg('fr', 'app.signin.password'));
  await p.locator('#signin-username').fill('admin');
  await p.locator('#signin-password').fill('not-the-password');
  await p.locator('form button[type=submit]').click();
  const alert = p.locator('[role=alert]');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), msg('fr', 'app.signin.refused'));
  await inspect(p, 'fr', 'sign-in-refused');
  noProblems(p);
});

test('keyboard only: skip link, sign in, reach the users screen', async () => {
  const p = await page();
  await p.goto('/');
  await p.locator('#signin-username').waitFor();
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement.className), 'skip-link');
  let id = '';
  for (let i = 0; i < 8 && id !== 'signin-username'; i++) {
    await p.keyboard.press('Tab');
    id = await p.evaluate(() => document.activeElement.id);
  }
  assert.equal(id, 'signin-username', 'Tab reaches the username field');
  await p.keyboard.type('admin');
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement.id), 'signin-password');
  await p.keyboard.type(node.accounts.admin);
  await p.keyboard.press('Enter');
  await p.locator('h1 bdi.name', { hasText: 'Administrator' }).waitFor();
  // Every control is a focusable element with a visible focus style.
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await p.keyboard.press('Tab');
    reached = await p.evaluate(() => document.activeElement.textContent === 'Users');
  }
  assert.ok(reached, 'Tab reaches the Users link');
  const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid', 'the focused link shows a focus ring');
  await p.keyboard.press('Enter');
  await p.locator('h1', { hasText: msg('en', 'users.title') }).waitFor();
  assert.equal(await p.evaluate(() => document.activeElement.tagName), 'H1', 'focus moves to the new heading');
  noProblems(p);
});

test('Arabic turns the page right to left, translated and mirrored, and is remembered', async () => {
  const p = await page();
  await signIn(p, 'admin', node.accounts.admin);
  assert.equal(await p.evaluate(() => document.documentElement.dir), 'ltr');
  await switchLang(p, 'ar');
  assert.equal(await p.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await p.locator('nav a').first().textContent(), msg('ar', 'home.nav'));
  assert.equal(await p.locator('nav a').nth(1).textContent(), msg('ar', 'training.nav'));
  assert.equal(await p.locator('nav a', { hasText: msg('ar', 'users.nav') }).count(), 1);
  assert.equal(await p.locator('.who button').textContent(), msg('ar', 'app.signout'));
  assert.ok((await p.locator('h1').textContent()).startsWith('مرحبًا'));
  // The name stays in its own script, isolated.
  assert.equal(await p.locator('h1 bdi.name').textContent(), 'Administrator');
  // The agency's Arabic name is shown; the country through Intl.
  await p.locator('.brand-agency', { hasText: 'المديرية العامة للأمن الوطني' }).waitFor();
  await p.locator('dd', { hasText: 'المغرب' }).waitFor();
  // Mirrored: the brand sits at the right, the tools at the left.
  const width = await p.evaluate(() => window.innerWidth);
  const brand = await p.locator('.brand').boundingBox();
  const tools = await p.locator('.tools').boundingBox();
  assert.ok(brand.x > width / 2, 'brand on the right in Arabic');
  assert.ok(tools.x < width / 2, 'tools on the left in Arabic');
  await inspect(p, 'ar', 'home');

  await p.reload();
  await p.locator('h1 bdi.name').waitFor();
  assert.equal(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join()), 'ar,rtl');

  await switchLang(p, 'fr');
  assert.equal(await p.evaluate(() => document.documentElement.dir), 'ltr');
  assert.equal(await p.locator('nav a').nth(1).textContent(), msg('fr', 'training.nav'));
  assert.equal(await p.locator('nav a', { hasText: msg('fr', 'users.nav') }).count(), 1);
  await p.locator('.brand-agency', { hasText: 'Direction générale de la Sûreté nationale' }).waitFor();
  const brandFr = await p.locator('.brand').boundingBox();
  assert.ok(brandFr.x < width / 2, 'brand on the left in French');
  await inspect(p, 'fr', 'home');
  await switchLang(p, 'en');
  await inspect(p, 'en', 'home');
  noProblems(p);
});

test('an administrator creates a user: field errors from the node, then a password shown once', async () => {
  const p = await page();
  await signIn(p, 'admin', node.accounts.admin);
  await switchLang(p, 'fr');
  await p.locator('nav a', { hasText: msg('fr', 'users.nav') }).click();
  await p.locator('a.button', { hasText: msg('fr', 'users.new') }).click();
  await p.locator('h1', { hasText: msg('fr', 'users.new.title') }).waitFor();
  for (const id of ['new-user-username', 'new-user-display-name', 'new-user-role', 'new-user-password']) {
    assert.equal(await p.locator(`label[for=${id}]`).count(), 1, `${id} has a label`);
  }
  await inspect(p, 'fr', 'user-new');

  // A bad username: the node names the field, the form says what is wrong.
  await p.locator('#new-user-username').fill('Bad User!');
  await p.locator('#new-user-display-name').fill(created.displayName);
  await p.locator('#new-user-role').selectOption('officer');
  await p.locator('form button[type=submit]').click();
  await p.locator('#new-user-username-error').waitFor();
  assert.equal(await p.locator('#new-user-username-error').textContent(), msg('fr', 'users.error.username'));
  assert.equal(await p.locator('#new-user-username').getAttribute('aria-invalid'), 'true');
  assert.match(await p.locator('#new-user-username').getAttribute('aria-describedby'), /new-user-username-error/);
  await p.waitForFunction(() => document.activeElement.id === 'new-user-username');
  assert.equal(await p.locator('#new-user-display-name').getAttribute('aria-invalid'), null);
  await inspect(p, 'fr', 'user-new-error');

  // A short password is refused on its own field.
  await p.locator('#new-user-username').fill(created.username);
  await p.locator('#new-user-password').fill('short');
  await p.locator('form button[type=submit]').click();
  await p.locator('#new-user-password-error').waitFor();
  assert.equal(await p.locator('#new-user-password-error').textContent(), msg('fr', 'users.error.password'));
  assert.equal(await p.locator('#new-user-username-error').count(), 0);

  // Valid: the node generates the password and it is shown once.
  await p.locator('#new-user-password').fill('');
  await p.locator('form button[type=submit]').click();
  await p.locator('h1', { hasText: msg('fr', 'users.created.title') }).waitFor();
  assert.equal(await p.locator('.notice-ok bdi.name').textContent(), created.displayName);
  created.password = await p.locator('#initial-password').inputValue();
  assert.ok(created.password.length >= 12, 'a generated password');
  await inspect(p, 'fr', 'user-created');

  // The same username again: "already taken" on the username field.
  await p.goto('/users/new');
  await p.locator('#new-user-username').fill(created.username);
  await p.locator('#new-user-display-name').fill('Autre personne');
  await p.locator('#new-user-role').selectOption('analyst');
  await p.locator('form button[type=submit]').click();
  await p.locator('#new-user-username-error').waitFor();
  assert.equal(
    await p.locator('#new-user-username-error').textContent(),
    msg('fr', 'users.error.username.already-exists'),
  );

  // In the list, the Arabic name is isolated in <bdi>; the password is gone.
  await p.locator('nav a', { hasText: msg('fr', 'users.nav') }).click();
  const link = p.locator('table a', { has: p.locator('bdi.name', { hasText: created.displayName }) });
  await link.waitFor();
  created.id = (await link.getAttribute('href')).split('/').pop();
  assert.equal(await p.getByText(created.password).count(), 0);
  await inspect(p, 'fr', 'users');

  // The password really signs in.
  const q = await page();
  await signIn(q, created.username, created.password);
  assert.equal(await q.locator('h1 bdi.name').textContent(), created.displayName);
  noProblems(q);
  noProblems(p);
});

test('an administrator changes the role, resets the password and disables the account', async () => {
  const p = await page();
  await signIn(p, 'admin', node.accounts.admin);
  await p.goto(`/users/${created.id}`);
  await p.locator('h1 bdi.name', { hasText: created.displayName }).waitFor();
  await inspect(p, 'en', 'user');
  await p.locator('#edit-role').selectOption('analyst');
  await p.locator('form button[type=submit]').click();
  await p.locator('[role=status]', { hasText: msg('en', 'users.edit.saved') }).waitFor();
  await p.locator('dd', { hasText: msg('en', 'app.role.analyst') }).waitFor();

  await p.locator('button', { hasText: msg('en', 'users.reset.start') }).click();
  await p.locator('button.danger', { hasText: msg('en', 'users.reset.confirm') }).click();
  await p.locator('#new-password').waitFor();
  const fresh = await p.locator('#new-password').inputValue();
  assert.ok(fresh.length >= 12 && fresh !== created.password);
  const q = await page();
  await q.goto('/');
  await q.locator('#signin-username').fill(created.username);
  await q.locator('#signin-password').fill(created.password);
  await q.locator('form button[type=submit]').click();
  await q.locator('[role=alert]', { hasText: msg('en', 'app.signin.refused') }).waitFor();
  await signIn(q, created.username, fresh);
  created.password = fresh;

  await p.locator('#edit-disabled').check();
  await p.locator('form button[type=submit]').click();
  await p.locator('[role=status]', { hasText: msg('en', 'users.edit.saved') }).waitFor();
  await p.locator('dd .badge', { hasText: msg('en', 'users.status.disabled') }).waitFor();
  // The disabled user's open session has ended: the next request signs them out.
  await q.reload();
  await q.locator('[role=status]', { hasText: msg('en', 'app.signin.ended') }).waitFor();
  noProblems(p);
  noProblems(q);
});

test('an administrator cannot demote or disable themself', async () => {
  const p = await page();
  await signIn(p, 'admin', node.accounts.admin);
  await p.locator('nav a', { hasText: 'Users' }).click();
  await p.locator('table a', { has: p.locator('bdi.name', { hasText: 'Administrator' }) }).click();
  await p.locator('#edit-role').waitFor();
  assert.equal(await p.locator('#edit-role').isDisabled(), true);
  assert.equal(await p.locator('#edit-disabled').isDisabled(), true);
  await p.locator('#edit-role-hint', { hasText: msg('en', 'users.edit.self_hint') }).waitFor();
  noProblems(p);
});

test('a supervisor reads the users but changes nothing, and has no audit log', async () => {
  const p = await page();
  await signIn(p, 'demo.supervisor', node.accounts['demo.supervisor']);
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Alerts', 'Screening', 'Hits', 'Assistance', 'Messages', 'Cooperation', 'Events', 'Training', 'Reports', 'Users', 'Administration']);
  await p.locator('nav a', { hasText: 'Users' }).click();
  await p.locator('table a').first().waitFor();
  assert.equal(await p.locator('a.button', { hasText: msg('en', 'users.new') }).count(), 0);
  await p.locator('table a').first().click();
  await p.locator('dl.facts').waitFor();
  assert.equal(await p.locator('form').count(), 0, 'no edit form');
  await p.goto('/users/new');
  await p.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  await p.goto('/audit');
  await p.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  await p.goto('/no/such/page');
  // The node does not serve unknown addresses as the application.
  assert.equal((await p.evaluate(() => document.contentType)), 'application/problem+json');
  noProblems(p);
});

test('an auditor filters, pages and verifies the audit log', async () => {
  const p = await page();
  await signIn(p, 'demo.auditor', node.accounts['demo.auditor']);
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Training', 'Reports', 'Audit log', 'Administration']);
  await p.locator('nav a', { hasText: 'Audit log' }).click();
  await p.locator('table.audit tbody tr').first().waitFor();
  assert.ok((await p.locator('table.audit tbody tr').count()) > 10);

  // Filter by action: only user.create entries, our user among them.
  await p.locator('#audit-action').fill('user.create');
  await p.locator('form.filters button[type=submit]').click();
  await p.waitForURL(/action=user\.create/);
  await p.locator('table.audit tbody tr').first().waitFor();
  const actions = await p.locator('table.audit tbody tr td:nth-child(4)').allTextContents();
  assert.ok(actions.length >= 5, 'admin, 4 demo accounts and ours');
  assert.ok(actions.every((a) => a === 'user.create'), actions.join());
  const ours = p.locator('table.audit tbody tr', { has: p.locator('details pre', { hasText: created.username }) });
  assert.equal(await ours.filter({ hasText: msg('en', 'audit.outcome.success') }).count(), 1, 'one creation');
  assert.equal(await ours.filter({ hasText: msg('en', 'audit.outcome.failure') }).count(), 2, 'two refusals');

  // An actor's name filters the log to that actor.
  const actor = (await p.locator('table.audit tbody tr td:nth-child(3) a').first().textContent()).trim();
  await p.locator('table.audit tbody tr td:nth-child(3) a').first().click();
  await p.waitForURL(/actor=user/);
  await p.waitForFunction(() => !/action=/.test(location.search) && document.querySelector('#audit-actor')?.value.startsWith('user:'));
  // The old page's rows stay until the filtered page has loaded: wait for it.
  await p.waitForFunction((a) => {
    const shown = [...document.querySelectorAll('table.audit tbody tr td:nth-child(3) a')].map((e) => e.textContent.trim());
    return shown.length > 0 && shown.every((x) => x === a);
  }, actor);
  const actors = await p.locator('table.audit tbody tr td:nth-child(3) a').allTextContents();
  assert.ok(actors.length > 0 && actors.every((a) => a.trim() === actor), actors.join());

  // Ten per page, then the next page holds older entries; Back returns.
  await p.locator('form.filters button.secondary').click();
  await p.waitForURL((u) => !u.search.includes('action='));
  await p.locator('#audit-limit').selectOption('10');
  await p.locator('form.filters button[type=submit]').click();
  await p.waitForURL(/limit=10/);
  await p.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length === 10);
  const seqs = async () => (await p.locator('table.audit tbody tr td:first-child').allTextContents()).map(Number);
  const first = await seqs();
  assert.deepEqual([...first].sort((a, b) => b - a), first, 'newest first');
  await p.locator('button', { hasText: msg('en', 'audit.pager.older') }).click();
  await p.waitForURL(/before_seq=/);
  await p.waitForFunction((top) => Number(document.querySelector('table.audit tbody td')?.textContent) < top, first[9] + 1);
  const second = await seqs();
  assert.ok(second[0] < first[first.length - 1], `${second[0]} < ${first[first.length - 1]}`);
  // Back returns to the newest page (reading the log adds entries to it).
  await p.goBack();
  await p.waitForURL((u) => !u.search.includes('before_seq'));
  await p.waitForFunction((top) => Number(document.querySelector('table.audit tbody td')?.textContent) >= top, first[0]);

  // Verify the chain.
  await p.locator('button', { hasText: msg('en', 'audit.verify.button') }).click();
  const result = p.locator('.verify-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true');
  assert.match(await result.textContent(), /The chain is intact: \d+ entries checked\./);
  for (const lang of LANGS) {
    await switchLang(p, lang);
    await inspect(p, lang, 'audit');
  }
  noProblems(p);
});

test('every screen in every language: translated, AA contrast, screenshot', async () => {
  const p = await page();
  await p.goto('/');
  for (const lang of LANGS) {
    await switchLang(p, lang);
    await inspect(p, lang, 'sign-in');
  }
  await signIn(p, 'admin', node.accounts.admin);
  const screens = [
    ['/users', 'users'],
    ['/users/new', 'user-new'],
    [`/users/${created.id}`, 'user'],
    ['/admin', 'admin'],
    ['/admin/partners', 'partners-unpaired'],
  ];
  for (const lang of LANGS) {
    await switchLang(p, lang);
    for (const [path, name] of screens) {
      await p.goto(path);
      await p.locator('main h1').waitFor();
      await p.waitForFunction(() => !document.querySelector('main [role=status]')?.textContent.includes('…'));
      await inspect(p, lang, name);
    }
    // Dates and numbers follow the locale.
    await p.goto('/users');
    await p.locator('table time').first().waitFor();
    const when = await p.locator('table time').first().getAttribute('datetime');
    const expected = await p.evaluate(
      ({ iso, loc }) => new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      { iso: when, loc: { ar: 'ar-MA', fr: 'fr-FR', en: 'en-GB' }[lang] },
    );
    assert.equal(await p.locator('table time').first().textContent(), expected);
  }
  noProblems(p);
});

test('signing out ends the session on the node', async () => {
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Alerts', 'Screening', 'Hits', 'Assistance', 'Messages', 'Cooperation', 'Events', 'Training']);
  const token = await p.evaluate(() => JSON.parse(sessionStorage.getItem('jisr.session')).token);
  await p.locator('.who button').click();
  await p.locator('[role=status]', { hasText: msg('en', 'app.signin.signed_out') }).waitFor();
  assert.equal(await p.evaluate(() => sessionStorage.getItem('jisr.session')), null);
  const r = await fetch(`${node.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 401);
  assert.ok(Object.keys(messages.ar).length === Object.keys(messages.en).length);
  noProblems(p);
});

test('a module loads on first use: only the shell at sign-in, a translated error and retry when its chunk fails', async () => {
  const p = await page();
  // The first screen loads the entry chunk alone: no module's screens.
  const scripts = [];
  p.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await p.goto('/');
  await p.locator('#signin-username').waitFor();
  const index = readFileSync(join(config.webRoot, 'index.html'), 'utf8');
  const entry = index.match(/src="(\/assets\/[^"]+\.js)"/)[1];
  assert.deepEqual(scripts.filter((s) => !/\/assets\/i18n-(ar|fr|en)-/.test(s)), [entry], 'only the entry chunk (and messages)');

  // The users screens' chunk cannot be fetched (e.g. gone after a redeploy).
  const chunk = /\/assets\/users-[\w-]+\.js$/;
  let refused = 0;
  await p.route(chunk, (route) => {
    refused += 1;
    return route.abort('failed');
  });
  await p.locator('#signin-username').fill('admin');
  await p.locator('#signin-password').fill(node.accounts.admin);
  await p.locator('form button[type=submit]').click();
  await p.locator('nav a[aria-current=page]').waitFor();
  await p.locator('nav a', { hasText: msg('en', 'users.nav') }).click();
  const failure = p.locator('main [role=alert]', { hasText: msg('en', 'app.chunk.failed') });
  await failure.waitFor();
  assert.ok(refused >= 1, 'the users chunk was asked for');
  assert.equal(await p.locator('main h1').textContent(), msg('en', 'users.title'));
  assert.equal(await p.locator('main button', { hasText: msg('en', 'app.chunk.retry') }).count(), 1);
  assert.equal(await p.locator('main button', { hasText: msg('en', 'app.chunk.reload') }).count(), 1);
  await inspect(p, 'en', 'chunk-failed');
  // Translated in every language (the switch waits for the language's messages).
  for (const lang of ['ar', 'fr']) {
    await switchLang(p, lang);
    await p.locator('main [role=alert]', { hasText: msg(lang, 'app.chunk.failed') }).waitFor();
    await p.locator('main button', { hasText: msg(lang, 'app.chunk.retry') }).waitFor();
    await inspect(p, lang, 'chunk-failed');
  }
  await switchLang(p, 'en');

  // The network is back: "Try again" loads the screens.
  await p.unroute(chunk);
  await p.locator('main button', { hasText: msg('en', 'app.chunk.retry') }).click();
  await p.locator('main table').first().waitFor();
  assert.equal(await p.locator('main h1').textContent(), msg('en', 'users.title'));
  assert.equal(await p.locator('main [role=alert]').count(), 0);
  // Aborted requests are logged by Chromium; nothing else may be.
  assert.deepEqual(p.problems.filter((m) => !/net::ERR_FAILED/.test(m)), [], 'console errors or exceptions');
});

// ---- alerts, screening, hits ------------------------------------------------

// Waits until the screen has loaded (no "Loading…" left in the main region).
async function loaded(p) {
  await p.locator('main h1').waitFor();
  await p.waitForFunction(() => ![...document.querySelectorAll('main [role=status]')].some((e) => e.textContent.includes('…')));
}

// Ids of the form controls in main that have no <label>.
async function unlabelled(p) {
  return p.evaluate(() =>
    [...document.querySelectorAll('main input, main select, main textarea')]
      .filter((el) => !el.labels || el.labels.length === 0)
      .map((el) => el.id || el.name || el.type),
  );
}

test('an officer drafts an alert: the node’s field errors show on their fields, then the draft is saved', async () => {
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  await p.locator('nav a', { hasText: msg('en', 'alerts.nav') }).click();
  await p.locator('table.alerts tbody tr').first().waitFor();
  await p.locator('a.button', { hasText: msg('en', 'alerts.new') }).click();
  await p.locator('h1', { hasText: msg('en', 'alerts.new.title') }).waitFor();
  assert.deepEqual(await unlabelled(p), [], 'every control has a label');

  // No category: the node names it, the form says so next to it and focuses it.
  await p.locator('form.alert-form button[type=submit]').click();
  await p.locator('#alert-category-error').waitFor();
  assert.equal(await p.locator('#alert-category-error').textContent(), msg('en', 'alerts.error.category'));
  assert.equal(await p.locator('#alert-category').getAttribute('aria-invalid'), 'true');
  await p.waitForFunction(() => document.activeElement.id === 'alert-category');
  await p.locator('[role=alert]', { hasText: msg('en', 'alerts.form.fix') }).waitFor();

  // A second name without a letter: names[1].full, on that name's field.
  await p.locator('#alert-category').selectOption('locate');
  await p.locator('#alert-names-0-full').fill(flow.name);
  await p.locator('#alert-names-0-given').fill('Mohamed');
  await p.locator('#alert-names-0-family').fill('Benfictif');
  await p.locator('button', { hasText: msg('en', 'alerts.form.add_name') }).click();
  await p.locator('#alert-names-1-full').fill('1234');
  await p.locator('#alert-action').fill('Locate the person and inform the desk at once (synthetic test data).');
  await p.locator('form.alert-form button[type=submit]').click();
  await p.locator('#alert-names-1-full-error').waitFor();
  assert.equal(await p.locator('#alert-names-1-full-error').textContent(), msg('en', 'alerts.error.names.full'));
  assert.match(await p.locator('#alert-names-1-full').getAttribute('aria-describedby'), /alert-names-1-full-error/);
  await p.waitForFunction(() => document.activeElement.id === 'alert-names-1-full');
  assert.equal(await p.locator('#alert-category-error').count(), 0);
  assert.equal(await p.locator('#alert-names-0-full').getAttribute('aria-invalid'), null);
  await inspect(p, 'en', 'alert-new-error');

  // An unknown issuing country: documents[0].country.
  await p.locator('button', { hasText: msg('en', 'alerts.form.remove_name', { n: 2 }) }).click();
  await p.locator('button', { hasText: msg('en', 'alerts.form.add_document') }).click();
  await p.locator('#alert-documents-0-number').fill('TEST0042');
  await p.locator('#alert-documents-0-country').fill('ZZ');
  await p.locator('form.alert-form button[type=submit]').click();
  await p.locator('#alert-documents-0-country-error').waitFor();
  assert.equal(await p.locator('#alert-documents-0-country-error').textContent(), msg('en', 'alerts.error.documents.country'));

  // Valid: a draft, with its warning shown first and no button to activate it.
  await p.locator('#alert-documents-0-country').fill('MA');
  await p.locator('#alert-birth-date').fill('1990-05-04');
  await p.locator('#alert-nationalities').fill('ma');
  await p.locator('#alert-gender').selectOption('male');
  await p.locator('#alert-warning-armed').check();
  await p.locator('form.alert-form button[type=submit]').click();
  await p.waitForURL(/\/alerts\/[0-9a-f-]{36}\?saved=created$/);
  flow.alertId = new URL(p.url()).pathname.split('/').pop();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.created') }).waitFor();
  assert.equal(await p.locator('h1 bdi.name').textContent(), flow.name);
  assert.equal(await p.locator('.alert-status .badge').getAttribute('data-status'), 'draft');
  assert.deepEqual(await p.locator('.warning-banner .warning-flag').allTextContents(), [`⚠ ${msg('en', 'alerts.warning.armed')}`]);
  assert.equal(await p.locator('[data-transition]').count(), 0, 'an officer cannot activate');
  assert.equal(await p.locator('.history tbody tr').count(), 1);
  assert.equal(await p.locator('.history tbody tr').first().getAttribute('data-change'), 'create');
  noProblems(p);
});

test('a supervisor finds the draft and activates it; a stale edit is refused (409) and reloaded', async () => {
  assert.ok(flow.alertId, 'the draft of the previous test');
  const officer = await page();
  await signIn(officer, 'demo.officer', node.accounts['demo.officer']);
  await officer.goto(`/alerts/${flow.alertId}/edit`);
  await officer.locator('#alert-birth-place').waitFor();

  const p = await page();
  await signIn(p, 'demo.supervisor', node.accounts['demo.supervisor']);
  await p.locator('nav a', { hasText: msg('en', 'alerts.nav') }).click();
  // Search ignores case; filter by status.
  await p.locator('#alerts-q').fill('benfictif');
  await p.locator('#alerts-status').selectOption('draft');
  await p.locator('form.filters button[type=submit]').click();
  await p.waitForURL(/q=benfictif/);
  await p.waitForFunction(() => document.querySelectorAll('table.alerts tbody tr').length === 1);
  assert.deepEqual(await p.locator('table.alerts tbody bdi.name').allTextContents(), [flow.name]);
  await p.locator('table.alerts a', { hasText: flow.name }).click();
  await p.locator('[data-transition=activate]').waitFor();
  assert.deepEqual(
    await p.locator('[data-transition]').evaluateAll((els) => els.map((e) => e.dataset.transition)),
    ['activate', 'withdraw'],
  );
  await p.locator('[data-transition=activate]').click();
  await p.locator('#lifecycle-confirm').click();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.activate') }).waitFor();
  assert.equal(await p.locator('.alert-status .badge').getAttribute('data-status'), 'active');
  await p.locator('.history tbody tr[data-change=activate]').waitFor();
  assert.equal((await p.locator('.history tbody tr[data-change=activate] td:nth-child(3)').textContent()).trim(), 'demo.supervisor');

  // The officer's form was opened on version 1: the node refuses, the form says why and reloads.
  await officer.locator('#alert-birth-place').fill('Fictionville');
  await officer.locator('form.alert-form button[type=submit]').click();
  await officer.locator('[data-conflict]', { hasText: msg('en', 'alerts.conflict.text') }).waitFor();
  await inspect(officer, 'en', 'alert-edit-conflict');
  await officer.locator('[data-conflict] button', { hasText: msg('en', 'alerts.conflict.reload') }).click();
  await officer.locator('.hint', { hasText: msg('en', 'alerts.edit.version', { version: 2 }) }).waitFor();
  assert.equal(await officer.locator('#alert-birth-place').inputValue(), '');
  await officer.locator('#alert-birth-place').fill('Fictionville');
  await officer.locator('form.alert-form button[type=submit]').click();
  await officer.locator('[role=status]', { hasText: msg('en', 'alerts.done.updated') }).waitFor();
  await officer.locator('.history tbody tr[data-change=update]', { hasText: msg('en', 'alerts.field.birth_place') }).waitFor();

  // Suspending needs a reason; resuming is an activation by the supervisor.
  await p.reload();
  await p.locator('[data-transition=suspend]').click();
  await p.locator('#lifecycle-confirm').click();
  await p.locator('#lifecycle-reason-error').waitFor();
  assert.equal(await p.locator('#lifecycle-reason-error').textContent(), msg('en', 'alerts.error.reason'));
  await p.waitForFunction(() => document.activeElement.id === 'lifecycle-reason');
  await p.locator('#lifecycle-reason').fill('Checking the identity with the partner (test).');
  await p.locator('#lifecycle-confirm').click();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.suspend') }).waitFor();
  assert.equal(await p.locator('.alert-status .badge').getAttribute('data-status'), 'suspended');
  await p.locator('.history tbody tr[data-change=suspend]', { hasText: 'Checking the identity' }).waitFor();
  await p.locator('[data-transition=activate]').click();
  await p.locator('#lifecycle-confirm').click();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.activate') }).waitFor();
  assert.equal(await p.locator('.alert-status .badge').getAttribute('data-status'), 'active');
  await p.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 5);
  assert.deepEqual(
    await p.locator('.history tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.change)),
    ['activate', 'suspend', 'update', 'activate', 'create'],
  );
  for (const lang of LANGS) {
    await switchLang(p, lang);
    assert.equal(await p.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
    await inspect(p, lang, 'alert-supervisor');
  }

  // Extending to a date ten days away makes the alert due for review: the
  // home page lists it.
  const soon = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await p.locator('[data-transition=extend]').click();
  await p.locator('#lifecycle-review-at').fill(soon);
  await p.locator('#lifecycle-confirm').click();
  await p.locator('#lifecycle-justification-error').waitFor();
  assert.equal(await p.locator('#lifecycle-justification-error').textContent(), msg('en', 'alerts.error.justification'));
  await p.locator('#lifecycle-justification').fill('The partner confirmed the person may travel soon (test).');
  await p.locator('#lifecycle-confirm').click();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.extend') }).waitFor();
  await p.locator('.history tbody tr[data-change=extend]').waitFor();
  await p.locator('nav a', { hasText: msg('en', 'home.nav') }).click();
  const due = p.locator('[aria-labelledby=home-due]');
  await due.locator('a', { has: p.locator('bdi.name', { hasText: flow.name }) }).waitFor();
  assert.ok(Number(await due.getAttribute('data-count')) >= 1);
  await inspect(p, 'en', 'home-supervisor');
  noProblems(officer);
  noProblems(p);
});

test('screening a name written in Arabic finds the alert written in French spelling, and shows why', async () => {
  assert.ok(flow.alertId, 'the alert of the previous tests');
  const p = await page({ locale: 'ar-MA' });
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  assert.equal(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join()), 'ar,rtl');
  await p.locator('nav a', { hasText: msg('ar', 'screening.nav') }).click();
  await p.locator('h1', { hasText: msg('ar', 'screening.title') }).waitFor();
  assert.deepEqual(await unlabelled(p), []);

  // The purpose is required.
  await p.locator('#screen-name').fill(flow.arabic);
  await p.locator('form button[type=submit]').click();
  await p.locator('#screen-purpose-error').waitFor();
  assert.equal(await p.locator('#screen-purpose-error').textContent(), msg('ar', 'screening.error.purpose'));
  await p.waitForFunction(() => document.activeElement.id === 'screen-purpose');

  await p.locator('#screen-birth-date').fill('1990');
  await p.locator('#screen-nationality').fill('MA');
  await p.locator('#screen-gender').selectOption('male');
  await p.locator('#screen-purpose').fill('تحقق من الهوية عند المعبر الحدودي (اختبار)');
  await p.locator('form button[type=submit]').click();
  const match = p.locator(`.match[data-alert="${flow.alertId}"]`);
  await match.waitFor();
  assert.equal(await p.locator('.match').first().getAttribute('data-alert'), flow.alertId, 'the best match');
  assert.equal(await match.locator('h3 bdi.name').textContent(), flow.name);
  assert.deepEqual(await match.locator('.warning-flag').allTextContents(), [`⚠ ${msg('ar', 'alerts.warning.armed')}`]);
  // The explanation: each Arabic word aligned with the French spelling's word.
  const pairs = await match.locator('tr.token-pair').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('bdi.token')].map((b) => b.textContent)),
  );
  assert.deepEqual(pairs, [
    ['محمد', 'mohamed'],
    ['بنفكتيف', 'benfictif'],
  ]);
  for (const sim of await match.locator('tr.token-pair .similarity .num').allTextContents()) {
    assert.match(sim.replace(/[\u200e\u200f\u061c]/g, ''), /^\d+\s?[%٪]$/, sim);
  }
  // The features, each with its outcome and a bar.
  const features = await match.locator('li.feature').evaluateAll((els) => els.map((e) => `${e.dataset.feature}:${e.dataset.outcome}`));
  assert.deepEqual(features, ['name:similarity', 'birth_date:same_year', 'nationality:match', 'gender:match', 'document:missing']);
  assert.equal(await match.locator('li.feature .bar').count(), 5);
  assert.equal(
    await match.locator('li.feature[data-feature=birth_date] .feature-outcome').textContent(),
    msg('ar', 'screening.outcome.birth_date.same_year'),
  );
  await inspect(p, 'ar', 'screening-person');
  // The bars grow from the line's start: the right in Arabic.
  const fill = await match.locator('.score .bar-fill').boundingBox();
  const bar = await match.locator('.score .bar').boundingBox();
  assert.ok(Math.abs(fill.x + fill.width - (bar.x + bar.width)) <= 2, 'filled from the right in Arabic');
  for (const lang of ['fr', 'en']) {
    await switchLang(p, lang);
    await inspect(p, lang, 'screening-person');
  }
  const fillEn = await match.locator('.score .bar-fill').boundingBox();
  const barEn = await match.locator('.score .bar').boundingBox();
  assert.ok(Math.abs(fillEn.x - barEn.x) <= 2, 'filled from the left in English');
  noProblems(p);
});

test('a hit is filed from a screening match and appears in the inbox; the owner follows it up', async () => {
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  await p.goto('/screening');
  await p.locator('#screen-name').fill(flow.arabic);
  await p.locator('#screen-purpose').fill('Border check (test)');
  await p.locator('form button[type=submit]').click();
  const match = p.locator(`.match[data-alert="${flow.alertId}"]`);
  await match.locator('a.button', { hasText: msg('en', 'screening.match.report_hit') }).click();
  await p.waitForURL(new RegExp(`/hits/new\\?alert=${flow.alertId}$`));
  await p.locator('h1 bdi.name', { hasText: flow.name }).waitFor();
  assert.deepEqual(await unlabelled(p), []);
  await inspect(p, 'en', 'hit-new');

  // No place: the node names the field.
  await p.locator('#hit-circumstances').fill('Passport check at the ferry terminal; identity confirmed (test).');
  await p.locator('form button[type=submit]').click();
  await p.locator('#hit-place-error').waitFor();
  assert.equal(await p.locator('#hit-place-error').textContent(), msg('en', 'hits.error.place'));
  await p.waitForFunction(() => document.activeElement.id === 'hit-place');
  await p.locator('#hit-place').fill('Tanger Med ferry terminal (test)');
  await p.locator('#hit-action-taken').fill('Person held; the desk was called (test).');
  await p.locator('#hit-contact').fill('Border desk 12 (test)');
  await p.locator('form button[type=submit]').click();
  await p.waitForURL(/\/hits\/[0-9a-f-]{36}\?saved=reported$/);
  flow.hitId = new URL(p.url()).pathname.split('/').pop();
  await p.locator('[role=status]', { hasText: msg('en', 'hits.done.reported') }).waitFor();
  await p.locator('h1 bdi.name', { hasText: flow.name }).waitFor();
  assert.equal(await p.locator('main > p .badge').first().getAttribute('data-state'), 'reported');

  // In the inbox, filtered by state.
  await p.locator('nav a', { hasText: msg('en', 'hits.nav') }).click();
  await p.locator(`tr[data-hit="${flow.hitId}"]`).waitFor();
  await p.locator('#hits-state').selectOption('closed');
  await p.waitForURL(/state=closed/);
  await p.locator('main p', { hasText: msg('en', 'hits.inbox.empty') }).waitFor();
  assert.equal(await p.locator(`tr[data-hit="${flow.hitId}"]`).count(), 0);
  await p.locator('#hits-state').selectOption('reported');
  await p.waitForURL(/state=reported/);
  await p.locator(`tr[data-hit="${flow.hitId}"]`).waitFor();
  await inspect(p, 'en', 'hits');
  // The home page counts it among the new hits.
  await p.locator('nav a', { hasText: msg('en', 'home.nav') }).click();
  await p.locator('#home-new-hits').waitFor();
  await p.waitForFunction(() => Number(document.querySelector('[aria-labelledby=home-new-hits]')?.dataset.count) >= 1);
  await inspect(p, 'en', 'home-officer');

  // The owning agency's supervisor acknowledges it, then closes it.
  const s = await page();
  await signIn(s, 'demo.supervisor', node.accounts['demo.supervisor']);
  await s.goto(`/hits/${flow.hitId}`);
  await s.locator('[data-step=acknowledge]').click();
  await s.locator('#hit-reply').fill('Received; a team is on its way (test).');
  await s.locator('form button[type=submit]').click();
  await s.locator('[role=status]', { hasText: msg('en', 'hits.done.acknowledge') }).waitFor();
  assert.equal(await s.locator('main > p .badge').first().getAttribute('data-state'), 'acknowledged');
  await s.locator('dd', { hasText: 'a team is on its way' }).waitFor();
  await s.locator('[data-step=close]').click();
  await s.locator('form button[type=submit]').click();
  await s.locator('[role=status]', { hasText: msg('en', 'hits.done.close') }).waitFor();
  assert.equal(await s.locator('main > p .badge').first().getAttribute('data-state'), 'closed');
  assert.equal(await s.locator('[data-step]').count(), 0);
  // The alert's page lists the hit.
  await s.goto(`/alerts/${flow.alertId}`);
  await s.locator(`.alert-hits a[href="/hits/${flow.hitId}"]`).waitFor();
  noProblems(p);
  noProblems(s);
});

test('a list (CSV) and a flight (PAXLST) are screened in the background, with progress and a review queue', async () => {
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  await p.goto('/screening');
  await p.locator('a.button', { hasText: msg('en', 'screening.lists.nav') }).click();
  await p.locator('h1', { hasText: msg('en', 'screening.lists.title') }).waitFor();
  assert.deepEqual(await unlabelled(p), []);

  // No file chosen; then a file the node refuses, naming the line.
  await p.locator('#list-purpose').fill('Accreditation of the test event (synthetic list)');
  await p.locator('form button[type=submit]').click();
  await p.locator('#list-file-error', { hasText: msg('en', 'screening.error.file_missing') }).waitFor();
  const csv = (text) => ({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await p.locator('#list-file').setInputFiles(csv('id,name\nA1,Someone Test\n'));
  await p.locator('form button[type=submit]').click();
  await p.locator('#list-file-error', { hasText: msg('en', 'screening.error.input') }).waitFor();
  assert.match(await p.locator('.field-detail').textContent(), /line 1/);
  await inspect(p, 'en', 'screening-lists-error');

  await p.locator('#list-file').setInputFiles(
    csv(
      'id,name,aliases,birth_date,nationality,gender,document\n' +
        `T1,${flow.arabic},,1990,MA,male,\n` +
        'T2,Jean Nobodytest,,1970,FR,male,\n' +
        'T3,Lucie Placeholder,,1991-11-02,FR,female,\n',
    ),
  );
  await p.locator('form button[type=submit]').click();
  await p.waitForURL(/\/screening\/jobs\/[0-9a-f-]{36}$/);
  flow.jobId = new URL(p.url()).pathname.split('/').pop();
  await p.locator('.job[data-state=done]').waitFor();
  assert.equal(await p.locator('#job-progress').getAttribute('value'), '3');
  assert.equal(await p.locator('#job-progress').getAttribute('max'), '3');
  await p.locator('.queue').waitFor();
  const persons = await p.locator('.queue-person h3 > bdi.name').allTextContents();
  assert.deepEqual(persons, [flow.arabic, 'Lucie Placeholder']);
  const first = p.locator('.queue-person').first();
  assert.equal(await first.locator('.match').first().getAttribute('data-alert'), flow.alertId);
  await first.locator('.match summary').first().click();
  await first.locator('tr.token-pair').first().waitFor();
  await inspect(p, 'en', 'screening-job');

  // A flight's passenger list.
  await p.locator('a', { hasText: msg('en', 'screening.job.back') }).click();
  await p.locator('#list-format-paxlst').check();
  await p.locator('#list-file').setInputFiles({
    name: 'flight.edi',
    mimeType: 'application/edifact',
    buffer: readFileSync(join(WEB_DIR, 'tests', 'fixtures', 'flight-paxlst.edi')),
  });
  await p.locator('#list-purpose').fill('Flight DA1234 CDG-RAK passenger check (test)');
  await p.locator('form button[type=submit]').click();
  await p.waitForURL((u) => /\/screening\/jobs\//.test(u.pathname) && !u.pathname.endsWith(flow.jobId));
  await p.locator('.job[data-state=done]').waitFor();
  await p.locator('.queue').waitFor();
  assert.match(await p.locator('.job dd bdi[lang=en]').textContent(), /DA1234/);
  const matched = await p.locator('.queue .match h3 bdi.name').allTextContents();
  assert.ok(matched.includes('Karim Testaoui') && matched.includes('Nadia Exemplia'), matched.join());
  await p.locator('.queue .match', { hasText: 'Karim Testaoui' }).locator('.warning-flag', { hasText: msg('en', 'alerts.warning.violent') }).waitFor();

  // This tab remembers both jobs (the screen draws once the session is restored).
  await p.goto('/screening/lists');
  await p.locator('#recent-jobs-title').waitFor();
  assert.equal(await p.locator('#recent-jobs-title + ul li').count(), 2);
  noProblems(p);
});

test('every new screen in every language: right to left in Arabic, translated, AA contrast, screenshot', async () => {
  assert.ok(flow.alertId && flow.hitId && flow.jobId, 'the records of the previous tests');
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  const screens = [
    ['/', 'home-officer', '#home-due'],
    ['/alerts', 'alerts', 'table.alerts'],
    [`/alerts/${flow.alertId}`, 'alert', '.history'],
    ['/alerts/new', 'alert-new', 'form.alert-form'],
    [`/alerts/${flow.alertId}/edit`, 'alert-edit', 'form.alert-form'],
    ['/screening', 'screening', '#screen-name'],
    ['/screening/lists', 'screening-lists', '#list-file'],
    [`/screening/jobs/${flow.jobId}`, 'screening-job', '.queue'],
    ['/hits', 'hits', 'table.hits'],
    [`/hits/new?alert=${flow.alertId}`, 'hit-new', '#hit-place'],
    [`/hits/${flow.hitId}`, 'hit', 'h1 bdi.name'],
  ];
  for (const lang of LANGS) {
    await switchLang(p, lang);
    for (const [path, name, ready] of screens) {
      await p.goto(path);
      await p.locator(ready).first().waitFor();
      await loaded(p);
      assert.equal(await p.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr', `${name} in ${lang}`);
      await inspect(p, lang, name);
    }
    // Birth dates and times follow the locale.
    await p.goto(`/alerts/${flow.alertId}`);
    await p.locator('.history time').first().waitFor();
    const birth = await p.locator('.card time[datetime="1990-05-04"]').textContent();
    const expected = await p.evaluate(
      (loc) => new Intl.DateTimeFormat(loc, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(Date.UTC(1990, 4, 4))),
      { ar: 'ar-MA', fr: 'fr-FR', en: 'en-GB' }[lang],
    );
    assert.equal(birth, expected);
  }
  noProblems(p);
});

test('roles: an analyst screens and reads but drafts nothing; an administrator sees no alerts', async () => {
  const p = await page();
  await signIn(p, 'demo.analyst', node.accounts['demo.analyst']);
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Alerts', 'Screening', 'Hits', 'Assistance', 'Messages', 'Cooperation', 'Events', 'Training']);
  await p.goto(`/alerts/${flow.alertId}`);
  await p.locator('.history').waitFor();
  assert.equal(await p.locator('a.button', { hasText: msg('en', 'alerts.edit') }).count(), 0);
  assert.equal(await p.locator('[data-transition]').count(), 0);
  assert.equal(await p.locator('a.button', { hasText: msg('en', 'alerts.hits.report') }).count(), 0);
  await p.goto('/alerts/new');
  await p.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  await p.goto('/hits/new');
  await p.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  const a = await page();
  await signIn(a, 'admin', node.accounts.admin);
  await a.goto('/alerts');
  await a.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  await a.goto('/');
  await a.locator('h1 bdi.name').waitFor();
  assert.equal(await a.locator('#home-attention').count(), 0, 'no attention section without alert or hit rights');
  noProblems(p);
  noProblems(a);
});

test('an officer records an execution; a supervisor withdraws a draft, giving a reason', async () => {
  const p = await page();
  await signIn(p, 'demo.officer', node.accounts['demo.officer']);
  await p.goto('/alerts?q=placeholder');
  await p.locator('table.alerts a', { hasText: 'Lucie Placeholder' }).click();
  await p.locator('[data-transition=execute]').click();
  assert.match(await p.locator('#lifecycle-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'today by default');
  // The node compares days in UTC.
  await p.locator('#lifecycle-date').fill(new Date().toISOString().slice(0, 10));
  await p.locator('#lifecycle-confirm').click();
  await p.locator('#lifecycle-place-error').waitFor();
  assert.equal(await p.locator('#lifecycle-place-error').textContent(), msg('en', 'alerts.error.place'));
  await p.locator('#lifecycle-place').fill('Rabat, central station (test)');
  await p.locator('#lifecycle-confirm').click();
  await p.locator('[role=status]', { hasText: msg('en', 'alerts.done.execute') }).waitFor();
  assert.equal(await p.locator('.alert-status .badge').getAttribute('data-status'), 'executed');
  await p.locator('.notice', { hasText: 'Rabat, central station (test)' }).waitFor();
  assert.equal(await p.locator('[data-transition]').count(), 0, 'a closed alert cannot change');
  assert.equal(await p.locator('a.button', { hasText: msg('en', 'alerts.edit') }).count(), 0);

  const s = await page();
  await signIn(s, 'demo.supervisor', node.accounts['demo.supervisor']);
  await s.goto('/alerts?status=draft&q=fictif');
  await s.locator('table.alerts a', { hasText: 'Youssef Fictif' }).click();
  await s.locator('[data-transition=withdraw]').click();
  await s.locator('#lifecycle-confirm').click();
  await s.locator('#lifecycle-reason-error').waitFor();
  await s.locator('#lifecycle-reason').fill('Duplicate of another request (test).');
  await s.locator('#lifecycle-confirm').click();
  await s.locator('[role=status]', { hasText: msg('en', 'alerts.done.withdraw') }).waitFor();
  assert.equal(await s.locator('.alert-status .badge').getAttribute('data-status'), 'withdrawn');
  await s.locator('.notice', { hasText: 'Duplicate of another request (test).' }).waitFor();
  assert.equal(await s.locator('[data-transition]').count(), 0);
  noProblems(p);
  noProblems(s);
});

// ---- administration: partner nodes ------------------------------------------

// The partner card of `agency` on the partners screen.
function partnerCard(p, agency) {
  return p.locator(`section.peer[data-peer="${agency}"]`);
}

test('the demo alerts shared with an agency that is not paired wait for it: listed as not registered, with a backlog', async () => {
  const p = await page();
  await signIn(p, 'admin', node.accounts.admin);
  await p.locator('nav a', { hasText: msg('en', 'admin.nav') }).click();
  await p.locator('h1', { hasText: msg('en', 'admin.title') }).waitFor();
  // An administrator's sections: partner nodes, users, audit log (verify).
  assert.deepEqual(await p.locator('ul.sections a').allTextContents(), [
    msg('en', 'admin.partners.title'),
    msg('en', 'admin.users.title'),
    msg('en', 'admin.audit.title'),
  ]);
  await p.locator('ul.sections a', { hasText: msg('en', 'admin.partners.title') }).click();
  await p.waitForURL(/\/admin\/partners$/);
  const fr = partnerCard(p, 'FR-DGPN');
  await fr.waitFor();
  assert.equal(await fr.getAttribute('data-registered'), 'false');
  assert.equal(await fr.getAttribute('data-health'), 'backlog');
  assert.equal(await fr.locator('h2').textContent(), 'FR-DGPN');
  assert.equal((await fr.locator('.badge.health').textContent()).trim(), `⚠ ${msg('en', 'admin.health.backlog')}`);
  assert.equal(await fr.locator('.badge[data-registered=false]').textContent(), msg('en', 'admin.partners.not_registered'));
  // The demo data shares two active alerts with FR-DGPN; nothing was delivered.
  const pending = Number(await fr.locator('[data-field=pending]').getAttribute('data-value'));
  assert.ok(pending >= 2, `pending ${pending}`);
  assert.match(await fr.locator('.peer-status-text').textContent(), new RegExp(`wait until it is\\.$`));
  assert.equal(await fr.locator('[data-field=delivered]').getAttribute('data-value'), '0');
  assert.equal(await fr.locator('[data-field=attempts]').getAttribute('data-value'), '0');
  assert.match(await fr.locator('[data-field=oldest-pending]').textContent(), /^\d+ (second|minute|hour|day)s?/);
  assert.equal(await fr.locator('[data-field=last-delivered]').textContent(), msg('en', 'admin.partners.never'));
  assert.equal(await fr.locator('button', { hasText: msg('en', 'app.copy') }).count(), 0, 'no certificate to copy');
  // How to pair is explained, with the commands.
  const commands = await p.locator('.pairing pre code').allTextContents();
  assert.ok(commands.some((c) => c.startsWith('jisr peer card ')) && commands.some((c) => c.startsWith('jisr peer add ')), commands.join());
  for (const lang of LANGS) {
    await switchLang(p, lang);
    assert.equal(await p.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
    await inspect(p, lang, 'partners-unregistered');
  }
  noProblems(p);
});

test('two paired nodes: the administrator sees the partner fail while it is down, then every shared demo alert delivered, in ar/fr/en; an officer sees no administration', async () => {
  // Both federation ports are fixed at init: each card carries its node's.
  const ports = [await freePort(), await freePort()];
  while (ports[1] === ports[0]) ports[1] = await freePort();
  const maInit = initNode({ agency: 'MA-DGSN', federationPort: ports[0] });
  const frInit = initNode({ agency: 'FR-DGPN', demo: false, federationPort: ports[1] });
  // Stopped (and removed) at the end even when this test fails half-way.
  const cleanup = { stop: async () => rmSync(maInit.base, { recursive: true, force: true }) };
  const cleanupFr = { stop: async () => rmSync(frInit.base, { recursive: true, force: true }) };
  extraNodes.push(cleanup, cleanupFr);
  quickRetries(maInit);
  quickRetries(frInit);
  pairNodes(maInit, frInit);
  const frCard = JSON.parse(readFileSync(join(frInit.base, 'FR-DGPN.card.json'), 'utf8'));

  // Only MA-DGSN serves at first: FR-DGPN is down.
  const ma = await serveNode(maInit);
  extraNodes.push(ma);

  // What should cross: MA-DGSN's active or suspended alerts shared with FR-DGPN.
  const token = await apiToken(ma, 'demo.supervisor');
  const list = await apiGet(ma, token, '/api/v1/alerts?page_size=200');
  let expected = 0;
  for (const a of list.alerts) {
    if (a.owner !== 'MA-DGSN' || (a.status !== 'active' && a.status !== 'suspended')) continue;
    const alert = await apiGet(ma, token, `/api/v1/alerts/${a.id}`);
    if (alert.share_with.includes('FR-DGPN')) expected += 1;
  }
  assert.ok(expected >= 1, 'the demo data shares alerts with FR-DGPN');

  const p = await page({}, ma);
  await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ma.url });
  await signIn(p, 'admin', ma.accounts.admin);
  await p.goto('/admin/partners');
  const fr = partnerCard(p, 'FR-DGPN');
  await fr.waitFor();
  assert.equal(await fr.getAttribute('data-registered'), 'true');
  assert.equal(await fr.locator('h2 bdi').first().textContent(), AGENCIES['FR-DGPN'].names.en);
  assert.equal(await fr.locator('h2 code').textContent(), 'FR-DGPN');
  assert.equal(await fr.locator('dd code', { hasText: 'https://' }).textContent(), `https://127.0.0.1:${ports[1]}`);
  assert.equal(frCard.federation_url, `https://127.0.0.1:${ports[1]}`);
  const shown = await fr.locator('.fingerprint code').first().textContent();
  const hex = frCard.tls_fingerprint.replace(/^sha256:/, '');
  assert.equal(shown, `sha256:${hex.slice(0, 8)}…${hex.slice(-8)}`);
  assert.match(await fr.locator('dd code', { hasText: 'cli:' }).textContent(), /^cli:/, 'added by the host operator');

  // The sender tries at once and fails; the page refreshes by itself.
  await p.waitForFunction(
    () => document.querySelector('section.peer[data-peer="FR-DGPN"]')?.dataset.health === 'failing',
    null,
    { timeout: 40000, polling: 250 },
  );
  assert.equal((await fr.locator('.badge.health').textContent()).trim(), `✕ ${msg('en', 'admin.health.failing')}`);
  assert.equal(await fr.locator('[data-field=pending]').getAttribute('data-value'), String(expected));
  assert.equal(await fr.locator('[data-field=delivered]').getAttribute('data-value'), '0');
  assert.ok(Number(await fr.locator('[data-field=attempts]').getAttribute('data-value')) >= 1);
  assert.ok((await fr.locator('[data-field=last-error] bdi').textContent()).length > 0, 'the last error is shown');
  for (const lang of LANGS) {
    await switchLang(p, lang);
    assert.equal(await fr.locator('h2 bdi').first().textContent(), AGENCIES['FR-DGPN'].names[lang]);
    await inspect(p, lang, 'partners-failing');
  }
  await switchLang(p, 'en');

  // FR-DGPN comes up: within a bounded wait, without reloading, every shared
  // alert is delivered and the partner is healthy.
  const firstUpdate = await p.locator('[data-updated]').getAttribute('data-updated');
  const frNode = await serveNode(frInit);
  extraNodes.push(frNode);
  await p.waitForFunction(
    (n) => {
      const card = document.querySelector('section.peer[data-peer="FR-DGPN"]');
      return card?.dataset.health === 'healthy' && card.querySelector('[data-field=delivered]')?.dataset.value === String(n);
    },
    expected,
    { timeout: 60000, polling: 250 },
  );
  assert.notEqual(await p.locator('[data-updated]').getAttribute('data-updated'), firstUpdate, 'refreshed by itself');
  assert.equal(await fr.locator('[data-field=pending]').getAttribute('data-value'), '0');
  assert.equal((await fr.locator('.badge.health').textContent()).trim(), `✓ ${msg('en', 'admin.health.healthy')}`);
  assert.equal(await fr.locator('.peer-status-text').textContent(), msg('en', 'admin.partners.status.healthy'));
  assert.equal(await fr.locator('[data-field=last-error]').textContent(), msg('en', 'admin.partners.no_error'));
  assert.equal(await fr.locator('[data-field=last-delivered] time').count(), 1);
  // FR-DGPN received them all.
  const frToken = await apiToken(frNode, 'admin');
  const atFr = await apiGet(frNode, frToken, '/api/v1/federation/peers');
  const ma2 = atFr.peers.find((x) => x.peer.agency === 'MA-DGSN');
  assert.equal(ma2?.inbox.received, expected);

  // Keyboard: from "Refresh now", Tab reaches the copy button; Enter copies
  // the whole fingerprint and says so.
  await p.locator('button', { hasText: msg('en', 'admin.partners.refresh') }).focus();
  await p.keyboard.press('Tab');
  const label = await p.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.equal(label, msg('en', 'admin.field.fingerprint.copy', { agency: AGENCIES['FR-DGPN'].names.en }));
  assert.equal(await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
  await p.keyboard.press('Enter');
  await fr.locator('.copy-status', { hasText: msg('en', 'app.copy.done') }).waitFor();
  assert.equal(await p.evaluate(() => navigator.clipboard.readText()), frCard.tls_fingerprint);

  for (const lang of LANGS) {
    await switchLang(p, lang);
    assert.equal(await p.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
    assert.equal(await fr.locator('h2 bdi').first().textContent(), AGENCIES['FR-DGPN'].names[lang]);
    assert.equal(await fr.locator('.badge.health').getAttribute('data-health'), 'healthy');
    await inspect(p, lang, 'partners-healthy');
  }

  // An officer has no administration entry, and the address is refused.
  const o = await page({}, ma);
  await signIn(o, 'demo.officer', ma.accounts['demo.officer']);
  assert.deepEqual(await o.locator('nav a').allTextContents(), ['Home', 'Alerts', 'Screening', 'Hits', 'Assistance', 'Messages', 'Cooperation', 'Events', 'Training']);
  for (const path of ['/admin', '/admin/partners']) {
    await o.goto(path);
    await o.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  }
  const officerToken = await apiToken(ma, 'demo.officer');
  const refused = await fetch(`${ma.url}/api/v1/federation/peers`, { headers: { Authorization: `Bearer ${officerToken}` } });
  assert.equal(refused.status, 403);
  // The node tells the interface what the officer may do.
  const me = await apiGet(ma, officerToken, '/api/v1/me');
  assert.ok(me.permissions.includes('alert.create') && !me.permissions.includes('federation.read'), me.permissions.join());
  noProblems(p);
  noProblems(o);
});

test('a partner that keeps refusing: its envelopes become dead letters, which an administrator discards or sends again; a supervisor only sees them', async () => {
  const ports = [await freePort(), await freePort()];
  while (ports[1] === ports[0]) ports[1] = await freePort();
  const maInit = initNode({ agency: 'MA-DGSN', federationPort: ports[0] });
  const frInit = initNode({ agency: 'FR-DGPN', demo: false, federationPort: ports[1] });
  extraNodes.push({ stop: async () => rmSync(maInit.base, { recursive: true, force: true }) });
  extraNodes.push({ stop: async () => rmSync(frInit.base, { recursive: true, force: true }) });
  quickRetries(maInit, { retryMaxSeconds: 1 });
  quickRetries(frInit);
  const settingsPath = join(maInit.data, 'jisr.json');
  const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
  settings.federation_max_refusals = 2;
  writeFileSync(settingsPath, JSON.stringify(settings));
  // FR-DGPN registers MA-DGSN's card with a wrong signing key (its own):
  // every envelope from MA-DGSN fails the signature check and is refused.
  const maCard = join(maInit.base, 'MA-DGSN.card.json');
  const frCard = join(frInit.base, 'FR-DGPN.card.json');
  jisr('peer', 'card', '--data', maInit.data, '--output', maCard);
  jisr('peer', 'card', '--data', frInit.data, '--output', frCard);
  const forged = JSON.parse(readFileSync(maCard, 'utf8'));
  forged.signing_key = JSON.parse(readFileSync(frCard, 'utf8')).signing_key;
  writeFileSync(maCard, JSON.stringify(forged));
  jisr('peer', 'add', '--data', frInit.data, '--card', maCard);
  jisr('peer', 'add', '--data', maInit.data, '--card', frCard);
  const ma = await serveNode(maInit);
  extraNodes.push(ma);
  const fr = await serveNode(frInit);
  extraNodes.push(fr);

  // Refused twice each, every envelope for FR-DGPN is set aside.
  const token = await apiToken(ma, 'admin');
  const health = async () =>
    (await apiGet(ma, token, '/api/v1/federation/peers')).peers.find((x) => x.peer.agency === 'FR-DGPN').outbox;
  let outbox = await health();
  for (let i = 0; i < 120 && !(outbox.pending === 0 && outbox.dead > 0); i++) {
    await new Promise((r) => setTimeout(r, 250));
    outbox = await health();
  }
  assert.equal(outbox.pending, 0, JSON.stringify(outbox));
  const dead = outbox.dead;
  assert.ok(dead >= 2, `dead ${dead}`);
  assert.match(outbox.last_dead_error, /^rejected by FR-DGPN: bad signature/);

  const p = await page({}, ma);
  await signIn(p, 'admin', ma.accounts.admin);
  await p.goto('/admin/partners');
  const card = partnerCard(p, 'FR-DGPN');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-health'), 'failing');
  assert.equal(await card.locator('[data-field=dead]').getAttribute('data-value'), String(dead));
  assert.match(await card.locator('[data-field=last-dead-error]').textContent(), /bad signature/);
  await card.locator('.dead-letters button[aria-expanded=false]').click();
  const rows = card.locator('table.dead tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), Math.min(dead, 20));
  // Metadata only: the record, never its content.
  assert.match(await rows.first().locator('td').first().textContent(), /^[a-z_]+:/);
  assert.equal(await rows.first().locator('[data-field=refusals]').textContent(), '2');
  for (const lang of LANGS) {
    await switchLang(p, lang);
    await inspect(p, lang, 'partners-dead-letters');
  }
  await switchLang(p, 'en');

  // Discard one, after confirming.
  const first = await rows.first().getAttribute('data-envelope');
  await rows.first().locator('button[data-action=discard]').click();
  await card.locator('button[data-action=discard-confirm]').click();
  await card.locator('[role=status]', { hasText: msg('en', 'admin.dead.done.discard') }).waitFor();
  await card.locator(`tr[data-envelope="${first}"]`).waitFor({ state: 'detached' });
  await p.waitForFunction(
    (n) => document.querySelector('section.peer[data-peer="FR-DGPN"] [data-field=dead]')?.dataset.value === String(n),
    dead - 1,
  );

  // Send one again: it leaves the list (and is refused twice more).
  const second = await rows.first().getAttribute('data-envelope');
  await rows.first().locator('button[data-action=retry]').click();
  await card.locator('[role=status]', { hasText: msg('en', 'admin.dead.done.retry') }).waitFor();

  // Send them all again: the node says how many.
  await card.locator('button[data-action=retry-all]').click();
  await card.locator('[role=status]', { hasText: / will be sent again\.$/ }).waitFor();
  // FR-DGPN still refuses them: back among the dead letters, the discarded one never.
  outbox = await health();
  for (let i = 0; i < 120 && !(outbox.pending === 0 && outbox.dead === dead - 1); i++) {
    await new Promise((r) => setTimeout(r, 250));
    outbox = await health();
  }
  assert.equal(outbox.dead, dead - 1, JSON.stringify(outbox));
  const list = await apiGet(ma, token, '/api/v1/federation/peers/FR-DGPN/dead-letters?limit=500');
  assert.equal(list.total, dead - 1);
  assert.ok(!list.dead_letters.some((d) => d.id === first), 'the discarded envelope is gone');
  assert.ok(list.dead_letters.some((d) => d.id === second), 'the retried envelope was refused again');
  assert.ok(!JSON.stringify(list).includes('"body"'), 'no content');

  // A supervisor sees the dead letters but has no button to act on them.
  const sup = await page({}, ma);
  await signIn(sup, 'demo.supervisor', ma.accounts['demo.supervisor']);
  await sup.goto('/admin/partners');
  const supCard = partnerCard(sup, 'FR-DGPN');
  await supCard.waitFor();
  await supCard.locator('.dead-letters button[aria-expanded=false]').click();
  await supCard.locator('table.dead tbody tr').first().waitFor();
  assert.equal(await supCard.locator('button[data-action]').count(), 0);
  // An officer may not even list them.
  const officerToken = await apiToken(ma, 'demo.officer');
  const refused = await fetch(`${ma.url}/api/v1/federation/peers/FR-DGPN/dead-letters`, {
    headers: { Authorization: `Bearer ${officerToken}` },
  });
  assert.equal(refused.status, 403);
  noProblems(p);
  noProblems(sup);
});

// ---- mutual assistance between two paired nodes ------------------------------

// The paired nodes of the assistance tests (both with the demo accounts) and
// the requests they exchange.
const mutual = { ma: null, fr: null, urgentId: '', normalId: '' };
const URGENT = {
  subject: 'Identity check of a ferry passenger (test)',
  description: 'Please confirm whether the passport TEST-0042 is registered as stolen (synthetic test data).',
  grounds: 'The passenger is held at the ferry terminal; the document looks altered (test).',
  reason: 'The passenger can be held for a few hours only (test).',
  answer: 'The passport TEST-0042 is registered as stolen since 2025 (synthetic test answer).',
};

// Starts MA-DGSN and FR-DGPN with the demo accounts, paired, with quick
// retries; once for the assistance tests.
async function pairedDemoNodes() {
  if (mutual.ma) return mutual;
  const ports = [await freePort(), await freePort()];
  while (ports[1] === ports[0]) ports[1] = await freePort();
  const maInit = initNode({ agency: 'MA-DGSN', federationPort: ports[0] });
  extraNodes.push({ stop: async () => rmSync(maInit.base, { recursive: true, force: true }) });
  const frInit = initNode({ agency: 'FR-DGPN', federationPort: ports[1] });
  extraNodes.push({ stop: async () => rmSync(frInit.base, { recursive: true, force: true }) });
  quickRetries(maInit);
  quickRetries(frInit);
  pairNodes(maInit, frInit);
  mutual.ma = await serveNode(maInit);
  extraNodes.push(mutual.ma);
  mutual.fr = await serveNode(frInit);
  extraNodes.push(mutual.fr);
  return mutual;
}

// POST of a JSON body through the API; returns [status, JSON].
async function apiPost(on, token, path, body) {
  const r = await fetch(`${on.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Purpose': 'browser test', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return [r.status, await r.json()];
}

// The federation delivers within moments: clicks "Refresh now" until
// `locator` is there, for at most `seconds`.
async function refreshUntil(p, locator, seconds = 10) {
  const until = Date.now() + seconds * 1000;
  while ((await locator.count()) === 0) {
    if (Date.now() > until) throw new Error(`not shown within ${seconds} s: ${locator}`);
    await p.locator('#assistance-refresh').click();
    await p.waitForTimeout(250);
  }
}

// The data-transition of the step buttons shown.
async function steps(p) {
  return p.locator('.lifecycle [data-transition]').evaluateAll((els) => els.map((e) => e.dataset.transition));
}

// The state shown on a request's page.
async function shownState(p) {
  return p.locator('.request-status .badge[data-state]').getAttribute('data-state');
}

test('mutual assistance across two nodes: MA asks FR urgently, FR sees the count-down, starts and answers, MA closes; every screen in ar/fr/en', async () => {
  const { ma, fr } = await pairedDemoNodes();

  // --- at MA-DGSN an officer drafts the request; the node names each fault.
  const m = await page({}, ma);
  await signIn(m, 'demo.officer', ma.accounts['demo.officer']);
  await m.locator('nav a', { hasText: msg('en', 'assistance.nav') }).click();
  await m.locator('h1', { hasText: msg('en', 'assistance.title') }).waitFor();
  await loaded(m);
  assert.equal(await m.locator('.tabs a[aria-current=page]').getAttribute('data-direction'), 'incoming');
  await m.locator('a.button', { hasText: msg('en', 'assistance.new') }).click();
  await m.locator('h1', { hasText: msg('en', 'assistance.new.title') }).waitFor();
  assert.deepEqual(await unlabelled(m), [], 'every control has a label');
  // An officer may not read the partner nodes: the code is typed.
  assert.equal(await m.locator('#assistance-requested-agency').evaluate((e) => e.tagName), 'INPUT');
  assert.equal(await m.locator('.deadline-preview').textContent(), msg('en', 'assistance.new.preview_choose'));
  await inspect(m, 'en', 'assistance-new');

  await m.locator('form.assistance-form button[type=submit]').click();
  await m.locator('#assistance-requested-agency-error').waitFor();
  assert.equal(await m.locator('#assistance-requested-agency-error').textContent(), msg('en', 'assistance.error.requested_agency'));
  assert.equal(await m.locator('#assistance-requested-agency').getAttribute('aria-invalid'), 'true');
  await m.waitForFunction(() => document.activeElement.id === 'assistance-requested-agency');
  await m.locator('[role=alert]', { hasText: msg('en', 'assistance.new.fix') }).waitFor();

  await m.locator('#assistance-requested-agency').fill('xx-nope');
  assert.equal(await m.locator('#assistance-requested-agency').inputValue(), 'XX-NOPE', 'codes are capitals');
  await m.locator('#assistance-type').selectOption('information');
  await m.locator('#assistance-urgency-urgent').check();
  assert.equal(await m.locator('.deadline-preview').textContent(), msg('en', 'assistance.new.preview_choose_access'));
  await m.locator('#assistance-urgency-reason').fill(URGENT.reason);
  await m.locator('#assistance-subject').fill(URGENT.subject);
  await m.locator('#assistance-description').fill(URGENT.description);
  await m.locator('#assistance-grounds').fill(URGENT.grounds);
  // Urgent without saying whether the partner can consult it: the deadline is unknown.
  await m.locator('form.assistance-form button[type=submit]').click();
  await m.locator('#assistance-directly-accessible-error').waitFor();
  assert.equal(await m.locator('#assistance-directly-accessible-error').textContent(), msg('en', 'assistance.error.directly_accessible'));
  assert.equal(await m.locator('#assistance-requested-agency-error').count(), 0);
  await m.waitForFunction(() => document.activeElement.id === 'assistance-directly-accessible');
  await m.locator('#assistance-directly-accessible-yes').check();
  assert.equal(await m.locator('.deadline-preview').getAttribute('data-rule'), 'urgent_direct');
  assert.match(await m.locator('.deadline-preview').textContent(), /^Deadline: 8 hours from the partner's receipt/);
  await m.locator('.deadline-preview', { hasText: msg('en', 'assistance.rule.urgent_direct.reference') }).waitFor();
  await inspect(m, 'en', 'assistance-new-error');
  // A code that is no registered partner.
  await m.locator('form.assistance-form button[type=submit]').click();
  await m.locator('#assistance-requested-agency-error').waitFor();
  await m.locator('#assistance-requested-agency').fill('FR-DGPN');
  await m.locator('form.assistance-form button[type=submit]').click();
  await m.waitForURL(/\/assistance\/[0-9a-f-]{36}\?saved=submitted$/);
  mutual.urgentId = new URL(m.url()).pathname.split('/').pop();
  await m.locator('[role=status]', { hasText: msg('en', 'assistance.done.submitted') }).waitFor();
  assert.equal(await m.locator('h1 bdi').textContent(), URGENT.subject);

  // FR-DGPN's node acknowledges receipt within moments: the deadline starts.
  await refreshUntil(m, m.locator('.request-status .badge[data-state=received]'));
  const countdown = m.locator('.deadline-card .countdown');
  assert.equal(await countdown.getAttribute('data-deadline-status'), 'on_time');
  assert.equal((await countdown.locator('.badge').textContent()).trim(), `✓ ${msg('en', 'assistance.deadline.status.on_time')}`);
  assert.match(await countdown.locator('.countdown-amount').textContent(), /^ (8 hours|7 hours, 5\d minutes) left$/);
  assert.equal(await countdown.locator('.countdown-relative').textContent(), 'in 8 hours');
  // It runs by itself, second by second.
  const left = Number(await countdown.getAttribute('data-left'));
  assert.ok(left > 7 * 3600 && left <= 8 * 3600, `${left}`);
  await m.waitForFunction((l) => Number(document.querySelector('.deadline-card .countdown').dataset.left) < l, left, { timeout: 3000 });
  assert.equal(await m.locator('.deadline-card dd[data-rule]').textContent(), msg('en', 'assistance.rule.urgent_direct'));
  await m.locator('.deadline-card cite', { hasText: msg('en', 'assistance.rule.urgent_direct.reference') }).waitFor();
  await m.locator('.notice[data-waiting=partner]').waitFor();
  // The requester may only withdraw an open request.
  assert.deepEqual(await steps(m), ['close']);
  assert.equal(await m.locator('[data-transition=close]').textContent(), msg('en', 'assistance.step.withdraw'));
  assert.deepEqual(await m.locator('.history tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.transition)), ['receive', 'submit']);
  assert.equal(await m.locator('.history tr[data-transition=receive] td:nth-child(3) code').textContent(), 'FR-DGPN');
  assert.equal(await m.locator('.history tr[data-transition=receive] td:nth-child(4)').textContent(), msg('en', 'assistance.history.partner_actor'));
  assert.equal(await m.locator('.history tr[data-transition=submit] td:nth-child(4) code').textContent(), 'demo.officer');

  // --- at FR-DGPN an officer (in French) finds it incoming, with its count-down.
  const f = await page({ locale: 'fr-FR' }, fr);
  await signIn(f, 'demo.officer', fr.accounts['demo.officer']);
  const card = f.locator('[aria-labelledby=home-assistance]');
  await card.locator(`li[data-request="${mutual.urgentId}"]`).waitFor();
  assert.equal(await card.locator('.due-counts [data-direction=incoming]').getAttribute('data-open'), '1');
  assert.equal(await card.getAttribute('data-overdue'), '0');
  assert.equal(await card.locator(`li[data-request="${mutual.urgentId}"] .countdown`).getAttribute('data-deadline-status'), 'on_time');
  await inspect(f, 'fr', 'home-assistance-fr-dgpn');
  await f.locator('nav a', { hasText: msg('fr', 'assistance.nav') }).click();
  const row = f.locator(`table.assistance tr[data-request="${mutual.urgentId}"]`);
  await row.waitFor();
  assert.equal(await f.locator('.tabs a[aria-current=page]').getAttribute('data-direction'), 'incoming');
  assert.equal(await row.locator('td:nth-child(3) code').textContent(), 'MA-DGSN');
  assert.equal(await row.locator('.countdown').getAttribute('data-deadline-status'), 'on_time');
  assert.equal((await row.locator('.countdown .badge').textContent()).trim(), `✓ ${msg('fr', 'assistance.deadline.status.on_time')}`);
  assert.equal(await row.locator('.countdown-relative').textContent(), 'dans 8 heures');
  assert.equal(await row.locator('.badge[data-state]').textContent(), msg('fr', 'assistance.state.received'));
  await inspect(f, 'fr', 'assistance-incoming');
  // Sorted by deadline and filtered to what is open, it is still there; not overdue.
  await f.locator('#assistance-sort').selectOption('deadline');
  await f.waitForURL(/sort=deadline/);
  await f.locator('#assistance-state').selectOption('open');
  await f.waitForURL(/state=open/);
  await row.waitFor();
  await f.locator('#assistance-overdue').check();
  await f.waitForURL(/overdue=true/);
  await f.locator('main p', { hasText: msg('fr', 'assistance.list.empty') }).waitFor();
  await f.locator('#assistance-overdue').uncheck();
  await row.locator('a').click();
  await f.locator('.deadline-card').waitFor();
  assert.deepEqual(await steps(f), ['start', 'answer', 'refuse', 'request_clarification']);
  await f.locator('.notice[data-waiting=respond]').waitFor();

  // A supervisor opens the same request before the officer starts it.
  const g = await page({}, fr);
  await signIn(g, 'demo.supervisor', fr.accounts['demo.supervisor']);
  await g.goto(`/assistance/${mutual.urgentId}`);
  await g.locator('[data-transition=answer]').waitFor();

  await f.locator('[data-transition=start]').click();
  await f.locator('#assistance-step-confirm').click();
  await f.locator('[role=status]', { hasText: msg('fr', 'assistance.done.start') }).waitFor();
  assert.equal(await shownState(f), 'in_progress');
  assert.deepEqual(await steps(f), ['answer', 'refuse', 'request_clarification']);

  // The supervisor's page still shows version 2: the node refuses, the page says why and reloads.
  await g.locator('[data-transition=answer]').click();
  await g.locator('#assistance-step-answer').fill('A stale answer (test).');
  await g.locator('#assistance-step-confirm').click();
  await g.locator('[data-conflict]', { hasText: msg('en', 'assistance.conflict.text') }).waitFor();
  await inspect(g, 'en', 'assistance-conflict');
  await g.locator('[data-conflict] button', { hasText: msg('en', 'assistance.conflict.reload') }).click();
  await g.waitForFunction(() => document.querySelector('.request-status .badge[data-state]')?.dataset.state === 'in_progress');
  assert.deepEqual(await steps(g), ['answer', 'refuse', 'request_clarification']);

  // The officer answers: empty first (the node names the field), then the answer.
  await f.locator('[data-transition=answer]').click();
  await f.locator('#assistance-step-confirm').click();
  await f.locator('#assistance-step-answer-error').waitFor();
  assert.equal(await f.locator('#assistance-step-answer-error').textContent(), msg('fr', 'assistance.error.answer'));
  await f.waitForFunction(() => document.activeElement.id === 'assistance-step-answer');
  await f.locator('#assistance-step-answer').fill(URGENT.answer);
  await f.locator('#assistance-step-confirm').click();
  await f.locator('[role=status]', { hasText: msg('fr', 'assistance.done.answer') }).waitFor();
  assert.equal(await shownState(f), 'answered');
  assert.equal(await f.locator('.deadline-card .countdown').getAttribute('data-deadline-status'), 'in_time');
  await f.locator('[data-field=answer]', { hasText: URGENT.answer }).waitFor();
  assert.deepEqual(await steps(f), []);
  await f.locator('.notice[data-waiting=closing]').waitFor();

  // --- back at MA-DGSN the answer arrives; the officer closes the request.
  await refreshUntil(m, m.locator('.request-status .badge[data-state=answered]'));
  await m.locator('[data-field=answer]', { hasText: URGENT.answer }).waitFor();
  assert.equal(await m.locator('.deadline-card .countdown').getAttribute('data-deadline-status'), 'in_time');
  await m.locator('.notice[data-waiting=close]').waitFor();
  assert.deepEqual(await steps(m), ['close']);
  assert.equal(await m.locator('[data-transition=close]').textContent(), msg('en', 'assistance.step.close'));
  assert.match(await m.locator('.card dd', { hasText: 'FR-DGPN' }).last().textContent(), /signed envelope/);
  await inspect(m, 'en', 'assistance-answered');
  await m.locator('[data-transition=close]').click();
  await m.locator('#assistance-step-note').fill('Answer received, thank you (test).');
  await m.locator('#assistance-step-confirm').click();
  await m.locator('[role=status]', { hasText: msg('en', 'assistance.done.close') }).waitFor();
  assert.equal(await shownState(m), 'closed');
  assert.equal(await m.locator('.lifecycle').count(), 0, 'nothing left to do');
  assert.deepEqual(
    await m.locator('.history tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.transition)),
    ['close', 'answer', 'start', 'receive', 'submit'],
  );
  // FR-DGPN sees it closed too.
  await refreshUntil(f, f.locator('.request-status .badge[data-state=closed]'));

  // Every screen in every language, on both nodes.
  for (const lang of LANGS) {
    for (const [p, name, path, ready] of [
      [m, 'assistance-outgoing', '/assistance?direction=outgoing', 'table.assistance'],
      [m, 'assistance-request-closed', `/assistance/${mutual.urgentId}`, '.history'],
      [m, 'assistance-new', '/assistance/new', 'form.assistance-form'],
      [m, 'home-assistance', '/', '#home-assistance ~ dl'],
      [f, 'assistance-incoming-all', '/assistance', 'table.assistance'],
      [f, 'assistance-request-incoming', `/assistance/${mutual.urgentId}`, '.history'],
    ]) {
      await switchLang(p, lang);
      await p.goto(path);
      await p.locator(ready).first().waitFor();
      await loaded(p);
      assert.equal(await p.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr', `${name} in ${lang}`);
      await inspect(p, lang, `${name}${p === f ? '-fr-dgpn' : ''}`);
    }
  }
  // Times follow the language, through Intl.
  await switchLang(m, 'ar');
  await m.goto('/assistance?direction=outgoing');
  await m.locator('table.assistance .badge[data-state=closed]').waitFor();
  assert.equal(await m.locator('table.assistance .countdown').getAttribute('data-deadline-status'), 'in_time');
  assert.equal((await m.locator('table.assistance .countdown .badge').textContent()).trim(), `✓ ${msg('ar', 'assistance.deadline.status.in_time')}`);
  noProblems(m);
  noProblems(f);
  noProblems(g);
});

test('mutual assistance: a question pauses the deadline and is clarified, a refusal takes a reason from the list, and the count-down changes colour as time passes', async () => {
  const { ma, fr } = await pairedDemoNodes();
  const maToken = await apiToken(ma, 'demo.officer');
  const [status, normal] = await apiPost(ma, maToken, '/api/v1/assistance-requests', {
    requested_agency: 'FR-DGPN',
    type: 'technical_assistance',
    urgency: 'normal',
    subject: 'Forensic copy of a seized phone (test)',
    description: 'Please advise on extracting the data of a seized phone (synthetic test request).',
    grounds: 'The partner runs the laboratory that handles this model (test).',
    case_reference: 'MA-TEST-7',
  });
  assert.equal(status, 201, JSON.stringify(normal));
  mutual.normalId = normal.id;

  // FR-DGPN asks a question: the deadline pauses.
  const f = await page({}, fr);
  await signIn(f, 'demo.officer', fr.accounts['demo.officer']);
  await f.goto(`/assistance/${normal.id}`);
  await refreshUntil(f, f.locator('[data-transition=request_clarification]'));
  assert.equal(await f.locator('.deadline-card dd[data-rule]').textContent(), msg('en', 'assistance.rule.normal'));
  assert.match(await f.locator('.deadline-card .countdown-amount').textContent(), /^ (7 days|6 days, 23 hours) left$/);
  await f.locator('[data-transition=request_clarification]').click();
  await f.locator('#assistance-step-question').fill('Which model and operating system version is it (test)?');
  await f.locator('#assistance-step-confirm').click();
  await f.locator('[role=status]', { hasText: msg('en', 'assistance.done.request_clarification') }).waitFor();
  assert.equal(await shownState(f), 'clarification_requested');
  assert.equal(await f.locator('.deadline-card .countdown').getAttribute('data-deadline-status'), 'paused');
  await f.locator('.notice[data-waiting=requester]').waitFor();

  // MA-DGSN sees the question, the paused count-down, and clarifies (in Arabic).
  const m = await page({ locale: 'ar-MA' }, ma);
  await signIn(m, 'demo.officer', ma.accounts['demo.officer']);
  await m.goto(`/assistance/${normal.id}`);
  await refreshUntil(m, m.locator('.request-status .badge[data-state=clarification_requested]'));
  const paused = m.locator('.deadline-card .countdown');
  assert.equal(await paused.getAttribute('data-deadline-status'), 'paused');
  assert.equal((await paused.locator('.badge').textContent()).trim(), `‖ ${msg('ar', 'assistance.deadline.status.paused')}`);
  const frozen = await paused.getAttribute('data-left');
  await m.waitForTimeout(1200);
  assert.equal(await paused.getAttribute('data-left'), frozen, 'frozen while paused');
  await m.locator('[data-field=clarification_question]', { hasText: 'Which model' }).waitFor();
  assert.deepEqual(await steps(m), ['clarify', 'close']);
  await m.locator('.notice[data-waiting=clarify]').waitFor();
  await inspect(m, 'ar', 'assistance-question');
  await m.locator('[data-transition=clarify]').click();
  await m.locator('#assistance-step-clarification').fill('هاتف من طراز تجريبي، نظام التشغيل غير معروف (اختبار).');
  await m.locator('#assistance-step-confirm').click();
  await m.locator('[role=status]', { hasText: msg('ar', 'assistance.done.clarify') }).waitFor();
  assert.equal(await shownState(m), 'clarified');

  // FR-DGPN refuses: the reasons come from the list; "other" needs a text.
  await refreshUntil(f, f.locator('.request-status .badge[data-state=clarified]'));
  assert.equal(await f.locator('.deadline-card .countdown').getAttribute('data-deadline-status'), 'on_time');
  await f.locator('[data-field=clarification]', { hasText: 'هاتف' }).waitFor();
  assert.deepEqual(await steps(f), ['start', 'answer', 'refuse', 'request_clarification']);
  await f.locator('[data-transition=refuse]').click();
  assert.deepEqual(
    await f.locator('#assistance-step-reason option').evaluateAll((os) => os.map((o) => o.value)),
    ['', 'legal_grounds', 'disproportionate', 'not_available', 'other'],
  );
  await f.locator('#assistance-step-confirm').click();
  await f.locator('#assistance-step-reason-error').waitFor();
  assert.equal(await f.locator('#assistance-step-reason-error').textContent(), msg('en', 'assistance.error.reason'));
  await f.locator('#assistance-step-reason').selectOption('other');
  await f.locator('label[for=assistance-step-text]', { hasText: msg('en', 'assistance.field.refusal_text') }).waitFor();
  await f.locator('#assistance-step-confirm').click();
  await f.locator('#assistance-step-text-error').waitFor();
  assert.equal(await f.locator('#assistance-step-text-error').textContent(), msg('en', 'assistance.error.text'));
  await inspect(f, 'en', 'assistance-refuse-error');
  await f.locator('#assistance-step-text').fill('The laboratory cannot take new devices this month (test).');
  await f.locator('#assistance-step-confirm').click();
  await f.locator('[role=status]', { hasText: msg('en', 'assistance.done.refuse') }).waitFor();
  assert.equal(await shownState(f), 'refused');
  await f.locator('.history tr[data-transition=refuse] .badge', { hasText: msg('en', 'assistance.refusal.other') }).waitFor();

  // MA-DGSN reads the refusal and its reason.
  await refreshUntil(m, m.locator('.request-status .badge[data-state=refused]'));
  assert.equal(await m.locator('[data-field=refusal_reason]').getAttribute('data-reason'), 'other');
  await m.locator('[data-field=refusal_reason]', { hasText: msg('ar', 'assistance.refusal.other') }).waitFor();
  await m.locator('[data-field=refusal_reason]', { hasText: 'The laboratory cannot' }).waitFor();
  assert.ok(Number((await m.locator('.deadline-card dd', { hasText: /\d/ }).count())) > 0);
  await inspect(m, 'ar', 'assistance-refused');

  // The count-down's colours: an urgent request followed in a browser whose
  // clock is moved forward (the node's figures stay those it sent).
  const [s3, urgent] = await apiPost(ma, maToken, '/api/v1/assistance-requests', {
    requested_agency: 'FR-DGPN',
    type: 'operational_action',
    urgency: 'urgent',
    directly_accessible: true,
    urgency_reason: 'The vehicle crosses the border tonight (test).',
    subject: 'Stop and check a vehicle (test)',
    description: 'Please stop and check the vehicle TEST-123 at the border (synthetic test request).',
    grounds: 'Seen leaving the scene of a robbery (test).',
  });
  assert.equal(s3, 201, JSON.stringify(urgent));
  const c = await page({}, ma);
  await c.clock.install();
  await signIn(c, 'demo.officer', ma.accounts['demo.officer']);
  await c.goto('/assistance?direction=outgoing&state=open&sort=deadline');
  const urgentRow = c.locator(`tr[data-request="${urgent.id}"]`);
  await urgentRow.waitFor();
  await refreshUntil(c, urgentRow.locator('.countdown[data-deadline-status=on_time]'));
  const look = async () => ({
    status: await urgentRow.locator('.countdown').getAttribute('data-deadline-status'),
    badge: (await urgentRow.locator('.countdown .badge').textContent()).trim(),
    cls: await urgentRow.locator('.countdown .badge').getAttribute('class'),
    amount: (await urgentRow.locator('.countdown-amount').textContent()).trim(),
    relative: await urgentRow.locator('.countdown-relative').textContent(),
  });
  let now = await look();
  assert.equal(now.badge, `✓ ${msg('en', 'assistance.deadline.status.on_time')}`);
  assert.match(now.cls, /badge-ok/);
  // Past 75 % of the 8 hours: due soon, amber.
  await c.clock.fastForward('06:01:00');
  await c.waitForFunction((id) => document.querySelector(`tr[data-request="${id}"] .countdown`).dataset.deadlineStatus === 'due_soon', urgent.id);
  now = await look();
  assert.equal(now.badge, `⚠ ${msg('en', 'assistance.deadline.status.due_soon')}`);
  assert.match(now.cls, /badge-warn/);
  assert.match(now.amount, /^1 hour, 5\d minutes left$/);
  assert.equal(now.relative, 'in 2 hours');
  await inspect(c, 'en', 'assistance-due-soon');
  // Past the deadline: overdue, red, counting up.
  await c.clock.fastForward('02:00:00');
  await c.waitForFunction((id) => document.querySelector(`tr[data-request="${id}"] .countdown`).dataset.deadlineStatus === 'overdue', urgent.id);
  now = await look();
  assert.equal(now.badge, `✕ ${msg('en', 'assistance.deadline.status.overdue')}`);
  assert.match(now.cls, /badge-bad/);
  assert.match(now.amount, /^overdue by \d+ (minute|second)s?/);
  assert.match(now.relative, /^\d+ minutes? ago$/);
  for (const lang of LANGS) {
    await switchLang(c, lang);
    assert.equal(
      (await urgentRow.locator('.countdown .badge').textContent()).trim(),
      `✕ ${msg(lang, 'assistance.deadline.status.overdue')}`,
    );
    const relative = await urgentRow.locator('.countdown-relative').textContent();
    const expected = { ar: /^قبل /, fr: /^il y a \d+ minutes?$/, en: /^\d+ minutes? ago$/ }[lang];
    assert.match(relative, expected, `relative time in ${lang}`);
    await inspect(c, lang, 'assistance-overdue');
  }

  // A supervisor (who may read the partner nodes) asks about an alert from
  // its page: the partner is chosen in the list, the alert is filled in.
  const supToken = await apiToken(ma, 'demo.supervisor');
  const alerts = await apiGet(ma, supToken, '/api/v1/alerts?status=active&page_size=200');
  let shared = null;
  for (const x of alerts.alerts.filter((y) => y.owner === 'MA-DGSN')) {
    const full = await apiGet(ma, supToken, `/api/v1/alerts/${x.id}`);
    if (full.share_with.includes('FR-DGPN')) {
      shared = full;
      break;
    }
  }
  assert.ok(shared, 'a demo alert shared with FR-DGPN');
  const s = await page({ locale: 'ar-MA' }, ma);
  await signIn(s, 'demo.supervisor', ma.accounts['demo.supervisor']);
  await s.goto(`/alerts/${shared.id}`);
  await s.locator('a[data-assistance]', { hasText: msg('ar', 'alerts.request_assistance') }).click();
  await s.locator('h1', { hasText: msg('ar', 'assistance.new.title') }).waitFor();
  await s.waitForFunction(() => document.querySelector('#assistance-requested-agency')?.tagName === 'SELECT');
  assert.deepEqual(await s.locator('#assistance-requested-agency option').evaluateAll((os) => os.map((o) => o.value)), ['', 'FR-DGPN']);
  assert.equal(await s.locator('#assistance-requested-agency').inputValue(), 'FR-DGPN');
  assert.match(await s.locator('#assistance-requested-agency option[value=FR-DGPN]').textContent(), /المديرية العامة للشرطة الوطنية \(FR-DGPN\)/);
  assert.equal(await s.locator('#assistance-alert-id').inputValue(), shared.id);
  assert.deepEqual(await unlabelled(s), []);
  await inspect(s, 'ar', 'assistance-new-supervisor');

  // An analyst reads the requests but takes no step and sends none.
  const a = await page({}, fr);
  await signIn(a, 'demo.analyst', fr.accounts['demo.analyst']);
  await a.goto(`/assistance/${urgent.id}`);
  await refreshUntil(a, a.locator('.request-status .badge[data-state=received]'));
  assert.equal(await a.locator('.lifecycle').count(), 0);
  await a.goto('/assistance');
  await a.locator('table.assistance').waitFor();
  assert.equal(await a.locator('a.button', { hasText: msg('en', 'assistance.new') }).count(), 0);
  await a.goto('/assistance/new');
  await a.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
  noProblems(f);
  noProblems(m);
  noProblems(c);
  noProblems(s);
  noProblems(a);
});

// ---- secure messages between two paired nodes (tests/messages.mjs) ------------

registerMessageTests({ page, inspect, noProblems, unlabelled, extraNodes });

// ---- cooperation and major events on the main node (tests/cooperation.mjs) ----

registerCooperationTests({ page, inspect, noProblems, unlabelled, mainNode: () => node });

// ---- training and the cooperation report on two paired nodes (tests/training.mjs) ----

registerTrainingTests({ page, inspect, noProblems, unlabelled, extraNodes });
