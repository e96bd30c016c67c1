// Test harness for the browser tests: starts throw-away jisr nodes on
// loopback ports (jisr init --demo, then jisr serve --listen 127.0.0.1:0),
// pairs two of them for the federation screens (jisr peer card / peer add),
// drives Debian's Chromium through playwright-core, and provides the checks
// every screen goes through (no untranslated string, WCAG AA contrast, no
// console error).

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, '..');

// --name value pairs from the command line, then the environment, then defaults.
function option(name, env, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && process.argv[i + 1]) return resolve(process.argv[i + 1]);
  if (process.env[env]) return resolve(process.env[env]);
  return fallback;
}

export const config = {
  jisr: option('jisr', 'JISR_BINARY', resolve(WEB_DIR, '..', 'build', 'bin', 'jisr')),
  webRoot: option('web-root', 'JISR_WEB_ROOT', join(WEB_DIR, 'dist')),
  artifacts: option('artifacts', 'JISR_WEB_ARTIFACTS', join(WEB_DIR, 'test-artifacts')),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
};

export const LANGS = ['ar', 'fr', 'en'];

// The merged catalogues, as the application loads them.
export function loadCatalogues() {
  const out = { ar: {}, fr: {}, en: {} };
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (dir.endsWith('/messages') && name.endsWith('.json')) {
        Object.assign(out[name.slice(0, -5)], JSON.parse(readFileSync(path, 'utf8')));
      }
    }
  };
  walk(join(WEB_DIR, 'src'));
  return out;
}

export const messages = loadCatalogues();

// The message `key` in `lang` with {placeholders} filled (plain strings only).
export function msg(lang, key, params = {}) {
  const m = messages[lang][key];
  if (typeof m !== 'string') throw new Error(`no plain message ${key} in ${lang}`);
  return m.replace(/\{(\w+)\}/g, (w, n) => (n in params ? String(params[n]) : w));
}

// ---- the node -------------------------------------------------------------

// The agencies the tests create nodes for (synthetic names of real agencies).
export const AGENCIES = {
  'MA-DGSN': {
    country: 'MA',
    names: {
      en: 'General Directorate for National Security',
      fr: 'Direction générale de la Sûreté nationale',
      ar: 'المديرية العامة للأمن الوطني',
    },
  },
  'FR-DGPN': {
    country: 'FR',
    names: {
      en: 'General Directorate of the National Police',
      fr: 'Direction générale de la Police nationale',
      ar: 'المديرية العامة للشرطة الوطنية',
    },
  },
};

function checkPrerequisites() {
  for (const [what, path] of [
    ['jisr binary', config.jisr],
    ['built web interface (make web)', join(config.webRoot, 'index.html')],
    ['Chromium (scripts/install-deps.sh)', config.chromium],
  ]) {
    try {
      statSync(path);
    } catch {
      throw new Error(`missing ${what}: ${path}`);
    }
  }
}

// Runs `jisr ARGS...`; returns its standard output, throws with its output on failure.
export function jisr(...args) {
  const r = spawnSync(config.jisr, args, { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`jisr ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// A loopback TCP port free right now (the kernel's pick, then released), for
// a listener whose port must be known before it starts: a node's federation
// port is written on its card at init, before `jisr serve` opens it.
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// Creates a node directory (not served yet): `jisr init` for `agency` (see
// AGENCIES), with the demo accounts and alerts unless demo is false, and its
// federation listener at 127.0.0.1:federationPort when one is given (fixed
// at init: the node's card carries it). Returns {agency, base, data,
// accounts: {username: password}, federationUrl}; base is removed by stop().
export function initNode({ agency = 'MA-DGSN', demo = true, federationPort } = {}) {
  checkPrerequisites();
  const { country, names } = AGENCIES[agency];
  const base = mkdtempSync(join(tmpdir(), 'jisr-web-test-'));
  const data = join(base, 'node');
  const args = [
    'init', '--data', data, '--agency', agency, '--country', country,
    '--name-en', names.en, '--name-fr', names.fr, '--name-ar', names.ar,
  ];
  if (demo) args.push('--demo');
  if (federationPort) args.push('--federation-listen', `127.0.0.1:${federationPort}`);
  jisr(...args);
  const accounts = { admin: readFileSync(join(data, 'admin-password'), 'utf8').trim() };
  if (demo) {
    for (const line of readFileSync(join(data, 'demo-passwords'), 'utf8').split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const [username, , password] = line.split(' ');
      accounts[username] = password;
    }
  }
  return {
    agency,
    base,
    data,
    accounts,
    federationUrl: federationPort ? `https://127.0.0.1:${federationPort}` : null,
  };
}

// Shortens a node's federation retry back-off and lease (jisr.json is plain
// JSON), so that a partner that comes up late is reached within seconds.
export function quickRetries(node, { retryMaxSeconds = 2, leaseSeconds = 3 } = {}) {
  const path = join(node.data, 'jisr.json');
  const settings = JSON.parse(readFileSync(path, 'utf8'));
  settings.federation_retry_max_seconds = retryMaxSeconds;
  settings.federation_lease_seconds = leaseSeconds;
  writeFileSync(path, JSON.stringify(settings));
}

// Pairs two initialised nodes as their operators would: each writes its card
// (`jisr peer card --output`) and registers the other's (`jisr peer add`).
export function pairNodes(a, b) {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    const card = join(from.base, `${from.agency}.card.json`);
    jisr('peer', 'card', '--data', from.data, '--output', card);
    jisr('peer', 'add', '--data', to.data, '--card', card);
  }
}

