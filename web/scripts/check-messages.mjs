#!/usr/bin/env node
// Checks the message catalogues of the web interface. Fails (exit 1, one line
// per problem) when:
//   - a messages/ folder lacks one of ar.json, en.json, fr.json, or holds another file;
//   - a key is missing from one language, or present in one only;
//   - a key does not start with its folder's name ("users." in modules/users);
//   - a message is empty, or a plural message lacks a form its language needs
//     (Intl.PluralRules) or uses one it does not have;
//   - the {placeholders} of a message differ between languages;
//   - an Arabic message holds no Arabic letter (left untranslated);
//   - the code uses t('key') / k="key" with a key no catalogue has.
// Usage: node scripts/check-messages.mjs [SRC_DIR]   (default: ../src)

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LANGS = ['ar', 'en', 'fr'];
const LOCALES = { ar: 'ar-MA', en: 'en-GB', fr: 'fr-FR' };

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function placeholders(message) {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set();
  for (const text of texts) for (const m of String(text).matchAll(/\{(\w+)\}/g)) names.add(m[1]);
  names.delete('count');
  return [...names].sort().join(',');
}

// Returns the list of problems found under `srcDir` (empty when all is well).
export function checkMessages(srcDir) {
  const problems = [];
  const files = walk(srcDir);
  // A folder named messages/ holding code is a module (modules/messages, the
  // secure messages), not a catalogue folder.
  const modulesNamedMessages = new Set(files.filter((f) => /\.(ts|tsx)$/.test(f)).map((f) => dirname(f)));
  const folders = new Set(
    files
      .filter((f) => basename(dirname(f)) === 'messages' && !modulesNamedMessages.has(dirname(f)))
      .map((f) => dirname(f)),
  );
  const all = new Map(); // key -> folder
  for (const folder of [...folders].sort()) {
    const owner = basename(dirname(folder));
    const where = relative(srcDir, folder);
    for (const name of readdirSync(folder)) {
      if (!LANGS.map((l) => `${l}.json`).includes(name)) problems.push(`${where}/${name}: unexpected file`);
    }
    const catalogues = {};
    for (const lang of LANGS) {
      const path = join(folder, `${lang}.json`);
      try {
        catalogues[lang] = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        problems.push(`${where}/${lang}.json: ${e.code === 'ENOENT' ? 'missing' : e.message}`);
        catalogues[lang] = {};
      }
    }
    const keys = new Set(LANGS.flatMap((l) => Object.keys(catalogues[l])));
    for (const key of [...keys].sort()) {
      if (!key.startsWith(`${owner}.`)) problems.push(`${where}: key "${key}" must start with "${owner}."`);
      if (all.has(key) && all.get(key) !== where) problems.push(`${where}: key "${key}" also in ${all.get(key)}`);
      all.set(key, where);
      for (const lang of LANGS) {
        const message = catalogues[lang][key];
        if (message === undefined) {
          problems.push(`${where}/${lang}.json: missing key "${key}"`);
          continue;
        }
        if (typeof message === 'string') {
          if (!message.trim()) problems.push(`${where}/${lang}.json: "${key}" is empty`);
        } else if (message && typeof message === 'object' && !Array.isArray(message)) {
          const needed = new Intl.PluralRules(LOCALES[lang]).resolvedOptions().pluralCategories;
          for (const form of needed) {
            if (typeof message[form] !== 'string' || !message[form].trim()) {
              problems.push(`${where}/${lang}.json: "${key}" lacks the plural form "${form}"`);
            }
          }
          for (const form of Object.keys(message)) {
            if (!needed.includes(form)) problems.push(`${where}/${lang}.json: "${key}" has plural form "${form}", which ${lang} does not use`);
          }
        } else {
          problems.push(`${where}/${lang}.json: "${key}" must be a string or an object of plural forms`);
        }
        if (lang === 'ar' && message) {
          const text = typeof message === 'string' ? message : Object.values(message).join(' ');
          if (!/[\u0600-\u06FF]/.test(text)) problems.push(`${where}/ar.json: "${key}" holds no Arabic (untranslated?)`);
        }
      }
      const shapes = new Set(LANGS.filter((l) => catalogues[l][key] !== undefined).map((l) => placeholders(catalogues[l][key])));
      if (shapes.size > 1) problems.push(`${where}: "${key}" has different placeholders across languages (${[...shapes].join(' | ')})`);
    }
  }
  // Every literal key used in the code must exist.
  for (const file of files.filter((f) => /\.(ts|tsx)$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    const patterns = [/\bt\(\s*'([^'$`]+)'/g, /\bt\(\s*"([^"$`]+)"/g, /\bk="([^"]+)"/g, /\b(?:title|label): '([^']+)'/g];
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        if (!all.has(m[1])) problems.push(`${relative(srcDir, file)}: uses unknown message "${m[1]}"`);
      }
    }
  }
  if (folders.size === 0) problems.push(`${srcDir}: no messages/ folders found`);
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const src = resolve(process.argv[2] ?? join(here, '..', 'src'));
  const problems = checkMessages(src);
  for (const p of problems) console.error(`check-messages: ${p}`);
  if (problems.length > 0) process.exit(1);
}
