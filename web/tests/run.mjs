#!/usr/bin/env node
// Browser tests of the web interface, in Debian's headless Chromium against a
// node started here (see harness.mjs). Run: node tests/run.mjs [--jisr PATH]
// [--web-root DIR] [--artifacts DIR]. Screenshots of every screen in every
// language are written to the artifacts directory.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  artifact,
  config,
  LANGS,
  launchBrowser,
  lowContrast,
  messages,
  msg,
  openPage,
  signIn,
  startNode,
  switchLang,
  untranslated,
} from './harness.mjs';

let node;
let browser;
const pages = [];
// The account the tests create (synthetic person).
const created = { username: 'test.officer', displayName: 'سمير الاختباري', id: '', password: '' };

async function page(options) {
  const p = await openPage(browser, node.url, options);
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
  assert.equal(await p.locator('nav a').nth(1).textContent(), msg('ar', 'users.nav'));
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
  assert.equal(await p.locator('nav a').nth(1).textContent(), msg('fr', 'users.nav'));
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
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Users']);
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
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home', 'Audit log']);
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
  await p.locator('table.audit tbody tr').first().waitFor();
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
  assert.deepEqual(await p.locator('nav a').allTextContents(), ['Home']);
  const token = await p.evaluate(() => JSON.parse(sessionStorage.getItem('jisr.session')).token);
  await p.locator('.who button').click();
  await p.locator('[role=status]', { hasText: msg('en', 'app.signin.signed_out') }).waitFor();
  assert.equal(await p.evaluate(() => sessionStorage.getItem('jisr.session')), null);
  const r = await fetch(`${node.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 401);
  assert.ok(Object.keys(messages.ar).length === Object.keys(messages.en).length);
  noProblems(p);
});