// Serves an initialised node (`jisr serve` on a free loopback HTTP port; the
// federation listener from jisr.json, or a free port when `federation` is
// "any"); resolves once it listens. Returns {url, accounts, data, log(),
// stop({keep})}: stop ends the process and, unless keep, removes the node's
// directory.
export async function serveNode(init, { federation } = {}) {
  const args = ['serve', '--data', init.data, '--listen', '127.0.0.1:0', '--access-log', 'off', '--web-root', config.webRoot];
  if (federation === 'any') args.push('--federation-listen', '127.0.0.1:0');
  const child = spawn(config.jisr, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const guard = setTimeout(() => reject(new Error(`jisr serve did not start:\n${out}${log}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(guard);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`jisr serve exited (${code}):\n${out}${log}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    ...init,
    url,
    log: () => log,
    async stop({ keep = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) rmSync(init.base, { recursive: true, force: true });
    },
  };
}

// The node most tests use: MA-DGSN with the demo data, served at once.
export async function startNode() {
  return serveNode(initNode(), { federation: 'any' });
}

// Signs in through the API; returns the bearer token.
export async function apiToken(node, username) {
  const r = await fetch(`${node.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: node.accounts[username] }),
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`sign-in of ${username} refused: ${r.status}`);
  return (await r.json()).token;
}

// GET of an API path with a bearer token (and an X-Purpose); returns the JSON.
export async function apiGet(node, token, path, purpose = 'browser test') {
  const r = await fetch(`${node.url}${path}`, {
    headers: { Authorization: `Bearer ${token}`, 'X-Purpose': purpose, Accept: 'application/json' },
  });
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

// ---- the browser ------------------------------------------------------------

export async function launchBrowser() {
  return chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A new browser context (its own storage) and page, with every console error,
// uncaught exception and 5xx answer recorded in `page.problems`.
export async function openPage(browser, baseURL, { locale = 'en-GB' } = {}) {
  const context = await browser.newContext({
    baseURL,
    locale,
    timezoneId: 'Africa/Casablanca',
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx answer; expected refusals are asserted by the tests.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    page.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) page.problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return page;
}

export async function signIn(page, username, password) {
  await page.goto('/');
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav a[aria-current=page]').waitFor();
}

// Switches the language with the switcher and waits for <html> to follow.
export async function switchLang(page, lang) {
  await page.locator(`.lang-switch button[lang=${lang}]`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

// Visible text that is not in `lang`: in Arabic, any Latin word outside data
// (names, codes, the node's own messages are marked data-raw); in any
// language, a text equal to an English message that this language says
// differently. Covers text nodes, aria-labels, titles and <option>s.
export async function untranslated(page, lang) {
  const own = new Set(Object.values(messages[lang]).flatMap((m) => (typeof m === 'string' ? [m] : Object.values(m))));
  const english = lang === 'en'
    ? []
    : Object.values(messages.en)
        .flatMap((m) => (typeof m === 'string' ? [m] : Object.values(m)))
        .filter((s) => !own.has(s) && !/\{\w+\}/.test(s));
  return page.evaluate(
    ({ lang, english }) => {
      const found = [];
      const raw = (el) => el.closest('[data-raw], code, pre, script, style, noscript');
      const check = (text, where) => {
        const s = text.replace(/\s+/g, ' ').trim();
        if (!s) return;
        if (lang === 'ar' && /[A-Za-z]{2,}/.test(s)) found.push(`${where}: ${s}`);
        else if (english.includes(s)) found.push(`${where}: ${s}`);
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!el || raw(el)) continue;
        if (el.tagName !== 'OPTION' && !el.checkVisibility()) continue;
        check(walker.currentNode.textContent, el.tagName.toLowerCase());
      }
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (raw(el)) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
          if (el.hasAttribute(a)) check(el.getAttribute(a), `@${a}`);
        }
      }
      check(document.title.split(' — ')[0], 'title');
      return found;
    },
    { lang, english },
  );
}

// Text whose contrast with its background is below WCAG 2.1 AA (4.5:1, or
// 3:1 for large text). Disabled controls are exempt, as WCAG allows.
export async function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const n = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return { r: n[0], g: n[1], b: n[2], a: n.length > 3 ? n[3] : 1 };
    };
    const over = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a),
      g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a),
      a: 1,
    });
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.a > 0) layers.push(c);
        if (c.a >= 1) break;
      }
      let color = { r: 255, g: 255, b: 255, a: 1 };
      for (const layer of layers.reverse()) color = over(layer, color);
      return color;
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const found = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
      seen.add(el);
      if (!el.checkVisibility() || el.closest(':disabled, [aria-disabled=true]')) continue;
      const style = getComputedStyle(el);
      const fg = over(parse(style.color), background(el));
      const bg = background(el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        found.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1`);
      }
    }
    return found;
  });
}

export function artifact(name) {
  mkdirSync(config.artifacts, { recursive: true });
  return join(config.artifacts, name);
}
